/* notes.c — warnings about what the loader read: sources read in opposite
 * date orders, rows read as windows-1252, rows kept despite bad
 * text in columns the report does not use, amounts written with another
 * currency's sign or under a header naming another currency, lead_ids in
 * scientific notation that name no lead, optional
 * values it could not read, values that match no scoring rule and no
 * alias, event types no scoring rule knows; and, for a run on the engine,
 * what the reading of each load found. It must not change the data set or
 * decide an exit status: it only prints. */
#include "notes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colmap.h"
#include "countries.h"
#include "locate.h"
#include "money.h"
#include "normalize.h"
#include "textenc.h"

static void known_code(void *ctx, const char *from, const char *alpha2)
{
	(void)from;
	g_hash_table_add(ctx, g_strdup(alpha2));
}

static bool has_rule(const named_points *r, size_t n, const char *v)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(r[i].name, v))
			return true;
	return false;
}

static gint by_count(gconstpointer a, gconstpointer b, gpointer counts)
{
	intptr_t na = (intptr_t)g_hash_table_lookup(counts, a);
	intptr_t nb = (intptr_t)g_hash_table_lookup(counts, b);
	return na != nb ? (nb > na ? 1 : -1) : strcmp(a, b);
}

/* One field's values, of the leads' counts values, that no rule and no
 * alias knows (and, for a country, that is no ISO code either), the most
 * frequent first. */
static void unmatched(const kvcounts *values, bool country, const named_points *rules,
		      size_t nrules, GHashTable *codes)
{
	GHashTable *counts = g_hash_table_new(g_str_hash, g_str_equal);
	for (size_t i = 0; i < values->len; i++) {
		const char *s = values->items[i].key;
		if (has_rule(rules, nrules, s) || (codes && g_hash_table_contains(codes, s)))
			continue;
		g_hash_table_insert(counts, (gpointer)s, (gpointer)(intptr_t)values->items[i].n);
	}
	guint n = g_hash_table_size(counts);
	if (n) {
		GList *keys =
		    g_list_sort_with_data(g_hash_table_get_keys(counts), by_count, counts);
		const char *field = country ? "country" : "industry";
		fprintf(stderr,
			"mqlreport: warning: leads: %u %s value%s match%s no scoring rule and no "
			"alias, so %s 0 points:",
			n, field, n == 1 ? "" : "s", n == 1 ? "es" : "",
			n == 1 ? "it scores" : "they score");
		int k = 0;
		for (GList *l = keys; l && k < 8; l = l->next, k++)
			fprintf(stderr, "%s \"%s\" %ld", k ? "," : "", (const char *)l->data,
				(long)(intptr_t)g_hash_table_lookup(counts, l->data));
		/* a value that is no misspelling scores 0 rightly: an alias is the
		 * wrong advice for it */
		fprintf(stderr,
			"%s. A spelling of a scored value: add an [aliases.%s] line; one that "
			"rightly scores 0: list it with 0 in a copy of [scoring.%s] "
			"(docs/scoring.md), and it is named here no more\n",
			n > 8 ? ", …" : "", field, country ? "countries" : "industries");
		g_list_free(keys);
	}
	g_hash_table_destroy(counts);
}

/* "; amounts such as "23.000,00" are written with a decimal comma: set
 * decimal = comma in [source.leads]" when the first amount left empty, ex,
 * reads in the other notation than the one set; "" else. A few such
 * amounts stay under the health checks' limits, and only this says why. */
static void notation_hint(const char *ex, bool comma, const char *source, char *buf, size_t n)
{
	double v;
	char code[4];
	size_t len = strlen(ex);
	buf[0] = '\0';
	/* a value below zero reads in both, and is left empty in the other too */
	if (!len || money_parse_style(ex, len, comma, &v) ||
	    money_parse_coded(ex, len, comma, &v, code) ||
	    !(money_parse_style(ex, len, !comma, &v) ||
	      money_parse_coded(ex, len, !comma, &v, code)) ||
	    v < 0)
		return;
	if (comma)
		snprintf(buf, n,
			 "; amounts such as \"%s\" are written with a decimal point, but "
			 "decimal = comma is set in [source.%s]: remove it",
			 ex, source);
	else
		snprintf(buf, n,
			 "; amounts such as \"%s\" are written with a decimal comma: set "
			 "decimal = comma in [source.%s]",
			 ex, source);
}

/* "; company sizes such as "1.200" are written with a point between
 * thousands: set decimal = comma in [source.leads]" when the first company
 * size left empty, ex, reads with decimal = comma and that is not set; ""
 * else. */
static void size_hint(const char *ex, bool comma, const char *source, char *buf, size_t n)
{
	int64_t v;
	buf[0] = '\0';
	if (!comma && ex[0] && norm_company_size(ex, strlen(ex), true, &v))
		snprintf(buf, n,
			 "; company sizes such as \"%s\" are written with a point between "
			 "thousands: set decimal = comma in [source.%s] (which reads amounts as "
			 "1.234,50 too)",
			 ex, source);
}

/* Optional values the reader could not read and left empty (the rows are
 * kept, SPEC §3), of the file `where` names: each field's count and, where
 * lines holds it, the line of its first, so that an amount of a won deal
 * written "28,200 USD" is not only a count on the Data quality sheet; and,
 * when the first amount (amount_ex) or company size (size_ex) left empty
 * is written with the other decimal mark, the setting that reads it. */
static void unreadable_in(const char *where, const kvcounts *warned, const kvcounts *lines,
			  const char *amount_ex, const char *size_ex, int s, bool comma)
{
	GString *b = g_string_new(NULL);
	int64_t total = 0;
	for (size_t i = 0; i < warned->len; i++) {
		const kvcount *w = &warned->items[i];
		if (!strcmp(w->key, "invalid_encoding") || w->n <= 0)
			continue;
		int64_t line = lines ? kvcounts_get(lines, w->key) : 0;
		g_string_append_printf(b, "%s%s %lld", b->len ? "; " : "", w->key, (long long)w->n);
		if (line)
			g_string_append_printf(b, " (line %lld%s)", (long long)line,
					       w->n > 1 ? " the first" : "");
		total += w->n;
	}
	char hint[256] = "", size[256] = "";
	if (kvcounts_get(warned, "amount"))
		notation_hint(amount_ex, comma, source_name[s], hint, sizeof hint);
	if (kvcounts_get(warned, "company_size"))
		size_hint(size_ex, comma, source_name[s], size, sizeof size);
	if (total)
		fprintf(stderr,
			"mqlreport: warning: %s: %lld value%s could not be read and %s left empty "
			"(the row%s kept): %s%s%s\n",
			where, (long long)total, total == 1 ? "" : "s", total == 1 ? "was" : "were",
			total == 1 ? " is" : "s are", b->str, hint, size);
	g_string_free(b, TRUE);
}

/* The configuration of the file a source read from location: a further
 * spend file's [source.spend.NAME], else the source's own group. */
static const source_cfg *read_as(const run_config *c, int s, const char *location)
{
	for (size_t i = 0; s == SRC_SPEND && i < c->in.nspend_more; i++)
		if (c->in.spend_more[i].location && !strcmp(c->in.spend_more[i].location, location))
			return &c->in.spend_more[i];
	return &c->in.src[s];
}

/* The same for a source read by this run, file by file where it is
 * several (a spend file each); the line of each field's first is known
 * where the source is one file. */
static void unreadable(const source_stats *st, int s, const run_config *c)
{
	if (st->nfiles == 0)
		unreadable_in(st->location, &st->warnings_by_field, &st->warn_line_by_field,
			      st->amount_unread, st->size_unread, s, c->in.src[s].decimal_comma);
	for (size_t i = 0; i < st->nfiles; i++) {
		const source_file *f = &st->files[i];
		unreadable_in(f->location, &f->warnings_by_field, NULL, f->amount_unread, "", s,
			      read_as(c, s, f->location)->decimal_comma);
	}
}

/* Amounts written with another currency's sign or code than the report's,
 * n of them in the file `where` names, the first on line (0: not known). */
static void sign_note(const char *where, int64_t n, uint32_t line, const run_config *c)
{
	if (!n)
		return;
	const char *cur = c->in.currency ? c->in.currency : "USD";
	char first[48] = "";
	if (line)
		snprintf(first, sizeof first, " (line %u the first)", line);
	fprintf(stderr,
		"mqlreport: warning: %s: %lld amount%s written with another currency's sign or "
		"code than %s's%s, read as %s all the same: convert %s, or set the report's "
		"currency (--currency)\n",
		where, (long long)n, n == 1 ? " is" : "s are", cur, first, cur,
		n == 1 ? "it" : "them");
}

/* Every amount of a file with a decimal point has three digits after it
 * ("1.500"), in a currency of two minor digits or none: n3, its
 * file_thousandths(), read as written, one and a half; said, with the
 * group that sets decimal = comma ([source.spend.NAME] for a named spend
 * file). */
static void thousands_note(const char *where, int64_t n3, uint32_t line, const char *source,
			   const char *name)
{
	if (!n3)
		return;
	char first[48] = "";
	if (line) /* 0: not known (a load's count) */
		snprintf(first, sizeof first, " (line %u%s)", line, n3 == 1 ? "" : " the first");
	fprintf(stderr,
		"mqlreport: warning: %s: %s amount%s with a decimal point ha%s three digits after "
		"it%s: read as written, 1.500 is one and a half; if the point "
		"separates thousands, set decimal = comma in [source.%s%s%s]\n",
		where, n3 == 1 ? "its one" : "all its", n3 == 1 ? "" : "s", n3 == 1 ? "s" : "ve",
		first, source, name ? "." : "", name ? name : "");
}

/* Encoding windows-1252 on a file whose every byte beyond ASCII is UTF-8:
 * a UTF-8 file, whose accented letters the setting turns into two or
 * three characters each. Said with the first word so read. */
static void forced_note(const char *where, const enc_rows *e, const char *source, const char *name)
{
	if (!e->forced_utf8 || e->forced_other)
		return;
	const char *word = e->forced_example;
	size_t n = strlen(word);
	unsigned char *read = xmalloc(3 * n + 1);
	read[textenc_cp1252_to_utf8((const unsigned char *)word, n, read)] = '\0';
	char *shown = n ? g_strdup_printf(" (\"%s\" reads as \"%s\")", word, (const char *)read)
			: g_strdup("");
	fprintf(stderr,
		"mqlreport: warning: %s: encoding is windows-1252, but the file is UTF-8: every "
		"letter beyond ASCII is misread%s; set encoding = utf-8 (or auto) in "
		"[source.%s%s%s] and leave out --encoding windows-1252\n",
		where, shown, source, name ? "." : "", name ? name : "");
	g_free(shown);
	free(read);
}

/* Encoding auto read the rows of a file that are not UTF-8 as windows-1252,
 * each row on its own: said, with their lines. Only when no other row is
 * UTF-8 beyond ASCII is the file windows-1252, and encoding =
 * windows-1252 in its group ([source.spend.NAME] for a named spend file)
 * the advice; else that setting would misread every other accented value,
 * and the rows are what to look at. */
static void encoding_note(const char *where, const enc_rows *e, const char *source,
			  const char *name)
{
	forced_note(where, e, source, name);
	if (!e->cp_rows)
		return;
	GString *lines = g_string_new(NULL);
	int kept = 0;
	while (kept < CP_LINES_KEPT && e->cp_line[kept])
		kept++;
	for (int i = 0; i < kept; i++) {
		bool last = i == kept - 1 && e->cp_rows <= kept;
		g_string_append_printf(lines, "%s%u",
				       i == 0 ? ""
				       : last ? " and "
					      : ", ",
				       e->cp_line[i]);
	}
	if (e->cp_rows > kept)
		g_string_append_printf(lines, " and %lld more", (long long)(e->cp_rows - kept));
	bool one = e->cp_rows == 1;
	GString *what = g_string_new(NULL);
	if (e->cp_rows > CP_LINES_KEPT)
		g_string_printf(what, "%lld rows are not UTF-8 (lines %s)", (long long)e->cp_rows,
				lines->str);
	else
		g_string_printf(what, "line%s %s %s not UTF-8", one ? "" : "s", lines->str,
				one ? "is" : "are");
	if (!e->utf8_rows)
		fprintf(stderr,
			"mqlreport: warning: %s: %s, and no line of it is UTF-8 beyond ASCII, so "
			"the file is read as windows-1252 (say so with encoding = windows-1252 in "
			"[source.%s%s%s], or --encoding)\n",
			where, what->str, source, name ? "." : "", name ? name : "");
	else
		fprintf(stderr,
			"mqlreport: warning: %s: %s, so %s alone %s read as windows-1252; the rest "
			"of the file is read as UTF-8, in which %lld row%s write%s letters beyond "
			"ASCII (such as é): if the text of %s reads wrong in the report, correct "
			"%s or export the file again as UTF-8, but do not set encoding = "
			"windows-1252, which would misread the %s of UTF-8\n",
			where, what->str, one ? "that row" : "those rows", one ? "is" : "are",
			(long long)e->utf8_rows, e->utf8_rows == 1 ? "" : "s",
			e->utf8_rows == 1 ? "s" : "", one ? "that row" : "those rows",
			one ? "that line" : "those lines", e->utf8_rows == 1 ? "row" : "rows");
	g_string_free(what, TRUE);
	g_string_free(lines, TRUE);
}

/* by_type's entries, the most events first (then by name). */
static gint by_events(gconstpointer a, gconstpointer b, gpointer by_type)
{
	int64_t na = mv_int_of(mv_get(by_type, a)), nb = mv_int_of(mv_get(by_type, b));
	return na != nb ? (nb > na ? 1 : -1) : strcmp(a, b);
}

void notes_unknown_types(const mval *dq)
{
	const mval *by = mv_get(dq, "unknown_event_types_by_type");
	GList *types = NULL;
	int64_t total = 0;
	for (size_t i = 0; i < mv_len(by); i++)
		if (strcmp(mv_key(by, i), "unknown") != 0) { /* left out on purpose */
			types = g_list_prepend(types, (gpointer)mv_key(by, i));
			total += mv_int_of(mv_at(by, i));
		}
	if (!types)
		return;
	types = g_list_sort_with_data(types, by_events, (gpointer)by);
	guint n = g_list_length(types);
	char cnt[32];
	mq_grouped((double)total, 0, cnt, sizeof cnt);
	fprintf(stderr,
		"mqlreport: warning: events: %s event%s of %u type%s no scoring rule knows, so "
		"%s 0 points:",
		cnt, total == 1 ? "" : "s", n, n == 1 ? "" : "s",
		total == 1 ? "it scores" : "they score");
	int k = 0;
	for (GList *l = types; l && k < 8; l = l->next, k++) {
		mq_grouped((double)mv_int_of(mv_get(by, l->data)), 0, cnt, sizeof cnt);
		fprintf(stderr, "%s \"%s\" %s", k ? "," : "", (const char *)l->data, cnt);
	}
	fprintf(
	    stderr,
	    "%s. A vendor's name for a known type (docs/scoring.md): add an [aliases.type] "
	    "line; a type to leave out: map it to unknown there, and it is named here no more\n",
	    n > 8 ? ", …" : "");
	g_list_free(types);
}

char *notes_columns(const kvcounts *u, int64_t kind)
{
	GString *cols = g_string_new(NULL);
	size_t shown = 0, more = 0;
	for (size_t i = 0; i < u->len; i++) {
		if (u->items[i].n != kind)
			continue;
		if (shown == 20) { /* a line a person reads */
			more++;
			continue;
		}
		g_string_append_printf(cols, "%s\"%s\"", shown ? ", " : "", u->items[i].key);
		shown++;
	}
	if (more)
		g_string_append_printf(cols, " and %zu more", more);
	return g_string_free(cols, shown == 0);
}

/* A [columns.X] group that no file read: X was not read, or (spend) only
 * the files of [source.spend.NAME] were, which read [columns.spend.NAME]. */
static void columns_unread(const dataset *ds, const run_config *c, int s)
{
	const source_stats *st = &ds->src[s];
	if (!c->in.src[s].columns.len)
		return;
	bool plain = st->present && st->nfiles == 0;
	for (size_t i = 0; i < st->nfiles && !plain; i++)
		plain = strcmp(st->files[i].name, "spend") == 0;
	if (plain)
		return;
	if (st->present)
		fprintf(stderr,
			"mqlreport: warning: [columns.%s] is set, but every %s file is one of "
			"[source.%s.NAME], which reads [columns.%s.NAME] instead: move its "
			"keys there (docs/configuration.md)\n",
			source_name[s], source_name[s], source_name[s], source_name[s]);
	else
		fprintf(stderr,
			"mqlreport: warning: [columns.%s] is set, but no %s file was read, so "
			"it changes nothing\n",
			source_name[s], source_name[s]);
}

/* Sources of one configuration that read dates in opposite orders, one of
 * them only because its preset reads US dates (salesforce) and another
 * because it is set day first: exports from one CRM account share a
 * locale, so a day-first 10/11/2026 read month first by the preset lands
 * in another week without a rejected row. Each source read by its preset
 * is named with the first day-first one and the line that settles it. */
static void date_orders(const dataset *ds, const run_config *c)
{
	/* a CRM's own export as the witness: an ad platform's spend file is
	 * written in another's locale */
	int dmy = -1;
	for (int s = 0; s < SRC_COUNT && dmy < 0; s++)
		if (s != SRC_SPEND && ds->src[s].present && c->in.src[s].dmy_dates)
			dmy = s;
	if (dmy < 0)
		return;
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_stats *st = &ds->src[s];
		const source_cfg *sc = &c->in.src[s];
		const colmap_preset *p = st->present && st->preset && st->nfiles == 0
					     ? colmap_preset_named(st->preset)
					     : NULL;
		if (!p || !p->us_dates || sc->us_dates || sc->dmy_dates || sc->mdy_dates)
			continue;
		fprintf(
		    stderr,
		    "mqlreport: warning: %s: %s is read month first (M/D/YYYY, the US "
		    "dates of its preset %s), but %s: %s is read day first (date_format = dmy in "
		    "[source.%s]), so a date such as 10/11/2026 is a different day in each: "
		    "if both come from one locale, add date_format = dmy in [source.%s]; if "
		    "the %s are month first, say so with date_format = us there\n",
		    source_name[s], st->location, st->preset, source_name[dmy],
		    ds->src[dmy].location, source_name[dmy], source_name[s], source_name[s]);
	}
}

/* Of the leads: MQLs from the score for want of an mql_at column, and
 * the industries and countries (values: each value's leads) that no
 * scoring rule knows. */
static void lead_notes(const dataset *ds, const kvcounts *industries, const kvcounts *countries,
		       const run_config *c)
{
	/* mql_source = auto turns to the score when the file lacks the column:
	 * a renamed column would change every MQL without a word */
	if (c->mql_source == MQL_AUTO && !ds->leads_have_mql)
		fprintf(stderr,
			"mqlreport: %s: the file has no mql_at column, so MQLs come from the "
			"score (docs/scoring.md); if it holds the CRM's MQL date under another "
			"name, add `mql_at = <its header>` to [columns.leads]\n",
			ds->src[SRC_LEADS].location);
	GHashTable *codes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	countries_each(NULL, known_code, codes);
	unmatched(industries, false, c->model.industries, c->model.nindustries, NULL);
	unmatched(countries, true, c->model.countries, c->model.ncountries,
		  g_hash_table_size(codes) ? codes : NULL);
	g_hash_table_destroy(codes);
}

void ingest_notes(const dataset *ds, const run_config *c)
{
	date_orders(ds, c);
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_stats *st = &ds->src[s];
		columns_unread(ds, c, s);
		if (!st->present)
			continue;
		const char *conf = c->in.src[s].location;
		if (conf && st->location && strcmp(conf, st->location) && locate_is_glob(conf))
			fprintf(stderr, "mqlreport: %s: %s (the newest file matching %s)\n",
				source_name[s], st->location, conf);
		/* encoding auto decides row by row: file by file where a source
		 * is several (a spend file each) */
		if (st->nfiles == 0)
			encoding_note(st->location, &st->enc, source_name[s], NULL);
		for (size_t i = 0; i < st->nfiles; i++) {
			const source_file *f = &st->files[i];
			encoding_note(f->location, &f->enc, source_name[s],
				      strcmp(f->name, "spend") ? f->name : NULL);
		}
		for (size_t i = 0; i < st->nnamed_currencies; i++) {
			const named_currency *nc = &st->named_currencies[i];
			const char *cur = c->in.currency ? c->in.currency : "USD";
			fprintf(stderr,
				"mqlreport: warning: %s (%s): the amount column's header \"%s\" "
				"names %s, but the report currency ([report] currency) is %s: its "
				"amounts are read as %s as written, not converted; export them in "
				"%s, or set currency = %s in [report] (or --currency %s) for a "
				"report in %s\n",
				nc->group, nc->file, nc->header, nc->code, cur, cur, cur, nc->code,
				nc->code, nc->code);
		}
		if (st->sci_orphans)
			fprintf(stderr,
				"mqlreport: warning: %s: %lld row%s name%s the lead in scientific "
				"notation (lead_id \"%s\"%s): Excel rewrote the ids and their "
				"digits are lost, so %s to no lead; export the %s again from the "
				"CRM, or open the CSV without letting Excel convert the lead_id "
				"column\n",
				st->location, (long long)st->sci_orphans,
				st->sci_orphans == 1 ? "" : "s", st->sci_orphans == 1 ? "s" : "",
				st->sci_orphan, st->sci_orphans == 1 ? "" : " the first",
				st->sci_orphans == 1 ? "it belongs" : "they belong",
				source_name[s]);
		/* file by file where a source is several (a spend file each) */
		if (st->nfiles == 0)
			sign_note(st->location, st->sign_other, st->sign_line, c);
		for (size_t i = 0; i < st->nfiles; i++)
			sign_note(st->files[i].location, st->files[i].sign_other,
				  st->files[i].sign_line, c);
		/* "1.500" in every amount with a point: a German export's
		 * thousands read as thousandths, 1,000 times too small (unless
		 * the currency writes three decimals, as KWD does); file by file
		 * where a source is several (a spend file each) */
		if (st->nfiles == 0)
			thousands_note(st->location, st->thousandths, st->point3_line,
				       source_name[s], NULL);
		for (size_t i = 0; i < st->nfiles; i++) {
			const source_file *f = &st->files[i];
			thousands_note(f->location, f->thousandths, f->point3_line, source_name[s],
				       strcmp(f->name, "spend") ? f->name : NULL);
		}
		unreadable(st, s, c);
		/* a header that names a column twice: which one is read is not
		 * what its writer may think */
		for (size_t i = 0; i < st->unknown_columns.len; i++) {
			const char *again = st->unknown_columns.items[i].key;
			if (st->unknown_columns.items[i].n != 2)
				continue;
			/* "channel" and "Channel": the same name, both named */
			const char *read = strpairs_get(&st->repeated_of, again);
			char *as = read ? g_strdup_printf(" (as \"%s\" and \"%s\")", read, again)
					: g_strdup("");
			fprintf(stderr,
				"mqlreport: warning: %s: the header names \"%s\" more than "
				"once%s: the first column of that name is read and the others "
				"are ignored; if another is the one to read, rename the "
				"columns in the export\n",
				st->location, read ? read : again, as);
			g_free(as);
		}
		/* headers alike ("Amount (€)", "Amount ($)"): the first is read,
		 * which may be the wrong one */
		for (size_t i = 0; i < st->nalike; i++) {
			const alike_header *a = &st->alike[i];
			const char *col = colmap_column[a->col];
			char more[48] = "";
			if (a->more > 0)
				snprintf(more, sizeof more, " (and %d more)", a->more);
			fprintf(
			    stderr,
			    "mqlreport: warning: %s: the columns \"%s\" and \"%s\"%s differ only "
			    "in case, spaces or symbols, and each could be the %s; the first is "
			    "read and %s ignored: if another holds the %s, write its header "
			    "exactly in the configuration file: [columns.%s] %s = %s\n",
			    a->file, a->read, a->other, more, col,
			    a->more > 0 ? "the others are" : "the other is", col, a->group, col,
			    a->other);
		}
		/* a column renamed in the export reads as "no amount", "no MQL";
		 * a further spend file reads the columns of its own group */
		char *group = st->nfiles == 1 && strcmp(st->files[0].name, "spend")
				  ? g_strdup_printf("[columns.spend.%s]", st->files[0].name)
			      : st->nfiles > 1
				  ? g_strdup("[columns.spend], or [columns.spend.NAME] of the "
					     "file of [source.spend.NAME] that holds it,")
				  : g_strdup_printf("[columns.%s]", source_name[s]);
		for (size_t i = 0; i < st->unread_like.len; i++) {
			const kvcount *u = &st->unread_like.items[i];
			const char *col = colmap_column[u->n - 1];
			fprintf(stderr,
				"mqlreport: warning: %s: the file has no %s column, and its column "
				"\"%s\" is not read: if it holds the %s, add `%s = %s` to "
				"%s (docs/configuration.md)\n",
				st->location, col, u->key, col, col, u->key, group);
		}
		g_free(group);
		int64_t bad = kvcounts_get(&st->warnings_by_field, "invalid_encoding");
		if (bad)
			fprintf(
			    stderr,
			    "mqlreport: warning: %s: %lld row%s kept with text that is not valid "
			    "in columns the report does not use\n",
			    st->location, (long long)bad, bad == 1 ? "" : "s");
	}
	if (!ds->src[SRC_LEADS].present || !ds->nleads)
		return;
	kvcounts industries = {0}, countries = {0};
	ds_lead_values(ds, false, &industries);
	ds_lead_values(ds, true, &countries);
	lead_notes(ds, &industries, &countries, c);
	kvcounts_clear(&industries);
	kvcounts_clear(&countries);
}

void notes_engine_loads(const eread_result *r, const dataset *ds, const run_config *c)
{
	for (size_t i = 0; i < r->nseen; i++) {
		const eload_seen *l = &r->seen[i];
		const source_cfg *as = read_as(c, l->source, l->location);
		char *where =
		    g_strdup_printf("%s, as loaded from %s", source_name[l->source], l->location);
		sign_note(where, l->sign_other, 0, c);
		thousands_note(where, l->thousandths, 0, source_name[l->source], as->name);
		unreadable_in(where, &l->warnings_by_field, NULL, l->amount_unread, "", l->source,
			      as->decimal_comma);
		g_free(where);
	}
	if (r->leads_streamed > 0)
		lead_notes(ds, &r->industries, &r->countries, c);
}
