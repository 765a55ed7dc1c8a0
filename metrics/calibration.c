/* calibration.c — SPEC §6 Calibration: is the threshold right?
 *
 * The population is every lead created in the 13-week window, scored as of
 * as_of. Besides SPEC §8's tables this adds, so that fit and engagement can
 * be judged apart: `fit_mean` and `engagement_mean` per score band, `sqls`
 * per threshold, the tables `fit_bands` and `engagement_bands` (the same
 * bands over the demographic and the behavioural points alone) and
 * `fit_auc` / `engagement_auc` beside `score_auc`. It must not do I/O or
 * choose a threshold: it shows how each one would have done.
 *
 * Every table is added up lead by lead, in any order (an engine's chunks
 * feed it as they come), without a record per lead: the bands' exact sums
 * per band (esum.h: the same bits in any order), the sweep's counts per
 * threshold, and the AUC's counts per distinct score (the only part that
 * grows with the population, and only with its distinct scores). */
#include "calibration.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "esum.h"
#include "funnel.h"
#include "stats.h"

#define SWEEP_FROM 30
#define SWEEP_TO   90
#define SWEEP_STEP 5
#define BAND_WIDTH 10

#define NTH	   ((SWEEP_TO - SWEEP_FROM) / SWEEP_STEP + 1)
#define AUC_BUFFER 4096

/* One of the three parts of a score: 0 the score, 1 fit, 2 engagement. */
static double part_of(double fit, double engagement, int part)
{
	return part == 0 ? fit + engagement : part == 1 ? fit : engagement;
}

static int64_t band_of(double x)
{
	return (int64_t)floor(x / BAND_WIDTH) * BAND_WIDTH;
}

/* One band's leads, SQLs, wins and sums. */
typedef struct band_acc {
	int64_t band, leads, sql, won;
	esum fit, engagement;
} band_acc;

typedef struct band_tab {
	GArray *rows;	/* band_acc, in the order first met */
	GHashTable *at; /* band → row + 1 */
} band_tab;

/* The AUC's observations so far: counts per distinct score in ascending
 * order (d), and the latest observations not yet merged into them (buf). */
typedef struct auc_acc {
	auc_count *d, *buf;
	size_t nd, nb, cap;
} auc_acc;

struct cal_acc {
	band_tab bands[3]; /* per part */
	int64_t sweep_leads[NTH], sweep_sql[NTH], all_sql;
	auc_acc auc[3]; /* per part */
};

static void band_add(band_tab *t, double x, double fit, double engagement, bool sql, bool won)
{
	gint64 band = band_of(x);
	size_t at = GPOINTER_TO_SIZE(g_hash_table_lookup(t->at, &band));
	if (!at) {
		g_array_append_val(t->rows, ((band_acc){.band = band}));
		at = t->rows->len;
		g_hash_table_insert(t->at, g_memdup2(&band, sizeof band), GSIZE_TO_POINTER(at));
	}
	band_acc *r = &g_array_index(t->rows, band_acc, at - 1);
	r->leads++;
	r->sql += sql;
	r->won += won;
	esum_add(&r->fit, fit);
	esum_add(&r->engagement, engagement);
}

/* The buffered observations sorted, ties made one count, and merged into
 * d in place from its end (d grows by at most their number). */
static void auc_flush(auc_acc *a)
{
	if (!a->nb)
		return;
	stats_sort_counts(a->buf, a->nb);
	size_t m = 0;
	for (size_t k = 0; k < a->nb; k++) {
		if (m && a->buf[m - 1].score == a->buf[k].score) {
			a->buf[m - 1].n += a->buf[k].n;
			a->buf[m - 1].positive += a->buf[k].positive;
		} else
			a->buf[m++] = a->buf[k];
	}
	a->d = xrealloc(a->d, (a->nd + m) * sizeof *a->d);
	size_t i = a->nd, j = m, k = a->nd + m; /* one past the next to take or write */
	while (j > 0) {
		if (i > 0 && a->d[i - 1].score > a->buf[j - 1].score)
			a->d[--k] = a->d[--i];
		else if (i > 0 && a->d[i - 1].score == a->buf[j - 1].score) {
			auc_count c = a->d[--i];
			c.n += a->buf[j - 1].n;
			c.positive += a->buf[--j].positive;
			a->d[--k] = c;
		} else
			a->d[--k] = a->buf[--j];
	}
	/* d[0..i) stayed; what was merged sits at d[k..nd+m): close the gap */
	memmove(a->d + i, a->d + k, (a->nd + m - k) * sizeof *a->d);
	a->nd = i + (a->nd + m - k);
	a->nb = 0;
	/* a buffer of half the distinct scores keeps the merges' cost linear */
	if (a->nd / 2 > a->cap) {
		a->cap = a->nd / 2;
		a->buf = xrealloc(a->buf, a->cap * sizeof *a->buf);
	}
}

static void auc_add(auc_acc *a, double score, bool positive)
{
	if (a->nb == a->cap)
		auc_flush(a);
	a->buf[a->nb++] = (auc_count){.score = score, .n = 1, .positive = positive};
}

cal_acc *cal_new(void)
{
	cal_acc *a = xcalloc(1, sizeof *a);
	for (int part = 0; part < 3; part++) {
		a->bands[part].rows = g_array_new(FALSE, FALSE, sizeof(band_acc));
		a->bands[part].at =
		    g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
		a->auc[part].cap = AUC_BUFFER;
		a->auc[part].buf = xmalloc(AUC_BUFFER * sizeof(auc_count));
	}
	return a;
}

void cal_free(cal_acc *a)
{
	if (!a)
		return;
	for (int part = 0; part < 3; part++) {
		GArray *rows = a->bands[part].rows;
		for (guint i = 0; i < rows->len; i++) {
			esum_free(&g_array_index(rows, band_acc, i).fit);
			esum_free(&g_array_index(rows, band_acc, i).engagement);
		}
		g_array_free(rows, TRUE);
		g_hash_table_destroy(a->bands[part].at);
		free(a->auc[part].d);
		free(a->auc[part].buf);
	}
	free(a);
}

/* One lead of the population into every table. */
static void cal_add(cal_acc *a, double fit, double engagement, bool sql, bool won)
{
	for (int part = 0; part < 3; part++) {
		double x = part_of(fit, engagement, part);
		band_add(&a->bands[part], x, fit, engagement, sql, won);
		auc_add(&a->auc[part], x, sql);
	}
	a->all_sql += sql;
	for (int k = 0; k < NTH; k++)
		if (part_of(fit, engagement, 0) >= SWEEP_FROM + k * SWEEP_STEP) {
			a->sweep_leads[k]++;
			a->sweep_sql[k] += sql;
		}
}

static int band_cmp(const void *a, const void *b)
{
	const band_acc *x = a, *y = b;
	return (x->band > y->band) - (x->band < y->band);
}

/* Bands of BAND_WIDTH points, non-empty bands only, lowest first; a band
 * of fewer leads than min is low_sample, as a breakdown row (its rates move
 * a lot with one lead). */
static mval *bands(band_tab *t, bool with_means, int min)
{
	g_array_sort(t->rows, band_cmp);
	mval *arr = mv_arr();
	for (guint i = 0; i < t->rows->len; i++) {
		const band_acc *r = &g_array_index(t->rows, band_acc, i);
		mval *row = mv_push(arr, mv_obj());
		mv_set(row, "band", mv_int(r->band, MF_SCORE));
		mv_set(row, "leads", mv_int(r->leads, MF_COUNT));
		funnel_set_rate(row, "sql_rate", r->sql, r->leads);
		funnel_set_rate(row, "win_rate", r->won, r->leads);
		if (with_means) {
			mv_set(row, "fit_mean",
			       mv_num(esum_value(&r->fit) / (double)r->leads, MF_SCORE));
			mv_set(row, "engagement_mean",
			       mv_num(esum_value(&r->engagement) / (double)r->leads, MF_SCORE));
		}
		mv_set(row, "low_sample", mv_bool(r->leads < min));
	}
	return arr;
}

/* A threshold whose leads are fewer than min (but one or more) is
 * low_sample: its SQL rate rests on them. */
static mval *sweep(const cal_acc *a, int min)
{
	mval *arr = mv_arr();
	for (int k = 0; k < NTH; k++) {
		int64_t cnt = a->sweep_leads[k], sql = a->sweep_sql[k];
		mval *row = mv_push(arr, mv_obj());
		mv_set(row, "threshold", mv_int(SWEEP_FROM + k * SWEEP_STEP, MF_SCORE));
		mv_set(row, "leads", mv_int(cnt, MF_COUNT));
		funnel_set_rate(row, "sql_rate", sql, cnt);
		funnel_set_rate(row, "sql_capture_rate", sql, a->all_sql);
		mv_set(row, "sqls", mv_int(sql, MF_COUNT));
		mv_set(row, "low_sample", mv_bool(cnt > 0 && cnt < min));
	}
	return arr;
}

void cal_add_lead(cal_acc *a, const view *v, size_t i)
{
	if (!lv_exists(v, i) || lead_t(v->ds, &v->ds->leads[i], LT_CREATED) < v->p->week_start[0])
		return;
	lead_view l = lv_get(v, i);
	cal_add(a, v->score[i].fit, v->score[i].engagement, lv_set(&l, LT_SQL), lv_set(&l, LT_WON));
}

void calibration_tables(const view *v, mval *root)
{
	cal_acc *own = NULL, *a = v->p->calibration;
	if (!a) {
		a = own = cal_new();
		for (size_t i = 0; i < v->ds->nleads; i++)
			cal_add_lead(a, v, i);
	}

	int min = v->p->low_sample_min;
	mv_set(root, "score_bands", bands(&a->bands[0], true, min));
	mv_set(root, "threshold_sweep", sweep(a, min));

	mval *cal = mv_obj();
	const char *auc_key[3] = {"score_auc", "fit_auc", "engagement_auc"};
	for (int part = 0; part < 3; part++) {
		auc_flush(&a->auc[part]);
		mv_set(cal, auc_key[part],
		       mv_num(stats_auc_counts(a->auc[part].d, a->auc[part].nd), MF_RATIO));
	}
	mv_set(root, "calibration", cal);

	mv_set(root, "fit_bands", bands(&a->bands[1], false, min));
	mv_set(root, "engagement_bands", bands(&a->bands[2], false, min));
	cal_free(own);
}
