/* model.c — the generator's world as data: the channels with their
 * campaigns, costs and conversion multipliers; job titles, company sizes,
 * industries and countries with SPEC §5's default points; the event types
 * with their categories and weights.
 *
 * Tables and lookups only: this file must not draw a lead or write a row.
 * A change of any number here changes the sample files (samples/README.md
 * then needs regenerating and updating). The tables are laid out by hand,
 * a row per entry, so clang-format leaves them alone. */
#include "gen_model.h"

#include <string.h>

/* clang-format off */
const gchannel gen_channels[] = {
	{ "paid_search", "Paid Search", 0.16, 120, 0.25, 1.00, 0.1, 1.05, 1.00,
	  { "gs_brand", "gs_competitor", "gs_generic", "bing_generic" } },
	{ "paid_social", "Paid Social", 0.14, 55, 0.30, 0.75, -0.4, 0.60, 0.70,
	  { "fb_lookalike_q4", "ig_retargeting", NULL } },
	{ "organic_search", "Organic Search", 0.15, 0, 0, 1.00, 0.0, 1.00, 1.00,
	  { "seo_blog", "seo_product_pages", NULL } },
	{ "email", "Email", 0.06, 8, 0.15, 1.15, 0.0, 0.85, 0.90,
	  { "nurture_q4", "newsletter_weekly", NULL } },
	{ "webinar", "Webinar", 0.08, 85, 0.60, 1.35, 0.2, 1.15, 1.00,
	  { "webinar_pipeline_101", "Webinar: Forecasting, Attribution & ROI", NULL } },
	{ "events", "Events", 0.05, 340, 0.80, 1.20, 0.5, 1.40, 1.20,
	  { "saas_connect_2026", "field_roadshow", NULL } },
	{ "referral", "Referral", 0.06, 0, 0, 1.20, 0.4, 1.70, 1.50,
	  { "partner_referrals", "customer_referrals", NULL } },
	{ "direct", "Direct", 0.08, 0, 0, 1.10, 0.2, 1.25, 1.10,
	  { "", NULL } },
	{ "linkedin", "LinkedIn", 0.10, 175, 0.30, 0.90, 0.6, 1.10, 1.05,
	  { "li_abm_enterprise", "li_lead_gen_forms", "li_thought_leadership", NULL } },
	{ "content_syndication", "Content Syndication", 0.12, 45, 0.20, 0.65, -0.2, 0.55, 0.75,
	  { "cs_techtarget_q4", "cs_integrate_ebook", NULL } },
};
/* clang-format on */
_Static_assert(sizeof gen_channels / sizeof gen_channels[0] == NCHANNELS, "NCHANNELS");

const gchannel *gen_channel(const char *name)
{
	for (size_t i = 0; i < NCHANNELS; i++)
		if (strcmp(gen_channels[i].name, name) == 0)
			return &gen_channels[i];
	return &gen_channels[0];
}

size_t gen_ncampaigns(const gchannel *c)
{
	size_t n = 0;
	while (n < 4 && c->campaigns[n])
		n++;
	return n;
}

const char *gen_any_campaign(rng *r, const gchannel *c)
{
	return c->campaigns[rng_below(r, gen_ncampaigns(c))];
}

/* clang-format off */
const gtier gen_title_tiers[] = {
	{ 20, 8, { "CEO", "Chief Marketing Officer", "CMO", "Founder", "Co-Founder & CEO", "Owner",
		   "President", "CTO", "Chief Revenue Officer", "Vice President & CEO", NULL } },
	{ 16, 12, { "VP Marketing", "VP, Marketing", "Vice President, Sales",
		    "Vice President of Demand Generation", "Head of Growth",
		    "Head of Marketing Operations", "VP Sales", NULL } },
	{ 12, 15, { "Director of IT", "Marketing Director", "Director, Demand Generation",
		    "Senior Director of Marketing Operations", "IT Director", NULL } },
	{ 8, 25, { "Marketing Manager", "Demand Generation Manager", "Marketing Operations Manager",
		   "Team Lead", "Lead Developer", "Product Marketing Manager", "Sales Manager", NULL } },
	{ 2, 33, { "Engineer", "Software Engineer", "Sales", "Analyst", "Marketing Specialist",
		   "Student", "Consultant", "Coordinator", "Intern", "Account Executive",
		   "Data Scientist", "SVP Marketing", "Leadership Coach", NULL } },
	{ 0, 7, { "", NULL } },
};
_Static_assert(sizeof gen_title_tiers / sizeof gen_title_tiers[0] == NTIERS, "NTIERS");

const sizecat gen_sizes[] = {
	{ 1, 10, 10, 2 }, { 11, 50, 20, 6 }, { 51, 200, 25, 10 },
	{ 201, 1000, 22, 15 }, { 1001, 5000, 13, 12 }, { 5001, 60000, 10, 8 },
};
const double gen_size_deal[] = { 3000, 8000, 18000, 35000, 60000, 90000 };
_Static_assert(sizeof gen_sizes / sizeof gen_sizes[0] == NSIZES, "NSIZES");
_Static_assert(sizeof gen_size_deal / sizeof gen_size_deal[0] == NSIZES, "NSIZES");

const gvalue gen_industries[] = {
	{ "software", "Software", 18, 10 }, { "saas", "SaaS", 14, 10 },
	{ "it_services", "IT Services", 9, 10 }, { "financial_services", "Financial Services", 8, 10 },
	{ "marketing", "Marketing", 7, 10 }, { "manufacturing", "Manufacturing", 8, 5 },
	{ "healthcare", "Healthcare", 7, 5 }, { "education", "Education", 6, 5 },
	{ "retail", "Retail", 8, 0 }, { "other", "Other", 10, 0 }, { "", "", 5, 0 },
};
_Static_assert(sizeof gen_industries / sizeof gen_industries[0] == NINDUSTRIES, "NINDUSTRIES");

const gcountry gen_countries[] = {
	{ "US", 40, 5, -300, -240 }, { "CA", 5, 5, -300, -240 }, { "GB", 9, 5, 0, 60 },
	{ "DE", 7, 5, 60, 120 }, { "FR", 4, 5, 60, 120 }, { "NL", 3, 5, 60, 120 },
	{ "AU", 4, 5, 660, 600 }, { "IN", 8, 0, 330, 330 }, { "BR", 5, 0, -180, -180 },
	{ "ES", 3, 0, 60, 120 }, { "SG", 3, 0, 480, 480 }, { "JP", 2, 0, 540, 540 },
	{ "MX", 2, 0, -360, -360 }, { "", 5, 0, 0, 0 },
};
_Static_assert(sizeof gen_countries / sizeof gen_countries[0] == NCOUNTRIES, "NCOUNTRIES");

const double gen_cat_cap[NCAT] = { 15, 5, 8, 10, 20, -1 };

const gtype gen_types[EV_COUNT] = {
	[EV_UNKNOWN] = { CAT_NONE, 0, 0, false },
	[EV_CONTENT_DOWNLOAD] = { CAT_CONTENT, 5, 3.5, false },
	[EV_PREMIUM_CONTENT_DOWNLOAD] = { CAT_CONTENT, 5, 1.2, false },
	[EV_WEBINAR_REGISTERED] = { CAT_CONTENT, 2, 1.8, false },
	[EV_WEBINAR_ATTENDED] = { CAT_INTENT, 4, 0, false },
	[EV_EVENT_ATTENDED] = { CAT_INTENT, 4, 0.4, true },
	[EV_DEMO_REQUEST] = { CAT_INTENT, 5, 0.35, true },
	[EV_PRICING_PAGE_VISIT] = { CAT_INTENT, 4, 1.3, true },
	[EV_SALES_CONTENT_VIEW] = { CAT_INTENT, 3, 0.8, true },
	[EV_PAGE_VISIT] = { CAT_WEB, 1, 27, false },
	[EV_BLOG_CLICK] = { CAT_WEB, 1, 8, false },
	[EV_EMAIL_OPEN] = { CAT_EMAIL, 1, 21, false },
	[EV_EMAIL_CLICK] = { CAT_EMAIL, 2, 6.5, false },
	[EV_NEWSLETTER_SIGNUP] = { CAT_EMAIL, 2, 0.8, false },
	[EV_EMAIL_UNSUBSCRIBE] = { CAT_NEG, -10, 0, false },
	[EV_EMAIL_BOUNCE] = { CAT_NEG, -5, 0, false },
	[EV_SOCIAL_LIKE] = { CAT_SOCIAL, 1, 4, false },
	[EV_SOCIAL_SHARE] = { CAT_SOCIAL, 2, 0.9, false },
	[EV_SOCIAL_COMMENT] = { CAT_SOCIAL, 2, 0.7, false },
	[EV_PAGE_FOLLOW] = { CAT_SOCIAL, 1, 1, false },
	[EV_POLL_RESPONSE] = { CAT_SOCIAL, 2, 0.5, false },
	[EV_AD_CLICK] = { CAT_SOCIAL, 1, 6, false },
	[EV_PRODUCT_SIGNUP] = { CAT_NONE, 0, 0, false },
	[EV_TRIAL_ACTIVITY] = { CAT_NONE, 0, 0, false },
	[EV_SALES_TOUCH] = { CAT_NONE, 0, 0, false },
};
/* clang-format on */

void glead_init(glead *l, uint64_t num)
{
	*l = (glead){.num = num, .cents = -1};
	for (int f = 0; f < LT_COUNT; f++)
		l->t[f] = TS_NONE;
}
