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

int connect_smtp(const run_config *cfg, mq_err *err)
{
	const email_cfg *o = cfg->email;
	if (!o || !o->smtp_url || cfg->no_email) /* --no-email: no SMTP at all */
		return 0;
	mail_server srv;
	if (email_server(o, &srv, err) != 0 || mail_probe(&srv, err) != 0)
		return -1;
	char *shown = fetch_url_for_log(o->smtp_url);
	printf("connect: %s: OK (the server accepted %sNOOP)\n", shown,
	       srv.user ? "the credentials and " : "");
	free(shown);
	return 0;
}
