/* Tables built from parts (metrics/sums.h, engagement.h, calibration.h)
 * against the same tables built from the whole, as the engine builds them
 * from its chunks: the per-lead tables of two parts added in reverse order,
 * with the calibration's population added lead by lead from last to first,
 * give the same tree, and the engagement counts of two views of disjoint
 * leads give the table of one view of all of them. */
#include "metrics_fixture.h"

#include "calibration.h"
#include "engagement.h"
#include "sums.h"
#include "trend.h"
#include "view.h"

/* Fourteen leads in three shapes: created in the 13 weeks and nothing else
 * (every third, with events and titles that score), with an MQL, SQL or
 * win, or created before the 13 weeks. `from`..`to` picks a part. */
static dataset *fixture(int from, int to)
{
	static const char *const channel[] = {"webinar", "paid_search", "email"};
	static const char *const title[] = {"CTO", "Intern", "VP Sales", ""};
	dataset *ds = dataset_new();
	for (int k = from; k < to; k++) {
		char id[16];
		snprintf(id, sizeof id, "L%d", k);
		uint32_t i = mf_lead(ds, id, channel[k % 3], k % 2 ? "c1" : "c2",
				     MF_DAY(-5 - 7 * k - 0.3 * k));
		ds->leads[i].job_title = mf_sym(ds, title[k % 4]);
		if (k % 3 == 1)
			mf_set(ds, i, LT_MQL, MF_DAY(-4 - 7 * k));
		if (k == 2 || k == 3 || k == 13) /* the drill-down's: one moment, both parts */
			mf_set(ds, i, LT_MQL, MF_DAY(-2));
		if (k % 6 == 1)
			mf_set(ds, i, LT_SQL, MF_DAY(-3 - 7 * k));
		if (k == 4) {
			mf_set(ds, i, LT_OPPORTUNITY, MF_DAY(-20));
			mf_set(ds, i, LT_WON, MF_DAY(-2));
			ds->leads[i].amount = 1234.5;
		}
		for (int e = 0; e < 1 + k % 4; e++)
			mf_event(ds, i, MF_DAY(-4.5 - 7 * k + e * 0.1),
				 e % 2 ? "content_download" : "webinar_attended", "email", "nl");
		mf_event(ds, i, MF_DAY(-1), "email_open", NULL, NULL);
	}
	/* the spend is the whole's (the engine reads it apart from the chunks) */
	for (int d = 0; from == 0 && d < 90; d += 9)
		mf_spend(ds, MF_DAY(-1 - d), channel[d % 3], d % 2 ? "c1" : "spend_only",
			 100.7 + d);
	dataset_index(ds);
	return ds;
}

/* Exact equality of two trees, numbers bit for bit, formats and times
 * too; the first path that differs is printed. */
static bool same_tree(const mval *a, const mval *b, const char *path)
{
	bool ok = mv_kind_of(a) == mv_kind_of(b) && mv_fmt_of(a) == mv_fmt_of(b) &&
		  mv_len(a) == mv_len(b);
	if (ok && mv_kind_of(a) == MV_OBJ)
		for (size_t i = 0; ok && i < mv_len(a); i++)
			ok = strcmp(mv_key(a, i), mv_key(b, i)) == 0 &&
			     same_tree(mv_at(a, i), mv_at(b, i), mv_key(a, i));
	else if (ok && mv_kind_of(a) == MV_ARR)
		for (size_t i = 0; ok && i < mv_len(a); i++)
			ok = same_tree(mv_at(a, i), mv_at(b, i), path);
	else if (ok && mv_kind_of(a) == MV_ROWS) {
		mv_cursor ca = mv_cursor_of(a), cb = mv_cursor_of(b);
		for (const mval *ra, *rb; ok && (ra = mv_next(&ca)) && (rb = mv_next(&cb));)
			ok = same_tree(ra, rb, path);
		mv_cursor_close(&ca);
		mv_cursor_close(&cb);
	} else if (ok && mv_kind_of(a) == MV_TIME)
		ok = mv_time_of(a) == mv_time_of(b);
	else if (ok && mv_kind_of(a) == MV_STR)
		ok = strcmp(mv_str_of(a), mv_str_of(b)) == 0;
	else if (ok && (mv_kind_of(a) == MV_INT || mv_kind_of(a) == MV_NUM))
		ok = mv_num_of(a) == mv_num_of(b) || (isnan(mv_num_of(a)) && isnan(mv_num_of(b)));
	if (!ok)
		print_error("differs at %s\n", path);
	return ok;
}

/* A part's names in the whole's pool, as the engine names a chunk's. */
static sym to_whole(void *ctx, sym s)
{
	const dataset *const *d = ctx; /* {part, whole} */
	const char *text = ds_str(d[0], s);
	return pool_intern(d[1]->pool, text, strlen(text));
}

/* The per-lead tables (sums.h) added part by part, the later part first,
 * and the calibration's population from the last lead to the first, equal
 * those of the whole, bit for bit; the drill-down's rows of one moment
 * come in the whole's order whichever part comes first. */
static void test_sums_of_parts(void **state)
{
	(void)state;
	score_model m;
	score_model_default(&m);
	metrics_params p;
	mf_params(&p);
	p.model = &m;
	dataset *all = fixture(0, 14), *a = fixture(0, 3), *b = fixture(3, 14);
	mval *want = metrics_compute(all, &p);

	lead_sums *sums = lead_sums_new(&p);
	dataset *parts[2] = {b, a};
	const uint64_t first[2] = {3, 0}; /* each part's first lead's place in the whole */
	for (int k = 0; k < 2; k++) {
		view *v = view_new(parts[k], &p);
		const dataset *names[2] = {parts[k], all};
		sym_xlat x = {.fn = to_whole, .ctx = (void *)names};
		uint64_t place[14];
		for (size_t i = 0; i < parts[k]->nleads; i++)
			place[i] = first[k] + i;
		lead_sums_add(sums, v, &x, place);
		view_free(v);
	}
	view *va = view_new(all, &p);
	cal_acc *cal = cal_new();
	for (size_t i = all->nleads; i-- > 0;)
		cal_add_lead(cal, va, i);
	view_free(va);
	p.sums = sums;
	p.calibration = cal;
	mval *got = metrics_compute(all, &p);
	mval *again = metrics_compute(all, &p); /* the sums give their tables twice alike */
	assert_true(mv_num_of(mv_path(want, "windows.13w.revenue")) > 0);
	assert_true(mv_num_of(mv_path(want, "windows.13w.spend")) > 0);
	assert_true(mv_len(mv_path(want, "by_campaign.13w")) >= 2);
	assert_int_equal(mv_len(mv_path(want, "drilldown.mqls")), 3);
	assert_int_equal(mv_len(mv_path(want, "drilldown.wins")), 1);
	assert_true(same_tree(want, got, "root"));
	assert_true(same_tree(want, again, "root"));
	mv_free(want);
	mv_free(got);
	mv_free(again);
	lead_sums_free(sums);
	cal_free(cal);
	dataset_free(all);
	dataset_free(a);
	dataset_free(b);
	score_model_clear(&m);
}

static void test_engagement_of_parts(void **state)
{
	(void)state;
	metrics_params p;
	mf_params(&p);
	dataset *all = fixture(0, 14), *a = fixture(0, 5), *b = fixture(5, 14);
	view *va = view_new(all, &p), *v1 = view_new(a, &p), *v2 = view_new(b, &p);
	mval *want = engagement_table(va);
	eng_counts *c = eng_counts_new();
	eng_counts_add(c, v2);
	eng_counts_add(c, v1);
	mval *got = eng_counts_table(c);
	assert_true(mv_len(mv_get(want, "13w")) > 2);
	assert_true(same_tree(want, got, "engagement"));
	mv_free(want);
	mv_free(got);
	eng_counts_free(c);
	view_free(va);
	view_free(v1);
	view_free(v2);
	dataset_free(all);
	dataset_free(a);
	dataset_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sums_of_parts),
	    cmocka_unit_test(test_engagement_of_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
