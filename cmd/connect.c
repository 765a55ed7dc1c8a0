/* connect.c — `mqlreport check --connect` (see connect.h): a one-byte probe
 * of each HTTPS source (ingest's fetch_probe) and an SMTP session without a
 * message (deliver's mail_probe), one line printed per server.
 *
 * It proves reachability and credentials only: it must not download an
 * export, send a message or write a file, and it never prints a secret.
 * The libcurl work is fetch's and delivery's, on the network layer. */
#include "connect.h"

#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "config_email.h"
#include "fetch.h"
#include "smtp.h"

int connect_sources(const run_config *cfg, mq_err *err)
{
	for (int s = 0; s < SRC_COUNT; s++) {
		const source_cfg *sc = &cfg->in.src[s];
		if (!is_url(sc->location))
			continue;
		long status = 0;
		if (fetch_probe(sc->location, &sc->fetch, &status, err) != 0)
			return -1;
		char *shown = fetch_url_for_log(sc->location);
		printf("connect: %s: OK (HTTP %ld)\n", shown, status);
		free(shown);
	}
	return 0;
}

/* Every address a run may send to: the reports' recipients and the
 * operator's. The strings stay o's; free the vector only. */
static const char **every_recipient(const email_cfg *o)
{
	GPtrArray *all = g_ptr_array_new();
	char **const lists[] = {o->to, o->cc, o->workbook_to, o->workbook_cc, o->pdf_to, o->pdf_cc};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
		for (char **a = lists[i]; a && *a; a++)
			g_ptr_array_add(all, *a);
	if (o->operator_addr)
		g_ptr_array_add(all, o->operator_addr);
	g_ptr_array_add(all, NULL);
	return (const char **)g_ptr_array_free(all, FALSE);
}

int connect_smtp(const run_config *cfg, mq_err *err)
{
	const email_cfg *o = cfg->email;
	if (!o || !o->smtp_url || cfg->no_email) /* --no-email: no SMTP at all */
		return 0;
	mail_server srv;
	if (email_server(o, &srv, err) != 0)
		return -1;
	const char **rcpt = every_recipient(o);
	int rc = mail_probe(&srv, o->from, rcpt, err);
	g_free(rcpt);
	if (rc != 0)
		return -1;
	char *shown = fetch_url_for_log(o->smtp_url);
	printf("connect: %s: OK (the server accepted %sNOOP)\n", shown,
	       srv.user ? "the credentials and " : "");
	free(shown);
	return 0;
}
