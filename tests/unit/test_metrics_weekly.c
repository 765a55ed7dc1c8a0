/* The extensions for the workbook and the e-mail (metrics/weekly.h,
 * drilldown.h, pipeline.h) on hand-made data: the week-by-week KPIs, the
 * movements against the 13 weeks' variation, the leads behind the week's
 * counts and the pipeline created this week. */
#include "metrics_fixture.h"

#include "weekly.h"

/* Week 13 (the report week, days −7..0) and week 12 (−14..−7):
 *   A: created −10, MQL −9 (last week), SQL −3 (this week), won −1 for 5000
 *   B: created −6, MQL −5, in paid_search
 *   C: created −2, MQL −1.5, SQL −1
 *   D: created −80 (week 1, days −84..−77), no outcome; its opportunity is created −2, open */
static dataset *week_fixture(void)
{
	dataset *ds = dataset_new();
	uint32_t a = mf_lead(ds, "A", "webinar", "w1", MF_DAY(-10));
	mf_set(ds, a, LT_MQL, MF_DAY(-9));
	mf_set(ds, a, LT_SQL, MF_DAY(-3));
	mf_set(ds, a, LT_WON, MF_DAY(-1));
	ds->leads[a].amount = 5000;
	uint32_t b = mf_lead(ds, "B", "paid_search", "brand", MF_DAY(-6));
	mf_set(ds, b, LT_MQL, MF_DAY(-5));
	uint32_t c = mf_lead(ds, "C", "webinar", "w1", MF_DAY(-2));
	mf_set(ds, c, LT_MQL, MF_DAY(-1.5));
	mf_set(ds, c, LT_SQL, MF_DAY(-1));
	mf_lead(ds, "D", "email", "news", MF_DAY(-80));
	mf_spend(ds, MF_DAY(-3), "paid_search", "brand", 300);
	mf_spend(ds, MF_DAY(-10), "paid_search", "brand", 100);
	dataset_index(ds);
	return ds;
}

static const mf_expect week_expect[] = {
    {"kpi_trend.12.leads", 2},
    {"kpi_trend.12.mqls", 2},
    {"kpi_trend.12.sqls", 2},
    {"kpi_trend.12.wins", 1},
    {"kpi_trend.12.revenue", 5000},
    {"kpi_trend.12.spend", 300},
    {"kpi_trend.12.cost_per_mql", 150},
    {"kpi_trend.12.mql_to_sql_rate", 0.5},
    {"kpi_trend.11.leads", 1},
    {"kpi_trend.11.mqls", 1},
    {"kpi_trend.11.mql_to_sql_rate", 1},
    {"kpi_trend.1.leads", 1},
    {"kpi_trend.1.mqls", 0},
    {"kpi_trend.1.before_data", 0},
    /* week 0 holds nothing (D comes in week 1): it lies before the data,
     * its figures null rather than zeros */
    {"kpi_trend.0.before_data", 1},
    {"kpi_trend.0.mqls", MF_NULL},
    {"kpi_trend.0.leads", MF_NULL},
    {"kpi_trend.0.spend", MF_NULL},
    {"kpi_trend.0.mql_to_sql_rate", MF_NULL},
    /* mqls: now 2, last 1 → +100%; mean of weeks 1 to 12: ten zeros, 1, 2 = 3/12 */
    {"what_changed.1.change", 1},
    {"what_changed.1.mean_13w", 3.0 / 12},
    {"what_changed.1.mean_weeks", 12},
    /* the rate: 50% against 100% → −50 points */
    {"what_changed.8.change", -50},
    /* leads: weeks 1, 11, 12 have 1, 1, 2 */
    {"what_changed.0.this_week", 2},
    {"what_changed.0.last_week", 1},
    /* the moves of mqls from week 1: nine of 0, then +1 and +1: root mean
     * square √(2/11), this week's +1 is √(11/2) times it */
    {"what_changed.1.move_ratio", 2.345207879911715},
    /* of leads from week 1: −1, eight of 0, +1, +1: √(3/11), this week's +1
     * is √(11/3) */
    {"what_changed.0.move_ratio", 1.9148542155126762},
    /* of the rate: one move (weeks 11 and 12 only have MQLs): too few */
    {"what_changed.8.move_ratio", MF_NULL},
};

static void test_weekly(void **state)
{
	(void)state;
	dataset *ds = week_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	MF_CHECK(root, week_expect);
	const mval *rate = mv_path(root, "what_changed.8");
	assert_string_equal(mv_str_of(mv_get(rate, "kpi")), "mql_to_sql_rate");
	assert_string_equal(mv_str_of(mv_get(rate, "change_unit")), "pp");
	assert_string_equal(mv_str_of(mv_path(root, "what_changed.1.change_unit")), "%");
	/* the last row of the series is the report week's window */
	for (const char *const *k = weekly_kpis; *k; k++) {
		const mval *x = mv_get(mv_path(root, "windows.1w"), *k);
		const mval *y = mv_get(mv_path(root, "kpi_trend.12"), *k);
		assert_true(mv_is_null(x) == mv_is_null(y));
		if (!mv_is_null(x))
			assert_true(mv_num_of(x) == mv_num_of(y));
	}
	mv_free(root);
	dataset_free(ds);
}

/* The first week of data: the week before lies before the exports begin,
 * so its figures are unknown rather than zeros, in summary (the PDF's tiles
 * and the e-mail) as in kpi_trend and what_changed (the workbook). */
static const mf_expect first_week_expect[] = {
    {"kpi_trend.11.before_data", 1},	   {"kpi_trend.11.leads", MF_NULL},
    {"what_changed.0.last_week", MF_NULL}, {"summary.0.this_week", 1},
    {"summary.0.last_week", MF_NULL},	   {"summary.0.change", MF_NULL},
    {"summary.1.last_week", MF_NULL},	   {"summary.5.last_week", MF_NULL},
};

static void test_first_week(void **state)
{
	(void)state;
	dataset *ds = dataset_new();
	uint32_t a = mf_lead(ds, "A", "webinar", "w1", MF_DAY(-2));
	mf_set(ds, a, LT_MQL, MF_DAY(-1));
	mf_spend(ds, MF_DAY(-3), "paid_search", "brand", 300);
	dataset_index(ds);
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	MF_CHECK(root, first_week_expect);
	assert_string_equal(mv_str_of(mv_path(root, "summary.0.kpi")), "leads");
	assert_string_equal(mv_str_of(mv_path(root, "summary.5.kpi")), "spend");
	mv_free(root);
	dataset_free(ds);
}

/* A week of data before the report week: summary's last_week is that
 * week's, as kpi_trend's row before the last. */
static void test_last_week_known(void **state)
{
	(void)state;
	dataset *ds = week_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	for (size_t i = 0; i < mv_len(mv_get(root, "summary")); i++) {
		const mval *row = mv_at(mv_get(root, "summary"), i);
		const mval *y =
		    mv_get(mv_path(root, "kpi_trend.11"), mv_str_of(mv_get(row, "kpi")));
		if (!y)
			continue; /* a KPI of the summary that has no tile */
		const mval *x = mv_get(row, "last_week");
		assert_true(mv_is_null(x) == mv_is_null(y));
		if (!mv_is_null(x))
			assert_true(mv_num_of(x) == mv_num_of(y));
	}
	assert_true(mv_num_of(mv_path(root, "summary.0.last_week")) == 1);
	mv_free(root);
	dataset_free(ds);
}

/* The row of kpi in the rows at path. */
static const mval *kpi_row(const mval *root, const char *path, const char *kpi)
{
	const mval *rows = mv_path(root, path);
	for (size_t i = 0; i < mv_len(rows); i++)
		if (strcmp(mv_str_of(mv_get(mv_at(rows, i), "kpi")), kpi) == 0)
			return mv_at(rows, i);
	fail_msg("no %s row in %s", kpi, path);
	return NULL;
}

/* The cases behind this week's value: the MQL → SQL rate over B and C (2),
 * the median time to SQL over C alone (1), none for a count; flagged below
 * low_sample_min, in summary and what_changed alike. */
static void test_weekly_samples(void **state)
{
	(void)state;
	dataset *ds = week_fixture();
	metrics_params p;
	mf_params(&p);
	for (int min = 2; min <= 30; min += 28) {
		p.low_sample_min = min;
		mval *root = metrics_compute(ds, &p);
		assert_int_equal(mv_int_of(mv_path(root, "windows.1w.mql_to_sql_rate_n")), 2);
		assert_int_equal(mv_int_of(mv_path(root, "windows.1w.time_to_sql_days_median_n")),
				 1);
		assert_int_equal(mv_int_of(mv_path(root, "windows.1w.lead_to_mql_rate_n")), 2);
		assert_int_equal(mv_int_of(mv_path(root, "windows.4w.mql_to_sql_rate_n")), 3);
		for (int part = 0; part < 2; part++) {
			const char *path = part ? "what_changed" : "summary";
			const mval *rate = kpi_row(root, path, "mql_to_sql_rate");
			assert_int_equal(mv_int_of(mv_get(rate, "n")), 2);
			assert_int_equal(mv_bool_of(mv_get(rate, "low_sample")), min > 2);
			const mval *tts = kpi_row(root, path, "time_to_sql_days_median");
			assert_int_equal(mv_int_of(mv_get(tts, "n")), 1);
			assert_true(mv_bool_of(mv_get(tts, "low_sample")));
			const mval *mqls = kpi_row(root, path, "mqls");
			assert_true(mv_is_null(mv_get(mqls, "n")));
			assert_false(mv_bool_of(mv_get(mqls, "low_sample")));
		}
		mv_free(root);
	}
	dataset_free(ds);
}

static void test_drilldown(void **state)
{
	(void)state;
	dataset *ds = week_fixture();
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	const mval *d = mv_get(root, "drilldown");
	assert_int_equal(mv_len(mv_get(d, "mqls")), 2);
	assert_int_equal(mv_len(mv_get(d, "sqls")), 2);
	assert_int_equal(mv_len(mv_get(d, "wins")), 1);
	assert_int_equal(mv_kind_of(mv_get(d, "mqls")), MV_ROWS); /* kept outside the tree */
	/* ordered by the moment: B (MQL −5) before C (−1.5); A's SQL (−3) before C's (−1) */
	mval *mql0 = mf_take_row(root, "drilldown.mqls", 0);
	mval *mql1 = mf_take_row(root, "drilldown.mqls", 1);
	mval *sql0 = mf_take_row(root, "drilldown.sqls", 0);
	mval *win0 = mf_take_row(root, "drilldown.wins", 0);
	assert_string_equal(mv_str_of(mv_get(mql0, "lead_id")), "B");
	assert_string_equal(mv_str_of(mv_get(mql1, "lead_id")), "C");
	assert_string_equal(mv_str_of(mv_get(sql0, "lead_id")), "A");
	assert_true(mv_num_of(mv_get(win0, "won_amount")) == 5000);
	assert_int_equal(mv_fmt_of(mv_get(win0, "won_amount")), MF_MONEY);
	assert_true(mv_is_null(mv_get(mql0, "won_amount")));
	assert_true(mv_time_of(mv_get(mql1, "mql_at")) == MF_DAY(-1.5));
	assert_string_equal(mv_str_of(mv_get(mql0, "channel")), "paid_search");
	assert_true(mv_time_of(mv_get(win0, "won_at")) == MF_DAY(-1));
	assert_true(mv_is_null(mv_get(mql0, "won_at")));
	assert_int_equal(mv_len(mql0), 15); /* every column, in the documented order */
	assert_string_equal(mv_key(mql0, 0), "lead_id");
	assert_string_equal(mv_key(mql0, 13), "won_at");
	assert_string_equal(mv_key(mql0, 14), "won_amount");
	mv_free(mql0);
	mv_free(mql1);
	mv_free(sql0);
	mv_free(win0);
	assert_null(mv_get(root, "pipeline")); /* no opportunities source */
	mv_free(root);
	dataset_free(ds);
}

static void test_pipeline(void **state)
{
	(void)state;
	dataset *ds = week_fixture();
	mf_opp(ds, "O1", 3, MF_DAY(-2), TS_NONE, 12000, -1, -1, "proposal");
	mf_opp(ds, "O2", 0, MF_DAY(-4), MF_DAY(-1), 5000, 1, 1, "closed_won");
	mf_opp(ds, "O3", 1, MF_DAY(-20), TS_NONE, 999, -1, -1, "proposal"); /* an older week */
	dataset_index(ds);
	metrics_params p;
	mf_params(&p);
	mval *root = metrics_compute(ds, &p);
	static const mf_expect want[] = {
	    {"pipeline.opportunities_created", 2}, {"pipeline.opportunities_value", 17000},
	    {"pipeline.open_opportunities", 1},	   {"pipeline.open_value", 12000},
	    {"pipeline.won_opportunities", 1},	   {"pipeline.won_value", 5000},
	    {"pipeline.lost_opportunities", 0},	   {"pipeline.by_channel.0.open_value", 12000},
	};
	MF_CHECK(root, want);
	assert_string_equal(mv_str_of(mv_path(root, "pipeline.by_channel.0.channel")), "email");
	mv_free(root);
	dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_weekly),     cmocka_unit_test(test_weekly_samples),
	    cmocka_unit_test(test_first_week), cmocka_unit_test(test_last_week_known),
	    cmocka_unit_test(test_drilldown),  cmocka_unit_test(test_pipeline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
