/* calibration.c — SPEC §6 Calibration: is the threshold right?
 *
 * The population is every lead created in the 13-week window, scored as of
 * as_of. Besides SPEC §8's tables this adds, so that fit and engagement can
 * be judged apart: `fit_mean` and `engagement_mean` per score band, `sqls`
 * per threshold, the tables `fit_bands` and `engagement_bands` (the same
 * bands over the demographic and the behavioural points alone) and
 * `fit_auc` / `engagement_auc` beside `score_auc`. It must not do I/O or
 * choose a threshold: it shows how each one would have done. */
#include "calibration.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "funnel.h"
#include "stats.h"
#include "tally.h"

#define SWEEP_FROM 30
#define SWEEP_TO   90
#define SWEEP_STEP 5
#define BAND_WIDTH 10

/* One lead of the population; its score is fit + engagement. */
typedef struct cal_lead {
	double fit, engagement;
	bool sql, won;
} cal_lead;

/* One of the three parts of a lead's score: 0 the score, 1 fit, 2 engagement. */
static double part_of(const cal_lead *l, int part)
{
	return part == 0 ? l->fit + l->engagement : part == 1 ? l->fit : l->engagement;
}

static int64_t band_of(double x)
{
	return (int64_t)floor(x / BAND_WIDTH) * BAND_WIDTH;
}

typedef struct band_row {
	int64_t band;
	const cal_lead *l;
} band_row;

static int band_cmp(const void *a, const void *b)
{
	const band_row *x = a, *y = b;
	return (x->band > y->band) - (x->band < y->band);
}

/* One band's leads, summed in population order. */
typedef struct band_acc {
	int64_t cnt, sql, won;
	double fit, eng;
} band_acc;

/* A band's row of the table. */
static void band_row_set(mval *arr, int64_t band, const band_acc *a, bool with_means)
{
	mval *row = mv_push(arr, mv_obj());
	mv_set(row, "band", mv_int(band, MF_SCORE));
	mv_set(row, "leads", mv_int(a->cnt, MF_COUNT));
	funnel_set_rate(row, "sql_rate", a->sql, a->cnt);
	funnel_set_rate(row, "win_rate", a->won, a->cnt);
	if (with_means) {
		mv_set(row, "fit_mean", mv_num(a->fit / (double)a->cnt, MF_SCORE));
		mv_set(row, "engagement_mean", mv_num(a->eng / (double)a->cnt, MF_SCORE));
	}
}

static void band_add(band_acc *a, const cal_lead *l)
{
	a->cnt++;
	a->sql += l->sql;
	a->won += l->won;
	a->fit += l->fit;
	a->eng += l->engagement;
}

/* The bands when they are spread too far for one slot each: a stable sort
 * of the leads by band. */
static mval *bands_sorted(const cal_lead *pop, size_t n, int part, bool with_means)
{
	band_row *r = xmalloc((n ? n : 1) * sizeof *r);
	for (size_t i = 0; i < n; i++) {
		r[i].band = band_of(part_of(&pop[i], part));
		r[i].l = &pop[i];
	}
	qsort(r, n, sizeof *r, band_cmp);
	mval *arr = mv_arr();
	for (size_t i = 0; i < n;) {
		band_acc a = {0};
		size_t j = i;
		for (; j < n && r[j].band == r[i].band; j++)
			band_add(&a, r[j].l);
		band_row_set(arr, r[i].band, &a, with_means);
		i = j;
	}
	free(r);
	return arr;
}

/* Bands of BAND_WIDTH points over one of the three parts (0 score, 1 fit,
 * 2 engagement), non-empty bands only, lowest first. One slot per band
 * between the lowest and the highest, filled in population order: the
 * sums of a stable sort by band, without its two copies of the leads. */
static mval *bands(const cal_lead *pop, size_t n, int part, bool with_means)
{
	int64_t lo = 0, hi = 0;
	for (size_t i = 0; i < n; i++) {
		int64_t b = band_of(part_of(&pop[i], part));
		lo = i == 0 || b < lo ? b : lo;
		hi = i == 0 || b > hi ? b : hi;
	}
	uint64_t span = ((uint64_t)hi - (uint64_t)lo) / BAND_WIDTH;
	if (n == 0 || span >= n / 2 + 64)
		return bands_sorted(pop, n, part, with_means);
	size_t nb = (size_t)span + 1;
	band_acc *acc = xcalloc(nb, sizeof *acc);
	for (size_t i = 0; i < n; i++) {
		int64_t b = band_of(part_of(&pop[i], part));
		band_add(&acc[((uint64_t)b - (uint64_t)lo) / BAND_WIDTH], &pop[i]);
	}
	mval *arr = mv_arr();
	for (size_t k = 0; k < nb; k++)
		if (acc[k].cnt)
			band_row_set(arr, lo + (int64_t)k * BAND_WIDTH, &acc[k], with_means);
	free(acc);
	return arr;
}

static mval *sweep(const cal_lead *pop, size_t n)
{
	int64_t all_sql = 0;
	for (size_t i = 0; i < n; i++)
		all_sql += pop[i].sql;
	mval *arr = mv_arr();
	for (int th = SWEEP_FROM; th <= SWEEP_TO; th += SWEEP_STEP) {
		int64_t cnt = 0, sql = 0;
		for (size_t i = 0; i < n; i++)
			if (part_of(&pop[i], 0) >= th) {
				cnt++;
				sql += pop[i].sql;
			}
		mval *row = mv_push(arr, mv_obj());
		mv_set(row, "threshold", mv_int(th, MF_SCORE));
		mv_set(row, "leads", mv_int(cnt, MF_COUNT));
		funnel_set_rate(row, "sql_rate", sql, cnt);
		funnel_set_rate(row, "sql_capture_rate", sql, all_sql);
		mv_set(row, "sqls", mv_int(sql, MF_COUNT));
	}
	return arr;
}

static double auc_of(const cal_lead *pop, size_t n, int part, auc_obs *o)
{
	for (size_t i = 0; i < n; i++) {
		o[i].score = part_of(&pop[i], part);
		o[i].positive = pop[i].sql;
	}
	return stats_auc(o, n);
}

/* True when lead i is in the population: it exists, created in the 13 weeks. */
static bool in_population(const view *v, size_t i, ts_ms from)
{
	return lv_exists(v, i) && lead_t(v->ds, &v->ds->leads[i], LT_CREATED) >= from;
}

/* The population in source order, the leads counted instead of kept in
 * their place; *n of them. Sized to the population, not to the data set. */
static cal_lead *population(const view *v, size_t *n_out)
{
	const dataset *ds = v->ds;
	ts_ms from = v->p->week_start[0];
	const lead_tally *t = v->p->tally;
	size_t ntally = t ? t->ncal : 0, k = 0, n = ntally;
	for (size_t i = 0; i < ds->nleads; i++)
		n += in_population(v, i, from);
	cal_lead *pop = xmalloc((n ? n : 1) * sizeof *pop);
	n = 0;
	for (size_t i = 0; i <= ds->nleads; i++) {
		for (; k < ntally && t->cal[k].before == i; k++, n++)
			pop[n] =
			    (cal_lead){.fit = t->cal[k].fit, .engagement = t->cal[k].engagement};
		if (i == ds->nleads)
			break;
		if (!in_population(v, i, from))
			continue;
		lead_view l = lv_get(v, i);
		pop[n++] = (cal_lead){.fit = v->score[i].fit,
				      .engagement = v->score[i].engagement,
				      .sql = lv_set(&l, LT_SQL),
				      .won = lv_set(&l, LT_WON)};
	}
	*n_out = n;
	return pop;
}

void calibration_tables(const view *v, mval *root)
{
	size_t n;
	cal_lead *pop = population(v, &n);

	mv_set(root, "score_bands", bands(pop, n, 0, true));
	mv_set(root, "threshold_sweep", sweep(pop, n));

	auc_obs *o = xmalloc((n ? n : 1) * sizeof *o);
	mval *cal = mv_obj();
	const char *auc_key[3] = {"score_auc", "fit_auc", "engagement_auc"};
	for (int part = 0; part < 3; part++)
		mv_set(cal, auc_key[part], mv_num(auc_of(pop, n, part, o), MF_RATIO));
	free(o);
	mv_set(root, "calibration", cal);

	mv_set(root, "fit_bands", bands(pop, n, 1, false));
	mv_set(root, "engagement_bands", bands(pop, n, 2, false));
	free(pop);
}
