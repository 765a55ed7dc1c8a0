/* score_bench.c — what scoring adds to ingest.
 *
 *   score_bench DIR [AS_OF] [MAX_RATIO]
 *
 * Reads DIR/leads.csv, events.csv, spend.csv (and opportunities.csv when
 * present) the way `mqlreport --data DIR` does, timing the ingest; then
 * replays the default scoring model over every lead as of AS_OF (default
 * 2026-11-23T00:00:00Z), without decay and with a 30-day half-life, best of
 * three each. Prints the times and exits 1 when the default model's replay
 * takes more than MAX_RATIO (default 0.20) of the ingest time. */
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "load.h"
#include "score.h"
#include "timeparse.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double best_replay(const score_model *m, const dataset *ds, ts_ms as_of, lead_score *out,
			  size_t *mqls)
{
	double best = 1e300;
	for (int r = 0; r < 3; r++) {
		double t0 = now_s();
		score_replay(m, ds, as_of, out, NULL);
		double t = now_s() - t0;
		if (t < best)
			best = t;
	}
	*mqls = 0;
	for (size_t i = 0; i < ds->nleads; i++)
		*mqls += out[i].mql_at != TS_NONE;
	return best;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 4) {
		fprintf(stderr, "usage: score_bench DIR [AS_OF] [MAX_RATIO]\n");
		return 64;
	}
	const char *dir = argv[1];
	const char *as_of_s = argc > 2 ? argv[2] : "2026-11-23T00:00:00Z";
	double max_ratio = argc > 3 ? strtod(argv[3], NULL) : 0.20;
	ts_ms as_of;
	GTimeZone *utc = g_time_zone_new_utc();
	bool ok = ts_parse(as_of_s, strlen(as_of_s), utc, false, &as_of);
	g_time_zone_unref(utc);
	if (!ok) {
		fprintf(stderr, "score_bench: \"%s\" is not a timestamp\n", as_of_s);
		return 64;
	}

	ingest_cfg cfg;
	ingest_cfg_default(&cfg);
	static const char *const files[SRC_COUNT] = {"leads.csv", "events.csv", "spend.csv",
						     "opportunities.csv"};
	for (int s = 0; s < SRC_COUNT; s++) {
		char *p = g_build_filename(dir, files[s], NULL);
		if (s != SRC_OPPORTUNITIES || g_file_test(p, G_FILE_TEST_EXISTS))
			cfg.src[s].location = xstrdup(p);
		g_free(p);
	}

	dataset *ds = dataset_new();
	mq_err err = {0};
	double t0 = now_s();
	if (ingest_load(ds, &cfg, &err) != 0) {
		fprintf(stderr, "score_bench: %s\n", err.msg);
		return err.status;
	}
	double t_ingest = now_s() - t0;

	score_model m;
	score_model_default(&m);
	lead_score *out = xcalloc(ds->nleads ? ds->nleads : 1, sizeof *out);
	size_t mqls, mqls_decay;
	double t_plain = best_replay(&m, ds, as_of, out, &mqls);
	m.half_life_days = 30;
	double t_decay = best_replay(&m, ds, as_of, out, &mqls_decay);

	double ratio = t_plain / t_ingest;
	printf("leads %zu, events %zu\n", ds->nleads, ds->nevents);
	printf("ingest               %8.3f s\n", t_ingest);
	printf("replay, no decay     %8.3f s  (%.1f%% of ingest, %zu MQLs)\n", t_plain, 100 * ratio,
	       mqls);
	printf("replay, half-life 30 %8.3f s  (%.1f%% of ingest, %zu MQLs)\n", t_decay,
	       100 * t_decay / t_ingest, mqls_decay);
	printf("%s: the default model adds %.1f%% (limit %.0f%%)\n",
	       ratio <= max_ratio ? "PASS" : "FAIL", 100 * ratio, 100 * max_ratio);

	free(out);
	score_model_clear(&m);
	dataset_free(ds);
	ingest_cfg_clear(&cfg);
	return ratio <= max_ratio ? 0 : 1;
}
