/* load.c — every configured source into the data set: read (local file or
 * fetched URL), decode, map columns, parse and normalise fields, reject
 * bad rows with a reason, count everything. */
#include "load.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

typedef struct loader {
	dataset *ds;
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

static void warn(loader *L, int c)
{
	L->warn[c]++;
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
	dataset_reject(L->ds, L->src, line, reason, L->rf, L->rl, n);
	source_stats *st = &L->ds->src[L->src];
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
	l.id = trimmed_sym(L, id, idlen);
	l.channel = field(L, f, CC_CHANNEL, &s, &len) ? norm_sym(L, s, len, &L->ch_alias) : 0;
	if (!l.channel)
		l.channel = L->unknown;
	l.campaign = field(L, f, CC_CAMPAIGN, &s, &len) ? trimmed_sym(L, s, len) : L->unknown;
	l.job_title = field(L, f, CC_JOB_TITLE, &s, &len) ? trimmed_sym(L, s, len) : 0;
	l.industry = field(L, f, CC_INDUSTRY, &s, &len) ? norm_sym(L, s, len, &(symmap){ 0 }) : 0;
	l.country = 0;
	if (field(L, f, CC_COUNTRY, &s, &len)) {
		scratch_reserve(L, len);
		l.country = pool_intern(L->ds->pool, L->scratch, norm_upper(s, len, L->scratch));
	}
	l.converted_opp = field(L, f, CC_CONVERTED_OPP, &s, &len) ? trimmed_sym(L, s, len) : 0;
	l.line = line;

	dataset *ds = L->ds;
	uint32_t at = symmap_get(L->lead_of, l.id);
	if (at != NO_LEAD) {
		ds->leads[at] = l;
		ds->duplicate_leads++;
	} else {
		VEC_RESERVE(ds->leads, ds->leads_cap, ds->nleads + 1);
		ds->leads[ds->nleads] = l;
		symmap_set(L->lead_of, l.id, (uint32_t)ds->nleads);
		ds->nleads++;
	}
	ds->src[L->src].rows_accepted++;
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
	sym id = pool_find(L->ds->pool, s, len);
	if ((why = req_time(L, f, CC_OCCURRED_AT, &e.at))) {
		reject_col(L, f, n, line, why, CC_OCCURRED_AT);
		return;
	}
	if (!field(L, f, CC_TYPE, &s, &len) || !(e.type = norm_sym(L, s, len, &L->ty_alias))) {
		reject_col(L, f, n, line, "missing", CC_TYPE);
		return;
	}
	e.lead = id ? symmap_get(L->lead_of, id) : NO_LEAD;
	e.channel = field(L, f, CC_CHANNEL, &s, &len) ? norm_sym(L, s, len, &L->ch_alias) : 0;
	if (!e.channel)
		e.channel = L->unknown;
	e.campaign = field(L, f, CC_CAMPAIGN, &s, &len) ? trimmed_sym(L, s, len) : L->unknown;
	dataset *ds = L->ds;
	VEC_RESERVE(ds->events, ds->events_cap, ds->nevents + 1);
	ds->events[ds->nevents++] = e;
	ds->src[L->src].rows_accepted++;
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
	source_stats *st = &L->ds->src[L->src];
	st->rows_read++;
	for (size_t i = 0; i < n; i++) {
		if (!valid_text(f[i].s, f[i].len)) {
			reject_row(L, f, n, line, "invalid_encoding");
			return 0;
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

/* Convert windows-1252 to UTF-8; an undefined byte becomes 0xFF, which is
 * not UTF-8, so its row is rejected as invalid_encoding. out holds 3 * n. */
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
			out[o++] = 0xFF;
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

static int read_path(loader *L, const char *path, int enc)
{
	source_stats *st = &L->ds->src[L->src];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		mq_err_set(L->err, MQ_NOINPUT, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat sb;
	if (fstat(fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		mq_err_set(L->err, MQ_NOINPUT, "%s: is a folder, not a file", path);
		close(fd);
		return -1;
	}
	int64_t total = fstat(fd, &sb) == 0 ? (int64_t)sb.st_size : 0;
	unsigned char *buf = xmalloc(READ_CHUNK);
	unsigned char *conv = enc == ENC_CP1252 ? xmalloc(3 * (size_t)READ_CHUNK) : NULL;
	GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
	int rc = -1;
	for (;;) {
		ssize_t got = read(fd, buf, READ_CHUNK);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			mq_err_set(L->err, MQ_NOINPUT, "%s: %s", path, strerror(errno));
			goto done;
		}
		if (got == 0)
			break;
		g_checksum_update(sum, buf, (gssize)got);
		st->bytes += got;
		if (feed(L, enc, buf, (size_t)got, conv) != 0)
			goto parse_error;
		if (L->cfg->progress && st->bytes >= L->next_progress) {
			fprintf(stderr, "\rreading %s: %lld%%", source_name[L->src],
				total > 0 ? (long long)(100 * st->bytes / total) : 0LL);
			L->next_progress = st->bytes + (64 << 20);
		}
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
	if (L->cfg->progress && st->bytes >= (64 << 20))
		fprintf(stderr, "\n");
	snprintf(st->sha256, sizeof st->sha256, "%s", g_checksum_get_string(sum));
	g_checksum_free(sum);
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
	loader L = { .ds = ds, .cfg = cfg, .err = err, .src = s, .name = sc->location, .lead_of = lead_of };
	char *dest = NULL;
	int rc = -1, enc;

	st->present = true;
	free(st->location);
	st->location = xstrdup(sc->location);
	free(st->preset);
	st->preset = xstrdup(sc->preset && strcmp(sc->preset, "auto") ? sc->preset : "canonical");
	if (parse_encoding(sc->encoding, sc->location, &enc, err) != 0)
		goto done;
	if (!(L.rtz = zone(cfg->timezone, "report", err)))
		goto done;
	if (!(L.tz = zone(sc->timezone ? sc->timezone : cfg->timezone, source_name[s], err)))
		goto done;
	L.unknown = pool_intern(ds->pool, "unknown", 7);
	if (s == SRC_OPPORTUNITIES) {
		for (size_t i = 0; i < ds->nleads; i++)
			if (ds->leads[i].converted_opp && symmap_get(&L.conv_of, ds->leads[i].converted_opp) == NO_LEAD)
				symmap_set(&L.conv_of, ds->leads[i].converted_opp, (uint32_t)i);
		ds->has_opportunities = true;
	}
	L.r = csvr_new(sc->location, cfg->max_field_bytes, on_record, &L);

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
	free(L.scratch);
	free(L.rf);
	free(L.rl);
	free(dest);
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
