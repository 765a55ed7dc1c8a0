/* load_part.c — the parts of a large leads or events file after the
 * first: the second read on a thread of its own, and a third that the
 * first part's reader takes over from the second's end when it finishes
 * first; each into its own rows, merged after the parts before it only
 * when the cuts proved to be record boundaries (docs/ingest.md, Speed).
 * It must not touch the data set's rows while a part's thread runs: a
 * part writes only its own `out`, and interns through the pool's lock. */
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "textenc.h"

uint32_t idstore_add(idstore *x, const char *s, size_t len)
{
	VEC_RESERVE(x->buf, x->cap, x->len + len);
	memcpy(x->buf + x->len, s, len);
	VEC_RESERVE(x->ref, x->rcap, x->n + 1);
	x->ref[x->n] = (struct idref){.off = x->len, .len = len};
	x->len += len;
	return (uint32_t)x->n++;
}

int64_t part_find_split(int fd, int64_t guess, int64_t total)
{
	char b[1 << 16];
	ssize_t n = loader_pread(fd, b, sizeof b, guess);
	for (ssize_t i = 0; i < n; i++)
		if (b[i] == '\n')
			return guess + i + 1 < total ? guess + i + 1 : 0;
	return 0;
}

/* The part's next chunk, [off, off + returned): what is left of it when
 * part_take_tail() moves its end (or a failed part_read() does),
 * READ_CHUNK at most; 0 at its end. */
static size_t claim_chunk(part *w, int64_t off)
{
	g_mutex_lock(&w->claim);
	int64_t left = w->to - off;
	size_t want = left <= 0 ? 0 : left < READ_CHUNK ? (size_t)left : READ_CHUNK;
	w->claimed = off + (int64_t)want;
	g_mutex_unlock(&w->claim);
	return want;
}

/* Read the part [from, to) into its rows; rc 0 when every byte was read
 * and parsed and the part ended on a record boundary. */
static void part_read(part *w)
{
	unsigned char *buf = xmalloc(READ_CHUNK);
	unsigned char *conv = w->enc == ENC_CP1252 ? xmalloc(3 * (size_t)READ_CHUNK) : NULL;
	w->rc = -1;
	for (int64_t off = w->from;;) {
		/* a stop asked for: the first part's reader says so at its next
		 * chunk (this thread sets no error) */
		if (w->L.cfg->stop && w->L.cfg->stop())
			goto done;
		size_t want = claim_chunk(w, off);
		if (!want)
			break;
		ssize_t got = loader_pread(w->fd, buf, want, off);
		if (got <= 0)
			goto done;
		if (loader_feed(&w->L, w->enc, buf, (size_t)got, conv) != 0)
			goto done;
		off += got;
	}
	if (csvr_finish(w->L.r) == 0) {
		loader_rows_flush(&w->L);
		w->rc = 0;
	}
done:
	if (w->rc != 0) {
		/* the file is read again from the cut: no tail worth taking */
		g_mutex_lock(&w->claim);
		w->to = w->claimed;
		g_mutex_unlock(&w->claim);
	}
	free(buf);
	free(conv);
}

static gpointer part_run(gpointer data)
{
	part *w = data;
	g_mutex_lock(&w->claim);
	while (w->hold)
		g_cond_wait(&w->go, &w->claim);
	g_mutex_unlock(&w->claim);
	part_read(w);
	return NULL;
}

void part_release(part *w)
{
	g_mutex_lock(&w->claim);
	w->hold = false;
	g_cond_signal(&w->go);
	g_mutex_unlock(&w->claim);
}

/* A part's reader: a copy of L's header binding, zones and aliases (shared
 * read-only), with rows, memos and a CSV reader of its own. */
static void part_init(part *w, loader *L, int fd, int enc, int64_t from, int64_t to, GMutex *lock)
{
	*w = (part){.fd = fd, .enc = enc, .from = from, .to = to, .claimed = from};
	g_mutex_init(&w->claim);
	g_cond_init(&w->go);
	w->L = *L;
	w->L.out = &w->out;
	w->out.keep_orphan_ids = L->ds->keep_orphan_ids;
	w->L.stop = &w->stop;
	w->L.in.scratch = NULL;
	w->L.in.scratch_cap = 0;
	w->L.rf = NULL;
	w->L.rl = NULL;
	w->L.rcap = 0;
	memset(w->L.warn, 0, sizeof w->L.warn);
	w->L.m_type = w->L.m_chan = w->L.m_camp = (memo){0};
	w->L.m_title = w->L.m_ind = w->L.m_country = (memo){0};
	w->L.m_tag = (tagmemo){0};
	w->L.m_span = (memo){0};
	w->L.m_line = (linememo){0};
	w->L.q.head = w->L.q.n = 0; /* the first part's waiting events stay its own */
	w->L.ids = L->src == SRC_LEADS ? xcalloc(1, sizeof *w->L.ids) : NULL;
	w->L.r = csvr_new(L->name, L->cfg->max_field_bytes, loader_on_record, &w->L);
	csvr_start_at(w->L.r, 1);
	csvr_set_delim(w->L.r, csvr_delim(L->r));
	csvr_want_end(w->L.r);
	if (L->have_header)
		csvr_expect(w->L.r, L->m.nheader);
	w->L.dx = (struct dialect_state){0};
	w->L.in.lock = lock;
}

void part_start(part *w, loader *L, int fd, int enc, int64_t from, int64_t to, GMutex *lock)
{
	part_init(w, L, fd, enc, from, to, lock);
	w->hold = L->cfg->part_waits;
	L->in.lock = lock;
	w->th = g_thread_new("mql-read", part_run, w);
}

bool part_take_tail(part *w, loader *L, part *tail, GMutex *lock)
{
	int64_t from = 0, to = 0;
	g_mutex_lock(&w->claim);
	int64_t left = w->to - w->claimed;
	if (left >= part_min_bytes(L->cfg) / 4) {
		/* under the lock, so the thread cannot pass the cut meanwhile */
		int64_t cut = part_find_split(w->fd, w->claimed + left / 2, w->to);
		if (cut > w->claimed) {
			from = cut;
			to = w->to;
			w->to = cut;
		}
	}
	g_mutex_unlock(&w->claim);
	if (!from)
		return false;
	part_init(tail, L, w->fd, w->enc, from, to, lock);
	part_read(tail);
	return true;
}

uint32_t part_next_line(const part *w, uint32_t line)
{
	return line + csvr_line(w->L.r) - 1;
}

void part_free(part *w)
{
	g_mutex_clear(&w->claim);
	g_cond_clear(&w->go);
	csvr_free(w->L.r);
	loader_rows_free(&w->L);
	if (w->L.ids) {
		free(w->L.ids->buf);
		free(w->L.ids->ref);
		free(w->L.ids);
	}
	free(w->out.leads);
	free(w->out.ltx);
	free(w->out.orphan_ids);
	dataset_drop_arrived(&w->out);
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

/* How many of the second part's ids ahead of the one interned have their
 * pool slot prefetched. */
#define MERGE_AHEAD 16

/* The second part's lead j, its id (of hash h) interned, after the leads
 * before it. */
static void merge_lead(part *w, loader *L, size_t j, uint32_t h, uint32_t line)
{
	dataset *ds = L->ds;
	lead l = w->out.leads[j];
	const struct idref *ref = &w->L.ids->ref[l.id];
	l.id = pool_intern_hashed(ds->pool, w->L.ids->buf + ref->off, ref->len, h);
	l.line += line - 1;
	lead_rehome(ds, &l, &w->out);
	loader_add_lead(ds, L->lead_of, &l);
}

void part_merge(part *w, loader *L, uint32_t line)
{
	dataset *ds = L->ds;
	source_stats *st = &ds->src[L->src], *ws = &w->out.src[L->src];
	dataset_take_events(ds, &w->out); /* linked, not copied */
	/* each id hashed and its slot prefetched MERGE_AHEAD leads before
	 * it is interned */
	uint32_t ahead[MERGE_AHEAD];
	size_t n = w->out.nleads;
	for (size_t k = 0; k < n + MERGE_AHEAD; k++) {
		if (k >= MERGE_AHEAD)
			merge_lead(w, L, k - MERGE_AHEAD, ahead[(k - MERGE_AHEAD) % MERGE_AHEAD],
				   line);
		if (k < n) {
			const struct idref *r = &w->L.ids->ref[w->out.leads[k].id];
			ahead[k % MERGE_AHEAD] = pool_hash(w->L.ids->buf + r->off, r->len);
			pool_prefetch(ds->pool, ahead[k % MERGE_AHEAD]);
		}
	}
	VEC_RESERVE(ds->rejects, ds->rejects_cap, ds->nrejects + w->out.nrejects);
	for (size_t i = 0; i < w->out.nrejects; i++) {
		ds->rejects[ds->nrejects] = w->out.rejects[i];
		ds->rejects[ds->nrejects++].line += line - 1;
	}
	w->out.nrejects = 0; /* moved */
	st->rows_read += ws->rows_read;
	if (!st->sci_orphans) /* an earlier part's is the file's first */
		memcpy(st->sci_orphan, ws->sci_orphan, sizeof st->sci_orphan);
	st->sci_orphans += ws->sci_orphans;
	st->rows_accepted += ws->rows_accepted;
	st->rows_rejected += ws->rows_rejected;
	kvcounts_add_all(&st->rejected_by_reason, &ws->rejected_by_reason);
	for (int c = 0; c < CC_COUNT; c++) {
		/* a later part's lines follow this one's */
		if (w->L.warn[c] && !L->warn[c])
			L->warn_line[c] = w->L.warn_line[c] + line - 1;
		L->warn[c] += w->L.warn[c];
	}
	dialect_merge(L, &w->L, line);
}
