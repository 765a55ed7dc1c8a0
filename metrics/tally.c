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
	t->cal[t->ncal++] = (tally_cal){
	    .fit = v->score[i].fit, .engagement = v->score[i].engagement, .place = order};
}

static void swap_cal(tally_cal *a, tally_cal *b)
{
	tally_cal t = *a;
	*a = *b;
	*b = t;
}

/* Restore the heap property below root in c[0..n), by place. */
static void sift_down(tally_cal *c, size_t root, size_t n)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && c[child + 1].place > c[child].place)
			child++;
		if (c[root].place >= c[child].place)
			return;
		swap_cal(&c[root], &c[child]);
	}
}

/* The records in ascending place, in place (a heap sort: no second array
 * beside them; places are unique, so no order among equals is lost). */
static void sort_by_place(tally_cal *c, size_t n)
{
	for (size_t k = n / 2; k-- > 0;)
		sift_down(c, k, n);
	for (size_t end = n; end > 1; end--) {
		swap_cal(&c[0], &c[end - 1]);
		sift_down(c, 0, end - 1);
	}
}

void tally_place(lead_tally *t, const uint64_t *keys, size_t nkeys)
{
	size_t n = t->ncal, j = 0;
	sort_by_place(t->cal, n);
	for (size_t k = 0; k < n; k++) {
		while (j < nkeys && keys[j] < t->cal[k].place)
			j++;
		t->cal[k].place = j;
	}
	/* the records stay until the report: at their number */
	t->cal = xrealloc(t->cal, (n ? n : 1) * sizeof *t->cal);
	t->cal_cap = n ? n : 1;
}

int64_t tally_created_in(const lead_tally *t, const metrics_params *p, ts_ms start, ts_ms end)
{
	int64_t n = 0;
	for (int w = 0; t && w < TREND_WEEKS; w++)
		if (p->week_start[w] >= start && p->week_start[w] < end)
			n += t->created[w];
	return n;
}
