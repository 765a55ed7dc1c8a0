/* engine.h — where the events live: the embedded data set (today's path) or
 * a ClickHouse cluster reached over its HTTP interface.
 *
 * The [engine] group of the configuration fills engine_cfg; cmd/ decides
 * which path a run takes. Everything under engine/ speaks to ClickHouse
 * through ch.h and never prints or decides an exit status. */
#ifndef MQL_ENGINE_H
#define MQL_ENGINE_H

#include <stdbool.h>

#include "base.h"
#include "dataset.h" /* SRC_COUNT */

enum engine_kind { ENGINE_EMBEDDED, ENGINE_CLICKHOUSE };

typedef struct engine_cfg {
	enum engine_kind kind;
	char *url;	    /* http(s)://host:8123/ of any node of the cluster */
	char *database;	    /* default "mqlreport" */
	char *user_env;	    /* env var holding the user name; NULL: "default" */
	char *password_env; /* env var holding the password; NULL: none */
	char *ca_file;	    /* extra CA bundle; NULL: the system's */
	bool allow_http;    /* plain http:// only when the config says so */
	long timeout_s;	    /* per request; default 3600 */
	int retries;	    /* transient failures; default 3 */
	long batch_rows;    /* rows per INSERT; default 100,000 */
	long chunk_leads;   /* leads per streamed chunk; default 50,000 */
	char **nodes;	    /* http(s) URL of every node holding a share, NULL-ended;
			     * NULL: url alone (where `load` drops unfinished attempts) */
	bool progress;	    /* progress on stderr (a terminal): rows sent, chunks read */
	/* per source, the IANA zone its times without an offset are read in
	 * ([source.*] timezone, else the report's), borrowed from the
	 * configuration: load records it, a run checks the loads' */
	const char *zone[SRC_COUNT];
	/* the report's currency code, borrowed (NULL: USD): a run counts the
	 * amounts a load took for thousands read as thousandths by its minor
	 * units (file_thousandths()), as loads before they did were not */
	const char *currency;
	/* per source, the ingest_settings_digest() of each of its configured
	 * files, space-separated (owned; NULL: none configured, any load
	 * goes): a run refuses loads read otherwise */
	char *settings[SRC_COUNT];
	/* per source, each configured file as a message names it ("li_b.csv
	 * ([source.spend.li_b])"), in the order of the digests of settings[s]
	 * (owned, NULL-ended; NULL when settings[s] is): a run names a
	 * configured file that no load read with its settings */
	char **files[SRC_COUNT];
} engine_cfg;

void engine_cfg_default(engine_cfg *c);
void engine_cfg_clear(engine_cfg *c);
/* The longest wait for a node's answer to a question asked to learn
 * whether it answers at all (docs/scale.md): a hung node is reported
 * after it, not after timeout_s. */
#define ENGINE_PROBE_S 15

/* c for the node at url (borrowed, as c's strings are), to ask whether it
 * answers: at most ENGINE_PROBE_S (timeout_s when smaller) and no retry,
 * so that a node that does not answer soon is reported rather than waited
 * for. */
engine_cfg engine_probe(const engine_cfg *c, const char *url);
/* "embedded" / "clickhouse". 0, or -1 when unknown. */
int engine_parse_kind(const char *s, enum engine_kind *out);

#endif
