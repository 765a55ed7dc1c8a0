/* The lead-id index the events probe (ingest/leadix.h): its three
 * layouts, digit slots when every id is a shared prefix and a number they
 * can hold, short slots when every id allows them and long ones otherwise,
 * find every lead and nothing else, also through the queue that delays the
 * probes; and the hash's fixed-size loads of short keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fasthash.h"
#include "leadix.h"

typedef struct key {
	const char *s;
	size_t len;
} key;

#define K(lit)                                                                                     \
	{                                                                                          \
		lit, sizeof lit - 1                                                                \
	}

static dataset *with_leads(const key *ids, size_t n)
{
	dataset *ds = dataset_new();
	VEC_RESERVE(ds->leads, ds->leads_cap, n);
	memset(ds->leads, 0, n * sizeof *ds->leads);
	for (size_t i = 0; i < n; i++)
		ds->leads[i].id = pool_intern(ds->pool, ids[i].s, ids[i].len);
	ds->nleads = n;
	return ds;
}

/* Ids that look like others: a prefix, one byte more, a NUL where the
 * padding of a shorter id has one, a space, a case, another org's or
 * another object's Salesforce prefix, the shared prefix alone. */
static const key absent[] = {
    K("L"),
    K("L1\0"),
    K("L10"),
    K("L000004"),
    K("L00000421"),
    K("L0000042 "),
    K("l0000042"),
    K("A\0"),
    K("1004376021"),
    K("100437602111"),
    K("1234567890123"),
    K("12345678901\0"),
    K("0010043760211"),
    K("00Q5f00000AbCdEfGh"),
    K("00Q5f00000AbCdEfG"),
    K("00Q5f00000AbCdEfGHI"),
    K("00Q5e00000AbCdEfGH"),
    K("006Qf00000AbCdEfGH"),
    K("00Q5f00000"),
    K("00Q5f00000\0bCdEfGH"),
    K("a very long id beyond the inline twenty-four bytes, changed"),
};

enum layout { LONG, SHORT, DIGITS };

static enum layout layout_of(const leadix *x)
{
	return x->num ? DIGITS : x->small ? SHORT : LONG;
}

/* The index of ids has layout want, finds each id's lead, and finds no
 * lead for the ids of `absent` that are not among them nor for any of
 * no[0..nno). */
static void check_index_without(const key *ids, size_t n, enum layout want, const key *no,
				size_t nno)
{
	dataset *ds = with_leads(ids, n);
	leadix x;
	leadix_build(&x, ds);
	assert_int_equal(layout_of(&x), want);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(leadix_get(&x, ids[i].s, ids[i].len), i);
	for (size_t i = 0; i < sizeof absent / sizeof *absent; i++) {
		bool same = false;
		for (size_t j = 0; j < n; j++)
			same |= ids[j].len == absent[i].len &&
				!memcmp(ids[j].s, absent[i].s, ids[j].len);
		if (!same)
			assert_int_equal(leadix_get(&x, absent[i].s, absent[i].len), NO_LEAD);
	}
	for (size_t i = 0; i < nno; i++)
		assert_int_equal(leadix_get(&x, no[i].s, no[i].len), NO_LEAD);
	leadix_free(&x);
	dataset_free(ds);
}

static void check_index(const key *ids, size_t n, enum layout want)
{
	check_index_without(ids, n, want, NULL, 0);
}

/* The word of n bytes is memcpy's, for every length and alignment. */
static void a_word_of_up_to_eight_bytes_is_memcpys(void **state)
{
	(void)state;
	char buf[24];
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (char)(0x81 + 37 * i);
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n <= 8; n++) {
			uint64_t want = 0;
			memcpy(&want, buf + off, n);
			/* the bytes alone in a block of their size: under the
			 * address sanitizer a read past them fails */
			char *b = malloc(n ? n : 1);
			assert_non_null(b);
			memcpy(b, buf + off, n);
			assert_int_equal(load_upto8(b, n), want);
			free(b);
		}
}

/* The digits of a numeric id read eight at a time give the number a
 * digit at a time gives, for every length up to 19 and both ends of each
 * digit's range; any byte that is not a digit, at any place, fails the
 * reading, next to digits or next to the bytes that carry when 6 is added
 * (0xFA to 0xFF). */
static bool digits_slowly(const char *s, size_t len, uint64_t *v)
{
	uint64_t r = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		r = r * 10 + (uint64_t)(s[i] - '0');
	}
	*v = r;
	return true;
}

static void digits_read_eight_at_a_time(void **state)
{
	(void)state;
	char t[20];
	uint64_t v, want;
	unsigned seed = 12345;
	for (size_t len = 0; len <= 19; len++) {
		for (int k = 0; k < 200; k++) {
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245u + 12345u;
				t[i] = k == 0	? '0'
				       : k == 1 ? '9'
						: (char)('0' + (seed >> 16) % 10);
			}
			assert_true(digits_value(t, len, &v));
			assert_true(digits_slowly(t, len, &want));
			assert_true(v == want);
		}
		for (size_t at = 0; at < len; at++)
			for (int b = 0; b < 256; b++) {
				if (b >= '0' && b <= '9')
					continue;
				for (size_t i = 0; i < len; i++)
					t[i] = i == at + 1 ? (char)0xFF : '5';
				t[at] = (char)b;
				assert_false(digits_value(t, len, &v));
			}
	}
	/* the largest of 19 digits, and a number of 8 digits */
	assert_true(digits_value("9999999999999999999", 19, &v));
	assert_true(v == UINT64_C(9999999999999999999));
	assert_true(digits_value("01234567", 8, &v));
	assert_int_equal(v, 1234567);
}

/* Each lead's slot holds its id (or, in short slots, the id's rest after
 * the shared prefix) byte for byte, zero-padded, as memcpy would put it. */
static void check_slots(const key *ids, size_t n)
{
	dataset *ds = with_leads(ids, n);
	leadix x;
	leadix_build(&x, ds);
	for (size_t i = 0; i < n; i++) {
		const char *s = ids[i].s;
		size_t len = ids[i].len;
		if (x.num) {
			/* the rest's value, less the smallest of them */
			char rest[32] = {0};
			memcpy(rest, s + x.plen, len - x.plen);
			uint64_t want = strtoull(rest, NULL, 10) - x.vmin;
			size_t found = 0;
			for (size_t j = 0; j < x.nslots; j++)
				if (x.num[j].lead == i + 1) {
					assert_int_equal(x.num[j].key, want);
					found++;
				}
			assert_int_equal(found, 1);
			continue;
		}
		if (x.small) {
			s += x.plen;
			len -= x.plen;
		}
		unsigned char want[LEADIX_INLINE] = {0};
		memcpy(want, s, len < LEADIX_INLINE ? len : LEADIX_INLINE);
		size_t found = 0;
		for (size_t j = 0; j < x.nslots; j++) {
			if (x.small && x.small[j].lead == i + 1) {
				assert_memory_equal(&x.small[j].k01, want, 8);
				assert_memory_equal(&x.small[j].k2, want + 8, 4);
				found++;
			} else if (!x.small && x.slot[j].lead == i + 1) {
				assert_int_equal(x.slot[j].len, len);
				/* a longer id: its first 16 bytes, and where it is */
				assert_memory_equal(x.slot[j].w, want,
						    len <= LEADIX_INLINE ? LEADIX_INLINE : 16);
				found++;
			}
		}
		assert_int_equal(found, 1);
	}
	leadix_free(&x);
	dataset_free(ds);
}

/* Ids of every length up to the short slots' 12 bytes, then up to the
 * long slots' 24 (and one longer), in pairs that differ in one byte, each
 * position in turn: every byte of an id is in its slot, so each finds its
 * own lead, in both layouts, and its slot holds every byte of it. */
static void every_byte_of_an_id_counts(void **state)
{
	(void)state;
	static char text[24 * 24 * 2][24];
	static key ids[24 * 24 * 2 + 1];
	for (int layout = 0; layout < 2; layout++) {
		size_t n = 0;
		for (size_t len = 1; len <= (layout ? 24u : 12u); len++)
			for (size_t at = 0; at < len; at++)
				for (int v = 0; v < 2; v++) {
					char *t = text[n];
					for (size_t i = 0; i < len; i++)
						t[i] = (char)('a' + (len + i) % 26);
					t[at] = v ? 'Z' : 'Y';
					ids[n] = (key){t, len};
					n++;
				}
		if (layout) /* one id beyond a slot */
			ids[n++] = (key)K("an id longer than the twenty-four bytes of a slot");
		/* distinct ids only: a pair can repeat one of another length's */
		size_t m = 0;
		for (size_t i = 0; i < n; i++) {
			bool seen = false;
			for (size_t j = 0; j < m && !seen; j++)
				seen = ids[j].len == ids[i].len &&
				       !memcmp(ids[j].s, ids[i].s, ids[i].len);
			if (!seen)
				ids[m++] = ids[i];
		}
		check_index(ids, m, layout ? LONG : SHORT);
		check_slots(ids, m);
	}
}

/* Prefixed and numeric ids, up to 12 bytes: short slots. */
static void short_ids_take_short_slots(void **state)
{
	(void)state;
	static const key ids[] = {K("L0000042"),     K("L0000043"),    K("10043760211"), K("A"),
				  K("123456789012"), K("12345678901"), K("x y")};
	check_index(ids, sizeof ids / sizeof *ids, SHORT);
}

/* Leads "Q-" and the id `form` makes of a number, 200 numbers: the id
 * with the byte `more` after it is no lead. Two leads in a table of 16
 * lines: were that id compared with the lead's in the short slots, the two
 * hashes would share a line in about one table of 16. */
static void one_byte_more_is_no_lead(const char *form, char more, size_t plen)
{
	for (size_t i = 0; i < 200; i++) {
		char z[24] = {0};
		int len = snprintf(z, sizeof z, form, i * 7919 + 13);
		key id[2] = {{z, (size_t)len}, K("Q-")};
		dataset *ds = with_leads(id, 2);
		leadix x;
		leadix_build(&x, ds);
		assert_non_null(x.small);
		assert_int_equal(x.plen, plen);
		assert_int_equal(leadix_get(&x, z, (size_t)len), 0);
		z[len] = more;
		assert_int_equal(leadix_get(&x, z, (size_t)len + 1), NO_LEAD);
		leadix_free(&x);
		dataset_free(ds);
	}
}

/* An id and the same bytes with a NUL after them are zero-padded alike:
 * an id with a NUL must never reach the short slots' comparison, with a
 * shared prefix left out or none. */
static void a_trailing_nul_is_another_id(void **state)
{
	(void)state;
	one_byte_more_is_no_lead("%zu", 0, 0);
	one_byte_more_is_no_lead("Q%zu", 0, 1);
}

/* A lead's rest followed by NULs up to any length a short slot holds is
 * zero-padded as the rest alone is: every such id is no lead, whichever
 * of the rest's two words the NULs reach. Two leads a table, as in
 * one_byte_more_is_no_lead(), so that a probe of another hash often
 * reaches the lead's line, and twenty rests of each length. */
static void nuls_to_any_short_length_are_no_lead(void **state)
{
	(void)state;
	size_t tried = 0;
	for (size_t p = 1; p < LEADIX_SHORT; p++)
		for (size_t v = 0; v < 20; v++) {
			char text[LEADIX_SHORT + 2] = "Q";
			for (size_t k = 0; k < p; k++)
				text[1 + k] = (char)('a' + (k * 7 + v) % 26);
			key id[2] = {{text, p + 1}, {"Q-", 2}};
			dataset *ds = with_leads(id, 2);
			leadix x;
			leadix_build(&x, ds);
			assert_non_null(x.small);
			assert_int_equal(x.plen, 1);
			assert_int_equal(leadix_get(&x, text, p + 1), 0);
			for (size_t n = p + 1; n <= LEADIX_SHORT; n++) {
				/* text's NULs past p + 1: the id has n bytes after Q */
				if (leadix_get(&x, text, n + 1) != NO_LEAD)
					fail_msg("\"%s\" and %zu NULs is taken for a lead", text,
						 n - p);
				tried++;
			}
			leadix_free(&x);
			dataset_free(ds);
		}
	assert_int_equal(tried, 20 * LEADIX_SHORT * (LEADIX_SHORT - 1) / 2);
}

/* A rest of 12 bytes and the same with one byte more share their first
 * 12 bytes: an id whose rest is too long must never reach the short
 * slots' comparison either. */
static void a_longer_rest_is_another_id(void **state)
{
	(void)state;
	one_byte_more_is_no_lead("Q%012zu", '7', 1);
}

/* Ids of 40 bytes that share 36: the slots leave out 32 bytes (the most
 * they leave out) and hold the other 8, also through the queue, which
 * then holds ids longer than a long slot's 24 bytes. */
static void a_long_prefix_is_capped(void **state)
{
	(void)state;
	enum { N = 4 };
	char text[N][48];
	key ids[N];
	for (size_t i = 0; i < N; i++) {
		int len = snprintf(text[i], sizeof text[i], "%s%04zu",
				   "an export's own id scheme, 36 bytes:", i * 37 + 5);
		ids[i] = (key){text[i], (size_t)len};
		assert_int_equal(len, 40);
	}
	check_index(ids, N, SHORT);
	dataset *ds = with_leads(ids, N);
	leadix x;
	leadix_build(&x, ds);
	assert_int_equal(x.plen, LEADIX_PFX);
	static const key other = K("an export's own id scheme, 36 bytes:0006");
	evq q = {0};
	for (size_t i = 0; i < 2 * N + 1; i++) {
		const key *k = i < 2 * N ? &ids[(i * 3) % N] : &other;
		evq_push(&q, &x, ds, k->s, k->len, 1764000000000,
			 dataset_tag(ds, EV_PAGE_VISIT, 0, (sym)(i + 1)));
	}
	evq_flush(&q, &x, ds);
	dataset_index(ds);
	assert_int_equal(ds->nevents, 2 * N + 1);
	for (size_t k = 0; k < ds->nevents; k++) {
		size_t i = ds_tag(ds, &ds->events[k])->campaign - 1;
		assert_int_equal(ds_event_lead(ds, k), i < 2 * N ? (i * 3) % N : NO_LEAD);
	}
	leadix_free(&x);
	dataset_free(ds);
}

/* Salesforce ids of one org share their first characters (object, pod):
 * the short slots hold the rest. */
static void a_shared_prefix_is_left_out(void **state)
{
	(void)state;
	static const key ids[] = {K("00Q5f00000AbCdEfGH"), K("00Q5f00000AbCdEfGi"),
				  K("00Q5f00001zzzzzzzz"), K("00Q5f0000Q00000000")};
	check_index(ids, sizeof ids / sizeof *ids, SHORT);
}

/* The shared prefix can be a whole id: its rest is empty. */
static void an_id_can_be_the_prefix(void **state)
{
	(void)state;
	static const key ids[] = {K("L12"), K("L1"), K("L123"), K("L1234567890123")};
	check_index(ids, sizeof ids / sizeof *ids, SHORT);
}

/* An id of 13 bytes or more past the shared prefix puts every id in a
 * long slot. */
static void one_long_id_makes_every_slot_long(void **state)
{
	(void)state;
	static const key ids[] = {
	    K("L0000042"),
	    K("10043760211"),
	    K("00Q5f00000AbCdEfGH"), /* Salesforce, 18 bytes */
	    K("a very long id beyond the inline twenty-four bytes"),
	};
	check_index(ids, sizeof ids / sizeof *ids, LONG);
}

/* Digit slots hold a number only where its digits and its value determine
 * each other: ids of one width (leading zeros allowed), or of any width
 * without leading zeros; values within 2^32 of each other; at most 19
 * digits. Elsewhere the ids take short or long slots. An id whose digits
 * are a lead's value written otherwise, or whose value lies 2^32 past a
 * lead's, is no lead. */
static void digit_slots_hold_numbers_only(void **state)
{
	(void)state;
	/* of one width, after the shared prefix "L0" */
	static const key width[] = {K("L0000042"), K("L0000043"), K("L0999999")};
	static const key not_width[] = {K("L000042"),  K("L00000042"),	K("L0 00042"),
					K("L00000-1"), K("L0000042\0"), K("l0000042"),
					K("L1000042"), K("L0000044")};
	check_index_without(width, 3, DIGITS, not_width, sizeof not_width / sizeof *not_width);
	check_slots(width, 3);
	/* of any width (HubSpot's Record IDs over the years) */
	static const key any[] = {K("51"), K("101"), K("7"), K("0"), K("4294967295")};
	static const key not_any[] = {K("051"),
				      K("00"),
				      K("0101"),
				      K("+51"),
				      K("-7"),
				      K("51 "),
				      K(" 51"),
				      K("5a"),
				      K(""),
				      K("4294967296"),
				      K("52"),
				      K("18446744073709551667"),
				      K("10000000000000000051")};
	check_index_without(any, 5, DIGITS, not_any, sizeof not_any / sizeof *not_any);
	check_slots(any, 5);
	/* the smallest value is what keys are counted from: 2^32 past a
	 * lead's value is no lead (a key of 32 bits would wrap to it) */
	static const key from500[] = {K("500"), K("600")};
	static const key not_from500[] = {K("4294967796"), K("4294967896"), K("499"), K("601")};
	check_index_without(from500, 2, DIGITS, not_from500,
			    sizeof not_from500 / sizeof *not_from500);
	/* leading zeros in ids of several widths: bytes, not numbers */
	static const key zeros[] = {K("01"), K("1"), K("001")};
	check_index(zeros, 3, SHORT);
	/* values 2^32 apart or more */
	static const key far[] = {K("0"), K("4294967296")};
	check_index(far, 2, SHORT);
	/* 20 digits, or an empty rest */
	static const key long20[] = {K("12345678901234567890"), K("92345678901234567890")};
	check_index(long20, 2, LONG);
	/* the shared prefix "L1" would leave an empty rest: "L" is left out */
	static const key empty_rest[] = {K("L1"), K("L12")};
	static const key not_empty_rest[] = {K("L"), K("L01"), K("L012"), K("L13"), K("1")};
	check_index_without(empty_rest, 2, DIGITS, not_empty_rest,
			    sizeof not_empty_rest / sizeof *not_empty_rest);
	check_slots(empty_rest, 2);
}

/* Many leads (tables of several lines, probes that wrap), every layout:
 * numeric ids of any width, numeric ids of one width as the generator
 * writes them, Salesforce-like ids with a shared prefix, long ids with
 * none. */
static void many_leads_in_every_layout(void **state)
{
	(void)state;
	enum { N = 5000, NL = 4 };
	static const char *const form[NL] = {"%zu", "1%010zu", "00Q5f%013zuZZ",
					     "%zu-of-many-long-ids"};
	static const enum layout want[NL] = {DIGITS, DIGITS, SHORT, LONG};
	static char text[NL][N][32];
	static key ids[NL][N];
	for (int lay = 0; lay < NL; lay++) {
		for (size_t i = 0; i < N; i++) {
			int len =
			    snprintf(text[lay][i], sizeof text[lay][i], form[lay], i * 7919 + 1);
			ids[lay][i] = (key){text[lay][i], (size_t)len};
		}
		check_index(ids[lay], N, want[lay]);
		if (want[lay] == DIGITS)
			check_slots(ids[lay], N);
	}
}

/* Digit slots are in the numbers' order when the numbers are spread over
 * their range, as a CRM's record numbers are, and hashed when they bunch
 * (most of them in a small part of a wide range), where that order would
 * crowd them into a few slots: either way every lead is found, and a
 * number beyond the leads' range, which that order has no slot for, finds
 * none. */
static void digit_slots_in_order_or_hashed(void **state)
{
	(void)state;
	enum { N = 3000 };
	static char text[N][24];
	static key ids[N];
	for (int bunched = 0; bunched < 2; bunched++) {
		for (size_t i = 0; i < N; i++) {
			/* spread: every 64th number or so, 5 to 191,944; bunched:
			 * the first numbers and one of almost 2^32 more */
			unsigned long long v =
			    bunched ? (i + 1 < N ? 7 + i : 4000000007ULL) : 5 + i * 64 + i % 7;
			int len = snprintf(text[i], sizeof text[i], "%llu", v);
			ids[i] = (key){text[i], (size_t)len};
		}
		/* below the smallest, above the largest, far above */
		static const key beyond[] = {K("0"),	      K("4"),	       K("6"),
					     K("191945"),     K("4000000008"), K("4294967302"),
					     K("99999999999")};
		check_index_without(ids, N, DIGITS, beyond, sizeof beyond / sizeof *beyond);
		check_slots(ids, N);
		dataset *ds = with_leads(ids, N);
		leadix x;
		leadix_build(&x, ds);
		if (bunched) {
			assert_true(x.scale == 0);
		} else {
			/* in order: each lead's slot after the one before */
			assert_true(x.scale != 0);
			size_t last = 0;
			for (size_t i = 0; i < N; i++) {
				size_t j = 0;
				while (x.num[j].lead != i + 1)
					j++;
				assert_true(i == 0 || j > last);
				last = j;
			}
		}
		leadix_free(&x);
		dataset_free(ds);
	}
}

/* A probe reads its home line at once and goes on slot by slot only past
 * a full one: leads whose slots lie past their home line are found, in
 * digit slots in the numbers' order (runs of four numbers far apart, so
 * that a run whose home is near its line's end spills into the next),
 * in hashed digit slots (numbers drawn at random from a small part of a
 * wide range, which the order would crowd) and in short slots (random
 * Salesforce-like ids). The digit slots are checked to hold such leads:
 * through the order's homes, and as full lines. */
static void a_full_line_sends_the_probe_on(void **state)
{
	(void)state;
	enum { N = 6000, DRAW = 4 * N };
	static char text[N][24];
	static key ids[N];
	static bool drawn[DRAW];
	static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint64_t r = 0x2545F4914F6CDD1DULL;
	for (int set = 0; set < 3; set++) {
		memset(drawn, 0, sizeof drawn);
		for (size_t i = 0; i < N; i++) {
			int len;
			if (set == 0) {
				len = snprintf(text[i], sizeof text[i], "%zu",
					       1000 + i / 4 * 1000 + i % 4);
			} else if (set == 1) {
				size_t v;
				do {
					r ^= r << 13, r ^= r >> 7, r ^= r << 17;
					v = (size_t)(r % DRAW);
				} while (drawn[v]);
				drawn[v] = true;
				len = snprintf(text[i], sizeof text[i], "%zu",
					       i + 1 < N ? 1000 + v : (size_t)4000000007ULL);
			} else {
				r ^= r << 13, r ^= r >> 7, r ^= r << 17;
				memcpy(text[i], "00Q5e000", 8);
				for (int k = 8; k < 18; k++)
					text[i][k] = b62[(r >> (6 * (k - 8))) % 62];
				len = 18;
			}
			ids[i] = (key){text[i], (size_t)len};
		}
		check_index(ids, N, set == 2 ? SHORT : DIGITS);
		dataset *ds = with_leads(ids, N);
		leadix x;
		leadix_build(&x, ds);
		if (set == 0) {
			assert_true(x.scale != 0);
			size_t past = 0;
			for (size_t j = 0; j < x.nslots; j++) {
				if (!x.num[j].lead)
					continue;
				size_t home = (size_t)(x.num[j].key * x.scale >> 32);
				past += j >= (home & ~(size_t)7) + 8;
			}
			assert_true(past > 10);
		} else if (set == 1) {
			assert_true(x.scale == 0);
			size_t full = 0;
			for (size_t j = 0; j < x.nslots; j += 8) {
				bool all = true;
				for (size_t k = 0; k < 8; k++)
					all &= x.num[j + k].lead != 0;
				full += all;
			}
			assert_true(full > 10);
		}
		leadix_free(&x);
		dataset_free(ds);
	}
}

/* Through the queue: every event reaches its lead (or the orphans), each
 * lead's in arrival order, the orphans in arrival order too, whatever is
 * looked up at once (ids no slot can hold) and what waits. */
static void queued_events_keep_their_order(void **state)
{
	(void)state;
	static const key ids[] = {K("L1"), K("L2"), K("L3"), K("12345678")};
	static const key seen[] = {K("L2"),	  K("L9"), K("A\0"), K("L1"), K("1234567890123"),
				   K("12345678"), K("L3"), K("L1"),  K("L0"), K("L2")};
	const size_t ns = sizeof seen / sizeof *seen, nev = 200;
	dataset *ds = with_leads(ids, 4);
	leadix x;
	leadix_build(&x, ds);
	assert_non_null(x.small);
	/* the lead of each of `seen`, by the order of `ids` */
	static const uint32_t lead_of_seen[] = {1, NO_LEAD, NO_LEAD, 0,	      NO_LEAD,
						3, 2,	    0,	     NO_LEAD, 1};
	uint32_t want[200];
	evq q = {0};
	for (size_t i = 0; i < nev; i++) {
		const key *k = &seen[(i * 3) % ns];
		want[i] = lead_of_seen[(i * 3) % ns];
		uint32_t tag = dataset_tag(ds, EV_PAGE_VISIT, 0, (sym)(i + 1));
		evq_push(&q, &x, ds, k->s, k->len, 1764000000000, tag);
	}
	evq_flush(&q, &x, ds);
	dataset_index(ds);
	assert_int_equal(ds->nevents, nev);
	int64_t last[5] = {-1, -1, -1, -1, -1}; /* per lead, then the orphans */
	for (size_t k = 0; k < nev; k++) {
		size_t i = ds_tag(ds, &ds->events[k])->campaign - 1;
		uint32_t lead = ds_event_lead(ds, k);
		assert_int_equal(lead, want[i]);
		int64_t *l = &last[lead == NO_LEAD ? 4 : lead];
		assert_true((int64_t)i > *l);
		*l = (int64_t)i;
	}
	leadix_free(&x);
	dataset_free(ds);
}

/* With keep_orphan_ids, every orphan's id comes back in the orphans'
 * order, in each layout, whichever way it was looked up (queued; at once:
 * too long for a slot, without the prefix the short or digit slots leave
 * out, or not a number the digit slots hold) and whichever reader's data
 * set it arrived in before the two were joined. */
static bool is_lead(const key *ids, size_t n, const key *k)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i].len == k->len && memcmp(ids[i].s, k->s, k->len) == 0)
			return true;
	return false;
}

static void orphans_keep_their_ids(void **state)
{
	(void)state;
	static const key lay[3][3] = {
	    {K("L1"), K("L2"), K("L3")},
	    {K("L1"), K("a lead id longer than the twenty-four bytes of a slot"), K("L3")},
	    {K("L1"), K("L2"), K("L3x")}};
	static const enum layout want[3] = {DIGITS, LONG, SHORT};
	static const key seen[] = {K("L9"),
				   K("L1"),
				   K("A\0"),
				   K("L2"),
				   K("L33"),
				   K("L3"),
				   K("a lead id longer than the twenty-four bytes of a slot, too"),
				   K("0L1"),
				   K("L1234567890123"),
				   K("a lead id longer than the twenty-four bytes of a slot")};
	const size_t ns = sizeof seen / sizeof *seen, nev = 120;
	for (int l = 0; l < 3; l++) {
		dataset *ds = with_leads(lay[l], 3), *second = dataset_new();
		ds->keep_orphan_ids = second->keep_orphan_ids = true;
		leadix x;
		leadix_build(&x, ds);
		assert_int_equal(layout_of(&x), want[l]);
		evq q[2];
		memset(q, 0, sizeof q);
		for (size_t i = 0; i < nev; i++) {
			const key *k = &seen[(i * 7) % ns];
			int w = i >= nev / 2;
			evq_push(&q[w], &x, w ? second : ds, k->s, k->len, 1764000000000,
				 dataset_tag(ds, EV_PAGE_VISIT, 0, 1));
		}
		evq_flush(&q[0], &x, ds);
		evq_flush(&q[1], &x, second);
		dataset_take_events(ds, second);
		dataset_index(ds);
		size_t pos = 0, orphans = 0;
		for (size_t i = 0; i < nev; i++) {
			const key *k = &seen[(i * 7) % ns];
			if (is_lead(lay[l], 3, k))
				continue;
			assert_int_equal(ds_event_lead(ds, ds->nevents - ds->norphan_ids + orphans),
					 NO_LEAD);
			const char *id = ds_next_orphan_id(ds, &pos);
			assert_non_null(id);
			assert_memory_equal(id, k->s, k->len);
			assert_int_equal(id[k->len], '\0');
			orphans++;
		}
		assert_true(orphans > 40);
		assert_int_equal(ds->norphan_ids, orphans);
		assert_null(ds_next_orphan_id(ds, &pos));
		leadix_free(&x);
		dataset_free(second);
		dataset_free(ds);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_word_of_up_to_eight_bytes_is_memcpys),
	    cmocka_unit_test(digits_read_eight_at_a_time),
	    cmocka_unit_test(every_byte_of_an_id_counts),
	    cmocka_unit_test(short_ids_take_short_slots),
	    cmocka_unit_test(a_trailing_nul_is_another_id),
	    cmocka_unit_test(nuls_to_any_short_length_are_no_lead),
	    cmocka_unit_test(a_longer_rest_is_another_id),
	    cmocka_unit_test(a_long_prefix_is_capped),
	    cmocka_unit_test(a_shared_prefix_is_left_out),
	    cmocka_unit_test(an_id_can_be_the_prefix),
	    cmocka_unit_test(one_long_id_makes_every_slot_long),
	    cmocka_unit_test(digit_slots_hold_numbers_only),
	    cmocka_unit_test(many_leads_in_every_layout),
	    cmocka_unit_test(digit_slots_in_order_or_hashed),
	    cmocka_unit_test(a_full_line_sends_the_probe_on),
	    cmocka_unit_test(queued_events_keep_their_order),
	    cmocka_unit_test(orphans_keep_their_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
