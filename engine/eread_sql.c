/* eread_sql.c — the data-quality counts that need every row (timestamps at
 * or after as_of and the newest before it, orphans, unknown event types,
 * spend rows that repeat an earlier one),
 * computed by ClickHouse where the rows are, and their place in the
 * report tree beside the lifecycle that the chunks counted; the census of
 * the events' (type, channel, campaign) that the chunks' events name by
 * hash comes with the orphans' pass.
 *
 * It must not redefine a count: each query says in SQL what quality.c says
 * in C, row for row, and nothing else. */
#include "eread.h"

#include <stdlib.h>
#include <string.h>

#include "ch.h"
#include "quality.h"

#define TS_NONE_SQL "-9223372036854775808"

char *eread_existing(const eread_result *r, const char *db, ts_ms as_of, int lo, int hi);

/* count of stamps at or after as_of, count and max of those before it */
typedef struct stamps {
	long long after, before;
	ts_ms newest;
} stamps;

static int on_stamps(void *arg, char **f, size_t n, mq_err *err)
{
	stamps *s = arg;
	if (n != 3) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: unexpected answer of %zu fields", n);
		return -1;
	}
	s->after += strtoll(f[0], NULL, 10);
	long long before = strtoll(f[1], NULL, 10);
	ts_ms t = strtoll(f[2], NULL, 10);
	if (before && (s->before == 0 || t > s->newest))
		s->newest = t;
	s->before += before;
	return 0;
}

/* Over an array column `ts` of stamps: the three numbers above. */
static char *stamps_of(const char *from, ts_ms as_of)
{
	return xasprintf("SELECT sum(arrayCount(t -> t != " TS_NONE_SQL " AND t >= %lld, ts)), "
			 "sum(arrayCount(t -> t != " TS_NONE_SQL " AND t < %lld, ts)), "
			 "max(arrayReduce('max', arrayMap(t -> if(t < %lld, t, " TS_NONE_SQL
			 "), ts))) FROM (%s)",
			 (long long)as_of, (long long)as_of, (long long)as_of, from);
}

/* Over a column `c` of one stamp per row: the three numbers above, without
 * an array per row (the events' stamps cost the nodes a third as much). */
static char *flat_stamps(const char *col, const char *table, const char *attempts, ts_ms as_of)
{
	long long T = (long long)as_of;
	return xasprintf("SELECT countIf(%s != " TS_NONE_SQL
			 " AND %s >= %lld), countIf(%s != " TS_NONE_SQL
			 " AND %s < %lld), maxIf(%s, %s != " TS_NONE_SQL
			 " AND %s < %lld) FROM %s WHERE attempt IN (%s)",
			 col, col, T, col, col, T, col, col, col, T, table, attempts);
}

static int source_stamps(const engine_cfg *c, const eread_result *r, int s, ts_ms as_of,
			 stamps *out, mq_err *err)
{
	static const char *const inner[SRC_COUNT] = {
	    [SRC_LEADS] = "SELECT argMax([created_at, mql_at, accepted_at, rejected_at, sql_at, "
			  "first_contact_at, opportunity_at, won_at, lost_at], %s) AS ts FROM "
			  "leads WHERE attempt IN (%s) GROUP BY lead_id",
	    [SRC_OPPORTUNITIES] = "SELECT argMax([created, closed], %s) AS ts FROM opportunities "
				  "WHERE attempt IN (%s) GROUP BY opportunity_id",
	};
	*out = (stamps){0, 0, TS_NONE};
	if (!r->attempts[s])
		return 0;
	char *q;
	if (s == SRC_EVENTS || s == SRC_SPEND) {
		q = flat_stamps(s == SRC_EVENTS ? "at" : "day", source_name[s], r->attempts[s]->str,
				as_of);
	} else {
		char *k = xasprintf("(indexOf(%s, attempt), seq)", r->order[s]->str);
		char *from = xasprintf(inner[s], k, r->attempts[s]->str);
		q = stamps_of(from, as_of);
		free(k);
		free(from);
	}
	/* leads: one lead's rows are on one node; the others are merged */
	int rc = ch_query(c, q, s == SRC_LEADS ? "distributed_group_by_no_merge=1" : NULL,
			  on_stamps, out, err);
	free(q);
	return rc;
}

/* type, channel, campaign, their hash, events of no existing lead, events
 * of an existing lead whose type is unknown */
static int on_census(void *arg, char **f, size_t n, mq_err *err)
{
	eread_result *r = arg;
	if (n != 6) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: unexpected answer of %zu fields", n);
		return -1;
	}
	r->orphaned_events += strtoll(f[4], NULL, 10);
	long long k = strtoll(f[5], NULL, 10);
	if (k > 0)
		kvcounts_add(&r->unknown_by, f[0], k);
	r->unknown += k;
	VEC_RESERVE(r->triples, r->triples_cap, r->ntriples + 1);
	r->triples[r->ntriples++] = (ev_triple){.h = strtoull(f[3], NULL, 10),
						.type = xstrdup(f[0]),
						.channel = xstrdup(f[1]),
						.campaign = xstrdup(f[2])};
	return 0;
}

/* The triples by hash; none when two of them share one, or when
 * MQLREPORT_CH_TEXT_TRIPLES asks for the events' triples as text (to check
 * that path without a collision of 64-bit hashes). */
static void index_triples(eread_result *r)
{
	const char *text = getenv("MQLREPORT_CH_TEXT_TRIPLES");
	if (text && *text && strcmp(text, "0") != 0)
		return;
	uint32_t slots = 16;
	while (slots < 2 * r->ntriples)
		slots *= 2;
	r->triple_mask = slots - 1;
	r->triple_slot = xcalloc(slots, sizeof *r->triple_slot);
	for (size_t i = 0; i < r->ntriples; i++) {
		uint64_t h = r->triples[i].h;
		uint32_t k = (uint32_t)h & r->triple_mask;
		for (; r->triple_slot[k]; k = (k + 1) & r->triple_mask)
			if (r->triples[r->triple_slot[k] - 1].h == h) {
				free(r->triple_slot);
				r->triple_slot = NULL;
				return;
			}
		r->triple_slot[k] = (uint32_t)(i + 1);
	}
}

int eread_census(const engine_cfg *c, const metrics_params *p, eread_result *r, mq_err *err)
{
	char *exist = eread_existing(r, c->database, p->as_of, 0, 1024);
	GString *known = g_string_new(NULL);
	for (int k = 1; k < EV_COUNT; k++) {
		if (k > 1)
			g_string_append_c(known, ',');
		ch_sql_quote(known, ev_kind_name[k]);
	}
	char *q = xasprintf(
	    "SELECT type, channel, campaign, cityHash64(type, channel, campaign), countIf(NOT ex), "
	    "countIf(ex AND type NOT IN (%s)) FROM (SELECT type, channel, campaign, %s AS ex FROM "
	    "events WHERE attempt IN (%s) AND at < %lld) GROUP BY type, channel, campaign ORDER "
	    "BY type, channel, campaign",
	    known->str, exist, r->attempts[SRC_EVENTS]->str, (long long)p->as_of);
	r->orphaned_events = 0;
	int rc = ch_query(c, q, NULL, on_census, r, err);
	if (rc == 0)
		index_triples(r);
	free(q);
	free(exist);
	g_string_free(known, TRUE);
	return rc;
}

/* The orphaned opportunities, and of those the ones that name no lead of
 * their own (stored without a lead_id: joined through the leads' converted
 * opportunity id, none named them), as health_facts_add() counts them. */
static int on_orphans(void *arg, char **f, size_t n, mq_err *err)
{
	eread_result *r = arg;
	if (n != 2) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: unexpected answer of %zu fields", n);
		return -1;
	}
	r->orphaned_opps = strtoll(f[0], NULL, 10);
	r->health.opps_unnamed = strtoll(f[1], NULL, 10);
	return 0;
}

/* Opportunities created before as_of whose lead does not exist then. */
static int orphaned_opps(const engine_cfg *c, const metrics_params *p, eread_result *r, mq_err *err)
{
	if (!r->attempts[SRC_OPPORTUNITIES])
		return 0;
	char *kl = xasprintf("(indexOf(%s, attempt), seq)", r->order[SRC_LEADS]->str);
	char *ko = xasprintf("(indexOf(%s, attempt), seq)", r->order[SRC_OPPORTUNITIES]->str);
	long long T = (long long)p->as_of;
	char *q = xasprintf(
	    "SELECT count(), countIf(lid = '') FROM (SELECT argMax(lead_id, %s) AS lid, "
	    "argMax(created, %s) AS c "
	    "FROM opportunities WHERE attempt IN (%s) GROUP BY opportunity_id) WHERE c "
	    "!= " TS_NONE_SQL
	    " AND c < %lld AND (lid = '' OR lid NOT IN (SELECT lead_id FROM leads WHERE attempt "
	    "IN (%s) GROUP BY lead_id HAVING argMax(created_at, %s) > " TS_NONE_SQL
	    " AND argMax(created_at, %s) < %lld))",
	    ko, ko, r->attempts[SRC_OPPORTUNITIES]->str, T, r->attempts[SRC_LEADS]->str, kl, kl, T);
	r->orphaned_opps = 0;
	r->health.opps_unnamed = 0;
	int rc = ch_query(c, q, NULL, on_orphans, r, err);
	free(q);
	free(kl);
	free(ko);
	return rc;
}

/* The spend rows that repeat an earlier one, as quality.c counts them over
 * every spend row of the data set: the rows of the loads read (whatever
 * their day, not only the 13 weeks' that the run fetches), grouped by day,
 * channel, campaign and amount, each group's rows but its first. Amounts
 * compare as numbers there, so -0 is 0 here (ClickHouse groups a Float64
 * by its bits); ingest's amounts are never NaN. Names compare as the same
 * text, as the data set's interned names do. */
static int repeated_spend(const engine_cfg *c, eread_result *r, mq_err *err)
{
	long long n = 0;
	r->repeated_spend = 0;
	if (!r->attempts[SRC_SPEND])
		return 0;
	char *q = xasprintf("SELECT sum(n - 1) FROM (SELECT count() AS n FROM spend WHERE attempt "
			    "IN (%s) GROUP BY day, channel, campaign, if(amount = 0, "
			    "toFloat64(0), amount))",
			    r->attempts[SRC_SPEND]->str);
	int rc = ch_scalar(c, q, &n, err);
	free(q);
	r->repeated_spend = n;
	return rc;
}

/* The facts first_spend() adds to, and the end of the report week. */
typedef struct first_spend_ctx {
	health_facts *f;
	ts_ms as_of;
} first_spend_ctx;

/* The answer of first_spend()'s query: how many rows, the earliest day. */
static int on_first_spend(void *arg, char **f, size_t n, mq_err *err)
{
	first_spend_ctx *x = arg;
	if (n != 2) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: unexpected answer of %zu fields", n);
		return -1;
	}
	if (strtoll(f[0], NULL, 10) > 0)
		health_facts_begin(x->f, x->as_of, (ts_ms)strtoll(f[1], NULL, 10));
	return 0;
}

/* The earliest day of spend with an amount before the 13 weeks, of the
 * loads read: where the data begin when that is before the 13 weeks'
 * spend the run reads (health.h, data_begin), as an embedded run finds it
 * over every spend row. */
static int first_spend(const engine_cfg *c, const metrics_params *p, eread_result *r, mq_err *err)
{
	if (!r->attempts[SRC_SPEND])
		return 0;
	char *q = xasprintf("SELECT count(), min(day) FROM spend WHERE attempt IN (%s) AND day < "
			    "%lld AND amount != 0",
			    r->attempts[SRC_SPEND]->str, (long long)p->week_start[0]);
	first_spend_ctx x = {.f = &r->health, .as_of = p->as_of};
	int rc = ch_query(c, q, NULL, on_first_spend, &x, err);
	free(q);
	return rc;
}

int eread_quality(const engine_cfg *c, const metrics_params *p, eread_result *r, mq_err *err)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		stamps st;
		if (source_stamps(c, r, s, p->as_of, &st, err) != 0)
			return -1;
		r->after_as_of[s] = st.after;
		r->newest[s] = st.newest;
		if (s == SRC_EVENTS) /* the chunks saw only the events of existing leads */
			r->health.events_before = st.before;
	}
	if (orphaned_opps(c, p, r, err) != 0 || repeated_spend(c, r, err) != 0 ||
	    first_spend(c, p, r, err) != 0)
		return -1;
	return 0;
}

static void patch_sources(const eread_result *r, const metrics_params *p, mval *dq)
{
	mval *rows = mv_get(dq, "sources");
	mval *stale_list = mv_arr();
	for (size_t i = 0; i < mv_len(rows); i++) {
		mval *o = mv_at(rows, i);
		const char *name = mv_str_of(mv_get(o, "source"));
		int s = 0;
		while (s < SRC_COUNT && strcmp(source_name[s], name) != 0)
			s++;
		if (s == SRC_COUNT)
			continue;
		bool stale = r->newest[s] == TS_NONE || r->newest[s] < p->as_of - QUALITY_STALE_MS;
		mv_set(o, "timestamps_after_as_of", mv_int(r->after_as_of[s], MF_COUNT));
		mv_set(o, "newest_timestamp", mv_time(r->newest[s]));
		mv_set(o, "stale", mv_bool(stale));
		if (stale)
			mv_push(stale_list, mv_str(name));
	}
	mv_set(dq, "stale_sources", stale_list);
}

void eread_patch(const eread_result *r, const metrics_params *p, mval *root)
{
	mval *lc = mv_obj();
	for (int s = 0; s < LC_COUNT; s++)
		mv_set(lc, lc_stage_name[s], mv_int(r->lifecycle[s], MF_COUNT));
	mv_set(root, "lifecycle", lc);
	mv_set(root, "engagement", eng_counts_table(r->eng));
	mval *dq = mv_get(root, "data_quality");
	if (!dq)
		return;
	patch_sources(r, p, dq);
	mv_set(dq, "orphaned_events", mv_int(r->orphaned_events, MF_COUNT));
	mv_set(dq, "orphaned_opportunities", mv_int(r->orphaned_opps, MF_COUNT));
	mv_set(dq, "unknown_event_types", mv_int(r->unknown, MF_COUNT));
	mval *by = mv_obj();
	for (size_t i = 0; i < r->unknown_by.len; i++)
		mv_set(by, r->unknown_by.items[i].key, mv_int(r->unknown_by.items[i].n, MF_COUNT));
	mv_set(dq, "unknown_event_types_by_type", by);
	mv_set(dq, "negative_durations", mv_int(r->neg[0] + r->neg[1] + r->neg[2], MF_COUNT));
	mval *neg = mv_obj();
	mv_set(neg, "created_to_mql", mv_int(r->neg[0], MF_COUNT));
	mv_set(neg, "mql_to_sql", mv_int(r->neg[1], MF_COUNT));
	mv_set(neg, "mql_to_won", mv_int(r->neg[2], MF_COUNT));
	mv_set(dq, "negative_durations_by_kind", neg);
	/* the run's data set holds the 13 weeks' spend only */
	mv_set(dq, "repeated_spend_rows", mv_int(r->repeated_spend, MF_COUNT));
	/* the checks read the counts just patched */
	mv_set(dq, "health", health_table(&r->health, root, p));
}
