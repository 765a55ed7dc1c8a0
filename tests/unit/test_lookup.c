/* The name-keyed tables behind hostile inputs: the report tree's objects
 * (mv_set, mv_get, mv_set_first) and kvcounts hash their keys past a few
 * members. These tests pin what must not change with the index: first-seen
 * order, replace-in-place, counts summed per key, and lookups agreeing with
 * a plain scan on both sides of the size where the index starts; and trees
 * built on two threads, read and freed on a third (their pieces come from
 * each thread's slabs, their repeated keys from one shared area). They time
 * nothing (bench/hostile.sh does). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <glib.h>

#include "base.h"
#include "mval.h"

#define MANY 5000

static void key_of(int i, char *buf, size_t n)
{
	/* not in sorted order, so that insertion order is visible */
	snprintf(buf, n, "type_%05d", (i * 7919) % MANY);
}

static void objects_keep_first_seen_order(void **state)
{
	(void)state;
	char k[32];
	mval *o = mv_obj();
	for (int i = 0; i < MANY; i++) {
		key_of(i, k, sizeof k);
		mv_set(o, k, mv_int(i, MF_COUNT));
	}
	assert_int_equal(mv_len(o), MANY);
	for (int i = 0; i < MANY; i++) {
		key_of(i, k, sizeof k);
		assert_string_equal(mv_key(o, (size_t)i), k);
		assert_int_equal(mv_int_of(mv_get(o, k)), i);
		assert_ptr_equal(mv_get(o, k), mv_at(o, (size_t)i));
	}
	assert_null(mv_get(o, "type_absent"));
	assert_null(mv_get(o, ""));
	mv_free(o);
}

static void set_replaces_in_place(void **state)
{
	(void)state;
	/* below and above the size where the index starts */
	for (int n = 1; n <= 40; n++) {
		char k[32];
		mval *o = mv_obj();
		for (int i = 0; i < n; i++) {
			key_of(i, k, sizeof k);
			mv_set(o, k, mv_int(i, MF_COUNT));
		}
		for (int i = 0; i < n; i += 3) {
			key_of(i, k, sizeof k);
			mval *v = mv_set(o, k, mv_str("new"));
			assert_ptr_equal(mv_get(o, k), v);
		}
		assert_int_equal(mv_len(o), n);
		for (int i = 0; i < n; i++) {
			key_of(i, k, sizeof k);
			assert_string_equal(mv_key(o, (size_t)i), k);
			if (i % 3 == 0)
				assert_string_equal(mv_str_of(mv_at(o, (size_t)i)), "new");
			else
				assert_int_equal(mv_int_of(mv_at(o, (size_t)i)), i);
		}
		mv_free(o);
	}
}

static void set_first_moves_every_position(void **state)
{
	(void)state;
	char k[32];
	mval *o = mv_obj();
	for (int i = 0; i < 100; i++) {
		key_of(i, k, sizeof k);
		mv_set(o, k, mv_int(i, MF_COUNT));
	}
	mv_set_first(o, "report", mv_str("head"));
	assert_int_equal(mv_len(o), 101);
	assert_string_equal(mv_key(o, 0), "report");
	assert_string_equal(mv_str_of(mv_get(o, "report")), "head");
	for (int i = 0; i < 100; i++) {
		key_of(i, k, sizeof k);
		assert_string_equal(mv_key(o, (size_t)i + 1), k);
		assert_int_equal(mv_int_of(mv_get(o, k)), i);
	}
	/* an existing key is replaced where it is, not moved */
	key_of(50, k, sizeof k);
	mv_set_first(o, k, mv_int(-1, MF_COUNT));
	assert_string_equal(mv_key(o, 51), k);
	assert_int_equal(mv_int_of(mv_get(o, k)), -1);
	/* and keys set after the move are found */
	mv_set(o, "tail", mv_bool(true));
	assert_true(mv_bool_of(mv_get(o, "tail")));
	assert_string_equal(mv_key(o, 101), "tail");
	mv_free(o);
}

static void paths_find_members_of_large_objects(void **state)
{
	(void)state;
	mval *root = mv_obj();
	mval *dq = mv_set(root, "data_quality", mv_obj());
	mval *by = mv_set(dq, "unknown_event_types_by_type", mv_obj());
	char k[32];
	for (int i = 0; i < MANY; i++) {
		key_of(i, k, sizeof k);
		mv_set(by, k, mv_int(i + 1, MF_COUNT));
	}
	key_of(4321, k, sizeof k);
	char *path = xasprintf("data_quality.unknown_event_types_by_type.%s", k);
	assert_int_equal(mv_int_of(mv_path(root, path)), 4322);
	free(path);
	mv_free(root);
}

static void counts_sum_per_key_in_first_seen_order(void **state)
{
	(void)state;
	kvcounts c = {0};
	char k[32];
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < MANY; i++) {
			key_of(i, k, sizeof k);
			kvcounts_add(&c, k, round + 1);
		}
	}
	assert_int_equal(c.len, MANY);
	for (int i = 0; i < MANY; i++) {
		key_of(i, k, sizeof k);
		assert_string_equal(c.items[i].key, k);
		assert_int_equal(c.items[i].n, 6);
		assert_int_equal(kvcounts_get(&c, k), 6);
	}
	assert_int_equal(kvcounts_get(&c, "absent"), 0);
	kvcounts_clear(&c);
	assert_int_equal(c.len, 0);
	assert_null(c.items);
	/* cleared, it is empty and usable again */
	assert_int_equal(kvcounts_get(&c, k), 0);
	kvcounts_add(&c, "again", 2);
	kvcounts_add(&c, "again", 3);
	assert_int_equal(c.len, 1);
	assert_int_equal(kvcounts_get(&c, "again"), 5);
	kvcounts_clear(&c);
}

static void counts_agree_with_a_scan_at_every_size(void **state)
{
	(void)state;
	for (int n = 1; n <= 40; n++) {
		kvcounts c = {0};
		char k[32];
		for (int i = 0; i < n; i++) {
			key_of(i, k, sizeof k);
			kvcounts_add(&c, k, i);
			kvcounts_add(&c, k, 1);
		}
		assert_int_equal(c.len, n);
		for (int i = 0; i < n; i++) {
			key_of(i, k, sizeof k);
			int64_t scan = 0;
			for (size_t j = 0; j < c.len; j++)
				if (strcmp(c.items[j].key, k) == 0)
					scan = c.items[j].n;
			assert_int_equal(kvcounts_get(&c, k), scan);
			assert_int_equal(scan, i + 1);
		}
		kvcounts_clear(&c);
	}
}

/* Trees built on two threads, read and freed on a third, with keys that
 * rows repeat, keys longer than those kept once, and keys from data: every
 * key and value reads back, and freeing them all is clean. */
#define ROWS	 20000
#define LONG_KEY "a_key_long_enough_not_to_be_kept_once_among_the_shared_ones"

static gpointer build_rows(gpointer arg)
{
	int base = GPOINTER_TO_INT(arg);
	mval *rows = mv_arr();
	for (int i = 0; i < ROWS; i++) {
		char k[32];
		snprintf(k, sizeof k, "data_%d", base + i);
		mval *o = mv_push(rows, mv_obj());
		mv_set(o, "type", mv_str(k));
		mv_set(o, "events", mv_int(i, MF_COUNT));
		mv_set(o, LONG_KEY, mv_num(i + 0.5, MF_RATE));
		mv_set(o, k, mv_bool(true));
	}
	return rows;
}

static void trees_cross_threads(void **state)
{
	(void)state;
	GThread *a = g_thread_new("rows-a", build_rows, GINT_TO_POINTER(0));
	GThread *b = g_thread_new("rows-b", build_rows, GINT_TO_POINTER(ROWS));
	mval *trees[2] = {g_thread_join(a), g_thread_join(b)};
	for (int t = 0; t < 2; t++) {
		assert_int_equal(mv_len(trees[t]), ROWS);
		for (int i = 0; i < ROWS; i++) {
			char k[32];
			snprintf(k, sizeof k, "data_%d", t * ROWS + i);
			const mval *o = mv_at(trees[t], (size_t)i);
			assert_string_equal(mv_str_of(mv_get(o, "type")), k);
			assert_int_equal(mv_int_of(mv_get(o, "events")), i);
			assert_true(mv_num_of(mv_get(o, LONG_KEY)) == i + 0.5);
			assert_true(mv_bool_of(mv_get(o, k)));
			assert_string_equal(mv_key(o, 3), k);
		}
	}
	mv_free(trees[0]);
	mv_free(trees[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(objects_keep_first_seen_order),
	    cmocka_unit_test(set_replaces_in_place),
	    cmocka_unit_test(set_first_moves_every_position),
	    cmocka_unit_test(paths_find_members_of_large_objects),
	    cmocka_unit_test(counts_sum_per_key_in_first_seen_order),
	    cmocka_unit_test(counts_agree_with_a_scan_at_every_size),
	    cmocka_unit_test(trees_cross_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
