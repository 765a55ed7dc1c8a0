/* sentstate.c — the record of the messages a server has accepted for a
 * week, <week's folder>/delivery.ini (see sentstate.h).
 *
 * It reads and writes that one file with GLib's key-file parser and
 * nothing else: it decides nothing about sending (deliver.c does) and must
 * never record a message the server has not accepted, nor write the file
 * other than atomically (a crash leaves the old state or the new one), nor
 * take a file it cannot read for "nothing sent". */
#include "sentstate.h"

#include <errno.h>
#include <fcntl.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"

#define STATE_FILE "delivery.ini"

struct sentstate {
	char *path;
	GKeyFile *kf;
};

/* The whole state file into a new string (*len bytes): 1 read, 0 there is
 * none, -1 it cannot be read (err). A link is not followed, a FIFO or a
 * device is not opened for reading. */
static int read_state(const char *path, char **data, size_t *len, mq_err *err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 && errno == ENOENT)
		return 0;
	const char *why = NULL;
	if (fd < 0)
		why = errno == ELOOP ? "it is a symbolic link, which is not followed"
				     : strerror(errno);
	else if (fstat(fd, &st) != 0)
		why = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		why = "it is not a regular file";
	GString *buf = g_string_new(NULL);
	char chunk[8192];
	while (!why) {
		ssize_t n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			why = strerror(errno);
		else if (n == 0)
			break;
		else
			g_string_append_len(buf, chunk, n);
	}
	if (fd >= 0)
		close(fd);
	if (why) {
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: cannot read the week's sent-state (%s); nothing sent: repair or "
			   "remove it (removed, the week counts as not sent)",
			   path, why);
		g_string_free(buf, TRUE);
		return -1;
	}
	*len = buf->len;
	*data = g_string_free(buf, FALSE);
	return 1;
}

sentstate *sentstate_open(const char *out_dir, mq_err *err)
{
	sentstate *s = xcalloc(1, sizeof *s);
	s->path = g_build_filename(out_dir, STATE_FILE, NULL);
	s->kf = g_key_file_new();
	char *data = NULL;
	size_t len = 0;
	int r = read_state(s->path, &data, &len, err);
	GError *ge = NULL;
	/* only a missing file means nothing was sent */
	if (r > 0 && !g_key_file_load_from_data(s->kf, data, len, G_KEY_FILE_NONE, &ge)) {
		mq_err_set(err, MQ_CONFIG,
			   "%s: not a valid sent-state (%s); nothing sent: repair or remove it "
			   "(removed, the week counts as not sent)",
			   s->path, ge->message);
		g_error_free(ge);
		r = -1;
	}
	g_free(data);
	if (r < 0) {
		sentstate_free(s);
		return NULL;
	}
	return s;
}

void sentstate_free(sentstate *s)
{
	if (!s)
		return;
	g_key_file_free(s->kf);
	g_free(s->path);
	free(s);
}

/* "message workbook+pdf" */
static void group_of(const char *key, char *buf, size_t n)
{
	snprintf(buf, n, "message %s", key);
}

/* The week an entry reported: its own key, or the one its Message-ID
 * names ("<mqlreport.2026-W47.workbook-pdf.…>"); NULL when neither says. */
static char *entry_week(GKeyFile *kf, const char *group)
{
	char *week = g_key_file_get_string(kf, group, "week", NULL);
	if (week)
		return week;
	char *id = g_key_file_get_string(kf, group, "message_id", NULL);
	const char *p =
	    id && g_str_has_prefix(id, "<mqlreport.") ? id + strlen("<mqlreport.") : NULL;
	const char *dot = p ? strchr(p, '.') : NULL;
	week = dot ? g_strndup(p, (gsize)(dot - p)) : NULL;
	g_free(id);
	return week;
}

bool sentstate_find(const sentstate *s, const char *key, const char *week, sent_entry *e)
{
	char group[64];
	group_of(key, group, sizeof group);
	if (!g_key_file_has_group(s->kf, group))
		return false;
	char *was = entry_week(s->kf, group);
	bool other = was && week && strcmp(was, week) != 0;
	if (other) {
		g_free(was);
		return false;
	}
	if (e) {
		*e = (sent_entry){
		    .week = was,
		    .message_id = g_key_file_get_string(s->kf, group, "message_id", NULL),
		    .to = g_key_file_get_string(s->kf, group, "to", NULL),
		    .cc = g_key_file_get_string(s->kf, group, "cc", NULL),
		    .accepted_at = g_key_file_get_string(s->kf, group, "accepted_at", NULL),
		    .reply = (long)g_key_file_get_int64(s->kf, group, "reply", NULL),
		    .reply_text = g_key_file_get_string(s->kf, group, "reply_text", NULL),
		    .figures = g_key_file_get_string(s->kf, group, "figures", NULL),
		    /* absent (a file of before the key): the complete week */
		    .partial = g_key_file_get_boolean(s->kf, group, "partial", NULL),
		    .counts_until = g_key_file_get_string(s->kf, group, "counts_until", NULL),
		};
	} else {
		g_free(was);
	}
	return true;
}

void sent_entry_clear(sent_entry *e)
{
	g_free(e->week);
	g_free(e->message_id);
	g_free(e->to);
	g_free(e->cc);
	g_free(e->accepted_at);
	g_free(e->figures);
	g_free(e->reply_text);
	g_free(e->counts_until);
	*e = (sent_entry){0};
}

int sentstate_mark(sentstate *s, const char *key, const sent_entry *e, mq_err *err)
{
	char group[64];
	group_of(key, group, sizeof group);
	g_key_file_remove_group(s->kf, group, NULL); /* another week's, or a resent copy's */
	if (e->week)
		g_key_file_set_string(s->kf, group, "week", e->week);
	g_key_file_set_string(s->kf, group, "message_id", e->message_id);
	g_key_file_set_string(s->kf, group, "to", e->to);
	g_key_file_set_string(s->kf, group, "cc", e->cc);
	g_key_file_set_string(s->kf, group, "accepted_at", e->accepted_at);
	g_key_file_set_int64(s->kf, group, "reply", e->reply);
	if (e->reply_text && e->reply_text[0])
		g_key_file_set_string(s->kf, group, "reply_text", e->reply_text);
	if (e->figures)
		g_key_file_set_string(s->kf, group, "figures", e->figures);
	if (e->partial) {
		g_key_file_set_boolean(s->kf, group, "partial", TRUE);
		if (e->counts_until && e->counts_until[0])
			g_key_file_set_string(s->kf, group, "counts_until", e->counts_until);
	}
	gsize n = 0;
	gchar *data = g_key_file_to_data(s->kf, &n, NULL);
	int rc = atomic_write(s->path, data, n, err);
	g_free(data);
	return rc;
}
