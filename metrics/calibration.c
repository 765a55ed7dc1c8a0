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

typedef struct cal_lead {
	double score, fit, engagement;
	bool sql, won;
} cal_lead;

typedef struct band_row {
	int64_t band;
	const cal_lead *l;
} band_row;

static int64_t band_of(double x)
{
	return (int64_t)floor(x / BAND_WIDTH) * BAND_WIDTH;
}

static int band_cmp(const void *a, const void *b)
{
	const band_row *x = a, *y = b;
	return (x->band > y->band) - (x->band < y->band);
}

/* Set row[name], row[name_ci_low], row[name_ci_high] for k of n. */
/* Bands of BAND_WIDTH points over one of the three parts (0 score, 1 fit,
 * 2 engagement), non-empty bands only, lowest first. */
static mval *bands(const cal_lead *pop, size_t n, int part, bool with_means)
{
	band_row *r = xmalloc((n ? n : 1) * sizeof *r);
	for (size_t i = 0; i < n; i++) {
		double x = part == 0 ? pop[i].score : part == 1 ? pop[i].fit : pop[i].engagement;
		r[i].band = band_of(x);
		r[i].l = &pop[i];
	}
	qsort(r, n, sizeof *r, band_cmp);
	mval *arr = mv_arr();
	for (size_t i = 0; i < n;) {
		size_t j = i;
		int64_t sql = 0, won = 0;
		double fit = 0, eng = 0;
		for (; j < n && r[j].band == r[i].band; j++) {
			sql += r[j].l->sql;
			won += r[j].l->won;
			fit += r[j].l->fit;
			eng += r[j].l->engagement;
		}
		int64_t cnt = (int64_t)(j - i);
		mval *row = mv_push(arr, mv_obj());
		mv_set(row, "band", mv_int(r[i].band, MF_SCORE));
		mv_set(row, "leads", mv_int(cnt, MF_COUNT));
		funnel_set_rate(row, "sql_rate", sql, cnt);
		funnel_set_rate(row, "win_rate", won, cnt);
		if (with_means) {
			mv_set(row, "fit_mean", mv_num(fit / (double)cnt, MF_SCORE));
			mv_set(row, "engagement_mean", mv_num(eng / (double)cnt, MF_SCORE));
		}
		i = j;
	}
	free(r);
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
			if (pop[i].score >= th) {
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
		o[i].score = part == 0 ? pop[i].score : part == 1 ? pop[i].fit : pop[i].engagement;
		o[i].positive = pop[i].sql;
	}
	return stats_auc(o, n);
}

void calibration_tables(const view *v, mval *root)
{
	const dataset *ds = v->ds;
	ts_ms from = v->p->week_start[0];
	const lead_tally *t = v->p->tally;
	size_t ntally = t ? t->ncal : 0, k = 0;
	cal_lead *pop = xmalloc((ds->nleads + ntally ? ds->nleads + ntally : 1) * sizeof *pop);
	size_t n = 0;
	for (size_t i = 0; i <= ds->nleads; i++) {
		/* the leads counted instead of kept, in their place in the source */
		for (; k < ntally && t->cal[k].before == i; k++, n++)
			pop[n] = (cal_lead){.fit = t->cal[k].fit,
					    .engagement = t->cal[k].engagement,
					    .score = t->cal[k].fit + t->cal[k].engagement};
		if (i == ds->nleads)
			break;
		lead_view l_at = lv_get(v, i);
		const lead_view *l = &l_at;
		if (!l->exists || l->t[LT_CREATED] < from)
			continue;
		const lead_score *s = &v->score[i];
		pop[n].fit = s->fit;
		pop[n].engagement = s->engagement;
		pop[n].score = s->fit + s->engagement;
		pop[n].sql = lv_set(l, LT_SQL);
		pop[n].won = lv_set(l, LT_WON);
		n++;
	}

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
