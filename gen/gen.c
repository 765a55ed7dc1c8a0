/* gen.c — `mqlreport gen`: realistic canonical exports of any size.
 *
 * Writes leads.csv, events.csv, spend.csv and opportunities.csv (SPEC §3,
 * canonical headers) into --out DIR. The output is streamed: one lead at a
 * time is simulated (profile, events, way through the funnel), written and
 * forgotten, so memory does not grow with --leads (with --events-order time,
 * events wait in one temporary file per week and one week is sorted in
 * memory at a time). Every lead draws from its own PRNG stream derived from
 * the seed and the lead's number, so the bytes are a pure function of the
 * options. samples/README.md describes the model.
 *
 * Sections: PRNG, calendar, buffered CSV output, the model's tables, the
 * simulation of a lead, bad rows, rows, time order, spend, the command. */
#include <errno.h>
#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "atomic.h"
#include "base.h"
#include "gen.h"
#include "timeparse.h"
#include "dataset.h"

/* ---- PRNG: xoshiro256** seeded through splitmix64 ---- */

typedef struct rng {
	uint64_t s[4];
} rng;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Stream `stream` of seed `seed`: distinct streams are independent. */
static void rng_seed(rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed;
	uint64_t k = splitmix64(&x) ^ (stream * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&k);
}

static inline uint64_t rotl64(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rng_next(rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl64(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return out;
}

/* Uniform in [0, 1). */
static double unif(rng *r) { return (double)(rng_next(r) >> 11) * 0x1.0p-53; }
/* Uniform integer in [0, n). */
static uint64_t below(rng *r, uint64_t n) { return n ? (uint64_t)(unif(r) * (double)n) : 0; }
static bool chance(rng *r, double p) { return unif(r) < p; }
static double uniform_in(rng *r, double lo, double hi) { return lo + (hi - lo) * unif(r); }

static double normal(rng *r)
{
	double u1 = 1.0 - unif(r), u2 = unif(r);
	return sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
}

static double expo(rng *r, double mean) { return -mean * log(1.0 - unif(r)); }
static double lognorm(rng *r, double median, double sigma) { return median * exp(sigma * normal(r)); }

static unsigned poisson(rng *r, double lambda)
{
	if (lambda <= 0)
		return 0;
	if (lambda < 30) {
		double l = exp(-lambda), p = 1.0;
		unsigned k = 0;
		do {
			k++;
			p *= unif(r);
		} while (p > l);
		return k - 1;
	}
	double v = lambda + sqrt(lambda) * normal(r) + 0.5;
	return v < 0 ? 0 : (unsigned)v;
}

/* Index drawn from weights w[0..n). */
static size_t pick(rng *r, const double *w, size_t n)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		total += w[i];
	double x = unif(r) * total;
	for (size_t i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* ---- calendar: timeparse's, in days since 1970-01-01 ---- */

static void civil_from_days(int64_t days, int *year, int *month, int *day)
{
	int64_t y;
	ts_civil_from_days(days, &y, month, day);
	*year = (int)y;
}

/* ---- output: a buffered CSV writer over an atomic file ---- */

enum { OBUF_CAP = 1 << 20 };

typedef struct obuf {
	afile *af;
	FILE *fp;
	char *buf;
	size_t len;
	bool failed;
	int64_t rows;       /* data rows written */
} obuf;

static void ob_flush(obuf *b)
{
	if (b->len && !b->failed && fwrite(b->buf, 1, b->len, b->fp) != b->len)
		b->failed = true;
	b->len = 0;
}

/* Room for n more bytes. */
static inline char *ob_room(obuf *b, size_t n)
{
	if (b->len + n > OBUF_CAP)
		ob_flush(b);
	return b->buf + b->len;
}

static void ob_putn(obuf *b, const char *s, size_t n)
{
	if (n > OBUF_CAP / 2) {
		ob_flush(b);
		if (!b->failed && fwrite(s, 1, n, b->fp) != n)
			b->failed = true;
		return;
	}
	memcpy(ob_room(b, n), s, n);
	b->len += n;
}

static void ob_puts(obuf *b, const char *s) { ob_putn(b, s, strlen(s)); }
static inline void ob_putc(obuf *b, char c) { *ob_room(b, 1) = c; b->len++; }

/* A field, quoted per RFC 4180 when it holds a comma, quote or line break. */
static void ob_field(obuf *b, const char *s)
{
	if (!s)
		return;
	if (!strpbrk(s, ",\"\r\n")) {
		ob_puts(b, s);
		return;
	}
	ob_putc(b, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			ob_putc(b, '"');
		ob_putc(b, *p);
	}
	ob_putc(b, '"');
}

static void ob_endrow(obuf *b)
{
	ob_putc(b, '\n');
	b->rows++;
}

static inline char *put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* v in decimal, zero-padded to `width` digits. */
static void ob_u64(obuf *b, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n < width)
		tmp[n++] = '0';
	char *p = ob_room(b, (size_t)n);
	for (int i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	b->len += (size_t)n;
}

/* Timestamp forms (SPEC §2) the generator writes. */
enum tfmt {
	TF_Z,      /* 2026-03-04T10:11:12Z */
	TF_ZMS,    /* 2026-03-04T10:11:12.250Z */
	TF_OFF,    /* 2026-03-04T12:11:12+02:00: the same instant in local time */
	TF_DATE,   /* 2026-03-04 (the instant is UTC midnight) */
};

static void ob_ts(obuf *b, ts_ms t, int fmt, int off_min)
{
	if (t == TS_NONE)
		return;
	if (fmt == TF_OFF)
		t += (ts_ms)off_min * 60000;
	int64_t days = t >= 0 ? t / MS_PER_DAY : -((-t + MS_PER_DAY - 1) / MS_PER_DAY);
	int64_t ms = t - days * MS_PER_DAY;
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	char *p = ob_room(b, 32), *s = p;
	if (y < 0 || y > 9999)
		y = 0;
	p = put2(p, y / 100);
	p = put2(p, y % 100);
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	if (fmt != TF_DATE) {
		int sec = (int)(ms / 1000);
		*p++ = 'T';
		p = put2(p, sec / 3600);
		*p++ = ':';
		p = put2(p, sec / 60 % 60);
		*p++ = ':';
		p = put2(p, sec % 60);
		if (fmt == TF_ZMS) {
			int f = (int)(ms % 1000);
			*p++ = '.';
			*p++ = (char)('0' + f / 100);
			p = put2(p, f % 100);
		}
		if (fmt == TF_OFF) {
			int a = off_min < 0 ? -off_min : off_min;
			*p++ = off_min < 0 ? '-' : '+';
			p = put2(p, a / 60);
			*p++ = ':';
			p = put2(p, a % 60);
		} else {
			*p++ = 'Z';
		}
	}
	b->len += (size_t)(p - s);
}

/* Money in cents: "1234.50", or "$1,234.50" in the `fancy` style. */
static void ob_money(obuf *b, int64_t cents, bool fancy)
{
	char digits[32], out[48];
	bool neg = cents < 0;
	uint64_t c = neg ? (uint64_t)(-cents) : (uint64_t)cents;
	snprintf(digits, sizeof digits, "%llu", (unsigned long long)(c / 100));
	size_t nd = strlen(digits), o = 0;
	if (neg)
		out[o++] = '-';
	if (fancy)
		out[o++] = '$';
	for (size_t i = 0; i < nd; i++) {
		if (fancy && i > 0 && (nd - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	snprintf(out + o, sizeof out - o, ".%02llu", (unsigned long long)(c % 100));
	ob_field(b, out);
}

/* "L0000042": the lead id of lead number n (1-based). */
static void ob_lead_id(obuf *b, uint64_t n)
{
	ob_putc(b, 'L');
	ob_u64(b, n, 7);
}

/* ---- the model: channels, profiles, events ---- */

typedef struct gchannel {
	const char *name;        /* canonical */
	const char *display;     /* a vendor spelling that normalises to name */
	double share;            /* of leads */
	double cpl;              /* spend per lead; 0: unpaid */
	double spend_sigma;      /* day-to-day noise of the spend */
	double eng;              /* engagement multiplier */
	double fit;              /* -1..1: skews titles and company sizes */
	double sql;              /* MQL → SQL multiplier */
	double win;              /* win-rate multiplier */
	const char *campaigns[4]; /* NULL-terminated; "" is an empty campaign */
} gchannel;

static const gchannel channels[] = {
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
enum { NCHANNELS = sizeof channels / sizeof channels[0] };

static const gchannel *channel_named(const char *name)
{
	for (size_t i = 0; i < NCHANNELS; i++)
		if (strcmp(channels[i].name, name) == 0)
			return &channels[i];
	return &channels[0];
}

static size_t ncampaigns(const gchannel *c)
{
	size_t n = 0;
	while (n < 4 && c->campaigns[n])
		n++;
	return n;
}

/* Job titles by the points SPEC §5's default rules give them. */
typedef struct gtier {
	int points;
	double weight;
	const char *titles[14];
} gtier;

static const gtier title_tiers[] = {
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
enum { NTIERS = sizeof title_tiers / sizeof title_tiers[0] };

/* Company size categories: SPEC §5's bands and their points. */
typedef struct sizecat {
	int64_t lo, hi;
	double weight;
	int points;
} sizecat;

static const sizecat sizes[] = {
	{ 1, 10, 10, 2 }, { 11, 50, 20, 6 }, { 51, 200, 25, 10 },
	{ 201, 1000, 22, 15 }, { 1001, 5000, 13, 12 }, { 5001, 60000, 10, 8 },
};
enum { NSIZES = sizeof sizes / sizeof sizes[0] };
static const double size_deal[NSIZES] = { 3000, 8000, 18000, 35000, 60000, 90000 };

typedef struct gvalue {
	const char *canonical;   /* what the value normalises to */
	const char *display;     /* a vendor spelling of it */
	double weight;
	int points;
} gvalue;

static const gvalue industries[] = {
	{ "software", "Software", 18, 10 }, { "saas", "SaaS", 14, 10 },
	{ "it_services", "IT Services", 9, 10 }, { "financial_services", "Financial Services", 8, 10 },
	{ "marketing", "Marketing", 7, 10 }, { "manufacturing", "Manufacturing", 8, 5 },
	{ "healthcare", "Healthcare", 7, 5 }, { "education", "Education", 6, 5 },
	{ "retail", "Retail", 8, 0 }, { "other", "Other", 10, 0 }, { "", "", 5, 0 },
};
enum { NINDUSTRIES = sizeof industries / sizeof industries[0] };

/* Countries with their points and a local UTC offset for timestamps with one. */
typedef struct gcountry {
	const char *code;
	double weight;
	int points;
	int off_winter, off_summer; /* minutes east of UTC */
} gcountry;

static const gcountry countries[] = {
	{ "US", 40, 5, -300, -240 }, { "CA", 5, 5, -300, -240 }, { "GB", 9, 5, 0, 60 },
	{ "DE", 7, 5, 60, 120 }, { "FR", 4, 5, 60, 120 }, { "NL", 3, 5, 60, 120 },
	{ "AU", 4, 5, 660, 600 }, { "IN", 8, 0, 330, 330 }, { "BR", 5, 0, -180, -180 },
	{ "ES", 3, 0, 60, 120 }, { "SG", 3, 0, 480, 480 }, { "JP", 2, 0, 540, 540 },
	{ "MX", 2, 0, -360, -360 }, { "", 5, 0, 0, 0 },
};
enum { NCOUNTRIES = sizeof countries / sizeof countries[0] };

/* Behavioural points and categories of SPEC §5's default model. */
enum { CAT_NONE = -1, CAT_CONTENT, CAT_WEB, CAT_EMAIL, CAT_SOCIAL, CAT_INTENT, CAT_NEG, NCAT };
static const double cat_cap[NCAT] = { 15, 5, 8, 10, 20, -1 };

typedef struct gtype {
	int cat;
	double points;
	double weight;      /* in the general mix of a lead's engagement */
	bool intent;        /* weight grows with the lead's buying intent */
} gtype;

static const gtype types[EV_COUNT] = {
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

/* Base rate of general engagement events per lead over its lifetime, before
 * the lead's own engagement multiplier (mean about 1.5). */
#define ENGAGEMENT_BASE 12.8
#define MQL_THRESHOLD 60.0

typedef struct gev {
	ts_ms at;
	uint32_t seq;            /* creation order: ties keep it */
	uint8_t type;            /* enum ev_kind */
	uint8_t fmt;             /* enum tfmt */
	const char *channel;     /* canonical or display spelling; "" for none */
	const char *campaign;
} gev;

typedef struct gopp {
	uint64_t id;             /* OPP-0000001 …; a bad row's is OPP-B000001 … */
	bool bad;
	ts_ms created, closed;   /* closed: the close date, or an open deal's expected one */
	bool is_closed, won;
	int64_t cents;
	uint8_t fmt_created, fmt_closed;
	uint8_t won_style;       /* 0 "true"/"false", 1 "TRUE"/"FALSE", 2 "1"/"0", 3 empty */
	const char *stage;
} gopp;

typedef struct glead {
	uint64_t num;            /* 1-based; the id is L%07u */
	ts_ms t[LT_COUNT];
	uint8_t fmt[LT_COUNT];
	int off_min;             /* the lead's local offset for TF_OFF */
	const gchannel *ch;
	const char *channel_text, *campaign;
	const char *title;
	char size_text[24];
	size_t size_cat;
	const char *industry_text;
	const char *country_text;
	char country_lower[4];
	double fit;              /* demographic points */
	int64_t cents;           /* amount; < 0: empty */
	bool fancy_amount;
	gopp opp[2];
	size_t nopps;
} glead;

/* Everything one generation run shares. */
typedef struct gen {
	uint64_t seed;
	uint64_t nleads;
	int weeks;
	int bad;                 /* --bad-rows K: K rows of each defect */
	ts_ms start, end;        /* [start, end): the generated weeks; end = as_of */
	double *hour_cum;        /* cumulative lead intensity per hour of the period */
	size_t nhours;
	size_t hour_pos;         /* monotone cursor into hour_cum */
	gev *ev;                 /* the current lead's events */
	size_t nev, ev_cap;
	gev *scratch;            /* for sorting them */
	size_t scratch_cap;
	uint64_t next_opp;
	uint64_t next_bad_opp;
	obuf out[SRC_COUNT];
	int64_t bad_rows[SRC_COUNT];
	char *last_opp_row;      /* the last opportunity row, for a duplicate */
	int pending_opp_dups;    /* duplicates due before any opportunity was written */
	char lead_row[2048];     /* the last good lead row, for a duplicate */
	size_t lead_row_len;
	bool time_order;         /* --events-order time */
	FILE **bucket;           /* time order: one temporary file of evrec per week */
	size_t nbuckets;
	ts_ms bucket0;           /* the first bucket's start */
	bool bucket_failed;
} gen;

/* An event waiting in a week's bucket (time order). Its strings point into
 * the model's static tables, valid for the process. */
typedef struct evrec {
	gev e;
	uint64_t num;            /* the lead's number */
	int32_t off_min;         /* the lead's offset, for TF_OFF */
} evrec;

/* Relative intensity of new leads in an hour: business hours in the
 * Americas and Europe, quiet weekends, slow growth over the period. */
static double hour_weight(const gen *g, size_t h)
{
	int64_t day = (g->start / MS_PER_DAY) + (int64_t)(h / 24);
	int hour = (int)(h % 24);
	double w = hour >= 13 && hour < 20 ? 1.5 : hour >= 7 && hour < 23 ? 1.0 : 0.25;
	if (ts_iso_weekday(day) >= 5)
		w *= 0.3;
	return w * (1.0 + 0.012 * (double)(h / 168));
}

static void intensity_init(gen *g)
{
	g->nhours = (size_t)((g->end - g->start) / 3600000);
	g->hour_cum = xmalloc(g->nhours * sizeof *g->hour_cum);
	double acc = 0;
	for (size_t h = 0; h < g->nhours; h++) {
		acc += hour_weight(g, h);
		g->hour_cum[h] = acc;
	}
}

/* The instant of quantile q in [0, 1) of the lead intensity; q must not
 * decrease between calls. */
static ts_ms intensity_at(gen *g, double q)
{
	double total = g->hour_cum[g->nhours - 1], x = q * total;
	while (g->hour_pos + 1 < g->nhours && g->hour_cum[g->hour_pos] <= x)
		g->hour_pos++;
	double lo = g->hour_pos ? g->hour_cum[g->hour_pos - 1] : 0;
	double hi = g->hour_cum[g->hour_pos];
	double frac = hi > lo ? (x - lo) / (hi - lo) : 0;
	if (frac >= 1)
		frac = 0.999999;
	ts_ms t = g->start + (ts_ms)g->hour_pos * 3600000 + (ts_ms)(frac * 3600000.0);
	return t / 1000 * 1000;
}

/* Share of the leads created on day d (days since the period's start). */
static double day_share(const gen *g, size_t d)
{
	double lo = d ? g->hour_cum[d * 24 - 1] : 0;
	return (g->hour_cum[d * 24 + 23] - lo) / g->hour_cum[g->nhours - 1];
}

static gev *ev_add(gen *g, ts_ms at, int type, const char *channel, const char *campaign)
{
	VEC_RESERVE(g->ev, g->ev_cap, g->nev + 1);
	gev *e = &g->ev[g->nev];
	*e = (gev){ .at = at / 1000 * 1000, .seq = (uint32_t)g->nev, .type = (uint8_t)type,
		    .fmt = TF_Z, .channel = channel, .campaign = campaign };
	g->nev++;
	return e;
}

static const char *any_campaign(rng *r, const gchannel *c)
{
	return c->campaigns[below(r, ncampaigns(c))];
}

/* The channel and campaign an engagement of `type` comes through. */
static void touch_source(rng *r, const glead *l, int type, const char **ch, const char **camp)
{
	const gchannel *c = l->ch;
	double u = unif(r);
	switch (type) {
	case EV_EMAIL_OPEN: case EV_EMAIL_CLICK: case EV_NEWSLETTER_SIGNUP:
	case EV_EMAIL_UNSUBSCRIBE: case EV_EMAIL_BOUNCE:
		c = channel_named("email");
		break;
	case EV_WEBINAR_REGISTERED: case EV_WEBINAR_ATTENDED:
		c = channel_named("webinar");
		break;
	case EV_EVENT_ATTENDED:
		c = channel_named("events");
		break;
	case EV_SOCIAL_LIKE: case EV_SOCIAL_SHARE: case EV_SOCIAL_COMMENT:
	case EV_PAGE_FOLLOW: case EV_POLL_RESPONSE:
		c = channel_named(u < 0.4 ? "paid_social" : "linkedin");
		break;
	case EV_AD_CLICK:
		if (c != channel_named("paid_search") && c != channel_named("paid_social") &&
		    c != channel_named("linkedin"))
			c = channel_named(u < 0.4 ? "paid_search" : u < 0.75 ? "paid_social" : "linkedin");
		break;
	case EV_CONTENT_DOWNLOAD: case EV_PREMIUM_CONTENT_DOWNLOAD:
		if (u < 0.3)
			c = channel_named("content_syndication");
		else if (u < 0.6)
			c = channel_named("organic_search");
		break;
	case EV_PRODUCT_SIGNUP: case EV_TRIAL_ACTIVITY:
		c = channel_named("direct");
		break;
	default: /* web visits and intent signals */
		if (u < 0.4)
			c = channel_named("organic_search");
		else if (u < 0.7)
			c = channel_named("direct");
		break;
	}
	*ch = c->name;
	*camp = c == l->ch ? l->campaign : any_campaign(r, c);
}

static void add_touch(gen *g, rng *r, const glead *l, ts_ms at, int type)
{
	const char *ch, *camp;
	touch_source(r, l, type, &ch, &camp);
	gev *e = ev_add(g, at, type, ch, camp);
	double u = unif(r);
	if (u < 0.04) {
		e->fmt = TF_ZMS;
		e->at += (ts_ms)below(r, 1000);
	} else if (u < 0.10 && l->off_min != 0) {
		e->fmt = TF_OFF;
	}
}

/* The demographic profile of lead l. */
static void draw_profile(rng *r, glead *l)
{
	double w[16];
	for (size_t i = 0; i < NCHANNELS; i++)
		w[i] = channels[i].share;
	l->ch = &channels[pick(r, w, NCHANNELS)];
	l->channel_text = chance(r, 0.04) ? l->ch->display : l->ch->name;
	l->campaign = any_campaign(r, l->ch);
	double q = l->ch->fit;

	for (size_t i = 0; i < NTIERS; i++)
		w[i] = title_tiers[i].weight * fmax(0.1, 1.0 + q * (title_tiers[i].points - 8) / 14.0);
	const gtier *tier = &title_tiers[pick(r, w, NTIERS)];
	size_t nt = 0;
	while (tier->titles[nt])
		nt++;
	l->title = tier->titles[below(r, nt)];

	for (size_t i = 0; i < NSIZES; i++)
		w[i] = sizes[i].weight * fmax(0.1, 1.0 + q * ((double)i - 2.5) / 4.0);
	l->size_cat = pick(r, w, NSIZES);
	const sizecat *sz = &sizes[l->size_cat];
	int64_t emp = (int64_t)exp(uniform_in(r, log((double)sz->lo), log((double)sz->hi + 1)));
	if (emp < sz->lo)
		emp = sz->lo;
	if (emp > sz->hi)
		emp = sz->hi;
	double u = unif(r);
	if (u < 0.05) {
		l->size_text[0] = '\0';
	} else if (u < 0.62) {
		snprintf(l->size_text, sizeof l->size_text, "%lld", (long long)emp);
	} else {
		static const char *const bands[] = { "1-10", "11-50", "51-200", "201-500", "501-1,000",
						     "1,001-5,000", "5,001-10,000", "10000+" };
		size_t band = l->size_cat <= 2 ? l->size_cat
			      : l->size_cat == 3 ? (emp <= 500 ? 3 : 4)
			      : l->size_cat == 4 ? 5 : (emp < 10000 ? 6 : 7);
		snprintf(l->size_text, sizeof l->size_text, "%s", bands[band]);
	}
	int size_pts = l->size_text[0] ? sz->points : 0;

	for (size_t i = 0; i < NINDUSTRIES; i++)
		w[i] = industries[i].weight;
	const gvalue *ind = &industries[pick(r, w, NINDUSTRIES)];
	l->industry_text = chance(r, 0.2) ? ind->display : ind->canonical;

	for (size_t i = 0; i < NCOUNTRIES; i++)
		w[i] = countries[i].weight;
	const gcountry *cty = &countries[pick(r, w, NCOUNTRIES)];
	l->country_text = cty->code;
	if (cty->code[0] && chance(r, 0.05)) {
		l->country_lower[0] = g_ascii_tolower(cty->code[0]);
		l->country_lower[1] = g_ascii_tolower(cty->code[1]);
		l->country_lower[2] = '\0';
		l->country_text = l->country_lower;
	}
	/* summer time roughly from April to October */
	int y, m, d;
	civil_from_days(l->t[LT_CREATED] / MS_PER_DAY, &y, &m, &d);
	l->off_min = m >= 4 && m <= 10 ? cty->off_summer : cty->off_winter;

	l->fit = tier->points + size_pts + ind->points + cty->points;
}

/* The event a lead converts on when it is created. */
static int conversion_type(rng *r, const gchannel *c)
{
	const char *n = c->name;
	if (!strcmp(n, "content_syndication"))
		return chance(r, 0.25) ? EV_PREMIUM_CONTENT_DOWNLOAD : EV_CONTENT_DOWNLOAD;
	if (!strcmp(n, "webinar"))
		return EV_WEBINAR_REGISTERED;
	if (!strcmp(n, "events"))
		return EV_EVENT_ATTENDED;
	if (!strcmp(n, "email"))
		return EV_NEWSLETTER_SIGNUP;
	if (!strcmp(n, "organic_search"))
		return chance(r, 0.5) ? EV_CONTENT_DOWNLOAD : EV_PAGE_VISIT;
	if (!strcmp(n, "referral") || !strcmp(n, "direct"))
		return chance(r, 0.3) ? EV_DEMO_REQUEST : EV_PAGE_VISIT;
	if (!strcmp(n, "linkedin"))
		return chance(r, 0.5) ? EV_CONTENT_DOWNLOAD : EV_AD_CLICK;
	return EV_AD_CLICK;
}

/* The marketing engagement of lead l: events before, at and after creation. */
static void draw_engagement(gen *g, rng *r, glead *l, double engagement, double intent)
{
	ts_ms c = l->t[LT_CREATED];
	/* anonymous visits tied back to the lead when it fills a form */
	if (chance(r, 0.45)) {
		unsigned n = 1 + (unsigned)below(r, 4);
		for (unsigned i = 0; i < n; i++) {
			double days = fmin(expo(r, 4), 30);
			static const int pre[] = { EV_PAGE_VISIT, EV_PAGE_VISIT, EV_BLOG_CLICK, EV_AD_CLICK };
			add_touch(g, r, l, c - (ts_ms)(days * MS_PER_DAY) - 1000, pre[below(r, 4)]);
		}
	}
	gev *conv = ev_add(g, c + (ts_ms)below(r, 120) * 1000, conversion_type(r, l->ch),
			   l->ch->name, l->campaign);
	if (conv->type == EV_WEBINAR_REGISTERED && chance(r, 0.45))
		ev_add(g, c + (ts_ms)(uniform_in(r, 1, 14) * MS_PER_DAY), EV_WEBINAR_ATTENDED,
		       l->ch->name, l->campaign);

	double w[EV_COUNT];
	for (int t = 0; t < EV_COUNT; t++)
		w[t] = types[t].weight * (types[t].intent ? intent : 1.0);
	unsigned n = poisson(r, ENGAGEMENT_BASE * engagement);
	for (unsigned i = 0; i < n; i++) {
		double days = chance(r, 0.35) ? uniform_in(r, 0, 3) : expo(r, 30);
		ts_ms at = c + (ts_ms)(days * MS_PER_DAY);
		int type = (int)pick(r, w, EV_COUNT);
		add_touch(g, r, l, at, type);
		if (type == EV_WEBINAR_REGISTERED && chance(r, 0.45))
			add_touch(g, r, l, at + (ts_ms)(uniform_in(r, 1, 14) * MS_PER_DAY),
				  EV_WEBINAR_ATTENDED);
	}
	/* product-qualified leads: a trial and its usage */
	if (chance(r, 0.03 * engagement)) {
		ts_ms s = c + (ts_ms)(expo(r, 10) * MS_PER_DAY);
		add_touch(g, r, l, s, EV_PRODUCT_SIGNUP);
		unsigned k = 2 + poisson(r, 6);
		for (unsigned i = 0; i < k; i++)
			add_touch(g, r, l, s + (ts_ms)(uniform_in(r, 0.01, 14) * MS_PER_DAY),
				  EV_TRIAL_ACTIVITY);
	}
	if (chance(r, 0.025))
		add_touch(g, r, l, c + (ts_ms)(expo(r, 40) * MS_PER_DAY), EV_EMAIL_UNSUBSCRIBE);
	if (chance(r, 0.012))
		add_touch(g, r, l, c + (ts_ms)(expo(r, 20) * MS_PER_DAY), EV_EMAIL_BOUNCE);
}

static int ev_cmp(const void *a, const void *b)
{
	const gev *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort a lead's events by time (creation order on ties), drop those at or
 * after the export's end. Insertion sort for the usual few, a merge sort
 * through a scratch array kept across leads for the rest. */
static void ev_settle(gen *g)
{
	size_t n = g->nev;
	if (n < 32) {
		for (size_t i = 1; i < n; i++) {
			gev e = g->ev[i];
			size_t j = i;
			while (j > 0 && ev_cmp(&g->ev[j - 1], &e) > 0) {
				g->ev[j] = g->ev[j - 1];
				j--;
			}
			g->ev[j] = e;
		}
	} else {
		VEC_RESERVE(g->scratch, g->scratch_cap, n);
		gev *src = g->ev, *dst = g->scratch;
		for (size_t w = 1; w < n; w *= 2) {
			for (size_t lo = 0; lo < n; lo += 2 * w) {
				size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
				size_t a = lo, b = mid, k = lo;
				while (a < mid && b < hi)
					dst[k++] = ev_cmp(&src[b], &src[a]) < 0 ? src[b++] : src[a++];
				while (a < mid)
					dst[k++] = src[a++];
				while (b < hi)
					dst[k++] = src[b++];
			}
			gev *t = src;
			src = dst;
			dst = t;
		}
		if (src != g->ev)
			memcpy(g->ev, src, n * sizeof *g->ev);
	}
	while (g->nev && g->ev[g->nev - 1].at >= g->end)
		g->nev--;
}

/* The first moment the lead's score (SPEC §5 defaults, no decay, checkpoints
 * of SPEC §4) reaches `threshold`; TS_NONE if never before the end. */
static ts_ms score_crossing(const gen *g, const glead *l, double threshold)
{
	double sum[NCAT] = { 0 };
	ts_ms created = l->t[LT_CREATED];
	size_t i = 0;
	ts_ms at = created;
	for (;;) {
		while (i < g->nev && g->ev[i].at <= at) {
			const gtype *t = &types[g->ev[i].type];
			if (t->cat != CAT_NONE)
				sum[t->cat] += t->points;
			i++;
		}
		double s = l->fit;
		for (int c = 0; c < NCAT; c++)
			s += cat_cap[c] >= 0 && sum[c] > cat_cap[c] ? cat_cap[c] : sum[c];
		if (s >= threshold)
			return at;
		if (i >= g->nev)
			return TS_NONE;
		at = g->ev[i].at;
	}
}

static ts_ms first_event(const gen *g, int type, ts_ms after)
{
	for (size_t i = 0; i < g->nev; i++)
		if (g->ev[i].type == type && g->ev[i].at >= after)
			return g->ev[i].at;
	return TS_NONE;
}

/* Set lead field f to t when t is before the export's end; true if set. */
static bool stamp(const gen *g, glead *l, int f, ts_ms t)
{
	if (t == TS_NONE || t >= g->end)
		return false;
	l->t[f] = t / 1000 * 1000;
	return true;
}

static ts_ms day_floor(ts_ms t) { return t / MS_PER_DAY * MS_PER_DAY; }

/* One opportunity created at `created`; the close is simulated and either
 * happened before the end or is an open deal's expected date. */
static gopp *add_opp(gen *g, rng *r, glead *l, ts_ms created, double days_to_close,
		     double p_win, int64_t cents)
{
	gopp *o = &l->opp[l->nopps++];
	*o = (gopp){ .id = ++g->next_opp, .created = created / 1000 * 1000, .cents = cents,
		     .fmt_created = TF_Z, .won_style = (uint8_t)(chance(r, 0.06) ? 3 : below(r, 3)) };
	ts_ms close = o->created + (ts_ms)(lognorm(r, days_to_close, 0.5) * MS_PER_DAY);
	bool date_only = chance(r, 0.7);
	if (date_only)
		close = day_floor(close);
	if (close < g->end && close > o->created) {
		o->is_closed = true;
		o->closed = close;
		o->won = chance(r, p_win);
		o->stage = o->won ? "Closed Won" : "Closed Lost";
	} else {
		o->is_closed = false;
		/* most expected dates lie ahead; a few open deals are past due */
		o->closed = chance(r, 0.1) ? day_floor(g->end - (ts_ms)(uniform_in(r, 1, 10) * MS_PER_DAY))
					   : day_floor(close > g->end ? close : g->end + 7 * MS_PER_DAY);
		date_only = true;
		static const char *const open_stages[] = { "Qualification", "Proposal", "Negotiation" };
		o->stage = open_stages[below(r, 3)];
		if (o->won_style == 3)
			o->won_style = 0; /* an open deal always says it is not won */
	}
	o->fmt_closed = date_only ? TF_DATE : TF_Z;
	return o;
}

/* The sales side: review, contact, touches, SQL, opportunities. */
static void draw_sales(gen *g, rng *r, glead *l, double intent)
{
	ts_ms mql = l->t[LT_MQL];
	bool sales_sourced = mql == TS_NONE;
	double fitf = l->fit / 30.0;
	double p_sql = sales_sourced ? 0.006 * fitf
				     : fmin(0.85, 0.30 * l->ch->sql * fitf * (0.7 + 0.3 * fmin(intent, 2.5)));
	bool will_sql = chance(r, p_sql);
	ts_ms base = sales_sourced ? l->t[LT_CREATED] + (ts_ms)(lognorm(r, 6, 0.8) * MS_PER_DAY) : mql;

	ts_ms contact = TS_NONE;
	if (!sales_sourced) {
		if (chance(r, 0.85)) {
			ts_ms rev = mql + (ts_ms)(lognorm(r, 20, 1.0) * 3600000.0);
			bool accept = will_sql || chance(r, 0.35);
			if (stamp(g, l, accept ? LT_ACCEPTED : LT_REJECTED, rev) && chance(r, 0.01))
				stamp(g, l, accept ? LT_REJECTED : LT_ACCEPTED, rev + 3600000);
		}
		if (chance(r, 0.9)) {
			double minutes = chance(r, 0.15) ? uniform_in(r, 0.5, 5) : lognorm(r, 240, 1.5);
			contact = mql + (ts_ms)(minutes * 60000.0);
			if (contact < g->end) {
				if (chance(r, 0.92))
					stamp(g, l, LT_FIRST_CONTACT, contact);
				if (chance(r, 0.85))
					ev_add(g, contact, EV_SALES_TOUCH, "", "");
				double u = unif(r);
				unsigned more = u < 0.45 ? 4 + (unsigned)below(r, 3)
						: u < 0.80 ? 1 + (unsigned)below(r, 3) : 0;
				double span = more >= 4 ? 13.5 : 10;
				for (unsigned i = 0; i < more; i++)
					ev_add(g, contact + (ts_ms)(uniform_in(r, 0.05, span) * MS_PER_DAY),
					       EV_SALES_TOUCH, "", "");
			}
		}
		/* outbound before the MQL: ignored by speed-to-lead */
		if (chance(r, 0.03))
			ev_add(g, mql - (ts_ms)(uniform_in(r, 1, 10) * MS_PER_DAY), EV_SALES_TOUCH, "", "");
	}
	if (!will_sql)
		return;
	ts_ms sql;
	if (!sales_sourced && chance(r, 0.015)) {
		/* converted by sales before marketing's MQL stamp */
		sql = mql - (ts_ms)(uniform_in(r, 0.05, 3) * MS_PER_DAY);
	} else {
		sql = base + (ts_ms)(lognorm(r, 5, 0.9) * MS_PER_DAY);
		if (contact != TS_NONE && sql < contact + 3600000)
			sql = contact + 3600000;
	}
	if (!stamp(g, l, LT_SQL, sql))
		return;
	if (!chance(r, 0.6))
		return;
	ts_ms opp_at = l->t[LT_SQL] + (ts_ms)(lognorm(r, 3, 0.8) * MS_PER_DAY);
	if (opp_at >= g->end)
		return;
	const sizecat *sz = &sizes[l->size_cat];
	double p_win = fmin(0.9, 0.33 * l->ch->win * (sz->points >= 10 ? 1.1 : 0.9));
	int64_t cents = (int64_t)(lognorm(r, size_deal[l->size_cat], 0.5) / 100.0) * 10000;
	gopp *o = add_opp(g, r, l, opp_at, 38, p_win, cents);
	l->t[LT_OPPORTUNITY] = o->created;
	l->cents = cents;
	l->fancy_amount = chance(r, 0.05);
	if (o->is_closed) {
		int f = o->won ? LT_WON : LT_LOST;
		l->t[f] = o->closed;
		l->fmt[f] = o->fmt_closed;
	}
	/* an upsell: a second deal of a customer */
	if (o->is_closed && o->won && chance(r, 0.25)) {
		ts_ms up = o->closed + (ts_ms)(lognorm(r, 30, 0.4) * MS_PER_DAY);
		if (up < g->end) {
			int64_t up_cents = (int64_t)((double)cents * uniform_in(r, 0.2, 0.5) / 100.0) * 100;
			add_opp(g, r, l, up, 20, 0.75, up_cents);
		}
	}
}

/* ---- bad rows (--bad-rows K): K of each defect, at seeded places ---- */

enum bad_kind {
	BAD_LEAD_DATE,      /* unparseable created_at: rejected */
	BAD_LEAD_FIELDS,    /* an unquoted comma in the title: wrong_field_count */
	BAD_LEAD_DUP,       /* the lead's row again: a duplicate lead_id */
	BAD_LEAD_WARN,      /* an extra lead with an unparseable optional mql_at */
	BAD_EV_DATE,        /* unparseable occurred_at */
	BAD_EV_FIELDS,      /* a field short */
	BAD_EV_TYPE,        /* an event type SPEC §3 does not know */
	BAD_EV_ORPHAN,      /* an event of a lead that does not exist */
	BAD_OPP_ORPHAN,     /* an opportunity of a lead that does not exist */
	BAD_OPP_DATE,       /* unparseable created_at */
	BAD_OPP_DUP,        /* an opportunity_id again */
	BAD_SP_NEG,         /* a negative amount */
	BAD_SP_CUR,         /* a foreign currency */
	BAD_SP_DATE,        /* an impossible date */
	BAD_SP_FIELDS,      /* a field short */
	BAD_KINDS
};

typedef struct bad_slot {
	uint64_t at;        /* after lead number `at` (spend: after day row `at`) */
	int kind;
} bad_slot;

static int slot_cmp(const void *a, const void *b)
{
	const bad_slot *x = a, *y = b;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return (x->kind > y->kind) - (x->kind < y->kind);
}

static const char *const bad_dates[] = { "2026-02-30T10:00:00Z", "31/02/2026", "not a date",
					 "2026-13-01" };

/* Leads that exist only as bad rows get numbers past every good lead;
 * orphans refer to numbers past those. */
static uint64_t bad_lead_num(const gen *g, int k) { return g->nleads + 1 + (uint64_t)k; }
static uint64_t orphan_num(const gen *g, int k) { return g->nleads + 3 * (uint64_t)g->bad + 1 + (uint64_t)k; }

/* ---- rows ---- */

static const char leads_header[] =
	"lead_id,created_at,channel,campaign,job_title,company_size,industry,country,mql_at,"
	"accepted_at,rejected_at,sql_at,first_contact_at,opportunity_at,won_at,lost_at,amount\n";
static const char events_header[] = "lead_id,occurred_at,type,channel,campaign\n";
static const char spend_header[] = "date,channel,campaign,amount,currency\n";
static const char opps_header[] =
	"opportunity_id,lead_id,created_at,closed_at,stage,is_won,is_closed,amount\n";

static void write_lead(obuf *b, const glead *l, uint64_t num, const char *created_text,
		       const char *mql_text, bool break_title)
{
	ob_lead_id(b, num);
	ob_putc(b, ',');
	if (created_text)
		ob_field(b, created_text);
	else
		ob_ts(b, l->t[LT_CREATED], l->fmt[LT_CREATED], l->off_min);
	ob_putc(b, ',');
	ob_field(b, l->channel_text);
	ob_putc(b, ',');
	ob_field(b, l->campaign);
	ob_putc(b, ',');
	if (break_title)
		ob_puts(b, "VP, Marketing");
	else
		ob_field(b, l->title);
	ob_putc(b, ',');
	ob_field(b, l->size_text);
	ob_putc(b, ',');
	ob_field(b, l->industry_text);
	ob_putc(b, ',');
	ob_field(b, l->country_text);
	for (int f = LT_MQL; f < LT_COUNT; f++) {
		ob_putc(b, ',');
		if (f == LT_MQL && mql_text)
			ob_field(b, mql_text);
		else
			ob_ts(b, l->t[f], l->fmt[f], l->off_min);
	}
	ob_putc(b, ',');
	if (l->cents >= 0)
		ob_money(b, l->cents, l->fancy_amount);
	ob_endrow(b);
}

static void write_event(obuf *b, uint64_t num, const gev *e, int off_min, const char *type_text)
{
	ob_lead_id(b, num);
	ob_putc(b, ',');
	ob_ts(b, e->at, e->fmt, off_min);
	ob_putc(b, ',');
	ob_puts(b, type_text ? type_text : ev_kind_name[e->type]);
	ob_putc(b, ',');
	ob_field(b, e->channel);
	ob_putc(b, ',');
	ob_field(b, e->campaign);
	ob_endrow(b);
}

static void write_opp(gen *g, const gopp *o, uint64_t lead_num, const char *created_text)
{
	obuf *b = &g->out[SRC_OPPORTUNITIES];
	size_t start = b->len;
	if (start + 512 > OBUF_CAP) {
		ob_flush(b);
		start = 0;
	}
	char id[32];
	snprintf(id, sizeof id, o->bad ? "OPP-B%06llu" : "OPP-%07llu", (unsigned long long)o->id);
	ob_puts(b, id);
	ob_putc(b, ',');
	ob_lead_id(b, lead_num);
	ob_putc(b, ',');
	if (created_text)
		ob_field(b, created_text);
	else
		ob_ts(b, o->created, o->fmt_created, 0);
	ob_putc(b, ',');
	ob_ts(b, o->closed, o->fmt_closed, 0);
	ob_putc(b, ',');
	ob_field(b, o->stage);
	ob_putc(b, ',');
	static const char *const yes[] = { "true", "TRUE", "1", "" };
	static const char *const no[] = { "false", "FALSE", "0", "" };
	ob_puts(b, o->won ? yes[o->won_style] : no[o->won_style]);
	ob_putc(b, ',');
	ob_puts(b, o->is_closed ? "true" : "false");
	ob_putc(b, ',');
	ob_money(b, o->cents, false);
	ob_endrow(b);
	if (o->bad || created_text)
		return;
	free(g->last_opp_row);
	g->last_opp_row = xstrndup(b->buf + start, b->len - start);
	for (; g->pending_opp_dups > 0; g->pending_opp_dups--) {
		ob_puts(b, g->last_opp_row);
		b->rows++;
	}
}

/* ---- events in time order: week buckets in temporary files ---- */

/* Open the buckets: one per week from 5 weeks before the start (the earliest
 * anonymous visit is 30 days before its lead) to the end. The files live in
 * dir and are unlinked at once. Returns 0, or -1 with err. */
static int buckets_open(gen *g, const char *dir, mq_err *err)
{
	g->bucket0 = g->start - 5 * MS_PER_WEEK;
	g->nbuckets = (size_t)((g->end - g->bucket0) / MS_PER_WEEK);
	g->bucket = xcalloc(g->nbuckets, sizeof *g->bucket);
	for (size_t b = 0; b < g->nbuckets; b++) {
		char *path = g_build_filename(dir, ".events-week.XXXXXX", NULL);
		int fd = mkstemp(path);
		if (fd >= 0) {
			unlink(path);
			g->bucket[b] = fdopen(fd, "w+b");
			if (!g->bucket[b])
				close(fd);
		}
		if (!g->bucket[b]) {
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot create a temporary file: %s", dir,
				   strerror(errno));
			g_free(path);
			return -1;
		}
		g_free(path);
	}
	return 0;
}

static void buckets_close(gen *g)
{
	for (size_t b = 0; b < g->nbuckets; b++)
		if (g->bucket[b])
			fclose(g->bucket[b]);
	free(g->bucket);
	g->bucket = NULL;
	g->nbuckets = 0;
}

static void bucket_put(gen *g, uint64_t num, const gev *e, int off_min)
{
	int64_t b = (e->at - g->bucket0) / MS_PER_WEEK;
	if (b < 0)
		b = 0;
	if ((size_t)b >= g->nbuckets)
		b = (int64_t)g->nbuckets - 1;
	evrec r = { .e = *e, .num = num, .off_min = off_min };
	if (fwrite(&r, sizeof r, 1, g->bucket[b]) != 1)
		g->bucket_failed = true;
}

static int evrec_cmp(const void *a, const void *b)
{
	const evrec *x = a, *y = b;
	if (x->e.at != y->e.at)
		return x->e.at < y->e.at ? -1 : 1;
	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	return (x->e.seq > y->e.seq) - (x->e.seq < y->e.seq);
}

/* Write the buckets' events in time order (lead, then the lead's own order,
 * on ties). One week's events are in memory at a time. */
static void buckets_drain(gen *g)
{
	evrec *recs = NULL;
	size_t cap = 0;
	for (size_t b = 0; b < g->nbuckets && !g->bucket_failed; b++) {
		FILE *f = g->bucket[b];
		long size = ftell(f);
		if (size < 0 || fseek(f, 0, SEEK_SET) != 0) {
			g->bucket_failed = true;
			break;
		}
		size_t n = (size_t)size / sizeof *recs;
		if (n == 0)
			continue;
		VEC_RESERVE(recs, cap, n);
		if (fread(recs, sizeof *recs, n, f) != n) {
			g->bucket_failed = true;
			break;
		}
		qsort(recs, n, sizeof *recs, evrec_cmp);
		for (size_t i = 0; i < n; i++)
			write_event(&g->out[SRC_EVENTS], recs[i].num, &recs[i].e, recs[i].off_min, NULL);
	}
	free(recs);
}

/* Simulate lead `num` and write it with its events and opportunities. */
static void gen_lead(gen *g, uint64_t num)
{
	rng r;
	rng_seed(&r, g->seed, num);
	glead l = { .num = num, .cents = -1 };
	for (int f = 0; f < LT_COUNT; f++)
		l.t[f] = TS_NONE;
	l.t[LT_CREATED] = intensity_at(g, ((double)(num - 1) + unif(&r)) / (double)g->nleads);
	draw_profile(&r, &l);
	double u = unif(&r);
	if (u < 0.03) {
		l.fmt[LT_CREATED] = TF_ZMS;
		l.t[LT_CREATED] += (ts_ms)below(&r, 1000);
	} else if (u < 0.10 && l.off_min)
		l.fmt[LT_CREATED] = TF_OFF;
	int field_fmt = chance(&r, 0.08) && l.off_min ? TF_OFF : TF_Z;
	for (int f = LT_MQL; f < LT_COUNT; f++)
		l.fmt[f] = (uint8_t)field_fmt;

	double engagement = lognorm(&r, 1.0, 0.85) * l.ch->eng * (0.6 + 0.8 * l.fit / 50.0);
	double intent = lognorm(&r, 1.0, 0.7) * (0.5 + l.fit / 50.0);
	g->nev = 0;
	draw_engagement(g, &r, &l, engagement, intent);
	ev_settle(g);

	/* the marketing-automation system's MQL stamp: its own score with a
	 * threshold near 60, synced a little later */
	double threshold = chance(&r, 0.75) ? MQL_THRESHOLD : (double)(56 + below(&r, 9));
	ts_ms cross = score_crossing(g, &l, threshold);
	bool synced = chance(&r, 0.94);
	if (cross != TS_NONE && synced) {
		ts_ms lag = chance(&r, 0.8) ? (ts_ms)below(&r, 600) * 1000
					    : (ts_ms)(uniform_in(&r, 1, 6) * 3600000.0);
		stamp(g, &l, LT_MQL, cross + lag);
	} else if (cross == TS_NONE && chance(&r, 0.5)) {
		/* hand-raisers: a demo request fast-tracks the lead */
		ts_ms demo = first_event(g, EV_DEMO_REQUEST, l.t[LT_CREATED]);
		if (demo != TS_NONE)
			stamp(g, &l, LT_MQL, demo + (ts_ms)below(&r, 300) * 1000);
	}
	size_t nmarketing = g->nev;
	draw_sales(g, &r, &l, intent);
	if (g->nev != nmarketing)
		ev_settle(g);

	obuf *lb = &g->out[SRC_LEADS];
	if (lb->len + sizeof g->lead_row > OBUF_CAP)
		ob_flush(lb);
	size_t start = lb->len;
	write_lead(lb, &l, num, NULL, NULL, false);
	g->lead_row_len = lb->len - start <= sizeof g->lead_row ? lb->len - start : 0;
	memcpy(g->lead_row, lb->buf + start, g->lead_row_len);
	obuf *eb = &g->out[SRC_EVENTS];
	for (size_t i = 0; i < g->nev; i++) {
		if (g->time_order)
			bucket_put(g, num, &g->ev[i], l.off_min);
		else
			write_event(eb, num, &g->ev[i], l.off_min, NULL);
	}
	for (size_t i = 0; i < l.nopps; i++)
		write_opp(g, &l.opp[i], num, NULL);
}

/* The bad rows scheduled after lead `num`. Each uses its own stream. */
static void gen_bad_after_lead(gen *g, uint64_t num, int kind, int k)
{
	rng r;
	rng_seed(&r, g->seed, UINT64_MAX - 1 - (uint64_t)kind * 100000 - (uint64_t)k);
	/* a plausible profile for the rows that need one */
	rng lr;
	rng_seed(&lr, g->seed, num);
	glead l = { .num = num, .cents = -1 };
	for (int f = 0; f < LT_COUNT; f++)
		l.t[f] = TS_NONE;
	ts_ms created = g->start + (ts_ms)(unif(&r) * (double)(g->end - g->start - 3600000));
	l.t[LT_CREATED] = created / 1000 * 1000;
	draw_profile(&lr, &l);
	gev e = { .at = l.t[LT_CREATED] + 3600000, .fmt = TF_Z, .type = EV_PAGE_VISIT,
		  .channel = "organic_search", .campaign = "seo_blog" };
	obuf *lb = &g->out[SRC_LEADS], *eb = &g->out[SRC_EVENTS], *ob = &g->out[SRC_OPPORTUNITIES];
	switch (kind) {
	case BAD_LEAD_DATE:
		write_lead(lb, &l, bad_lead_num(g, k), bad_dates[k % 4], NULL, false);
		break;
	case BAD_LEAD_FIELDS:
		write_lead(lb, &l, bad_lead_num(g, g->bad + k), NULL, NULL, true);
		break;
	case BAD_LEAD_DUP:
		/* the same lead exported twice */
		if (g->lead_row_len) {
			ob_putn(lb, g->lead_row, g->lead_row_len);
			lb->rows++;
		}
		break;
	case BAD_LEAD_WARN:
		write_lead(lb, &l, bad_lead_num(g, 2 * g->bad + k), NULL, "n/a", false);
		break;
	case BAD_EV_DATE: {
		ob_lead_id(eb, num);
		ob_putc(eb, ',');
		ob_puts(eb, k % 2 ? "2026-02-29T12:00:00Z" : "yesterday");
		ob_puts(eb, ",page_visit,direct,\n");
		eb->rows++;
		break;
	}
	case BAD_EV_FIELDS:
		ob_lead_id(eb, num);
		ob_putc(eb, ',');
		ob_ts(eb, e.at < g->end ? e.at : created, TF_Z, 0);
		ob_puts(eb, ",page_visit\n");
		eb->rows++;
		break;
	case BAD_EV_TYPE:
		if (e.at >= g->end)
			e.at = created;
		write_event(eb, num, &e, 0, k % 2 ? "Video Watched" : "chat_started");
		break;
	case BAD_EV_ORPHAN:
		if (e.at >= g->end)
			e.at = created;
		write_event(eb, orphan_num(g, k), &e, 0, NULL);
		break;
	case BAD_OPP_ORPHAN:
	case BAD_OPP_DATE: {
		gopp o = { .id = ++g->next_bad_opp, .bad = true, .created = l.t[LT_CREATED], .is_closed = false,
			   .closed = day_floor(g->end + 30 * MS_PER_DAY), .fmt_closed = TF_DATE,
			   .stage = "Qualification", .cents = 1500000 };
		if (kind == BAD_OPP_ORPHAN)
			write_opp(g, &o, orphan_num(g, k), NULL);
		else
			write_opp(g, &o, num, "TBD");
		break;
	}
	case BAD_OPP_DUP:
		/* the last good opportunity again; before the first, right after it */
		if (g->last_opp_row) {
			ob_puts(ob, g->last_opp_row);
			ob->rows++;
		} else {
			g->pending_opp_dups++;
		}
		break;
	default:
		break;
	}
}

static void gen_bad_spend(gen *g, ts_ms day, int kind)
{
	obuf *b = &g->out[SRC_SPEND];
	int y, m, d;
	civil_from_days(day / MS_PER_DAY, &y, &m, &d);
	switch (kind) {
	case BAD_SP_NEG:
		ob_ts(b, day, TF_DATE, 0);
		ob_puts(b, ",paid_search,gs_brand,-125.00,USD\n");
		break;
	case BAD_SP_CUR:
		ob_ts(b, day, TF_DATE, 0);
		ob_puts(b, ",linkedin,li_abm_enterprise,980.00,EUR\n");
		break;
	case BAD_SP_DATE: {
		char text[16];
		snprintf(text, sizeof text, "%04d-02-30", y);
		ob_puts(b, text);
		ob_puts(b, ",paid_social,fb_lookalike_q4,200.00,USD\n");
		break;
	}
	default: /* BAD_SP_FIELDS */
		ob_ts(b, day, TF_DATE, 0);
		ob_puts(b, ",paid_search,310.00\n");
		break;
	}
	b->rows++;
}

/* Daily spend per paid channel and campaign: the expected leads of the day
 * times the channel's cost per lead, with day-to-day noise, plus a monthly
 * agency retainer on paid search without a campaign. */
static void gen_spend(gen *g, const bad_slot *slots, size_t nslots)
{
	rng r;
	rng_seed(&r, g->seed, 0);
	obuf *b = &g->out[SRC_SPEND];
	size_t ndays = g->nhours / 24, si = 0;
	const gchannel *search = channel_named("paid_search");
	for (size_t d = 0; d < ndays; d++) {
		ts_ms day = g->start + (ts_ms)d * MS_PER_DAY;
		double share = day_share(g, d);
		int y, m, dom;
		civil_from_days(day / MS_PER_DAY, &y, &m, &dom);
		for (size_t ci = 0; ci < NCHANNELS; ci++) {
			const gchannel *c = &channels[ci];
			if (c->cpl <= 0)
				continue;
			size_t nc = ncampaigns(c);
			for (size_t k = 0; k < nc; k++) {
				double leads = (double)g->nleads * share * c->share / (double)nc;
				double amount = leads * c->cpl * lognorm(&r, 1.0, c->spend_sigma);
				int64_t cents = llround(amount * 100);
				double u = unif(&r);
				if (cents <= 0)
					continue;
				ob_ts(b, day, TF_DATE, 0);
				ob_putc(b, ',');
				ob_field(b, chance(&r, 0.03) ? c->display : c->name);
				ob_putc(b, ',');
				ob_field(b, c->campaigns[k]);
				ob_putc(b, ',');
				ob_money(b, cents, u < 0.05);
				ob_puts(b, u < 0.95 ? ",USD" : u < 0.98 ? "," : ",usd");
				ob_endrow(b);
			}
		}
		if (dom == 1) {
			double retainer = 0.05 * (double)g->nleads * search->share * search->cpl * 30.0 /
					  (double)ndays;
			ob_ts(b, day, TF_DATE, 0);
			ob_puts(b, ",paid_search,,");
			ob_money(b, llround(retainer * 100), false);
			ob_puts(b, ",USD");
			ob_endrow(b);
		}
		while (si < nslots && slots[si].at == d)
			gen_bad_spend(g, day, slots[si++].kind);
	}
}

/* The seeded places of the bad rows: lead-side kinds after a lead number,
 * spend kinds after a day. */
static bad_slot *plan_bad(const gen *g, bool spend, size_t *n)
{
	rng r;
	rng_seed(&r, g->seed, UINT64_MAX);
	int lo = spend ? BAD_SP_NEG : BAD_LEAD_DATE, hi = spend ? BAD_KINDS : BAD_SP_NEG;
	size_t ndays = g->nhours / 24;
	bad_slot *s = xcalloc((size_t)g->bad * (size_t)(hi - lo) + 1, sizeof *s);
	*n = 0;
	for (int kind = lo; kind < hi; kind++) {
		for (int k = 0; k < g->bad; k++) {
			uint64_t at = spend ? below(&r, ndays) : 1 + below(&r, g->nleads);
			s[(*n)++] = (bad_slot){ .at = at, .kind = kind };
		}
	}
	qsort(s, *n, sizeof *s, slot_cmp);
	return s;
}

static const char *const file_name[SRC_COUNT] = {
	"leads.csv", "events.csv", "spend.csv", "opportunities.csv",
};

/* Generate every file into dir. Returns 0, or -1 with err (MQ_CANTCREAT). */
static int gen_write(gen *g, const char *dir, mq_err *err)
{
	static const char *const headers[SRC_COUNT] = {
		leads_header, events_header, spend_header, opps_header,
	};
	bad_slot *lead_slots = NULL, *spend_slots = NULL;
	int rc = -1;
	if (g_mkdir_with_parents(dir, 0755) != 0) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot create the folder: %s", dir, strerror(errno));
		return -1;
	}
	for (int s = 0; s < SRC_COUNT; s++) {
		char *path = g_build_filename(dir, file_name[s], NULL);
		g->out[s].af = afile_open(path, err);
		g_free(path);
		if (!g->out[s].af)
			goto fail;
		g->out[s].fp = afile_stream(g->out[s].af);
		g->out[s].buf = xmalloc(OBUF_CAP);
		ob_puts(&g->out[s], headers[s]);
	}
	intensity_init(g);
	if (g->time_order && buckets_open(g, dir, err) != 0)
		goto fail;
	size_t nlead_slots, nspend_slots;
	lead_slots = plan_bad(g, false, &nlead_slots);
	spend_slots = plan_bad(g, true, &nspend_slots);

	gen_spend(g, spend_slots, nspend_slots);
	size_t si = 0;
	int kth[BAD_KINDS] = { 0 };
	for (uint64_t num = 1; num <= g->nleads; num++) {
		gen_lead(g, num);
		while (si < nlead_slots && lead_slots[si].at == num) {
			int kind = lead_slots[si++].kind;
			gen_bad_after_lead(g, num, kind, kth[kind]++);
		}
	}
	if (g->time_order) {
		buckets_drain(g);
		if (g->bucket_failed) {
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot use a temporary file: %s", dir,
				   strerror(errno));
			goto fail;
		}
	}
	for (int s = 0; s < SRC_COUNT; s++) {
		ob_flush(&g->out[s]);
		if (g->out[s].failed) {
			char *path = g_build_filename(dir, file_name[s], NULL);
			mq_err_set(err, MQ_CANTCREAT, "%s: cannot write: %s", path, strerror(errno));
			g_free(path);
			goto fail;
		}
	}
	rc = 0;
	for (int s = 0; s < SRC_COUNT; s++) {
		if (afile_commit(g->out[s].af, err) != 0)
			rc = -1;
		g->out[s].af = NULL;
	}
fail:
	for (int s = 0; s < SRC_COUNT; s++) {
		afile_abort(g->out[s].af);
		g->out[s].af = NULL;
		free(g->out[s].buf);
		g->out[s].buf = NULL;
	}
	buckets_close(g);
	free(lead_slots);
	free(spend_slots);
	return rc;
}

/* ---- the command ---- */

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
		gen_fail(MQ_USAGE, "gen: --%s: expected a whole number from %llu to %llu, got \"%s\"",
			 name, (unsigned long long)min, (unsigned long long)max, text);
		return false;
	}
	*out = v;
	return true;
}

int gen_main(int argc, char **argv)
{
	char *leads = NULL, *seed = NULL, *out = NULL, *weeks = NULL, *end_week = NULL, *bad = NULL;
	char *order = NULL;
	gboolean help = FALSE, version = FALSE;
	GOptionEntry entries[] = {
		{ "leads", 0, 0, G_OPTION_ARG_STRING, &leads, "Number of leads to generate (required)", "N" },
		{ "seed", 0, 0, G_OPTION_ARG_STRING, &seed, "Seed of the generator; the same seed gives the same bytes (required)", "S" },
		{ "out", 0, 0, G_OPTION_ARG_FILENAME, &out, "Folder to write the four CSV files into, created when missing (required)", "DIR" },
		{ "weeks", 0, 0, G_OPTION_ARG_STRING, &weeks, "Weeks of history (default 26)", "W" },
		{ "end-week", 0, 0, G_OPTION_ARG_STRING, &end_week, "Last generated ISO week (default: the last complete week in UTC)", "2026-W47" },
		{ "bad-rows", 0, 0, G_OPTION_ARG_STRING, &bad, "Add K rows of each kind of defect (default 0)", "K" },
		{ "events-order", 0, 0, G_OPTION_ARG_STRING, &order, "Order of events.csv: lead (each lead's events together, the default) or time", "lead|time" },
		{ "help", 'h', 0, G_OPTION_ARG_NONE, &help, "Show this help", NULL },
		{ "version", 'V', 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
		{ NULL, 0, 0, 0, NULL, NULL, NULL },
	};
	g_set_prgname("mqlreport gen");
	GOptionContext *octx = g_option_context_new("- write sample exports");
	g_option_context_set_help_enabled(octx, FALSE);
	g_option_context_add_main_entries(octx, entries, NULL);
	g_option_context_set_summary(octx,
		"Writes leads.csv, events.csv, spend.csv and opportunities.csv with canonical\n"
		"headers: a simulated B2B funnel over the weeks ending with --end-week. The\n"
		"files hold nothing stamped at or after the end of that week, except the\n"
		"expected close dates of open deals.");
	g_option_context_set_description(octx,
		"Exit status: 0 success, 64 usage, 73 cannot write the output.");
	GError *gerr = NULL;
	gen g = { .weeks = 26 };
	int status = MQ_OK;
	if (!g_option_context_parse(octx, &argc, &argv, &gerr)) {
		status = gen_fail(MQ_USAGE, "gen: %s", gerr->message);
		g_error_free(gerr);
		goto done;
	}
	if (help) {
		char *text = g_option_context_get_help(octx, TRUE, NULL);
		fputs(text, stdout);
		g_free(text);
		goto done;
	}
	if (version) {
		printf("mqlreport %s\n", MQL_VERSION);
		goto done;
	}
	if (argc > 1) {
		status = gen_fail(MQ_USAGE, "gen: unexpected argument \"%s\"", argv[1]);
		goto done;
	}
	if (!leads || !seed || !out) {
		status = gen_fail(MQ_USAGE, "gen: --%s is required", !leads ? "leads" : !seed ? "seed" : "out");
		goto done;
	}
	uint64_t w = 26, k = 0;
	if (!parse_count("leads", leads, 1, 100000000, &g.nleads) ||
	    !parse_count("seed", seed, 0, UINT64_MAX, &g.seed) ||
	    !parse_count("weeks", weeks, 1, 520, &w) ||
	    !parse_count("bad-rows", bad, 0, 1000, &k)) {
		status = MQ_USAGE;
		goto done;
	}
	g.weeks = (int)w;
	g.bad = (int)k;
	if (order && strcmp(order, "lead") != 0 && strcmp(order, "time") != 0) {
		status = gen_fail(MQ_USAGE, "gen: --events-order: expected lead or time, got \"%s\"", order);
		goto done;
	}
	g.time_order = order && !strcmp(order, "time");
	int year, week;
	if (end_week) {
		if (!week_parse(end_week, &year, &week) || year < 1971) {
			status = gen_fail(MQ_USAGE, "gen: --end-week: expected an ISO week such as 2026-W47, got \"%s\"",
					  end_week);
			goto done;
		}
	}
	GTimeZone *utc = g_time_zone_new_utc();
	if (!end_week)
		week_last(utc, (ts_ms)time(NULL) * 1000, &year, &week);
	g.end = week_start(utc, year, week) + MS_PER_WEEK;
	g_time_zone_unref(utc);
	g.start = g.end - (ts_ms)g.weeks * MS_PER_WEEK;

	mq_err err = { 0 };
	if (gen_write(&g, out, &err) != 0) {
		status = gen_fail(err.status, "gen: %s", err.msg);
		goto done;
	}
	int sy, sw;
	ts_iso_week_of(g.start / MS_PER_DAY, &sy, &sw);
	printf("gen: wrote %s: %lld leads, %lld events, %lld opportunities, %lld spend rows "
	       "(weeks %04d-W%02d to %04d-W%02d, %d bad rows of each kind)\n",
	       out, (long long)g.out[SRC_LEADS].rows, (long long)g.out[SRC_EVENTS].rows,
	       (long long)g.out[SRC_OPPORTUNITIES].rows, (long long)g.out[SRC_SPEND].rows,
	       sy, sw, year, week, g.bad);
done:
	free(g.hour_cum);
	free(g.ev);
	free(g.scratch);
	free(g.last_opp_row);
	g_option_context_free(octx);
	g_free(leads);
	g_free(seed);
	g_free(out);
	g_free(weeks);
	g_free(end_week);
	g_free(bad);
	g_free(order);
	return status;
}
