/* tally.c — the counts of the leads that stand in the report only through
 * their creation (tally.h). It must not compute a table: funnel.c,
 * trend.c and breakdown.c add these counts where their own loops would
 * have met the leads. */
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
	*t = (lead_tally){0};
}

bool tally_only_created(const view *v, size_t i)
{
	lead_view l_at = lv_get(v, i);
	const lead_view *l = &l_at;
	return l->exists && funnel_week_of(v->p, l->t[LT_CREATED]) >= 0 && !lv_set(l, LT_MQL) &&
	       !lv_set(l, LT_SQL) && !lv_set(l, LT_WON) && !lv_set(l, LT_OPPORTUNITY);
}

void tally_add(lead_tally *t, const view *v, size_t i, sym channel, sym campaign)
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
	t->counted++;
}

int64_t tally_created_in(const lead_tally *t, const metrics_params *p, ts_ms start, ts_ms end)
{
	int64_t n = 0;
	for (int w = 0; t && w < TREND_WEEKS; w++)
		if (p->week_start[w] >= start && p->week_start[w] < end)
			n += t->created[w];
	return n;
}
