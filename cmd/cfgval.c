/* cfgval.c — typed values of the INI configuration, each error naming the
 * file and line (see cfgval.h).
 *
 * Knows no section or key of its own: config.c, config_scoring.c and
 * config_ops.c decide what is valid where. */
#include "cfgval.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fetch.h"
#include "value.h"

int cfg_line_of(const char *path, const char *group, const char *key)
{
	FILE *fp = fopen(path, "r");
	if (!fp)
		return 0;
	char line[4096];
	int no = 0, found = 0, group_line = 0;
	bool in_group = false;
	while (fgets(line, sizeof line, fp)) {
		no++;
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s == '[') {
			char *end = strchr(s, ']');
			in_group = end && (size_t)(end - s - 1) == strlen(group) &&
				   strncmp(s + 1, group, (size_t)(end - s - 1)) == 0;
			if (in_group && !group_line)
				group_line = no;
			continue;
		}
		if (!in_group || !key || *s == '#' || *s == ';')
			continue;
		char *eq = strchr(s, '=');
		if (!eq)
			continue;
		char *e = eq;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - s) == strlen(key) && strncmp(s, key, (size_t)(e - s)) == 0) {
			found = no;
			break;
		}
	}
	fclose(fp);
	return found ? found : group_line;
}

int cfg_bad(const cfgfile *f, const char *group, const char *key, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	int line = cfg_line_of(f->path, group, key);
	if (key)
		mq_err_set(f->err, MQ_CONFIG, "%s:%d: [%s] %s: %s", f->path, line, group, key,
			   what);
	else
		mq_err_set(f->err, MQ_CONFIG, "%s:%d: [%s]: %s", f->path, line, group, what);
	return -1;
}

char *cfg_value(const cfgfile *f, const char *group, const char *key)
{
	char *v = g_key_file_get_string(f->kf, group, key, NULL);
	if (!v)
		return NULL;
	char *out = xstrdup(g_strstrip(v));
	g_free(v);
	return out;
}

bool cfg_parse_number(const char *s, double *out)
{
	char why[VAL_WHY];
	return s && val_number(s, -HUGE_VAL, HUGE_VAL, out, why);
}

int cfg_string(const cfgfile *f, const char *group, const char *key, char **dst)
{
	char *v = cfg_value(f, group, key);
	if (!v)
		return 0;
	if (strpbrk(v, "\r\n")) {
		free(v);
		return cfg_bad(f, group, key, "a line break is not allowed");
	}
	free(*dst);
	*dst = v;
	return 0;
}

int cfg_env_name(const cfgfile *f, const char *group, const char *key, char **dst)
{
	char *v = NULL;
	if (cfg_string(f, group, key, &v) != 0)
		return -1;
	if (!v)
		return 0;
	bool ok = *v && !g_ascii_isdigit(*v);
	for (const char *c = v; ok && *c; c++)
		ok = g_ascii_isalnum(*c) || *c == '_';
	if (!ok) {
		cfg_bad(f, group, key,
			"\"%s\" is not the name of an environment variable (letters, digits and _, "
			"not starting with a digit; a comment goes on a line of its own, "
			"starting with #)",
			v);
		free(v);
		return -1;
	}
	free(*dst);
	*dst = v;
	return 0;
}

/* The length of v's scheme when v begins like a URL ("s3://…": 2), else
 * 0: a letter, then letters, digits, "+", "-" or ".", then "://". */
static size_t url_scheme_len(const char *v)
{
	if (!g_ascii_isalpha(v[0]))
		return 0;
	size_t n = 1;
	while (g_ascii_isalnum(v[n]) || v[n] == '+' || v[n] == '-' || v[n] == '.')
		n++;
	return strncmp(v + n, "://", 3) == 0 ? n : 0;
}

int cfg_location(const cfgfile *f, const char *group, const char *key, char **dst)
{
	char *v = cfg_value(f, group, key);
	if (!v)
		return 0;
	size_t n = url_scheme_len(v);
	if (!n) {
		free(v);
		return cfg_path(f, group, key, dst);
	}
	for (size_t i = 0; i < n; i++) /* schemes are the same in any case */
		v[i] = g_ascii_tolower(v[i]);
	int rc = 0;
	const char *host = v + n + 3;
	if (!is_url(v))
		rc = cfg_bad(f, group, key,
			     "%.*s:// is not read: give an https:// URL or the path of a file%s",
			     (int)n, v,
			     strncmp(v, "file", n) == 0 && n == 4
				 ? " (a file:// URL's path alone, from its third slash)"
				 : " (copy the file here first, with the tool its store offers)");
	else if (!*host || strchr("/?#", *host))
		rc = cfg_bad(f, group, key,
			     "the URL names no server: write it as https://server/path (two "
			     "slashes after the colon, then the server's name)");
	if (rc == 0) {
		free(*dst);
		*dst = v;
		return 0;
	}
	free(v);
	return rc;
}

int cfg_path(const cfgfile *f, const char *group, const char *key, char **dst)
{
	char *v = cfg_value(f, group, key);
	if (!v)
		return 0;
	if (!v[0]) { /* else the configuration's own folder, which nobody means */
		free(v);
		return cfg_bad(f, group, key, "empty: name a path, or remove the line");
	}
	if (v[0] == '~') {
		/* a shell's home shorthand: read here, it would make a folder "~" */
		int rc =
		    cfg_bad(f, group, key,
			    "\"%s\": a path starting with ~ is not expanded here (only a shell "
			    "does that, and a service's home is not yours): write the whole "
			    "path, as /home/NAME/%s (or ./%s for a name that starts with ~)",
			    v, v[1] == '/' ? v + 2 : "…", v);
		free(v);
		return rc;
	}
	free(*dst);
	if (is_url(v) || g_path_is_absolute(v)) {
		*dst = v;
		return 0;
	}
	/* a configuration in the current folder: the path as written, which
	 * the messages then show as configured (data/leads.csv, not
	 * ./data/leads.csv) */
	char *dir = g_path_get_dirname(f->path);
	if (strcmp(dir, ".") == 0) {
		g_free(dir);
		*dst = v;
		return 0;
	}
	char *p = g_build_filename(dir, v, NULL);
	*dst = xstrdup(p);
	g_free(p);
	g_free(dir);
	free(v);
	return 0;
}

int cfg_number(const cfgfile *f, const char *group, const char *key, double *dst, double min,
	       double max)
{
	char *v = cfg_value(f, group, key);
	if (!v)
		return 0;
	char why[VAL_WHY];
	int rc = val_number(v, min, max, dst, why) ? 0 : cfg_bad(f, group, key, "%s", why);
	free(v);
	return rc;
}

/* A value that one of value.h's checks accepts, kept as written. */
static int cfg_checked(const cfgfile *f, const char *group, const char *key, char **dst,
		       bool (*ok)(const char *, char *))
{
	char *v = cfg_value(f, group, key);
	if (!v)
		return 0;
	char why[VAL_WHY];
	if (!ok(v, why)) {
		free(v);
		return cfg_bad(f, group, key, "%s", why);
	}
	free(*dst);
	*dst = v;
	return 0;
}

int cfg_timezone(const cfgfile *f, const char *group, const char *key, char **dst)
{
	return cfg_checked(f, group, key, dst, val_timezone);
}

int cfg_week(const cfgfile *f, const char *group, const char *key, char **dst)
{
	return cfg_checked(f, group, key, dst, val_week);
}

int cfg_currency(const cfgfile *f, const char *group, const char *key, char **dst)
{
	char *v = cfg_value(f, group, key);
	if (!v)
		return 0;
	char why[VAL_WHY], code[4];
	bool ok = val_currency(v, code, why);
	free(v);
	if (!ok)
		return cfg_bad(f, group, key, "%s", why);
	free(*dst);
	*dst = xstrdup(code);
	return 0;
}

int cfg_whole(const cfgfile *f, const char *group, const char *key, long *dst, long min, long max)
{
	double d = (double)*dst;
	if (cfg_number(f, group, key, &d, (double)min, (double)max) != 0)
		return -1;
	if (d != floor(d))
		return cfg_bad(f, group, key, "%g is not a whole number", d);
	*dst = (long)d;
	return 0;
}

int cfg_bool(const cfgfile *f, const char *group, const char *key, bool *dst)
{
	char *v = cfg_value(f, group, key);
	if (!v)
		return 0;
	int rc = 0;
	if (!g_ascii_strcasecmp(v, "true") || !g_ascii_strcasecmp(v, "yes") || !strcmp(v, "1"))
		*dst = true;
	else if (!g_ascii_strcasecmp(v, "false") || !g_ascii_strcasecmp(v, "no") || !strcmp(v, "0"))
		*dst = false;
	else
		rc = cfg_bad(f, group, key, "\"%.200s\" is not true or false", v);
	free(v);
	return rc;
}

int cfg_unknown_key(const cfgfile *f, const char *group, const char *key,
		    const char *const *const *lists)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	GString *all = g_string_new(NULL);
	for (const char *const *const *l = lists; *l; l++)
		for (const char *const *k = *l; *k; k++) {
			size_t d = mq_edit_distance(key, *k);
			if (d < best_d) {
				best_d = d;
				best = *k;
			}
			g_string_append_printf(all, "%s%s", all->len ? ", " : "", *k);
		}
	/* a typo is a letter or two off; a longer key may be three */
	size_t near = strlen(key) >= 12 ? 3 : 2;
	int rc =
	    best && best_d <= near
		? cfg_bad(f, group, key, "unknown key (did you mean %s?)", best)
		: cfg_bad(f, group, key, "unknown key (the keys of [%s]: %.300s)", group, all->str);
	g_string_free(all, TRUE);
	return rc;
}

int cfg_check_keys(const cfgfile *f, const char *group, const char *const *known)
{
	gsize n = 0;
	char **keys = g_key_file_get_keys(f->kf, group, &n, NULL);
	int rc = 0;
	for (gsize i = 0; keys && i < n && rc == 0; i++) {
		bool ok = false;
		for (const char *const *k = known; *k && !ok; k++)
			ok = strcmp(keys[i], *k) == 0;
		if (!ok) {
			const char *const *lists[] = {known, NULL};
			rc = cfg_unknown_key(f, group, keys[i], lists);
		}
	}
	g_strfreev(keys);
	return rc;
}

/* ---- the file's lines: what GKeyFile accepts silently ---- */

typedef struct scan {
	const char *path;
	mq_err *err;
	GHashTable *groups; /* name → first line */
	GHashTable *keys;   /* the current group's keys → first line */
	char *group;	    /* the current group; NULL before the first */
} scan;

static int scan_group(scan *sc, char *s, int no)
{
	char *end = strrchr(s, ']');
	if (!end)
		return 0; /* GKeyFile has refused the file already */
	*end = '\0';
	gpointer first = g_hash_table_lookup(sc->groups, s + 1);
	if (first) {
		mq_err_set(sc->err, MQ_CONFIG,
			   "%s:%d: [%s] appears twice (lines %d and %d): give each group once",
			   sc->path, no, s + 1, GPOINTER_TO_INT(first), no);
		return -1;
	}
	sc->group = g_strdup(s + 1);
	g_hash_table_insert(sc->groups, sc->group, GINT_TO_POINTER(no));
	g_hash_table_remove_all(sc->keys);
	return 0;
}

static int scan_key(scan *sc, char *s, int no)
{
	char *eq = strchr(s, '=');
	if (!eq || !sc->group)
		return 0;
	char *e = eq;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	char *key = g_strndup(s, (gsize)(e - s));
	gpointer first = g_hash_table_lookup(sc->keys, key);
	if (first) {
		mq_err_set(sc->err, MQ_CONFIG,
			   "%s:%d: [%s] %s is given twice (lines %d and %d): give each key once",
			   sc->path, no, sc->group, key, GPOINTER_TO_INT(first), no);
		g_free(key);
		return -1;
	}
	/* a header name of [columns.*] may hold a '#' ("# of Employees") */
	if (strchr(eq + 1, '#') && strncmp(sc->group, "columns.", 8) != 0) {
		mq_err_set(sc->err, MQ_CONFIG,
			   "%s:%d: [%s] %s: '#' inside a value (comments go on their own line)",
			   sc->path, no, sc->group, key);
		g_free(key);
		return -1;
	}
	g_hash_table_insert(sc->keys, key, GINT_TO_POINTER(no));
	return 0;
}

int cfg_scan(const char *path, mq_err *err)
{
	gchar *text = NULL;
	if (!g_file_get_contents(path, &text, NULL, NULL))
		return 0; /* whoever loads the file reports why it cannot */
	scan sc = {.path = path,
		   .err = err,
		   .groups = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL),
		   .keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL)};
	int no = 0, rc = 0;
	char *start = strncmp(text, "\xef\xbb\xbf", 3) == 0 ? text + 3 : text;
	for (char *line = start, *next; line && rc == 0; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		no++;
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		char *s = line;
		while (g_ascii_isspace(*s))
			s++;
		if (*s == ';') {
			mq_err_set(
			    err, MQ_CONFIG,
			    "%s:%d: \"%s\": a comment starts with #, not ; (put it on a line "
			    "of its own)",
			    path, no, s);
			rc = -1;
		} else if (*s == '[')
			rc = scan_group(&sc, s, no);
		else if (*s && *s != '#')
			rc = scan_key(&sc, s, no);
	}
	g_hash_table_destroy(sc.keys);
	g_hash_table_destroy(sc.groups);
	g_free(text);
	return rc;
}

/* The next line of the text at *at: its start in *line, its length
 * (without the line break) in *n; *at moves past it. False at the end. */
static bool take_line(const char **at, const char **line, size_t *n)
{
	if (!*at || !**at)
		return false;
	const char *next = strchr(*at, '\n');
	*line = *at;
	*n = next ? (size_t)(next - *at) : strlen(*at);
	*at = next ? next + 1 : NULL;
	return true;
}

/* The line of the key `key` (the text before its '=', trimmed), or 0;
 * *group (g_free) the [group] it is in, NULL before any. */
static int key_line(const char *text, const char *key, char **group)
{
	const char *line;
	size_t n;
	int no = 0;
	*group = NULL;
	for (const char *at = text; take_line(&at, &line, &n);) {
		no++;
		size_t i = 0;
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i < n && line[i] == '#')
			continue; /* a comment, brackets and all */
		const char *lb = memchr(line, '[', n),
			   *rb = lb ? memchr(lb, ']', n - (size_t)(lb - line)) : NULL;
		if (lb && rb && !memchr(line, '=', n)) {
			g_free(*group);
			*group = g_strndup(lb + 1, (size_t)(rb - lb - 1));
			continue;
		}
		const char *eq = memchr(line, '=', n);
		if (!eq)
			continue;
		const char *a = line, *b = eq;
		while (a < b && (*a == ' ' || *a == '\t'))
			a++;
		while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
			b--;
		if ((size_t)(b - a) == strlen(key) && !memcmp(a, key, (size_t)(b - a)))
			return no;
	}
	return 0;
}

/* The next line from *at with the blanks at both ends left out (CR
 * too): false past the last. */
static bool take_trimmed(const char **at, const char **s, size_t *n)
{
	const char *line;
	if (!take_line(at, &line, n))
		return false;
	while (*n && (line[*n - 1] == '\r' || line[*n - 1] == ' ' || line[*n - 1] == '\t'))
		(*n)--;
	while (*n && (*line == ' ' || *line == '\t'))
		line++, (*n)--;
	*s = line;
	return true;
}

/* The first line GKeyFile cannot take: neither blank, a # comment, a
 * [group] nor key = value; 0 when every line is one of those. */
static int bad_line(const char *text, char **shown)
{
	const char *s;
	size_t n;
	int no = 0;
	for (const char *at = text; take_trimmed(&at, &s, &n);) {
		no++;
		if (!n || s[0] == '#' || (s[0] == '[' && s[n - 1] == ']') ||
		    (s[0] != '[' && s[0] != ';' && memchr(s, '=', n)))
			continue;
		*shown = g_strndup(s, n);
		return no;
	}
	return 0;
}

/* The first key line before any [group] (its number, and the line in
 * *shown), or 0 when a group comes first. */
static int key_before_group(const char *text, char **shown)
{
	const char *s;
	size_t n;
	int no = 0;
	for (const char *at = text; take_trimmed(&at, &s, &n);) {
		no++;
		if (!n || s[0] == '#')
			continue;
		if (s[0] == '[')
			return 0;
		*shown = g_strndup(s, n);
		return no;
	}
	return 0;
}

int cfg_keyfile_load(GKeyFile *kf, const char *path, mq_err *err)
{
	gchar *text = NULL;
	gsize len = 0;
	GError *ge = NULL;
	if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
		mq_err_set(err, MQ_CONFIG,
			   "%s: is a folder, not a configuration file (--config takes the .ini "
			   "file; a folder of exports goes to --data)",
			   path);
		return -1;
	}
	if (!g_file_get_contents(path, &text, &len, &ge)) {
		mq_err_set(err, MQ_CONFIG, "%s: %s", path, ge->message);
		g_error_free(ge);
		return -1;
	}
	/* a byte-order mark, as Windows editors write, is not part of the text */
	size_t skip = len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
	int rc = 0;
	const gchar *bad = NULL;
	if (!g_utf8_validate(text + skip, (gssize)(len - skip), &bad)) {
		/* GLib would read such a value as absent, and the default would
		 * stand in for it without a word */
		int no = 1, col = 1;
		for (const char *c = text + skip; c < bad; c++) {
			if (*c == '\n') {
				no++;
				col = 1;
			} else if ((*c & 0xC0) != 0x80) {
				col++;
			}
		}
		if (*bad)
			mq_err_set(err, MQ_CONFIG,
				   "%s:%d:%d: the byte 0x%02X is not UTF-8 text: save the file as "
				   "UTF-8 (in most editors: Save with encoding, UTF-8)",
				   path, no, col, (unsigned char)*bad);
		else
			mq_err_set(err, MQ_CONFIG,
				   "%s:%d:%d: a NUL byte: a configuration file is text; save it as "
				   "UTF-8 text",
				   path, no, col);
		g_free(text);
		return -1;
	}
	if (!g_key_file_load_from_data(kf, text + skip, len - skip, G_KEY_FILE_NONE, &ge)) {
		char *shown = NULL;
		int no = bad_line(text + skip, &shown), first = 0;
		if (!no && g_error_matches(ge, G_KEY_FILE_ERROR, G_KEY_FILE_ERROR_GROUP_NOT_FOUND))
			first = key_before_group(text + skip, &shown);
		if (first)
			mq_err_set(err, MQ_CONFIG,
				   "%s:%d: \"%s\" comes before any [group]: every key belongs to "
				   "one (docs/configuration.md lists them; week, out and timezone "
				   "are [report]'s)",
				   path, first, shown);
		else if (no && shown[0] == ';')
			mq_err_set(
			    err, MQ_CONFIG,
			    "%s:%d: \"%s\": a comment starts with #, not ; (put it on a line "
			    "of its own)",
			    path, no, shown);
		else if (no)
			mq_err_set(err, MQ_CONFIG,
				   "%s:%d: \"%s\" is not a key = value line, a [group] or a # "
				   "comment",
				   path, no, shown);
		else if (g_str_has_prefix(ge->message, "Invalid key name: ")) {
			/* GLib names the key, not its line */
			const char *key = ge->message + 18;
			char *group = NULL;
			int at = key_line(text + skip, key, &group);
			if (at > 0 && g_str_has_prefix(group ? group : "", "aliases."))
				/* a vendor value written with brackets, as an alias */
				mq_err_set(err, MQ_CONFIG,
					   "%s:%d: \"%s\": a key cannot hold [ or ] (the format "
					   "reads them as a language tag), so a value written with "
					   "them cannot be mapped here: rename it in the export",
					   path, at, key);
			else if (at > 0)
				mq_err_set(err, MQ_CONFIG,
					   "%s:%d: \"%s\": a key cannot hold [ or ] (the format "
					   "reads them as a language tag): a typo?",
					   path, at, key);
			else
				mq_err_set(err, MQ_CONFIG, "%s: %s", path, ge->message);
			g_free(group);
		} else
			mq_err_set(err, MQ_CONFIG, "%s: %s", path, ge->message);
		g_free(shown);
		g_error_free(ge);
		rc = -1;
	}
	g_free(text);
	return rc;
}

const char *cfg_file_unreadable(const char *path)
{
	/* not blocking on a FIFO: a bundle is a file */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return strerror(errno);
	struct stat st;
	int e = fstat(fd, &st) != 0 ? errno : 0;
	close(fd);
	if (e)
		return strerror(e);
	return S_ISDIR(st.st_mode)    ? strerror(EISDIR)
	       : !S_ISREG(st.st_mode) ? "not a regular file"
				      : NULL;
}

/* The PEM labels of a certificate that OpenSSL reads from a CA bundle. */
static const char *const pem_marks[] = {
    "-----BEGIN CERTIFICATE-----",
    "-----BEGIN TRUSTED CERTIFICATE-----",
    "-----BEGIN X509 CERTIFICATE-----",
};

/* Whether fd reads to a PEM certificate's first line: 1 yes, 0 no, -1
 * a read failed (errno). Read a piece at a time, keeping the end of each
 * piece for a line cut in two, so a large bundle costs one buffer. */
static int reads_pem_mark(int fd)
{
	enum { KEEP = 40 }; /* longer than any mark */
	char buf[16384];
	size_t kept = 0;
	for (;;) {
		ssize_t n = read(fd, buf + kept, sizeof buf - kept);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		size_t len = kept + (size_t)n;
		for (size_t i = 0; i < G_N_ELEMENTS(pem_marks); i++)
			if (memmem(buf, len, pem_marks[i], strlen(pem_marks[i])))
				return 1;
		kept = len < KEEP ? len : KEEP;
		memmove(buf, buf + len - kept, kept);
	}
}

/* path as one word of a shell command: as it is when nothing in it needs
 * quoting, else single-quoted. Caller frees. */
static char *shell_word(const char *path)
{
	for (const char *p = path; *p; p++)
		if (!g_ascii_isalnum(*p) && !strchr("/._-+,:@%=", *p))
			return g_shell_quote(path);
	return xstrdup(path);
}

/* The name to convert the certificate at path into: its .der, .cer or
 * .crt ending made .pem, else .pem added (never path itself). Caller
 * frees. */
static char *pem_name(const char *path)
{
	static const char *const ends[] = {".der", ".cer", ".crt"};
	size_t n = strlen(path);
	for (size_t i = 0; i < G_N_ELEMENTS(ends); i++)
		if (n > 4 && g_ascii_strcasecmp(path + n - 4, ends[i]) == 0)
			return xasprintf("%.*s.pem", (int)(n - 4), path);
	if (n > 4 && g_ascii_strcasecmp(path + n - 4, ".pem") == 0)
		return xasprintf("%.*s-converted.pem", (int)(n - 4), path);
	return xasprintf("%s.pem", path);
}

char *cfg_ca_not_pem(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	int found = fd < 0 ? -1 : reads_pem_mark(fd);
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (found < 0)
		return xasprintf("%s cannot be read: %s", path, strerror(e));
	if (found > 0)
		return NULL;
	char *word = shell_word(path);
	char *pem = pem_name(path);
	char *pem_word = shell_word(pem);
	char *why = xasprintf(
	    "%s holds no PEM certificate (no line \"-----BEGIN CERTIFICATE-----\"), which the "
	    "TLS library needs: a DER (binary) certificate can be converted with `openssl x509 "
	    "-inform der -in %s -out %s`, then name %s here; otherwise name the PEM bundle "
	    "of the CA that signed the server's certificate",
	    path, word, pem_word, pem);
	free(pem_word);
	free(pem);
	free(word);
	return why;
}

int cfg_ca_file(const cfgfile *f, const char *group, const char *key, char **dst)
{
	if (cfg_path(f, group, key, dst) != 0)
		return -1;
	if (!g_key_file_has_key(f->kf, group, key, NULL))
		return 0;
	/* a bundle that cannot be read, or holds no certificate, fails every
	 * connection: said before any */
	const char *why = cfg_file_unreadable(*dst);
	if (why)
		return cfg_bad(f, group, key,
			       "%s: cannot be read: %s: name the bundle (PEM) of the private CA "
			       "that signed the server's certificate, or remove the line to trust "
			       "the system's",
			       *dst, why);
	char *bad = cfg_ca_not_pem(*dst);
	if (!bad)
		return 0;
	mq_err_set(f->err, MQ_CONFIG, "%s:%d: [%s] %s: %s", f->path,
		   cfg_line_of(f->path, group, key), group, key, bad);
	free(bad);
	return -1;
}

const char *cfg_env_problem(const char *var)
{
	const char *v = getenv(var);
	if (!v || !*v)
		return "is not set or empty";
	if (strpbrk(v, "\r\n"))
		return "holds a line break (CR or LF); a credential is one line";
	return NULL;
}

int cfg_env_unset(const char *config_path, const char *group, const char *key, const char *var,
		  const char *why, mq_err *err)
{
	if (config_path)
		mq_err_set(err, MQ_CONFIG, "%s:%d: [%s] %s: the environment variable %s %s",
			   config_path, cfg_line_of(config_path, group, key), group, key, var, why);
	else
		mq_err_set(err, MQ_CONFIG, "the environment variable %s %s", var, why);
	return -1;
}
