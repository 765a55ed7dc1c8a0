/* command.c — the `gen` command: its options, their checks, the run and
 * the one-line summary.
 *
 * The command's interface (options, messages, exit statuses, --help text) is
 * what users and tests see: keep it stable. This file must not generate
 * anything itself (run.c does). */
#include "gen.h"

#include <errno.h>
#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen_run.h"
#include "optonce.h"
#include "optpath.h"
#include "stop.h"
#include "timeparse.h"

/* The options as given, NULL when absent. */
typedef struct gen_opts {
	char *leads, *seed, *out, *weeks, *end_week, *bad, *order, *ids, *vendor;
	gboolean help, version, force;
} gen_opts;

static int gen_fail(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int gen_fail(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mqlreport: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputs("\n", stderr);
	va_end(ap);
	if (status == MQ_USAGE)
		fputs("Try 'mqlreport gen --help'.\n", stderr);
	return status;
}

/* A whole number in [min, max] given to --name. */
static bool parse_count(const char *name, const char *text, uint64_t min, uint64_t max,
			uint64_t *out)
{
	if (!text)
		return true;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (!g_ascii_isdigit(text[0]) || *end || errno || v < min || v > max) {
		gen_fail(MQ_USAGE,
			 "gen: --%s: expected a whole number from %llu to %llu, got \"%s\"", name,
			 (unsigned long long)min, (unsigned long long)max, text);
		return false;
	}
	*out = v;
	return true;
}

/* gen's options into entries (GEN_ENTRIES of them, the last all zeros). */
enum { GEN_ENTRIES = 13 };
static void options_entries(gen_opts *o, GOptionEntry entries[GEN_ENTRIES])
{
	const GOptionEntry e[GEN_ENTRIES] = {
	    {"leads", 0, 0, G_OPTION_ARG_STRING, &o->leads,
	     "Number of leads to generate (required)", "N"},
	    {"seed", 0, 0, G_OPTION_ARG_STRING, &o->seed,
	     "Seed of the generator; the same seed gives the same bytes (required)", "S"},
	    {"out", 0, 0, G_OPTION_ARG_FILENAME, &o->out,
	     "Folder to write the four CSV files into, created when missing; files of the same "
	     "names already there are kept unless --force (required)",
	     "DIR"},
	    {"force", 0, 0, G_OPTION_ARG_NONE, &o->force,
	     "Replace the files of the same names in --out (a real export there is lost)", NULL},
	    {"weeks", 0, 0, G_OPTION_ARG_STRING, &o->weeks, "Weeks of history (default 26)", "W"},
	    {"end-week", 0, 0, G_OPTION_ARG_STRING, &o->end_week,
	     "Last generated ISO week (default: the last complete week in UTC)", "2026-W47"},
	    {"bad-rows", 0, 0, G_OPTION_ARG_STRING, &o->bad,
	     "Add K rows of each kind of defect (default 0)", "K"},
	    {"events-order", 0, 0, G_OPTION_ARG_STRING, &o->order,
	     "Order of events.csv: lead (each lead's events together, the default), time, or "
	     "random (a seeded shuffle)",
	     "lead|time|random"},
	    {"id-style", 0, 0, G_OPTION_ARG_STRING, &o->ids,
	     "Lead ids: prefixed (L0000042, the default), numeric (HubSpot-like Record IDs) or "
	     "salesforce (18-character ids)",
	     "prefixed|numeric|salesforce"},
	    {"vendor", 0, 0, G_OPTION_ARG_STRING, &o->vendor,
	     "Write the leads (and HubSpot's deals, Salesforce's opportunities, Marketo's "
	     "activities) as that vendor exports them; ids default to its style",
	     "hubspot|salesforce|marketo"},
	    {"help", 'h', 0, G_OPTION_ARG_NONE, &o->help, "Show this help", NULL},
	    {"version", 'V', 0, G_OPTION_ARG_NONE, &o->version, "Print the version and exit", NULL},
	    {NULL, 0, 0, 0, NULL, NULL, NULL},
	};
	memcpy(entries, e, sizeof e);
}

static GOptionContext *options_context(const GOptionEntry *entries)
{
	g_set_prgname("mqlreport gen");
	GOptionContext *octx = g_option_context_new("- write sample exports");
	g_option_context_set_help_enabled(octx, FALSE);
	g_option_context_add_main_entries(octx, entries, NULL);
	g_option_context_set_summary(
	    octx, "Writes leads.csv, events.csv, spend.csv and opportunities.csv with canonical\n"
		  "headers: a simulated B2B funnel over the weeks ending with --end-week. The\n"
		  "files hold nothing stamped at or after the end of that week, except the\n"
		  "expected close dates of open deals. With --vendor, the files are named and\n"
		  "laid out as that vendor exports them (as in samples/hubspot, salesforce and\n"
		  "marketo); read them with a configuration naming the vendor's preset, like\n"
		  "the mqlreport.ini of those folders.");
	g_option_context_set_description(
	    octx, "Exit status: 0 success, 64 usage, 73 cannot write the output; stopped by "
		  "SIGTERM, SIGINT or SIGHUP, gen removes its unfinished files and ends by "
		  "that signal (a shell shows 143, 130, 129).");
	return octx;
}

static void opts_free(gen_opts *o)
{
	g_free(o->leads);
	g_free(o->seed);
	g_free(o->out);
	g_free(o->weeks);
	g_free(o->end_week);
	g_free(o->bad);
	g_free(o->order);
	g_free(o->ids);
	g_free(o->vendor);
}

/* The index of `text` in the NULL-terminated `names`, or -1. */
static int choice(const char *text, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(text, names[i]))
			return i;
	return -1;
}

/* Check the options and set up run g and the last week (year, week).
 * Returns MQ_OK, or MQ_USAGE after saying why. */
static int options_apply(const gen_opts *o, gen *g, int *year, int *week)
{
	if (!o->leads || !o->seed || !o->out)
		return gen_fail(MQ_USAGE, "gen: --%s is required",
				!o->leads  ? "leads"
				: !o->seed ? "seed"
					   : "out");
	uint64_t w = 26, k = 0;
	if (!parse_count("leads", o->leads, 1, 100000000, &g->nleads) ||
	    !parse_count("seed", o->seed, 0, UINT64_MAX, &g->seed) ||
	    !parse_count("weeks", o->weeks, 1, 520, &w) ||
	    !parse_count("bad-rows", o->bad, 0, 1000, &k))
		return MQ_USAGE;
	g->weeks = (int)w;
	g->bad = (int)k;
	g->force = o->force;
	static const char *const orders[] = {"lead", "time", "random", NULL};
	static const char *const styles[] = {"prefixed", "numeric", "salesforce", NULL};
	int order = o->order ? choice(o->order, orders) : 0;
	if (order < 0)
		return gen_fail(MQ_USAGE,
				"gen: --events-order: expected lead, time or random, got \"%s\"",
				o->order);
	g->time_order = order > 0;
	g->random_order = order == 2;
	g->vendor = o->vendor ? gen_vendor_parse(o->vendor) : VENDOR_NONE;
	if (g->vendor < 0)
		return gen_fail(
		    MQ_USAGE, "gen: --vendor: expected hubspot, salesforce or marketo, got \"%s\"",
		    o->vendor);
	static const int vendor_ids[] = {ID_PREFIXED, ID_NUMERIC, ID_SALESFORCE, ID_NUMERIC};
	g->id_style = o->ids ? choice(o->ids, styles) : vendor_ids[g->vendor];
	if (g->id_style < 0)
		return gen_fail(
		    MQ_USAGE,
		    "gen: --id-style: expected prefixed, numeric or salesforce, got \"%s\"",
		    o->ids);
	if (o->end_week && (!week_parse(o->end_week, year, week) || *year < 1971))
		return gen_fail(
		    MQ_USAGE, "gen: --end-week: expected an ISO week such as 2026-W47, got \"%s\"",
		    o->end_week);
	GTimeZone *utc = g_time_zone_new_utc();
	if (!o->end_week)
		week_last(utc, (ts_ms)time(NULL) * 1000, year, week);
	g->end = week_start(utc, *year, *week) + MS_PER_WEEK;
	g_time_zone_unref(utc);
	g->start = g->end - (ts_ms)g->weeks * MS_PER_WEEK;
	return MQ_OK;
}

/* Run g into folder out and print the summary line. */
static int run_and_report(gen *g, const char *out, int year, int week)
{
	mq_err err = {0};
	if (gen_run(g, out, &err) != 0)
		return gen_fail(err.status, "gen: %s", err.msg);
	int sy, sw;
	ts_iso_week_of(g->start / MS_PER_DAY, &sy, &sw);
	printf("gen: wrote %s: %lld leads, %lld events, %lld opportunities, %lld spend rows "
	       "(weeks %04d-W%02d to %04d-W%02d, %d bad rows of each kind)\n",
	       out, (long long)g->out[SRC_LEADS].rows, (long long)g->out[SRC_EVENTS].rows,
	       (long long)g->out[SRC_OPPORTUNITIES].rows, (long long)g->out[SRC_SPEND].rows, sy, sw,
	       year, week, g->bad);
	return MQ_OK;
}

int gen_main(int argc, char **argv)
{
	gen_opts o = {0};
	GOptionEntry entries[GEN_ENTRIES];
	options_entries(&o, entries);
	GOptionContext *octx = options_context(entries);
	GError *gerr = NULL;
	gen g = {.weeks = 26};
	int status = MQ_OK, year, week;
	const GOptionEntry *const tables[] = {entries, NULL};
	mq_err once = {0};
	if (opt_given_twice("gen", tables, argc, argv, &once) != 0) {
		/* the message names gen's --help already */
		fprintf(stderr, "mqlreport: gen: %s\n", once.msg);
		status = once.status;
	} else if (!g_option_context_parse(octx, &argc, &argv, &gerr)) {
		status = gen_fail(MQ_USAGE, "gen: %s", gerr->message);
		g_error_free(gerr);
	} else if (opt_path_unexpanded(tables, &once) != 0) {
		/* --out=~/samples: no folder named ~ in the current one */
		status = gen_fail(once.status, "gen: %s", once.msg);
	} else if (o.help) {
		char *text = g_option_context_get_help(octx, TRUE, NULL);
		fputs(text, stdout);
		g_free(text);
	} else if (o.version) {
		printf("mqlreport %s\n", MQL_VERSION);
	} else if (argc > 1) {
		status = gen_fail(MQ_USAGE, "gen: unexpected argument \"%s\"", argv[1]);
	} else if ((status = options_apply(&o, &g, &year, &week)) == MQ_OK) {
		/* from here a stop removes the unfinished files, then ends gen */
		mq_stop_watch();
		status = run_and_report(&g, o.out, year, week);
	}
	gen_free(&g);
	g_option_context_free(octx);
	opts_free(&o);
	int sig = mq_stop_signal();
	if (sig && status == mq_stop_status(sig))
		mq_stop_exit(sig); /* whoever started it sees it killed by its signal */
	return status;
}
