/* The data model's own mechanics: the string pool and dataset_index(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dataset.h"

static void pool_interns_once_and_keeps_known_types_first(void **state)
{
	(void)state;
	dataset *ds = dataset_new();
	/* the known event types are ids 1..24, so sym == ev_kind */
	assert_int_equal(pool_find(ds->pool, "content_download", 16), EV_CONTENT_DOWNLOAD);
	assert_int_equal(pool_find(ds->pool, "sales_touch", 11), EV_SALES_TOUCH);
	assert_int_equal(ev_kind(pool_intern(ds->pool, "tweet", 5)), EV_UNKNOWN);
	sym a = pool_intern(ds->pool, "paid_search", 11);
	assert_int_equal(pool_intern(ds->pool, "paid_search", 11), a);
	assert_string_equal(ds_str(ds, a), "paid_search");
	assert_int_equal(pool_intern(ds->pool, "", 0), 0);
	assert_string_equal(ds_str(ds, 0), "");
	/* many strings survive rehashing */
	char buf[32];
	sym ids[5000];
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof buf, "campaign-%d", i);
		ids[i] = pool_intern(ds->pool, buf, (size_t)n);
	}
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof buf, "campaign-%d", i);
		assert_int_equal(pool_find(ds->pool, buf, (size_t)n), ids[i]);
		assert_string_equal(ds_str(ds, ids[i]), buf);
	}
	dataset_free(ds);
}

static void add_event(dataset *ds, uint32_t lead, ts_ms at, sym campaign)
{
	dataset_add_event(ds, at, lead, dataset_tag(ds, EV_PAGE_VISIT, 0, campaign));
}

/* Events arrive interleaved, out of order and with ties; the index groups
 * them by lead in time order, ties in file order, orphans last. */
static void index_orders_by_lead_time_and_file_order(void **state)
{
	(void)state;
	dataset *ds = dataset_new();
	ds->nleads = 3;
	VEC_RESERVE(ds->leads, ds->leads_cap, 3);
	memset(ds->leads, 0, 3 * sizeof *ds->leads);
	/* lead 0: 200 events whose times cycle through 7 values (the merge-sort
	 * path, with ties across merged runs); campaign = file position + 1 */
	for (uint32_t i = 0; i < 200; i++)
		add_event(ds, 0, (ts_ms)(1000 + (6 - i % 7)), (sym)(i + 1));
	/* lead 2: three events, the last one earliest (the insertion path) */
	add_event(ds, 2, 50, 901);
	add_event(ds, NO_LEAD, 10, 999);
	add_event(ds, 2, 60, 902);
	add_event(ds, 2, 40, 903);
	dataset_index(ds);

	assert_int_equal(ds->lead_ev[0], 0);
	assert_int_equal(ds->lead_ev[1], 200);
	assert_int_equal(ds->lead_ev[2], 200); /* lead 1 has none */
	assert_int_equal(ds->lead_ev[3], 203);
	const event *e = ds->events;
	/* expected: time 1000 first (file rows 6, 13, 20, …), then 1001 (rows
	 * 5, 12, …) … up to 1006 (rows 0, 7, …): by time, ties in file order */
	uint32_t k = 0;
	for (int t = 0; t < 7; t++) {
		for (uint32_t i = 0; i < 200; i++) {
			if (6 - (int)(i % 7) != t)
				continue;
			assert_int_equal(e[k].at, 1000 + t);
			assert_int_equal(ds_tag(ds, &e[k])->campaign, i + 1);
			k++;
		}
	}
	assert_int_equal(k, 200);
	assert_int_equal(ds_tag(ds, &e[200])->campaign, 903);
	assert_int_equal(ds_tag(ds, &e[201])->campaign, 901);
	assert_int_equal(ds_tag(ds, &e[202])->campaign, 902);
	assert_int_equal(ds_event_lead(ds, 203), NO_LEAD); /* orphans last */
	assert_int_equal(ds_event_lead(ds, 202), 2);
	assert_int_equal(ds_event_lead(ds, 0), 0);
	dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pool_interns_once_and_keeps_known_types_first),
	    cmocka_unit_test(index_orders_by_lead_time_and_file_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
