/* eloads.c — the loads a run reads: every recorded load of each source,
 * oldest first, their attempts and order for the chunks' SQL, and the
 * sources' statistics as the loads counted them (rows, rejects, warnings,
 * duplicates, a report's lines before and after its data), as an embedded
 * run over the same files would have them.
 *
 * It must not read the loaded rows themselves: eread.c streams them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ch.h"
#include "digest.h"
#include "eread.h"
#include "eschema.h"

static int source_of(const char *name)
{
	for (int s = 0; s < SRC_COUNT; s++)
		if (strcmp(name, source_name[s]) == 0)
			return s;
	return -1;
}

static void add_counts(kvcounts *k, const char *text)
{
	char **parts = g_strsplit(text, ";", -1);
	for (char **p = parts; *p; p++) {
		char *eq = strrchr(*p, '=');
		if (!eq)
			continue;
		*eq = 0;
		kvcounts_add(k, *p, strtoll(eq + 1, NULL, 10));
	}
	g_strfreev(parts);
}

typedef struct loads_ctx {
	const engine_cfg *c;
	dataset *ds;
	eread_result *r;
	GPtrArray *ids[SRC_COUNT];   /* the load ids, for a digest of several */
	GString *read_as[SRC_COUNT]; /* " digest digest ": the settings of its loads */
	bool undigested[SRC_COUNT];  /* a load of it recorded before its settings were */
	long long unzoned;	     /* loads recorded before their zone was */
} loads_ctx;

/* A load's times without an offset were read in its zone: in another, the
 * run's weeks would cut them where they do not end. */
static int zone_fits(loads_ctx *x, int s, const char *location, const char *zone, mq_err *err)
{
	const char *want = x->c->zone[s] ? x->c->zone[s] : "UTC";
	if (!*zone) {
		x->unzoned++;
		return 0;
	}
	if (strcmp(zone, want) == 0)
		return 0;
	mq_err_set(err, MQ_CONFIG,
		   "ClickHouse database \"%s\": %s %s was loaded with its times read in %s, "
		   "this run reads them in %s: times without an offset would be off by the "
		   "zones' difference; run in %s ([report] or [source.%s] timezone), or load the "
		   "files into another database for %s (docs/scale.md)",
		   x->c->database, source_name[s], location, zone, want, zone, source_name[s],
		   want);
	return -1;
}

/* A load read with other settings than this run's holds rows this run
 * would have read otherwise (another currency's spend, other aliases):
 * refused. '' is a load recorded before its settings were. */
static int settings_fit(const loads_ctx *x, int s, const char *location, const char *settings,
			mq_err *err)
{
	const char *want = x->c->settings[s];
	if (!*settings || !want)
		return 0;
	char **list = g_strsplit(want, " ", -1);
	bool found = g_strv_contains((const char *const *)list, settings);
	g_strfreev(list);
	if (found)
		return 0;
	mq_err_set(err, MQ_CONFIG,
		   "ClickHouse database \"%s\": the %s file %s was loaded with other reading "
		   "settings than this run's (columns, aliases, dialect, currency or a spend "
		   "file's fixed channel), so its rows are not what this run would read: run with "
		   "the settings it was loaded with, or load the files again into an empty "
		   "database (docs/scale.md)",
		   x->c->database, source_name[s], location);
	return -1;
}

/* source, load_id, attempt, location, preset, bytes, read, accepted,
 * rejected, by reason, warnings, duplicates, leads_have_mql, rows,
 * preamble lines, footer lines, time zone, settings, amounts with another
 * currency's sign, amounts perhaps thousands read as thousandths, the
 * first amount left empty as unreadable */
static int on_load(void *arg, char **f, size_t n, mq_err *err)
{
	loads_ctx *x = arg;
	int s = n == 21 ? source_of(f[0]) : -1;
	if (s < 0) {
		mq_err_set(err, MQ_UNAVAILABLE, "ClickHouse: unexpected row in loads");
		return -1;
	}
	if (zone_fits(x, s, f[3], f[16], err) != 0 || settings_fit(x, s, f[3], f[17], err) != 0)
		return -1;
	source_stats *st = &x->ds->src[s];
	eread_result *r = x->r;
	if (!r->attempts[s]) {
		r->attempts[s] = g_string_new(NULL);
		r->order[s] = g_string_new("[");
		x->ids[s] = g_ptr_array_new_with_free_func(g_free);
		st->location = xstrdup(f[3]);
		st->preset = xstrdup(f[4]);
		snprintf(st->sha256, sizeof st->sha256, "%s", f[1]);
	}
	GString *q = g_string_new(NULL);
	ch_sql_quote(q, f[2]);
	bool more = x->ids[s]->len > 0;
	g_string_append_printf(r->attempts[s], "%s%s", more ? "," : "", q->str);
	g_string_append_printf(r->order[s], "%s%s", more ? "," : "", q->str);
	g_string_free(q, TRUE);
	g_ptr_array_add(x->ids[s], g_strdup(f[1]));
	if (!x->read_as[s])
		x->read_as[s] = g_string_new(" ");
	g_string_append_printf(x->read_as[s], "%s ", f[17]);
	x->undigested[s] |= !*f[17];
	st->present = true;
	st->bytes += strtoll(f[5], NULL, 10);
	st->rows_read += strtoll(f[6], NULL, 10);
	st->rows_accepted += strtoll(f[7], NULL, 10);
	st->rows_rejected += strtoll(f[8], NULL, 10);
	add_counts(&st->rejected_by_reason, f[9]);
	add_counts(&st->warnings_by_field, f[10]);
	st->preamble_lines += strtoll(f[14], NULL, 10);
	st->footer_lines += strtoll(f[15], NULL, 10);
	st->sign_other += strtoll(f[18], NULL, 10);
	/* a load's count is file_thousandths() of its file already; again in
	 * the run's currency for a load before it knew a currency's minor
	 * units (KWD's "1.500" is no thousands) */
	int64_t thousandths = file_thousandths(strtoll(f[19], NULL, 10), 0, x->c->currency);
	st->thousandths += thousandths;
	r->seen = xrealloc(r->seen, (r->nseen + 1) * sizeof *r->seen);
	eload_seen *seen = &r->seen[r->nseen++];
	*seen = (eload_seen){.source = s,
			     .location = xstrdup(f[3]),
			     .sign_other = strtoll(f[18], NULL, 10),
			     .thousandths = thousandths};
	add_counts(&seen->warnings_by_field, f[10]);
	g_strlcpy(seen->amount_unread, f[20], sizeof seen->amount_unread);
	/* the first of the loads, oldest first, as an embedded run over their
	 * files joined meets it first */
	if (!st->amount_unread[0])
		g_strlcpy(st->amount_unread, f[20], sizeof st->amount_unread);
	if (s == SRC_LEADS)
		x->ds->duplicate_leads += strtoll(f[11], NULL, 10);
	if (s == SRC_OPPORTUNITIES)
		x->ds->duplicate_opps += strtoll(f[11], NULL, 10);
	x->ds->leads_have_mql |= s == SRC_LEADS && strcmp(f[12], "1") == 0;
	r->table_rows[s + 1] += strtoll(f[13], NULL, 10);
	r->table_rows[ET_LOADS]++;
	return 0;
}

/* Each file that the run's configuration names has a load read with its
 * settings: a run without one would report as if the file were not
 * configured (an opportunities file never loaded: revenue from the leads'
 * won_at and amount). Two files read with the same settings are told
 * apart by their bytes alone, which a run does not read: one load of
 * either counts for both. Sources with a load recorded before loads kept
 * their settings are taken as they are. */
static int configured_loaded(const loads_ctx *x, mq_err *err)
{
	const engine_cfg *c = x->c;
	GString *missing = g_string_new(NULL);
	int nmissing = 0;
	bool opps = false;
	for (int s = 0; s < SRC_COUNT; s++) {
		if (!c->settings[s] || !c->files[s] || x->undigested[s])
			continue;
		char **want = g_strsplit(c->settings[s], " ", -1);
		for (int i = 0; want[i] && c->files[s][i]; i++) {
			char *key = g_strdup_printf(" %s ", want[i]);
			if (!x->read_as[s] || !strstr(x->read_as[s]->str, key)) {
				g_string_append_printf(missing, "%sthe %s file %s",
						       nmissing ? " nor of " : "", source_name[s],
						       c->files[s][i]);
				nmissing++;
				opps |= s == SRC_OPPORTUNITIES;
			}
			g_free(key);
		}
		g_strfreev(want);
	}
	if (nmissing)
		mq_err_set(
		    err, MQ_NOINPUT,
		    "ClickHouse database \"%s\" holds no load of %s, which the configuration "
		    "names: the report would go without %s%s; run mqlreport load with this "
		    "configuration first, then the run again (docs/scale.md)",
		    c->database, missing->str, nmissing > 1 ? "them" : "it",
		    opps ? ", its revenue taken from the leads' won_at and amount instead of "
			   "the opportunities"
			 : "");
	g_string_free(missing, TRUE);
	return nmissing ? -1 : 0;
}

int eread_loads(const engine_cfg *c, dataset *ds, eread_result *r, mq_err *err)
{
	static const char sql[] =
	    "SELECT source, load_id, argMin(attempt, loaded_at), any(location), any(preset), "
	    "any(bytes), any(rows_read), any(rows_accepted), any(rows_rejected), "
	    "any(rejected_by_reason), any(warnings_by_field), any(duplicates), "
	    "any(leads_have_mql), any(rows_inserted), any(preamble_lines), any(footer_lines), "
	    "argMin(timezone, loaded_at), settings, "
	    "any(amounts_other_sign), any(amounts_thousandths), any(amount_unread) "
	    "FROM loads GROUP BY source, load_id, settings ORDER BY min(loaded_at), load_id, "
	    "settings";
	loads_ctx x = {.c = c, .ds = ds, .r = r};
	int rc = eschema_check(c, err);
	if (rc == 0)
		rc = ch_query(c, sql, NULL, on_load, &x, err);
	if (rc == 0 && x.unzoned)
		fprintf(
		    stderr,
		    "mqlreport: warning: clickhouse: %lld loads were recorded before loads kept "
		    "their time zone; their times are taken as read in this run's zone\n",
		    x.unzoned);
	for (int s = 0; s < SRC_COUNT; s++) {
		if (!x.ids[s])
			continue;
		g_string_append_c(r->order[s], ']');
		if (x.ids[s]->len > 1) /* several files: a digest of their digests */
			digest_of_digests((const char *const *)x.ids[s]->pdata, x.ids[s]->len,
					  ds->src[s].sha256);
		g_ptr_array_free(x.ids[s], TRUE);
	}
	if (rc == 0 && (!r->attempts[SRC_LEADS] || !r->attempts[SRC_EVENTS])) {
		mq_err_set(
		    err, MQ_NOINPUT,
		    "ClickHouse database \"%s\" holds no loaded %s (run mqlreport load first)",
		    c->database, r->attempts[SRC_LEADS] ? "events" : "leads");
		rc = -1;
	}
	if (rc == 0)
		rc = configured_loaded(&x, err);
	for (int s = 0; s < SRC_COUNT; s++)
		if (x.read_as[s])
			g_string_free(x.read_as[s], TRUE);
	ds->has_opportunities = r->attempts[SRC_OPPORTUNITIES] != NULL;
	return rc;
}
