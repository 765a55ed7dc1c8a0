/* eread.c — the engine path's data set: over the loads that count
 * (eloads.c), the leads that exist at as_of streamed from ClickHouse chunk
 * by chunk (a range of lead buckets at a time), each chunk replayed,
 * classified and added to the tables that read every lead (sums.h), its
 * engagement and calibration counted, by metrics/'s own functions, the
 * next chunk fetched while one is replayed; no lead is kept (the
 * drill-down's rows go to a temporary file as each chunk is added).
 *
 * It must not compute a metric itself: every number of the report comes
 * from metrics/ (or, for data quality over every row, from eread_sql.c). */
#include "eread.h"

#include <math.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch.h"
#include "enodes.h"
#include "erejects.h"
#include "quality.h"
#include "view.h"

#define BUCKETS	    1024
#define TS_NONE_SQL "-9223372036854775808"

const char *const eread_table_name[ET_COUNT] = {"loads", "leads", "events", "spend",
						"opportunities"};

/* ---- the chunks ---- */

typedef struct reader {
	const engine_cfg *c;
	const metrics_params *p;
	dataset *ds; /* the run's data set: the spend and what the sources say */
	eread_result *r;
	dataset *ch;	     /* the chunk */
	GHashTable *lead_of; /* chunk lead id sym → index + 1 */
	GHashTable *opp_of;  /* chunk opportunity id sym → index + 1 */
	uint64_t *ch_lkey;   /* per chunk lead: (load, seq) of its first row, the file order */
	size_t ch_lkey_cap;
	int lo, hi;	   /* the chunk's buckets */
	const char *local; /* "_local": the tables of the node F.c names; "": the
			      Distributed ones */
	uint32_t *tags;	   /* per triple of r, its tag in the chunk, or NO_TAG */
	long long nleads_streamed, nevents_streamed; /* the chunk's */
} reader;

static sym intern(dataset *ds, const char *s)
{
	return pool_intern(ds->pool, s, strlen(s));
}
/* The unsigned decimal number that is all of s, when it fits 64 bits. */
static bool decimal_u64(const char *s, uint64_t *v)
{
	uint64_t x = 0;
	if (!*s)
		return false;
	for (; *s; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (d > 9 || x > UINT64_MAX / 10 || (x == UINT64_MAX / 10 && d > UINT64_MAX % 10))
			return false;
		x = x * 10 + d;
	}
	*v = x;
	return true;
}

/* A decimal integer of the answer: digits after an optional minus read
 * here, anything else (INT64_MIN, other text) by strtoll. */
static int64_t num(const char *s)
{
	bool neg = *s == '-';
	uint64_t v;
	if (!decimal_u64(s + neg, &v) || v > (uint64_t)INT64_MAX)
		return strtoll(s, NULL, 10);
	return neg ? -(int64_t)v : (int64_t)v;
}

/* The leads' columns as the query sends them, each cast to the RowBinary
 * type of ch_rb_row()'s layout below (the cast, not the schema, fixes the
 * bytes): lead_id, then these, then the load index and seq of the lead's
 * first row. */
static const struct lead_col {
	const char *name, *cast;
} lead_cols[] = {{"created_at", "toInt64"},	{"mql_at", "toInt64"},
		 {"accepted_at", "toInt64"},	{"rejected_at", "toInt64"},
		 {"sql_at", "toInt64"},		{"first_contact_at", "toInt64"},
		 {"opportunity_at", "toInt64"}, {"won_at", "toInt64"},
		 {"lost_at", "toInt64"},	{"amount", "toFloat64"},
		 {"amount_set", "toUInt8"},	{"company_size", "toInt64"},
		 {"channel", "toString"},	{"campaign", "toString"},
		 {"job_title", "toString"},	{"industry", "toString"},
		 {"country", "toString"},	{"converted_opp", "toString"},
		 {"line", "toUInt32"},		{NULL, NULL}};
/* lead_id; the nine times, amount (Float64), amount_set (UInt8),
 * company_size; the six names; line (UInt32); the load index (UInt64) and
 * seq (UInt32) */
#define LEAD_LAYOUT "s888888888818ssssss484"
enum { LEAD_FIELDS = sizeof LEAD_LAYOUT - 1 };
_Static_assert(LEAD_FIELDS == 1 + sizeof lead_cols / sizeof *lead_cols - 1 + 2,
	       "a layout character for lead_id, each column and the order key");

static sym intern_val(dataset *ds, const ch_rb_val *v)
{
	return pool_intern(ds->pool, v->s, v->n);
}

/* One leads row into the chunk. */
static void add_lead(reader *R, const ch_rb_val *f)
{
	dataset *ch = R->ch;
	VEC_RESERVE(ch->leads, ch->leads_cap, ch->nleads + 1);
	VEC_RESERVE(R->ch_lkey, R->ch_lkey_cap, ch->nleads + 1);
	lead *l = &ch->leads[ch->nleads];
	l->id = intern_val(ch, &f[0]);
	for (int k = 0; k < LT_COUNT; k++)
		lead_set_t(ch, l, k, (ts_ms)f[1 + k].u);
	double amount;
	memcpy(&amount, &f[10].u, sizeof amount);
	l->amount = f[11].u == 1 ? amount : NAN;
	l->company_size = (int64_t)f[12].u;
	l->channel = intern_val(ch, &f[13]);
	l->campaign = intern_val(ch, &f[14]);
	l->job_title = intern_val(ch, &f[15]);
	l->industry = intern_val(ch, &f[16]);
	l->country = intern_val(ch, &f[17]);
	l->converted_opp = intern_val(ch, &f[18]);
	l->line = (uint32_t)f[19].u;
	R->ch_lkey[ch->nleads] = f[20].u << 32 | f[21].u;
	g_hash_table_insert(R->lead_of, GUINT_TO_POINTER(l->id), GSIZE_TO_POINTER(ch->nleads + 1));
	ch->nleads++;
}

/* RowBinary rows of LEAD_LAYOUT. */
static int on_leads(void *arg, const unsigned char *p, size_t n, size_t *used, mq_err *err)
{
	(void)err;
	ch_rb r = {p, p + n};
	ch_rb_val f[LEAD_FIELDS];
	while (ch_rb_row(&r, LEAD_LAYOUT, f)) {
		add_lead(arg, f);
		*used = (size_t)(r.p - p);
	}
	return 0;
}

static uint32_t chunk_lead_n(reader *R, const char *id, size_t len)
{
	sym s = pool_find(R->ch->pool, id, len);
	size_t at = s ? GPOINTER_TO_SIZE(g_hash_table_lookup(R->lead_of, GUINT_TO_POINTER(s))) : 0;
	return at ? (uint32_t)(at - 1) : NO_LEAD;
}

static uint32_t chunk_lead(reader *R, const char *id)
{
	return chunk_lead_n(R, id, strlen(id));
}

#define NO_TAG UINT32_MAX

/* The chunk's tag of the triple whose hash is h, or -1. */
static int64_t triple_tag(reader *R, uint64_t h)
{
	size_t i = eread_triple_of(R->r, h);
	if (!i)
		return -1;
	if (R->tags[i - 1] == NO_TAG) {
		const ev_triple *t = &R->r->triples[i - 1];
		dataset *ch = R->ch;
		R->tags[i - 1] = dataset_tag(ch, intern(ch, t->type), intern(ch, t->channel),
					     intern(ch, t->campaign));
	}
	return R->tags[i - 1];
}

/* One lead's events in a RowBinary row: where its arrays lie. */
typedef struct lead_events {
	const char *id;
	size_t idlen;
	uint64_t n;		 /* events */
	const unsigned char *at; /* n Int64 instants */
	const unsigned char *h;	 /* n UInt64 hashes of (type, channel, campaign), or */
	ch_rb text[3];		 /* the n types, channels and campaigns (Array(String)) */
} lead_events;

/* An Array(String) of n elements at the cursor; its elements' bytes in *a. */
static int string_array(ch_rb *r, uint64_t n, ch_rb *a, mq_err *err)
{
	uint64_t m;
	ch_rb c = *r;
	if (!ch_rb_varint(&c, &m))
		return 0;
	if (m != n) {
		mq_err_set(err, MQ_UNAVAILABLE,
			   "ClickHouse: an events row of %llu instants and %llu names",
			   (unsigned long long)n, (unsigned long long)m);
		return -1;
	}
	a->p = c.p;
	for (uint64_t k = 0; k < n; k++) {
		const char *s;
		size_t len;
		if (!ch_rb_string(&c, &s, &len))
			return 0;
	}
	a->end = c.p;
	*r = c;
	return 1;
}

/* The row at the cursor when all of it is there: 1 (the cursor after it),
 * 0 when it is not, -1 with err when it is malformed. */
static int lead_events_row(const reader *R, ch_rb *r, lead_events *le, mq_err *err)
{
	ch_rb c = *r;
	uint64_t m;
	if (!ch_rb_string(&c, &le->id, &le->idlen) || !ch_rb_varint(&c, &le->n) ||
	    !ch_rb_fixed(&c, le->n, 8, &le->at))
		return 0;
	if (R->r->triple_slot) {
		if (!ch_rb_varint(&c, &m))
			return 0;
		if (m != le->n) {
			mq_err_set(err, MQ_UNAVAILABLE,
				   "ClickHouse: an events row of %llu instants and %llu hashes",
				   (unsigned long long)le->n, (unsigned long long)m);
			return -1;
		}
		if (!ch_rb_fixed(&c, m, 8, &le->h))
			return 0;
	} else {
		for (int k = 0; k < 3; k++) {
			int rc = string_array(&c, le->n, &le->text[k], err);
			if (rc <= 0)
				return rc;
		}
	}
	*r = c;
	return 1;
}

static sym intern_next(dataset *ch, ch_rb *a)
{
	const char *s;
	size_t len;
	ch_rb_string(a, &s, &len); /* string_array() saw it whole */
	return pool_intern(ch->pool, s, len);
}

/* One lead's events, in time order (ties in file order), into the chunk. */
static int add_lead_events(reader *R, lead_events *le, mq_err *err)
{
	dataset *ch = R->ch;
	uint32_t li = chunk_lead_n(R, le->id, le->idlen);
	if (li == NO_LEAD)
		return 0;
	for (uint64_t k = 0; k < le->n; k++) {
		int64_t tag;
		if (le->h) {
			uint64_t h = ch_rb_u64_at(le->h, k);
			tag = triple_tag(R, h);
			if (tag < 0) {
				mq_err_set(err, MQ_UNAVAILABLE,
					   "ClickHouse: an event's (type, channel, campaign) hash "
					   "%llu was not among the events counted before",
					   (unsigned long long)h);
				return -1;
			}
		} else {
			sym type = intern_next(ch, &le->text[0]);
			sym channel = intern_next(ch, &le->text[1]);
			tag = dataset_tag(ch, type, channel, intern_next(ch, &le->text[2]));
		}
		dataset_add_event(ch, (ts_ms)ch_rb_u64_at(le->at, k), li, (uint32_t)tag);
	}
	R->nevents_streamed += (long long)le->n;
	return 0;
}

/* RowBinary rows of lead_id, its events' instants, then their hashes of
 * (type, channel, campaign) or those three as text. */
static int on_events(void *arg, const unsigned char *p, size_t n, size_t *used, mq_err *err)
{
	reader *R = arg;
	ch_rb r = {p, p + n};
	for (;;) {
		lead_events le = {0};
		int rc = lead_events_row(R, &r, &le, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
		if (add_lead_events(R, &le, err) != 0)
			return -1;
		*used = (size_t)(r.p - p);
	}
	return 0;
}

/* opportunity_id, lead_id, created, closed, amount, amount_set, stage,
 * is_won, is_closed of its winning row, the load index and seq of its
 * first; one of a lead that is not the chunk's (on another node, or none
 * that exists) is another chunk's or no table's */
static int on_opp(void *arg, char **f, size_t n, mq_err *err)
{
	reader *R = arg;
	if (n != 11) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: an opportunities row of %zu fields",
			   n);
		return -1;
	}
	dataset *ch = R->ch;
	uint32_t lead = chunk_lead(R, f[1]);
	if (lead == NO_LEAD)
		return 0;
	opportunity o = {.id = intern(ch, f[0]),
			 .lead = lead,
			 .created = num(f[2]),
			 .closed = num(f[3]),
			 .amount = strcmp(f[5], "1") == 0 ? strtod(f[4], NULL) : NAN,
			 .stage = intern(ch, f[6]),
			 .is_won = (int8_t)num(f[7]),
			 .is_closed = (int8_t)num(f[8])};
	size_t at = GPOINTER_TO_SIZE(g_hash_table_lookup(R->opp_of, GUINT_TO_POINTER(o.id)));
	if (at) {
		ch->opps[at - 1] = o;
		return 0;
	}
	VEC_RESERVE(ch->opps, ch->opps_cap, ch->nopps + 1);
	ch->opps[ch->nopps++] = o;
	g_hash_table_insert(R->opp_of, GUINT_TO_POINTER(o.id), GSIZE_TO_POINTER(ch->nopps));
	return 0;
}

/* ---- the SQL of one chunk ---- */

/* The order of a table's rows: (the load's place, the row's place in it). */
static char *order_key(const eread_result *r, int s)
{
	return xasprintf("(indexOf(%s, attempt), seq)", r->order[s]->str);
}

char *eread_existing(const eread_result *r, const char *db, ts_ms as_of, int lo, int hi);

/* "lead_id IN (the ids of the leads that exist at as_of)", over the node's
 * own leads (leads and events of one lead are on one node). */
char *eread_existing(const eread_result *r, const char *db, ts_ms as_of, int lo, int hi)
{
	char *k = order_key(r, SRC_LEADS);
	char *s =
	    xasprintf("lead_id IN (SELECT lead_id FROM %s.leads_local WHERE attempt IN (%s) "
		      "AND bucket >= %d AND bucket < %d GROUP BY lead_id HAVING "
		      "argMax(created_at, %s) > " TS_NONE_SQL " AND argMax(created_at, %s) < %lld)",
		      db, r->attempts[SRC_LEADS]->str, lo, hi, k, k, (long long)as_of);
	free(k);
	return s;
}

/* Each lead's winning row (the latest load, the last row in it): one argMax
 * of a tuple of every column, which costs a node about two thirds of the
 * CPU of an argMax per column; and its place, that of its first row (the
 * earliest load, its place in it), as an embedded run over the loads'
 * files joined keeps a lead given again where it first came: every sum
 * over the leads then adds them in the same order on both paths. */
static char *leads_sql(const reader *R)
{
	char *k = order_key(R->r, SRC_LEADS);
	GString *q = g_string_new("SELECT lead_id");
	GString *cols = g_string_new(NULL);
	for (int n = 0; lead_cols[n].name; n++) {
		g_string_append_printf(q, ", %s(w.%d)", lead_cols[n].cast, n + 1);
		g_string_append_printf(cols, "%s%s", n ? ", " : "", lead_cols[n].name);
	}
	/* created_at is the first of lead_cols */
	g_string_append_printf(
	    q,
	    ", toUInt64(f.1), toUInt32(f.2) FROM (SELECT lead_id, argMax((%s), %s) AS w, "
	    "argMin(%s, %s) AS f FROM "
	    "leads%s WHERE attempt IN (%s) AND bucket >= %d AND bucket < %d GROUP BY lead_id "
	    "HAVING w.1 > " TS_NONE_SQL " AND w.1 < %lld)",
	    cols->str, k, k, k, R->local, R->r->attempts[SRC_LEADS]->str, R->lo, R->hi,
	    (long long)R->p->as_of);
	g_string_free(cols, TRUE);
	free(k);
	return g_string_free(q, FALSE);
}

/* Each lead's events in time order, ties in file order ((load, seq) is one
 * event's own), one RowBinary row per lead, the leads in no particular
 * order: each node sorts every lead's events apart (groupArray,
 * arraySort), which costs it half the CPU of one ORDER BY over all its
 * rows, as that sort moves every row's strings, and sends them as arrays
 * (an instant and a hash: 16 bytes an event, against about 60 as text
 * rows, and no text to write or parse). An event's (type, channel,
 * campaign) travels as its hash, which the census maps back, unless two
 * triples share one: then as text. */
static char *events_sql(const reader *R)
{
	char *exist = eread_existing(R->r, R->c->database, R->p->as_of, R->lo, R->hi);
	bool hashed = R->r->triple_slot != NULL;
	char *s = xasprintf(
	    "SELECT lead_id, arrayMap(e -> e.1, es), %s FROM (SELECT lead_id, "
	    "arraySort(groupArray((at, indexOf(%s, attempt), seq, %s))) AS es FROM events%s WHERE "
	    "attempt IN (%s) AND bucket >= %d AND bucket < %d AND at < %lld AND %s GROUP BY "
	    "lead_id)",
	    hashed ? "arrayMap(e -> e.4, es)"
		   : "arrayMap(e -> e.4, es), arrayMap(e -> e.5, es), arrayMap(e -> e.6, es)",
	    R->r->order[SRC_EVENTS]->str,
	    hashed ? "cityHash64(type, channel, campaign)" : "type, channel, campaign", R->local,
	    R->r->attempts[SRC_EVENTS]->str, R->lo, R->hi, (long long)R->p->as_of, exist);
	free(exist);
	return s;
}

/* Each opportunity whose winning row (the latest load, the last row in it)
 * names a lead of the chunk's buckets, with that row's columns and the
 * place of its first row: an id given again in a later load with another
 * lead, in another range of buckets or on another node, is one
 * opportunity, as in an embedded run over the files joined. The ids come
 * from the rows of the chunk's buckets (GLOBAL IN: the node asked gathers
 * them once; a node read directly, from its own rows, which hold the
 * winning row of each opportunity of its leads), their rows from every
 * node; the chunk keeps those of its own leads (on_opp). */
static char *opps_sql(const reader *R)
{
	char *k = xasprintf("(indexOf(%s, attempt), seq)", R->r->order[SRC_OPPORTUNITIES]->str);
	const char *att = R->r->attempts[SRC_OPPORTUNITIES]->str;
	char *s = xasprintf(
	    "SELECT opportunity_id, w.1, w.2, w.3, w.4, w.5, w.6, w.7, w.8, f.1, f.2 FROM (SELECT "
	    "opportunity_id, argMax((lead_id, created, closed, amount, amount_set, stage, is_won, "
	    "is_closed), %s) AS w, argMin(%s, %s) AS f FROM opportunities WHERE attempt IN (%s) "
	    "AND opportunity_id GLOBAL IN (SELECT opportunity_id FROM opportunities%s WHERE "
	    "attempt IN (%s) AND bucket >= %d AND bucket < %d) GROUP BY opportunity_id HAVING "
	    "cityHash64(w.1) %% %d >= %d AND cityHash64(w.1) %% %d < %d) ORDER BY f.1, f.2",
	    k, k, k, att, R->local, att, R->lo, R->hi, BUCKETS, R->lo, BUCKETS, R->hi);
	free(k);
	return s;
}

/* Stream the chunk's leads, their events and opportunities into R->ch. */
static int fetch_chunk(reader *R, mq_err *err)
{
	char *q = leads_sql(R);
	/* a lead's rows are all on one node: each node's groups are final */
	int rc = ch_query_rowbinary(R->c, q, "distributed_group_by_no_merge=1", on_leads, R, err);
	free(q);
	if (rc == 0 && R->ch->nleads) {
		q = events_sql(R);
		rc = ch_query_rowbinary(R->c, q, "distributed_group_by_no_merge=1", on_events, R,
					err);
		free(q);
	}
	if (rc == 0 && R->ch->nleads && R->r->attempts[SRC_OPPORTUNITIES]) {
		q = opps_sql(R);
		rc = ch_query(R->c, q, NULL, on_opp, R, err);
		free(q);
	}
	R->nleads_streamed += (long long)R->ch->nleads;
	return rc;
}

/* ---- what a chunk leaves behind ---- */

/* The chunk's names in the run's data set's pool, interned as the tables
 * first meet them (the chunk's lead ids never are). */
typedef struct chunk_names {
	const dataset *ch;
	dataset *ds;
	sym *to; /* per sym of the chunk: the run's data set's, or UINT32_MAX */
} chunk_names;

static sym chunk_name(void *ctx, sym s)
{
	chunk_names *n = ctx;
	if (n->to[s] == UINT32_MAX)
		n->to[s] = intern(n->ds, ds_str(n->ch, s));
	return n->to[s];
}

/* Replay and classify the chunk with metrics/'s code, add it to the
 * tables that read every lead (sums.h), the drill-down's rows in the
 * export's order by (load, seq). */
static void settle_chunk(reader *R)
{
	dataset *ch = R->ch;
	ch->has_opportunities = R->ds->has_opportunities;
	ch->leads_have_mql = R->ds->leads_have_mql;
	dataset_index(ch);
	view *v = view_new(ch, R->p);
	for (size_t i = 0; i < ch->nleads; i++) {
		int s = lifecycle_of(v, i);
		if (s >= 0)
			R->r->lifecycle[s]++;
	}
	health_facts_add(&R->r->health, v);
	mval *q = quality_table(v);
	static const char *const kinds[3] = {"created_to_mql", "mql_to_sql", "mql_to_won"};
	for (int k = 0; k < 3; k++)
		R->r->neg[k] +=
		    mv_int_of(mv_get(mv_get(q, "negative_durations_by_kind"), kinds[k]));
	mv_free(q);
	eng_counts_add(R->r->eng, v);
	ds_lead_values(ch, false, &R->r->industries);
	ds_lead_values(ch, true, &R->r->countries);
	for (size_t i = 0; i < ch->nleads; i++)
		cal_add_lead(R->r->cal, v, i);
	size_t nsyms = pool_count(ch->pool);
	chunk_names names = {
	    .ch = ch, .ds = R->ds, .to = xmalloc((nsyms ? nsyms : 1) * sizeof(sym))};
	memset(names.to, 0xff, (nsyms ? nsyms : 1) * sizeof(sym));
	lead_sums_add(R->r->sums, v, &(sym_xlat){.fn = chunk_name, .ctx = &names}, R->ch_lkey);
	free(names.to);
	view_free(v);
}

/* day, amount, channel, campaign: the spend of the 13 weeks */
static int on_spend(void *arg, char **f, size_t n, mq_err *err)
{
	dataset *ds = arg;
	if (n != 4) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: a spend row of %zu fields", n);
		return -1;
	}
	VEC_RESERVE(ds->spend, ds->spend_cap, ds->nspend + 1);
	ds->spend[ds->nspend++] = (spend_row){.day = num(f[0]),
					      .amount = strtod(f[1], NULL),
					      .channel = intern(ds, f[2]),
					      .campaign = intern(ds, f[3])};
	return 0;
}

static int read_spend(const engine_cfg *c, const metrics_params *p, dataset *ds,
		      const eread_result *r, mq_err *err)
{
	if (!r->attempts[SRC_SPEND])
		return 0;
	char *q =
	    xasprintf("SELECT day, amount, channel, campaign FROM spend WHERE attempt IN "
		      "(%s) AND day >= %lld AND day < %lld ORDER BY indexOf(%s, attempt), seq",
		      r->attempts[SRC_SPEND]->str, (long long)p->week_start[0], (long long)p->as_of,
		      r->order[SRC_SPEND]->str);
	int rc = ch_query(c, q, NULL, on_spend, ds, err);
	free(q);
	return rc;
}

/* The chunks' freed memory back to the system (the chunks' arrays were
 * freed between the sums' growth). */
static void trim_heap(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* The chunk's own state: free it, for the next one to take its place. */
static void chunk_drop(reader *R)
{
	free(R->tags);
	R->tags = NULL;
	dataset_free(R->ch);
	R->ch = NULL;
	g_hash_table_destroy(R->lead_of);
	g_hash_table_destroy(R->opp_of);
	free(R->ch_lkey);
}

/* One chunk's fetch, on a thread of its own while the chunk before it is
 * replayed: F shares R's settings and result (which it only reads) and has
 * its own chunk state and counts. When the nodes are read directly, a
 * range of buckets is one chunk per node, fetched at once. */
typedef struct fetch_job {
	reader F;
	int rc;
	mq_err err;
	GThread *th;
} fetch_job;

static gpointer fetch_run(gpointer data)
{
	fetch_job *j = data;
	j->rc = fetch_chunk(&j->F, &j->err);
	return NULL;
}

/* Where the chunks come from: the node of [engine] url through the
 * Distributed tables, or each node's own tables at once. */
typedef struct sources {
	engine_cfg *node; /* one per shard read directly (url replaced), or NULL */
	int n;		  /* shards read directly; 0: the Distributed tables */
} sources;

static fetch_job *fetch_start(const reader *R, const engine_cfg *c, const char *local, int k,
			      int chunks)
{
	fetch_job *j = xcalloc(1, sizeof *j);
	uint32_t *tags = xmalloc((R->r->ntriples ? R->r->ntriples : 1) * sizeof *tags);
	for (size_t i = 0; i < R->r->ntriples; i++)
		tags[i] = NO_TAG;
	j->F = (reader){.c = c,
			.p = R->p,
			.ds = R->ds,
			.r = R->r,
			.ch = dataset_new(),
			.lead_of = g_hash_table_new(NULL, NULL),
			.opp_of = g_hash_table_new(NULL, NULL),
			.lo = BUCKETS * k / chunks,
			.hi = BUCKETS * (k + 1) / chunks,
			.local = local,
			.tags = tags};
	j->th = g_thread_new("mql-chunk", fetch_run, j);
	return j;
}

/* The fetches of range k: one, or one per node read directly. */
static fetch_job **range_start(const reader *R, const sources *src, int k, int chunks)
{
	int n = src->n ? src->n : 1;
	fetch_job **jobs = xcalloc((size_t)n, sizeof *jobs);
	for (int i = 0; i < n; i++)
		jobs[i] = src->n ? fetch_start(R, &src->node[i], "_local", k, chunks)
				 : fetch_start(R, R->c, "", k, chunks);
	return jobs;
}

/* Wait for every fetch of a range; the first failure's rc and err. The
 * counts of what was streamed go to r. */
static int range_join(fetch_job **jobs, int n, eread_result *r, mq_err *err)
{
	int rc = 0;
	for (int i = 0; i < n; i++) {
		g_thread_join(jobs[i]->th);
		r->leads_streamed += jobs[i]->F.nleads_streamed;
		r->events_streamed += jobs[i]->F.nevents_streamed;
		if (jobs[i]->rc != 0 && rc == 0) {
			rc = jobs[i]->rc;
			*err = jobs[i]->err;
		}
	}
	return rc;
}

/* R takes over the chunk of a finished fetch. */
static void fetch_take(fetch_job *j, reader *R)
{
	R->ch = j->F.ch;
	R->lead_of = j->F.lead_of;
	R->opp_of = j->F.opp_of;
	R->ch_lkey = j->F.ch_lkey;
	R->tags = j->F.tags;
	free(j);
}

static void range_drop(fetch_job **jobs, int n)
{
	for (int i = 0; i < n; i++) {
		chunk_drop(&jobs[i]->F);
		free(jobs[i]);
	}
	free(jobs);
}

/* One shard's share as the node holds it: its own rows of leads, events
 * and opportunities, and a sum of hashes of its leads' rows that tells one
 * shard's rows from a replica's second copy of them. */
static const char shard_sql[] =
    "SELECT (SELECT count() FROM leads%s), (SELECT sum(cityHash64(lead_id, attempt, seq)) "
    "FROM leads%s), (SELECT count() FROM events%s), (SELECT count() FROM opportunities%s)";

typedef struct share {
	uint64_t v[4];
	int rows;
} share;

static int on_share(void *arg, char **f, size_t n, mq_err *err)
{
	share *s = arg;
	if (n != 4) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: a row of %zu fields, not 4", n);
		return -1;
	}
	for (int k = 0; k < 4; k++)
		s->v[k] = strtoull(f[k], NULL, 10);
	s->rows++;
	return 0;
}

static int share_of(const engine_cfg *c, const char *local, share *s, mq_err *err)
{
	char *q = xasprintf(shard_sql, local, local, local, local);
	*s = (share){0};
	int rc = ch_query(c, q, NULL, on_share, s, err);
	free(q);
	if (rc == 0 && s->rows != 1) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: %d rows, not 1", s->rows);
		rc = -1;
	}
	return rc;
}

/* With [engine] nodes, whether their own tables make the Distributed
 * tables: the shares of the nodes listed, a replica's (the same rows as a
 * node before it) taken once, must add up to the cluster's rows. Then the
 * chunks are read from one node of each share directly and at once, and
 * no node passes the others' rows on. Otherwise (a shard not listed, a
 * replica behind, a node that does not answer) the Distributed tables,
 * and r->shards_why says why. */
static void pick_sources(const engine_cfg *c, eread_result *r, sources *src)
{
	*src = (sources){0};
	if (!c->nodes || !c->nodes[0])
		return;
	mq_err err = {0};
	share all, sum = {0};
	if (share_of(c, "", &all, &err) != 0) {
		r->shards_why = xasprintf("%s", err.msg);
		return;
	}
	int n = (int)g_strv_length(c->nodes), picked = 0;
	share *seen = xcalloc((size_t)n, sizeof *seen);
	src->node = xcalloc((size_t)n, sizeof *src->node);
	for (int i = 0; i < n && !r->shards_why; i++) {
		/* the Distributed tables do without a node that does not
		 * answer when a replica has its rows */
		engine_cfg node = engine_probe(c, c->nodes[i]);
		share one;
		if (share_of(&node, "_local", &one, &err) != 0) {
			r->shards_why = xasprintf("%s: %s", c->nodes[i], err.msg);
			break;
		}
		bool replica = false;
		for (int k = 0; k < picked && !replica; k++)
			replica = memcmp(seen[k].v, one.v, sizeof one.v) == 0;
		if (replica)
			continue;
		seen[picked] = one;
		src->node[picked] = *c; /* read with the configured time and retries */
		src->node[picked++].url = c->nodes[i];
		for (int k = 0; k < 4; k++)
			sum.v[k] += one.v[k];
	}
	free(seen);
	bool same_counts = sum.v[0] == all.v[0] && sum.v[2] == all.v[2] && sum.v[3] == all.v[3];
	if (!r->shards_why && !same_counts)
		r->shards_why = xasprintf(
		    "the shares they hold do not make the cluster: their own tables hold %llu "
		    "leads, %llu events and %llu opportunities, the Distributed tables %llu, %llu "
		    "and %llu",
		    (unsigned long long)sum.v[0], (unsigned long long)sum.v[2],
		    (unsigned long long)sum.v[3], (unsigned long long)all.v[0],
		    (unsigned long long)all.v[2], (unsigned long long)all.v[3]);
	else if (!r->shards_why && sum.v[1] != all.v[1])
		r->shards_why = xstrdup("the shares they hold do not make the cluster: their own "
					"tables hold as many rows as the Distributed tables, but "
					"not the same leads");
	if (r->shards_why) {
		free(src->node);
		src->node = NULL;
		return;
	}
	src->n = r->shards = picked;
}

int eread_dataset(const engine_cfg *c, const metrics_params *p, dataset *ds, eread_result *r,
		  mq_err *err)
{
	memset(r, 0, sizeof *r);
	health_facts_init(&r->health);
	r->eng = eng_counts_new();
	r->cal = cal_new();
	r->sums = lead_sums_new(p);
	/* a node that does not answer would hold the first query through the
	 * Distributed tables for timeout_s (and its retries); one that lacks a
	 * table would fail it without being named */
	if (enodes_ready(c, enodes_tables, "nothing was read", true, err) != 0 ||
	    eread_loads(c, ds, r, err) != 0 || eread_census(c, p, r, err) != 0)
		return -1;
	/* the chunks' data sets know no file: the hints on unreadable amounts
	 * show the loads' first, as the embedded path shows its files' */
	for (int s = 0; s < SRC_COUNT; s++)
		memcpy(r->health.amount_unread[s], ds->src[s].amount_unread,
		       sizeof r->health.amount_unread[s]);
	sources src;
	pick_sources(c, r, &src);
	int parts = src.n ? src.n : 1;
	long long nleads = r->table_rows[ET_LEADS];
	long per = c->chunk_leads > 0 ? c->chunk_leads : 50000;
	int chunks = (int)MIN(BUCKETS, MAX(1, (nleads + per - 1) / per));
	reader R = {.c = c, .p = p, .ds = ds, .r = r};
	int rc = 0;
	fetch_job **next = range_start(&R, &src, 0, chunks);
	for (int k = 0; k < chunks && rc == 0; k++) {
		fetch_job **cur = next;
		next = NULL;
		rc = range_join(cur, parts, r, err);
		r->chunks++;
		if (rc != 0) {
			range_drop(cur, parts);
			break;
		}
		if (k + 1 < chunks)
			next = range_start(&R, &src, k + 1, chunks);
		if (c->progress)
			fprintf(stderr, "\rreading from ClickHouse: chunk %d of %d, %lld leads",
				k + 1, chunks, r->leads_streamed);
		for (int i = 0; i < parts; i++) {
			fetch_take(cur[i], &R);
			settle_chunk(&R);
			chunk_drop(&R);
		}
		free(cur);
	}
	free(src.node);
	if (c->progress)
		fprintf(stderr, "\n");
	trim_heap();
	if (rc == 0)
		rc = read_spend(c, p, ds, r, err);
	if (rc == 0) /* the chunks hold no spend: the health checks' days of it */
		health_facts_add_spend(&r->health, ds, p);
	if (rc == 0)
		rc = erejects_read(c, r, ds, err);
	if (rc == 0)
		dataset_index(ds);
	if (rc == 0)
		rc = eread_quality(c, p, r, err);
	return rc;
}

void eread_release(eread_result *r, dataset **ds)
{
	dataset *kept = *ds, *d = dataset_new(); /* kept: what the metrics read */
	memcpy(d->src, kept->src, sizeof d->src);
	memset(kept->src, 0, sizeof kept->src);
	d->rejects = kept->rejects;
	d->nrejects = kept->nrejects;
	d->rejects_cap = kept->rejects_cap;
	kept->rejects = NULL;
	kept->nrejects = kept->rejects_cap = 0;
	d->duplicate_leads = kept->duplicate_leads;
	d->duplicate_opps = kept->duplicate_opps;
	d->has_opportunities = kept->has_opportunities;
	d->leads_have_mql = kept->leads_have_mql;
	dataset_free(kept);
	*ds = d;
	lead_sums_free(r->sums);
	r->sums = NULL;
	cal_free(r->cal);
	r->cal = NULL;
	eng_counts_free(r->eng);
	r->eng = NULL;
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

void eread_result_clear(eread_result *r)
{
	kvcounts_clear(&r->unknown_by);
	for (size_t i = 0; i < r->ntriples; i++) {
		free(r->triples[i].type);
		free(r->triples[i].channel);
		free(r->triples[i].campaign);
	}
	free(r->triples);
	free(r->shards_why);
	free(r->triple_slot);
	eng_counts_free(r->eng);
	cal_free(r->cal);
	lead_sums_free(r->sums);
	for (size_t i = 0; i < r->nseen; i++) {
		free(r->seen[i].location);
		kvcounts_clear(&r->seen[i].warnings_by_field);
	}
	free(r->seen);
	kvcounts_clear(&r->industries);
	kvcounts_clear(&r->countries);
	for (int s = 0; s < SRC_COUNT; s++) {
		if (r->attempts[s])
			g_string_free(r->attempts[s], TRUE);
		if (r->order[s])
			g_string_free(r->order[s], TRUE);
	}
	memset(r, 0, sizeof *r);
}
