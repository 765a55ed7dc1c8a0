/* The as_of view (SPEC §2-§4): opportunities replacing the lead's deal
 * fields, mql_source, data quality, and the as_of property: rows stamped at
 * or after as_of change nothing. */
#include "metrics_fixture.h"

#include "health.h"
#include "score.h"
#include "view.h"

#define H_MS 3600000LL

/* Days relative to as_of.
 * P1 (partner) created -30, mql -22; the leads file says won -20, amount 999
 *    (replaced by the opportunities). Events: -20 email_click (email),
 *    -10 webinar_attended (webinar).
 * P2 (partner) created -20. P3 (partner) created -10. P4 created +1 (not yet).
 * O1  P1 created -25 closed -8  is_won empty stage closed_won → won (stage), 1000
 * O2  P1 created -15 closed -3  is_won 1                      → won, 500
 * O3  P2 created -18 closed -5  is_closed 0 (an expected date) → open
 * O4  P2 created -12 closed -6  is_won 0                      → lost
 * O5  P3 created -9  closed -2  is_won empty stage closed_lost → lost
 * O6  P3 created -7  closed -1  is_won 0 stage closed_won     → lost (is_won rules)
 * O7  P4 created -2                                           → open, orphaned (P4 not yet)
 * O8  no lead, created -3                                     → open, orphaned
 * O9  P2 created +2                                           → not yet (none)
 * O10 P1 created -4  closed +1  is_won 1                      → open at as_of
 * Per lead: P1 opportunity_at min(-25, -15, -4) = -25, won_at min(-8, -3) = -8,
 *   no lost_at, amount 1000 + 500 = 1500; P2 opportunity_at -18 (O9 not yet),
 *   won none, lost_at -6 (its only closed one, O4, is lost); P3 opportunity_at
 *   -9, lost_at max(-2, -1) = -1. */
static dataset *opp_fixture(void)
{
	dataset *ds = dataset_new();
	uint32_t p1 = mf_lead(ds, "P1", "partner", "p", MF_DAY(-30));
	mf_set(ds, p1, LT_MQL, MF_DAY(-22));
	mf_set(ds, p1, LT_WON, MF_DAY(-20));
	ds->leads[p1].amount = 999;
	mf_event(ds, p1, MF_DAY(-20), "email_click", "email", "nl");
	mf_event(ds, p1, MF_DAY(-10), "webinar_attended", "webinar", "w");
	uint32_t p2 = mf_lead(ds, "P2", "partner", "p", MF_DAY(-20));
	uint32_t p3 = mf_lead(ds, "P3", "partner", "p", MF_DAY(-10));
	uint32_t p4 = mf_lead(ds, "P4", "partner", "p", MF_DAY(1));
	mf_opp(ds, "O1", p1, MF_DAY(-25), MF_DAY(-8), 1000, -1, -1, "closed_won");
	mf_opp(ds, "O2", p1, MF_DAY(-15), MF_DAY(-3), 500, 1, -1, NULL);
	mf_opp(ds, "O3", p2, MF_DAY(-18), MF_DAY(-5), 700, -1, 0, "negotiation");
	mf_opp(ds, "O4", p2, MF_DAY(-12), MF_DAY(-6), 800, 0, -1, NULL);
	mf_opp(ds, "O5", p3, MF_DAY(-9), MF_DAY(-2), 100, -1, -1, "closed_lost");
	mf_opp(ds, "O6", p3, MF_DAY(-7), MF_DAY(-1), 100, 0, -1, "closed_won");
	mf_opp(ds, "O7", p4, MF_DAY(-2), TS_NONE, 100, -1, -1, NULL);
	mf_opp(ds, "O8", NO_LEAD, MF_DAY(-3), TS_NONE, 100, -1, -1, NULL);
	mf_opp(ds, "O9", p2, MF_DAY(2), TS_NONE, 100, -1, -1, NULL);
	mf_opp(ds, "O10", p1, MF_DAY(-4), MF_DAY(1), 100, 1, -1, NULL);
	ds->duplicate_leads = 2;
	ds->duplicate_opps = 1;
	ds->leads_have_mql = true;
	dataset_index(ds);
	return ds;
}

static void test_opportunity_fields(void **state)
{
	(void)state;
	dataset *ds = opp_fixture();
	metrics_params p;
	mf_params(&p);
	view *v = view_new(ds, &p);
	/* not static: MF_DAY() calls llround, which is no constant expression */
	const struct {
		uint32_t lead;
		ts_ms opp, won, lost;
		double amount;
	} want[] = {
	    {0, MF_DAY(-25), MF_DAY(-8), TS_NONE, 1500},
	    {1, MF_DAY(-18), TS_NONE, MF_DAY(-6), NAN},
	    {2, MF_DAY(-9), TS_NONE, MF_DAY(-1), NAN},
	};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		lead_view l_at = lv_get(v, want[k].lead);
		const lead_view *l = &l_at;
		assert_true(l->exists);
		assert_true(l->t[LT_OPPORTUNITY] == want[k].opp);
		assert_true(l->t[LT_WON] == want[k].won);
		assert_true(l->t[LT_LOST] == want[k].lost);
		if (isnan(want[k].amount))
			assert_true(isnan(l->amount));
		else
			assert_true(l->amount == want[k].amount);
	}
	assert_false(lv_exists(v, 3));
	static const uint8_t state_want[] = {OPP_WON,  OPP_WON,	 OPP_OPEN, OPP_LOST, OPP_LOST,
					     OPP_LOST, OPP_OPEN, OPP_OPEN, OPP_NONE, OPP_OPEN};
	for (size_t k = 0; k < ds->nopps; k++) {
		if (v->opp_state[k] != state_want[k])
			print_error("O%zu: state %d, expected %d\n", k + 1, v->opp_state[k],
				    state_want[k]);
		assert_int_equal(v->opp_state[k], state_want[k]);
	}
	view_free(v);
	dataset_free(ds);
}

/* Revenue is booked per won opportunity in the week it closed:
 * 1w [-7, 0): O2 (-3, 500) → revenue 500, deals {500}; wins counts leads whose
 *   won_at (P1: -8) is in W → 0.
 * 4w: O1 + O2 → revenue 1500, deals mean and median 750; wins 1 (P1).
 * w_shaped with the won opportunity's own created_at, P1's touchpoints T0
 * partner -30, T1 email -20, T2 webinar -10, mql -22 → T0:
 *   O2 (won -3, opp -15 → T1): T0 .3 + .3 = .6, T1 .3, T2 .1 → 300 150 50.
 *   O1 (won -8, opp -25 → T0): T0 .9, T1 .05, T2 .05 → 900 50 50.
 *   4w: partner 1200, email 200, webinar 100.
 * Data quality: orphaned opportunities O7, O8 = 2; duplicates passed through. */
static const mf_expect opp_expect[] = {
    {"windows.1w.revenue", 500},
    {"windows.1w.wins", 0},
    {"windows.1w.deal_size_mean", 500},
    {"windows.4w.revenue", 1500},
    {"windows.4w.wins", 1},
    {"windows.4w.deal_size_mean", 750},
    {"windows.4w.deal_size_median", 750},
    {"data_quality.orphaned_opportunities", 2},
    {"data_quality.duplicates.leads", 2},
    {"data_quality.duplicates.opportunities", 1},
};

static void test_opportunity_metrics(void **state)
{
	(void)state;
	dataset *ds = opp_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	MF_CHECK(root, opp_expect);
	static const struct {
		const char *window, *channel;
		double w_shaped;
	} rev[] = {
	    {"1w", "partner", 300},  {"1w", "email", 150}, {"1w", "webinar", 50},
	    {"4w", "partner", 1200}, {"4w", "email", 200}, {"4w", "webinar", 100},
	};
	for (size_t k = 0; k < sizeof rev / sizeof rev[0]; k++) {
		char rows[32];
		snprintf(rows, sizeof rows, "by_channel.%s", rev[k].window);
		const mval *row = mf_row(root, rows, "channel", rev[k].channel);
		assert_true(fabs(mv_num_of(mv_get(row, "revenue_w_shaped")) - rev[k].w_shaped) <
			    1e-9);
	}
	mv_free(root);
	dataset_free(ds);
}

/* mql_source: S1 created -5 with an exported mql_at -1; S2 created -5 with an
 * email_unsubscribe (-10 points) at -6. With a threshold of 0 the score
 * makes S1 an MQL at its first checkpoint, created_at (score 0 >= 0), and S2
 * never (its score is -10 at created_at and nothing follows).
 *   export: S1 -1, S2 none; score: S1 -5, S2 none;
 *   auto with the column mapped: export; auto without it: score. */
static void test_mql_source(void **state)
{
	(void)state;
	dataset *ds = dataset_new();
	uint32_t s1 = mf_lead(ds, "S1", "web", "c", MF_DAY(-5));
	mf_set(ds, s1, LT_MQL, MF_DAY(-1));
	uint32_t s2 = mf_lead(ds, "S2", "web", "c", MF_DAY(-5));
	mf_event(ds, s2, MF_DAY(-6), "email_unsubscribe", "email", "c");
	dataset_index(ds);
	score_model m;
	score_model_default(&m);
	m.threshold = 0;
	metrics_params p;
	mf_params(&p);
	p.model = &m;
	const struct {
		enum mql_source src;
		bool have_column;
		ts_ms s1, s2;
	} cases[] = {
	    {MQL_EXPORT, true, MF_DAY(-1), TS_NONE},
	    {MQL_SCORE, true, MF_DAY(-5), TS_NONE},
	    {MQL_AUTO, true, MF_DAY(-1), TS_NONE},
	    {MQL_AUTO, false, MF_DAY(-5), TS_NONE},
	};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		p.mql_source = cases[k].src;
		ds->leads_have_mql = cases[k].have_column;
		view *v = view_new(ds, &p);
		assert_true(lv_get(v, s1).t[LT_MQL] == cases[k].s1);
		assert_true(lv_get(v, s2).t[LT_MQL] == cases[k].s2);
		view_free(v);
	}
	score_model_clear(&m);
	dataset_free(ds);
}

/* Data quality (stale: the newest timestamp before as_of is older than 7 days
 * before it, or there is none):
 * leads: P4 created +1 is the one timestamp at or after as_of; the newest
 *   before it over every field is P3's created -10 → stale.
 * events: none at or after as_of; newest -10 → stale.
 * spend: no rows → newest null, stale.
 * opportunities: O10 closed +1 and O9 created +2 → 2 after as_of; newest
 *   before it O6's closed -1 → fresh.
 * stale_sources: leads, events, spend. */
static void test_quality(void **state)
{
	(void)state;
	dataset *ds = opp_fixture();
	ds->src[SRC_LEADS].rows_read = 5;
	ds->src[SRC_LEADS].rows_accepted = 4;
	ds->src[SRC_LEADS].rows_rejected = 1;
	kvcounts_add(&ds->src[SRC_LEADS].rejected_by_reason, "missing_created_at", 1);
	kvcounts_add(&ds->src[SRC_LEADS].warnings_by_field, "amount", 3);
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	static const mf_expect q[] = {
	    {"data_quality.sources.0.rows_read", 5},
	    {"data_quality.sources.0.rows_accepted", 4},
	    {"data_quality.sources.0.rows_rejected", 1},
	    {"data_quality.sources.0.rejected_by_reason.missing_created_at", 1},
	    {"data_quality.sources.0.warnings_by_field.amount", 3},
	    {"data_quality.sources.0.timestamps_after_as_of", 1},
	    {"data_quality.sources.0.stale", 1},
	    {"data_quality.sources.1.timestamps_after_as_of", 0},
	    {"data_quality.sources.1.stale", 1},
	    {"data_quality.sources.2.stale", 1},
	    {"data_quality.sources.2.newest_timestamp", MF_NULL},
	    {"data_quality.sources.3.timestamps_after_as_of", 2},
	    {"data_quality.sources.3.stale", 0},
	};
	MF_CHECK(root, q);
	assert_int_equal(mv_len(mv_path(root, "data_quality.sources")), 4);
	assert_string_equal(mv_str_of(mv_path(root, "data_quality.sources.3.source")),
			    "opportunities");
	assert_true(mv_time_of(mv_path(root, "data_quality.sources.0.newest_timestamp")) ==
		    MF_DAY(-10));
	assert_true(mv_time_of(mv_path(root, "data_quality.sources.3.newest_timestamp")) ==
		    MF_DAY(-1));
	const mval *stale = mv_path(root, "data_quality.stale_sources");
	assert_int_equal(mv_len(stale), 3);
	assert_string_equal(mv_str_of(mv_at(stale, 0)), "leads");
	assert_string_equal(mv_str_of(mv_at(stale, 2)), "spend");
	mv_free(root);
	dataset_free(ds);
}

/* Two trees are equal: same kinds, keys in the same order, same values
 * (skipping members named `skip`). */
static bool tree_equal(const mval *a, const mval *b, const char *skip, char *where, size_t size)
{
	if (mv_kind_of(a) != mv_kind_of(b) || mv_fmt_of(a) != mv_fmt_of(b))
		return false;
	switch (mv_kind_of(a)) {
	case MV_NULL:
		return true;
	case MV_BOOL:
		return mv_bool_of(a) == mv_bool_of(b);
	case MV_INT:
		return mv_int_of(a) == mv_int_of(b);
	case MV_NUM:
		return mv_num_of(a) == mv_num_of(b);
	case MV_STR:
		return strcmp(mv_str_of(a), mv_str_of(b)) == 0;
	case MV_TIME:
		return mv_time_of(a) == mv_time_of(b);
	case MV_ROWS: {
		if (mv_len(a) != mv_len(b))
			return false;
		mv_cursor ca = mv_cursor_of(a), cb = mv_cursor_of(b);
		bool same = true;
		for (const mval *ra, *rb; same && (ra = mv_next(&ca)) && (rb = mv_next(&cb));)
			same = tree_equal(ra, rb, skip, where, size);
		mv_cursor_close(&ca);
		mv_cursor_close(&cb);
		return same;
	}
	case MV_OBJ:
	case MV_ARR:
		if (mv_len(a) != mv_len(b))
			return false;
		for (size_t i = 0; i < mv_len(a); i++) {
			const char *ka = mv_key(a, i), *kb = mv_key(b, i);
			if ((ka || kb) && (!ka || !kb || strcmp(ka, kb) != 0))
				return false;
			if (ka && strcmp(ka, skip) == 0)
				continue;
			if (!tree_equal(mv_at(a, i), mv_at(b, i), skip, where, size)) {
				size_t n = strlen(where);
				char tmp[512];
				snprintf(tmp, sizeof tmp, "%s%s%s", ka ? ka : "#", n ? "." : "",
					 where);
				snprintf(where, size, "%s", tmp);
				return false;
			}
		}
		return true;
	}
	return false;
}

/* Append rows stamped at or after as_of to every source: new leads created
 * at and after as_of (with every field set), events at and after as_of for
 * existing and new leads, spend on as_of's day and later, opportunities
 * created at as_of. */
static void append_future(dataset *ds)
{
	uint32_t n0 = (uint32_t)ds->nleads;
	uint32_t f1 = mf_lead(ds, "F1", "web", "c1", MF_DAY(0));
	uint32_t f2 = mf_lead(ds, "F2", "partner", "p", MF_DAY(3));
	for (int f = 1; f < LT_COUNT; f++) {
		mf_set(ds, f1, f, MF_DAY(0) + f);
		mf_set(ds, f2, f, MF_DAY(4));
	}
	ds->leads[f1].amount = 1e6;
	for (uint32_t i = 0; i < n0; i++) {
		mf_event(ds, i, MF_DAY(0), "demo_request", "web", "c1");
		mf_event(ds, i, MF_DAY(2), "sales_touch", "sales", "s");
	}
	mf_event(ds, f1, MF_DAY(0), "podcast_listen", "web", "c1");
	mf_event(ds, f2, MF_DAY(5), "content_download", "web", "c1");
	mf_event(ds, NO_LEAD, MF_DAY(0), "page_visit", "web", "c1");
	mf_spend(ds, MF_DAY(0), "web", "c1", 1e5);
	mf_spend(ds, MF_DAY(9), "new_channel", NULL, 5);
	if (n0 > 0) {
		mf_opp(ds, "F-O1", 0, MF_DAY(0), MF_DAY(1), 1e6, 1, 1, NULL);
		mf_opp(ds, "F-O2", f1, MF_DAY(0), MF_DAY(0), 1e6, 1, 1, NULL);
	}
	dataset_index(ds);
}

static void check_as_of_property(dataset *ds, const metrics_params *p)
{
	mval *before = metrics_compute(ds, p);
	append_future(ds);
	mval *after = metrics_compute(ds, p);
	char where[512] = "";
	bool same = tree_equal(before, after, "timestamps_after_as_of", where, sizeof where);
	if (!same)
		print_error("differs at %s\n", where);
	assert_true(same);
	mv_free(before);
	mv_free(after);
	dataset_free(ds);
}

/* Data quality's and the health checks' counts of events, which read each
 * lead's events by searches in its time order, against a count over every
 * event: leads that exist and leads created after as_of, events before,
 * at and after as_of, events without a time (beyond the years kept),
 * unknown types, orphans; once with no unknown type, whose events are then
 * not read one by one. */
static void event_counts_match_a_scan_of_every_event(void **state)
{
	(void)state;
	static const char *const types[] = {"page_visit", "email_open", "demo_request",
					    "sales_touch", "mystery_ping"};
	for (int with_unknown = 0; with_unknown < 2; with_unknown++) {
		dataset *ds = dataset_new();
		uint64_t x = 0x2545F4914F6CDD1DULL + (uint64_t)with_unknown;
		for (uint32_t i = 0; i < 300; i++) {
			char id[16];
			snprintf(id, sizeof id, "Q%u", i);
			mf_lead(ds, id, "web", "c1", MF_DAY(i % 7 == 0 ? 2 : -40));
		}
		for (int k = 0; k < 6000; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			uint32_t lead = (uint32_t)(x % 310); /* past 299: no lead */
			ts_ms at = MF_DAY((int)(x >> 16) % 60 - 45) + (ts_ms)(x >> 40) % 1000;
			if ((x >> 24) % 50 == 0)
				at = MF_AS_OF; /* at as_of: after */
			if ((x >> 24) % 50 == 1)
				at = INT64_C(1) << 62; /* beyond the years kept: no time */
			int t = (int)((x >> 32) % (with_unknown ? 5 : 4));
			mf_event(ds, lead < 300 ? lead : NO_LEAD, at, types[t], "web", "c1");
		}
		dataset_index(ds);
		metrics_params p;
		mf_params(&p);
		view *v = view_new(ds, &p);
		int64_t before = 0, linked = 0, orphaned = 0, after = 0, unknown = 0;
		ts_ms newest = TS_NONE;
		bool kinds[EV_COUNT] = {false};
		for (size_t k = 0; k < ds->nevents; k++) {
			const event *ev = &ds->events[k];
			ts_ms at = ev_at(ds, ev);
			uint32_t l = ds_event_lead(ds, k);
			bool exists = l != NO_LEAD && lv_exists(v, l);
			if (at != TS_NONE && at >= p.as_of) {
				after++;
				continue;
			}
			if (at != TS_NONE && (newest == TS_NONE || at > newest))
				newest = at;
			orphaned += !exists;
			unknown += exists && ev_kind_of(ev) == EV_UNKNOWN;
			if (at == TS_NONE)
				continue;
			before++;
			linked += exists;
			if (exists)
				kinds[ev_kind_of(ev)] = true;
		}
		assert_true(after > 0 && orphaned > 0 && linked > 0 && before > linked);
		assert_true((unknown > 0) == with_unknown);
		health_facts f;
		health_facts_init(&f);
		health_facts_add(&f, v);
		assert_int_equal(f.events_before, before);
		assert_int_equal(f.events_linked, linked);
		for (int k = 0; k < EV_COUNT; k++)
			if (f.kind_seen[k] != kinds[k])
				fail_msg("kind %s: seen %d, by the scan %d", ev_kind_name[k],
					 f.kind_seen[k], kinds[k]);
		view_free(v);
		mval *root = metrics_compute(ds, &p);
		char path[64];
		int src = -1;
		for (int s = 0; s < 4 && src < 0; s++) {
			snprintf(path, sizeof path, "data_quality.sources.%d.source", s);
			if (strcmp(mv_str_of(mv_path(root, path)), "events") == 0)
				src = s;
		}
		assert_true(src >= 0);
		snprintf(path, sizeof path, "data_quality.sources.%d.timestamps_after_as_of", src);
		assert_int_equal(mv_int_of(mv_path(root, path)), after);
		snprintf(path, sizeof path, "data_quality.sources.%d.newest_timestamp", src);
		assert_true(mv_time_of(mv_path(root, path)) == newest);
		assert_int_equal(mv_int_of(mv_path(root, "data_quality.orphaned_events")),
				 orphaned);
		assert_int_equal(mv_int_of(mv_path(root, "data_quality.unknown_event_types")),
				 unknown);
		mv_free(root);
		dataset_free(ds);
	}
}

static void test_as_of_property(void **state)
{
	(void)state;
	metrics_params p;
	mf_params(&p);
	/* with an opportunities source */
	check_as_of_property(opp_fixture(), &p);
	/* a data set with speed to lead, engagement and negative durations; the
	 * future opportunities turn the source on, so compare both as such */
	dataset *ds = opp_fixture();
	uint32_t m = mf_lead(ds, "M", "web", "c1", MF_DAY(-9));
	mf_set(ds, m, LT_MQL, MF_DAY(-8));
	mf_set(ds, m, LT_SQL, MF_DAY(-2));
	mf_set(ds, m, LT_FIRST_CONTACT, MF_DAY(-8) + H_MS);
	mf_event(ds, m, MF_DAY(-3), "content_download", "web", "c1");
	mf_event(ds, m, MF_DAY(-7), "sales_touch", "sales", "s");
	mf_spend(ds, MF_DAY(-1), "web", "c1", 10);
	dataset_index(ds);
	check_as_of_property(ds, &p);
	/* the score as the MQL source: future events must not move any mql_at */
	score_model sm;
	score_model_default(&sm);
	p.model = &sm;
	p.mql_source = MQL_SCORE;
	check_as_of_property(opp_fixture(), &p);
	score_model_clear(&sm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_opportunity_fields),
	    cmocka_unit_test(test_opportunity_metrics),
	    cmocka_unit_test(test_mql_source),
	    cmocka_unit_test(test_quality),
	    cmocka_unit_test(test_as_of_property),
	    cmocka_unit_test(event_counts_match_a_scan_of_every_event),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
