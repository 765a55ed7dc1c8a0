/* net_tls.h — how an smtp:// connection uses TLS, as the configuration says
 * it ([email] starttls). Kept apart from net.h so that the configuration
 * can name it without seeing libcurl. */
#ifndef MQL_NET_TLS_H
#define MQL_NET_TLS_H

enum net_tls {
	NET_TLS_REQUIRED, /* STARTTLS or nothing is sent (the default) */
	NET_TLS_TRY,	  /* STARTTLS when the server offers it */
	NET_TLS_NEVER,	  /* plain text */
};

#endif
