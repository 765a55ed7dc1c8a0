/* vendor.c — `gen --vendor`: the same rows in the layout a CRM or
 * marketing-automation system exports them in (file names, header names,
 * date forms, Marketo's activity type ids, Salesforce's report title and
 * footer lines).
 *
 * Only the spelling changes here: this file must not draw from a PRNG, drop
 * or add a data row, or change a value's meaning, so that a vendor folder
 * and its canonical twin give the same report. Sources a vendor does not
 * export (HubSpot's and Salesforce's events, every vendor's spend) keep the
 * canonical layout. */
#include "gen_run.h"

#include <stdio.h>
#include <string.h>

#include "timeparse.h"

static const char *const vendor_names[] = {"", "hubspot", "salesforce", "marketo", NULL};

int gen_vendor_parse(const char *text)
{
	for (int v = VENDOR_HUBSPOT; vendor_names[v]; v++)
		if (!strcmp(text, vendor_names[v]))
			return v;
	return -1;
}

/* Header rows in the canonical column order (rows.c writes that order);
 * NULL keeps the canonical header. Names that no preset knows are custom
 * fields, mapped by the vendor folder's mqlreport.ini. */
static const char *const vendor_header[VENDOR_COUNT][SRC_COUNT] = {
    [VENDOR_HUBSPOT] =
	{
	    [SRC_LEADS] = "\"Record ID\",\"Create Date\",\"Original Source\","
			  "\"Original Source Drill-Down 2\",\"Job Title\",\"Number of Employees\","
			  "\"Industry\",\"Country/Region\","
			  "\"Became a Marketing Qualified Lead Date\",\"Accepted Date\","
			  "\"Rejected Date\",\"Became a Sales Qualified Lead Date\","
			  "\"First Contact Date\",\"Became an Opportunity Date\","
			  "\"Became a Customer Date\",\"Lost Date\",\"Total Revenue\"\n",
	    [SRC_OPPORTUNITIES] = "\"Record ID\",\"Associated Contact IDs\",\"Create Date\","
				  "\"Close Date\",\"Deal Stage\",\"Is Closed Won\",\"Is Closed\","
				  "\"Amount\"\n",
	},
    [VENDOR_SALESFORCE] =
	{
	    [SRC_LEADS] = "\"Lead ID\",\"Created Date\",\"Lead Source\","
			  "\"Primary Campaign Source\",\"Title\",\"No. of Employees\","
			  "\"Industry\",\"Country\",\"MQL Date\",\"Accepted Date\","
			  "\"Rejected Date\",\"Converted Date\",\"First Contact Date\","
			  "\"Opportunity Created Date\",\"Won Date\",\"Lost Date\",\"Amount\"\n",
	    [SRC_OPPORTUNITIES] = "\"Opportunity ID\",\"Lead ID\",\"Created Date\","
				  "\"Close Date\",\"Stage\",\"Won\",\"Closed\",\"Amount\"\n",
	},
    [VENDOR_MARKETO] =
	{
	    [SRC_LEADS] = "id,createdAt,leadSource,acquisitionProgramName,title,"
			  "numberOfEmployees,industry,country,mqlDate,acceptedDate,"
			  "rejectedDate,sqlDate,firstContactDate,opportunityDate,wonDate,"
			  "lostDate,amount\n",
	    [SRC_EVENTS] = "leadId,activityDate,activityTypeId,channel,programName\n",
	},
};

const char *gen_vendor_header(int vendor, int s)
{
	const char *h = vendor_header[vendor][s];
	return h ? h : gen_header[s];
}

/* "hubspot-crm-exports-all-contacts-2026-11-23.csv": HubSpot names an
 * export by what it holds and the day it was made (here as_of). */
void gen_vendor_file(const gen *g, int s, char *buf, size_t size)
{
	static const char *const hubspot[SRC_COUNT] = {
	    [SRC_LEADS] = "contacts", [SRC_OPPORTUNITIES] = "deals"};
	static const char *const salesforce[SRC_COUNT] = {
	    [SRC_LEADS] = "leads_report.csv", [SRC_OPPORTUNITIES] = "opportunities_report.csv"};
	static const char *const marketo[SRC_COUNT] = {
	    [SRC_LEADS] = "leads_export.csv", [SRC_EVENTS] = "activities_export.csv"};
	const char *name = gen_file_name[s];
	if (g->vendor == VENDOR_HUBSPOT && hubspot[s]) {
		int64_t y;
		int m, d;
		ts_civil_from_days(g->end / MS_PER_DAY, &y, &m, &d);
		snprintf(buf, size, "hubspot-crm-exports-all-%s-%04d-%02d-%02d.csv", hubspot[s],
			 (int)y, m, d);
		return;
	}
	if (g->vendor == VENDOR_SALESFORCE && salesforce[s])
		name = salesforce[s];
	if (g->vendor == VENDOR_MARKETO && marketo[s])
		name = marketo[s];
	snprintf(buf, size, "%s", name);
}

int gen_vendor_ts_style(int vendor, int s)
{
	if (!vendor_header[vendor][s] || vendor == VENDOR_MARKETO)
		return TSS_ISO; /* Marketo's REST and bulk exports write ISO 8601 */
	return vendor == VENDOR_HUBSPOT ? TSS_SPACE : TSS_US;
}

/* Marketo's activity type ids: its standard ids where one means the event,
 * custom activity ids (above 100000) for the others; mqlreport.ini maps
 * the custom ones with [aliases.type]. */
static const char *const marketo_type[EV_COUNT] = {
    [EV_UNKNOWN] = "100000",
    [EV_CONTENT_DOWNLOAD] = "2",
    [EV_PREMIUM_CONTENT_DOWNLOAD] = "100002",
    [EV_WEBINAR_REGISTERED] = "100003",
    [EV_WEBINAR_ATTENDED] = "100004",
    [EV_EVENT_ATTENDED] = "100005",
    [EV_DEMO_REQUEST] = "100006",
    [EV_PRICING_PAGE_VISIT] = "100007",
    [EV_SALES_CONTENT_VIEW] = "100008",
    [EV_PAGE_VISIT] = "1",
    [EV_BLOG_CLICK] = "3",
    [EV_EMAIL_OPEN] = "10",
    [EV_EMAIL_CLICK] = "11",
    [EV_NEWSLETTER_SIGNUP] = "100013",
    [EV_EMAIL_UNSUBSCRIBE] = "9",
    [EV_EMAIL_BOUNCE] = "8",
    [EV_SOCIAL_LIKE] = "100016",
    [EV_SOCIAL_SHARE] = "100017",
    [EV_SOCIAL_COMMENT] = "100018",
    [EV_PAGE_FOLLOW] = "100019",
    [EV_POLL_RESPONSE] = "100020",
    [EV_AD_CLICK] = "100021",
    [EV_PRODUCT_SIGNUP] = "100022",
    [EV_TRIAL_ACTIVITY] = "100023",
    [EV_SALES_TOUCH] = "100024",
};

const char *const *gen_vendor_types(int vendor, int s)
{
	return vendor == VENDOR_MARKETO && s == SRC_EVENTS ? marketo_type : NULL;
}

/* A Salesforce report exported as "Formatted Report": the report's name
 * and filter before the header, its footer after the data. */
void gen_vendor_preamble(const gen *g, obuf *b, int s)
{
	if (g->vendor != VENDOR_SALESFORCE || !vendor_header[g->vendor][s])
		return;
	ob_puts(b, s == SRC_LEADS ? "\"Leads with MQL and conversion dates\"\n"
				  : "\"Opportunities with their leads\"\n");
	ob_puts(b, "\"Filtered By:  Lead Owner equals Marketing\"\n\"\"\n");
}

void gen_vendor_footer(const gen *g, obuf *b, int s)
{
	if (g->vendor != VENDOR_SALESFORCE || !vendor_header[g->vendor][s])
		return;
	int64_t y;
	int m, d;
	ts_civil_from_days(g->end / MS_PER_DAY, &y, &m, &d);
	char line[512];
	snprintf(line, sizeof line,
		 "\"\"\n\"\"\n\"%s\"\n"
		 "\"Copyright (c) 2000-%d salesforce.com, inc. All rights reserved.\"\n"
		 "\"Confidential Information - Do Not Distribute\"\n"
		 "\"Generated By:  Sample Generator  %d/%d/%d 12:00 AM\"\n\"Example Corp.\"\n",
		 s == SRC_LEADS ? "Leads with MQL and conversion dates"
				: "Opportunities with their leads",
		 (int)y, m, d, (int)y);
	ob_puts(b, line);
}
