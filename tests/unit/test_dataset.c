/* The data model's own mechanics: the string pool and dataset_index(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dataset.h"
#include "evbins.h"

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
	/* … and trimming the table, then growing it again; a text whose
	 * bytes differ from a kept one's is not found */
	pool_trim(ds->pool);
	for (int i = 5000; i < 9000; i++) {
		int n = snprintf(buf, sizeof buf, "campaign-%d", i);
		assert_int_equal(pool_find(ds->pool, buf, (size_t)n), 0);
		pool_intern(ds->pool, buf, (size_t)n);
	}
	/* … and room made for more at once: what is interned stays, and what
	 * comes after takes the next ids */
	size_t before = pool_count(ds->pool);
	pool_reserve(ds->pool, 20000);
	pool_reserve(ds->pool, 10); /* less than there is room for: nothing */
	for (int i = 9000; i < 30000; i++) {
		int n = snprintf(buf, sizeof buf, "campaign-%d", i);
		assert_int_equal(pool_intern(ds->pool, buf, (size_t)n),
				 before + (size_t)(i - 9000));
	}
	for (int i = 0; i < 30000; i++) {
		int n = snprintf(buf, sizeof buf, "campaign-%d", i);
		sym k = pool_find(ds->pool, buf, (size_t)n);
		assert_true(k != 0);
		if (i < 5000)
			assert_int_equal(k, ids[i]);
		assert_string_equal(ds_str(ds, k), buf);
		assert_int_equal(pool_intern(ds->pool, buf, (size_t)n), k);
		assert_int_equal(pool_find(ds->pool, buf, (size_t)n + 1), 0); /* with its NUL */
	}
	dataset_free(ds);
}

/* A data set of n leads with every field empty, for the events' tests. */
static dataset *with_blank_leads(size_t n)
{
	dataset *ds = dataset_new();
	VEC_RESERVE(ds->leads, ds->leads_cap, n);
	memset(ds->leads, 0, n * sizeof *ds->leads);
	ds->nleads = n;
	return ds;
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
	dataset *ds = with_blank_leads(3);
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
			assert_int_equal(ev_at(ds, &e[k]), 1000 + t);
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

/* ---- events whose 8-byte word cannot hold them ---- */

#define NLEADS 3
#define MAXEV  256

/* One arrival: its lead (NLEADS for an orphan), time and tag. */
typedef struct arrival {
	uint32_t lead;
	ts_ms at;
	uint32_t tag;
} arrival;

/* What the index must give: each lead's arrivals stably sorted by time
 * (an instant beyond ±2^51 ms read as TS_NONE), orphans last in file order. */
static size_t expected_order(const arrival *a, size_t n, arrival *out)
{
	size_t k = 0;
	for (uint32_t l = 0; l <= NLEADS; l++) {
		size_t first = k;
		for (size_t i = 0; i < n; i++) {
			if (a[i].lead != l)
				continue;
			arrival x = a[i];
			if (x.at <= -(INT64_C(1) << 51) || x.at >= (INT64_C(1) << 51))
				x.at = TS_NONE;
			size_t j = k++;
			while (l < NLEADS && j > first && out[j - 1].at > x.at) {
				out[j] = out[j - 1];
				j--;
			}
			out[j] = x;
		}
	}
	return k;
}

static void check_index(const dataset *ds, const arrival *a, size_t n)
{
	arrival want[MAXEV];
	assert_int_equal(expected_order(a, n, want), n);
	assert_int_equal(ds->nevents, n);
	for (size_t k = 0; k < n; k++) {
		uint32_t lead = ds_event_lead(ds, k);
		assert_int_equal(lead == NO_LEAD ? NLEADS : lead, want[k].lead);
		assert_true(ev_at(ds, &ds->events[k]) == want[k].at);
		assert_int_equal(ev_tag_of(ds, &ds->events[k]), want[k].tag);
		assert_int_equal(ev_kind_of(&ds->events[k]), (int)(want[k].tag & 31));
	}
}

/* Milliseconds, instants before 1970 and after 2106 (beyond the arrival's
 * seconds) or 2527 (beyond the placed word), TS_NONE, instants out of
 * range and tags past EV_IDX_ESC keep their exact value and their order;
 * only they take room in dataset.evx. Indexing twice gives the same. */
static void events_that_do_not_fit_are_kept_exactly(void **state)
{
	(void)state;
	dataset *ds = with_blank_leads(NLEADS);
	uint32_t small = dataset_tag(ds, EV_SALES_TOUCH, 1, 2);
	uint32_t big = 0;
	for (sym c = 0; c <= EV_IDX_ESC + 10; c++)
		big = dataset_tag(ds, EV_DEMO_REQUEST, 3, 100 + c);
	assert_true(big >> EV_KIND_BITS > EV_IDX_ESC);
	uint32_t edge = dataset_tag(ds, EV_DEMO_REQUEST, 3, 100 + EV_IDX_ESC - 1);
	assert_int_equal(edge >> EV_KIND_BITS, EV_IDX_ESC); /* the first that does not fit */
	const ts_ms year = INT64_C(31556952000);
	const ts_ms times[] = {
	    1764000000000,		    /* whole seconds: fits */
	    1764000000123,		    /* milliseconds */
	    0,				    /* 1970 */
	    -1,				    /* just before 1970 */
	    -70 * year,			    /* 1900 */
	    INT64_C(4294967295000),	    /* the arrival's last second */
	    INT64_C(4294967296000),	    /* past it, still a placed word */
	    (INT64_C(1) << EV_AT_BITS) - 1, /* the placed word's last ms */
	    INT64_C(1) << EV_AT_BITS,	    /* past it */
	    INT64_C(253402300799999),	    /* 9999-12-31T23:59:59.999 */
	    TS_NONE,			    /* none */
	    (INT64_C(1) << 51) - 1,	    /* the last instant kept */
	    INT64_C(1) << 51,		    /* beyond: none */
	    -(INT64_C(1) << 51),	    /* beyond: none */
	    1764000000000,		    /* a tie with the first */
	};
	const size_t nt = sizeof times / sizeof *times;
	arrival a[MAXEV];
	size_t n = 0;
	for (size_t i = 0; i < nt; i++)
		for (uint32_t l = 0; l <= NLEADS; l++) {
			uint32_t tag = (i + l) % 3 == 0 ? big : (i + l) % 3 == 1 ? small : edge;
			a[n++] = (arrival){.lead = l, .at = times[nt - 1 - i], .tag = tag};
		}
	size_t fits = 0;
	for (size_t i = 0; i < n; i++) {
		ts_ms t = a[i].at;
		bool word = t >= 0 && t < (INT64_C(1) << EV_AT_BITS);
		fits += word && a[i].tag == small;
		dataset_add_event(ds, t, a[i].lead == NLEADS ? NO_LEAD : a[i].lead, a[i].tag);
	}
	dataset_index(ds);
	check_index(ds, a, n);
	assert_int_equal(ds->nevx, n - fits); /* the others are plain words */

	/* more arrive; the index is built again over all of them */
	for (uint32_t l = 0; l <= NLEADS; l++) {
		a[n] = (arrival){.lead = l, .at = 1764000000000 + 5 - l, .tag = small};
		dataset_add_event(ds, a[n].at, l == NLEADS ? NO_LEAD : l, small);
		n++;
	}
	dataset_index(ds);
	check_index(ds, a, n);
	assert_int_equal(ds->nevx, n - fits - (NLEADS + 1));
	dataset_free(ds);
}

/* A data set's events taken into another, as a second reader's are: each
 * arrives, after the other's, also those of a bin that holds fewer than a
 * line's worth (BIN_WC) and so no chunk yet, and one with milliseconds
 * among them keeps its place. */
static void events_taken_from_another_data_set_all_arrive(void **state)
{
	(void)state;
	const uint32_t nleads = 2 * (1u << BIN_BITS) + 10, far = (1u << BIN_BITS) + 1;
	dataset *ds = with_blank_leads(nleads);
	dataset *from = dataset_new();
	uint32_t mine = dataset_tag(ds, EV_PAGE_VISIT, 0, 7);
	uint32_t theirs = dataset_tag(ds, EV_EMAIL_OPEN, 0, 8);
	const ts_ms s = 1764000000000;
	dataset_add_event(ds, s + 3000, 0, mine);
	dataset_add_event(ds, s + 1000, 0, mine);
	dataset_add_event(ds, s + 5000, 0, mine);
	dataset_add_event(from, s + 4000, 0, theirs);
	dataset_add_event(from, s + 2000, 0, theirs);
	dataset_add_event(from, s + 2500, 1, theirs); /* milliseconds */
	dataset_add_event(from, s + 2000, 1, theirs);
	dataset_add_event(from, s, far, theirs);
	dataset_add_event(from, s, nleads - 1, theirs);
	dataset_add_event(from, s + 9000, NO_LEAD, theirs);
	dataset_take_events(ds, from);
	dataset_free(from);
	dataset_index(ds);
	assert_int_equal(ds->nevents, 10);
	static const struct {
		uint32_t lead;
		ts_ms at;
		bool mine;
	} want[] = {{0, 1000, true},	   {0, 2000, false}, {0, 3000, true},
		    {0, 4000, false},	   {0, 5000, true},  {1, 2000, false},
		    {1, 2500, false},	   {far, 0, false},  {nleads - 1, 0, false},
		    {NO_LEAD, 9000, false}};
	for (size_t k = 0; k < 10; k++) {
		assert_int_equal(ds_event_lead(ds, k), want[k].lead);
		assert_true(ev_at(ds, &ds->events[k]) == s + want[k].at);
		assert_int_equal(ev_tag_of(ds, &ds->events[k]), want[k].mine ? mine : theirs);
	}
	dataset_free(ds);
}

/* Events added after another data set's were taken in: they follow them,
 * whatever part of a line each data set had filled (three records here,
 * four there, so that the lines' places differ). */
static void events_added_after_a_take_follow(void **state)
{
	(void)state;
	dataset *ds = with_blank_leads(4);
	dataset *from = dataset_new();
	uint32_t tag = dataset_tag(ds, EV_PAGE_VISIT, 0, 7);
	const ts_ms s = 1764000000000;
	uint32_t k = 0;
	for (; k < 3; k++)
		dataset_add_event(ds, s + k * 1000, 0, tag);
	for (; k < 7; k++)
		dataset_add_event(from, s + k * 1000 + (k == 5), 0, tag); /* one exact */
	dataset_take_events(ds, from);
	dataset_free(from);
	for (; k < 100; k++)
		dataset_add_event(ds, s + k * 1000, 0, tag);
	dataset_index(ds);
	assert_int_equal(ds->nevents, 100);
	for (uint32_t i = 0; i < 100; i++) {
		assert_int_equal(ds_event_lead(ds, i), 0);
		assert_true(ev_at(ds, &ds->events[i]) == s + i * 1000 + (i == 5));
	}
	dataset_free(ds);
}

/* ---- many events: the bins placed by two threads ---- */

#define BIG_LEADS  20000u /* four full bins and a part */
#define BIG_EVENTS (PLACE_PAIR_MIN + 150000u)

typedef struct big_ev {
	uint64_t group; /* the lead; then strays by bin; then orphans */
	ts_ms at;	/* 0 for strays and orphans: they keep file order */
	uint32_t seq;	/* file order */
	ts_ms t;
	uint32_t lead, tag;
} big_ev;

static int big_cmp(const void *a, const void *b)
{
	const big_ev *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* More events than PLACE_PAIR_MIN, shuffled, with milliseconds, instants
 * before 1970 and tags that need the side table in both halves, leads
 * with more than 32 events (merged), events of leads past nleads (strays)
 * and orphans: the index is the stable per-lead time order whichever
 * thread placed a bin, and every exact value comes back. */
static void many_events_are_placed_in_the_same_order(void **state)
{
	(void)state;
	dataset *ds = with_blank_leads(BIG_LEADS);
	assert_true((BIG_LEADS >> BIN_BITS) >= 2);
	uint32_t tags[4] = {dataset_tag(ds, EV_PAGE_VISIT, 1, 2),
			    dataset_tag(ds, EV_EMAIL_OPEN, 3, 4)};
	for (sym c = 0; c <= EV_IDX_ESC + 1; c++)
		tags[2] = dataset_tag(ds, EV_DEMO_REQUEST, 5, 100 + c);
	tags[3] = dataset_tag(ds, EV_DEMO_REQUEST, 5, 100 + EV_IDX_ESC - 3);
	assert_int_equal(tags[2] >> EV_KIND_BITS, EV_IDX_ESC + 3); /* in the side table */
	assert_int_equal(tags[3] >> EV_KIND_BITS, EV_IDX_ESC - 1); /* the last that fits */
	big_ev *a = malloc(BIG_EVENTS * sizeof *a);
	assert_non_null(a);
	uint64_t x = 0x9E3779B97F4A7C15u;
	size_t fits = 0;
	for (uint32_t i = 0; i < BIG_EVENTS; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint32_t r = (uint32_t)(x >> 32), lead = r % BIG_LEADS, tag = tags[(x >> 8) % 4];
		if (r % 50 == 0)
			lead = r % 100; /* a few leads with hundreds of events */
		ts_ms at = 1764000000000 + (ts_ms)(x % 5000) * 1000; /* ties */
		if ((x >> 20) % 97 == 0)
			at += (ts_ms)(x % 999) + 1; /* milliseconds */
		if ((x >> 20) % 89 == 0)
			at = -(ts_ms)(x % 1000000); /* before 1970 */
		uint64_t group = lead;
		uint32_t add = lead;
		if (i % 10007 == 0) {
			add = BIG_LEADS + 1 + i % 3; /* strays, in the last bin */
			group = BIG_LEADS + ((uint64_t)add >> BIN_BITS);
		} else if (i % 10009 == 0) {
			add = NO_LEAD;
			group = UINT64_MAX;
		}
		bool stray_or_orphan = group >= BIG_LEADS;
		a[i] = (big_ev){.group = group,
				.at = stray_or_orphan ? 0 : at,
				.seq = i,
				.t = at,
				.lead = add,
				.tag = tag};
		fits += at >= 0 && at < (INT64_C(1) << EV_AT_BITS) && tag != tags[2];
		dataset_add_event(ds, at, add, tag);
	}
	assert_true(ds->nevents >= PLACE_PAIR_MIN);
	for (int pass = 0; pass < 2; pass++) { /* indexing again gives the same */
		dataset_index(ds);
		if (pass == 0)
			qsort(a, BIG_EVENTS, sizeof *a, big_cmp);
		assert_int_equal(ds->nevx, BIG_EVENTS - fits);
		for (size_t k = 0; k < BIG_EVENTS; k++) {
			uint32_t want = a[k].group < BIG_LEADS ? a[k].lead : NO_LEAD;
			assert_int_equal(ds_event_lead(ds, k), want);
			assert_true(ev_at(ds, &ds->events[k]) == a[k].t);
			assert_int_equal(ev_tag_of(ds, &ds->events[k]), a[k].tag);
		}
	}
	free(a);
	dataset_free(ds);
}

/* A lead's times: whole seconds from 1970 to 2072 in the lead's words,
 * anything else (milliseconds, before 1970, after 2072, TS_NONE) exact;
 * copied into another data set, the exact ones follow. */
static void lead_times_are_kept_exactly(void **state)
{
	(void)state;
	const ts_ms times[LT_COUNT] = {
	    1764000000000,		  /* whole seconds */
	    1764000000001,		  /* milliseconds */
	    0,				  /* 1970 */
	    -1000,			  /* before 1970 */
	    (ts_ms)(LT_W_ESC - 1) * 1000, /* the words' last second */
	    (ts_ms)LT_W_ESC * 1000,	  /* past it */
	    TS_NONE,			  /* none */
	    INT64_C(253402300799999),	  /* 9999-12-31T23:59:59.999 */
	    -INT64_C(62135596800000),	  /* 0001-01-01 */
	};
	dataset *a = dataset_new(), *b = dataset_new();
	lead l;
	memset(&l, 0, sizeof l);
	for (int f = 0; f < LT_COUNT; f++)
		lead_set_t(a, &l, f, times[f]);
	for (int f = 0; f < LT_COUNT; f++)
		assert_true(lead_t(a, &l, f) == times[f]);
	/* only the five that do not fit take room aside */
	assert_int_equal(a->nltx, 5);
	lead_set_t(a, &l, LT_WON, 1764000000000);
	assert_true(lead_t(a, &l, LT_WON) == 1764000000000);

	/* into b, whose table already holds one time */
	lead other;
	memset(&other, 0, sizeof other);
	lead_set_t(b, &other, LT_CREATED, 7);
	lead m = l;
	lead_rehome(b, &m, a);
	for (int f = 0; f < LT_COUNT; f++)
		assert_true(lead_t(b, &m, f) == lead_t(a, &l, f));
	assert_true(lead_t(b, &other, LT_CREATED) == 7);
	dataset_free(a);
	dataset_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(pool_interns_once_and_keeps_known_types_first),
	    cmocka_unit_test(index_orders_by_lead_time_and_file_order),
	    cmocka_unit_test(events_that_do_not_fit_are_kept_exactly),
	    cmocka_unit_test(lead_times_are_kept_exactly),
	    cmocka_unit_test(events_taken_from_another_data_set_all_arrive),
	    cmocka_unit_test(events_added_after_a_take_follow),
	    cmocka_unit_test(many_events_are_placed_in_the_same_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
