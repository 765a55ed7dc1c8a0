/* load.c — every configured source into the data set: read (local file or
 * fetched URL), decode, map columns, parse and normalise fields, reject
 * bad rows with a reason, count everything. */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "colmap.h"
#include "csvr.h"
#include "money.h"
#include "normalize.h"
#include "timeparse.h"

#define READ_CHUNK (4u << 20)

/* ---- string pairs ---- */

void strpairs_add(strpairs *p, const char *key, const char *value)
{
	VEC_RESERVE(p->items, p->cap, p->len + 1);
	p->items[p->len++] = (strpair){ .key = xstrdup(key), .value = xstrdup(value) };
}

const char *strpairs_get(const strpairs *p, const char *key)
{
	for (size_t i = p->len; i-- > 0;)
		if (strcmp(p->items[i].key, key) == 0)
			return p->items[i].value;
	return NULL;
}

void strpairs_clear(strpairs *p)
{
	for (size_t i = 0; i < p->len; i++) {
		free(p->items[i].key);
		free(p->items[i].value);
	}
	free(p->items);
	*p = (strpairs){ 0 };
}

/* ---- configuration ---- */

void ingest_cfg_default(ingest_cfg *c)
{
	*c = (ingest_cfg){ 0 };
	c->timezone = xstrdup("UTC");
	c->currency = xstrdup("USD");
	c->max_field_bytes = 1u << 20;
	for (int s = 0; s < SRC_COUNT; s++) {
		c->src[s].preset = xstrdup("auto");
		fetch_opts_default(&c->src[s].fetch);
	}
}

void ingest_cfg_clear(ingest_cfg *c)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		source_cfg *sc = &c->src[s];
		free(sc->location);
		free(sc->preset);
		free(sc->timezone);
		free(sc->encoding);
		strpairs_clear(&sc->columns);
		fetch_opts_clear(&sc->fetch);
	}
	free(c->timezone);
	free(c->currency);
	free(c->cache_dir);
	strpairs_clear(&c->channel_aliases);
	strpairs_clear(&c->type_aliases);
	*c = (ingest_cfg){ 0 };
}

/* ---- the state of one load ---- */

/* sym → index maps, grown with the pool; NO_LEAD marks "none". */
typedef struct symmap {
	uint32_t *v;
	size_t len;
} symmap;

static void symmap_set(symmap *m, sym k, uint32_t v)
{
	if (k >= m->len) {
		size_t n = m->len ? m->len : 1024;
		while (n <= k)
			n *= 2;
		m->v = xrealloc(m->v, n * sizeof *m->v);
		for (size_t i = m->len; i < n; i++)
			m->v[i] = NO_LEAD;
		m->len = n;
	}
	m->v[k] = v;
}

static inline uint32_t symmap_get(const symmap *m, sym k)
{
	return k < m->len ? m->v[k] : NO_LEAD;
}

/* A fast hash of bytes, eight at a time. */
static inline uint64_t hash64(const char *s, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * 0x94D049BB133111EBULL;
	return h ^ (h >> 29);
}

/* Equal bytes; short values compared without a call. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
	if (n > 16)
		return memcmp(a, b, n) == 0;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return false;
	return true;
}

/* A per-reader cache of raw field text → sym for categorical columns, so a
 * value is normalised and interned once, not once per row. */
#define MEMO_SLOTS (1u << 16)
#define MEMO_MAX (MEMO_SLOTS / 2)
typedef struct memo_slot {
	uint64_t h;
	char *key;     /* owned; NULL: free slot */
	uint32_t len;
	sym v;
} memo_slot;
typedef struct memo {
	memo_slot *slot;
	size_t n;
	const memo_slot *last; /* the previous row's value: exports repeat it often */
} memo;

static memo_slot *memo_find(memo *m, uint64_t h, const char *s, size_t len)
{
	if (!m->slot)
		m->slot = xcalloc(MEMO_SLOTS, sizeof *m->slot);
	size_t i = h & (MEMO_SLOTS - 1);
	for (;;) {
		memo_slot *e = &m->slot[i];
		if (!e->key || (e->h == h && e->len == len && same_bytes(e->key, s, len)))
			return e;
		i = (i + 1) & (MEMO_SLOTS - 1);
	}
}

static void memo_free(memo *m)
{
	for (size_t i = 0; m->slot && i < MEMO_SLOTS; i++)
		free(m->slot[i].key);
	free(m->slot);
	*m = (memo){ 0 };
}

/* lead_id text → lead index, built once the leads are read; read-only
 * afterwards, so readers on several threads share it. A slot holds a
 * fingerprint of the hash and the first bytes of the key, so most probes
 * never leave the table; keys point into the pool's blocks, which never
 * move. */
typedef struct leadix_slot {
	uint32_t lead;    /* lead index + 1; 0 free */
	uint32_t fp;      /* high bits of the hash */
	uint64_t head;    /* the key's first 8 bytes, zero-padded */
} leadix_slot;

typedef struct leadix {
	leadix_slot *slot;
	size_t mask;
	const char **key;
	uint32_t *klen;
} leadix;

static inline uint64_t key_head(const char *s, size_t len)
{
	uint64_t h = 0;
	memcpy(&h, s, len < 8 ? len : 8);
	return h;
}

static void leadix_build(leadix *x, const dataset *ds)
{
	size_t n = 1024;
	while (n < 2 * ds->nleads)
		n *= 2;
	x->slot = xcalloc(n, sizeof *x->slot);
	x->mask = n - 1;
	x->key = xmalloc((ds->nleads ? ds->nleads : 1) * sizeof *x->key);
	x->klen = xmalloc((ds->nleads ? ds->nleads : 1) * sizeof *x->klen);
	for (size_t i = 0; i < ds->nleads; i++) {
		const char *k = ds_str(ds, ds->leads[i].id);
		size_t len = strlen(k);
		x->key[i] = k;
		x->klen[i] = (uint32_t)len;
		uint64_t h = hash64(k, len);
		size_t j = h & x->mask;
		while (x->slot[j].lead)
			j = (j + 1) & x->mask;
		x->slot[j] = (leadix_slot){ .lead = (uint32_t)i + 1, .fp = (uint32_t)(h >> 32), .head = key_head(k, len) };
	}
}

static uint32_t leadix_get(const leadix *x, const char *s, size_t len)
{
	uint64_t h = hash64(s, len), head = key_head(s, len);
	uint32_t fp = (uint32_t)(h >> 32);
	for (size_t j = h & x->mask;; j = (j + 1) & x->mask) {
		const leadix_slot *e = &x->slot[j];
		if (!e->lead)
			return NO_LEAD;
		uint32_t i = e->lead - 1;
		if (e->fp == fp && e->head == head && x->klen[i] == len && (len <= 8 || memcmp(x->key[i], s, len) == 0))
			return i;
	}
}

static void leadix_free(leadix *x)
{
	free(x->slot);
	free(x->key);
	free(x->klen);
	*x = (leadix){ 0 };
}

typedef struct loader {
	dataset *ds;           /* the string pool and, for leads and opportunities, the rows */
	dataset *out;          /* where rows, rejects and counts go: ds, or a worker's own */
	const ingest_cfg *cfg;
	mq_err *err;
	int src;
	const char *name;      /* the location, for messages */
	csvr *r;
	GTimeZone *tz;         /* the source's */
	GTimeZone *rtz;        /* the report's */
	bool us_dates, null_literal;
	bool have_header;
	colmap m;
	symmap *lead_of;       /* lead_id sym → lead index */
	symmap opp_of;         /* opportunity_id sym → opportunity index */
	symmap conv_of;        /* converted opportunity id sym → lead index */
	symmap ch_alias, ty_alias; /* normalised value sym → canonical sym */
	sym unknown;           /* "unknown" */
	char *scratch;
	size_t scratch_cap;
	int64_t warn[CC_COUNT];
	const char **rf;       /* a rejected row's fields */
	size_t *rl;
	size_t rcap;
	int64_t next_progress;
	memo m_type, m_chan, m_camp, m_title, m_ind, m_country;
	struct idstore *ids;   /* a parallel reader of leads: ids kept as text */
	const leadix *lx;      /* events: lead_id → lead */
	char last_id[64];      /* the previous event's lead_id and its lead */
	size_t last_id_len;
	uint32_t last_lead;
	pthread_mutex_t *pool_lock; /* held around interning when readers run in parallel */
	const gint *stop;      /* set: a parallel reader is no longer wanted */
} loader;

static void scratch_reserve(loader *L, size_t n)
{
	if (n + 8 > L->scratch_cap) {
		L->scratch_cap = n + 64;
		L->scratch = xrealloc(L->scratch, L->scratch_cap);
	}
}

/* A mapped field, trimmed; the literal `null` is empty under presets that
 * write it. Returns false when the field is absent or empty. */
static inline bool field(const loader *L, const csvr_field *f, int c, const char **s, size_t *len)
{
	int i = L->m.col[c];
	if (i < 0) {
		*s = "";
		*len = 0;
		return false;
	}
	*s = f[i].s;
	*len = f[i].len;
	norm_trim(s, len);
	if (L->null_literal && *len == 4 && norm_eq_nocase(*s, 4, "null"))
		*len = 0;
	return *len > 0;
}

/* The normalised, aliased sym of a categorical value; 0 when empty. */
static sym norm_sym(loader *L, const char *s, size_t len, const symmap *alias)
{
	scratch_reserve(L, len);
	size_t n = norm_value(s, len, L->scratch);
	if (n == 0)
		return 0;
	sym v = pool_intern(L->ds->pool, L->scratch, n);
	uint32_t a = symmap_get(alias, v);
	return a != NO_LEAD ? a : v;
}

static sym trimmed_sym(loader *L, const char *s, size_t len)
{
	return pool_intern(L->ds->pool, s, len);
}

enum memo_kind { MK_TRIM, MK_NORM, MK_UPPER };

static const symmap no_alias;

/* Interning from a reader: under the pool's lock while readers run in
 * parallel. */
static sym locked_intern(loader *L, const char *s, size_t len)
{
	if (L->pool_lock)
		pthread_mutex_lock(L->pool_lock);
	sym v = pool_intern(L->ds->pool, s, len);
	if (L->pool_lock)
		pthread_mutex_unlock(L->pool_lock);
	return v;
}

/* A value through the reader's memo: trimmed (MK_TRIM), normalised and
 * aliased (MK_NORM) or upper-cased (MK_UPPER); 0 when empty. */
static sym memo_val(loader *L, memo *m, const char *s, size_t len, int kind, const symmap *alias)
{
	if (m->last && m->last->len == len && same_bytes(m->last->key, s, len))
		return m->last->v;
	uint64_t h = hash64(s, len);
	memo_slot *e = memo_find(m, h, s, len);
	if (e->key) {
		m->last = e;
		return e->v;
	}
	if (L->pool_lock)
		pthread_mutex_lock(L->pool_lock);
	sym v;
	if (kind == MK_NORM) {
		v = norm_sym(L, s, len, alias);
	} else if (kind == MK_UPPER) {
		scratch_reserve(L, len);
		v = pool_intern(L->ds->pool, L->scratch, norm_upper(s, len, L->scratch));
	} else {
		v = trimmed_sym(L, s, len);
	}
	if (L->pool_lock)
		pthread_mutex_unlock(L->pool_lock);
	if (m->n < MEMO_MAX) {
		e->h = h;
		e->key = xstrndup(s, len);
		e->len = (uint32_t)len;
		e->v = v;
		m->n++;
		m->last = e;
	}
	return v;
}

static sym memo_sym(loader *L, memo *m, const char *s, size_t len, const symmap *alias)
{
	return memo_val(L, m, s, len, alias ? MK_NORM : MK_TRIM, alias);
}

/* Lead ids read by a parallel reader, interned when its rows are merged. */
typedef struct idstore {
	char *buf;
	size_t len, cap;
	struct idref {
		size_t off, len;
	} *ref;
	size_t n, rcap;
} idstore;

static uint32_t ids_add(idstore *x, const char *s, size_t len)
{
	VEC_RESERVE(x->buf, x->cap, x->len + len);
	memcpy(x->buf + x->len, s, len);
	VEC_RESERVE(x->ref, x->rcap, x->n + 1);
	x->ref[x->n] = (struct idref){ .off = x->len, .len = len };
	x->len += len;
	return (uint32_t)x->n++;
}

static void warn(loader *L, int c)
{
	L->warn[c]++;
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* True when s[0..len) is ASCII without a NUL: eight bytes at a time. */
static inline bool plain_ascii(const char *s, size_t len)
{
	size_t i = 0;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if ((w & HIGHS) || ((w - ONES) & ~w & HIGHS))
			return false;
	}
	for (; i < len; i++)
		if (s[i] == 0 || (unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

static bool valid_text(const char *s, size_t len)
{
	size_t i = 0;
	for (; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0 || c >= 0x80)
			break;
	}
	if (i == len)
		return true;
	return g_utf8_validate_len(s + i, len - i, NULL);
}

static void reject_row(loader *L, const csvr_field *f, size_t n, uint32_t line, const char *reason)
{
	if (n > L->rcap) {
		L->rcap = n;
		L->rf = xrealloc(L->rf, n * sizeof *L->rf);
		L->rl = xrealloc(L->rl, n * sizeof *L->rl);
	}
	for (size_t i = 0; i < n; i++) {
		L->rf[i] = f[i].s;
		L->rl[i] = f[i].len;
	}
	dataset_reject(L->out, L->src, line, reason, L->rf, L->rl, n);
	source_stats *st = &L->out->src[L->src];
	kvcounts_add(&st->rejected_by_reason, reason, 1);
	st->rows_rejected++;
}

static void reject_col(loader *L, const csvr_field *f, size_t n, uint32_t line, const char *what, int c)
{
	char reason[64];
	snprintf(reason, sizeof reason, "%s_%s", what, colmap_column[c]);
	reject_row(L, f, n, line, reason);
}

/* An optional timestamp: unparseable → empty and a warning. */
static ts_ms opt_time(loader *L, const csvr_field *f, int c)
{
	const char *s;
	size_t len;
	ts_ms t;
	if (!field(L, f, c, &s, &len))
		return TS_NONE;
	if (ts_parse(s, len, L->tz, L->us_dates, &t))
		return t;
	warn(L, c);
	return TS_NONE;
}

/* An optional amount: unparseable or negative → empty and a warning. */
static double opt_amount(loader *L, const csvr_field *f, int c)
{
	const char *s;
	size_t len;
	double v;
	if (!field(L, f, c, &s, &len))
		return NAN;
	if (money_parse(s, len, &v) && v >= 0)
		return v;
	warn(L, c);
	return NAN;
}

static int8_t opt_bool(loader *L, const csvr_field *f, int c)
{
	const char *s;
	size_t len;
	int8_t v;
	if (!field(L, f, c, &s, &len))
		return -1;
	if (norm_bool(s, len, &v))
		return v;
	warn(L, c);
	return -1;
}

/* A required timestamp: 0 ok, else the reject reason's prefix. */
static const char *req_time(loader *L, const csvr_field *f, int c, ts_ms *out)
{
	const char *s;
	size_t len;
	if (!field(L, f, c, &s, &len))
		return "missing";
	if (!ts_parse(s, len, L->tz, L->us_dates, out))
		return "unparseable";
	return NULL;
}

/* ---- rows of each source ---- */

/* Append a lead, or replace the one with the same id (the later row wins). */
static void add_lead(dataset *ds, symmap *lead_of, const lead *l)
{
	uint32_t at = symmap_get(lead_of, l->id);
	if (at != NO_LEAD) {
		ds->leads[at] = *l;
		ds->duplicate_leads++;
		return;
	}
	if (ds->nleads == ds->leads_cap)
		VEC_RESERVE(ds->leads, ds->leads_cap, ds->nleads + 1);
	ds->leads[ds->nleads] = *l;
	symmap_set(lead_of, l->id, (uint32_t)ds->nleads);
	ds->nleads++;
}

static void row_lead(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const char *s, *why;
	size_t len;
	lead l;
	if (!field(L, f, CC_LEAD_ID, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_LEAD_ID);
		return;
	}
	const char *id = s;
	size_t idlen = len;
	if ((why = req_time(L, f, CC_CREATED_AT, &l.t[LT_CREATED]))) {
		reject_col(L, f, n, line, why, CC_CREATED_AT);
		return;
	}
	for (int t = 1; t < LT_COUNT; t++)
		l.t[t] = opt_time(L, f, CC_LEAD_TIME(t));
	l.amount = opt_amount(L, f, CC_AMOUNT);
	l.company_size = -1;
	if (field(L, f, CC_COMPANY_SIZE, &s, &len) && !norm_company_size(s, len, &l.company_size)) {
		l.company_size = -1;
		warn(L, CC_COMPANY_SIZE);
	}
	l.channel = field(L, f, CC_CHANNEL, &s, &len) ? memo_val(L, &L->m_chan, s, len, MK_NORM, &L->ch_alias) : 0;
	if (!l.channel)
		l.channel = L->unknown;
	l.campaign = field(L, f, CC_CAMPAIGN, &s, &len) ? memo_val(L, &L->m_camp, s, len, MK_TRIM, NULL) : L->unknown;
	l.job_title = field(L, f, CC_JOB_TITLE, &s, &len) ? memo_val(L, &L->m_title, s, len, MK_TRIM, NULL) : 0;
	l.industry = field(L, f, CC_INDUSTRY, &s, &len) ? memo_val(L, &L->m_ind, s, len, MK_NORM, &no_alias) : 0;
	l.country = field(L, f, CC_COUNTRY, &s, &len) ? memo_val(L, &L->m_country, s, len, MK_UPPER, NULL) : 0;
	l.converted_opp = field(L, f, CC_CONVERTED_OPP, &s, &len) ? locked_intern(L, s, len) : 0;
	l.line = line;

	if (L->ids) {
		/* a parallel reader: the merge resolves ids and duplicates */
		l.id = ids_add(L->ids, id, idlen);
		dataset *out = L->out;
		if (out->nleads == out->leads_cap)
			VEC_RESERVE(out->leads, out->leads_cap, out->nleads + 1);
		out->leads[out->nleads++] = l;
		out->src[L->src].rows_accepted++;
		return;
	}
	l.id = locked_intern(L, id, idlen);
	add_lead(L->ds, L->lead_of, &l);
	L->ds->src[L->src].rows_accepted++;
}

static void row_event(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const char *s, *why;
	size_t len;
	event e;
	if (!field(L, f, CC_LEAD_ID, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_LEAD_ID);
		return;
	}
	if (len == L->last_id_len && same_bytes(s, L->last_id, len)) {
		e.lead = L->last_lead;
	} else {
		e.lead = leadix_get(L->lx, s, len);
		if (len <= sizeof L->last_id) {
			memcpy(L->last_id, s, len);
			L->last_id_len = len;
			L->last_lead = e.lead;
		}
	}
	if ((why = req_time(L, f, CC_OCCURRED_AT, &e.at))) {
		reject_col(L, f, n, line, why, CC_OCCURRED_AT);
		return;
	}
	if (!field(L, f, CC_TYPE, &s, &len) || !(e.type = memo_sym(L, &L->m_type, s, len, &L->ty_alias))) {
		reject_col(L, f, n, line, "missing", CC_TYPE);
		return;
	}
	e.channel = field(L, f, CC_CHANNEL, &s, &len) ? memo_sym(L, &L->m_chan, s, len, &L->ch_alias) : 0;
	if (!e.channel)
		e.channel = L->unknown;
	e.campaign = field(L, f, CC_CAMPAIGN, &s, &len) ? memo_sym(L, &L->m_camp, s, len, NULL) : L->unknown;
	dataset *out = L->out;
	if (out->nevents == out->events_cap)
		VEC_RESERVE(out->events, out->events_cap, out->nevents + 1);
	out->events[out->nevents++] = e;
	out->src[L->src].rows_accepted++;
}

static void row_spend(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const char *s;
	size_t len;
	spend_row r;
	if (!field(L, f, CC_DATE, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_DATE);
		return;
	}
	if (!ts_parse_day(s, len, L->rtz, L->us_dates, &r.day)) {
		reject_col(L, f, n, line, "unparseable", CC_DATE);
		return;
	}
	if (!field(L, f, CC_CHANNEL, &s, &len) || !(r.channel = norm_sym(L, s, len, &L->ch_alias))) {
		reject_col(L, f, n, line, "missing", CC_CHANNEL);
		return;
	}
	if (!field(L, f, CC_AMOUNT, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_AMOUNT);
		return;
	}
	if (!money_parse(s, len, &r.amount)) {
		reject_col(L, f, n, line, "unparseable", CC_AMOUNT);
		return;
	}
	if (r.amount < 0) {
		reject_row(L, f, n, line, "negative_amount");
		return;
	}
	if (field(L, f, CC_CURRENCY, &s, &len) && !norm_eq_nocase(s, len, L->cfg->currency ? L->cfg->currency : "USD")) {
		reject_row(L, f, n, line, "foreign_currency");
		return;
	}
	r.campaign = field(L, f, CC_CAMPAIGN, &s, &len) ? trimmed_sym(L, s, len) : L->unknown;
	dataset *ds = L->ds;
	VEC_RESERVE(ds->spend, ds->spend_cap, ds->nspend + 1);
	ds->spend[ds->nspend++] = r;
	ds->src[L->src].rows_accepted++;
}

static void row_opp(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const char *s, *why;
	size_t len;
	opportunity o;
	if (!field(L, f, CC_OPPORTUNITY_ID, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_OPPORTUNITY_ID);
		return;
	}
	const char *id = s;
	size_t idlen = len;
	sym lead_id = 0;
	bool by_lead_id = L->m.col[CC_LEAD_ID] >= 0;
	if (by_lead_id) {
		if (!field(L, f, CC_LEAD_ID, &s, &len)) {
			reject_col(L, f, n, line, "missing", CC_LEAD_ID);
			return;
		}
		lead_id = pool_find(L->ds->pool, s, len);
	}
	if ((why = req_time(L, f, CC_CREATED_AT, &o.created))) {
		reject_col(L, f, n, line, why, CC_CREATED_AT);
		return;
	}
	o.closed = opt_time(L, f, CC_CLOSED_AT);
	o.amount = opt_amount(L, f, CC_AMOUNT);
	o.stage = field(L, f, CC_STAGE, &s, &len) ? norm_sym(L, s, len, &(symmap){ 0 }) : 0;
	o.is_won = opt_bool(L, f, CC_IS_WON);
	o.is_closed = opt_bool(L, f, CC_IS_CLOSED);
	o.id = trimmed_sym(L, id, idlen);
	if (by_lead_id)
		o.lead = lead_id ? symmap_get(L->lead_of, lead_id) : NO_LEAD;
	else
		o.lead = symmap_get(&L->conv_of, o.id);

	dataset *ds = L->ds;
	uint32_t at = symmap_get(&L->opp_of, o.id);
	if (at != NO_LEAD) {
		ds->opps[at] = o;
		ds->duplicate_opps++;
	} else {
		VEC_RESERVE(ds->opps, ds->opps_cap, ds->nopps + 1);
		ds->opps[ds->nopps] = o;
		symmap_set(&L->opp_of, o.id, (uint32_t)ds->nopps);
		ds->nopps++;
	}
	ds->src[L->src].rows_accepted++;
}

/* ---- header and records ---- */

static void add_aliases(loader *L, symmap *m, const strpairs *cfg, const colmap_alias *preset)
{
	/* preset first, the config's after: the config wins */
	for (const colmap_alias *a = preset; a && a->from; a++) {
		sym from = norm_sym(L, a->from, strlen(a->from), &(symmap){ 0 });
		sym to = norm_sym(L, a->to, strlen(a->to), &(symmap){ 0 });
		if (from && to)
			symmap_set(m, from, to);
	}
	for (size_t i = 0; cfg && i < cfg->len; i++) {
		sym from = norm_sym(L, cfg->items[i].key, strlen(cfg->items[i].key), &(symmap){ 0 });
		sym to = norm_sym(L, cfg->items[i].value, strlen(cfg->items[i].value), &(symmap){ 0 });
		if (from && to)
			symmap_set(m, from, to);
	}
}

static int on_header(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const source_cfg *sc = &L->cfg->src[L->src];
	source_stats *st = &L->ds->src[L->src];
	for (size_t i = 0; i < n; i++) {
		if (!valid_text(f[i].s, f[i].len)) {
			mq_err_set(L->err, MQ_DATAERR, "%s:%u: column %zu: the header is not valid text%s", L->name,
				   line, i + 1, sc->encoding ? "" : " (set the source's encoding?)");
			return -1;
		}
	}
	/* trimmed header names */
	csvr_field *h = xmalloc((n ? n : 1) * sizeof *h);
	for (size_t i = 0; i < n; i++) {
		h[i] = f[i];
		norm_trim(&h[i].s, &h[i].len);
	}
	/* opportunities may join through the leads' converted opportunity id */
	static const int lead_id_ok[] = { CC_LEAD_ID, -1 };
	const int *optional_ok = L->src == SRC_OPPORTUNITIES && L->conv_of.len ? lead_id_ok : NULL;
	int rc = colmap_bind(&L->m, L->src, sc->preset, &sc->columns, h, n, L->name, line, optional_ok,
			     &st->unknown_columns, L->err);
	free(h);
	if (rc != 0)
		return -1;
	free(st->preset);
	st->preset = xstrdup(L->m.preset->name);
	L->us_dates = sc->us_dates || L->m.preset->us_dates;
	L->null_literal = L->m.preset->null_literal;
	add_aliases(L, &L->ch_alias, &L->cfg->channel_aliases, L->m.preset->channel_aliases);
	add_aliases(L, &L->ty_alias, &L->cfg->type_aliases, L->m.preset->type_aliases);
	if (L->src == SRC_LEADS)
		L->ds->leads_have_mql = L->m.col[CC_MQL_AT] >= 0;
	L->have_header = true;
	return 0;
}

static int on_record(void *ctx, const csvr_field *f, size_t n, uint32_t line)
{
	loader *L = ctx;
	if (!L->have_header)
		return on_header(L, f, n, line);
	if (L->stop && g_atomic_int_get(L->stop))
		return -1;
	source_stats *st = &L->out->src[L->src];
	st->rows_read++;
	/* the reader hands fields back to back in one buffer: one pass over the
	 * span is enough when it is plain ASCII */
	const char *first = f[0].s, *end = f[n - 1].s + f[n - 1].len;
	if (!(end >= first && plain_ascii(first, (size_t)(end - first)))) {
		for (size_t i = 0; i < n; i++) {
			if (!valid_text(f[i].s, f[i].len)) {
				reject_row(L, f, n, line, "invalid_encoding");
				return 0;
			}
		}
	}
	if (n != L->m.nheader) {
		reject_row(L, f, n, line, "wrong_field_count");
		return 0;
	}
	switch (L->src) {
	case SRC_LEADS:
		row_lead(L, f, n, line);
		break;
	case SRC_EVENTS:
		row_event(L, f, n, line);
		break;
	case SRC_SPEND:
		row_spend(L, f, n, line);
		break;
	default:
		row_opp(L, f, n, line);
		break;
	}
	return 0;
}

/* ---- bytes in ---- */

/* windows-1252 0x80..0x9F; 0 marks the five undefined bytes. */
static const uint16_t cp1252_high[32] = {
	0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
	0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Convert windows-1252 to UTF-8. An undefined byte is kept as it is: a lone
 * continuation byte after whole sequences is never UTF-8, so its row is
 * rejected as invalid_encoding and rejects.csv shows the byte read. out
 * holds 3 * n. */
static size_t cp1252_to_utf8(const unsigned char *in, size_t n, unsigned char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned c = in[i];
		if (c < 0x80) {
			out[o++] = (unsigned char)c;
			continue;
		}
		unsigned cp = c < 0xA0 ? cp1252_high[c - 0x80] : c;
		if (!cp) {
			out[o++] = (unsigned char)c;
		} else if (cp < 0x800) {
			out[o++] = (unsigned char)(0xC0 | (cp >> 6));
			out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		} else {
			out[o++] = (unsigned char)(0xE0 | (cp >> 12));
			out[o++] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
			out[o++] = (unsigned char)(0x80 | (cp & 0x3F));
		}
	}
	return o;
}

enum encoding { ENC_UTF8, ENC_CP1252 };

static int parse_encoding(const char *e, const char *name, int *out, mq_err *err)
{
	if (!e || !g_ascii_strcasecmp(e, "utf-8") || !g_ascii_strcasecmp(e, "utf8")) {
		*out = ENC_UTF8;
		return 0;
	}
	if (!g_ascii_strcasecmp(e, "windows-1252") || !g_ascii_strcasecmp(e, "cp1252") ||
	    !g_ascii_strcasecmp(e, "latin1") || !g_ascii_strcasecmp(e, "iso-8859-1")) {
		*out = ENC_CP1252;
		return 0;
	}
	mq_err_set(err, MQ_CONFIG, "%s: unknown encoding \"%s\" (utf-8 or windows-1252)", name, e);
	return -1;
}

/* Feed one chunk of raw bytes through the decoder into the reader. */
static int feed(loader *L, int enc, const unsigned char *b, size_t n, unsigned char *conv)
{
	if (enc == ENC_CP1252) {
		size_t m = cp1252_to_utf8(b, n, conv);
		return csvr_feed(L->r, conv, m);
	}
	return csvr_feed(L->r, b, n);
}

/* ---- reading a file, the events file on two threads ---- */

#define PAR_MIN_BYTES (32 << 20)
#define PAR_SHARE 0.42       /* the first thread also hashes the whole file … */
#define PAR_SHARE_LEADS 0.47 /* … which weighs less beside the slower rows of leads */

/* The SHA-256 of the bytes read, through OpenSSL (SHA extensions where the
 * CPU has them: a fraction of the time of parsing). */
typedef struct digest {
	EVP_MD_CTX *ctx;
} digest;

static void digest_init(digest *d)
{
	d->ctx = EVP_MD_CTX_new();
	if (!d->ctx || EVP_DigestInit_ex(d->ctx, EVP_sha256(), NULL) != 1)
		abort();
}

static void digest_update(digest *d, const void *p, size_t n)
{
	if (EVP_DigestUpdate(d->ctx, p, n) != 1)
		abort();
}

static void digest_final(digest *d, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (EVP_DigestFinal_ex(d->ctx, md, &n) != 1)
		abort();
	for (unsigned i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	EVP_MD_CTX_free(d->ctx);
	d->ctx = NULL;
}

/* pread() all of [off, off + n) into b; returns bytes read or -1. */
static ssize_t pread_full(int fd, void *b, size_t n, int64_t off)
{
	size_t got = 0;
	while (got < n) {
		ssize_t k = pread(fd, (char *)b + got, n - got, (off_t)(off + (int64_t)got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

/* A line start near `guess`, or 0 when none is found nearby. */
static int64_t find_split(int fd, int64_t guess, int64_t total)
{
	char b[1 << 16];
	ssize_t n = pread_full(fd, b, sizeof b, guess);
	for (ssize_t i = 0; i < n; i++)
		if (b[i] == '\n')
			return guess + i + 1 < total ? guess + i + 1 : 0;
	return 0;
}

/* A reader of the file's second part, on its own thread, into its own
 * rows; merged only when the cut proves to be a record boundary. */
typedef struct part {
	loader L;
	dataset out;
	int fd, enc;
	int64_t from, to;
	int rc;
	gint stop;
	GThread *th;
} part;

static gpointer part_run(gpointer data)
{
	part *w = data;
	unsigned char *buf = xmalloc(READ_CHUNK);
	unsigned char *conv = w->enc == ENC_CP1252 ? xmalloc(3 * (size_t)READ_CHUNK) : NULL;
	w->rc = -1;
	for (int64_t off = w->from; off < w->to;) {
		size_t want = (size_t)(w->to - off < READ_CHUNK ? w->to - off : READ_CHUNK);
		ssize_t got = pread_full(w->fd, buf, want, off);
		if (got <= 0)
			goto done;
		if (feed(&w->L, w->enc, buf, (size_t)got, conv) != 0)
			goto done;
		off += got;
	}
	if (csvr_finish(w->L.r) == 0)
		w->rc = 0;
done:
	free(buf);
	free(conv);
	return NULL;
}

static void part_start(part *w, loader *L, int fd, int enc, int64_t from, int64_t to, pthread_mutex_t *lock)
{
	*w = (part){ .fd = fd, .enc = enc, .from = from, .to = to };
	w->L = *L; /* the header binding, zones, aliases (shared read-only) */
	w->L.out = &w->out;
	w->L.stop = &w->stop;
	w->L.scratch = NULL;
	w->L.scratch_cap = 0;
	w->L.rf = NULL;
	w->L.rl = NULL;
	w->L.rcap = 0;
	memset(w->L.warn, 0, sizeof w->L.warn);
	w->L.m_type = w->L.m_chan = w->L.m_camp = (memo){ 0 };
	w->L.m_title = w->L.m_ind = w->L.m_country = (memo){ 0 };
	w->L.ids = L->src == SRC_LEADS ? xcalloc(1, sizeof *w->L.ids) : NULL;
	w->L.r = csvr_new(L->name, L->cfg->max_field_bytes, on_record, &w->L);
	csvr_start_at(w->L.r, 1);
	L->pool_lock = w->L.pool_lock = lock;
	w->th = g_thread_new("mql-read", part_run, w);
}

static void part_free(part *w)
{
	csvr_free(w->L.r);
	free(w->L.scratch);
	free(w->L.rf);
	free(w->L.rl);
	memo_free(&w->L.m_type);
	memo_free(&w->L.m_chan);
	memo_free(&w->L.m_camp);
	memo_free(&w->L.m_title);
	memo_free(&w->L.m_ind);
	memo_free(&w->L.m_country);
	if (w->L.ids) {
		free(w->L.ids->buf);
		free(w->L.ids->ref);
		free(w->L.ids);
	}
	free(w->out.leads);
	free(w->out.events);
	for (size_t i = 0; i < w->out.nrejects; i++) {
		reject *r = &w->out.rejects[i];
		for (size_t f = 0; f < r->nfields; f++)
			free(r->fields[f]);
		free(r->fields);
		free(r->reason);
	}
	free(w->out.rejects);
	kvcounts_clear(&w->out.src[w->L.src].rejected_by_reason);
}

/* Append the worker's rows after the first part's; its lines are relative
 * to the cut, which was line `line` of the file. */
static void part_merge(part *w, loader *L, uint32_t line)
{
	dataset *ds = L->ds;
	source_stats *st = &ds->src[L->src], *ws = &w->out.src[L->src];
	/* moved a slice at a time from the end, each freed as it goes, so the
	 * two parts are never held twice */
	size_t wn = w->out.nevents, slice = (64u << 20) / sizeof(event);
	VEC_RESERVE(ds->events, ds->events_cap, ds->nevents + wn);
	for (size_t end = wn; end > 0;) {
		size_t start = end > slice ? end - slice : 0;
		memcpy(ds->events + ds->nevents + start, w->out.events + start, (end - start) * sizeof(event));
		end = start;
		if (end) {
			w->out.events = xrealloc(w->out.events, end * sizeof(event));
			w->out.events_cap = end;
		}
	}
	ds->nevents += wn;
	for (size_t k = 0; k < w->out.nleads; k++) {
		lead l = w->out.leads[k];
		const struct idref *ref = &w->L.ids->ref[l.id];
		l.id = pool_intern(ds->pool, w->L.ids->buf + ref->off, ref->len);
		l.line += line - 1;
		add_lead(ds, L->lead_of, &l);
	}
	VEC_RESERVE(ds->rejects, ds->rejects_cap, ds->nrejects + w->out.nrejects);
	for (size_t i = 0; i < w->out.nrejects; i++) {
		ds->rejects[ds->nrejects] = w->out.rejects[i];
		ds->rejects[ds->nrejects++].line += line - 1;
	}
	w->out.nrejects = 0; /* moved */
	st->rows_read += ws->rows_read;
	st->rows_accepted += ws->rows_accepted;
	st->rows_rejected += ws->rows_rejected;
	for (size_t i = 0; i < ws->rejected_by_reason.len; i++)
		kvcounts_add(&st->rejected_by_reason, ws->rejected_by_reason.items[i].key,
			     ws->rejected_by_reason.items[i].n);
	for (int c = 0; c < CC_COUNT; c++)
		L->warn[c] += w->L.warn[c];
}

static int read_path(loader *L, const char *path, int enc)
{
	source_stats *st = &L->ds->src[L->src];
	/* O_NONBLOCK: opening a FIFO without a writer must not hang; a link
	 * to a regular file is followed (reading only) */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		mq_err_set(L->err, MQ_NOINPUT, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat sb = {0};
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		mq_err_set(L->err, MQ_NOINPUT, "%s: %s", path,
			   S_ISDIR(sb.st_mode)
			       ? "is a folder, not a file"
			       : "is not a regular file (a FIFO, a device or a socket "
				 "is not read as a source)");
		close(fd);
		return -1;
	}
	int64_t total = fstat(fd, &sb) == 0 ? (int64_t)sb.st_size : 0;
	unsigned char *buf = xmalloc(READ_CHUNK);
	unsigned char *conv = enc == ENC_CP1252 ? xmalloc(3 * (size_t)READ_CHUNK) : NULL;
	digest sum;
	digest_init(&sum);
	int rc = -1;

	/* the events file is cut in two near PAR_SHARE at a line start; the
	 * second part is read on another thread from the start */
	int64_t split = 0;
	if ((L->src == SRC_EVENTS || L->src == SRC_LEADS) && S_ISREG(sb.st_mode) && total >= PAR_MIN_BYTES &&
	    L->cfg->threads != 1 && g_get_num_processors() > 1)
		split = find_split(fd, (int64_t)((double)total * (L->src == SRC_LEADS ? PAR_SHARE_LEADS : PAR_SHARE)),
				   total);
	part w;
	bool started = false, hashed_all = false;
	pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

	int64_t off = 0;
	for (;;) {
		int64_t limit = split && off < split ? split : INT64_MAX;
		size_t want = READ_CHUNK;
		if (limit != INT64_MAX && limit - off < (int64_t)want)
			want = (size_t)(limit - off);
		ssize_t got = want ? pread_full(fd, buf, want, off) : 0;
		if (got < 0) {
			mq_err_set(L->err, MQ_NOINPUT, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (got > 0) {
			if (!hashed_all)
				digest_update(&sum, buf, (size_t)got);
			st->bytes += got;
			off += got;
			if (feed(L, enc, buf, (size_t)got, conv) != 0)
				goto parse_error;
			if (split && !started && L->have_header) {
				part_start(&w, L, fd, enc, split, total, &lock);
				started = true;
			}
			if (L->cfg->progress && st->bytes >= L->next_progress) {
				fprintf(stderr, "\rreading %s: %lld%%", source_name[L->src],
					total > 0 ? (long long)(100 * st->bytes / total) : 0LL);
				L->next_progress = st->bytes + (64 << 20);
			}
		}
		if (split && off == split) {
			split = 0; /* from here on, one thread */
			if (!started)
				continue;
			bool boundary = csvr_pending(L->r) == 0;
			if (!boundary)
				g_atomic_int_set(&w.stop, 1);
			/* while the other thread finishes, the digest takes in the
			 * second part: it is needed either way */
			for (int64_t at = off; at < total;) {
				size_t n = (size_t)(total - at < READ_CHUNK ? total - at : READ_CHUNK);
				ssize_t k = pread_full(fd, buf, n, at);
				if (k <= 0)
					break;
				digest_update(&sum, buf, (size_t)k);
				at += k;
			}
			hashed_all = true;
			g_thread_join(w.th);
			started = false;
			L->pool_lock = NULL;
			if (boundary && w.rc == 0) {
				part_merge(&w, L, csvr_line(L->r));
				part_free(&w);
				st->bytes += total - off;
				off = total;
				break;
			}
			/* a cut inside a quoted field, or an error in the second
			 * part: this thread reads it again, for exact lines */
			part_free(&w);
			continue;
		}
		if (got == 0)
			break;
	}
	if (csvr_finish(L->r) != 0)
		goto parse_error;
	if (!L->have_header) {
		mq_err_set(L->err, MQ_DATAERR, "%s:1: no header row (the file is empty)", L->name);
		goto done;
	}
	rc = 0;
	goto done;
parse_error:
	if (!mq_failed(L->err))
		mq_err_set(L->err, MQ_DATAERR, "%s", csvr_error(L->r));
done:
	if (started) {
		g_atomic_int_set(&w.stop, 1);
		g_thread_join(w.th);
		part_free(&w);
		L->pool_lock = NULL;
	}
	pthread_mutex_destroy(&lock);
	if (L->cfg->progress && st->bytes >= (64 << 20))
		fprintf(stderr, "\n");
	digest_final(&sum, st->sha256);
	free(buf);
	free(conv);
	close(fd);
	return rc;
}

static GTimeZone *zone(const char *name, const char *what, mq_err *err)
{
	GTimeZone *tz = g_time_zone_new_identifier(name ? name : "UTC");
	if (!tz)
		mq_err_set(err, MQ_CONFIG, "%s: unknown time zone \"%s\"", what, name);
	return tz;
}

/* Read source s into ds. */
static int load_source(dataset *ds, const ingest_cfg *cfg, int s, symmap *lead_of, mq_err *err)
{
	const source_cfg *sc = &cfg->src[s];
	source_stats *st = &ds->src[s];
	/* messages, logs and outputs name a URL without its secrets */
	char *shown = is_url(sc->location) ? fetch_url_for_log(sc->location) : xstrdup(sc->location);
	loader L = { .ds = ds, .out = ds, .cfg = cfg, .err = err, .src = s, .name = shown, .lead_of = lead_of };
	leadix lx = { 0 };
	char *dest = NULL;
	int rc = -1, enc;

	st->present = true;
	free(st->location);
	st->location = xstrdup(shown);
	free(st->preset);
	st->preset = xstrdup(sc->preset && strcmp(sc->preset, "auto") ? sc->preset : "canonical");
	if (parse_encoding(sc->encoding, shown, &enc, err) != 0)
		goto done;
	if (!(L.rtz = zone(cfg->timezone, "report", err)))
		goto done;
	if (!(L.tz = zone(sc->timezone ? sc->timezone : cfg->timezone, source_name[s], err)))
		goto done;
	L.unknown = pool_intern(ds->pool, "unknown", 7);
	if (s == SRC_EVENTS) {
		leadix_build(&lx, ds);
		L.lx = &lx;
	}
	if (s == SRC_OPPORTUNITIES) {
		for (size_t i = 0; i < ds->nleads; i++)
			if (ds->leads[i].converted_opp && symmap_get(&L.conv_of, ds->leads[i].converted_opp) == NO_LEAD)
				symmap_set(&L.conv_of, ds->leads[i].converted_opp, (uint32_t)i);
		ds->has_opportunities = true;
	}
	L.r = csvr_new(shown, cfg->max_field_bytes, on_record, &L);

	const char *path = sc->location;
	if (is_url(sc->location)) {
		const char *dir = cfg->cache_dir ? cfg->cache_dir : "cache";
		if (g_mkdir_with_parents(dir, 0755) != 0) {
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot create the folder: %s", dir, strerror(errno));
			goto done;
		}
		dest = xasprintf("%s/%s.csv", dir, source_name[s]);
		if (fetch_to_file(sc->location, &sc->fetch, dest, err) != 0)
			goto done;
		path = dest;
	}
	if (read_path(&L, path, enc) != 0)
		goto done;
	for (int c = 0; c < CC_COUNT; c++)
		if (L.warn[c])
			kvcounts_add(&st->warnings_by_field, colmap_column[c], L.warn[c]);
	rc = 0;
done:
	csvr_free(L.r);
	if (L.tz)
		g_time_zone_unref(L.tz);
	if (L.rtz)
		g_time_zone_unref(L.rtz);
	free(L.opp_of.v);
	free(L.conv_of.v);
	free(L.ch_alias.v);
	free(L.ty_alias.v);
	memo_free(&L.m_type);
	memo_free(&L.m_chan);
	memo_free(&L.m_camp);
	memo_free(&L.m_title);
	memo_free(&L.m_ind);
	memo_free(&L.m_country);
	leadix_free(&lx);
	free(L.scratch);
	free(L.rf);
	free(L.rl);
	free(dest);
	free(shown);
	return rc;
}

int ingest_load(dataset *ds, const ingest_cfg *cfg, mq_err *err)
{
	static const int order[SRC_COUNT] = { SRC_LEADS, SRC_EVENTS, SRC_SPEND, SRC_OPPORTUNITIES };
	symmap lead_of = { 0 };
	int rc = -1;
	for (int i = 0; i < SRC_COUNT; i++) {
		int s = order[i];
		if (!cfg->src[s].location) {
			if (s != SRC_OPPORTUNITIES) {
				mq_err_set(err, MQ_NOINPUT, "no %s source configured", source_name[s]);
				goto done;
			}
			continue;
		}
		if (load_source(ds, cfg, s, &lead_of, err) != 0)
			goto done;
	}
	dataset_index(ds);
	rc = 0;
done:
	free(lead_of.v);
	return rc;
}
