/* Time, deals, speed to lead, cohorts, trend, summary and engagement on one
 * hand-made fixture, and zero denominators on an empty one. */
#include "metrics_fixture.h"

#define H(h) ((ts_ms)(h)*3600000LL)

/* Days relative to as_of; the 4w window is [-28, 0), the 1w window [-7, 0).
 *
 * lead created mql  sql  won        lost  contact (first_contact_at / sales_touch)
 * M1   -20     -18  -16  -10 (100)        fc mql+3min; touches mql+1h, -17, -16, -15, -14
 * M2   -15     -15  -11             -5    fc mql-2d (ignored); touches mql-1d (ignored), mql+2h
 * M3   -12     -10                        none
 * M4   -9      -8   -2   -1 (300)         fc mql+30h
 * M5   -5      -6   -7                    none  (created→mql and mql→sql negative)
 * M6   -26     -24                        fc mql+5min exactly
 * spend: -3: 600.
 * Other events: M3 content_download -11 and -10.5; M4 content_download -3 and
 * +1 (after as_of: ignored); M5 premium_content_download -2; M6
 * webinar_registered -30; M1 podcast_listen (an unknown type) -4. */
static dataset *time_fixture(void)
{
	dataset *ds = dataset_new();
	uint32_t m1 = mf_lead(ds, "M1", "web", "c1", MF_DAY(-20));
	mf_set(ds, m1, LT_MQL, MF_DAY(-18));
	mf_set(ds, m1, LT_SQL, MF_DAY(-16));
	mf_set(ds, m1, LT_WON, MF_DAY(-10));
	ds->leads[m1].amount = 100;
	mf_set(ds, m1, LT_FIRST_CONTACT, MF_DAY(-18) + MF_MIN(3));
	mf_event(ds, m1, MF_DAY(-18) + H(1), "sales_touch", "sales", "s");
	mf_event(ds, m1, MF_DAY(-17), "sales_touch", "sales", "s");
	mf_event(ds, m1, MF_DAY(-16), "sales_touch", "sales", "s");
	mf_event(ds, m1, MF_DAY(-15), "sales_touch", "sales", "s");
	mf_event(ds, m1, MF_DAY(-14), "sales_touch", "sales", "s");
	mf_event(ds, m1, MF_DAY(-4), "podcast_listen", "web", "c1");

	uint32_t m2 = mf_lead(ds, "M2", "web", "c1", MF_DAY(-15));
	mf_set(ds, m2, LT_MQL, MF_DAY(-15));
	mf_set(ds, m2, LT_SQL, MF_DAY(-11));
	mf_set(ds, m2, LT_LOST, MF_DAY(-5));
	mf_set(ds, m2, LT_FIRST_CONTACT, MF_DAY(-17));
	mf_event(ds, m2, MF_DAY(-16), "sales_touch", "sales", "s");
	mf_event(ds, m2, MF_DAY(-15) + H(2), "sales_touch", "sales", "s");

	uint32_t m3 = mf_lead(ds, "M3", "web", "c1", MF_DAY(-12));
	mf_set(ds, m3, LT_MQL, MF_DAY(-10));
	mf_event(ds, m3, MF_DAY(-11), "content_download", "web", "c1");
	mf_event(ds, m3, MF_DAY(-10.5), "content_download", "web", "c1");

	uint32_t m4 = mf_lead(ds, "M4", "web", "c1", MF_DAY(-9));
	mf_set(ds, m4, LT_MQL, MF_DAY(-8));
	mf_set(ds, m4, LT_SQL, MF_DAY(-2));
	mf_set(ds, m4, LT_WON, MF_DAY(-1));
	ds->leads[m4].amount = 300;
	mf_set(ds, m4, LT_FIRST_CONTACT, MF_DAY(-8) + H(30));
	mf_event(ds, m4, MF_DAY(-3), "content_download", "web", "c1");
	mf_event(ds, m4, MF_DAY(1), "content_download", "web", "c1");

	uint32_t m5 = mf_lead(ds, "M5", "web", "c1", MF_DAY(-5));
	mf_set(ds, m5, LT_MQL, MF_DAY(-6));
	mf_set(ds, m5, LT_SQL, MF_DAY(-7));
	mf_event(ds, m5, MF_DAY(-2), "premium_content_download", "web", "c1");

	uint32_t m6 = mf_lead(ds, "M6", "web", "c1", MF_DAY(-26));
	mf_set(ds, m6, LT_MQL, MF_DAY(-24));
	mf_set(ds, m6, LT_FIRST_CONTACT, MF_DAY(-24) + MF_MIN(5));
	mf_event(ds, m6, MF_DAY(-30), "webinar_registered", "web", "c1");

	mf_spend(ds, MF_DAY(-3), "web", "c1", 600);
	ds->leads_have_mql = true;
	dataset_index(ds);
	return ds;
}

/* C(4w) = M1..M6 (6). leads created in 4w: 6, all with mql_at → 6/6.
 * time_to_mql {2, 0, 2, 1, (M5 -1 left out), 2} → sorted 0 1 2 2 2 → 2.
 * time_to_sql over the converted, M5's negative left out: {2, 4, 6} → median 4,
 *   p90 h = 1.8 → 4 + .8·2 = 5.6.
 * Kaplan–Meier: events 2 4 6, censored M3 at 10 and M6 at 24 (M5 left out):
 *   t=2 n=5 → .8; t=4 n=4 → .6; t=6 n=3 → .4 → 6.
 * mql_to_sql 4/6 (M1 M2 M4 M5: M5 still counts in rates); close 2/3 (M1 M4
 * won, M2 lost); mql_to_win 2/6; time_to_win {8, 7} → 7.5.
 * wins in 4w: M1 (100) M4 (300): revenue 400, spend 600, cac 300,
 * roi (400 - 600)/600 = -1/3; deal mean 200, median 200; clv 200·.8·3 = 480;
 * clv_to_cac 480/300 = 1.6. mqls_per_week 6/4 = 1.5.
 * Speed: M1 3 min (fc beats the 1h touch), M2 120 min (earlier contacts
 * ignored), M4 1800 min, M6 5 min → {3, 5, 120, 1800} → median 62.5;
 * within 5m: M1 M6 (300 s counts) → 2/6; within 24h: M1 M2 M6 → 3/6
 * (M4's 30 h is over); uncontacted M3 M5 = 2.
 * Follow-up: mql + 14 d <= as_of for M1 (-18), M2 (-15), M6 (-24) only;
 * M1 has 5 touches in [mql, mql + 14 d], M2 1, M6 0 → 1/3. */
static const mf_expect time_4w[] = {
    {"windows.4w.leads", 6},
    {"windows.4w.mqls", 6},
    {"windows.4w.mqls_per_week", 1.5},
    {"windows.4w.lead_to_mql_rate", 1},
    {"windows.4w.time_to_mql_days_median", 2},
    {"windows.4w.time_to_sql_days_median", 4},
    {"windows.4w.time_to_sql_days_p90", 5.6},
    {"windows.4w.time_to_sql_days_km_median", 6},
    {"windows.4w.time_to_win_days_median", 7.5},
    {"windows.4w.mql_to_sql_rate", 4.0 / 6},
    {"windows.4w.close_rate", 2.0 / 3},
    {"windows.4w.mql_to_win_rate", 2.0 / 6},
    {"windows.4w.mql_to_win_rate_ci_low", 0.0967714},
    {"windows.4w.mql_to_win_rate_ci_high", 0.7000067},
    {"windows.4w.revenue", 400},
    {"windows.4w.spend", 600},
    {"windows.4w.cost_per_lead", 100},
    {"windows.4w.cost_per_mql", 100},
    {"windows.4w.cac", 300},
    {"windows.4w.roi", -1.0 / 3},
    {"windows.4w.deal_size_mean", 200},
    {"windows.4w.deal_size_median", 200},
    {"windows.4w.clv", 480},
    {"windows.4w.clv_to_cac", 1.6},
    {"windows.4w.speed_to_lead_minutes_median", 62.5},
    {"windows.4w.contacted_within_5m_rate", 2.0 / 6},
    {"windows.4w.contacted_within_24h_rate", 0.5},
    {"windows.4w.uncontacted", 2},
    {"windows.4w.follow_up_5plus_rate", 1.0 / 3},
    {"windows.4w.follow_up_5plus_rate_ci_low", 0.0614919},
    {"windows.4w.follow_up_5plus_rate_ci_high", 0.7923404},
    /* data quality: M5's created→mql and mql→sql */
    {"data_quality.negative_durations", 2},
    {"data_quality.negative_durations_by_kind.created_to_mql", 1},
    {"data_quality.negative_durations_by_kind.mql_to_sql", 1},
    {"data_quality.negative_durations_by_kind.mql_to_won", 0},
    {"data_quality.unknown_event_types", 1},
    {"data_quality.unknown_event_types_by_type.podcast_listen", 1},
    {"data_quality.orphaned_events", 0},
};

/* Cohorts: week i = [-(13-i)·7, -(12-i)·7); a rate is defined once
 * i + 1 + N <= 13.
 * week 9  (M6, mql -24): 1w, 2w mature: no SQL → 0; 4w, 8w null.
 * week 10 (M1 -18, M2 -15): SQL after 2 and 4 days → 1w 2/2, 2w 2/2; 4w null.
 * week 11 (M3 -10, M4 -8): M4 after 6 days → 1w 1/2; 2w null.
 * week 12 (M5 -6): 1w null (not yet matured), even though M5 has an SQL.
 * week 0: no MQLs → every rate null, although it is mature. */
static const mf_expect cohorts[] = {
    {"cohorts.0.mqls", 0},
    {"cohorts.0.sql_rate_1w", MF_NULL},
    {"cohorts.0.sql_rate_8w", MF_NULL},
    {"cohorts.9.mqls", 1},
    {"cohorts.9.sql_rate_1w", 0},
    {"cohorts.9.sql_rate_1w_ci_low", 0},
    {"cohorts.9.sql_rate_1w_ci_high", 0.7934506856},
    {"cohorts.9.sql_rate_2w", 0},
    {"cohorts.9.sql_rate_4w", MF_NULL},
    {"cohorts.9.sql_rate_4w_ci_low", MF_NULL},
    {"cohorts.9.sql_rate_8w", MF_NULL},
    {"cohorts.10.mqls", 2},
    {"cohorts.10.sql_rate_1w", 1},
    {"cohorts.10.sql_rate_2w", 1},
    {"cohorts.10.sql_rate_4w", MF_NULL},
    {"cohorts.11.mqls", 2},
    {"cohorts.11.sql_rate_1w", 0.5},
    {"cohorts.11.sql_rate_2w", MF_NULL},
    {"cohorts.12.mqls", 1},
    {"cohorts.12.sql_rate_1w", MF_NULL},
};

/* Trend, week i = [-(13-i)·7, -(12-i)·7):
 * week 12: leads M5 = 1; mqls M5 = 1; sqls M4 (-2), M5 (-7) = 2; wins M4 = 1,
 *          revenue 300; spend 600; cost_per_mql 600.
 * week 11: leads M3 M4 = 2; mqls M3 M4 = 2; sqls M2 (-11) = 1; wins M1 (-10),
 *          revenue 100; spend 0; cost_per_mql 0 / 2 = 0.
 * week 10: leads M1 M2, mqls M1 M2, sqls M1 (-16) = 1.
 * week 9:  leads M6, mqls M6. week 0: all 0, cost_per_mql null. */
static const mf_expect trend[] = {
    {"trend.12.leads", 1},
    {"trend.12.mqls", 1},
    {"trend.12.sqls", 2},
    {"trend.12.wins", 1},
    {"trend.12.revenue", 300},
    {"trend.12.spend", 600},
    {"trend.12.cost_per_mql", 600},
    {"trend.11.leads", 2},
    {"trend.11.mqls", 2},
    {"trend.11.sqls", 1},
    {"trend.11.wins", 1},
    {"trend.11.revenue", 100},
    {"trend.11.spend", 0},
    {"trend.11.cost_per_mql", 0},
    {"trend.10.leads", 2},
    {"trend.10.mqls", 2},
    {"trend.10.sqls", 1},
    {"trend.9.leads", 1},
    {"trend.9.mqls", 1},
    {"trend.0.leads", 0},
    {"trend.0.revenue", 0},
    {"trend.0.cost_per_mql", MF_NULL},
};

/* Summary rows, in order (kpi, this = 1w, last = week 11 as of as_of):
 * 0 leads 1 vs 2 → -0.5; 1 mqls 1 vs 2 → -0.5; 2 sqls 2 vs 1 → +1;
 * 3 wins 1 vs 1 → 0; 4 revenue 300 vs 100 → +2; 5 spend 600 vs 0 → null;
 * 7 cost_per_mql 600 vs 0 → null; 11 mql_to_sql_rate: 1w C = {M5} → 1/1,
 * last week C = {M3, M4} → 1/2 → a rate moves in points: +50 pp. */
static const mf_expect summary[] = {
    {"summary.0.this_week", 1},	   {"summary.0.last_week", 2},	  {"summary.0.change", -0.5},
    {"summary.1.change", -0.5},	   {"summary.2.this_week", 2},	  {"summary.2.last_week", 1},
    {"summary.2.change", 1},	   {"summary.3.change", 0},	  {"summary.4.this_week", 300},
    {"summary.4.last_week", 100},  {"summary.4.change", 2},	  {"summary.5.this_week", 600},
    {"summary.5.last_week", 0},	   {"summary.5.change", MF_NULL}, {"summary.7.this_week", 600},
    {"summary.7.last_week", 0},	   {"summary.7.change", MF_NULL}, {"summary.11.this_week", 1},
    {"summary.11.last_week", 0.5}, {"summary.11.change", 50},
};

static void test_time_speed_deals(void **state)
{
	(void)state;
	dataset *ds = time_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	MF_CHECK(root, time_4w);
	MF_CHECK(root, cohorts);
	/* a cohort of 1 to 29 MQLs rests on few; an empty one on none */
	assert_false(mv_bool_of(mv_path(root, "cohorts.0.low_sample")));
	assert_true(mv_bool_of(mv_path(root, "cohorts.9.low_sample")));
	MF_CHECK(root, trend);
	assert_string_equal(mv_str_of(mv_path(root, "trend.12.week")), "2026-W47");
	assert_string_equal(mv_str_of(mv_path(root, "cohorts.0.week")), "2026-W35");
	MF_CHECK(root, summary);
	assert_string_equal(mv_str_of(mv_path(root, "summary.0.kpi")), "leads");
	assert_string_equal(mv_str_of(mv_path(root, "summary.11.kpi")), "mql_to_sql_rate");
	assert_int_equal(mv_fmt_of(mv_path(root, "summary.4.this_week")), MF_MONEY);
	assert_int_equal(mv_fmt_of(mv_path(root, "summary.11.last_week")), MF_RATE);
	assert_int_equal(mv_fmt_of(mv_path(root, "summary.0.change")), MF_CHANGE);
	assert_string_equal(mv_str_of(mv_path(root, "summary.0.change_unit")), "%");
	assert_string_equal(mv_str_of(mv_path(root, "summary.11.change_unit")), "pp");
	mv_free(root);
	dataset_free(ds);
}

/* Engagement (existing leads, events before as_of):
 * 1w:  content_download M4 -3 (1 event, 1 lead, mql_rate 1/1),
 *      podcast_listen M1 -4 (1, 1), premium_content_download M5 -2 (1, 1, 1/1);
 *      equal counts → by name.
 * 4w:  sales_touch M1 ×5 + M2 ×2 = 7 events, 2 leads; content_download M3 ×2 +
 *      M4 ×1 = 3 events, 2 leads, mql_rate 2/2; podcast_listen 1; premium 1.
 * 13w: the same plus webinar_registered M6 -30 (1, 1). */
static const struct {
	const char *window;
	const char *type[5];
	int64_t events[5], leads[5];
	double mql_rate[5];
	size_t n;
} engagement[] = {
    {"1w",
     {"content_download", "podcast_listen", "premium_content_download"},
     {1, 1, 1},
     {1, 1, 1},
     {1, NAN, 1},
     3},
    {"4w",
     {"sales_touch", "content_download", "podcast_listen", "premium_content_download"},
     {7, 3, 1, 1},
     {2, 2, 1, 1},
     {NAN, 1, NAN, 1},
     4},
    {"13w",
     {"sales_touch", "content_download", "podcast_listen", "premium_content_download",
      "webinar_registered"},
     {7, 3, 1, 1, 1},
     {2, 2, 1, 1, 1},
     {NAN, 1, NAN, 1, NAN},
     5},
};

static void test_engagement(void **state)
{
	(void)state;
	dataset *ds = time_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	for (size_t k = 0; k < sizeof engagement / sizeof engagement[0]; k++) {
		char path[32];
		snprintf(path, sizeof path, "engagement.%s", engagement[k].window);
		const mval *rows = mv_path(root, path);
		assert_int_equal(mv_len(rows), engagement[k].n);
		for (size_t i = 0; i < engagement[k].n; i++) {
			const mval *row = mv_at(rows, i);
			assert_string_equal(mv_str_of(mv_get(row, "type")), engagement[k].type[i]);
			assert_int_equal(mv_int_of(mv_get(row, "events")), engagement[k].events[i]);
			assert_int_equal(mv_int_of(mv_get(row, "unique_leads")),
					 engagement[k].leads[i]);
			if (isnan(engagement[k].mql_rate[i]))
				assert_null(mv_get(row, "mql_rate")); /* only for downloads */
			else
				assert_true(fabs(mv_num_of(mv_get(row, "mql_rate")) -
						 engagement[k].mql_rate[i]) < 1e-12);
		}
	}
	mv_free(root);
	dataset_free(ds);
}

/* Nothing at all, then spend without leads: every rate and every ratio with a
 * zero denominator is null (never 0 or NaN); counts and sums are 0. */
static const mf_expect empty[] = {
    {"windows.13w.leads", 0},
    {"windows.13w.mqls", 0},
    {"windows.13w.revenue", 0},
    {"windows.13w.mqls_per_week", 0},
    {"windows.13w.cost_per_lead", MF_NULL},
    {"windows.13w.cost_per_mql", MF_NULL},
    {"windows.13w.cac", MF_NULL},
    {"windows.13w.roi", MF_NULL},
    {"windows.13w.lead_to_mql_rate", MF_NULL},
    {"windows.13w.lead_to_mql_rate_ci_low", MF_NULL},
    {"windows.13w.mql_to_sql_rate", MF_NULL},
    {"windows.13w.sales_acceptance_rate", MF_NULL},
    {"windows.13w.sales_pending", 0},
    {"windows.13w.close_rate", MF_NULL},
    {"windows.13w.mql_to_win_rate", MF_NULL},
    {"windows.13w.time_to_mql_days_median", MF_NULL},
    {"windows.13w.time_to_sql_days_median", MF_NULL},
    {"windows.13w.time_to_sql_days_p90", MF_NULL},
    {"windows.13w.time_to_sql_days_km_median", MF_NULL},
    {"windows.13w.time_to_win_days_median", MF_NULL},
    {"windows.13w.deal_size_mean", MF_NULL},
    {"windows.13w.deal_size_median", MF_NULL},
    {"windows.13w.clv", MF_NULL},
    {"windows.13w.clv_to_cac", MF_NULL},
    {"windows.13w.speed_to_lead_minutes_median", MF_NULL},
    {"windows.13w.contacted_within_5m_rate", MF_NULL},
    {"windows.13w.uncontacted", 0},
    {"windows.13w.follow_up_5plus_rate", MF_NULL},
    {"summary.0.change", MF_NULL},
};

static const mf_expect spend_only[] = {
    {"windows.1w.spend", 50},
    {"windows.1w.cost_per_lead", MF_NULL},
    {"windows.1w.cost_per_mql", MF_NULL},
    {"windows.1w.cac", MF_NULL},
    {"windows.1w.roi", -1}, /* (0 - 50) / 50 */
    {"by_channel.1w.0.spend", 50},
    {"by_channel.1w.0.leads", 0},
    {"by_channel.1w.0.cost_per_lead", MF_NULL},
    {"by_channel.1w.0.mql_to_sql_rate", MF_NULL},
    {"by_channel.1w.0.close_rate", MF_NULL},
    {"by_channel.1w.0.roi", -1},
    {"by_channel.1w.0.low_sample", 1},
};

static void test_zero_denominators(void **state)
{
	(void)state;
	dataset *ds = dataset_new();
	dataset_index(ds);
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	MF_CHECK(root, empty);
	assert_int_equal(mv_len(mv_path(root, "by_channel.13w")), 0);
	assert_int_equal(mv_len(mv_path(root, "engagement.13w")), 0);
	assert_int_equal(mv_len(mv_path(root, "trend")), 13);
	assert_int_equal(mv_len(mv_path(root, "cohorts")), 13);
	mv_free(root);

	mf_spend(ds, MF_DAY(-1), "display", "banner", 50);
	dataset_index(ds);
	root = metrics_compute(ds, &p);
	MF_CHECK(root, spend_only);
	assert_int_equal(mv_len(mv_path(root, "by_channel.1w")), 1);
	mv_free(root);
	dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_time_speed_deals),
	    cmocka_unit_test(test_engagement),
	    cmocka_unit_test(test_zero_denominators),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
