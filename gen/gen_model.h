/* gen_model.h — the generator's world: channels and their campaigns, the
 * profiles a lead is drawn from, the event types with their points, and the
 * records of one simulated lead (events, opportunities, the lead itself).
 *
 * The tables follow SPEC §3's canonical values and SPEC §5's default scoring
 * model; samples/README.md describes them. */
#ifndef MQL_GEN_MODEL_H
#define MQL_GEN_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "base.h"
#include "dataset.h"
#include "gen_rng.h"

typedef struct gchannel {
	const char *name;	  /* canonical */
	const char *display;	  /* a vendor spelling that normalises to name */
	double share;		  /* of leads */
	double cpl;		  /* spend per lead; 0: unpaid */
	double spend_sigma;	  /* day-to-day noise of the spend */
	double eng;		  /* engagement multiplier */
	double fit;		  /* -1..1: skews titles and company sizes */
	double sql;		  /* MQL → SQL multiplier */
	double win;		  /* win-rate multiplier */
	const char *campaigns[4]; /* NULL-terminated; "" is an empty campaign */
} gchannel;

enum { NCHANNELS = 10 };
extern const gchannel gen_channels[];

/* The channel of canonical name `name` (the first when there is none). */
const gchannel *gen_channel(const char *name);
size_t gen_ncampaigns(const gchannel *c);
/* One of channel c's campaigns, drawn uniformly. */
const char *gen_any_campaign(rng *r, const gchannel *c);

/* Job titles by the points SPEC §5's default rules give them. */
typedef struct gtier {
	int points;
	double weight;
	const char *titles[14];
} gtier;

enum { NTIERS = 6 };
extern const gtier gen_title_tiers[];

/* Company size categories: SPEC §5's bands and their points. */
typedef struct sizecat {
	int64_t lo, hi;
	double weight;
	int points;
} sizecat;

enum { NSIZES = 6 };
extern const sizecat gen_sizes[];
extern const double gen_size_deal[]; /* a deal's median amount by size category */

typedef struct gvalue {
	const char *canonical; /* what the value normalises to */
	const char *display;   /* a vendor spelling of it */
	double weight;
	int points;
} gvalue;

enum { NINDUSTRIES = 11 };
extern const gvalue gen_industries[];

/* Countries with their points and a local UTC offset for timestamps with one. */
typedef struct gcountry {
	const char *code;
	double weight;
	int points;
	int off_winter, off_summer; /* minutes east of UTC */
} gcountry;

enum { NCOUNTRIES = 14 };
extern const gcountry gen_countries[];

/* Behavioural points and categories of SPEC §5's default model. */
enum { CAT_NONE = -1, CAT_CONTENT, CAT_WEB, CAT_EMAIL, CAT_SOCIAL, CAT_INTENT, CAT_NEG, NCAT };
extern const double gen_cat_cap[NCAT];

typedef struct gtype {
	int cat;
	double points;
	double weight; /* in the general mix of a lead's engagement */
	bool intent;   /* weight grows with the lead's buying intent */
} gtype;

extern const gtype gen_types[EV_COUNT];

/* Base rate of general engagement events per lead over its lifetime, before
 * the lead's own engagement multiplier (mean about 1.5). */
#define ENGAGEMENT_BASE 12.8
#define MQL_THRESHOLD	60.0

typedef struct gev {
	ts_ms at;
	uint32_t seq;	     /* creation order: ties keep it */
	uint8_t type;	     /* enum ev_kind */
	uint8_t fmt;	     /* enum tfmt */
	const char *channel; /* canonical or display spelling; "" for none */
	const char *campaign;
} gev;

typedef struct gopp {
	uint64_t id; /* OPP-0000001 …; a bad row's is OPP-B000001 … */
	bool bad;
	ts_ms created, closed; /* closed: the close date, or an open deal's expected one */
	bool is_closed, won;
	int64_t cents;
	uint8_t fmt_created, fmt_closed;
	uint8_t won_style; /* 0 "true"/"false", 1 "TRUE"/"FALSE", 2 "1"/"0", 3 empty */
	const char *stage;
} gopp;

typedef struct glead {
	uint64_t num; /* 1-based; the id is L%07u */
	ts_ms t[LT_COUNT];
	uint8_t fmt[LT_COUNT];
	int off_min; /* the lead's local offset for TF_OFF */
	const gchannel *ch;
	const char *channel_text, *campaign;
	const char *title;
	char size_text[24];
	size_t size_cat;
	const char *industry_text;
	const char *country_text;
	char country_lower[4];
	double fit;    /* demographic points */
	int64_t cents; /* amount; < 0: empty */
	bool fancy_amount;
	gopp opp[2];
	size_t nopps;
} glead;

/* Lead number `num` with every time stamp and the amount empty. */
void glead_init(glead *l, uint64_t num);

static inline ts_ms day_floor(ts_ms t)
{
	return t / MS_PER_DAY * MS_PER_DAY;
}

#endif
