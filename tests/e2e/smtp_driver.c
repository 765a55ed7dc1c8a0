/* smtp_driver — mail_send() from the command line, for test_smtp_upload.py.
 *
 *   smtp_driver URL BYTES TIMEOUT [RETRIES]
 *
 * Sends a plain message of BYTES bytes (lines of 78) from
 * reports@example.com to ceo@example.com, without TLS or credentials,
 * [email] timeout being TIMEOUT seconds, with RETRIES retries (0 unless
 * given) a tenth of a second apart. Prints the server's reply
 * and exits 0, or prints the error and exits with its status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp.h"

/* A message of len bytes: a subject, then lines of letters. Caller frees. */
static char *message(size_t len)
{
	static const char head[] = "Subject: a large message\r\n\r\n";
	char *m = malloc(len);
	if (!m || len < sizeof head)
		exit(64);
	memcpy(m, head, sizeof head - 1);
	for (size_t i = sizeof head - 1; i < len; i++)
		m[i] = i % 78 == 76 ? '\r' : i % 78 == 77 ? '\n' : (char)('a' + i % 26);
	return m;
}

int main(int argc, char **argv)
{
	if (argc != 4 && argc != 5) {
		fprintf(stderr, "usage: smtp_driver URL BYTES TIMEOUT [RETRIES]\n");
		return 64;
	}
	size_t len = strtoul(argv[2], NULL, 10);
	char *msg = message(len);
	mail_server s = {.url = argv[1],
			 .tls = NET_TLS_NEVER,
			 .timeout_s = atol(argv[3]),
			 .retries = argc == 5 ? atoi(argv[4]) : 0,
			 .backoff_s = 0.1};
	const char *rcpt[] = {"ceo@example.com", NULL};
	mail_reply reply = {0};
	mq_err err = {0};
	int rc = mail_send(&s, "reports@example.com", rcpt, msg, len, &reply, &err);
	free(msg);
	if (rc != 0) {
		fprintf(stderr, "mqlreport: %s\n", err.msg);
		return err.status;
	}
	printf("accepted: %s\n", reply.text);
	return 0;
}
