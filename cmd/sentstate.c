/* sentstate.c — the record of the messages a server has accepted for a
 * week, <week's folder>/delivery.ini (see sentstate.h).
 *
 * It reads and writes that one file with GLib's key-file parser and
 * nothing else: it decides nothing about sending (deliver.c does) and must
 * never record a message the server has not accepted, nor write the file
 * other than atomically (a crash leaves the old state or the new one). */
#include "sentstate.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "afile.h"

#define STATE_FILE "delivery.ini"

struct sentstate {
	char *path;
	GKeyFile *kf;
};

sentstate *sentstate_open(const char *out_dir)
{
	sentstate *s = xcalloc(1, sizeof *s);
	s->path = g_build_filename(out_dir, STATE_FILE, NULL);
	s->kf = g_key_file_new();
	/* a missing or unreadable file: nothing was sent */
	g_key_file_load_from_file(s->kf, s->path, G_KEY_FILE_NONE, NULL);
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

bool sentstate_find(const sentstate *s, const char *key, sent_entry *e)
{
	char group[64];
	group_of(key, group, sizeof group);
	if (!g_key_file_has_group(s->kf, group))
		return false;
	if (e) {
		*e = (sent_entry){
		    .message_id = g_key_file_get_string(s->kf, group, "message_id", NULL),
		    .to = g_key_file_get_string(s->kf, group, "to", NULL),
		    .cc = g_key_file_get_string(s->kf, group, "cc", NULL),
		    .accepted_at = g_key_file_get_string(s->kf, group, "accepted_at", NULL),
		    .reply = (long)g_key_file_get_int64(s->kf, group, "reply", NULL),
		};
	}
	return true;
}

void sent_entry_clear(sent_entry *e)
{
	g_free(e->message_id);
	g_free(e->to);
	g_free(e->cc);
	g_free(e->accepted_at);
	*e = (sent_entry){0};
}

int sentstate_mark(sentstate *s, const char *key, const sent_entry *e, mq_err *err)
{
	char group[64];
	group_of(key, group, sizeof group);
	g_key_file_set_string(s->kf, group, "message_id", e->message_id);
	g_key_file_set_string(s->kf, group, "to", e->to);
	g_key_file_set_string(s->kf, group, "cc", e->cc);
	g_key_file_set_string(s->kf, group, "accepted_at", e->accepted_at);
	g_key_file_set_int64(s->kf, group, "reply", e->reply);
	gsize n = 0;
	gchar *data = g_key_file_to_data(s->kf, &n, NULL);
	int rc = atomic_write(s->path, data, n, err);
	g_free(data);
	return rc;
}
