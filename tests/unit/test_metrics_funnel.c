/* The window metrics and the per-channel table on a hand-made fixture.
 *
 * Every expected value below is worked out by hand from the fixture; the
 * Wilson bounds come from the formula
 *   (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.959964. */
#include "metrics_fixture.h"
#include "qualify.h"
#include "score.h"

/* Days are relative to as_of (MF_DAY(-2) = two days before it).
 * Windows: 1w = [-7, 0), 4w = [-28, 0), 13w = [-91, 0).
 *
 * lead  channel      created  mql    sql    accepted rejected won        lost
 * L1    paid_search  -2       -1.5   -0.5   -1
 * L2    paid_search  -10      -9     -6     -8                -3 (1000)
 * L3    webinar      -20      -20                    -19                 -15
 * L4    webinar      -50      -45    -40    -44               -30 (2000)
 * L5    webinar      -3
 * L6    paid_search  -100     -80    -5     -79      -78
 * L7    webinar      0 (= as_of: does not exist; its mql at 0 is ignored too)
 * L8    webinar      -1       -0.5   +1 (after as_of: empty)
 *
 * spend: paid_search -6: 300, -20: 500, -60: 1000, 0: 999 (at as_of: ignored)
 *        webinar     -2: 200, -90: 100, -95: 50 (before 13w)
 */
static dataset *slice_fixture(void)
{
	dataset *ds = dataset_new();
	uint32_t l1 = mf_lead(ds, "L1", "paid_search", "brand", MF_DAY(-2));
	mf_set(ds, l1, LT_MQL, MF_DAY(-1.5));
	mf_set(ds, l1, LT_SQL, MF_DAY(-0.5));
	mf_set(ds, l1, LT_ACCEPTED, MF_DAY(-1));
	uint32_t l2 = mf_lead(ds, "L2", "paid_search", "brand", MF_DAY(-10));
	mf_set(ds, l2, LT_MQL, MF_DAY(-9));
	mf_set(ds, l2, LT_SQL, MF_DAY(-6));
	mf_set(ds, l2, LT_ACCEPTED, MF_DAY(-8));
	mf_set(ds, l2, LT_WON, MF_DAY(-3));
	ds->leads[l2].amount = 1000;
	uint32_t l3 = mf_lead(ds, "L3", "webinar", "q4_webinar", MF_DAY(-20));
	mf_set(ds, l3, LT_MQL, MF_DAY(-20));
	mf_set(ds, l3, LT_REJECTED, MF_DAY(-19));
	mf_set(ds, l3, LT_LOST, MF_DAY(-15));
	uint32_t l4 = mf_lead(ds, "L4", "webinar", "q4_webinar", MF_DAY(-50));
	mf_set(ds, l4, LT_MQL, MF_DAY(-45));
	mf_set(ds, l4, LT_SQL, MF_DAY(-40));
	mf_set(ds, l4, LT_ACCEPTED, MF_DAY(-44));
	mf_set(ds, l4, LT_WON, MF_DAY(-30));
	ds->leads[l4].amount = 2000;
	mf_lead(ds, "L5", "webinar", "q4_webinar", MF_DAY(-3));
	uint32_t l6 = mf_lead(ds, "L6", "paid_search", "brand", MF_DAY(-100));
	mf_set(ds, l6, LT_MQL, MF_DAY(-80));
	mf_set(ds, l6, LT_SQL, MF_DAY(-5));
	mf_set(ds, l6, LT_ACCEPTED, MF_DAY(-79));
	mf_set(ds, l6, LT_REJECTED, MF_DAY(-78));
	uint32_t l7 = mf_lead(ds, "L7", "webinar", "q4_webinar", MF_DAY(0));
	mf_set(ds, l7, LT_MQL, MF_DAY(0));
	uint32_t l8 = mf_lead(ds, "L8", "webinar", "q4_webinar", MF_DAY(-1));
	mf_set(ds, l8, LT_MQL, MF_DAY(-0.5));
	mf_set(ds, l8, LT_SQL, MF_DAY(1));
	mf_spend(ds, MF_DAY(-6), "paid_search", "brand", 300);
	mf_spend(ds, MF_DAY(-20), "paid_search", "brand", 500);
	mf_spend(ds, MF_DAY(-60), "paid_search", "brand", 1000);
	mf_spend(ds, MF_DAY(0), "paid_search", "brand", 999);
	mf_spend(ds, MF_DAY(-2), "webinar", "q4_webinar", 200);
	mf_spend(ds, MF_DAY(-90), "webinar", "q4_webinar", 100);
	mf_spend(ds, MF_DAY(-95), "webinar", "q4_webinar", 50);
	ds->leads_have_mql = true;
	dataset_index(ds);
	return ds;
}

/* 1w: leads L1 L5 L8 = 3; C = {L1, L8}; sqls in W: L1 L2 L6 = 3; wins L2 = 1;
 *     revenue 1000; spend 300 + 200 = 500; cost_per_mql 500 / 2 = 250;
 *     mql_to_sql 1/2 (L1); acceptance: reviewed {L1} → 1/1, pending 2 - 1 = 1;
 *     close: nothing closed in C → null; time to SQL: L1 -0.5 - (-1.5) = 1 day.
 * 4w: leads + L2 L3 = 5; C = {L1, L8, L2, L3} = 4; sqls 3 (L4's -40 is out);
 *     wins 1; revenue 1000; spend 300 + 500 + 200 = 1000; cost_per_mql 250;
 *     mql_to_sql 2/4 (L1 L2); acceptance 2 accepted / 3 reviewed (L3 rejected),
 *     pending 1 (L8); close 1 won / 2 closed (L2 won, L3 lost);
 *     time to SQL: {1, 3} → median 2.
 * 13w: leads + L4 = 6 (L6 at -100 is out); C = {L1 L8 L2 L3 L4 L6} = 6;
 *     sqls L1 L2 L4 L6 = 4; wins L2 L4 = 2; revenue 3000;
 *     spend 300 + 500 + 1000 + 200 + 100 = 2100; cost_per_mql 2100 / 6 = 350;
 *     mql_to_sql 4/6; acceptance: reviewed L1 L2 L3 L4 L6 = 5, accepted
 *     L1 L2 L4 L6 (L6 both: accepted) = 4 → 0.8, pending 1; close 2/3
 *     (L2 L4 won, L3 lost); time to SQL {1, 3, 5, 75}: h = 1.5 → 3 + 0.5·2 = 4. */
static const mf_expect slice_windows[] = {
    {"windows.1w.leads", 3},
    {"windows.1w.mqls", 2},
    {"windows.1w.sqls", 3},
    {"windows.1w.wins", 1},
    {"windows.1w.revenue", 1000},
    {"windows.1w.spend", 500},
    {"windows.1w.cost_per_mql", 250},
    {"windows.1w.mql_to_sql_rate", 0.5},
    {"windows.1w.mql_to_sql_rate_ci_low", 0.0945312057},
    {"windows.1w.mql_to_sql_rate_ci_high", 0.9054687943},
    {"windows.1w.sales_acceptance_rate", 1.0},
    {"windows.1w.sales_acceptance_rate_ci_low", 0.2065493144},
    {"windows.1w.sales_acceptance_rate_ci_high", 1.0},
    {"windows.1w.sales_pending", 1},
    {"windows.1w.close_rate", MF_NULL},
    {"windows.1w.close_rate_ci_low", MF_NULL},
    {"windows.1w.close_rate_ci_high", MF_NULL},
    {"windows.1w.time_to_sql_days_median", 1.0},

    {"windows.4w.leads", 5},
    {"windows.4w.mqls", 4},
    {"windows.4w.sqls", 3},
    {"windows.4w.wins", 1},
    {"windows.4w.revenue", 1000},
    {"windows.4w.spend", 1000},
    {"windows.4w.cost_per_mql", 250},
    {"windows.4w.mql_to_sql_rate", 0.5},
    {"windows.4w.mql_to_sql_rate_ci_low", 0.1500389892},
    {"windows.4w.mql_to_sql_rate_ci_high", 0.8499610108},
    {"windows.4w.sales_acceptance_rate", 2.0 / 3},
    {"windows.4w.sales_acceptance_rate_ci_low", 0.2076596008},
    {"windows.4w.sales_acceptance_rate_ci_high", 0.9385080553},
    {"windows.4w.sales_pending", 1},
    {"windows.4w.close_rate", 0.5},
    {"windows.4w.time_to_sql_days_median", 2.0},

    {"windows.13w.leads", 6},
    {"windows.13w.mqls", 6},
    {"windows.13w.sqls", 4},
    {"windows.13w.wins", 2},
    {"windows.13w.revenue", 3000},
    {"windows.13w.spend", 2100},
    {"windows.13w.cost_per_mql", 350},
    {"windows.13w.mql_to_sql_rate", 4.0 / 6},
    {"windows.13w.mql_to_sql_rate_ci_low", 0.2999933151},
    {"windows.13w.mql_to_sql_rate_ci_high", 0.9032285889},
    {"windows.13w.sales_acceptance_rate", 0.8},
    {"windows.13w.sales_pending", 1},
    {"windows.13w.close_rate", 2.0 / 3},
    {"windows.13w.time_to_sql_days_median", 4.0},
};

/* by_channel (channel = the lead's; spend = the spend row's; revenue first
 * touch: these leads have no events, so each win goes to its own channel):
 * 1w  paid_search: leads L1 = 1, mqls L1 = 1, sqls L1 L2 L6 = 3, wins L2 = 1,
 *                  revenue 1000, spend 300, cost_per_mql 300, mql_to_sql 1/1,
 *                  close null (nothing closed in C), low_sample (1 < 30)
 *     webinar:     leads L5 L8 = 2, mqls L8 = 1, sqls 0, wins 0, revenue 0,
 *                  spend 200, cost_per_mql 200, mql_to_sql 0/1 = 0
 * 4w  paid_search: leads L1 L2 = 2, mqls 2, sqls 3, wins 1, spend 800,
 *                  cost_per_mql 400, mql_to_sql 2/2, close 1/1
 *     webinar:     leads L5 L8 L3 = 3, mqls L8 L3 = 2, spend 200,
 *                  cost_per_mql 100, mql_to_sql 0/2, close 0/1 (L3 lost)
 * 13w paid_search: leads 2, mqls L1 L2 L6 = 3, sqls 3, wins 1, revenue 1000,
 *                  spend 1800, cost_per_mql 600, mql_to_sql 3/3, close 1/1,
 *                  roi (1000 - 1800) / 1800 = -0.4444
 *     webinar:     leads L5 L8 L3 L4 = 4, mqls L8 L3 L4 = 3, sqls L4 = 1,
 *                  wins L4 = 1, revenue 2000, spend 300, cost_per_mql 100,
 *                  mql_to_sql 1/3, close 1/2, roi (2000 - 300) / 300 = 5.6667 */
static const struct channel_case {
	const char *window, *channel;
	mf_expect ex[11];
} slice_channels[] = {
    {"1w",
     "paid_search",
     {{"leads", 1},
      {"mqls", 1},
      {"sqls", 3},
      {"wins", 1},
      {"revenue", 1000},
      {"spend", 300},
      {"cost_per_mql", 300},
      {"mql_to_sql_rate", 1},
      {"close_rate", MF_NULL},
      {"low_sample", 1},
      {"roi", 700.0 / 300}}},
    {"1w",
     "webinar",
     {{"leads", 2},
      {"mqls", 1},
      {"sqls", 0},
      {"wins", 0},
      {"revenue", 0},
      {"spend", 200},
      {"cost_per_mql", 200},
      {"mql_to_sql_rate", 0},
      {"close_rate", MF_NULL},
      {"low_sample", 1},
      {"roi", -1}}},
    {"4w",
     "paid_search",
     {{"leads", 2},
      {"mqls", 2},
      {"sqls", 3},
      {"wins", 1},
      {"revenue", 1000},
      {"spend", 800},
      {"cost_per_mql", 400},
      {"mql_to_sql_rate", 1},
      {"close_rate", 1},
      {"low_sample", 1},
      {"roi", 0.25}}},
    {"4w",
     "webinar",
     {{"leads", 3},
      {"mqls", 2},
      {"sqls", 0},
      {"wins", 0},
      {"revenue", 0},
      {"spend", 200},
      {"cost_per_mql", 100},
      {"mql_to_sql_rate", 0},
      {"close_rate", 0},
      {"low_sample", 1},
      {"roi", -1}}},
    {"13w",
     "paid_search",
     {{"leads", 2},
      {"mqls", 3},
      {"sqls", 3},
      {"wins", 1},
      {"revenue", 1000},
      {"spend", 1800},
      {"cost_per_mql", 600},
      {"mql_to_sql_rate", 1},
      {"close_rate", 1},
      {"low_sample", 1},
      {"roi", -800.0 / 1800}}},
    {"13w",
     "webinar",
     {{"leads", 4},
      {"mqls", 3},
      {"sqls", 1},
      {"wins", 1},
      {"revenue", 2000},
      {"spend", 300},
      {"cost_per_mql", 100},
      {"mql_to_sql_rate", 1.0 / 3},
      {"close_rate", 0.5},
      {"low_sample", 1},
      {"roi", 1700.0 / 300}}},
};

static void test_slice_windows(void **state)
{
	(void)state;
	dataset *ds = slice_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	MF_CHECK(root, slice_windows);
	mv_free(root);
	dataset_free(ds);
}

static void test_slice_by_channel(void **state)
{
	(void)state;
	dataset *ds = slice_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	for (size_t k = 0; k < sizeof slice_channels / sizeof slice_channels[0]; k++) {
		const struct channel_case *c = &slice_channels[k];
		char rows[32];
		snprintf(rows, sizeof rows, "by_channel.%s", c->window);
		assert_int_equal(mv_len(mv_path(root, rows)), 2);
		const mval *row = mf_row(root, rows, "channel", c->channel);
		mf_check(row, c->ex, sizeof c->ex / sizeof c->ex[0]);
	}
	/* rows are ordered by key */
	assert_string_equal(mv_str_of(mv_path(root, "by_channel.13w.0.channel")), "paid_search");
	assert_string_equal(mv_str_of(mv_path(root, "by_channel.13w.1.channel")), "webinar");
	mv_free(root);
	dataset_free(ds);
}

/* The top-level keys, in SPEC §8's order with `summary` after windows (the
 * calibration tables may add keys of their own in between). */
static void test_key_order(void **state)
{
	(void)state;
	static const char *const keys[] = {
	    "windows",	       "summary",     "by_channel", "by_campaign",
	    "trend",	       "cohorts",     "engagement", "score_bands",
	    "threshold_sweep", "calibration", "lifecycle",  "data_quality",
	};
	dataset *ds = slice_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	size_t next = 0;
	for (size_t i = 0; i < mv_len(root) && next < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(mv_key(root, i), keys[next]) == 0)
			next++;
	assert_int_equal(next, sizeof keys / sizeof keys[0]);
	assert_string_equal(mv_key(root, 0), "windows");
	assert_string_equal(mv_key(root, 1), "summary");
	/* a rate's interval follows it immediately */
	const mval *w = mv_path(root, "windows.1w");
	size_t at = 0;
	while (at < mv_len(w) && strcmp(mv_key(w, at), "mql_to_sql_rate") != 0)
		at++;
	assert_true(at + 2 < mv_len(w));
	assert_string_equal(mv_key(w, at + 1), "mql_to_sql_rate_ci_low");
	assert_string_equal(mv_key(w, at + 2), "mql_to_sql_rate_ci_high");
	/* formats */
	assert_int_equal(mv_fmt_of(mv_path(root, "windows.1w.mqls")), MF_COUNT);
	assert_int_equal(mv_fmt_of(mv_path(root, "windows.1w.cost_per_mql")), MF_MONEY);
	assert_int_equal(mv_fmt_of(mv_path(root, "windows.1w.mql_to_sql_rate_ci_high")), MF_RATE);
	assert_int_equal(mv_fmt_of(mv_path(root, "windows.1w.time_to_sql_days_median")), MF_DAYS);
	assert_int_equal(mv_fmt_of(mv_path(root, "windows.1w.close_rate")), MF_RATE);
	mv_free(root);
	dataset_free(ds);
}

/* by_campaign: the slice's campaigns follow its channels one to one (brand =
 * paid_search's leads and spend, q4_webinar = webinar's), so the rows carry
 * the same numbers under the campaign key. */
static void test_slice_by_campaign(void **state)
{
	(void)state;
	dataset *ds = slice_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	static const char *const pairs[][2] = {{"paid_search", "brand"}, {"webinar", "q4_webinar"}};
	for (size_t k = 0; k < sizeof slice_channels / sizeof slice_channels[0]; k++) {
		const struct channel_case *c = &slice_channels[k];
		const char *campaign =
		    strcmp(c->channel, pairs[0][0]) == 0 ? pairs[0][1] : pairs[1][1];
		char rows[32];
		snprintf(rows, sizeof rows, "by_campaign.%s", c->window);
		assert_int_equal(mv_len(mv_path(root, rows)), 2);
		const mval *row = mf_row(root, rows, "campaign", campaign);
		assert_null(mv_get(row, "channel"));
		mf_check(row, c->ex, sizeof c->ex / sizeof c->ex[0]);
	}
	mv_free(root);
	dataset_free(ds);
}

/* Campaign rows are keyed by campaign alone: "spring" run on two channels is
 * one row. low_sample is true below 30 MQLs in the row's cohort: a has 30
 * MQLs in 1w (false), b 29 (true). Lead j of a channel is created at -(j+1)/10
 * days and becomes an MQL an hour later, all inside the report week. */
static void test_campaign_key_and_low_sample(void **state)
{
	(void)state;
	dataset *ds = dataset_new();
	for (int j = 0; j < 30; j++) {
		char id[16];
		snprintf(id, sizeof id, "A%d", j);
		uint32_t i = mf_lead(ds, id, "a", "spring", MF_DAY(-(j + 1) / 10.0));
		mf_set(ds, i, LT_MQL, MF_DAY(-(j + 1) / 10.0) + 3600000);
	}
	for (int j = 0; j < 29; j++) {
		char id[16];
		snprintf(id, sizeof id, "B%d", j);
		uint32_t i = mf_lead(ds, id, "b", "spring", MF_DAY(-(j + 1) / 10.0));
		mf_set(ds, i, LT_MQL, MF_DAY(-(j + 1) / 10.0) + 3600000);
	}
	ds->leads_have_mql = true;
	dataset_index(ds);
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	assert_int_equal(mv_len(mv_path(root, "by_campaign.1w")), 1);
	const mval *spring = mf_row(root, "by_campaign.1w", "campaign", "spring");
	assert_int_equal(mv_int_of(mv_get(spring, "leads")), 59);
	assert_int_equal(mv_int_of(mv_get(spring, "mqls")), 59);
	assert_false(mv_bool_of(mv_get(spring, "low_sample")));
	assert_false(
	    mv_bool_of(mv_get(mf_row(root, "by_channel.1w", "channel", "a"), "low_sample")));
	assert_true(
	    mv_bool_of(mv_get(mf_row(root, "by_channel.1w", "channel", "b"), "low_sample")));
	mv_free(root);
	dataset_free(ds);
}

/* Every number of every window carries a display format (nulls too, so a
 * renderer formats an empty cell like its column), and the summary's
 * this_week is the 1w window's value, format included. */
static void test_formats_and_summary(void **state)
{
	(void)state;
	dataset *ds = slice_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	for (int w = 0; w < 3; w++) {
		static const char *const names[] = {"windows.1w", "windows.4w", "windows.13w"};
		const mval *win = mv_path(root, names[w]);
		assert_true(mv_len(win) >= 40);
		for (size_t i = 0; i < mv_len(win); i++) {
			const mval *x = mv_at(win, i);
			mv_kind k = mv_kind_of(x);
			assert_true(k == MV_INT || k == MV_NUM || k == MV_NULL);
			if (mv_fmt_of(x) == MF_PLAIN)
				print_error("%s.%s has no format\n", names[w], mv_key(win, i));
			assert_int_not_equal(mv_fmt_of(x), MF_PLAIN);
			const char *key = mv_key(win, i);
			size_t n = strlen(key);
			if (n > 5 && strcmp(key + n - 5, "_rate") == 0)
				assert_int_equal(mv_fmt_of(x), MF_RATE);
			if (n > 5 && strcmp(key + n - 5, "_days") == 0)
				assert_int_equal(mv_fmt_of(x), MF_DAYS);
		}
	}
	const mval *rows = mv_path(root, "summary");
	assert_true(mv_len(rows) >= 9);
	for (size_t i = 0; i < mv_len(rows); i++) {
		const mval *row = mv_at(rows, i);
		char path[96];
		snprintf(path, sizeof path, "windows.1w.%s", mv_str_of(mv_get(row, "kpi")));
		const mval *a = mv_path(root, path), *b = mv_get(row, "this_week");
		assert_non_null(a);
		assert_int_equal(mv_fmt_of(a), mv_fmt_of(b));
		assert_int_equal(mv_is_null(a), mv_is_null(b));
		if (!mv_is_null(a))
			assert_true(mv_num_of(a) == mv_num_of(b));
	}
	mv_free(root);
	dataset_free(ds);
}

/* SQLs that were never MQLs: of the window's SQLs, the share whose lead has
 * no mql_at as of as_of (one at or after as_of is empty).
 * A -2 mql -1.5 sql -1; B -3 sql -2 (no mql); C -4 mql +1 (after as_of)
 * sql -1; D -20 sql -10 (no mql; 4w and 13w only).
 * 1w: SQLs A B C, never MQLs B C → 2/3; 4w: + D → 3/4. */
static void test_sql_without_mql(void **state)
{
	(void)state;
	dataset *ds = dataset_new();
	uint32_t a = mf_lead(ds, "A", "web", "x", MF_DAY(-2));
	mf_set(ds, a, LT_MQL, MF_DAY(-1.5));
	mf_set(ds, a, LT_SQL, MF_DAY(-1));
	uint32_t b = mf_lead(ds, "B", "web", "x", MF_DAY(-3));
	mf_set(ds, b, LT_SQL, MF_DAY(-2));
	uint32_t c = mf_lead(ds, "C", "web", "x", MF_DAY(-4));
	mf_set(ds, c, LT_MQL, MF_DAY(1));
	mf_set(ds, c, LT_SQL, MF_DAY(-1));
	uint32_t d = mf_lead(ds, "D", "web", "x", MF_DAY(-20));
	mf_set(ds, d, LT_SQL, MF_DAY(-10));
	ds->leads_have_mql = true;
	dataset_index(ds);
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	static const mf_expect ex[] = {
	    {"windows.1w.sql_without_mql_rate", 2.0 / 3},
	    {"windows.4w.sql_without_mql_rate", 3.0 / 4},
	    {"windows.13w.sql_without_mql_rate", 3.0 / 4},
	    {"qualification.sql_without_mql_rate", 3.0 / 4},
	};
	MF_CHECK(root, ex);
	mv_free(root);
	dataset_free(ds);
}

/* A tree of what qualification_table() reads: windows.13w's two rates and
 * MQL and SQL counts, and a sweep of (threshold, sql_rate, capture) rows. */
static mval *qual_tree_n(double accept, double never, int64_t mqls, int64_t sqls,
			 const double (*sweep)[3], size_t n)
{
	mval *root = mv_obj(), *windows = mv_obj(), *w = mv_obj(), *rows = mv_arr();
	mv_set(w, "mqls", mv_int(mqls + 7, MF_COUNT)); /* 7 not yet reviewed by sales */
	mv_set(w, "sales_pending", mv_int(7, MF_COUNT));
	mv_set(w, "sqls", mv_int(sqls, MF_COUNT));
	mv_set(w, "sales_acceptance_rate", isnan(accept) ? mv_null() : mv_num(accept, MF_RATE));
	mv_set(w, "sql_without_mql_rate", isnan(never) ? mv_null() : mv_num(never, MF_RATE));
	mv_set(windows, "13w", w);
	mv_set(root, "windows", windows);
	for (size_t i = 0; i < n; i++) {
		mval *r = mv_obj();
		mv_set(r, "threshold", mv_num(sweep[i][0], MF_SCORE));
		mv_set(r, "sql_rate", mv_num(sweep[i][1], MF_RATE));
		mv_set(r, "sql_capture_rate", mv_num(sweep[i][2], MF_RATE));
		mv_push(rows, r);
	}
	mv_set(root, "threshold_sweep", rows);
	return root;
}

/* Enough of both to judge either side (the default minimum is 30). */
static mval *qual_tree(double accept, double never, const double (*sweep)[3], size_t n)
{
	return qual_tree_n(accept, never, 200, 60, sweep, n);
}

/* Which way the threshold (60) errs, and the sweep's candidate. */
static void test_qualification(void **state)
{
	(void)state;
	static const double sweep[][3] = {
	    {50, 0.20, 0.97}, {55, 0.25, 0.95}, {60, 0.30, 0.90},
	    {65, 0.35, 0.88}, {70, 0.40, 0.86}, {75, 0.50, 0.60},
	};
	static const struct {
		double accept, never;
		const char *lean;
		double candidate; /* NAN: none */
	} cases[] = {
	    /* 40% rejected: 70 keeps 86% of the SQLs (within 5 of 90%), 75 not */
	    {0.60, 0.05, "loose", 70},
	    /* 25% of SQLs never MQLs: 55 gains 5 points of capture (95%), 50 more but lower */
	    {0.90, 0.25, "strict", 55},
	    {0.60, 0.25, "mixed", NAN},
	    {0.90, 0.05, "balanced", NAN},
	    {NAN, NAN, NULL, NAN},
	};
	score_model m;
	score_model_default(&m);
	m.threshold = 60;
	metrics_params p;
	mf_params(&p);
	p.model = &m;
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		mval *root = qual_tree(cases[k].accept, cases[k].never, sweep, 6);
		mval *q = qualification_table(root, &p, true);
		const mval *lean = mv_get(q, "lean");
		if (cases[k].lean)
			assert_string_equal(mv_str_of(lean), cases[k].lean);
		else
			assert_true(mv_is_null(lean));
		double c = mv_num_of(mv_get(q, "candidate_threshold"));
		if (isnan(cases[k].candidate))
			assert_true(isnan(c));
		else
			assert_true(c == cases[k].candidate);
		if (!isnan(cases[k].accept))
			assert_true(fabs(mv_num_of(mv_get(q, "rejected_share")) -
					 (1 - cases[k].accept)) < 1e-12);
		assert_true(cases[k].lean == NULL ||
			    mv_num_of(mv_get(q, "sql_capture_rate")) == 0.90);
		mv_free(q);
		mv_free(root);
	}
	/* too loose, but no higher threshold keeps the SQLs: no candidate */
	static const double steep[][3] = {{60, 0.30, 0.90}, {65, 0.35, 0.70}};
	mval *root = qual_tree(0.5, 0.0, steep, 2);
	mval *q = qualification_table(root, &p, true);
	assert_string_equal(mv_str_of(mv_get(q, "lean")), "loose");
	assert_true(mv_is_null(mv_get(q, "candidate_threshold")));
	mv_free(q);
	mv_free(root);
	/* a side is judged on at least low_sample_min MQLs reviewed (the pending
	 * do not count) or SQLs: 40% rejected and 25% never MQLs throughout */
	static const struct {
		int64_t mqls, sqls;
		const char *lean;
	} few[] = {
	    {29, 29, "too_few"},
	    {30, 29, "loose"},
	    {29, 30, "strict"},
	    {30, 30, "mixed"},
	};
	assert_int_equal(p.low_sample_min, 30);
	for (size_t k = 0; k < sizeof few / sizeof few[0]; k++) {
		root = qual_tree_n(0.60, 0.25, few[k].mqls, few[k].sqls, sweep, 6);
		q = qualification_table(root, &p, true);
		assert_string_equal(mv_str_of(mv_get(q, "lean")), few[k].lean);
		assert_int_equal(mv_int_of(mv_get(q, "reviewed_mqls_13w")), few[k].mqls);
		assert_int_equal(mv_bool_of(mv_get(q, "rejected_judged")), few[k].mqls >= 30);
		assert_int_equal(mv_bool_of(mv_get(q, "never_judged")), few[k].sqls >= 30);
		mv_free(q);
		mv_free(root);
	}
	/* no review data: the other side alone, and 10 SQLs are too few for it */
	root = qual_tree_n(NAN, 0.60, 200, 10, sweep, 6);
	q = qualification_table(root, &p, true);
	assert_string_equal(mv_str_of(mv_get(q, "lean")), "too_few");
	assert_false(mv_bool_of(mv_get(q, "rejected_judged")));
	mv_free(q);
	mv_free(root);
	/* few rejections judged on 200, 60% never MQLs on 10 SQLs: not judged, so
	 * no strict verdict, and the side judged is fine */
	root = qual_tree_n(0.95, 0.60, 200, 10, sweep, 6);
	q = qualification_table(root, &p, true);
	assert_string_equal(mv_str_of(mv_get(q, "lean")), "balanced");
	assert_true(mv_bool_of(mv_get(q, "rejected_judged")));
	assert_false(mv_bool_of(mv_get(q, "never_judged")));
	mv_free(q);
	mv_free(root);
	score_model_clear(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_slice_windows),
	    cmocka_unit_test(test_slice_by_channel),
	    cmocka_unit_test(test_slice_by_campaign),
	    cmocka_unit_test(test_campaign_key_and_low_sample),
	    cmocka_unit_test(test_key_order),
	    cmocka_unit_test(test_formats_and_summary),
	    cmocka_unit_test(test_sql_without_mql),
	    cmocka_unit_test(test_qualification),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
