/* csvr.c — the streaming CSV reader: a fast path for records without a
 * quote or with plain quoted fields only, libcsv (strict) for the rest,
 * line and column for every error.
 *
 * The fast path (drain, split_record, scan_plain) is hand-written for
 * measured speed: it splits a record in place with no copy, finding the
 * separators, quotes and line ends of 64 bytes at a time. A quoted field
 * is taken in place only when it opens at the field's start, holds no
 * quote and no line end and is followed by the separator or the line end;
 * every other record holding a quote, and any record holding a quote that
 * reaches a cap, goes to libcsv from its start, which stays the judge of
 * quoting and of every error.
 *
 * It must not interpret fields (no trimming, no types, no encodings) nor
 * keep a record after its callback returns. */
#include "csvr.h"

#include <csv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
/* shape_masks_wide(), for processors with AVX-512BW, chosen at run time */
#define CSVR_WIDE 1
#endif

#include "base.h"

#define CSVR_DEFAULT_MAX_FIELD (1u << 20)

struct csvr {
	char *name;
	size_t max_field;
	size_t rec_cap; /* the largest record: a record of many small fields is bounded too */
	csvr_record_fn fn;
	void *ctx;
	struct csv_parser p;

	char *buf; /* bytes of a record not yet complete */
	size_t blen, bcap;
	uint64_t fed;  /* bytes fed, BOM included */
	uint32_t line; /* line of the next unconsumed byte */
	bool prev_cr;  /* the last consumed byte was a CR (a following LF is its pair) */
	bool bom_done;
	bool failed;
	char err[512];

	csvr_field *fields; /* the record being handed to the callback */
	size_t nf, fcap;
	char *fbuf; /* libcsv's unescaped fields, back to back */
	size_t fblen, fbcap;
	size_t *foff; /* offset and length of each libcsv field in fbuf */
	size_t nfo, focap;
	bool row_done;

	size_t expect;		/* the fields of a record (csvr_expect()); 0: not known */
	bool plain;		/* the record handed on is plain ASCII (csvr_plain()) */
	bool quoted;		/* … and its first field was in quotes (csvr_quoted()) */
	unsigned char delim;	/* the field separator: ',' unless set */
	bool delim_auto;	/* sniff it from the first lines before parsing */
	bool want_end;		/* call the callback with no fields at the end */
	bool wide;		/* the shape path's masks by 64-byte compares */
	unsigned char cls[256]; /* byte classes of the fast path, for this delimiter */
};

/* libcsv's buffer cap: its realloc hook has no context, so the reader
 * sets the cap of the parse in progress here. */
static _Thread_local size_t csvr_lib_cap;

static void *capped_realloc(void *ptr, size_t size)
{
	if (size > csvr_lib_cap)
		return NULL;
	return realloc(ptr, size);
}

/* RFC 4180: spaces are part of a field, libcsv must not trim them. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static void fail_at(csvr *r, uint32_t line, size_t col, const char *what)
{
	if (r->failed)
		return;
	r->failed = true;
	if (col)
		snprintf(r->err, sizeof r->err, "%s:%u:%zu: %s", r->name, line, col, what);
	else
		snprintf(r->err, sizeof r->err, "%s:%u: %s", r->name, line, what);
}

csvr *csvr_new(const char *name, size_t max_field, csvr_record_fn fn, void *ctx)
{
	csvr *r = xcalloc(1, sizeof *r);
	r->name = xstrdup(name ? name : "input");
	r->max_field = max_field ? max_field : CSVR_DEFAULT_MAX_FIELD;
	r->rec_cap = 16 * r->max_field + 65536;
	r->fn = fn;
	r->ctx = ctx;
	r->line = 1;
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		free(r->name);
		free(r);
		return NULL;
	}
	csv_set_space_func(&r->p, no_space);
	csv_set_realloc_func(&r->p, capped_realloc);
	/* a long field grows libcsv's buffer in steps of this, not 128 bytes:
	 * a megabyte is 16 reallocations rather than 8,000, each a copy of
	 * all of it where realloc cannot grow in place; within the cap */
	size_t blk = r->max_field < 65536 ? r->max_field : 65536;
	csv_set_blk_size(&r->p, blk < 128 ? 128 : blk);
	csvr_set_delim(r, ',');
	csvr_set_wide(r, true);
	return r;
}

bool csvr_set_wide(csvr *r, bool on)
{
#ifdef CSVR_WIDE
	r->wide = on && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw");
#else
	(void)on;
	r->wide = false;
#endif
	return r->wide;
}

void csvr_free(csvr *r)
{
	if (!r)
		return;
	csv_free(&r->p);
	free(r->name);
	free(r->buf);
	free(r->fields);
	free(r->fbuf);
	free(r->foff);
	free(r);
}

const char *csvr_error(const csvr *r)
{
	return r->failed ? r->err : NULL;
}

void csvr_fail(csvr *r, const char *msg)
{
	if (r->failed)
		return;
	r->failed = true;
	snprintf(r->err, sizeof r->err, "%s", msg);
}

uint64_t csvr_bytes(const csvr *r)
{
	return r->fed;
}

void csvr_start_at(csvr *r, uint32_t line)
{
	r->bom_done = true;
	r->line = line;
}

size_t csvr_pending(const csvr *r)
{
	return r->blen;
}

uint32_t csvr_line(const csvr *r)
{
	return r->line;
}

/* Byte classes of the fast path. */
enum { C_PLAIN, C_COMMA, C_EOL, C_QUOTE };

void csvr_set_delim(csvr *r, int delim)
{
	r->delim_auto = delim == 0;
	r->delim = delim ? (unsigned char)delim : ',';
	memset(r->cls, C_PLAIN, sizeof r->cls);
	r->cls['\n'] = C_EOL;
	r->cls['\r'] = C_EOL;
	r->cls['"'] = C_QUOTE;
	r->cls[r->delim] = C_COMMA;
	csv_set_delim(&r->p, r->delim);
}

void csvr_expect(csvr *r, size_t nfields)
{
	r->expect = nfields;
	if (nfields > r->fcap)
		VEC_RESERVE(r->fields, r->fcap, nfields);
}

bool csvr_plain(const csvr *r)
{
	return r->plain;
}

bool csvr_quoted(const csvr *r)
{
	return r->quoted;
}

void csvr_want_end(csvr *r)
{
	r->want_end = true;
}

int csvr_delim(const csvr *r)
{
	return r->delim;
}

static inline void add_field(csvr *r, const char *s, size_t len)
{
	if (r->nf == r->fcap)
		VEC_RESERVE(r->fields, r->fcap, r->nf + 1);
	r->fields[r->nf++] = (csvr_field){.s = s, .len = len};
}

/* Hand the collected record to the callback. */
static void emit(csvr *r, uint32_t line)
{
	/* a line of nothing but spaces and tabs is a blank line */
	if (r->nf == 1) {
		const char *s = r->fields[0].s;
		size_t i = 0;
		while (i < r->fields[0].len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == r->fields[0].len)
			return;
	}
	if (r->fn(r->ctx, r->fields, r->nf, line) != 0 && !r->failed) {
		r->failed = true;
		snprintf(r->err, sizeof r->err, "%s:%u: reading stopped", r->name, line);
	}
}

static void lib_field(void *s, size_t len, void *data)
{
	csvr *r = data;
	VEC_RESERVE(r->fbuf, r->fbcap, r->fblen + len + 1);
	if (len)
		memcpy(r->fbuf + r->fblen, s, len);
	VEC_RESERVE(r->foff, r->focap, r->nfo + 2);
	r->foff[r->nfo++] = r->fblen;
	r->foff[r->nfo++] = len;
	r->fblen += len;
}

static void lib_row(int c, void *data)
{
	(void)c;
	csvr *r = data;
	r->row_done = true;
}

/* Line and column (1-based, in bytes) of d[at], for a record starting at
 * d[pos] on line `line`. */
static void locate(const unsigned char *d, size_t pos, size_t at, uint32_t line, uint32_t *oline,
		   size_t *ocol)
{
	size_t bol = pos;
	for (size_t i = pos; i < at; i++) {
		if (d[i] == '\n' || d[i] == '\r') {
			if (d[i] == '\r' && i + 1 < at && d[i + 1] == '\n')
				i++;
			line++;
			bol = i + 1;
		}
	}
	*oline = line;
	*ocol = at - bol + 1;
}

/* Newlines in d[pos..end) (CRLF once). */
static uint32_t count_lines(const unsigned char *d, size_t pos, size_t end)
{
	uint32_t n = 0;
	for (size_t i = pos; i < end; i++) {
		if (d[i] == '\r') {
			n++;
			if (i + 1 < end && d[i + 1] == '\n')
				i++;
		} else if (d[i] == '\n') {
			n++;
		}
	}
	return n;
}

/* Run libcsv over d[pos..end) (and csv_fini when `fini`). Returns the
 * offset of libcsv's error, or SIZE_MAX when it accepted the bytes. */
static size_t lib_parse(csvr *r, const unsigned char *d, size_t pos, size_t end, bool fini)
{
	r->fblen = 0;
	r->nfo = 0;
	r->row_done = false;
	csvr_lib_cap = r->max_field + 1024;
	size_t n = end - pos;
	size_t got = csv_parse(&r->p, d + pos, n, lib_field, lib_row, r);
	if (got != n || csv_error(&r->p) != CSV_SUCCESS)
		return pos + (got < n ? got : n - (n > 0));
	if (fini && csv_fini(&r->p, lib_field, lib_row, r) != 0)
		return end;
	return SIZE_MAX;
}

/* Build the field list from libcsv's output. */
static void lib_fields(csvr *r)
{
	r->nf = 0;
	for (size_t i = 0; i + 1 < r->nfo; i += 2)
		add_field(r, r->fbuf + r->foff[i], r->foff[i + 1]);
}

enum { Q_START, Q_UNQ, Q_IN, Q_END };

/* A record holding a quote, starting at d[pos]. Returns the index of its
 * terminator (or n at the end of input), SIZE_MAX when more bytes are
 * needed, or SIZE_MAX - 1 after an error.
 *
 * A state machine over the record's bytes (Q_START, Q_UNQ, Q_IN, Q_END):
 * over 80 lines because each state's transitions and the three ways out
 * (the record's end, a violation, the input's end) read best together. */
static size_t slow_record(csvr *r, const unsigned char *d, size_t pos, size_t n, bool final)
{
	int st = Q_START;
	size_t flen = 0, fstart = pos, qpos = pos;
	const char *what = NULL;
	size_t bad = 0;
	size_t i = pos;
	for (; i < n; i++) {
		unsigned char c = d[i];
		bool eol = c == '\n' || c == '\r';
		switch (st) {
		case Q_START:
			fstart = i;
			flen = 0;
			if (c == '"') {
				st = Q_IN;
				qpos = i;
			} else if (eol) {
				goto done;
			} else if (c != r->delim) {
				st = Q_UNQ;
				flen = 1;
			}
			break;
		case Q_UNQ:
			if (c == r->delim) {
				st = Q_START;
			} else if (eol) {
				goto done;
			} else if (c == '"') {
				what = "quote inside an unquoted field";
				bad = i;
				goto violation;
			} else {
				flen++;
			}
			break;
		case Q_IN:
			if (c == '"')
				st = Q_END;
			else
				flen++;
			break;
		case Q_END:
			if (c == '"') {
				st = Q_IN;
				flen++;
			} else if (c == r->delim) {
				st = Q_START;
			} else if (eol) {
				goto done;
			} else {
				what = "unexpected character after a closing quote";
				bad = i;
				goto violation;
			}
			break;
		}
		if (flen > r->max_field) {
			uint32_t l;
			size_t col;
			locate(d, pos, fstart, r->line, &l, &col);
			char msg[96];
			snprintf(msg, sizeof msg, "field longer than %zu bytes", r->max_field);
			fail_at(r, l, col, msg);
			return SIZE_MAX - 1;
		}
		if (i - pos >= r->rec_cap) {
			char msg[96];
			snprintf(msg, sizeof msg, "record longer than %zu bytes", r->rec_cap);
			fail_at(r, r->line, 0, msg);
			return SIZE_MAX - 1;
		}
	}
	if (!final)
		return SIZE_MAX;
	if (st == Q_IN) {
		/* libcsv must agree: CSV_STRICT_FINI refuses the open quote */
		uint32_t l;
		size_t col;
		lib_parse(r, d, pos, n, true);
		locate(d, pos, qpos, r->line, &l, &col);
		fail_at(r, l, col, "unterminated quote");
		return SIZE_MAX - 1;
	}
done : {
	/* i is the terminator or n: libcsv parses the record, terminator included */
	bool at_end = i >= n;
	size_t e = lib_parse(r, d, pos, at_end ? n : i + 1, at_end);
	if (e != SIZE_MAX || !r->row_done) {
		uint32_t l;
		size_t col;
		locate(d, pos, e == SIZE_MAX ? pos : e, r->line, &l, &col);
		fail_at(r, l, col, "malformed quoted field");
		return SIZE_MAX - 1;
	}
	lib_fields(r);
	return i;
}
violation : {
	uint32_t l, ql;
	size_t col, qcol;
	lib_parse(r, d, pos, bad + 1, false);
	locate(d, pos, bad, r->line, &l, &col);
	locate(d, pos, qpos, r->line, &ql, &qcol);
	char msg[192];
	if (st == Q_END && ql != l) {
		/* a quoted field over line ends: the mistake is most often its
		 * opening quote, lines before the place where the reading fails */
		snprintf(msg, sizeof msg,
			 "%s (the quoted field opened at line %u, column %zu: a stray or missing "
			 "quote there?)",
			 what, ql, qcol);
		what = msg;
	}
	fail_at(r, l, col, what);
	return SIZE_MAX - 1;
}
}

#if !defined(__SSE2__)
#define LOWS  0x7F7F7F7F7F7F7F7FULL
#define HIGHS 0x8080808080808080ULL

/* Bytes of w equal to c, as their high bits (exact for every byte). */
static inline uint64_t bytes_eq(uint64_t w, unsigned char c)
{
	uint64_t x = w ^ (c * 0x0101010101010101ULL);
	return ~(((x & LOWS) + LOWS) | x) & HIGHS;
}
#endif

/* The bytes of d[at..at + 64) that end a plain field — the delimiter, a
 * quote, CR or LF — as the bits of a word, byte k at bit k. */
static inline uint64_t special_mask(const unsigned char *d, size_t at, unsigned char delim)
{
	uint64_t m = 0;
#if defined(__SSE2__)
	const __m128i vd = _mm_set1_epi8((char)delim), vq = _mm_set1_epi8('"');
	const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
	for (int k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(d + at + 16 * k));
		__m128i e =
		    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, vd), _mm_cmpeq_epi8(v, vq)),
				 _mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vr)));
		m |= (uint64_t)(uint16_t)_mm_movemask_epi8(e) << (16 * k);
	}
#else
	_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
		       "byte k of a loaded word is its k-th lowest byte");
	for (int k = 0; k < 8; k++) {
		uint64_t w;
		memcpy(&w, d + at + 8 * k, 8);
		uint64_t h =
		    bytes_eq(w, delim) | bytes_eq(w, '"') | bytes_eq(w, '\n') | bytes_eq(w, '\r');
		/* the eight high bits gathered into the low byte */
		m |= (((h >> 7) * 0x0102040810204080ULL) >> 56) << (8 * k);
	}
#endif
	return m;
}

/* The scanner's window: the special bytes of d[base..base + 64), found
 * once and used by every field that starts inside it. */
typedef struct scanwin {
	size_t base, end; /* end == base: no window yet */
	uint64_t mask;
} scanwin;

/* The first i in [i, lim) where d[i] is the delimiter, a quote, CR or LF,
 * or lim; d holds n >= lim bytes. Sixty-four bytes at a time, through the
 * window. */
static inline size_t scan_plain(const csvr *r, scanwin *w, const unsigned char *d, size_t i,
				size_t lim, size_t n)
{
	for (;;) {
		if (i >= w->base && i < w->end) {
			uint64_t m = w->mask >> (i - w->base);
			if (m) {
				size_t j = i + (size_t)__builtin_ctzll(m);
				return j < lim ? j : lim;
			}
			i = w->end;
			if (i >= lim)
				return lim;
		}
		if (n - i < 64)
			break;
		w->base = i;
		w->end = i + 64;
		w->mask = special_mask(d, i, r->delim);
	}
	while (i < lim && r->cls[d[i]] == C_PLAIN)
		i++;
	return i;
}

/* What split_record() made of a record. */
enum { REC_DONE, REC_MORE, REC_SLOW, REC_FAILED };

/* A field opened by the quote at d[q], in a record that started at d[pos]:
 * REC_DONE with *close at its closing quote when it is a plain quoted
 * field — no quote and no line end inside, within the caps, followed by
 * the delimiter or a line end; REC_MORE when the bytes end first; REC_SLOW
 * for anything else, which the strict path judges. */
static int quoted_field(const csvr *r, scanwin *w, const unsigned char *d, size_t pos, size_t q,
			size_t n, bool final, size_t *close)
{
	size_t cap = q + r->max_field + 2; /* the content is at most max_field bytes */
	if (pos + r->rec_cap < cap)
		cap = pos + r->rec_cap;
	size_t lim = n < cap ? n : cap, i = q + 1;
	for (;; i++) {
		i = scan_plain(r, w, d, i, lim, n);
		if (i == lim)
			return lim < cap && !final ? REC_MORE : REC_SLOW;
		if (d[i] != r->delim)
			break;
	}
	if (d[i] != '"')
		return REC_SLOW; /* a line end inside the quotes */
	if (i + 1 >= n)
		return final ? REC_SLOW : REC_MORE;
	if (r->cls[d[i + 1]] != C_COMMA && r->cls[d[i + 1]] != C_EOL)
		return REC_SLOW; /* a doubled quote, or a character after the closing one */
	*close = i;
	return REC_DONE;
}

/* The field cap or the record cap broken at d[i], in a record without a
 * quote: the error, at the exact byte, so that every chunking of the input
 * fails at the same place. */
static void cap_error(csvr *r, size_t pos, size_t fstart, bool field)
{
	char msg[96];
	if (field)
		snprintf(msg, sizeof msg, "field longer than %zu bytes", r->max_field);
	else
		snprintf(msg, sizeof msg, "record longer than %zu bytes", r->rec_cap);
	fail_at(r, r->line, field ? fstart - pos + 1 : 0, msg);
}

/* The fast path: the fields of the record at d[pos], split in place up to
 * its line end (*end). Plain quoted fields are taken as they are; any
 * other quote, and a cap broken in a record holding a quote, go to
 * slow_record() from the record's start (REC_SLOW). */
static int split_record(csvr *r, scanwin *w, const unsigned char *d, size_t pos, size_t n,
			bool final, size_t *end)
{
	r->nf = 0;
	size_t i = pos, fstart = pos;
	size_t rlim = pos + r->rec_cap + 1;
	size_t flim = fstart + r->max_field + 1;
	bool had_quote = false;
	for (;;) {
		size_t lim = n < flim ? n : flim;
		if (rlim < lim)
			lim = rlim;
		i = scan_plain(r, w, d, i, lim, n);
		if (i == flim || i == rlim) {
			if (had_quote)
				return REC_SLOW;
			cap_error(r, pos, fstart, i == flim);
			return REC_FAILED;
		}
		if (i == n)
			break;
		unsigned char k = r->cls[d[i]];
		if (k == C_COMMA) {
			add_field(r, (const char *)d + fstart, i - fstart);
			fstart = ++i;
			flim = fstart + r->max_field + 1;
			continue;
		}
		if (k == C_EOL)
			break;
		size_t close;
		int st = i == fstart ? quoted_field(r, w, d, pos, i, n, final, &close) : REC_SLOW;
		if (st != REC_DONE)
			return st;
		had_quote = true;
		add_field(r, (const char *)d + i + 1, close - i - 1);
		i = close + 1;
		if (r->cls[d[i]] == C_EOL) {
			*end = i;
			return REC_DONE;
		}
		fstart = ++i; /* past the delimiter */
		flim = fstart + r->max_field + 1;
	}
	if (i == n && !final)
		return REC_MORE; /* the line end is still to come */
	if (i == n && had_quote)
		return REC_SLOW;
	add_field(r, (const char *)d + fstart, i - fstart);
	*end = i;
	return REC_DONE;
}

/* The shape path's window: the separators, the line ends (CR or LF), the
 * quotes and the bytes that are not plain ASCII (NUL, 0x80 and above) of
 * d[base..base + 64), byte k at bit k. */
typedef struct shapewin {
	size_t base, end; /* end == base: no window yet */
	uint64_t sep, eol, quote, other;
} shapewin;

static inline void shape_masks(shapewin *w, const unsigned char *d, size_t at, unsigned char delim)
{
	w->base = at;
	w->end = at + 64;
	w->sep = w->eol = w->quote = w->other = 0;
#if defined(__SSE2__)
	const __m128i vd = _mm_set1_epi8((char)delim), vq = _mm_set1_epi8('"');
	const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
	const __m128i zero = _mm_setzero_si128();
	for (int k = 0; k < 4; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(d + at + 16 * k));
		/* a byte of 0x80 or more has its high bit set; a NUL compares equal */
		w->other |=
		    (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(v, _mm_cmpeq_epi8(v, zero)))
		    << (16 * k);
		w->sep |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd)) << (16 * k);
		w->quote |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq))
			    << (16 * k);
		w->eol |= (uint64_t)(uint16_t)_mm_movemask_epi8(
			      _mm_or_si128(_mm_cmpeq_epi8(v, vn), _mm_cmpeq_epi8(v, vr)))
			  << (16 * k);
	}
#else
	for (int k = 0; k < 8; k++) {
		uint64_t x;
		memcpy(&x, d + at + 8 * k, 8);
		uint64_t hs = bytes_eq(x, delim), hq = bytes_eq(x, '"'),
			 he = bytes_eq(x, '\n') | bytes_eq(x, '\r'),
			 ho = (x & HIGHS) | bytes_eq(x, 0);
		w->sep |= (((hs >> 7) * 0x0102040810204080ULL) >> 56) << (8 * k);
		w->other |= (((ho >> 7) * 0x0102040810204080ULL) >> 56) << (8 * k);
		w->quote |= (((hq >> 7) * 0x0102040810204080ULL) >> 56) << (8 * k);
		w->eol |= (((he >> 7) * 0x0102040810204080ULL) >> 56) << (8 * k);
	}
#endif
}

#ifdef CSVR_WIDE
/* shape_masks() by one 64-byte compare for each kind of byte, where the
 * processor has AVX-512BW: a third of the instructions of the four 16-byte
 * steps, which were a third of the splitter's time (docs/ingest.md,
 * Speed). */
__attribute__((target("avx512f,avx512bw"))) static inline void
shape_masks_wide(shapewin *w, const unsigned char *d, size_t at, unsigned char delim)
{
	w->base = at;
	w->end = at + 64;
	__m512i v = _mm512_loadu_si512((const void *)(d + at));
	w->sep = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8((char)delim));
	w->quote = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('"'));
	w->eol = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\n')) |
		 _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\r'));
	/* a byte of 0x80 or more has its high bit set; a NUL compares equal */
	w->other = _mm512_movepi8_mask(v) | _mm512_cmpeq_epi8_mask(v, _mm512_setzero_si512());
	/* the vector registers' upper halves clean again: the record's
	 * callback runs code of 16-byte instructions, which the processor
	 * slows down while they are not (a run's time parsing took 2.4 times
	 * as long) */
	_mm256_zeroupper();
}
#endif

/* How a shape window's masks are found: shape_masks() or
 * shape_masks_wide(). The splitter is compiled once for each (drain). */
typedef void (*masks_fn)(shapewin *w, const unsigned char *d, size_t at, unsigned char delim);

/* The common shape, split without a look at any byte but the special
 * ones: a record at d[pos] of at most r->expect fields, no quote, its
 * fields and itself within the caps, its line end within d[0..n) in a
 * whole window. The fields are then set and *end is its line end; false
 * for anything else, which split_record() then reads from pos as if this
 * had not been tried. A record's separators and line end are told apart
 * by their masks, so that its fields cost no branch on the kind of each
 * special byte (one that mispredicted at every line end). */
static inline __attribute__((always_inline)) bool shape_record(csvr *r, shapewin *w,
							       const unsigned char *d, size_t pos,
							       size_t n, size_t *end,
							       masks_fn masks)
{
	size_t want = r->expect, nf = 0, fstart = pos;
	if (pos < w->base || pos >= w->end) {
		if (n - pos < 64)
			return false;
		masks(w, d, pos, r->delim);
	}
	/* the window and the fields in locals: a field's store could
	 * otherwise change them, as far as the compiler knows, and each
	 * separator would load them again */
	csvr_field *fields = r->fields;
	size_t base = w->base, max_field = r->max_field, rec_cap = r->rec_cap;
	uint64_t sep = w->sep, eol = w->eol;
	uint64_t live = ~UINT64_C(0) << (pos - base); /* the bits at pos and after */
	uint64_t other = 0;			      /* … of the record's bytes before */
	for (;;) {
		uint64_t m = (sep | eol | w->quote) & live;
		/* no field nor the record can break a cap in a window that ends
		 * within max_field (<= rec_cap) bytes of the record's start */
		bool capped = base + 64 - pos > max_field;
		while (m) {
			uint64_t bit = m & -m;
			size_t j = base + (size_t)__builtin_ctzll(m);
			m ^= bit;
			if (capped && (j - fstart > max_field || j - pos > rec_cap))
				return false;
			if (sep & bit) {
				if (nf + 1 == want)
					return false; /* more fields than the room kept */
				fields[nf++] =
				    (csvr_field){.s = (const char *)d + fstart, .len = j - fstart};
				fstart = j + 1;
				continue;
			}
			if (!(eol & bit))
				return false; /* a quote */
			fields[nf++] =
			    (csvr_field){.s = (const char *)d + fstart, .len = j - fstart};
			r->nf = nf;
			r->plain = !(other | (w->other & live & (bit - 1)));
			r->quoted = false; /* a record of this shape holds no quote */
			*end = j;
			return true;
		}
		if (n - w->end < 64 || w->end - pos > rec_cap)
			return false;
		other |= w->other & live;
		masks(w, d, w->end, r->delim);
		base = w->base;
		sep = w->sep;
		eol = w->eol;
		live = ~UINT64_C(0);
	}
}

/* Consume every complete record of d[0..n); returns the bytes consumed.
 * Inlined into drain_narrow() and drain_wide(), each with its masks. */
static inline __attribute__((always_inline)) size_t drain_with(csvr *r, const unsigned char *d,
							       size_t n, bool final, masks_fn masks)
{
	size_t pos = 0;
	scanwin w = {0};
	shapewin sw = {0};
	while (pos < n && !r->failed) {
		unsigned char c = d[pos];
		if (c == '\n') {
			if (!r->prev_cr)
				r->line++;
			r->prev_cr = false;
			pos++;
			continue;
		}
		if (c == '\r') {
			r->line++;
			r->prev_cr = true;
			pos++;
			continue;
		}
		r->prev_cr = false;
		size_t e = n;
		if (r->expect && shape_record(r, &sw, d, pos, n, &e, masks)) {
			emit(r, r->line);
			pos = e;
			continue;
		}
		r->plain = false;
		r->quoted = c == '"'; /* strict: a quote opens a field or is an error */
		int st = split_record(r, &w, d, pos, n, final, &e);
		if (st == REC_MORE)
			return pos;
		if (st == REC_FAILED)
			return n;
		if (st == REC_SLOW) {
			e = slow_record(r, d, pos, n, final);
			if (e == SIZE_MAX)
				return pos;
			if (e == SIZE_MAX - 1)
				return n;
		}
		uint32_t line = r->line;
		if (st == REC_SLOW)
			r->line += count_lines(d, pos, e);
		emit(r, line);
		pos = e;
	}
	return pos;
}

static size_t drain_narrow(csvr *r, const unsigned char *d, size_t n, bool final)
{
	return drain_with(r, d, n, final, shape_masks);
}

#ifdef CSVR_WIDE
__attribute__((target("avx512f,avx512bw"))) static size_t
drain_wide(csvr *r, const unsigned char *d, size_t n, bool final)
{
	return drain_with(r, d, n, final, shape_masks_wide);
}
#endif

static size_t drain(csvr *r, const unsigned char *d, size_t n, bool final)
{
#ifdef CSVR_WIDE
	if (r->wide)
		return drain_wide(r, d, n, final);
#endif
	return drain_narrow(r, d, n, final);
}

static void buf_append(csvr *r, const void *data, size_t len)
{
	VEC_RESERVE(r->buf, r->bcap, r->blen + len);
	memcpy(r->buf + r->blen, data, len);
	r->blen += len;
}

static void strip_bom(csvr *r)
{
	if (r->blen >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(r->buf, r->buf + 3, r->blen - 3);
		r->blen -= 3;
	}
	r->bom_done = true;
}

#define SNIFF_LINES 32
#define SNIFF_BYTES (64u << 10)

/* Enough of the start is buffered to choose the delimiter. */
static bool sniff_ready(const char *d, size_t n)
{
	if (n >= SNIFF_BYTES)
		return true;
	int lines = 0; /* CRLF is one line end */
	for (size_t i = 0; i < n; i++)
		lines += d[i] == '\n' || (d[i] == '\r' && (i + 1 == n || d[i + 1] != '\n'));
	return lines >= SNIFF_LINES;
}

int csvr_sniff_delim(const void *data, size_t len)
{
	static const char cand[] = {',', ';', '\t', '|'};
	const unsigned char *d = data;
	int count[SNIFF_LINES][4] = {{0}}, lines = 0;
	bool inq = false, any = false;
	for (size_t i = 0; i < len && lines < SNIFF_LINES; i++) {
		unsigned char c = d[i];
		if (c == '"')
			inq = !inq;
		if (inq)
			continue;
		if (c == '\n' || c == '\r') {
			lines += any;
			any = false;
			continue;
		}
		for (int k = 0; k < 4; k++)
			if (c == (unsigned char)cand[k]) {
				count[lines][k]++;
				any = true;
			}
	}
	lines += any && lines < SNIFF_LINES;
	/* per separator, the longest run of consecutive lines that hold it
	 * equally often (a header and its rows), then the larger count: one
	 * field holding "Sales;Marketing;Ops" or "1.234,56", or title lines
	 * above the table, are not a table of that separator */
	int pick = 0, pick_run = 0, pick_n = 0;
	for (int k = 0; k < 4; k++) {
		for (int a = 0; a < lines;) {
			int n = count[a][k], b = a + 1;
			while (b < lines && count[b][k] == n)
				b++;
			int run = b - a;
			if (n > 0 && (run > pick_run || (run == pick_run && n > pick_n))) {
				pick = k;
				pick_run = run;
				pick_n = n;
			}
			a = b;
		}
	}
	return cand[pick];
}

/* A record held from the last chunk most often ends at the new chunk's
 * first line end: complete it alone, so the rest of the chunk is read in
 * place rather than copied behind it. Returns the bytes of data taken
 * (0 when the record needs more than them; it stays held). */
static size_t complete_held(csvr *r, const void *data, size_t len)
{
	const char *nl = memchr(data, '\n', len);
	size_t head = nl ? (size_t)(nl - (const char *)data) + 1 : len;
	if (head == len)
		return 0;
	size_t held = r->blen;
	buf_append(r, data, head);
	size_t used = drain(r, (const unsigned char *)r->buf, r->blen, false);
	if (used == 0 && !r->failed) {
		r->blen = held; /* nothing read: the same record again, with the whole chunk */
		return 0;
	}
	memmove(r->buf, r->buf + used, r->blen - used);
	r->blen -= used;
	return head;
}

static int run(csvr *r, const void *data, size_t len, bool final)
{
	if (r->blen && r->bom_done && !r->delim_auto && len && !final) {
		size_t took = complete_held(r, data, len);
		if (r->failed)
			return -1;
		data = (const char *)data + took;
		len -= took;
	}
	if (r->blen || !r->bom_done || r->delim_auto) {
		if (len)
			buf_append(r, data, len);
		if (!r->bom_done) {
			if (r->blen < 3 && !final)
				return 0;
			strip_bom(r);
		}
		if (r->delim_auto) {
			if (!final && !sniff_ready(r->buf, r->blen))
				return 0;
			csvr_set_delim(r, csvr_sniff_delim(r->buf, r->blen));
		}
		size_t used = drain(r, (const unsigned char *)r->buf, r->blen, final);
		if (r->failed)
			return -1;
		if (used < r->blen)
			memmove(r->buf, r->buf + used, r->blen - used);
		r->blen -= used;
	} else if (len) {
		size_t used = drain(r, data, len, final);
		if (r->failed)
			return -1;
		if (used < len)
			buf_append(r, (const char *)data + used, len - used);
	}
	return 0;
}

int csvr_feed(csvr *r, const void *data, size_t len)
{
	if (r->failed)
		return -1;
	r->fed += len;
	return run(r, data, len, false);
}

int csvr_finish(csvr *r)
{
	if (r->failed)
		return -1;
	if (run(r, NULL, 0, true) != 0)
		return -1;
	if (r->blen) {
		/* drain() leaves nothing at the end unless it failed */
		fail_at(r, r->line, 0, "incomplete record at the end");
		return -1;
	}
	if (r->want_end && r->fn(r->ctx, NULL, 0, r->line) != 0)
		return -1;
	return 0;
}
