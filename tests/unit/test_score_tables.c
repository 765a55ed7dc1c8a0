/* test_score_tables.c — the lifecycle stages (SPEC §4) and the calibration
 * tables (SPEC §6) over hand-built views, each expected value worked out in
 * the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "calibration.h"
#include "lifecycle.h"
#include "score_fixture.h"

#define EPS 1e-9

/* A view whose fields the test sets by hand (no view_new: the view's
 * effective fields are the metrics stage's job, tested there). */
typedef struct fx_view {
	view v;
	metrics_params p;
	dataset *ds;
} fx_view;

static void fxv_init(fx_view *f, dataset *ds)
{
	memset(f, 0, sizeof *f);
	f->ds = ds;
	f->p.as_of = FX_AS_OF;
	f->p.week_start[0] = FX_13W;
	f->p.week_start[TREND_WEEKS] = FX_AS_OF;
	f->v.ds = ds;
	f->v.p = &f->p;
	f->v.as_of = FX_AS_OF;
	f->v.own_score = xcalloc(ds->nleads, sizeof *f->v.own_score);
	f->v.score = f->v.own_score;
	/* the leads' own fields as of FX_AS_OF (lv_get), the scores below */
	for (size_t i = 0; i < ds->nleads; i++)
		f->v.own_score[i].mql_at = TS_NONE;
}

static void fxv_free(fx_view *f)
{
	free(f->v.own_score);
	dataset_free(f->ds);
}

/* ---- lifecycle ---- */

typedef struct lc_case {
	const char *name;
	double created;		    /* day; as_of is day 21 */
	double won, lost, sql, mql; /* day, or -1 for empty */
	struct {
		double day;
		const char *type;
	} ev[3];
	int stage; /* enum lc_stage, -1: does not exist */
} lc_case;

static const lc_case lc_cases[] = {
    {"won beats everything", 0, 9, 8, 5, 2, {{10, "demo_request"}}, LC_CUSTOMER},
    {"lost beats sql", 0, -1, 8, 5, 2, {{0, NULL}}, LC_LOST},
    {"sql beats hot", 0, -1, -1, 5, 2, {{20, "demo_request"}}, LC_SQL},
    /* as_of − 14 days = day 7: a demo on day 10 is within */
    {"hot: demo in the last 14 days", 0, -1, -1, -1, 2, {{10, "demo_request"}}, LC_HOT},
    {"hot: pricing exactly 14 days before", 0, -1, -1, -1, 2, {{7, "pricing_page_visit"}}, LC_HOT},
    {"mql: pricing 14 days and a bit before",
     0,
     -1,
     -1,
     -1,
     2,
     {{6.99, "pricing_page_visit"}},
     LC_MQL},
    {"mql: a demo at as_of has not happened", 0, -1, -1, -1, 2, {{21, "demo_request"}}, LC_MQL},
    {"mql: other recent events are not intent",
     0,
     -1,
     -1,
     -1,
     2,
     {{20, "content_download"}},
     LC_MQL},
    {"mql beats pql", 0, -1, -1, -1, 2, {{3, "product_signup"}}, LC_MQL},
    {"pql: product sign-up", 0, -1, -1, -1, -1, {{3, "product_signup"}}, LC_PQL},
    {"pql: trial activity",
     0,
     -1,
     -1,
     -1,
     -1,
     {{20, "webinar_attended"}, {4, "trial_activity"}},
     LC_PQL},
    {"lead: trial activity after as_of", 0, -1, -1, -1, -1, {{22, "trial_activity"}}, LC_LEAD},
    {"lead: a demo without MQL is not hot", 0, -1, -1, -1, -1, {{20, "demo_request"}}, LC_LEAD},
    {"a won_at after as_of is not set", 0, 22, -1, -1, -1, {{0, NULL}}, LC_LEAD},
    {"created at as_of: no stage", 21, 22, -1, -1, -1, {{0, NULL}}, -1},
};

static void test_lifecycle(void **state)
{
	(void)state;
	size_t n = sizeof lc_cases / sizeof lc_cases[0];
	dataset *ds = dataset_new();
	for (size_t c = 0; c < n; c++) {
		const lc_case *lc = &lc_cases[c];
		uint32_t k = fx_lead(ds, lc->name, fx_day(lc->created), NULL, -1, NULL, NULL);
		lead *l = &ds->leads[k];
		lead_set_t(ds, l, LT_WON, lc->won < 0 ? TS_NONE : fx_day(lc->won));
		lead_set_t(ds, l, LT_LOST, lc->lost < 0 ? TS_NONE : fx_day(lc->lost));
		lead_set_t(ds, l, LT_SQL, lc->sql < 0 ? TS_NONE : fx_day(lc->sql));
		lead_set_t(ds, l, LT_MQL, lc->mql < 0 ? TS_NONE : fx_day(lc->mql));
		for (size_t e = 0; e < 3 && lc->ev[e].type; e++)
			fx_event(ds, k, fx_day(lc->ev[e].day), lc->ev[e].type);
	}
	dataset_index(ds);
	fx_view f;
	fxv_init(&f, ds);
	int64_t want[LC_COUNT] = {0};
	for (size_t c = 0; c < n; c++) {
		int got = lifecycle_of(&f.v, c);
		if (got != lc_cases[c].stage)
			fail_msg("%s: stage %d, want %d", lc_cases[c].name, got, lc_cases[c].stage);
		if (lc_cases[c].stage >= 0)
			want[lc_cases[c].stage]++;
	}
	/* the table: customer 1, lost 1, sql 1, hot 2, mql 4, pql 2, lead 3 */
	static const int64_t by_hand[LC_COUNT] = {1, 1, 1, 2, 4, 2, 3};
	mval *t = lifecycle_table(&f.v);
	assert_int_equal(mv_len(t), LC_COUNT);
	for (int s = 0; s < LC_COUNT; s++) {
		assert_string_equal(mv_key(t, s), lc_stage_name[s]);
		assert_int_equal(want[s], by_hand[s]);
		assert_int_equal(mv_int_of(mv_get(t, lc_stage_name[s])), by_hand[s]);
	}
	mv_free(t);
	fxv_free(&f);
}

/* ---- calibration ---- */

typedef struct cal_case {
	const char *id;
	ts_ms created;
	double fit, engagement;
	bool sql, won;
} cal_case;

/* Population: created in [FX_13W, as_of). score = fit + engagement. */
static const cal_case cal_cases[] = {
    {"A", FX_BASE, 0, -5, false, false},   /* score −5, band −10 */
    {"B", FX_BASE, 0, 0, true, false},	   /* 0, band 0 */
    {"C", FX_BASE, 5, 4.99, false, false}, /* 9.99, band 0 */
    {"D", FX_BASE, 0, 10, true, true},	   /* 10, band 10 */
    {"E", FX_BASE, 40, 19, false, false},  /* 59, band 50 */
    {"F", FX_BASE, 46, 14, true, false},   /* 60, band 60 */
    {"G", FX_BASE, 50, 25, true, true},	   /* 75, band 70 */
    {"H", FX_BASE, 50, 40, false, false},  /* 90, band 90 */
    {"K", FX_13W, 20, 10, false, false},   /* 30, band 30: the window's first instant */
    {"I", FX_13W - 1, 50, 50, true, true}, /* before the window: out */
    {"J", FX_AS_OF, 50, 50, true, true},   /* does not exist: out */
};

static fx_view *cal_view(size_t n)
{
	dataset *ds = dataset_new();
	for (size_t c = 0; c < n; c++) {
		uint32_t k =
		    fx_lead(ds, cal_cases[c].id, cal_cases[c].created, NULL, -1, NULL, NULL);
		if (cal_cases[c].sql)
			lead_set_t(ds, &ds->leads[k], LT_SQL, cal_cases[c].created + MS_PER_DAY);
		if (cal_cases[c].won)
			lead_set_t(ds, &ds->leads[k], LT_WON,
				   cal_cases[c].created + 2 * MS_PER_DAY);
	}
	dataset_index(ds);
	fx_view *f = xmalloc(sizeof *f);
	fxv_init(f, ds);
	for (size_t c = 0; c < n; c++) {
		f->v.own_score[c].fit = cal_cases[c].fit;
		f->v.own_score[c].engagement = cal_cases[c].engagement;
	}
	return f;
}

static double num(const mval *root, const char *path)
{
	const mval *v = mv_path(root, path);
	if (!v)
		fail_msg("no %s", path);
	return mv_num_of(v);
}

static bool is_null(const mval *root, const char *path)
{
	const mval *v = mv_path(root, path);
	if (!v)
		fail_msg("no %s", path);
	return mv_is_null(v);
}

typedef struct band_want {
	int64_t band, leads, sqls, wins;
} band_want;

/* min: the view's low_sample_min */
static void check_bands(const mval *root, const char *table, const band_want *w, size_t n,
			int64_t min)
{
	const mval *arr = mv_get(root, table);
	assert_non_null(arr);
	if (mv_len(arr) != n)
		fail_msg("%s: %zu rows, want %zu", table, mv_len(arr), n);
	for (size_t i = 0; i < n; i++) {
		char p[96];
		snprintf(p, sizeof p, "%s.%zu.band", table, i);
		assert_int_equal(mv_int_of(mv_path(root, p)), w[i].band);
		snprintf(p, sizeof p, "%s.%zu.leads", table, i);
		assert_int_equal(mv_int_of(mv_path(root, p)), w[i].leads);
		snprintf(p, sizeof p, "%s.%zu.sql_rate", table, i);
		if (fabs(num(root, p) - (double)w[i].sqls / (double)w[i].leads) > EPS)
			fail_msg("%s: %g", p, num(root, p));
		snprintf(p, sizeof p, "%s.%zu.win_rate", table, i);
		if (fabs(num(root, p) - (double)w[i].wins / (double)w[i].leads) > EPS)
			fail_msg("%s: %g", p, num(root, p));
		snprintf(p, sizeof p, "%s.%zu.sql_rate_ci_low", table, i);
		double lo = num(root, p);
		snprintf(p, sizeof p, "%s.%zu.sql_rate_ci_high", table, i);
		double hi = num(root, p);
		assert_true(lo <= (double)w[i].sqls / (double)w[i].leads + EPS);
		assert_true(hi >= (double)w[i].sqls / (double)w[i].leads - EPS);
		/* a band of fewer leads than the minimum is a small sample */
		snprintf(p, sizeof p, "%s.%zu.low_sample", table, i);
		assert_non_null(mv_path(root, p));
		assert_int_equal(mv_bool_of(mv_path(root, p)), w[i].leads < min);
	}
}

static void test_calibration(void **state)
{
	(void)state;
	fx_view *f = cal_view(sizeof cal_cases / sizeof cal_cases[0]);
	f->p.low_sample_min = 2;
	mval *root = mv_obj();
	calibration_tables(&f->v, root);

	/* population A B C D E F G H K: 9 leads, SQLs B D F G, wins D G */
	static const band_want score_bands[] = {
	    {-10, 1, 0, 0}, /* A */
	    {0, 2, 1, 0},   /* B C */
	    {10, 1, 1, 1},  /* D */
	    {30, 1, 0, 0},  /* K */
	    {50, 1, 0, 0},  /* E */
	    {60, 1, 1, 0},  /* F */
	    {70, 1, 1, 1},  /* G */
	    {90, 1, 0, 0},  /* H */
	};
	check_bands(root, "score_bands", score_bands, 8, 2);
	/* band 0: fits 0 and 5 → 2.5; engagements 0 and 4.99 → 2.495 */
	assert_true(fabs(num(root, "score_bands.1.fit_mean") - 2.5) < EPS);
	assert_true(fabs(num(root, "score_bands.1.engagement_mean") - 2.495) < EPS);

	/* fits A0 B0 C5 D0 | K20 | E40 F46 | G50 H50 */
	static const band_want fit_bands[] = {
	    {0, 4, 2, 1},  /* A B C D: SQL B D, won D */
	    {20, 1, 0, 0}, /* K */
	    {40, 2, 1, 0}, /* E F: SQL F */
	    {50, 2, 1, 1}, /* G H: G both */
	};
	check_bands(root, "fit_bands", fit_bands, 4, 2);
	/* engagements A−5 | B0 C4.99 | D10 E19 F14 K10 | G25 | H40 */
	static const band_want eng_bands[] = {
	    {-10, 1, 0, 0}, /* A */
	    {0, 2, 1, 0},   /* B C */
	    {10, 4, 2, 1},  /* D E F K: SQL D F, won D */
	    {20, 1, 1, 1},  /* G */
	    {40, 1, 0, 0},  /* H */
	};
	check_bands(root, "engagement_bands", eng_bands, 5, 2);

	/* sweep over scores −5 0 9.99 10 59 60 75 90 30, SQL at 0 10 60 75:
	 * 30: 59 60 75 90 30 → 5 leads, 2 SQLs (60, 75): rate .4, capture 2/4
	 * 35..55: 59 60 75 90 → 4, 2 SQLs: .5, .5
	 * 60: 60 75 90 → 3, 2 SQLs: 2/3, .5
	 * 65..75: 75 90 → 2, 1 SQL: .5, .25
	 * 80..90: 90 → 1, 0 SQLs: 0, 0 */
	static const struct {
		int th, leads, sqls;
	} sweep[] = {
	    {30, 5, 2}, {35, 4, 2}, {40, 4, 2}, {45, 4, 2}, {50, 4, 2}, {55, 4, 2}, {60, 3, 2},
	    {65, 2, 1}, {70, 2, 1}, {75, 2, 1}, {80, 1, 0}, {85, 1, 0}, {90, 1, 0},
	};
	const mval *sw = mv_get(root, "threshold_sweep");
	assert_int_equal(mv_len(sw), 13);
	for (size_t i = 0; i < 13; i++) {
		char p[64];
		snprintf(p, sizeof p, "threshold_sweep.%zu.threshold", i);
		assert_int_equal(mv_int_of(mv_path(root, p)), sweep[i].th);
		snprintf(p, sizeof p, "threshold_sweep.%zu.leads", i);
		assert_int_equal(mv_int_of(mv_path(root, p)), sweep[i].leads);
		snprintf(p, sizeof p, "threshold_sweep.%zu.sqls", i);
		assert_int_equal(mv_int_of(mv_path(root, p)), sweep[i].sqls);
		snprintf(p, sizeof p, "threshold_sweep.%zu.sql_rate", i);
		assert_true(fabs(num(root, p) - (double)sweep[i].sqls / sweep[i].leads) < EPS);
		snprintf(p, sizeof p, "threshold_sweep.%zu.sql_capture_rate", i);
		assert_true(fabs(num(root, p) - sweep[i].sqls / 4.0) < EPS);
		snprintf(p, sizeof p, "threshold_sweep.%zu.sql_capture_rate_ci_low", i);
		assert_false(is_null(root, p));
		snprintf(p, sizeof p, "threshold_sweep.%zu.low_sample", i);
		assert_non_null(mv_path(root, p));
		assert_int_equal(mv_bool_of(mv_path(root, p)), sweep[i].leads < 2);
	}

	/* score AUC: positives 0 10 60 75 against negatives −5 9.99 59 90 30:
	 * 0 beats 1, 10 beats 2, 60 beats 4, 75 beats 4 → 11 / 20 = 0.55.
	 * fit AUC: positives B0 D0 F46 G50, negatives A0 C5 E40 H50 K20:
	 * B ties A (.5), D ties A (.5), F beats 4, G beats 4 and ties H (4.5)
	 * → 9.5 / 20 = 0.475. Engagement AUC: positives B0 D10 F14 G25,
	 * negatives A−5 C4.99 E19 H40 K10: B 1, D 2 + tie .5, F 3, G 4
	 * → 10.5 / 20 = 0.525. */
	assert_true(fabs(num(root, "calibration.score_auc") - 0.55) < EPS);
	assert_true(fabs(num(root, "calibration.fit_auc") - 0.475) < EPS);
	assert_true(fabs(num(root, "calibration.engagement_auc") - 0.525) < EPS);
	mv_free(root);
	fxv_free(f);
	free(f);
}

static void test_calibration_empty(void **state)
{
	(void)state;
	/* only I and J: nobody in the population */
	dataset *ds = dataset_new();
	fx_lead(ds, "I", FX_13W - 1, NULL, -1, NULL, NULL);
	fx_lead(ds, "J", FX_AS_OF, NULL, -1, NULL, NULL);
	dataset_index(ds);
	fx_view f;
	fxv_init(&f, ds);
	mval *root = mv_obj();
	calibration_tables(&f.v, root);
	assert_int_equal(mv_len(mv_get(root, "score_bands")), 0);
	assert_int_equal(mv_len(mv_get(root, "threshold_sweep")), 13);
	assert_int_equal(mv_int_of(mv_path(root, "threshold_sweep.0.leads")), 0);
	assert_true(is_null(root, "threshold_sweep.0.sql_rate"));
	assert_true(is_null(root, "threshold_sweep.0.sql_rate_ci_low"));
	assert_true(is_null(root, "threshold_sweep.0.sql_capture_rate"));
	assert_true(is_null(root, "calibration.score_auc"));
	mv_free(root);
	fxv_free(&f);
}

static void test_calibration_one_class(void **state)
{
	(void)state;
	/* every lead an SQL: capture rates defined, AUC null (one class) */
	dataset *ds = dataset_new();
	for (int i = 0; i < 3; i++) {
		char id[8];
		snprintf(id, sizeof id, "s%d", i);
		uint32_t k = fx_lead(ds, id, FX_BASE, NULL, -1, NULL, NULL);
		lead_set_t(ds, &ds->leads[k], LT_SQL, FX_BASE + MS_PER_DAY);
	}
	dataset_index(ds);
	fx_view f;
	fxv_init(&f, ds);
	f.v.own_score[0].fit = 70; /* scores 70, 40, 20 */
	f.v.own_score[1].fit = 40;
	f.v.own_score[2].engagement = 20;
	mval *root = mv_obj();
	calibration_tables(&f.v, root);
	assert_true(is_null(root, "calibration.score_auc"));
	/* threshold 60: 1 lead of 3 SQLs → capture 1/3; threshold 30: 2/3 */
	assert_true(fabs(num(root, "threshold_sweep.6.sql_capture_rate") - 1.0 / 3) < EPS);
	assert_true(fabs(num(root, "threshold_sweep.0.sql_capture_rate") - 2.0 / 3) < EPS);
	/* rates of 1: the interval's top is 1 */
	assert_true(num(root, "threshold_sweep.0.sql_rate_ci_high") == 1);
	mv_free(root);
	fxv_free(&f);
}

/* Scores far apart (bands spread wider than the population): the same
 * table, lowest band first, means summed in population order. */
static void test_calibration_far_bands(void **state)
{
	(void)state;
	static const struct {
		double fit, engagement;
		bool sql;
	} c[] = {
	    {0, 100000, true}, {1, 2, false}, {-3000, 0, false}, {3, 4, true}, {0, 100001, false},
	};
	const size_t n = sizeof c / sizeof c[0];
	dataset *ds = dataset_new();
	for (size_t i = 0; i < n; i++) {
		char id[8];
		snprintf(id, sizeof id, "f%zu", i);
		uint32_t k = fx_lead(ds, id, FX_BASE, NULL, -1, NULL, NULL);
		if (c[i].sql)
			lead_set_t(ds, &ds->leads[k], LT_SQL, FX_BASE + MS_PER_DAY);
	}
	dataset_index(ds);
	fx_view f;
	fxv_init(&f, ds);
	for (size_t i = 0; i < n; i++) {
		f.v.own_score[i].fit = c[i].fit;
		f.v.own_score[i].engagement = c[i].engagement;
	}
	mval *root = mv_obj();
	calibration_tables(&f.v, root);
	static const band_want score_bands[] = {
	    {-3000, 1, 0, 0},  /* −3000 */
	    {0, 2, 1, 0},      /* 3 and 7 */
	    {100000, 2, 1, 0}, /* 100000 and 100001 */
	};
	check_bands(root, "score_bands", score_bands, 3, 0);
	assert_true(fabs(num(root, "score_bands.1.fit_mean") - 2) < EPS);
	assert_true(fabs(num(root, "score_bands.2.engagement_mean") - 100000.5) < EPS);
	static const band_want eng_bands[] = {
	    {0, 3, 1, 0},      /* 2, 0, 4 */
	    {100000, 2, 1, 0}, /* 100000 and 100001 */
	};
	check_bands(root, "engagement_bands", eng_bands, 2, 0);
	mv_free(root);
	fxv_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_lifecycle),
	    cmocka_unit_test(test_calibration),
	    cmocka_unit_test(test_calibration_empty),
	    cmocka_unit_test(test_calibration_one_class),
	    cmocka_unit_test(test_calibration_far_bands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
