/* qualify.c — `qualification`: which way the MQL threshold errs, from the
 * last 13 weeks (an extension of metrics.json, docs/metrics.md): the share
 * of reviewed MQLs that sales rejected (too loose lets unready leads
 * through), the share of SQLs that were never MQLs (too strict misses
 * ready ones) and the threshold sweep's candidate that would do better.
 *
 * It reads finished tables of the tree only: no lead, no I/O. */
#include "qualify.h"

#include <math.h>

#include "score.h"

/* Above these shares a side counts as a signal. */
#define REJECTED_MAX 0.25
#define NEVER_MAX    0.20
/* A higher threshold may lose this much of the SQLs' capture; a lower one
 * must gain at least this much. */
#define CAPTURE_STEP 0.05
#define EPS	     1e-9 /* a share exactly on the step counts */

typedef struct sweep_row {
	double threshold, sql_rate, capture;
} sweep_row;

static bool row_of(const mval *r, sweep_row *out)
{
	out->threshold = mv_num_of(mv_get(r, "threshold"));
	out->sql_rate = mv_num_of(mv_get(r, "sql_rate"));
	out->capture = mv_num_of(mv_get(r, "sql_capture_rate"));
	return !isnan(out->threshold) && !isnan(out->sql_rate) && !isnan(out->capture);
}

/* The sweep's row at the threshold t, when it has one. */
static bool current_row(const mval *sweep, double t, sweep_row *cur)
{
	for (size_t i = 0; i < mv_len(sweep); i++)
		if (row_of(mv_at(sweep, i), cur) && cur->threshold == t)
			return true;
	return false;
}

/* The sweep's candidate: too loose, the highest threshold above the
 * current one that keeps the capture within CAPTURE_STEP and raises the
 * SQL rate; too strict, the highest below it that gains at least
 * CAPTURE_STEP of the SQLs' capture. */
static bool candidate(const mval *sweep, const sweep_row *cur, bool loose, sweep_row *best)
{
	bool found = false;
	sweep_row r;
	for (size_t i = 0; i < mv_len(sweep); i++) {
		if (!row_of(mv_at(sweep, i), &r))
			continue;
		bool better = loose ? r.threshold > cur->threshold &&
					  r.capture >= cur->capture - CAPTURE_STEP - EPS &&
					  r.sql_rate > cur->sql_rate
				    : r.threshold < cur->threshold &&
					  r.capture >= cur->capture + CAPTURE_STEP - EPS;
		if (better && (!found || r.threshold > best->threshold)) {
			*best = r;
			found = true;
		}
	}
	return found;
}

static mval *num_or_null(double v, mv_fmt f)
{
	return isnan(v) ? mv_null() : mv_num(v, f);
}

/* A threshold of the score, v: a whole one as a whole number, as the sweep
 * gives its thresholds ("60", where a reader of the workbook saw "60.0"
 * beside the "60" of the settings, the sweep and the PDF); null for NaN. */
static mval *threshold_or_null(double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 1e15)
		return mv_int((int64_t)v, MF_SCORE);
	return num_or_null(v, MF_SCORE);
}

mval *qualification_table(const mval *root, const metrics_params *p, bool leads_have_mql)
{
	const mval *w = mv_path(root, "windows.13w"), *sweep = mv_get(root, "threshold_sweep");
	double accept = mv_num_of(mv_get(w, "sales_acceptance_rate"));
	double rejected = isnan(accept) ? NAN : 1 - accept;
	double never = mv_num_of(mv_get(w, "sql_without_mql_rate"));
	double t = p->model ? p->model->threshold : NAN;
	/* a side is judged on at least low_sample_min cases, as a channel's rate
	 * is (REPORTS.md: a rate from a small sample is not acted on): the
	 * rejected share on the MQLs sales reviewed (accepted or rejected: not
	 * the pending), the never-MQL share on the SQLs */
	double reviewed = mv_num_of(mv_get(w, "mqls")) - mv_num_of(mv_get(w, "sales_pending"));
	double sqls = mv_num_of(mv_get(w, "sqls"));
	bool judge_loose = !isnan(rejected) && reviewed >= p->low_sample_min;
	bool judge_strict = !isnan(never) && sqls >= p->low_sample_min;
	bool loose = judge_loose && rejected > REJECTED_MAX;
	bool strict = judge_strict && never > NEVER_MAX;
	const char *lean = isnan(rejected) && isnan(never) ? NULL
			   : !judge_loose && !judge_strict ? "too_few"
			   : loose && strict		   ? "mixed"
			   : loose			   ? "loose"
			   : strict			   ? "strict"
							   : "balanced";
	sweep_row cur = {NAN, NAN, NAN}, cand = {NAN, NAN, NAN};
	bool have = current_row(sweep, t, &cur);
	if (have && loose != strict && !candidate(sweep, &cur, loose, &cand))
		cand = (sweep_row){NAN, NAN, NAN};
	mval *o = mv_obj();
	mv_set(o, "rejected_share", num_or_null(rejected, MF_RATE));
	mv_set(o, "sql_without_mql_rate", num_or_null(never, MF_RATE));
	mv_set(o, "threshold", threshold_or_null(t));
	mv_set(o, "sql_rate", num_or_null(cur.sql_rate, MF_RATE));
	mv_set(o, "sql_capture_rate", num_or_null(cur.capture, MF_RATE));
	mv_set(o, "lean", lean ? mv_str(lean) : mv_null());
	mv_set(o, "reviewed_mqls_13w", mv_int(isnan(reviewed) ? 0 : (int64_t)reviewed, MF_COUNT));
	mv_set(o, "sqls_13w", mv_int(isnan(sqls) ? 0 : (int64_t)sqls, MF_COUNT));
	mv_set(o, "low_sample_min", mv_int(p->low_sample_min, MF_COUNT));
	mv_set(o, "rejected_judged", mv_bool(judge_loose));
	mv_set(o, "never_judged", mv_bool(judge_strict));
	mv_set(o, "candidate_threshold", threshold_or_null(cand.threshold));
	mv_set(o, "candidate_sql_rate", num_or_null(cand.sql_rate, MF_RATE));
	mv_set(o, "candidate_sql_capture_rate", num_or_null(cand.capture, MF_RATE));
	mv_set(o, "mql_source", mv_str(metrics_mql_source_name(p->mql_source, leads_have_mql)));
	return o;
}
