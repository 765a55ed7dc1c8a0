/* test_load.c — the loader: canonical fixtures read into the exact data
 * set worked out by hand, each vendor preset equal to its canonical twin,
 * and one case per kind of bad input with its exact outcome. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colmap.h"
#include "load_fixture.h"

#define FIX MQL_TESTS_DIR "/fixtures/ingest/"

/* ---- the canonical fixture, worked out by hand ---- */

static void test_canonical(void **state)
{
	(void)state;
	ingest_cfg c = cfg_of(FIX "canonical/leads.csv", FIX "canonical/events.csv",
			      FIX "canonical/spend.csv", NULL);
	dataset *ds = load_ok(&c);
	/* Events come back ordered by lead, then time; the one of lead 999
	 * (no such lead) last. Empty channel/campaign → unknown. Spend
	 * "Paid Search" normalises to paid_search; "$99" and "1,200.50" parse;
	 * "usd" matches USD case-insensitively; no campaign → unknown. */
	const char *want =
	    "leads_have_mql=1 has_opportunities=0 dup_leads=0 dup_opps=0\n"
	    "lead 101 created=2026-11-02T14:30:00Z mql=2026-11-05T15:00:00Z "
	    "sql=2026-11-09T17:00:00Z ch=paid_search camp=gs_brand title=VP, Marketing size=51 "
	    "ind=software country=US amount=- conv=\n"
	    "lead 102 created=2026-11-03T09:15:00Z ch=organic_search camp=seo_blog title=Marketing "
	    "Manager size=1001 ind=healthcare country=DE amount=- conv=\n"
	    "lead 103 created=2026-11-04T20:00:00Z mql=2026-11-06T12:00:00Z "
	    "sql=2026-11-10T12:00:00Z opp=2026-11-12T12:00:00Z won=2026-11-16T16:00:00Z ch=email "
	    "camp=unknown title=CEO size=10000 ind=saas country=GB amount=12000.00 conv=\n"
	    "lead 104 created=2026-11-05T10:00:00Z ch=referral camp=partner_referrals title= "
	    "size=-1 ind= country= amount=- conv=\n"
	    "event 101 at=2026-11-02T14:35:00Z type=page_visit kind=9 ch=paid_search "
	    "camp=gs_brand\n"
	    "event 101 at=2026-11-04T10:00:00Z type=content_download kind=1 ch=paid_search "
	    "camp=gs_brand\n"
	    "event 103 at=2026-11-05T08:00:00Z type=email_open kind=11 ch=email camp=nurture_q4\n"
	    "event 103 at=2026-11-05T08:01:00Z type=email_click kind=12 ch=email camp=nurture_q4\n"
	    "event 103 at=2026-11-06T11:00:00Z type=demo_request kind=6 ch=unknown camp=unknown\n"
	    "event - at=2026-11-06T11:00:00Z type=page_visit kind=9 ch=direct camp=unknown\n"
	    "spend day=2026-11-02T00:00:00Z amount=1200.50 ch=paid_search camp=gs_brand\n"
	    "spend day=2026-11-03T00:00:00Z amount=99.00 ch=paid_search camp=gs_brand\n"
	    "spend day=2026-11-04T00:00:00Z amount=50.00 ch=email camp=unknown\n";
	char *got = dump(ds);
	assert_string_equal(got, want);
	free(got);
	assert_rows(ds, SRC_LEADS, 4, 4, 0);
	assert_rows(ds, SRC_EVENTS, 6, 6, 0);
	assert_rows(ds, SRC_SPEND, 3, 3, 0);
	assert_false(ds->src[SRC_OPPORTUNITIES].present);
	assert_true(ds->src[SRC_LEADS].present);
	assert_string_equal(ds->src[SRC_LEADS].preset, "canonical");
	assert_int_equal(ds->src[SRC_LEADS].bytes, 533);
	assert_int_equal(strlen(ds->src[SRC_LEADS].sha256), 64);
	assert_int_equal(ds->src[SRC_LEADS].unknown_columns.len, 0);
	/* lead_ev: lead 0 has events 0..1, lead 1 none, lead 2 events 2..4 */
	assert_int_equal(ds->lead_ev[0], 0);
	assert_int_equal(ds->lead_ev[1], 2);
	assert_int_equal(ds->lead_ev[2], 2);
	assert_int_equal(ds->lead_ev[3], 5);
	assert_int_equal(ds->lead_ev[4], 5);
	assert_int_equal(ds->leads[2].line, 4);
	dataset_free(ds);
	ingest_cfg_clear(&c);
}

/* The SHA-256 of the leads fixture, as sha256sum computes it. */
static void test_sha256(void **state)
{
	(void)state;
	ingest_cfg c = cfg_of(FIX "canonical/leads.csv", FIX "canonical/events.csv",
			      FIX "canonical/spend.csv", NULL);
	dataset *ds = load_ok(&c);
	gchar *text = NULL;
	gsize len = 0;
	assert_true(g_file_get_contents(FIX "canonical/leads.csv", &text, &len, NULL));
	gchar *want = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)text, len);
	assert_string_equal(ds->src[SRC_LEADS].sha256, want);
	g_free(want);
	g_free(text);
	dataset_free(ds);
	ingest_cfg_clear(&c);
}

/* ---- vendor presets against their canonical twins ---- */

static void assert_same(const ingest_cfg *vendor, const ingest_cfg *twin, const char *preset, int s)
{
	dataset *a = load_ok(vendor), *b = load_ok(twin);
	char *da = dump(a), *db = dump(b);
	assert_string_equal(da, db);
	assert_string_equal(a->src[s].preset, preset);
	for (int k = 0; k < SRC_COUNT; k++) {
		assert_int_equal(a->src[k].rows_read, b->src[k].rows_read);
		assert_int_equal(a->src[k].rows_rejected, 0);
	}
	free(da);
	free(db);
	dataset_free(a);
	dataset_free(b);
}

static void test_hubspot(void **state)
{
	(void)state;
	ingest_cfg v = cfg_of(FIX "hubspot/leads.csv", FIX "canonical/events.csv",
			      FIX "canonical/spend.csv", NULL);
	v.src[SRC_LEADS].timezone = xstrdup("America/New_York");
	ingest_cfg t = cfg_of(FIX "canonical/leads.csv", FIX "canonical/events.csv",
			      FIX "canonical/spend.csv", NULL);
	assert_same(&v, &t, "hubspot", SRC_LEADS);

	/* the unmapped HubSpot columns are listed once */
	dataset *ds = load_ok(&v);
	const kvcounts *u = &ds->src[SRC_LEADS].unknown_columns;
	assert_int_equal(u->len, 4); /* Lead Status is read: lead_status */
	assert_string_equal(u->items[0].key, "First Name");
	assert_string_equal(u->items[1].key, "Original Source Drill-Down 1");
	assert_string_equal(u->items[3].key, "HubSpot Score");
	dataset_free(ds);

	/* named explicitly, the preset gives the same */
	free(v.src[SRC_LEADS].preset);
	v.src[SRC_LEADS].preset = xstrdup("hubspot");
	assert_same(&v, &t, "hubspot", SRC_LEADS);
	ingest_cfg_clear(&v);
	ingest_cfg_clear(&t);
}

static void test_salesforce(void **state)
{
	(void)state;
	ingest_cfg v = cfg_of(FIX "salesforce/leads.csv", FIX "canonical/events.csv",
			      FIX "canonical/spend.csv", FIX "salesforce/opportunities.csv");
	ingest_cfg t =
	    cfg_of(FIX "salesforce/canonical_leads.csv", FIX "canonical/events.csv",
		   FIX "canonical/spend.csv", FIX "salesforce/canonical_opportunities.csv");
	assert_same(&v, &t, "salesforce", SRC_OPPORTUNITIES);
	dataset *ds = load_ok(&v);
	assert_string_equal(ds->src[SRC_LEADS].preset, "salesforce");
	/* hand-checked: the converted opportunity joins 006A02 to lead 00Q003;
	 * 006A03 has no converted lead */
	char *got = dump(ds);
	assert_non_null(strstr(
	    got, "opp 006A02 lead=00Q003 created=2026-11-12T00:00:00Z closed=2026-11-16T00:00:00Z "
		 "stage=closed_won won=1 isclosed=1 amount=12000.00\n"));
	assert_non_null(strstr(
	    got, "opp 006A03 lead=- created=2026-11-13T00:00:00Z closed=2026-11-14T00:00:00Z "
		 "stage=closed_lost won=0 isclosed=1 amount=-\n"));
	assert_non_null(strstr(got, "lead 00Q004 created=2026-11-05T00:05:00Z ch=unknown"));
	assert_false(ds->leads_have_mql);
	assert_true(ds->has_opportunities);
	free(got);
	dataset_free(ds);
	ingest_cfg_clear(&v);
	ingest_cfg_clear(&t);
}

static void test_marketo(void **state)
{
	(void)state;
	ingest_cfg v = cfg_of(FIX "marketo/leads.csv", FIX "marketo/events.csv",
			      FIX "canonical/spend.csv", NULL);
	ingest_cfg t = cfg_of(FIX "marketo/canonical_leads.csv", FIX "marketo/canonical_events.csv",
			      FIX "canonical/spend.csv", NULL);
	assert_same(&v, &t, "marketo", SRC_EVENTS);
	dataset *ds = load_ok(&v);
	assert_string_equal(ds->src[SRC_LEADS].preset, "marketo");
	char *got = dump(ds);
	/* activity 13 is no SPEC type: kept as "13", kind unknown; lead 7777 does not exist */
	assert_non_null(strstr(
	    got, "event 5002 at=2026-11-06T09:00:00Z type=13 kind=0 ch=unknown camp=unknown\n"));
	assert_non_null(strstr(
	    got,
	    "event - at=2026-11-06T10:00:00Z type=email_bounce kind=15 ch=unknown camp=2001\n"));
	/* null literals are empty */
	assert_non_null(strstr(got, "lead 5002 created=2026-11-03T09:15:00Z ch=unknown "
				    "camp=unknown title= size=-1 ind= country= amount=-"));
	free(got);
	dataset_free(ds);

	/* the activity mapping is configuration: [aliases.type] overrides it */
	strpairs_add(&v.type_aliases, "2", "webinar_registered");
	ds = load_ok(&v);
	got = dump(ds);
	assert_non_null(
	    strstr(got, "event 5001 at=2026-11-03T10:00:00Z type=webinar_registered kind=3"));
	free(got);
	dataset_free(ds);
	ingest_cfg_clear(&v);
	ingest_cfg_clear(&t);
}

static void test_windows_1252(void **state)
{
	(void)state;
	ingest_cfg v = cfg_of(FIX "canonical/leads.csv", FIX "canonical/events.csv",
			      FIX "encoding/spend.csv", NULL);
	v.src[SRC_SPEND].encoding = xstrdup("windows-1252");
	v.src[SRC_SPEND].us_dates = true;
	ingest_cfg t = cfg_of(FIX "canonical/leads.csv", FIX "canonical/events.csv",
			      FIX "encoding/canonical_spend.csv", NULL);
	dataset *a = load_ok(&v), *b = load_ok(&t);
	char *da = dump(a), *db = dump(b);
	assert_string_equal(da, db);
	/* the 0x81 row: invalid_encoding, line 4 */
	assert_rows(a, SRC_SPEND, 3, 2, 1);
	assert_int_equal(kvcounts_get(&a->src[SRC_SPEND].rejected_by_reason, "invalid_encoding"),
			 1);
	assert_int_equal(a->nrejects, 1);
	assert_int_equal(a->rejects[0].line, 4);
	free(da);
	free(db);
	dataset_free(a);
	dataset_free(b);

	/* read as UTF-8, the same bytes are invalid on every data row */
	free(v.src[SRC_SPEND].encoding);
	v.src[SRC_SPEND].encoding = xstrdup("utf-8");
	a = load_ok(&v);
	assert_rows(a, SRC_SPEND, 3, 0, 3);
	dataset_free(a);

	/* encoding auto (the default): the rows that are not UTF-8 are read as
	 * windows-1252, from the first such line on */
	free(v.src[SRC_SPEND].encoding);
	v.src[SRC_SPEND].encoding = NULL;
	a = load_ok(&v);
	da = dump(a);
	b = load_ok(&t);
	db = dump(b);
	assert_string_equal(da, db);
	assert_rows(a, SRC_SPEND, 3, 2, 1);
	assert_int_equal(a->src[SRC_SPEND].enc.cp_line[0], 2);
	free(da);
	free(db);
	dataset_free(a);
	dataset_free(b);
	ingest_cfg_clear(&v);
	ingest_cfg_clear(&t);
}

/* ---- bad input, one case each ---- */

typedef struct bad_case {
	const char *name;
	int source; /* the source holding `content`; the others are minimal */
	const char *content;
	size_t len;	  /* 0: strlen */
	size_t max_field; /* 0: default */
	int status;	  /* MQ_OK when the load succeeds */
	const char *msg;  /* expected error, "%s" standing for the file's path */
	int64_t read, accepted, rejected;
	const char *rejects;  /* "line:reason;…" in order */
	const char *warnings; /* "field=n;…" */
	const char *unknown;  /* "col;…" */
} bad_case;

/* a literal that holds NUL bytes, with its length */
#define BIN(s) s, sizeof(s) - 1

static const bad_case bad_cases[] = {
    {"BOM", SRC_LEADS, "\xEF\xBB\xBFlead_id,created_at\n1,2026-11-02\n", 0, 0, MQ_OK, NULL, 1, 1, 0,
     "", "", ""},
    {"CRLF", SRC_LEADS, "lead_id,created_at\r\n1,2026-11-02\r\n2,2026-11-03\r\n", 0, 0, MQ_OK, NULL,
     2, 2, 0, "", "", ""},
    /* lines: 1 header (CR), 2 (LF), 3 (CRLF), 4 (no ending) */
    {"bare CR and mixed endings", SRC_LEADS,
     "lead_id,created_at\r1,2026-11-02\n2,bad\r\n3,2026-11-03", 0, 0, MQ_OK, NULL, 3, 2, 1,
     "3:unparseable_created_at;", "", ""},
    /* the quoted title spans lines 2-3; the one-field row is line 5 */
    {"quoted commas, quotes and newlines", SRC_LEADS,
     "lead_id,created_at,job_title\n1,2026-11-02,\"VP, "
     "\"\"Growth\"\"\nEMEA\"\n2,2026-11-03,x\nbad\n",
     0, 0, MQ_OK, NULL, 3, 2, 1, "5:wrong_field_count;", "", ""},
    {"unterminated quote at end of file", SRC_EVENTS,
     "lead_id,occurred_at,type\n1,2026-11-02T10:00:00Z,page_visit\n1,\"2026-11-02T11:00:00Z,page_"
     "visit\n",
     0, 0, MQ_DATAERR,
     "%s:3:3: unterminated quote (the quote opened there is never closed, so the rest of the "
     "file was read as one field: look at that line for a stray or missing quote, or check "
     "whether the file was cut off and export it again)",
     1, 1, 0, "", "", ""},
    {"junk after a closing quote", SRC_LEADS, "lead_id,created_at\n\"1\"x,2026-11-02\n", 0, 0,
     MQ_DATAERR,
     "%s:2:4: unexpected character after a closing quote (a value holding a quote must be "
     "written in quotes, its quote doubled: \"5\"\" screen\"; export the file again with every "
     "field quoted, or correct that line)",
     0, 0, 0, "", "", ""},
    /* "1,2026-11-02," is 13 bytes: the long field starts in column 14 */
    {"field over the cap", SRC_LEADS,
     "lead_id,created_at,job_title\n1,2026-11-02,aaaaaaaaaaaaaaaaaaaaaaaa\n", 0, 16, MQ_DATAERR,
     "%s:2:14: field longer than 16 bytes (a quote left open makes one; if the value is real, "
     "raise max_field_bytes in [report])",
     0, 0, 0, "", "", ""},
    {"runaway quote over the cap", SRC_LEADS,
     "lead_id,created_at,job_title\n1,2026-11-02,\"aaaaaaaaaaaaaaaa\n2,2026-11-03,b\n3,2026-11-03,"
     "c\n",
     0, 16, MQ_DATAERR,
     "%s:2:14: field longer than 16 bytes (a quote left open makes one; if the value is real, "
     "raise max_field_bytes in [report])",
     0, 0, 0, "", "", ""},
    {"ragged rows", SRC_LEADS,
     "lead_id,created_at,channel\n1,2026-11-02\n2,2026-11-03,web\n3,2026-11-04,web,extra\n", 0, 0,
     MQ_OK, NULL, 3, 1, 2, "2:wrong_field_count;4:wrong_field_count;", "", ""},
    /* 0xE9 alone is not UTF-8; a NUL is refused; row 5 is short but
     * invalid_encoding comes first; row 4 is valid UTF-8 */
    {"invalid UTF-8 and NUL bytes", SRC_LEADS,
     BIN("lead_id,created_at,channel\n1,2026-11-02,caf\xE9\n2,2026-11-03,a\0b\n3,2026-11-04,"
	 "\xC3\xA9t\xC3\xA9\n4,\xFF\n"),
     0, MQ_OK, NULL, 4, 1, 3, "2:invalid_encoding;3:invalid_encoding;5:invalid_encoding;", "", ""},
    {"missing required column", SRC_LEADS, "lead_id,created,channel\n1,2026-11-02,web\n", 0, 0,
     MQ_DATAERR,
     "%s:1: missing required column \"created_at\" (header has: \"lead_id\", \"created\", "
     "\"channel\"); if "
     "\"created\" holds it, say so in the configuration file (--config): [columns.leads] "
     "created_at = created",
     0, 0, 0, "", "", ""},
    /* accepted_at is a column of its own, not created_at misspelt: no hint */
    {"missing required column beside another's", SRC_LEADS,
     "lead_id,accepted_at,channel\n1,2026-11-02,web\n", 0, 0, MQ_DATAERR,
     "%s:1: missing required column \"created_at\" (header has: \"lead_id\", \"accepted_at\", "
     "\"channel\"); name the header that holds it in the configuration file (--config): "
     "[columns.leads] created_at = <header>, or check that this is the leads export",
     0, 0, 0, "", "", ""},
    {"missing required column of events", SRC_EVENTS, "lead_id,occurred_at,kind\n", 0, 0,
     MQ_DATAERR,
     "%s:1: missing required column \"type\" (header has: \"lead_id\", \"occurred_at\", \"kind\"); "
     "name the header that holds it in the configuration file (--config): [columns.events] type = "
     "<header>, or check that this is the events export",
     0, 0, 0, "", "", ""},
    {"reordered and duplicated columns", SRC_LEADS,
     "channel,created_at,Lead_ID,channel\nweb,2026-11-02,1,email\n", 0, 0, MQ_OK, NULL, 1, 1, 0, "",
     "", "channel;"},
    {"bad numbers in spend", SRC_SPEND,
     "date,channel,amount\n"
     "2026-11-02,web,\"1,23\"\n"
     "2026-11-02,web,NaN\n"
     "2026-11-02,web,1e400\n"
     "2026-11-02,web,-5\n"
     "2026-11-02,web,\"1,234.50\"\n"
     "2026-11-02,web,\n"
     ",web,5\n"
     "2026-11-02,,5\n"
     "2026-02-30,web,5\n"
     "2026-11-02,web,-5,\n",
     0, 0, MQ_OK, NULL, 10, 1, 9,
     "2:unparseable_amount;3:unparseable_amount;4:unparseable_amount;5:negative_amount;7:missing_"
     "amount;"
     "8:missing_date;9:missing_channel;10:unparseable_date;11:wrong_field_count;",
     "", ""},
    /* negative_amount comes before foreign_currency */
    {"currencies", SRC_SPEND,
     "date,channel,amount,currency\n2026-11-02,web,-5,EUR\n2026-11-02,web,5,EUR\n2026-11-02,web,5,"
     "usd\n2026-11-02,web,5,\n",
     0, 0, MQ_OK, NULL, 4, 2, 2, "2:negative_amount;3:foreign_currency;", "", ""},
    /* bad optional fields are warnings, counted by field in column order */
    {"bad optional fields", SRC_LEADS,
     "lead_id,created_at,amount,company_size,mql_at,is_it\n1,2026-11-02,NaN,lots,2026-02-30,x\n2,"
     "2026-11-02,-5,51-200,,y\n",
     0, 0, MQ_OK, NULL, 2, 2, 0, "", "mql_at=1;company_size=1;amount=2;", "is_it;"},
    {"impossible dates", SRC_LEADS,
     "lead_id,created_at\n1,2026-02-30\n2,2026-13-01T00:00:00Z\n3,2026-11-02T25:00:00Z\n", 0, 0,
     MQ_OK, NULL, 3, 0, 3,
     "2:unparseable_created_at;3:unparseable_created_at;4:unparseable_created_at;", "", ""},
    /* reasons in SPEC order: lead_id before created_at */
    {"reason order", SRC_LEADS, "lead_id,created_at\n,x\n,bad\n1,\n  ,2026-11-02\n", 0, 0, MQ_OK,
     NULL, 4, 0, 4, "2:missing_lead_id;3:missing_lead_id;4:missing_created_at;5:missing_lead_id;",
     "", ""},
    /* a row of separators alone is no row, as a blank line is not */
    {"cleared rows", SRC_LEADS, "lead_id,created_at\n1,2026-11-02\n,\n , \t\n2,2026-11-02\n,\n", 0,
     0, MQ_OK, NULL, 2, 2, 0, "", "", ""},
    {"cleared rows of spend", SRC_SPEND,
     "date;channel;amount\n2026-11-02;web;5\n;;\n2026-11-03;web;6\n;;\n;;\n", 0, 0, MQ_OK, NULL, 2,
     2, 0, "", "", ""},
    {"event reasons", SRC_EVENTS,
     "lead_id,occurred_at,type\n1,,x\n1,yesterday,x\n1,2026-11-02,\n1,2026-11-02,\" \"\n", 0, 0,
     MQ_OK, NULL, 4, 0, 4,
     "2:missing_occurred_at;3:unparseable_occurred_at;4:missing_type;5:missing_type;", "", ""},
    {"header only", SRC_LEADS, "lead_id,created_at\n", 0, 0, MQ_OK, NULL, 0, 0, 0, "", "", ""},
    {"blank lines only after the header", SRC_LEADS, "lead_id,created_at\n\n\r\n\n", 0, 0, MQ_OK,
     NULL, 0, 0, 0, "", "", ""},
    {"empty file", SRC_LEADS, "", 0, 0, MQ_DATAERR,
     "%s:1: no header row (the file is empty): export it again, or check that the location names "
     "the export",
     0, 0, 0, "", "", ""},
    {"only blank lines", SRC_SPEND, "\n\n", 0, 0, MQ_DATAERR,
     "%s:1: no header row (the file is empty): export it again, or check that the location names "
     "the export",
     0, 0, 0, "", "", ""},
    {"header not text", SRC_LEADS, "lead_id,created_at,\xFF\n", 0, 0, MQ_DATAERR,
     "%s:1: column 3: the header is not valid text (is the source's encoding right?)", 0, 0, 0, "",
     "", ""},
    {"not CSV at all", SRC_LEADS, BIN("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), 0, MQ_DATAERR,
     "%s:1: column 1: the header is not valid text (is the source's encoding right?)", 0, 0, 0, "",
     "", ""},
};

static char *join_counts(const kvcounts *c, bool with_n)
{
	buf b = {0};
	bput(&b, "");
	for (size_t i = 0; i < c->len; i++) {
		if (with_n)
			bput(&b, "%s=%lld;", c->items[i].key, (long long)c->items[i].n);
		else
			bput(&b, "%s;", c->items[i].key);
	}
	return b.s;
}

/* A new temporary folder holding leads.csv, events.csv and spend.csv, each
 * its header alone but the one of `source`, which holds len bytes of
 * content (0: its length); paths[s] each file's. Returns the folder. */
static char *write_sources(int source, const char *content, size_t len, char *paths[3])
{
	static const char *const minimal[3] = {"lead_id,created_at\n", "lead_id,occurred_at,type\n",
					       "date,channel,amount\n"};
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	assert_non_null(dir);
	for (int s = 0; s < 3; s++) {
		char name[32];
		snprintf(name, sizeof name, "%s.csv", source_name[s]);
		const char *text = s == source ? content : minimal[s];
		paths[s] = write_tmp(dir, name, text, s == source && len ? len : strlen(text));
	}
	return dir;
}

/* The files and the folder of write_sources(), removed and freed. */
static void remove_sources(char *dir, char *paths[3])
{
	for (int s = 0; s < 3; s++) {
		g_unlink(paths[s]);
		g_free(paths[s]);
	}
	g_rmdir(dir);
	g_free(dir);
}

static void test_bad_inputs(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof bad_cases / sizeof *bad_cases; k++) {
		const bad_case *t = &bad_cases[k];
		char *paths[3];
		char *dir = write_sources(t->source, t->content, t->len, paths);
		ingest_cfg c = cfg_of(paths[0], paths[1], paths[2], NULL);
		/* declared UTF-8: the rules of invalid_encoding (auto would read a
		 * row that is not UTF-8 as windows-1252) */
		for (int s = 0; s < SRC_COUNT; s++)
			c.src[s].encoding = xstrdup("utf-8");
		if (t->max_field)
			c.max_field_bytes = t->max_field;
		dataset *ds = dataset_new();
		mq_err err = {0};
		int rc = ingest_load(ds, &c, &err);
		if (t->status == MQ_OK) {
			if (rc != 0)
				fail_msg("%s: %s", t->name, err.msg);
		} else {
			char want[1024];
			snprintf(want, sizeof want, t->msg, paths[t->source]);
			if (rc != -1 || err.status != t->status || strcmp(err.msg, want) != 0)
				fail_msg("%s: rc %d status %d [%s], want status %d [%s]", t->name,
					 rc, err.status, err.msg, t->status, want);
		}
		const source_stats *st = &ds->src[t->source];
		if (st->rows_read != t->read || st->rows_accepted != t->accepted ||
		    st->rows_rejected != t->rejected)
			fail_msg("%s: rows %lld/%lld/%lld, want %lld/%lld/%lld", t->name,
				 (long long)st->rows_read, (long long)st->rows_accepted,
				 (long long)st->rows_rejected, (long long)t->read,
				 (long long)t->accepted, (long long)t->rejected);
		for (int s = 0; s < SRC_COUNT; s++)
			assert_int_equal(ds->src[s].rows_read,
					 ds->src[s].rows_accepted + ds->src[s].rows_rejected);
		char *rj = join_rejects(ds, t->source),
		     *wn = join_counts(&st->warnings_by_field, true),
		     *un = join_counts(&st->unknown_columns, false);
		if (strcmp(rj, t->rejects) || strcmp(wn, t->warnings) || strcmp(un, t->unknown))
			fail_msg("%s: rejects [%s] warnings [%s] unknown [%s], want [%s] [%s] [%s]",
				 t->name, rj, wn, un, t->rejects, t->warnings, t->unknown);
		/* every reject counted by reason */
		int64_t by_reason = 0;
		for (size_t i = 0; i < st->rejected_by_reason.len; i++)
			by_reason += st->rejected_by_reason.items[i].n;
		assert_int_equal(by_reason, st->rows_rejected);
		free(rj);
		free(wn);
		free(un);
		dataset_free(ds);
		ingest_cfg_clear(&c);
		remove_sources(dir, paths);
	}
}

/* ---- a report's lines around the table ---- */

typedef struct lines_case {
	const char *name;
	int source;
	int delim;		/* the configured delimiter; 0: detected */
	const char *spend_name; /* the file is [source.spend.NAME]'s; NULL: [source.X]'s */
	const char *content;
	const char *msg; /* the error, "%s" standing for the file's path; NULL: none */
	int64_t read, accepted, rejected, preamble, footer;
} lines_case;

/* a Salesforce report's title lines; the second holds commas */
#define SF_TITLES                                                                                  \
	"\"Leads with MQL and conversion dates\"\n"                                                \
	"\"Filtered By:  Lead Source equals Web, Phone, Email\"\n\"\"\n"
#define TITLE	"\"Acme, Inc.; Marketing | EMEA\"\n"
#define TITLES5 TITLE TITLE TITLE TITLE TITLE
/* Google Ads: two title lines, the second holding commas */
#define GADS_TITLES "Campaign report\n\"May 25, 2026 - November 22, 2026\"\n"

static const lines_case lines_cases[] = {
    {"a title in quotes holding commas", SRC_LEADS, 0, NULL,
     SF_TITLES "lead_id,created_at\n1,2026-11-02\n", NULL, 1, 1, 0, 2, 0},
    {"a title in quotes holding commas, the delimiter set", SRC_LEADS, ',', NULL,
     SF_TITLES "lead_id,created_at\n1,2026-11-02\n", NULL, 1, 1, 0, 2, 0},
    {"a title in quotes holding pipes", SRC_LEADS, 0, NULL,
     "\"Q4 | Leads | EMEA\"\nlead_id,created_at\n1,2026-11-02\n", NULL, 1, 1, 0, 1, 0},
    {"a title in quotes holding pipes, the delimiter set", SRC_LEADS, ',', NULL,
     "\"Q4 | Leads | EMEA\"\nlead_id,created_at\n1,2026-11-02\n", NULL, 1, 1, 0, 1, 0},
    {"a named spend file's titles", SRC_SPEND, ',', "google_ads",
     GADS_TITLES "date,channel,amount\n2026-11-16,paid_search,100.00\n", NULL, 1, 1, 0, 2, 0},
    /* unquoted, a run of another separator is a header in that dialect:
     * the delimiter to set, in the file's own group */
    {"a header in another dialect", SRC_SPEND, ',', "google_ads",
     "date;channel;amount\n2026-11-16;paid_search;100,00\n",
     "%s:1: missing required column \"date\" (header has: \"date;channel;amount\"); the header "
     "is one column holding \";\": set delimiter = ; in [source.spend.google_ads]",
     0, 0, 0, 0, 0},
    /* past 20 title lines, one field in quotes is the header candidate,
     * which no delimiter splits (the one set least of all) */
    {"one field in quotes after 20 titles", SRC_LEADS, ',', NULL,
     TITLES5 TITLES5 TITLES5 TITLES5 TITLE "lead_id,created_at\n",
     "%s:21: missing required column \"lead_id\" (header has: \"Acme, Inc.; Marketing | "
     "EMEA\"); the header is one field in quotes, which no delimiter splits: export the file "
     "again without quotes around whole lines, or delete the lines above its header",
     0, 0, 0, 0, 0},
    /* a title line unquoted, split at the file's own separator: a title,
     * as the next line binds the required columns */
    {"a title split at its commas", SRC_LEADS, 0, NULL,
     "Leads report, EMEA, Q4\nlead_id,created_at\n1,2026-11-02\n", NULL, 1, 1, 0, 1, 0},
    {"a title split at its commas, the delimiter set", SRC_LEADS, ',', NULL,
     "Leads report, EMEA, Q4\nlead_id,created_at\n1,2026-11-02\n", NULL, 1, 1, 0, 1, 0},
    {"a title as wide as the header", SRC_LEADS, ',', NULL,
     "Leads report, Q4\nlead_id,created_at\n1,2026-11-02\n", NULL, 1, 1, 0, 1, 0},
    {"titles split at commas, a blank and a quoted one", SRC_LEADS, 0, NULL,
     "Leads report, EMEA, Q4\nFiltered By: Lead Source equals Web, Phone\n\n"
     "\"Nov 16, 2026 - Nov 22, 2026\"\nlead_id,created_at,channel\n1,2026-11-02,web\n",
     NULL, 1, 1, 0, 3, 0},
    {"an events title split at its commas", SRC_EVENTS, 0, NULL,
     "Activities, all types, last 7 days\nlead_id,occurred_at,type\n"
     "1,2026-11-02,page_visit\n",
     NULL, 1, 1, 0, 1, 0},
    {"a title holding commas above a semicolon table", SRC_LEADS, 0, NULL,
     "Leads report, EMEA, Q4\nlead_id;created_at\n1;2026-11-02\n", NULL, 1, 1, 0, 1, 0},
    /* real headers: as before */
    {"an ordinary file", SRC_LEADS, 0, NULL, "lead_id,created_at\n1,2026-11-02\n", NULL, 1, 1, 0, 0,
     0},
    {"a header with an unknown column", SRC_LEADS, 0, NULL,
     "lead_id,created_at,favourite_colour\n1,2026-11-02,blue\n", NULL, 1, 1, 0, 0, 0},
    /* no line binds the required columns: the error is the header's,
     * not a title's nor a row's */
    {"a header of unknown names", SRC_LEADS, 0, NULL, "Kennung,Erstellt\n1,2026-11-02\n",
     "%s:1: missing required column \"lead_id\" (header has: \"Kennung\", \"Erstellt\"); name "
     "the header that holds it in the configuration file (--config): [columns.leads] lead_id = "
     "<header>, or check that this is the leads export",
     0, 0, 0, 0, 0},
    {"a header of unknown names below a title", SRC_LEADS, 0, NULL,
     "Leads report, EMEA, Q4\nKennung,Erstellt\n1,2026-11-02\n",
     "%s:2: missing required column \"lead_id\" (header has: \"Kennung\", \"Erstellt\"); name "
     "the header that holds it in the configuration file (--config): [columns.leads] lead_id = "
     "<header>, or check that this is the leads export",
     0, 0, 0, 0, 0},
    {"a header lacking a column below a title", SRC_LEADS, 0, NULL,
     "Leads report, EMEA, Q4\nlead_id,created,channel\n1,2026-11-02,web\n",
     "%s:2: missing required column \"created_at\" (header has: \"lead_id\", \"created\", "
     "\"channel\"); if \"created\" holds it, say so in the configuration file (--config): "
     "[columns.leads] created_at = created",
     0, 0, 0, 0, 0},
    /* Google Ads' totals, of the header's width: not rows of spend */
    {"totals rows after the data", SRC_SPEND, 0, "google_ads",
     GADS_TITLES "date,campaign,channel,amount,currency\n"
		 "2026-11-16,gs_brand,paid_search,100.00,USD\n"
		 "2026-11-17,gs_generic,paid_search,250.50,USD\n"
		 "Total: Account,,,\"350.50\",USD\n"
		 "Total: Search,--,,\"350.50\",USD\n",
     NULL, 2, 2, 0, 2, 2},
    /* a totals label alone or before a colon, wherever its row is; a
     * campaign that begins like one is a row */
    {"totals rows among the data", SRC_SPEND, 0, NULL,
     "campaign,date,channel,amount\n"
     "Totally Fit,2026-11-16,web,5\n"
     "Subtotal,,,5\n"
     "Summer,2026-11-17,web,6\n"
     "Gesamt: Konto,,,11\n"
     "summer sale,not a date,web,1\n",
     NULL, 3, 2, 1, 0, 2},
    /* a footer written without quotes, split at the file's commas: fewer
     * fields than the header, a footer word first, nothing but short rows
     * after it */
    {"an unquoted copyright line after the data", SRC_LEADS, 0, NULL,
     "lead_id,created_at,channel\n1,2026-11-02,web\n2,2026-11-03,web\n"
     "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\n",
     NULL, 2, 2, 0, 0, 1},
    {"an unquoted footer, the company after it", SRC_LEADS, 0, NULL,
     "lead_id,created_at,channel\n1,2026-11-02,web\n2,2026-11-03,web\n"
     "Generated By: Jane Doe\nAcme, Inc.\n",
     NULL, 2, 2, 0, 0, 2},
    {"the same without a line break at the end", SRC_LEADS, 0, NULL,
     "lead_id,created_at,channel\n1,2026-11-02,web\n2,2026-11-03,web\n"
     "Generated By: Jane Doe\nAcme, Inc.",
     NULL, 2, 2, 0, 0, 2},
    {"a Salesforce footer without quotes", SRC_LEADS, 0, NULL,
     "lead_id,created_at,channel,title\n1,2026-11-02,web,CEO\n\n\nLeads report\n"
     "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved.\n"
     "Confidential Information - Do Not Distribute\n"
     "Generated By: Jane Doe, 11/23/2026 9:14 AM\nAcme, Inc.\n",
     NULL, 1, 1, 0, 0, 5},
    {"a copyright line split at semicolons", SRC_LEADS, 0, NULL,
     "lead_id;created_at;channel\n1;2026-11-02;web\n"
     "\xC2\xA9 2026 Acme; all rights reserved\n",
     NULL, 1, 1, 0, 0, 1},
    /* no footer: a row as wide as the header is data whatever it begins
     * with; a short row beginning with a footer word and followed by a
     * row of data, or by a wider row, is a reject; "Totally" is no word
     * of a footer */
    {"a company that begins with a footer word", SRC_SPEND, 0, NULL,
     "campaign,date,channel,amount\n"
     "Copyright Inc,2026-11-16,web,5\n"
     "Generated By Ads,2026-11-17,web,6\n",
     NULL, 2, 2, 0, 0, 0},
    {"a short row with a footer word before a row of data", SRC_SPEND, 0, NULL,
     "campaign,date,channel,amount\n"
     "Copyright Inc,2026-11-16\n"
     "Acme,2026-11-17\n"
     "Web,2026-11-17,web,6\n",
     NULL, 3, 1, 2, 0, 0},
    {"a short row with a footer word before a wider row", SRC_SPEND, 0, NULL,
     "campaign,date,channel,amount\n"
     "Web,2026-11-17,web,6\n"
     "Copyright Inc,2026-11-16\n"
     "Acme,2026-11-17,web,6,extra\n",
     NULL, 3, 1, 2, 0, 0},
    {"a short row beginning like a footer word", SRC_SPEND, 0, NULL,
     "campaign,date,channel,amount\n"
     "Web,2026-11-17,web,6\n"
     "Totally Fit,2026-11-16\n",
     NULL, 2, 1, 1, 0, 0},
};

/* Title lines above the header and totals rows among the data are a
 * report's lines, counted and never rows; a header that is none says
 * what to set, and where. */
static void test_report_lines(void **state)
{
	(void)state;
	for (size_t k = 0; k < sizeof lines_cases / sizeof *lines_cases; k++) {
		const lines_case *t = &lines_cases[k];
		char *paths[3];
		char *dir = write_sources(t->source, t->content, 0, paths);
		ingest_cfg c = cfg_of(paths[0], paths[1], paths[2], NULL);
		source_cfg *sc = &c.src[t->source];
		if (t->spend_name) {
			cfg_set(&c, SRC_SPEND, NULL);
			sc = ingest_cfg_add_spend(&c, t->spend_name);
			sc->location = xstrdup(paths[SRC_SPEND]);
		}
		sc->delimiter = t->delim;
		dataset *ds = dataset_new();
		mq_err err = {0};
		int rc = ingest_load(ds, &c, &err);
		if (t->msg) {
			char want[1024];
			snprintf(want, sizeof want, t->msg, paths[t->source]);
			if (rc != -1 || err.status != MQ_DATAERR || strcmp(err.msg, want) != 0)
				fail_msg("%s: rc %d status %d [%s], want [%s]", t->name, rc,
					 err.status, err.msg, want);
		} else if (rc != 0) {
			fail_msg("%s: %s", t->name, err.msg);
		}
		const source_stats *st = &ds->src[t->source];
		if (st->rows_read != t->read || st->rows_accepted != t->accepted ||
		    st->rows_rejected != t->rejected || st->preamble_lines != t->preamble ||
		    st->footer_lines != t->footer)
			fail_msg(
			    "%s: rows %lld/%lld/%lld, title lines %lld, footer lines %lld; want "
			    "%lld/%lld/%lld, %lld, %lld",
			    t->name, (long long)st->rows_read, (long long)st->rows_accepted,
			    (long long)st->rows_rejected, (long long)st->preamble_lines,
			    (long long)st->footer_lines, (long long)t->read, (long long)t->accepted,
			    (long long)t->rejected, (long long)t->preamble, (long long)t->footer);
		dataset_free(ds);
		ingest_cfg_clear(&c);
		remove_sources(dir, paths);
	}
}

/* The raw fields of a rejected row are kept for rejects.csv. */
static void test_reject_fields(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	char *l = write_str(dir, "l.csv", "lead_id,created_at\n\" 7 \",\"not, a date\"\n");
	char *e = write_str(dir, "e.csv", "lead_id,occurred_at,type\n");
	char *s = write_str(dir, "s.csv", "date,channel,amount\n");
	ingest_cfg c = cfg_of(l, e, s, NULL);
	dataset *ds = load_ok(&c);
	assert_int_equal(ds->nrejects, 1);
	assert_int_equal(ds->rejects[0].source, SRC_LEADS);
	assert_int_equal(ds->rejects[0].line, 2);
	assert_string_equal(ds->rejects[0].reason, "unparseable_created_at");
	assert_int_equal(ds->rejects[0].nfields, 2);
	assert_string_equal(ds->rejects[0].fields[0], " 7 ");
	assert_string_equal(ds->rejects[0].fields[1], "not, a date");
	dataset_free(ds);
	ingest_cfg_clear(&c);
	g_unlink(l);
	g_unlink(e);
	g_unlink(s);
	g_rmdir(dir);
	g_free(l);
	g_free(e);
	g_free(s);
	g_free(dir);
}

/* Duplicates: the later accepted row wins, in place; a rejected row does
 * not count. */
static void test_duplicates(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	const char *lt = "lead_id,created_at,channel\n1,2026-11-02,web\n2,2026-11-03,web\n 1 "
			 ",2026-11-04,email\n1,bad,x\n";
	const char *ot = "opportunity_id,lead_id,created_at,amount,is_won\nO1,2,2026-11-05,100,"
			 "yes\nO1,1,2026-11-06,200,no\nO2,9,2026-11-06,,\n";
	char *l = write_str(dir, "l.csv", lt);
	char *e = write_str(dir, "e.csv", "lead_id,occurred_at,type\n1,2026-11-05,Page Visit\n");
	char *s = write_str(dir, "s.csv", "date,channel,amount\n");
	char *o = write_str(dir, "o.csv", ot);
	ingest_cfg c = cfg_of(l, e, s, o);
	dataset *ds = load_ok(&c);
	char *got = dump(ds);
	const char *want =
	    "leads_have_mql=0 has_opportunities=1 dup_leads=1 dup_opps=1\n"
	    "lead 1 created=2026-11-04T00:00:00Z ch=email camp=unknown title= size=-1 ind= "
	    "country= amount=- conv=\n"
	    "lead 2 created=2026-11-03T00:00:00Z ch=web camp=unknown title= size=-1 ind= country= "
	    "amount=- conv=\n"
	    "event 1 at=2026-11-05T00:00:00Z type=page_visit kind=9 ch=unknown camp=unknown\n"
	    "opp O1 lead=1 created=2026-11-06T00:00:00Z stage= won=0 isclosed=-1 amount=200.00\n"
	    "opp O2 lead=- created=2026-11-06T00:00:00Z stage= won=-1 isclosed=-1 amount=-\n";
	assert_string_equal(got, want);
	assert_int_equal(ds->leads[0].line, 4);
	assert_rows(ds, SRC_LEADS, 4, 3, 1);
	assert_rows(ds, SRC_OPPORTUNITIES, 3, 3, 0);
	free(got);
	dataset_free(ds);
	ingest_cfg_clear(&c);
	g_unlink(l);
	g_unlink(e);
	g_unlink(s);
	g_unlink(o);
	g_rmdir(dir);
	g_free(l);
	g_free(e);
	g_free(s);
	g_free(o);
	g_free(dir);
}

/* Aliases from the config, compared after normalising both sides. */
static void test_aliases(void **state)
{
	(void)state;
	ingest_cfg c = cfg_of(FIX "canonical/leads.csv", FIX "canonical/events.csv",
			      FIX "canonical/spend.csv", NULL);
	strpairs_add(&c.channel_aliases, "Paid-Search", "Search Ads");
	strpairs_add(&c.type_aliases, "Email Open", "email_opened_v2");
	dataset *ds = load_ok(&c);
	assert_string_equal(ds_str(ds, ds->leads[0].channel), "search_ads");
	assert_string_equal(ds_str(ds, ds->spend[1].channel), "search_ads");
	assert_string_equal(ds_str(ds, ds_tag(ds, &ds->events[2])->type), "email_opened_v2");
	assert_int_equal(ev_kind_of(&ds->events[2]), EV_UNKNOWN);
	dataset_free(ds);
	ingest_cfg_clear(&c);
}

static void test_config_errors(void **state)
{
	(void)state;
	struct {
		const char *what;
		int status;
		const char *msg;
	} cases[] = {
	    {"missing file", MQ_NOINPUT, FIX "canonical/nope.csv: No such file or directory"},
	    {"no events", MQ_NOINPUT, "no events source configured"},
	    {"bad zone", MQ_CONFIG, "leads: unknown time zone \"Mars/Olympus\""},
	    {"bad encoding", MQ_CONFIG,
	     FIX "canonical/leads.csv: unknown encoding \"ebcdic\" (auto, utf-8 or windows-1252; "
		 "utf8, cp1252, "
		 "latin1 and iso-8859-1 name them too)"},
	    {"bad preset", MQ_CONFIG, FIX "canonical/leads.csv: unknown preset \"zoho\""},
	    {"bad column", MQ_CONFIG, "[columns.leads]: \"occurred_at\" is not a column of leads"},
	    {"missing mapped column", MQ_DATAERR,
	     FIX "canonical/leads.csv:1: missing required column \"created_at\" (mapped to "
		 "\"Create Date\"; header has: "
		 "\"lead_id\", \"created_at\", \"channel\", \"campaign\", \"job_title\", "
		 "\"company_size\", "
		 "\"industry\", \"country\", \"mql_at\", \"sql_at\", \"opportunity_at\", "
		 "\"won_at\", \"amount\"); "
		 "if \"created_at\" holds it, say so in the configuration file (--config): "
		 "[columns.leads] created_at = created_at"},
	    /* an optional column too: a misspelt header never reads as "no MQL" */
	    {"missing mapped optional column", MQ_DATAERR,
	     FIX "canonical/leads.csv:1: [columns.leads] maps won_at to \"Won Dat\", which the "
		 "header does not have (did you mean \"won_at\"?): correct the name, or remove the "
		 "line to read the file without won_at"},
	    /* a header two columns are mapped to */
	    {"header mapped twice", MQ_DATAERR,
	     FIX "canonical/leads.csv:1: [columns.leads] maps sql_at to \"sql_at\", which mql_at "
		 "is mapped to as well: map each header to one column"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		ingest_cfg c = cfg_of(FIX "canonical/leads.csv", FIX "canonical/events.csv",
				      FIX "canonical/spend.csv", NULL);
		switch (i) {
		case 0:
			cfg_set(&c, SRC_LEADS, FIX "canonical/nope.csv");
			break;
		case 1:
			cfg_set(&c, SRC_EVENTS, NULL);
			break;
		case 2:
			c.src[SRC_LEADS].timezone = xstrdup("Mars/Olympus");
			break;
		case 3:
			c.src[SRC_LEADS].encoding = xstrdup("ebcdic");
			break;
		case 4:
			free(c.src[SRC_LEADS].preset);
			c.src[SRC_LEADS].preset = xstrdup("zoho");
			break;
		case 5:
			strpairs_add(&c.src[SRC_LEADS].columns, "occurred_at", "When");
			break;
		case 6:
			strpairs_add(&c.src[SRC_LEADS].columns, "created_at", "Create Date");
			break;
		case 7:
			strpairs_add(&c.src[SRC_LEADS].columns, "won_at", "Won Dat");
			break;
		case 8:
			strpairs_add(&c.src[SRC_LEADS].columns, "sql_at", "sql_at");
			strpairs_add(&c.src[SRC_LEADS].columns, "mql_at", "sql_at");
			break;
		}
		dataset *ds = dataset_new();
		mq_err err = {0};
		assert_int_equal(ingest_load(ds, &c, &err), -1);
		if (err.status != cases[i].status || strcmp(err.msg, cases[i].msg) != 0)
			fail_msg("%s: %d [%s], want %d [%s]", cases[i].what, err.status, err.msg,
				 cases[i].status, cases[i].msg);
		dataset_free(ds);
		ingest_cfg_clear(&c);
	}
}

/* An explicit column list maps any header. */
static void test_explicit_columns(void **state)
{
	(void)state;
	char *dir = g_dir_make_tmp("mqlingest-XXXXXX", NULL);
	const char *l2 = "Kennung,Angelegt am,Quelle\n7,2026-11-04,Messe\n";
	char *l = write_str(dir, "l.csv", l2);
	char *e = write_str(dir, "e.csv", "lead_id,occurred_at,type\n");
	char *s = write_str(dir, "s.csv", "date,channel,amount\n");
	ingest_cfg c = cfg_of(l, e, s, NULL);
	strpairs_add(&c.src[SRC_LEADS].columns, "lead_id", "Kennung");
	strpairs_add(&c.src[SRC_LEADS].columns, "created_at", "angelegt-am");
	strpairs_add(&c.src[SRC_LEADS].columns, "channel", "QUELLE");
	dataset *ds = load_ok(&c);
	char *got = dump(ds);
	assert_non_null(strstr(got, "lead 7 created=2026-11-04T00:00:00Z ch=messe"));
	assert_int_equal(ds->src[SRC_LEADS].unknown_columns.len, 0);
	free(got);
	dataset_free(ds);
	ingest_cfg_clear(&c);
	g_unlink(l);
	g_unlink(e);
	g_unlink(s);
	g_rmdir(dir);
	g_free(l);
	g_free(e);
	g_free(s);
	g_free(dir);
}

/* The loose key of a header: letters and digits of any script, case
 * folded, compatibility forms as their plain letters. */
static void test_fold(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"Create Date", "createdate"},
	    {"CREATE-DATE", "createdate"},
	    {"create_date", "createdate"},
	    {"Cost (€)", "cost"},
	    {"Cost ($)", "cost"},
	    {"作成日", "作成日"},
	    {"MQL 日付", "mql日付"},
	    {"MQL 承認日", "mql承認日"},
	    {"Дата создания", "датасоздания"},
	    {"ДАТА СОЗДАНИЯ", "датасоздания"},
	    {"Straße", "strasse"},
	    {"ＩＤ", "id"},		 /* full-width letters */
	    {"Cre\u0301e", "cr\u00e9e"}, /* e and a combining acute: é */
	    {"मूल्य", "मूल्य"},		 /* the vowel signs stay with their letters */
	    {"★ ☆ (€)", ""},
	    {"", ""},
	    {"caf\xe9 ID", "cafid"}, /* not UTF-8: its ASCII letters and digits */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *got = colmap_fold(cases[i].in, strlen(cases[i].in));
		if (strcmp(got, cases[i].want) != 0)
			fail_msg("fold of \"%s\": \"%s\", want \"%s\"", cases[i].in, got,
				 cases[i].want);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_canonical),	     cmocka_unit_test(test_sha256),
	    cmocka_unit_test(test_hubspot),	     cmocka_unit_test(test_salesforce),
	    cmocka_unit_test(test_marketo),	     cmocka_unit_test(test_windows_1252),
	    cmocka_unit_test(test_bad_inputs),	     cmocka_unit_test(test_report_lines),
	    cmocka_unit_test(test_reject_fields),    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_aliases),	     cmocka_unit_test(test_config_errors),
	    cmocka_unit_test(test_explicit_columns), cmocka_unit_test(test_fold),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
