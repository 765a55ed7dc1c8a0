/* mail.h — e-mail: the message (MIME, built here byte for byte so that the
 * --eml file and the sent message are the same). deliver/smtp.h sends it.
 *
 * The templates of templates/ are compiled into the binary; mail_render()
 * fills their {{placeholders}} from the report tree and the caller's
 * variables. Nothing here decides whether to send: cmd/ops.c does. */
#ifndef MQL_MAIL_H
#define MQL_MAIL_H

#include <time.h>

#include "base.h"
#include "mval.h"

/* The text of an embedded template ("email.txt", "email.html",
 * "failure.txt"), or NULL for an unknown name. Static storage. */
const char *mail_template(const char *name);

/* A caller's placeholder: {{name}} becomes value (HTML-escaped in HTML). */
typedef struct mail_var {
	const char *name;
	const char *value;
} mail_var;

/* Fill a template. Placeholders, besides the caller's vars:
 *   {{week}} {{as_of}} {{generated_at}} {{timezone}} {{currency}}  from `report`
 *   {{kpis}}           one line per `summary` row ("MQLs 412, +8.0% on last
 *                      week"); in HTML, <li> items
 *   {{kpi:NAME}}       that row's line; {{value:NAME}} {{change:NAME}}
 *                      {{last:NAME}} its cells as the KPI table shows them,
 *                      through the catalogue ("435%" for a ROI of 4.35; a
 *                      change in its unit: "−25.6 pp" for a rate, "+19%"
 *                      otherwise)
 *   {{week_title}} {{week_short}} {{headline}}  the week's dates and the
 *                      largest movements (mail_body.h)
 *   {{health}} {{kpi_table}} {{kpi_notes}} {{what_changed}}   whole blocks,
 *                      empty when there is nothing to show (HTML: table
 *                      rows/markup); {{kpi_notes}} refers only to the
 *                      reports the var reports names ("workbook pdf":
 *                      mail_carried)
 *   {{trend_image}}    the <img> of the vars trend_cid and trend_alt (HTML)
 *   {{files}}          the vars attachments and note: what is attached and
 *                      what was left out for size
 * Values are read from root as they are, never recomputed; a missing one
 * shows "—". An unknown placeholder is left as written. root may be NULL.
 * Returns a new string (caller frees). */
char *mail_render(const char *tmpl, const mval *root, const mail_var *vars, size_t nvars,
		  bool html);

/* The placeholders of one line that mail_render() fills without variables,
 * as a subject takes them, besides {{kpi:NAME}}, {{value:NAME}},
 * {{change:NAME}} and {{last:NAME}}. */
extern const char *const mail_placeholders[];
extern const size_t mail_nplaceholders;

/* The first placeholder of tmpl that is none of those (a misspelt name, a
 * variable of the bodies such as {{note}}, a block such as {{kpi_table}}, or
 * a KPI that is no row of `summary`), as written between the braces, or NULL when
 * it has none. Caller frees. */
char *mail_unknown_placeholder(const char *tmpl);

/* The first {{ of tmpl that opens no placeholder (no }} closes it, or a
 * brace comes before its }}: "{{kpi:roi}", "{{week") or }} that closes
 * none ("{week}}"), as written around it (at most 60 bytes, cut between
 * characters), or NULL when every brace pair is a placeholder's.
 * mail_render() would leave such text as written. Caller frees. */
char *mail_malformed_placeholder(const char *tmpl);

/* "MQLs 412, +8.0% on last week" for one `summary` row, its figures in the
 * catalogue's unit and format ("ROI 435%, …"). Caller frees. */
char *mail_kpi_line(const mval *row, const char *currency);

/* A header value made safe: CR, LF and other control characters become
 * spaces. Caller frees. */
char *mail_header_clean(const char *s);

typedef struct mail_attachment {
	const char *path;     /* the file whose bytes are attached */
	const char *filename; /* shown to the reader */
	const char *mime_type;
} mail_attachment;

/* A part shown inside the HTML body (multipart/related), referenced there
 * as cid:CID and sent with Content-Disposition: inline. */
typedef struct mail_inline {
	const char *cid;      /* without the angle brackets: "trend@mqlreport" */
	const char *filename; /* "trend.png" */
	const char *mime_type;
	const unsigned char *data;
	size_t len;
} mail_inline;

typedef struct mail_message {
	const char *from;
	const char *const *to; /* NULL-terminated */
	const char *const *cc; /* NULL-terminated; NULL: none */
	/* display names (UTF-8) shown in the headers before the addresses;
	 * to_names and cc_names parallel to to and cc; NULL (the whole list,
	 * or an entry): none */
	const char *from_name;
	const char *const *to_names, *const *cc_names;
	const char *subject; /* UTF-8; encoded (RFC 2047) when not ASCII */
	const char *text;    /* the plain-text body, UTF-8 */
	const char *html;    /* the HTML body; NULL: text only */
	const mail_attachment *att;
	size_t natt;
	const mail_inline *inl; /* with html only */
	size_t ninl;
	const char *message_id; /* "<…@…>" */
	time_t date;
} mail_message;

/* The whole message (CRLF line ends, base64 bodies and attachments).
 * Returns a new buffer (caller frees) and its length in *len, or NULL with
 * err (MQ_NOINPUT when an attachment cannot be read). */
char *mail_build(const mail_message *m, size_t *len, mq_err *err);

/* The bytes a part of raw_bytes takes in the message once base64-encoded
 * (76-character lines with CRLF), without its part headers. */
int64_t mail_base64_size(int64_t raw_bytes);

#endif
