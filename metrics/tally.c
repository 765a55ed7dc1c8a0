/* tally.c — the counts of the leads that stand in the report only through
 * their creation (tally.h). It must not compute a table: funnel.c,
 * trend.c, breakdown.c and calibration.c add these counts where their own
 * loops would have met the leads. */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

#include "funnel.h"

void tally_init(lead_tally *t)
{
	*t = (lead_tally){.cell_of =
			      g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL)};
}

void tally_clear(lead_tally *t)
{
	if (t->cell_of)
		g_hash_table_destroy(t->cell_of);
	free(t->cells);
	free(t->cal);
	free(t->order);
	*t = (lead_tally){0};
}

bool tally_only_created(const view *v, size_t i)
{
	lead_view l_at = lv_get(v, i);
	const lead_view *l = &l_at;
	return l->exists && funnel_week_of(v->p, l->t[LT_CREATED]) >= 0 && !lv_set(l, LT_MQL) &&
	       !lv_set(l, LT_SQL) && !lv_set(l, LT_WON) && !lv_set(l, LT_OPPORTUNITY);
}

void tally_add(lead_tally *t, const view *v, size_t i, sym channel, sym campaign, uint64_t order)
{
	int week = funnel_week_of(v->p, lv_get(v, i).t[LT_CREATED]);
	t->created[week]++;
	gint64 key = (gint64)((uint64_t)channel << 32 | campaign);
	size_t at = GPOINTER_TO_SIZE(g_hash_table_lookup(t->cell_of, &key));
	if (!at) {
		VEC_RESERVE(t->cells, t->cells_cap, t->ncells + 1);
		t->cells[t->ncells++] = (tally_cell){.channel = channel, .campaign = campaign};
		at = t->ncells;
		g_hash_table_insert(t->cell_of, g_memdup2(&key, sizeof key), GSIZE_TO_POINTER(at));
	}
	t->cells[at - 1].n[week]++;
	VEC_RESERVE(t->cal, t->cal_cap, t->ncal + 1);
	VEC_RESERVE(t->order, t->order_cap, t->ncal + 1);
	t->order[t->ncal] = order;
	t->cal[t->ncal++] =
	    (tally_cal){.fit = v->score[i].fit, .engagement = v->score[i].engagement};
}

static int by_order(const void *a, const void *b, void *order)
{
	uint64_t x = ((const uint64_t *)order)[*(const uint32_t *)a];
	uint64_t y = ((const uint64_t *)order)[*(const uint32_t *)b];
	return x < y ? -1 : x > y;
}

void tally_place(lead_tally *t, const uint64_t *keys, size_t nkeys)
{
	size_t n = t->ncal;
	uint32_t *idx = xmalloc((n ? n : 1) * sizeof *idx);
	for (size_t k = 0; k < n; k++)
		idx[k] = (uint32_t)k;
	if (n)
		qsort_r(idx, n, sizeof *idx, by_order, t->order);
	/* the records in source order, at their number: they stay until the report */
	tally_cal *cal = xmalloc((n ? n : 1) * sizeof *cal);
	size_t j = 0;
	for (size_t k = 0; k < n; k++) {
		uint64_t o = t->order[idx[k]];
		while (j < nkeys && keys[j] < o)
			j++;
		cal[k] = t->cal[idx[k]];
		cal[k].before = (uint32_t)j;
	}
	free(idx);
	free(t->cal);
	free(t->order);
	t->order = NULL;
	t->order_cap = 0;
	t->cal = cal;
	t->cal_cap = n;
}

int64_t tally_created_in(const lead_tally *t, const metrics_params *p, ts_ms start, ts_ms end)
{
	int64_t n = 0;
	for (int w = 0; t && w < TREND_WEEKS; w++)
		if (p->week_start[w] >= start && p->week_start[w] < end)
			n += t->created[w];
	return n;
}
