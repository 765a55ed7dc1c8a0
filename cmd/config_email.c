/* config_email.c — the [email] group of the configuration: the SMTP
 * server, sender, recipients, size cap and operator address (see
 * config_email.h), and the server settings a send needs.
 *
 * It only reads and checks settings: it decides nothing about what is sent
 * (deliver.c, notify.c) and never keeps a secret: the file names the
 * environment variables that hold the SMTP credentials, read at send time. */
#include "config_email.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgval.h"
#include "config.h"
#include "mail.h"
#include "net.h"

const char *const config_email_keys[] = {
    "smtp_url",	   "from",    "to",	   "cc",	   "workbook_to",
    "workbook_cc", "pdf_to",  "pdf_cc",	   "username_env", "password_env",
    "starttls",	   "ca_file", "max_bytes", "operator",	   "subject",
    "retries",	   "backoff", "timeout",   NULL,
};
bool config_email_owns(const char *group)
{
	return strcmp(group, "email") == 0;
}

void email_cfg_free(email_cfg *o)
{
	if (!o)
		return;
	free(o->smtp_url);
	free(o->from);
	g_strfreev(o->to);
	g_strfreev(o->cc);
	g_strfreev(o->workbook_to);
	g_strfreev(o->workbook_cc);
	g_strfreev(o->pdf_to);
	g_strfreev(o->pdf_cc);
	free(o->username_env);
	free(o->password_env);
	free(o->ca_file);
	free(o->operator_addr);
	free(o->subject);
	if (o->names)
		g_hash_table_destroy(o->names);
	free(o);
}

static email_cfg *email_cfg_new(void)
{
	email_cfg *o = xcalloc(1, sizeof *o);
	o->starttls = NET_TLS_REQUIRED;
	o->max_bytes = 10000000;
	o->retries = 3;
	o->backoff_s = 30;
	o->timeout_s = 120;
	o->names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return o;
}

/* An address as the envelope and the headers take it: local@domain, no
 * blanks, line breaks, angle brackets, commas or semicolons. */
static bool valid_address(const char *a)
{
	const char *at = strchr(a, '@');
	if (!at || at == a || !at[1] || strchr(at + 1, '@'))
		return false;
	for (const char *p = a; *p; p++)
		if ((unsigned char)*p <= ' ' || strchr("<>,;\"()[]\\", *p) || *p == 0x7f)
			return false;
	return true;
}

/* A display name as written before <address>: a quoted string ("Doe,
 * Jane", its \" and \\ unescaped) or plain words (Jane Doe), blanks
 * collapsed. NULL when it is empty, is not valid UTF-8, or holds a control
 * character, a quote or an angle bracket outside its quotes: *why says
 * which then (static text). Caller frees. */
static char *display_name(const char *s, size_t n, const char **why)
{
	GString *b = g_string_new(NULL);
	bool quoted = n >= 2 && s[0] == '"' && s[n - 1] == '"';
	size_t from = quoted ? 1 : 0, to = quoted ? n - 1 : n;
	*why = NULL;
	for (size_t i = from; i < to && !*why; i++) {
		unsigned char c = (unsigned char)s[i];
		if (quoted && c == '\\' && i + 1 < to)
			c = (unsigned char)s[++i];
		else if (c == '"')
			*why = "a quote inside the name";
		else if (!quoted && (c == '<' || c == '>'))
			*why = "an angle bracket inside the name";
		if (c < 0x20 || c == 0x7f)
			*why = "a control character in the name";
		else if (c == ' ' || c == '\t')
			g_string_append_c(b, ' ');
		else
			g_string_append_c(b, (char)c);
	}
	if (!*why && !g_utf8_validate(b->str, (gssize)b->len, NULL))
		*why = "the name is not UTF-8 text";
	char **words = g_strsplit(b->str, " ", -1);
	GString *out = g_string_new(NULL);
	for (char **w = words; *w; w++)
		if (**w)
			g_string_append_printf(out, "%s%s", out->len ? " " : "", *w);
	g_strfreev(words);
	g_string_free(b, TRUE);
	if (*why || !out->len) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* One mailbox as written: an address (jane@example.com), or a display name
 * and the address in angle brackets (Jane Doe <jane@example.com>, "Doe,
 * Jane" <jane@example.com>). Sets *addr and *name (NULL without a name)
 * and returns NULL, or returns why it is none (static text; "" when it is
 * simply no address). */
static const char *parse_mailbox(const char *s, char **addr, char **name)
{
	*addr = *name = NULL;
	const char *lt = NULL;
	bool quoted = false;
	for (const char *p = s; *p && !lt; p++) {
		if (quoted && *p == '\\' && p[1])
			p++;
		else if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '<')
			lt = p;
	}
	if (quoted)
		return "its quote is not closed";
	if (!lt) {
		if (strchr(s, '"') || (strchr(s, ' ') && strchr(s, '@')))
			return "a name needs the address after it in angle brackets";
		if (!valid_address(s))
			return "";
		*addr = g_strdup(s);
		return NULL;
	}
	const char *gt = strchr(lt, '>');
	if (!gt)
		return "its < is not closed by >";
	if (gt[1 + strspn(gt + 1, " \t")])
		return "nothing may follow the address's >";
	char *a = g_strstrip(g_strndup(lt + 1, (size_t)(gt - lt - 1)));
	if (!valid_address(a)) {
		g_free(a);
		return "the address in angle brackets is not one";
	}
	size_t n = (size_t)(lt - s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	const char *why = NULL;
	char *nm = n ? display_name(s, n, &why) : NULL;
	if (why) {
		g_free(a);
		return why;
	}
	*addr = a;
	*name = nm;
	return NULL;
}

/* A mailbox of key into *dst (its address) and o->names (its display
 * name, for the headers). Returns 0, or -1 with err naming the file, line
 * and key, and the forms an address may take. */
static int take_mailbox(const cfgfile *r, const char *group, const char *key, const char *item,
			email_cfg *o, char **dst)
{
	char *addr, *name;
	const char *why = parse_mailbox(item, &addr, &name);
	if (why)
		return cfg_bad(r, group, key,
			       "\"%.120s\" is not an e-mail address%s%s%s: write it as "
			       "jane@example.com, or as a name and the address in angle brackets, "
			       "Jane Doe <jane@example.com>, the name in quotes when it holds a "
			       "comma or a semicolon: \"Doe, Jane\" <jane@example.com>",
			       item, why[0] ? " (" : "", why, why[0] ? ")" : "");
	if (name)
		g_hash_table_replace(o->names, g_strdup(addr), name);
	*dst = addr;
	return 0;
}

/* The items of a list, split at the commas and semicolons outside quotes
 * and angle brackets, each trimmed; empty ones dropped. */
static char **split_list(const char *v)
{
	GPtrArray *items = g_ptr_array_new();
	bool quoted = false, angle = false;
	const char *start = v;
	for (const char *p = v;; p++) {
		if (quoted && *p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '"' && !angle)
			quoted = !quoted;
		else if (!quoted && *p == '<')
			angle = true;
		else if (!quoted && *p == '>')
			angle = false;
		if (!*p || (!quoted && !angle && (*p == ',' || *p == ';'))) {
			char *item = g_strstrip(g_strndup(start, (size_t)(p - start)));
			if (*item)
				g_ptr_array_add(items, item);
			else
				g_free(item);
			if (!*p)
				break;
			start = p + 1;
		}
	}
	g_ptr_array_add(items, NULL);
	return (char **)g_ptr_array_free(items, FALSE);
}

/* "a@x, Jane Doe <b@y>; \"Doe, Jane\" <c@z>" → a NULL-terminated list of
 * the addresses (NULL when empty), their display names into o->names. */
static int get_list(const cfgfile *r, const char *group, const char *key, email_cfg *o, char ***dst)
{
	char *v = cfg_value(r, group, key);
	if (!v)
		return 0;
	char **parts = split_list(v);
	size_t n = 0;
	char **out = g_new0(char *, g_strv_length(parts) + 1);
	int rc = 0;
	for (char **p = parts; *p && rc == 0; p++)
		if ((rc = take_mailbox(r, group, key, *p, o, &out[n])) == 0)
			n++;
	g_strfreev(parts);
	free(v);
	if (rc != 0 || n == 0) {
		g_strfreev(out);
		out = NULL;
	}
	g_strfreev(*dst);
	*dst = out;
	return rc;
}

/* A key that names one mailbox (from, operator): its address into *dst,
 * its display name into o->names. */
static int get_mailbox(const cfgfile *r, const char *group, const char *key, email_cfg *o,
		       char **dst)
{
	char *v = NULL;
	if (cfg_string(r, group, key, &v) != 0)
		return -1;
	if (!v)
		return 0;
	char **parts = split_list(v);
	int rc;
	if (g_strv_length(parts) != 1)
		rc = cfg_bad(r, group, key, "it takes one address, not %u", g_strv_length(parts));
	else {
		char *addr = NULL;
		if ((rc = take_mailbox(r, group, key, parts[0], o, &addr)) == 0) {
			free(*dst);
			*dst = xstrdup(addr);
		}
		g_free(addr);
	}
	g_strfreev(parts);
	free(v);
	return rc;
}

static int read_email(const cfgfile *r, email_cfg *o)
{
	const char *g = "email";
	if (cfg_check_keys(r, g, config_email_keys) || cfg_string(r, g, "smtp_url", &o->smtp_url) ||
	    get_mailbox(r, g, "from", o, &o->from) || get_list(r, g, "to", o, &o->to) ||
	    get_list(r, g, "cc", o, &o->cc) || get_list(r, g, "workbook_to", o, &o->workbook_to) ||
	    get_list(r, g, "workbook_cc", o, &o->workbook_cc) ||
	    get_list(r, g, "pdf_to", o, &o->pdf_to) || get_list(r, g, "pdf_cc", o, &o->pdf_cc) ||
	    cfg_env_name(r, g, "username_env", &o->username_env) ||
	    cfg_env_name(r, g, "password_env", &o->password_env) ||
	    cfg_path(r, g, "ca_file", &o->ca_file) ||
	    get_mailbox(r, g, "operator", o, &o->operator_addr) ||
	    cfg_string(r, g, "subject", &o->subject))
		return -1;
	char *malformed = mail_malformed_placeholder(o->subject);
	if (malformed) {
		cfg_bad(r, g, "subject",
			"\"%s\" is no placeholder: a placeholder is a name between {{ and }}, "
			"such as {{week}} or {{kpi:mqls}}, and a subject holds {{ and }} only "
			"around one (\"The message\" in docs/operations.md)",
			malformed);
		free(malformed);
		return -1;
	}
	char *unknown = mail_unknown_placeholder(o->subject);
	if (unknown) {
		cfg_bad(r, g, "subject",
			"unknown placeholder {{%s}} for a subject (it takes {{week}}, {{as_of}}, "
			"{{week_title}}, {{week_short}}, {{headline}}, {{kpi:mqls}} … : \"The "
			"message\" in docs/operations.md)",
			unknown);
		free(unknown);
		return -1;
	}
	double maxb = (double)o->max_bytes, retries = o->retries, timeout = (double)o->timeout_s;
	if (cfg_number(r, g, "max_bytes", &maxb, 10000, 1e12) ||
	    cfg_number(r, g, "retries", &retries, 0, 20) ||
	    cfg_number(r, g, "backoff", &o->backoff_s, 0, 3600) ||
	    cfg_number(r, g, "timeout", &timeout, 1, 3600))
		return -1;
	if (retries != floor(retries))
		return cfg_bad(r, g, "retries", "not a whole number");
	o->max_bytes = (int64_t)maxb;
	o->retries = (int)retries;
	o->timeout_s = (long)timeout;

	char *tls = cfg_value(r, g, "starttls");
	if (tls) {
		if (!strcmp(tls, "required"))
			o->starttls = NET_TLS_REQUIRED;
		else if (!strcmp(tls, "try"))
			o->starttls = NET_TLS_TRY;
		else if (!strcmp(tls, "never"))
			o->starttls = NET_TLS_NEVER;
		else {
			free(tls);
			return cfg_bad(r, g, "starttls", "not required, try or never");
		}
		free(tls);
	}
	if (o->smtp_url && strncmp(o->smtp_url, "smtp://", 7) != 0 &&
	    strncmp(o->smtp_url, "smtps://", 8) != 0)
		return cfg_bad(r, g, "smtp_url",
			       "must start with smtp:// (STARTTLS) or smtps:// (TLS)");
	char *why = o->smtp_url ? net_url_problem(o->smtp_url) : NULL;
	if (why) {
		int rc = cfg_bad(r, g, "smtp_url", "%s", why);
		free(why);
		return rc;
	}
	if (o->smtp_url) {
		if (!o->from)
			return cfg_bad(r, g, "smtp_url", "needs a from address");
		bool any = o->to || o->workbook_to || o->pdf_to || o->operator_addr;
		if (!any)
			return cfg_bad(
			    r, g, "smtp_url",
			    "needs recipients (to, workbook_to or pdf_to) or an operator");
	}
	if ((o->username_env == NULL) != (o->password_env == NULL))
		/* at the line of the one given: the other has no line */
		return cfg_bad(r, g, o->username_env ? "username_env" : "password_env",
			       "set without %s: SMTP credentials need both username_env and "
			       "password_env",
			       o->username_env ? "password_env" : "username_env");
	if (o->username_env && o->smtp_url && strncmp(o->smtp_url, "smtp://", 7) == 0 &&
	    o->starttls != NET_TLS_REQUIRED)
		return cfg_bad(
		    r, g, "starttls",
		    "credentials are never sent in the clear: use required (or smtps://)");
	return 0;
}

const char *email_name_of(const email_cfg *e, const char *address)
{
	return e && e->names && address ? g_hash_table_lookup(e->names, address) : NULL;
}

const char **email_names_of(const email_cfg *e, char *const *list)
{
	if (!list)
		return NULL;
	size_t n = g_strv_length((char **)list);
	const char **names = g_new0(const char *, n + 1);
	for (size_t i = 0; i < n; i++)
		names[i] = email_name_of(e, list[i]);
	return names;
}

bool email_mails_nobody(const run_config *c)
{
	const email_cfg *e = c->email;
	return e && !e->smtp_url && (e->to || e->workbook_to || e->pdf_to) && !c->no_email;
}

bool email_notifies_nobody(const run_config *c)
{
	const email_cfg *e = c->email;
	return e && e->operator_addr && !e->smtp_url && !c->no_email && !c->eml_path;
}

/* "FILE:LINE: [email] KEY" of the configuration, for a warning. Caller
 * frees. */
static char *email_key_at(const run_config *c, const char *key)
{
	if (!c->config_path)
		return xasprintf("[email] %s", key);
	return xasprintf("%s:%d: [email] %s", c->config_path,
			 cfg_line_of(c->config_path, "email", key), key);
}

void email_mails_nobody_warn(const run_config *c, const char *lead, const char *then)
{
	if (!email_mails_nobody(c))
		return;
	/* the recipient key the file names first: where a reader looks */
	static const char *const keys[] = {"to", "workbook_to", "pdf_to"};
	const email_cfg *e = c->email;
	char *const *lists[] = {e->to, e->workbook_to, e->pdf_to};
	const char *key = NULL;
	int first = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
		if (!lists[i])
			continue;
		int line = c->config_path ? cfg_line_of(c->config_path, "email", keys[i]) : 0;
		if (!key || (line > 0 && (first <= 0 || line < first))) {
			key = keys[i];
			first = line;
		}
	}
	char *at = email_key_at(c, key);
	fprintf(stderr, "mqlreport: %s%s names recipients but no smtp_url%s\n", lead, at, then);
	free(at);
}

void email_notice_nobody_warn(const run_config *c, const char *lead)
{
	if (!email_notifies_nobody(c))
		return;
	char *at = email_key_at(c, "operator");
	fprintf(stderr,
		"mqlreport: %s%s: %s is set, but no smtp_url: a failed run notifies nobody (set "
		"smtp_url to send the failure notices, or remove operator)\n",
		lead, at, c->email->operator_addr);
	free(at);
}

/* One report's lists, as the configuration names them. */
typedef struct report_lists {
	const char *what;    /* "the workbook", "the PDF" */
	const char *to, *cc; /* its keys: "workbook_to", "workbook_cc" */
	char *const *own_to; /* its own lists (NULL: unset) */
	char *const *own_cc;
} report_lists;

void email_lists_warn(const run_config *c)
{
	const email_cfg *e = c->email;
	if (!e || c->no_email)
		return;
	report_lists r[2] = {
	    {"the workbook", "workbook_to", "workbook_cc", e->workbook_to, e->workbook_cc},
	    {"the PDF", "pdf_to", "pdf_cc", e->pdf_to, e->pdf_cc},
	};
	/* a list that every report replaces with its own reaches nobody */
	const struct {
		const char *key, *own;
		bool set, replaced;
	} common[] = {
	    {"to", "workbook_to and pdf_to", e->to != NULL, e->workbook_to && e->pdf_to},
	    {"cc", "workbook_cc and pdf_cc", e->cc != NULL, e->workbook_cc && e->pdf_cc},
	};
	for (size_t i = 0; i < G_N_ELEMENTS(common); i++) {
		if (!common[i].set || !common[i].replaced)
			continue;
		char *at = email_key_at(c, common[i].key);
		fprintf(stderr,
			"mqlreport: warning: %s: goes to nobody: %s replace it for both reports; "
			"put its addresses in those lists, or remove it\n",
			at, common[i].own);
		free(at);
	}
	/* a report without a to list is not mailed: said when the group names
	 * recipients for the other report or copies for this one (without any
	 * list, e-mail serves the operator's notices alone) */
	for (int i = 0; i < 2; i++) {
		const report_lists *me = &r[i], *other = &r[1 - i];
		if (me->own_to || e->to)
			continue;
		const char *key = me->own_cc	  ? me->cc
				  : other->own_to ? other->to
				  : e->cc	  ? "cc"
				  : other->own_cc ? other->cc
						  : NULL;
		if (!key)
			continue;
		char *at = email_key_at(c, key);
		fprintf(
		    stderr,
		    "mqlreport: warning: %s: %s goes to nobody: neither %s nor to is set, and a "
		    "report is mailed only to its to list (copies go with it); add %s, or to "
		    "for every report without a list of its own\n",
		    at, me->what, me->to, me->to);
		free(at);
	}
}

int config_email(GKeyFile *kf, const char *path, run_config *c, mq_err *err)
{
	cfgfile r = {.kf = kf, .path = path, .err = err};
	if (!g_key_file_has_group(kf, "email"))
		return 0;
	if (!c->email)
		c->email = email_cfg_new();
	return read_email(&r, c->email);
}

int email_server(const email_cfg *o, mail_server *s, mq_err *err)
{
	*s = (mail_server){.url = o->smtp_url,
			   .tls = o->starttls,
			   .ca_file = o->ca_file,
			   .timeout_s = o->timeout_s,
			   .retries = o->retries,
			   .backoff_s = o->backoff_s};
	if (o->username_env) {
		s->user = getenv(o->username_env);
		s->password = getenv(o->password_env);
		if (!s->user || !*s->user || !s->password) {
			mq_err_set(err, MQ_CONFIG,
				   "e-mail: environment variable %s (named in [email]) is not set",
				   !s->user || !*s->user ? o->username_env : o->password_env);
			return -1;
		}
		/* a line break would end the AUTH command and start another */
		const char *bad = strpbrk(s->user, "\r\n")	 ? o->username_env
				  : strpbrk(s->password, "\r\n") ? o->password_env
								 : NULL;
		if (bad) {
			mq_err_set(err, MQ_CONFIG,
				   "e-mail: environment variable %s holds a line break (CR or LF); "
				   "a credential is one line",
				   bad);
			return -1;
		}
	}
	return 0;
}

/* [email] ca_file, when set: a file this user can open and read that
 * holds a PEM certificate, else the run would publish and then fail to
 * send anything, its failure notice included. Returns 0, or -1 with err (MQ_CONFIG naming the file,
 * the line and the setting). */
static int ca_file_check(const run_config *c, mq_err *err)
{
	const char *path = c->email->ca_file;
	if (!path)
		return 0;
	const char *why = cfg_file_unreadable(path);
	char *bad = why ? NULL : cfg_ca_not_pem(path);
	if (!why && !bad)
		return 0;
	char *at = email_key_at(c, "ca_file");
	if (why)
		mq_err_set(err, MQ_CONFIG,
			   "%s: %s cannot be read: %s; name the PEM file of the CA that signed the "
			   "SMTP server's certificate (a relative path is read from the "
			   "configuration's folder), or remove ca_file to trust the system's CAs",
			   at, path, why);
	else
		mq_err_set(err, MQ_CONFIG, "%s: %s", at, bad);
	free(bad);
	free(at);
	return -1;
}

int email_vars_check(const run_config *c, mq_err *err)
{
	const email_cfg *e = c->email;
	if (!e || !e->smtp_url || c->no_email || c->eml_path)
		return 0;
	if (ca_file_check(c, err) != 0)
		return -1;
	const char *why;
	if (e->username_env && (why = cfg_env_problem(e->username_env)))
		return cfg_env_unset(c->config_path, "email", "username_env", e->username_env, why,
				     err);
	if (e->password_env && (why = cfg_env_problem(e->password_env)))
		return cfg_env_unset(c->config_path, "email", "password_env", e->password_env, why,
				     err);
	return 0;
}
