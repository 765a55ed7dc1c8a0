/* mail.c — e-mail messages: templates filled from the report tree and the
 * MIME text built byte for byte (see mail.h).
 *
 * It composes; it never sends (deliver/smtp.c does) and never decides whom
 * to send to (cmd/ does). A header value never carries a line break. */
#include "mail.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "changes.h"
#include "mail_body.h"
#include "numfmt.h"
#include "shown.h"
#include "trend.h"
#include "weekdates.h"

/* ---- templates ---- */

/* Generated at build time from templates/ (mail_templates.c). */
extern const char mail_tpl_email_txt[];
extern const char mail_tpl_email_html[];
extern const char mail_tpl_failure_txt[];

const char *mail_template(const char *name)
{
	if (!strcmp(name, "email.txt"))
		return mail_tpl_email_txt;
	if (!strcmp(name, "email.html"))
		return mail_tpl_email_html;
	if (!strcmp(name, "failure.txt"))
		return mail_tpl_failure_txt;
	return NULL;
}

static const char *report_currency(const mval *root)
{
	const char *c = mv_str_of(mv_path(root, "report.currency"));
	return c ? c : "USD";
}

/* A value of the report tree as it is, for the report's own keys (the
 * week, the currency): a KPI's figures go through the catalogue instead
 * (show_week()). */
static void show(const mval *v, const char *currency, char *out, size_t n)
{
	if (!v) {
		snprintf(out, n, "—");
		return;
	}
	numfmt_value(v, currency, out, n);
}

/* A summary row's week ("this_week" or "last_week") as the KPI table, the
 * workbook and the PDF show it: through the catalogue, in the KPI's unit
 * and format ("435%" for a ROI of 4.35, "2.6 h" for 157 minutes to lead),
 * the two weeks in one precision; a key the catalogue lacks shows the
 * value as it is. */
static void show_week(const mval *row, const char *week, const char *currency, char *out, size_t n)
{
	const char *kpi = row ? mv_str_of(mv_get(row, "kpi")) : NULL;
	const cat_entry *e = kpi ? catalog_find(kpi) : NULL;
	if (!e) {
		show(row ? mv_get(row, week) : NULL, currency, out, n);
		return;
	}
	const mval *t = mv_get(row, "this_week"), *l = mv_get(row, "last_week");
	double now = !t || mv_is_null(t) ? NAN : mv_num_of(t);
	double last = !l || mv_is_null(l) ? NAN : mv_num_of(l);
	char now_buf[64], last_buf[64];
	catalog_format_weeks(e, now, last, currency, now_buf, last_buf, sizeof now_buf);
	snprintf(out, n, "%s", strcmp(week, "this_week") == 0 ? now_buf : last_buf);
}

/* A summary row's change in its unit, as the KPI table writes it ("+8.1%",
 * "−25.6 pp"): from its two weeks through the catalogue, which knows which
 * change is in points; a key it lacks shows the row's change as it is. */
static void show_change(const mval *row, const char *currency, char *out, size_t n)
{
	const char *kpi = row ? mv_str_of(mv_get(row, "kpi")) : NULL;
	const cat_entry *e = kpi ? catalog_find(kpi) : NULL;
	if (!e || mv_is_null(mv_get(row, "change"))) {
		show(row ? mv_get(row, "change") : NULL, currency, out, n);
		return;
	}
	double delta;
	int good;
	catalog_format_change(e, mv_num_of(mv_get(row, "this_week")),
			      mv_num_of(mv_get(row, "last_week")), out, n, &delta, &good);
}

char *mail_kpi_line(const mval *row, const char *currency)
{
	const char *key = mv_str_of(mv_get(row, "kpi"));
	const char *label = catalog_label(key ? key : "?");
	char now[64], last[64], change[64];
	show_week(row, "this_week", currency, now, sizeof now);
	show_week(row, "last_week", currency, last, sizeof last);
	show_change(row, currency, change, sizeof change);
	char *line;
	if (!mv_is_null(mv_get(row, "change")))
		line = xasprintf("%s %s, %s on last week", label, now, change);
	else if (!mv_is_null(mv_get(row, "last_week")))
		line = xasprintf("%s %s (last week %s)", label, now, last);
	else
		line = xasprintf("%s %s", label, now);
	return line;
}

static const mval *summary_row(const mval *root, const char *kpi)
{
	const mval *rows = mv_get(root, "summary");
	for (size_t i = 0; i < mv_len(rows); i++) {
		const mval *row = mv_at(rows, i);
		const char *k = mv_str_of(mv_get(row, "kpi"));
		if (k && !strcmp(k, kpi))
			return row;
	}
	return NULL;
}

/* s escaped for HTML text and attribute values (&, <, >, ", '). */
static void html_escape(GString *b, const char *s)
{
	char *valid = shown_text(s, SIZE_MAX); /* as the PDF and the workbook show it */
	char *esc = g_markup_escape_text(valid, -1);
	g_string_append(b, esc);
	g_free(esc);
	g_free(valid);
}

static void put_value(GString *b, const char *s, bool html)
{
	if (html)
		html_escape(b, s);
	else
		g_string_append(b, s);
}

static const char *var_of(const mail_var *vars, size_t nvars, const char *name)
{
	for (size_t i = 0; i < nvars; i++)
		if (!strcmp(vars[i].name, name))
			return vars[i].value;
	return NULL;
}

/* A block placeholder's text (complete markup in HTML, never escaped
 * again), or NULL when name is not a block. Caller frees. */
static char *block(const char *name, const mval *root, const mail_var *vars, size_t nvars,
		   bool html)
{
	if (!strcmp(name, "week_title"))
		return mail_week_title(root, true);
	if (!strcmp(name, "week_short"))
		return mail_week_title(root, false);
	if (!strcmp(name, "headline"))
		return mail_headline(root, 3, 64);
	if (!strcmp(name, "health"))
		return mail_health_block(root, html);
	if (!strcmp(name, "basis"))
		return mail_basis_block(root, html);
	if (!strcmp(name, "kpi_table"))
		return mail_kpi_table(root, html);
	if (!strcmp(name, "kpi_notes"))
		return mail_kpi_notes(root, html, mail_carried(var_of(vars, nvars, "reports")));
	if (!strcmp(name, "what_changed"))
		return mail_changes_block(root, CHANGES_MAX, html);
	if (!strcmp(name, "qualification"))
		return mail_qualification_block(root, html);
	if (!strcmp(name, "trend_image"))
		return mail_image_block(var_of(vars, nvars, "trend_cid"),
					var_of(vars, nvars, "trend_alt"), html);
	if (!strcmp(name, "files"))
		return mail_files_block(var_of(vars, nvars, "attachments"),
					var_of(vars, nvars, "note"), html);
	return NULL;
}

/* The value of a placeholder, or false when it is not one we know. */
static bool expand(GString *b, const char *name, const mval *root, const mail_var *vars,
		   size_t nvars, bool html)
{
	for (size_t i = 0; i < nvars; i++) {
		if (!strcmp(vars[i].name, name)) {
			put_value(b, vars[i].value ? vars[i].value : "", html);
			return true;
		}
	}
	char *blk = block(name, root, vars, nvars, html);
	if (blk) {
		bool escape = html && (!strcmp(name, "week_title") || !strcmp(name, "week_short") ||
				       !strcmp(name, "headline"));
		put_value(b, blk, escape);
		free(blk);
		return true;
	}
	const char *cur = report_currency(root);
	char tmp[128];
	static const char *const report_keys[] = {"week", "as_of", "generated_at", "timezone",
						  "currency"};
	for (size_t i = 0; i < sizeof report_keys / sizeof report_keys[0]; i++) {
		if (!strcmp(name, report_keys[i])) {
			char path[64];
			snprintf(path, sizeof path, "report.%s", name);
			const mval *v = mv_path(root, path);
			/* a moment in the report's time zone, as the week's dates */
			if (mv_kind_of(v) == MV_TIME)
				report_local_time(mv_get(root, "report"), mv_time_of(v), tmp,
						  sizeof tmp);
			else
				show(v, cur, tmp, sizeof tmp);
			put_value(b, tmp, html);
			return true;
		}
	}
	if (!strcmp(name, "kpis")) {
		const mval *rows = mv_get(root, "summary");
		for (size_t i = 0; i < mv_len(rows); i++) {
			char *line = mail_kpi_line(mv_at(rows, i), cur);
			if (html) {
				g_string_append(b, "<li>");
				html_escape(b, line);
				g_string_append(b, "</li>\n");
			} else {
				g_string_append_printf(b, "  %s\n", line);
			}
			free(line);
		}
		return true;
	}
	static const struct {
		const char *prefix, *cell;
	} cells[] = {
	    {"kpi:", NULL}, {"value:", "this_week"}, {"change:", "change"}, {"last:", "last_week"}};
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		size_t n = strlen(cells[i].prefix);
		if (strncmp(name, cells[i].prefix, n) != 0)
			continue;
		const mval *row = summary_row(root, name + n);
		if (!cells[i].cell) {
			char *line = row ? mail_kpi_line(row, cur) : xstrdup("—");
			put_value(b, line, html);
			free(line);
		} else {
			if (strcmp(cells[i].cell, "change") == 0)
				show_change(row, cur, tmp, sizeof tmp);
			else
				show_week(row, cells[i].cell, cur, tmp, sizeof tmp);
			put_value(b, tmp, html);
		}
		return true;
	}
	return false;
}

const char *const mail_placeholders[] = {"week",     "as_of",	   "generated_at", "timezone",
					 "currency", "week_title", "week_short",   "headline"};
const size_t mail_nplaceholders = G_N_ELEMENTS(mail_placeholders);

/* Whether `name` is a placeholder of one line that mail_render() fills
 * without variables, as a subject needs: not a variable of the bodies
 * ({{note}} would go out as written), nor a block of lines ({{kpi_table}}).
 * A unit test renders each name of the list. */
static bool known_placeholder(const char *name)
{
	for (size_t i = 0; i < mail_nplaceholders; i++)
		if (!strcmp(name, mail_placeholders[i]))
			return true;
	static const char *const prefixes[] = {"kpi:", "value:", "change:", "last:"};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(name, prefixes[i], n) != 0)
			continue;
		/* a row of `summary`: any other KPI shows "—" */
		for (size_t k = 0; summary_kpis[k]; k++)
			if (!strcmp(name + n, summary_kpis[k]))
				return true;
		return false;
	}
	return false;
}

char *mail_unknown_placeholder(const char *tmpl)
{
	for (const char *p = tmpl; p && (p = strstr(p, "{{")) != NULL;) {
		const char *close = strstr(p + 2, "}}");
		if (!close)
			return NULL;
		char *name = xstrndup(p + 2, (size_t)(close - p - 2));
		g_strstrip(name);
		if (!known_placeholder(name))
			return name;
		free(name);
		p = close + 2;
	}
	return NULL;
}

#define MALFORMED_SHOWN 60 /* bytes of a malformed placeholder quoted at most */

/* The text of s[0 .. n), at most MALFORMED_SHOWN bytes of it, cut between
 * UTF-8 characters, its trailing blanks dropped. Caller frees. */
static char *malformed_text(const char *s, size_t n)
{
	if (n > MALFORMED_SHOWN) {
		n = MALFORMED_SHOWN;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

char *mail_malformed_placeholder(const char *tmpl)
{
	const char *p = tmpl;
	while (p && *p) {
		if (p[0] == '{' && p[1] == '{') {
			const char *close = strstr(p + 2, "}}");
			size_t name = strcspn(p + 2, "{}");
			if (close && p + 2 + name == close) {
				p = close + 2;
				continue;
			}
			/* as written: up to the next {{, through the braces that
			 * end the name ("{{kpi:roi}" of "{{kpi:roi} and {{week}}") */
			const char *q = p + 2;
			while (*q && *q != '}' && !(q[0] == '{' && q[1] == '{'))
				q++;
			q += strspn(q, "}");
			return malformed_text(p, (size_t)(q - p));
		}
		if (p[0] == '}' && p[1] == '}') {
			/* a closing pair that closes nothing: from the start of its
			 * word ("{week}}") */
			const char *start = p;
			while (start > tmpl && !strchr(" \t}", start[-1]))
				start--;
			return malformed_text(start, (size_t)(p - start) + strspn(p, "}"));
		}
		p++;
	}
	return NULL;
}

char *mail_render(const char *tmpl, const mval *root, const mail_var *vars, size_t nvars, bool html)
{
	GString *b = g_string_new(NULL);
	const char *p = tmpl;
	while (*p) {
		const char *open = strstr(p, "{{");
		if (!open) {
			g_string_append(b, p);
			break;
		}
		const char *close = strstr(open + 2, "}}");
		if (!close) {
			g_string_append(b, p);
			break;
		}
		g_string_append_len(b, p, (size_t)(open - p));
		char *name = xstrndup(open + 2, (size_t)(close - open - 2));
		g_strstrip(name);
		if (!expand(b, name, root, vars, nvars, html))
			g_string_append_len(b, open, (size_t)(close + 2 - open));
		free(name);
		p = close + 2;
	}
	return g_string_free(b, FALSE);
}

char *mail_header_clean(const char *s)
{
	char *out = xstrdup(s ? s : "");
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return out;
}

/* ---- MIME ---- */

/* base64 in lines of 76 characters, each ended by CRLF (RFC 2045 §6.8;
 * GLib's own line breaks would come every 72 characters and without CR). */
static void put_base64(GString *b, const unsigned char *data, size_t len)
{
	char *enc = g_base64_encode(data, len);
	size_t n = strlen(enc);
	for (size_t i = 0; i < n; i += 76) {
		g_string_append_len(b, enc + i, (gssize)MIN(76, n - i));
		g_string_append(b, "\r\n");
	}
	g_free(enc);
}

int64_t mail_base64_size(int64_t raw)
{
	int64_t chars = (raw + 2) / 3 * 4;
	int64_t lines = (chars + 75) / 76;
	return chars + 2 * lines;
}

static bool ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

#define HEADER_COLS 78 /* RFC 5322 §2.1.1: lines of at most 78 characters */

/* s folded at its spaces (CRLF before a space, RFC 5322 §2.2.3) so that no
 * line passes HEADER_COLS, the first starting at column col; false when a
 * word is too long for that (nothing appended then). */
static bool put_folded(GString *b, const char *s, size_t col)
{
	GString *t = g_string_new(NULL);
	size_t len = strlen(s), p = 0;
	while (col + (len - p) > HEADER_COLS) {
		size_t cut = 0; /* the last space to fold at, past some non-space */
		bool text = false;
		for (size_t q = p + 1; q < len && col + (q - p) <= HEADER_COLS; q++) {
			text = text || s[q - 1] != ' ';
			if (s[q] == ' ' && text)
				cut = q;
		}
		if (!cut) {
			g_string_free(t, TRUE);
			return false;
		}
		g_string_append_len(t, s + p, (gssize)(cut - p));
		g_string_append(t, "\r\n");
		p = cut; /* the next line starts with the space */
		col = 0;
	}
	g_string_append(t, s + p);
	g_string_append_len(b, t->str, (gssize)t->len);
	g_string_free(t, TRUE);
	return true;
}

/* The bytes of s[i .. len), max of them at most, cut between UTF-8
 * characters, as one RFC 2047 encoded word ("=?UTF-8?B?…?="); *used: how
 * many it took. g_free() it. */
static char *encoded_word(const char *s, size_t len, size_t i, size_t max, size_t *used)
{
	size_t n = max < len - i ? max : len - i;
	while (i + n < len && n > 1 && ((unsigned char)s[i + n] & 0xC0) == 0x80)
		n--;
	gchar *enc = g_base64_encode((const guchar *)s + i, n);
	char *w = g_strdup_printf("=?UTF-8?B?%s?=", enc);
	g_free(enc);
	*used = n;
	return w;
}

/* s as RFC 2047 encoded words, one a line, each line within HEADER_COLS
 * (the first starting at column col), cut between UTF-8 characters. */
static void put_encoded(GString *b, const char *s, size_t col)
{
	size_t len = strlen(s), i = 0;
	bool first = true;
	while (i < len) {
		/* 12: the word's "=?UTF-8?B?" and "?="; the bytes whose base64 fits */
		size_t room = HEADER_COLS - (first ? col : 1) - 12, n;
		char *w = encoded_word(s, len, i, room / 4 * 3, &n);
		g_string_append_printf(b, "%s%s", first ? "" : "\r\n ", w);
		g_free(w);
		first = false;
		i += n;
	}
}

/* Subject: as is when printable ASCII, folded at spaces when longer than a
 * line; else (or when a word is too long to fold) RFC 2047 encoded words. */
static void put_subject(GString *b, const char *subject)
{
	char *s = mail_header_clean(subject);
	g_string_append(b, "Subject: ");
	if (!ascii_printable(s) || !put_folded(b, s, strlen("Subject: ")))
		put_encoded(b, s, strlen("Subject: "));
	g_string_append(b, "\r\n");
	free(s);
}

/* RFC 5322 atext: a display name of such words needs no quotes. */
static bool atom_text(const char *s)
{
	for (; *s; s++)
		if (!g_ascii_isalnum(*s) && !strchr("!#$%&'*+-/=?^_`{|}~ ", *s))
			return false;
	return true;
}

/* The words of a mailbox as a header shows it: its display name (plain
 * words; one quoted string when it holds other printable ASCII, "Doe,
 * Jane"; RFC 2047 encoded words when it holds anything else), then
 * <address>; the address alone without a name. Each word may start a
 * folded line. Free with g_strfreev. */
static char **mailbox_words(const char *name, const char *address)
{
	GPtrArray *w = g_ptr_array_new();
	char *a = mail_header_clean(address);
	char *n = name && name[0] ? mail_header_clean(name) : NULL;
	if (n && ascii_printable(n) && atom_text(n)) {
		char **words = g_strsplit(n, " ", -1);
		for (char **p = words; *p; p++)
			if (**p)
				g_ptr_array_add(w, g_strdup(*p));
		g_strfreev(words);
	} else if (n && ascii_printable(n)) {
		GString *q = g_string_new("\"");
		for (const char *p = n; *p; p++) {
			if (*p == '"' || *p == '\\')
				g_string_append_c(q, '\\');
			g_string_append_c(q, *p);
		}
		g_string_append_c(q, '"');
		g_ptr_array_add(w, g_string_free(q, FALSE));
	} else if (n) {
		/* 30 bytes a word, cut between characters: "=?UTF-8?B?…?=" of 52 */
		size_t len = strlen(n), i = 0;
		while (i < len) {
			size_t k;
			g_ptr_array_add(w, encoded_word(n, len, i, 30, &k));
			i += k;
		}
	}
	g_ptr_array_add(w, n ? g_strdup_printf("<%s>", a) : g_strdup(a));
	g_ptr_array_add(w, NULL);
	free(a);
	free(n);
	return (char **)g_ptr_array_free(w, FALSE);
}

/* "To: Jane Doe <jane@x>, b@y", folded at a space before a line gets
 * longer than 78 characters; names (parallel to list, NULL: none) are the
 * display names. */
static void put_address_list(GString *b, const char *field, const char *const *list,
			     const char *const *names)
{
	size_t col = strlen(field) + 1;
	g_string_append_printf(b, "%s:", field);
	for (size_t i = 0; list && list[i]; i++) {
		if (i > 0) {
			g_string_append_c(b, ',');
			col++;
		}
		char **words = mailbox_words(names ? names[i] : NULL, list[i]);
		for (char **w = words; *w; w++) {
			size_t n = strlen(*w);
			if (col + 1 + n > HEADER_COLS && col > strlen(field) + 1) {
				g_string_append(b, "\r\n ");
				col = 1;
			} else {
				g_string_append_c(b, ' ');
				col++;
			}
			g_string_append(b, *w);
			col += n;
		}
		g_strfreev(words);
	}
	g_string_append(b, "\r\n");
}

static bool read_file(const char *path, char **data, size_t *len, mq_err *err)
{
	GError *ge = NULL;
	gchar *c = NULL;
	gsize n = 0;
	if (!g_file_get_contents(path, &c, &n, &ge)) {
		mq_err_set(err, MQ_NOINPUT, "%s: cannot read the attachment: %s", path,
			   ge->message);
		g_error_free(ge);
		return false;
	}
	*data = c;
	*len = n;
	return true;
}

/* A file name for Content-Disposition: printable ASCII without quotes or
 * backslashes (our outputs' names always are). */
static char *safe_filename(const char *s)
{
	char *out = mail_header_clean(s);
	for (char *p = out; *p; p++)
		if (*p == '"' || *p == '\\' || (unsigned char)*p > 0x7e)
			*p = '_';
	return out;
}

/* The text part, or multipart/alternative of text and HTML; the HTML in a
 * multipart/related with its inline parts when there are any. */
static void put_bodies(GString *b, const mail_message *m, const char *alt, const char *rel)
{
	const char *text = m->text ? m->text : "";
	if (m->html) {
		g_string_append_printf(
		    b, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n", alt);
		g_string_append_printf(b, "\r\n--%s\r\n", alt);
	}
	g_string_append(
	    b,
	    "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
	put_base64(b, (const unsigned char *)text, strlen(text));
	if (!m->html)
		return;
	g_string_append_printf(b, "\r\n--%s\r\n", alt);
	bool related = m->ninl > 0;
	if (related) {
		g_string_append_printf(b,
				       "Content-Type: multipart/related; type=\"text/html\"; "
				       "boundary=\"%s\"\r\n\r\n\r\n--%s\r\n",
				       rel, rel);
	}
	g_string_append(b, "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: "
			   "base64\r\n\r\n");
	put_base64(b, (const unsigned char *)m->html, strlen(m->html));
	for (size_t i = 0; i < m->ninl; i++) {
		const mail_inline *p = &m->inl[i];
		char *cid = mail_header_clean(p->cid);
		char *name = safe_filename(p->filename ? p->filename : "image");
		char *type = mail_header_clean(p->mime_type);
		g_string_append_printf(
		    b,
		    "\r\n--%s\r\nContent-Type: %s; name=\"%s\"\r\n"
		    "Content-ID: <%s>\r\nContent-Disposition: inline; "
		    "filename=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n\r\n",
		    rel, type, name, cid, name);
		put_base64(b, p->data, p->len);
		free(cid);
		free(name);
		free(type);
	}
	if (related)
		g_string_append_printf(b, "\r\n--%s--\r\n", rel);
	g_string_append_printf(b, "\r\n--%s--\r\n", alt);
}

char *mail_build(const mail_message *m, size_t *len, mq_err *err)
{
	GString *b = g_string_new(NULL);
	char date[64];
	struct tm tm;
	gmtime_r(&m->date, &tm);
	strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S +0000", &tm);
	/* boundaries: "=_" never occurs in base64, and every part is base64 */
	char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256,
						     m->message_id ? m->message_id : date, -1);
	char mixed[64], alt[64], rel[64];
	snprintf(mixed, sizeof mixed, "=_mqlreport_mixed_%.24s", digest);
	snprintf(alt, sizeof alt, "=_mqlreport_alt_%.24s", digest);
	snprintf(rel, sizeof rel, "=_mqlreport_rel_%.24s", digest);
	g_free(digest);

	const char *from[] = {m->from, NULL}, *from_name[] = {m->from_name, NULL};
	put_address_list(b, "From", from, from_name);
	put_address_list(b, "To", m->to, m->to_names);
	if (m->cc && m->cc[0])
		put_address_list(b, "Cc", m->cc, m->cc_names);
	put_subject(b, m->subject ? m->subject : "");
	g_string_append_printf(b, "Date: %s\r\n", date);
	if (m->message_id) {
		char *id = mail_header_clean(m->message_id);
		g_string_append_printf(b, "Message-ID: %s\r\n", id);
		free(id);
	}
	g_string_append(b, "MIME-Version: 1.0\r\n");
	g_string_append(b, "Auto-Submitted: auto-generated\r\n");
	g_string_append(b, "X-Mailer: mqlreport\r\n");
	g_string_append_printf(b, "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n", mixed);
	g_string_append(b, "This is a MIME message.\r\n");

	g_string_append_printf(b, "\r\n--%s\r\n", mixed);
	put_bodies(b, m, alt, rel);
	for (size_t i = 0; i < m->natt; i++) {
		char *data = NULL;
		size_t n = 0;
		if (!read_file(m->att[i].path, &data, &n, err)) {
			g_string_free(b, TRUE);
			return NULL;
		}
		char *name = safe_filename(m->att[i].filename);
		char *type = mail_header_clean(m->att[i].mime_type);
		g_string_append_printf(b, "\r\n--%s\r\n", mixed);
		g_string_append_printf(b,
				       "Content-Type: %s; name=\"%s\"\r\n"
				       "Content-Disposition: attachment; filename=\"%s\"\r\n"
				       "Content-Transfer-Encoding: base64\r\n\r\n",
				       type, name, name);
		put_base64(b, (const unsigned char *)data, n);
		g_free(data);
		free(name);
		free(type);
	}
	g_string_append_printf(b, "\r\n--%s--\r\n", mixed);
	*len = b->len;
	return g_string_free(b, FALSE);
}
