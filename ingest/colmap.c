/* colmap.c — the preset tables and the header binding: which header
 * column holds each canonical column, under which vendor preset. It must
 * not read rows, parse values or know the loader: it sees one header row
 * and the configuration's column list. */
#include "colmap.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalize.h"
#include "textenc.h"

const char *const colmap_column[CC_COUNT] = {
    [CC_LEAD_ID] = "lead_id",
    [CC_CREATED_AT] = "created_at",
    [CC_MQL_AT] = "mql_at",
    [CC_ACCEPTED_AT] = "accepted_at",
    [CC_REJECTED_AT] = "rejected_at",
    [CC_SQL_AT] = "sql_at",
    [CC_FIRST_CONTACT_AT] = "first_contact_at",
    [CC_OPPORTUNITY_AT] = "opportunity_at",
    [CC_WON_AT] = "won_at",
    [CC_LOST_AT] = "lost_at",
    [CC_CHANNEL] = "channel",
    [CC_CAMPAIGN] = "campaign",
    [CC_JOB_TITLE] = "job_title",
    [CC_COMPANY_SIZE] = "company_size",
    [CC_INDUSTRY] = "industry",
    [CC_COUNTRY] = "country",
    [CC_AMOUNT] = "amount",
    [CC_CONVERTED_OPP] = "converted_opportunity_id",
    [CC_OCCURRED_AT] = "occurred_at",
    [CC_TYPE] = "type",
    [CC_DATE] = "date",
    [CC_CURRENCY] = "currency",
    [CC_OPPORTUNITY_ID] = "opportunity_id",
    [CC_CLOSED_AT] = "closed_at",
    [CC_STAGE] = "stage",
    [CC_IS_WON] = "is_won",
    [CC_IS_CLOSED] = "is_closed",
    [CC_LEAD_STATUS] = "lead_status",
};

/* Columns of each source, in SPEC order (required first). */
static const int source_cols[SRC_COUNT][24] = {
    [SRC_LEADS] = {CC_LEAD_ID,		CC_CREATED_AT,	   CC_CHANNEL,	   CC_CAMPAIGN,
		   CC_JOB_TITLE,	CC_COMPANY_SIZE,   CC_INDUSTRY,	   CC_COUNTRY,
		   CC_MQL_AT,		CC_ACCEPTED_AT,	   CC_REJECTED_AT, CC_SQL_AT,
		   CC_FIRST_CONTACT_AT, CC_OPPORTUNITY_AT, CC_WON_AT,	   CC_LOST_AT,
		   CC_AMOUNT,		CC_CONVERTED_OPP,  CC_LEAD_STATUS, -1},
    [SRC_EVENTS] = {CC_LEAD_ID, CC_OCCURRED_AT, CC_TYPE, CC_CHANNEL, CC_CAMPAIGN, -1},
    [SRC_SPEND] = {CC_DATE, CC_CHANNEL, CC_AMOUNT, CC_CAMPAIGN, CC_CURRENCY, -1},
    [SRC_OPPORTUNITIES] = {CC_OPPORTUNITY_ID, CC_LEAD_ID, CC_CREATED_AT, CC_CLOSED_AT, CC_STAGE,
			   CC_IS_WON, CC_IS_CLOSED, CC_AMOUNT, CC_CURRENCY, -1},
};

static const int required_cols[SRC_COUNT][4] = {
    [SRC_LEADS] = {CC_LEAD_ID, CC_CREATED_AT, -1},
    [SRC_EVENTS] = {CC_LEAD_ID, CC_OCCURRED_AT, CC_TYPE, -1},
    [SRC_SPEND] = {CC_DATE, CC_CHANNEL, CC_AMOUNT, -1},
    [SRC_OPPORTUNITIES] = {CC_OPPORTUNITY_ID, CC_LEAD_ID, CC_CREATED_AT, -1},
};

bool colmap_has(int source, int c)
{
	for (const int *p = source_cols[source]; *p >= 0; p++)
		if (*p == c)
			return true;
	return false;
}

const int *colmap_required(int source)
{
	return required_cols[source];
}

/* ---- presets: vendor header names per (source, column), in priority order ---- */

typedef struct preset_name {
	int source; /* -1: every source that has the column */
	int col;
	const char *header;
} preset_name;

/* HubSpot contacts export. */
static const preset_name hubspot_names[] = {
    {SRC_LEADS, CC_LEAD_ID, "Record ID"},
    {SRC_LEADS, CC_LEAD_ID, "Contact ID"},
    {SRC_LEADS, CC_CREATED_AT, "Create Date"},
    {SRC_LEADS, CC_CHANNEL, "Original Source"},
    {SRC_LEADS, CC_CAMPAIGN, "Original Source Drill-Down 2"},
    {SRC_LEADS, CC_CAMPAIGN, "Drill Down 2"},
    /* the same properties as HubSpot names them since 2023, and as older
     * accounts' exports do */
    {SRC_LEADS, CC_CHANNEL, "Original Traffic Source"},
    {SRC_LEADS, CC_CAMPAIGN, "Original Traffic Source Drill-Down 2"},
    {SRC_LEADS, CC_CAMPAIGN, "Original Source Data 2"},
    {SRC_LEADS, CC_JOB_TITLE, "Job Title"},
    {SRC_LEADS, CC_COMPANY_SIZE, "Number of Employees"},
    {SRC_LEADS, CC_INDUSTRY, "Industry"},
    {SRC_LEADS, CC_COUNTRY, "Country/Region"},
    {SRC_LEADS, CC_COUNTRY, "Country"},
    {SRC_LEADS, CC_MQL_AT, "Became a Marketing Qualified Lead Date"},
    {SRC_LEADS, CC_SQL_AT, "Became a Sales Qualified Lead Date"},
    {SRC_LEADS, CC_OPPORTUNITY_AT, "Became an Opportunity Date"},
    {SRC_LEADS, CC_WON_AT, "Became a Customer Date"},
    /* the lifecycle stage pipeline's dates, which replace the four above */
    {SRC_LEADS, CC_MQL_AT, "Date entered 'Marketing Qualified Lead (Lifecycle Stage Pipeline)'"},
    {SRC_LEADS, CC_SQL_AT, "Date entered 'Sales Qualified Lead (Lifecycle Stage Pipeline)'"},
    {SRC_LEADS, CC_OPPORTUNITY_AT, "Date entered 'Opportunity (Lifecycle Stage Pipeline)'"},
    {SRC_LEADS, CC_WON_AT, "Date entered 'Customer (Lifecycle Stage Pipeline)'"},
    {SRC_LEADS, CC_AMOUNT, "Total Revenue"},
    {SRC_LEADS, CC_LEAD_STATUS, "Lead Status"},
    {SRC_LEADS, CC_LEAD_STATUS, "Lifecycle Stage"},
    {-1, 0, NULL},
};

/* Salesforce lead report and opportunity report. */
static const preset_name salesforce_names[] = {
    {SRC_LEADS, CC_LEAD_ID, "Lead ID"},
    {SRC_LEADS, CC_CREATED_AT, "Created Date"},
    {SRC_LEADS, CC_CHANNEL, "Lead Source"},
    {SRC_LEADS, CC_CAMPAIGN, "Primary Campaign Source"},
    {SRC_LEADS, CC_CAMPAIGN, "Campaign Name"},
    {SRC_LEADS, CC_JOB_TITLE, "Title"},
    {SRC_LEADS, CC_COMPANY_SIZE, "No. of Employees"},
    {SRC_LEADS, CC_COMPANY_SIZE, "Employees"},
    {SRC_LEADS, CC_INDUSTRY, "Industry"},
    {SRC_LEADS, CC_COUNTRY, "Country"},
    {SRC_LEADS, CC_MQL_AT, "MQL Date"},
    {SRC_LEADS, CC_MQL_AT, "MQL_Date__c"},
    {SRC_LEADS, CC_SQL_AT, "Converted Date"},
    {SRC_LEADS, CC_CONVERTED_OPP, "Converted Opportunity ID"},
    {SRC_LEADS, CC_LEAD_STATUS, "Lead Status"},
    {SRC_OPPORTUNITIES, CC_OPPORTUNITY_ID, "Opportunity ID"},
    {SRC_OPPORTUNITIES, CC_CREATED_AT, "Created Date"},
    {SRC_OPPORTUNITIES, CC_CLOSED_AT, "Close Date"},
    {SRC_OPPORTUNITIES, CC_STAGE, "Stage"},
    {SRC_OPPORTUNITIES, CC_IS_CLOSED, "Closed"},
    {SRC_OPPORTUNITIES, CC_IS_WON, "Won"},
    {SRC_OPPORTUNITIES, CC_AMOUNT, "Amount"},
    /* a multi-currency org's report: the currency of each deal's amount */
    {SRC_OPPORTUNITIES, CC_CURRENCY, "Amount Currency"},
    {SRC_OPPORTUNITIES, CC_CURRENCY, "Opportunity Currency"},
    {-1, 0, NULL},
};

/* Marketo REST lead fields and the bulk activity extract. */
static const preset_name marketo_names[] = {
    {SRC_LEADS, CC_LEAD_ID, "id"},
    {SRC_LEADS, CC_CREATED_AT, "createdAt"},
    {SRC_LEADS, CC_CHANNEL, "leadSource"},
    {SRC_LEADS, CC_CAMPAIGN, "acquisitionProgramName"},
    {SRC_LEADS, CC_JOB_TITLE, "title"},
    {SRC_LEADS, CC_COMPANY_SIZE, "numberOfEmployees"},
    {SRC_LEADS, CC_INDUSTRY, "industry"},
    {SRC_LEADS, CC_COUNTRY, "country"},
    {SRC_LEADS, CC_LEAD_STATUS, "leadStatus"},
    {SRC_LEADS, CC_LEAD_STATUS, "Lead Status"},
    {SRC_EVENTS, CC_LEAD_ID, "leadId"},
    {SRC_EVENTS, CC_OCCURRED_AT, "activityDate"},
    {SRC_EVENTS, CC_TYPE, "activityTypeId"},
    {SRC_EVENTS, CC_CAMPAIGN, "campaignId"},
    {-1, 0, NULL},
};

/* HubSpot's Original Source labels (and their API values, which normalise
 * the same) onto our channels. */
static const colmap_alias hubspot_channels[] = {
    {"Organic Search", "organic_search"},
    {"Paid Search", "paid_search"},
    {"Email Marketing", "email"},
    {"Social Media", "organic_social"},
    {"Paid Social", "paid_social"},
    {"Referrals", "referral"},
    {"Direct Traffic", "direct"},
    {"Offline Sources", "offline"},
    {"Offline", "offline"},
    {"Other Campaigns", "other_campaigns"},
    {"AI Referrals", "ai_referral"},
    {NULL, NULL},
};

/* Marketo's standard activity types onto SPEC event types: by id, as the
 * bulk activity extract writes them, and by name, as the user interface's
 * exports write them (each name the same type as its id). */
static const colmap_alias marketo_types[] = {
    {"1", "page_visit"},
    {"Visit Webpage", "page_visit"},
    {"2", "content_download"},
    {"Fill Out Form", "content_download"},
    {"3", "blog_click"},
    {"Click Link", "blog_click"},
    {"8", "email_bounce"},
    {"Email Bounced", "email_bounce"},
    {"9", "email_unsubscribe"},
    {"Unsubscribe Email", "email_unsubscribe"},
    {"10", "email_open"},
    {"Open Email", "email_open"},
    {"11", "email_click"},
    {"Click Email", "email_click"},
    {NULL, NULL},
};

/* HubSpot's Industry picklist (LinkedIn's industries) onto the scoring
 * rules' industries. */
static const colmap_alias hubspot_industries[] = {
    {"Computer Software", "software"},
    {"Internet", "software"},
    {"Information Technology and Services", "it_services"},
    {"Information Technology & Services", "it_services"},
    {"Computer & Network Security", "it_services"},
    {"Financial Services", "financial_services"},
    {"Banking", "financial_services"},
    {"Investment Management", "financial_services"},
    {"Marketing and Advertising", "marketing"},
    {"Marketing & Advertising", "marketing"},
    {"Machinery", "manufacturing"},
    {"Mechanical or Industrial Engineering", "manufacturing"},
    {"Industrial Automation", "manufacturing"},
    {"Automotive", "manufacturing"},
    {"Hospital & Health Care", "healthcare"},
    {"Medical Devices", "healthcare"},
    {"Higher Education", "education"},
    {"Education Management", "education"},
    {"E-Learning", "education"},
    {NULL, NULL},
};

/* Salesforce's standard Industry picklist. */
static const colmap_alias salesforce_industries[] = {
    {"Technology", "software"},
    {"Banking", "financial_services"},
    {"Finance", "financial_services"},
    {"Machinery", "manufacturing"},
    {NULL, NULL},
};

static const colmap_alias no_aliases[] = {{NULL, NULL}};

static const colmap_preset presets[] = {
    {"canonical", false, false, no_aliases, no_aliases, no_aliases},
    {"hubspot", false, false, hubspot_channels, no_aliases, hubspot_industries},
    {"salesforce", true, false, no_aliases, no_aliases, salesforce_industries},
    {"marketo", false, true, no_aliases, marketo_types, no_aliases},
};
static const preset_name *const preset_names[] = {NULL, hubspot_names, salesforce_names,
						  marketo_names};
#define NPRESETS (sizeof presets / sizeof *presets)

const colmap_preset *colmap_preset_named(const char *name)
{
	for (size_t i = 0; i < NPRESETS; i++)
		if (strcmp(presets[i].name, name) == 0)
			return &presets[i];
	return NULL;
}

/* The ASCII letters and digits of s[0..len), lower-cased, into out (room
 * for len + 1 bytes); returns the length. The fold of ASCII text, and of
 * text that is not UTF-8. */
static size_t fold_ascii(const char *s, size_t len, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];
		if (c >= 'A' && c <= 'Z')
			out[o++] = (char)(c + 32);
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[o++] = c;
	}
	out[o] = '\0';
	return o;
}

/* s case-folded under Unicode and normalised with mode (before the fold
 * and after it, as a fold may undo a composition), or NULL when s is not
 * UTF-8. Caller g_free()s. */
static char *unicode_fold(const char *s, size_t len, GNormalizeMode mode)
{
	if (!g_utf8_validate(s, (gssize)len, NULL))
		return NULL;
	char *norm = g_utf8_normalize(s, (gssize)len, mode);
	char *cf = norm ? g_utf8_casefold(norm, -1) : NULL;
	char *out = cf ? g_utf8_normalize(cf, -1, mode) : NULL;
	g_free(norm);
	g_free(cf);
	return out;
}

char *colmap_fold(const char *s, size_t len)
{
	char *out;
	char *nf = textenc_plain_ascii(s, len) ? NULL : unicode_fold(s, len, G_NORMALIZE_NFKC);
	if (!nf) {
		out = xmalloc(len + 1);
		fold_ascii(s, len, out);
		return out;
	}
	out = xmalloc(strlen(nf) + 1);
	size_t o = 0;
	bool kept = false;
	for (const char *p = nf; *p; p = g_utf8_next_char(p)) {
		gunichar u = g_utf8_get_char(p);
		/* a mark belongs to the letter before it: a vowel sign of
		 * Devanagari or Thai tells words apart */
		kept = g_unichar_isalnum(u) || (kept && g_unichar_ismark(u));
		if (kept) {
			size_t w = (size_t)(g_utf8_next_char(p) - p);
			memcpy(out + o, p, w);
			o += w;
		}
	}
	out[o] = '\0';
	g_free(nf);
	return out;
}

/* The text of s[0..len) as the exact match compares it: trimmed, NFC and
 * case-folded (plain ASCII lower-cased; text that is not UTF-8 too). A new
 * string; caller free()s. */
static char *exact_key(const char *s, size_t len)
{
	norm_trim(&s, &len);
	char *u = textenc_plain_ascii(s, len) ? NULL : unicode_fold(s, len, G_NORMALIZE_NFC);
	if (u) {
		char *out = xstrdup(u);
		g_free(u);
		return out;
	}
	char *out = xstrndup(s, len);
	for (char *p = out; *p; p++)
		*p = g_ascii_tolower(*p);
	return out;
}

/* A header's keys, computed once per bind: its exact one (exact_key())
 * and its loose one (colmap_fold()). */
typedef struct hkeys {
	char **exact;
	char **key;
	size_t n;
} hkeys;

static hkeys fold_header(const csvr_field *hdr, size_t n)
{
	hkeys h = {.exact = xcalloc(n ? n : 1, sizeof(char *)),
		   .key = xcalloc(n ? n : 1, sizeof(char *)),
		   .n = n};
	for (size_t i = 0; i < n; i++) {
		h.exact[i] = exact_key(hdr[i].s, hdr[i].len);
		h.key[i] = colmap_fold(hdr[i].s, hdr[i].len);
	}
	return h;
}

static void hkeys_free(hkeys *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->exact[i]);
		free(h->key[i]);
	}
	free(h->exact);
	free(h->key);
}

/* The header columns a name matches. */
typedef struct hmatch {
	int first;  /* the leftmost; -1: none */
	int second; /* the next, of a loose match; -1: none */
	int count;  /* how many: several only of a loose match */
	bool exact; /* first is the name as written (trimmed, in any case) */
} hmatch;

/* The header columns not in `used` (may be NULL) that name matches: the
 * leftmost whose text is name's, trimmed and in any case; when none is
 * and not exact_only, every one whose loose key is name's, which must not
 * be empty (a name of symbols alone matches nothing loosely); the
 * first's own text again is not counted. */
static hmatch find_header(const hkeys *h, const bool *used, const char *name, bool exact_only)
{
	hmatch r = {.first = -1, .second = -1, .count = 0, .exact = false};
	size_t len = strlen(name);
	char *ek = exact_key(name, len);
	for (size_t i = 0; ek[0] && i < h->n && r.first < 0; i++)
		if (!(used && used[i]) && strcmp(h->exact[i], ek) == 0)
			r = (hmatch){.first = (int)i, .second = -1, .count = 1, .exact = true};
	free(ek);
	if (r.first >= 0 || exact_only)
		return r;
	char *k = colmap_fold(name, len);
	for (size_t i = 0; k[0] && i < h->n; i++) {
		if ((used && used[i]) || strcmp(h->key[i], k) != 0)
			continue;
		if (r.first < 0) {
			r.first = (int)i;
			r.count = 1;
			continue;
		}
		/* the first's own text again is a repeated column, read first
		 * as written; another text is another column */
		if (strcmp(h->exact[i], h->exact[r.first]) == 0)
			continue;
		if (r.second < 0)
			r.second = (int)i;
		r.count++;
	}
	free(k);
	return r;
}

/* Bind column c to the leftmost unused header column that name matches
 * (find_header()); returns the match. */
static hmatch bind_name(colmap *m, int c, const hkeys *h, bool *used, const char *name,
			bool exact_only)
{
	hmatch r = find_header(h, used, name, exact_only);
	if (r.first >= 0) {
		used[r.first] = true;
		m->col[c] = r.first;
	}
	return r;
}

/* Bind every column of source s under preset p; returns the number bound.
 * *ambiguous gets the first column whose configured header is no header
 * as written but matches several loosely (bound to the leftmost, for the
 * caller to refuse), or -1. */
static int bind_all(colmap *m, int s, const colmap_preset *p, const strpairs *columns,
		    const hkeys *h, bool *used, int *ambiguous)
{
	const preset_name *names = preset_names[p - presets];
	memset(used, 0, h->n * sizeof *used);
	m->preset = p;
	m->nheader = h->n;
	*ambiguous = -1;
	int bound = 0;
	for (int c = 0; c < CC_COUNT; c++) {
		m->col[c] = -1;
		m->alike[c] = -1;
		m->nalike[c] = 0;
	}
	/* the headers the configuration names first: a column's own name
	 * ("channel") must not take the header another column is mapped to
	 * ([columns.leads] campaign = channel); and every name's header as
	 * written before any loose match, which must not take a header
	 * another line names exactly */
	for (int pass = 0; pass < 2; pass++) {
		for (const int *cp = source_cols[s]; *cp >= 0; cp++) {
			const char *explicit =
			    columns ? strpairs_get(columns, colmap_column[*cp]) : NULL;
			if (!explicit || m->col[*cp] >= 0)
				continue;
			hmatch r = bind_name(m, *cp, h, used, explicit, pass == 0);
			bound += r.first >= 0;
			if (r.count > 1 && *ambiguous < 0)
				*ambiguous = *cp;
		}
	}
	for (const int *cp = source_cols[s]; *cp >= 0; cp++) {
		int c = *cp;
		if (columns && strpairs_get(columns, colmap_column[c]))
			continue;
		hmatch r = {.first = -1, .second = -1, .count = 0, .exact = false};
		for (const preset_name *pn = names; pn && pn->header && r.first < 0; pn++)
			if ((pn->source == s || pn->source == -1) && pn->col == c)
				r = bind_name(m, c, h, used, pn->header, false);
		if (r.first < 0)
			r = bind_name(m, c, h, used, colmap_column[c], false);
		/* the leftmost of headers alike ("Amount (€)", "Amount ($)"):
		 * read, but named in a warning (colmap.h) */
		if (r.count > 1) {
			m->alike[c] = r.second;
			m->nalike[c] = r.count - 1;
		}
		bound += r.first >= 0;
	}
	return bound;
}

static bool waived(const int *optional_ok, int c)
{
	for (const int *p = optional_ok; p && *p >= 0; p++)
		if (*p == c)
			return true;
	return false;
}

static int first_missing(const colmap *m, int s, const int *optional_ok)
{
	for (const int *p = required_cols[s]; *p >= 0; p++)
		if (m->col[*p] < 0 && !waived(optional_ok, *p))
			return *p;
	return -1;
}

/* Every column the configuration maps must be a column of the source. */
static int check_columns(int source, const strpairs *columns, const colmap_where *at, mq_err *err)
{
	for (size_t i = 0; columns && i < columns->len; i++) {
		const char *k = columns->items[i].key;
		int c = 0;
		while (c < CC_COUNT && strcmp(colmap_column[c], k) != 0)
			c++;
		if (c == CC_COUNT || !colmap_has(source, c)) {
			mq_err_set(err, MQ_CONFIG, "[columns.%s]: \"%s\" is not a column of %s",
				   at->group, k, source_name[source]);
			return -1;
		}
	}
	return 0;
}

/* Whether the folded header key is the name of a canonical column other
 * than c: accepted_at is not a created_at misspelt. */
static bool names_another(int c, const char *key)
{
	char other[64];
	for (int k = 0; k < CC_COUNT; k++) {
		if (k == c)
			continue;
		fold_ascii(colmap_column[k], strlen(colmap_column[k]), other);
		if (strcmp(other, key) == 0)
			return true;
	}
	return false;
}

/* The header closest to the folded name want, and not the name of a
 * canonical column other than c (nor, with `used`, a header bound
 * already), or -1. `near`: within a quarter of the name's letters (or
 * holding it), for a guess about a column nobody asked for; else within
 * half, for the suggestion beside a missing required one. */
static int closest_to(const char *want, int c, const hkeys *h, const bool *used, bool near)
{
	int best = -1;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < h->n; i++) {
		const char *key = h->key[i];
		/* a long header is no misspelt column name */
		if ((used && used[i]) || !key[0] || strlen(key) >= 256 || names_another(c, key))
			continue;
		size_t d = mq_edit_distance(want, key);
		/* a header holding the name or held by it is close too */
		if (strstr(key, want) || strstr(want, key))
			d = d < 2 ? d : 2;
		if (d < best_d) {
			best_d = d;
			best = (int)i;
		}
	}
	/* a far header is no suggestion */
	size_t wl = strlen(want), part = near ? wl / 4 : wl / 2, limit = part > 2 ? part : 2;
	return best_d <= limit ? best : -1;
}

/* The header closest to column c's name (and its preset names), or -1. */
static int closest_header(int c, const hkeys *h)
{
	char want[64];
	fold_ascii(colmap_column[c], strlen(colmap_column[c]), want);
	return closest_to(want, c, h, NULL, false);
}

/* The headers at first and after it that a loose match found, quoted and
 * comma-separated into out (room for 80 bytes at least), as many as fit
 * and "…" for the rest: every header whose loose key is first's, but for
 * first's own text again. Returns how many there are. */
static int list_alike(const csvr_field *hdr, const hkeys *h, int first, char *out, size_t size)
{
	size_t o = 0;
	int count = 0;
	bool cut = false;
	out[0] = '\0';
	for (size_t i = (size_t)first; i < h->n; i++) {
		if (strcmp(h->key[i], h->key[first]) != 0 ||
		    (i > (size_t)first && strcmp(h->exact[i], h->exact[first]) == 0))
			continue;
		/* a header of 60 bytes at most, quoted, and ", …" after it */
		if (count++ && (cut || o + 72 > size)) {
			if (!cut)
				snprintf(out + o, size - o, ", …");
			cut = true;
			continue;
		}
		int w = snprintf(out + o, size - o, "%s\"%.*s\"", o ? ", " : "",
				 (int)(hdr[i].len > 60 ? 60 : hdr[i].len), hdr[i].s);
		o += w > 0 ? (size_t)w : 0;
	}
	return count;
}

/* A header the configuration names for column c that is none of the
 * header's as written, but matches several once case, spaces and symbols
 * are left out ("cost" beside "Cost (€)" and "Cost ($)"): reading the
 * leftmost would be a guess, so the run stops and names them. */
static void ambiguous_error(const colmap *m, int source, int c, const strpairs *columns,
			    const csvr_field *hdr, const hkeys *h, const colmap_where *at,
			    mq_err *err)
{
	const char *explicit = strpairs_get(columns, colmap_column[c]);
	char which[512];
	int count = list_alike(hdr, h, m->col[c], which, sizeof which);
	bool mql_date = source == SRC_LEADS && c == CC_MQL_AT;
	mq_err_set(err, MQ_DATAERR,
		   "%s:%u: [columns.%s]%s maps %s to \"%s\", which is no header of the file as "
		   "written but matches %d of them once case, spaces and symbols are left out "
		   "(%s): write the header of the column to read exactly as the file has it",
		   at->name, at->line, at->group, mql_date ? " or [mql] date_column" : "",
		   colmap_column[c], explicit, count, which);
}

/* Every header the configuration names ([columns.X]) is in the file: a
 * mapped column that is not there is a typo or a changed export, never a
 * column quietly left out (it would read as "no MQL", "no win"). */
static int check_mapped(const colmap *m, int source, const strpairs *columns, const csvr_field *hdr,
			const hkeys *h, const colmap_where *at, mq_err *err)
{
	for (size_t i = 0; columns && i < columns->len; i++) {
		int c = 0;
		while (c < CC_COUNT && strcmp(colmap_column[c], columns->items[i].key) != 0)
			c++;
		if (c == CC_COUNT || m->col[c] >= 0)
			continue;
		const char *explicit = columns->items[i].value;
		char hint[200] = "";
		/* [mql] date_column names the leads' mql_at too (cmd/config.c) */
		bool mql_date = source == SRC_LEADS && c == CC_MQL_AT;
		/* the column reading that header: named for it too (the names
		 * the configuration gives are bound before any other) */
		hmatch r = find_header(h, NULL, explicit, false);
		int taken = -1;
		for (int k = 0; k < CC_COUNT && r.first >= 0 && taken < 0; k++)
			if (m->col[k] == r.first)
				taken = k;
		if (taken >= 0) {
			mq_err_set(err, MQ_DATAERR,
				   "%s:%u: [columns.%s]%s maps %s to \"%s\", which %s is mapped to "
				   "as well: map each header to one column",
				   at->name, at->line, at->group,
				   mql_date ? " or [mql] date_column" : "", colmap_column[c],
				   explicit, colmap_column[taken]);
			return -1;
		}
		char *want = colmap_fold(explicit, strlen(explicit));
		int hc = want[0] ? closest_to(want, c, h, NULL, false) : -1;
		free(want);
		if (hc >= 0)
			snprintf(hint, sizeof hint, " (did you mean \"%.*s\"?)",
				 (int)(hdr[hc].len > 60 ? 60 : hdr[hc].len), hdr[hc].s);
		mq_err_set(err, MQ_DATAERR,
			   "%s:%u: [columns.%s]%s maps %s to \"%s\", which the header does not "
			   "have%s: correct the name, or remove the line to read the file without "
			   "%s",
			   at->name, at->line, at->group, mql_date ? " or [mql] date_column" : "",
			   colmap_column[c], explicit, hint, colmap_column[c]);
		return -1;
	}
	return 0;
}

/* A spend file that has no channel column at all (Google Ads' exports have
 * none) has no header to name: the fix is a fixed channel in its own
 * group, offered after the hint out already holds. */
static void fixed_channel_hint(int source, int c, const colmap_where *at, char *out, size_t size)
{
	if (source != SRC_SPEND || c != CC_CHANNEL)
		return;
	size_t len = strlen(out);
	snprintf(out + len, size - len,
		 "; or, if the file has no channel column (a Google Ads export has none), "
		 "give every row its channel in the configuration file: [source.%s] channel "
		 "= paid_search (or the channel its spend is)",
		 at->group);
}

/* What would fix a missing column: the [columns.X] line for the closest
 * header (and for spend's channel a fixed one), or the delimiter when the
 * header is one column. All name the file's own group (a named spend
 * file's [source.spend.NAME]). */
static void missing_hint(const colmap *m, int source, int c, const csvr_field *hdr, const hkeys *hk,
			 const colmap_where *at, char *out, size_t size)
{
	size_t n = hk->n;
	out[0] = '\0';
	/* quotes keep every separator in the field, the delimiter set too:
	 * no setting splits it */
	if (n == 1 && at->quoted) {
		snprintf(out, size,
			 "; the header is one field in quotes, which no delimiter splits: export "
			 "the file again without quotes around whole lines, or delete the lines "
			 "above its header");
		return;
	}
	/* unquoted, the field cannot hold the separator it was split at */
	if (n == 1) {
		static const char *const seps[] = {";", "\t", "|", ","};
		static const char *const say[] = {";", "tab", "|", ","};
		for (size_t k = 0; k < 4; k++) {
			if (memchr(hdr[0].s, seps[k][0], hdr[0].len)) {
				snprintf(
				    out, size,
				    "; the header is one column holding \"%s\": set delimiter = %s "
				    "in [source.%s]",
				    seps[k], say[k], at->group);
				return;
			}
		}
	}
	int h = closest_header(c, hk);
	/* the header read as another column already ([columns.leads] mql_at
	 * = created_at): naming it for this one too would be refused */
	for (int k = 0; h >= 0 && k < CC_COUNT; k++)
		if (k != c && m->col[k] == h) {
			snprintf(out, size,
				 "; its header \"%.*s\" is read as %s, as the configuration maps "
				 "it: map each header to one column ([columns.%s])",
				 (int)(hdr[h].len > 60 ? 60 : hdr[h].len), hdr[h].s,
				 colmap_column[k], at->group);
			fixed_channel_hint(source, c, at, out, size);
			return;
		}
	if (h >= 0)
		snprintf(out, size,
			 "; if \"%.*s\" holds it, say so in the configuration file (--config): "
			 "[columns.%s] %s = %.*s",
			 (int)(hdr[h].len > 60 ? 60 : hdr[h].len), hdr[h].s, at->group,
			 colmap_column[c], (int)(hdr[h].len > 60 ? 60 : hdr[h].len), hdr[h].s);
	else /* no header like it (a vendor's name in another language): the line to write */
		snprintf(out, size,
			 "; name the header that holds it in the configuration file (--config): "
			 "[columns.%s] %s = <header>, or check that this is the %s export",
			 at->group, colmap_column[c], source_name[source]);
	fixed_channel_hint(source, c, at, out, size);
}

/* The error for required column c, absent from the header hdr[0..n). */
static void missing_error(const colmap *m, int source, int c, const strpairs *columns,
			  const csvr_field *hdr, const hkeys *hk, const colmap_where *at,
			  mq_err *err)
{
	char hint[640];
	size_t n = hk->n;
	missing_hint(m, source, c, hdr, hk, at, hint, sizeof hint);
	/* the first headers, as many as fit, and how many more there are */
	char have[512] = "";
	size_t o = 0, i = 0;
	for (; i < n; i++) {
		int w = snprintf(have + o, sizeof have - o - 40, "%s\"%.*s\"", i ? ", " : "",
				 (int)(hdr[i].len > 60 ? 60 : hdr[i].len), hdr[i].s);
		if (w < 0 || (size_t)w >= sizeof have - o - 40) {
			have[o] = '\0';
			break;
		}
		o += (size_t)w;
	}
	if (i < n)
		snprintf(have + o, sizeof have - o, ", … and %zu more", n - i);
	const char *explicit = columns ? strpairs_get(columns, colmap_column[c]) : NULL;
	if (explicit)
		mq_err_set(
		    err, MQ_DATAERR,
		    "%s:%u: missing required column \"%s\" (mapped to \"%s\"; header has: %s)%s",
		    at->name, at->line, colmap_column[c], explicit, have, hint);
	else
		mq_err_set(err, MQ_DATAERR,
			   "%s:%u: missing required column \"%s\" (header has: %s)%s", at->name,
			   at->line, colmap_column[c], have, hint);
}

/* The unbound headers that look like an optional column the file lacks
 * (within the distance closest_to() allows): "Amount USD" for amount. Each
 * such header → 1 + that column, in `like`. */
static void guess_unbound(const colmap *m, int source, const csvr_field *hdr, const hkeys *h,
			  const bool *used, kvcounts *like)
{
	for (const int *cp = source_cols[source]; *cp >= 0; cp++) {
		int c = *cp;
		if (m->col[c] >= 0)
			continue;
		char want[64];
		fold_ascii(colmap_column[c], strlen(colmap_column[c]), want);
		int best = closest_to(want, c, h, used, true);
		if (best < 0)
			continue;
		char *txt = xstrndup(hdr[best].s, hdr[best].len);
		if (!kvcounts_get(like, txt))
			kvcounts_add(like, txt, 1 + c);
		free(txt);
	}
}

/* The columns m binds, and whether the required ones are among them (colmap.h). */
int colmap_bound(const colmap *m, int source, const int *optional_ok, bool *complete)
{
	int n = 0;
	for (const int *cp = source_cols[source]; *cp >= 0; cp++)
		n += m->col[*cp] >= 0;
	if (complete)
		*complete = first_missing(m, source, optional_ok) < 0;
	return n;
}

/* Bind the header row of a source under its preset or the detected one
 * (colmap.h). */
int colmap_bind(colmap *m, int source, const char *preset_name, const strpairs *columns,
		const csvr_field *hdr, size_t n, const colmap_where *at, const int *optional_ok,
		kvcounts *unknown, strpairs *repeated, kvcounts *like, mq_err *err)
{
	int rc = -1;
	hkeys h = fold_header(hdr, n);
	bool *used = xcalloc(n ? n : 1, sizeof *used);
	int ambiguous = -1;

	if (check_columns(source, columns, at, err) != 0)
		goto fail;

	if (preset_name && strcmp(preset_name, "auto") != 0) {
		const colmap_preset *p = colmap_preset_named(preset_name);
		if (!p) {
			mq_err_set(err, MQ_CONFIG, "%s: unknown preset \"%s\"", at->name,
				   preset_name);
			goto fail;
		}
		bind_all(m, source, p, columns, &h, used, &ambiguous);
	} else {
		/* detection: every required column bound, then the most columns */
		int best = -1, best_n = -1, fallback = 0, fallback_n = -1;
		for (size_t i = 0; i < NPRESETS; i++) {
			int nb = bind_all(m, source, &presets[i], columns, &h, used, &ambiguous);
			if (nb > fallback_n) {
				fallback = (int)i;
				fallback_n = nb;
			}
			if (first_missing(m, source, optional_ok) < 0 && nb > best_n) {
				best = (int)i;
				best_n = nb;
			}
		}
		bind_all(m, source, &presets[best >= 0 ? best : fallback], columns, &h, used,
			 &ambiguous);
	}

	/* the header the configuration names is read, or the run stops:
	 * never a neighbour that only looks like it */
	if (ambiguous >= 0) {
		ambiguous_error(m, source, ambiguous, columns, hdr, &h, at, err);
		goto fail;
	}
	int miss = first_missing(m, source, optional_ok);
	if (miss >= 0) {
		missing_error(m, source, miss, columns, hdr, &h, at, err);
		goto fail;
	}
	if (check_mapped(m, source, columns, hdr, &h, at, err) != 0)
		goto fail;
	/* the columns read, few: each unread one is compared with them, not
	 * with every column before it (a header of many columns took minutes) */
	size_t nread = 0;
	size_t *read = xcalloc(n ? n : 1, sizeof *read);
	for (size_t i = 0; i < n; i++)
		if (used[i])
			read[nread++] = i;
	for (size_t i = 0; unknown && i < n; i++) {
		if (used[i])
			continue;
		/* 2: the name of a column that is read, again (the first is
		 * read): the same name as the names are matched as written,
		 * trimmed and in any case ("channel", "Channel") */
		int64_t again = 1;
		size_t first = 0;
		for (size_t k = 0; k < nread && read[k] < i && again == 1; k++)
			if (h.exact[i][0] && strcmp(h.exact[read[k]], h.exact[i]) == 0) {
				again = 2;
				first = read[k];
			}
		char *txt = xstrndup(hdr[i].s, hdr[i].len);
		if (!kvcounts_get(unknown, txt)) {
			kvcounts_add(unknown, txt, again);
			/* the column read, when it is written otherwise */
			const csvr_field *r = &hdr[first];
			if (again == 2 && repeated && !strpairs_get(repeated, txt) &&
			    (r->len != hdr[i].len || memcmp(r->s, hdr[i].s, r->len) != 0)) {
				char *rtxt = xstrndup(r->s, r->len);
				strpairs_add(repeated, txt, rtxt);
				free(rtxt);
			}
		}
		free(txt);
	}
	free(read);
	if (like)
		guess_unbound(m, source, hdr, &h, used, like);
	rc = 0;
fail:
	free(used);
	hkeys_free(&h);
	return rc;
}
