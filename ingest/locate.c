/* locate.c — the newest export matching a glob (see locate.h): the files
 * of one folder, their names matched by the shell's rules, ordered
 * by the date written in the name, else by modification time. It must not
 * open or read the files it compares: the loader reads the one chosen. */
#include "locate.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <glib.h>

#include "fetch.h"

bool locate_is_glob(const char *location)
{
	if (!location || is_url(location))
		return false;
	const char *base = strrchr(location, '/');
	return strpbrk(base ? base + 1 : location, "*?[") != NULL;
}

static bool digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

static bool plausible(long y, long m, long d)
{
	return y >= 1990 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* The date in a file name as YYYYMMDD, or 0: the last YYYY-MM-DD or
 * YYYYMMDD run that is a plausible date (and is not part of a longer run
 * of digits). */
static long name_date(const char *name)
{
	long best = 0;
	size_t n = strlen(name);
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && isdigit((unsigned char)name[i - 1]))
			continue;
		const char *s = name + i;
		long y, m, d;
		if (n - i >= 10 && digits(s, 4) && s[4] == '-' && digits(s + 5, 2) && s[7] == '-' &&
		    digits(s + 8, 2) && (n - i == 10 || !isdigit((unsigned char)s[10]))) {
			y = strtol(s, NULL, 10), m = strtol(s + 5, NULL, 10),
			d = strtol(s + 8, NULL, 10);
		} else if (n - i >= 8 && digits(s, 8) &&
			   (n - i == 8 || !isdigit((unsigned char)s[8]))) {
			char b[9];
			memcpy(b, s, 8);
			b[8] = 0;
			long v = strtol(b, NULL, 10);
			y = v / 10000, m = v / 100 % 100, d = v % 100;
		} else {
			continue;
		}
		if (plausible(y, m, d))
			best = y * 10000 + m * 100 + d;
	}
	return best;
}

typedef struct match {
	char *path;
	long date;
	int64_t mtime_ns;
} match;

/* a newer than b: positive; older: negative. */
static int newer(const match *a, const match *b, bool by_date)
{
	if (by_date && a->date != b->date)
		return a->date > b->date ? 1 : -1;
	if (a->mtime_ns != b->mtime_ns)
		return a->mtime_ns > b->mtime_ns ? 1 : -1;
	return strcmp(a->path, b->path);
}

/* Whether the character class at p ("[a-c]", "[!0-9]") holds c; *end
 * gets the byte after its "]". false with *end = NULL when p opens no
 * class (no "]"): the "[" is then a letter of the name. */
static bool class_holds(const char *p, gunichar c, const char **end)
{
	const char *q = p + 1;
	bool negate = *q == '!' || *q == '^';
	if (negate)
		q++;
	bool found = false, first = true;
	while (*q && (*q != ']' || first)) {
		gunichar lo = g_utf8_get_char(q), hi = lo;
		q = g_utf8_next_char(q);
		if (q[0] == '-' && q[1] && q[1] != ']') {
			hi = g_utf8_get_char(q + 1);
			q = g_utf8_next_char(q + 1);
		}
		found = found || (c >= lo && c <= hi);
		first = false;
	}
	*end = *q == ']' ? q + 1 : NULL;
	return *end && found != negate;
}

/* Whether s matches the glob p as the shell matches a file name: `*` any
 * run of characters, `?` one character (of UTF-8, whatever the locale),
 * `[…]` one of a class. Both are valid UTF-8. */
static bool glob_match(const char *p, const char *s)
{
	while (*p) {
		if (*p == '*') {
			while (*p == '*')
				p++;
			for (;; s = g_utf8_next_char(s)) {
				if (glob_match(p, s))
					return true;
				if (!*s)
					return false;
			}
		}
		if (!*s)
			return false;
		if (*p == '?') {
			p++;
			s = g_utf8_next_char(s);
			continue;
		}
		if (*p == '[') {
			const char *end;
			bool in = class_holds(p, g_utf8_get_char(s), &end);
			if (end) {
				if (!in)
					return false;
				p = end;
				s = g_utf8_next_char(s);
				continue;
			}
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return !*s;
}

/* A file name the pattern takes: by the glob, or written out (a name
 * holding "[", which GLib's patterns used to take as a letter). */
static bool name_matches(const char *glob, const char *name)
{
	if (strcmp(glob, name) == 0)
		return true;
	if (name[0] == '.' && glob[0] != '.')
		return false;
	return g_utf8_validate(name, -1, NULL) && glob_match(glob, name);
}

char *locate_newest(const char *pattern, int *nmatch, mq_err *err)
{
	char *dir = g_path_get_dirname(pattern);
	char *glob = g_path_get_basename(pattern);
	bool here = !strchr(pattern, '/');
	GDir *d = g_dir_open(dir, 0, NULL);
	GArray *all = g_array_new(FALSE, FALSE, sizeof(match));
	bool all_dated = true;
	const char *name;
	while (d && (name = g_dir_read_name(d))) {
		if (!name_matches(glob, name))
			continue;
		char *path = here ? g_strdup(name) : g_build_filename(dir, name, NULL);
		struct stat sb;
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
			g_free(path);
			continue;
		}
		match m = {path, name_date(name),
			   (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec};
		all_dated = all_dated && m.date;
		g_array_append_val(all, m);
	}
	char *out = NULL;
	const match *best = NULL;
	for (guint i = 0; i < all->len; i++) {
		const match *m = &g_array_index(all, match, i);
		if (!best || newer(m, best, all_dated) > 0)
			best = m;
	}
	if (best)
		out = xstrdup(best->path);
	else
		mq_err_set(err, MQ_NOINPUT, "%s: no file matches the pattern%s", pattern,
			   d ? "" : " (its folder cannot be read)");
	if (nmatch)
		*nmatch = (int)all->len;
	for (guint i = 0; i < all->len; i++)
		g_free(g_array_index(all, match, i).path);
	g_array_free(all, TRUE);
	if (d)
		g_dir_close(d);
	g_free(glob);
	g_free(dir);
	return out;
}
