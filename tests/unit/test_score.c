/* test_score.c — SPEC §5's default model and SPEC §4's replay, on hand-worked
 * fixtures (each expected value derived in the comment beside it) and on
 * generated data checked against a from-the-definition reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "score.h"
#include "score_fixture.h"

#define EPS 1e-9

/* ---- job titles ---- */

static const struct {
	const char *title;
	double points;
} title_cases[] = {
    {"", 0},				 /* empty: no points at all */
    {"Chief Marketing Officer", 20},	 /* chief */
    {"CEO", 20},			 /* ceo */
    {"cmo", 20},			 /* cmo, case-insensitive */
    {"CTO", 20},			 /* cto */
    {"CFO & Treasurer", 20},		 /* cfo */
    {"COO", 20},			 /* coo */
    {"Co-Founder", 20},			 /* words co, founder: founder */
    {"Owner", 20},			 /* owner */
    {"President", 20},			 /* president alone is the word */
    {"Vice President & CEO", 20},	 /* vice president 16, ceo 20: highest 20 */
    {"Vice President, Sales", 16},	 /* the phrase; its president is not the word */
    {"VICE-PRESIDENT of Marketing", 16}, /* words vice, president: the phrase */
    {"President of the Vice Squad", 20}, /* president before vice is the word */
    {"Vice President President", 20},	 /* the phrase, then the word again: 20 */
    {"VP Marketing", 16},		 /* vp */
    {"Senior VP/Director", 16},		 /* vp 16, director 12: 16 */
    {"Head of Growth", 16},		 /* head */
    {"Marketing Director", 12},		 /* director */
    {"Product Manager", 8},		 /* manager */
    {"Team Lead", 8},			 /* lead */
    {"Lead Generation Manager", 8},	 /* lead 8, manager 8 */
    {"Engineer", 2},			 /* any other non-empty title */
    {"Leader", 2},			 /* not the whole word lead */
    {"Directors", 2},			 /* not the whole word director */
    {"Headhunter", 2},			 /* not the whole word head */
    {"CEO2", 2},			 /* letters and digits make one word: ceo2 */
    {"Directeur Général", 2},		 /* other words, non-ASCII letters */
    {"--", 2},				 /* non-empty, no words: another title */
    {"Vice Chair", 2},			 /* vice alone matches no rule */
};

static void test_titles(void **state)
{
	(void)state;
	score_model m;
	score_model_default(&m);
	for (size_t i = 0; i < sizeof title_cases / sizeof title_cases[0]; i++) {
		double got = score_title(&m, title_cases[i].title);
		if (got != title_cases[i].points)
			fail_msg("title \"%s\": got %g, want %g", title_cases[i].title, got,
				 title_cases[i].points);
	}
	score_model_clear(&m);
}

static void test_title_words(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"Vice President, Sales", "vice president sales"},
	    {"  VP--Sales & Ops ", "vp sales ops"},
	    {"ÉQUIPE Lead", "équipe lead"},
	    {"&&", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *w = score_title_words(cases[i].in);
		assert_string_equal(w, cases[i].out);
		free(w);
	}
}

/* ---- company size, industry, country ---- */

static void test_fit_parts(void **state)
{
	(void)state;
	static const struct {
		int64_t size;
		const char *industry, *country;
		double points;
	} cases[] = {
	    {-1, NULL, NULL, 0}, /* empty size */
	    {0, NULL, NULL, 0},	 /* no band holds 0 */
	    {1, NULL, NULL, 2},	 /* 1-10 */
	    {10, NULL, NULL, 2},
	    {11, NULL, NULL, 6}, /* 11-50 */
	    {50, NULL, NULL, 6},
	    {51, NULL, NULL, 10}, /* 51-200 */
	    {200, NULL, NULL, 10},
	    {201, NULL, NULL, 15}, /* 201-1000 */
	    {1000, NULL, NULL, 15},
	    {1001, NULL, NULL, 12}, /* 1001-5000 */
	    {5000, NULL, NULL, 12},
	    {5001, NULL, NULL, 8}, /* over 5000 */
	    {250000, NULL, NULL, 8},
	    {-1, "software", NULL, 10},
	    {-1, "saas", NULL, 10},
	    {-1, "it_services", NULL, 10},
	    {-1, "financial_services", NULL, 10},
	    {-1, "marketing", NULL, 10},
	    {-1, "manufacturing", NULL, 5},
	    {-1, "healthcare", NULL, 5},
	    {-1, "education", NULL, 5},
	    {-1, "retail", NULL, 0},
	    {-1, NULL, "US", 5},
	    {-1, NULL, "CA", 5},
	    {-1, NULL, "GB", 5},
	    {-1, NULL, "DE", 5},
	    {-1, NULL, "FR", 5},
	    {-1, NULL, "NL", 5},
	    {-1, NULL, "AU", 5},
	    {-1, NULL, "IN", 0},
	    {201, "saas", "US", 30}, /* 15 + 10 + 5 */
	};
	score_model m;
	score_model_default(&m);
	dataset *ds = dataset_new();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint32_t k = fx_lead(ds, "x", FX_BASE, NULL, cases[i].size, cases[i].industry,
				     cases[i].country);
		double got = score_fit(&m, ds, &ds->leads[k]);
		if (got != cases[i].points)
			fail_msg("case %zu (size %lld, %s, %s): got %g, want %g", i,
				 (long long)cases[i].size,
				 cases[i].industry ? cases[i].industry : "-",
				 cases[i].country ? cases[i].country : "-", got, cases[i].points);
	}
	/* "Vice President, Sales" 16 + 201 employees 15 + saas 10 + US 5 = 46 */
	uint32_t k = fx_lead(ds, "y", FX_BASE, "Vice President, Sales", 201, "saas", "US");
	assert_true(score_fit(&m, ds, &ds->leads[k]) == 46);
	dataset_free(ds);
	score_model_clear(&m);
}

/* ---- replay: hand-worked leads ---- */

typedef struct fx_ev {
	double day; /* days after FX_BASE; as_of is day 21 */
	const char *type;
} fx_ev;

enum { P0, P46, P50 }; /* demographic profiles, below */

typedef struct replay_case {
	const char *name;
	int profile;
	double created;	  /* day */
	double half_life; /* days; 0 none */
	double threshold; /* 0: the default 60 */
	fx_ev ev[24];	  /* up to a NULL type */
	double score;
	double cat[SC_COUNT]; /* content, web, email, social, intent, negative */
	double mql_day;	      /* -1: no MQL */
} replay_case;

/* P0: nothing known, fit 0.
 * P46: "Vice President, Sales" 16 + 201 employees 15 + saas 10 + US 5 = 46.
 * P50: "CEO" 20 + 201 employees 15 + saas 10 + US 5 = 50. */
static uint32_t add_profile(dataset *ds, int profile, ts_ms created)
{
	switch (profile) {
	case P46:
		return fx_lead(ds, "p46", created, "Vice President, Sales", 201, "saas", "US");
	case P50:
		return fx_lead(ds, "p50", created, "CEO", 201, "saas", "US");
	default:
		return fx_lead(ds, "p0", created, NULL, -1, NULL, NULL);
	}
}
static const double profile_fit[] = {0, 46, 50};

static const replay_case replay_cases[] = {
    {/* Categories past their caps: content 4×5=20→15, web 6×1+1=7→5,
      * email 5×2=10→8, social 6×2=12→10, negative 2×−10=−20 (no cap).
      * 15+5+8+10−20 = 18. The highest checkpoint is day 4 with 38: no MQL. */
     "caps",
     P0,
     0,
     0,
     0,
     {{1, "content_download"}, {1, "content_download"},	 {1, "content_download"},
      {1, "content_download"}, {2, "page_visit"},	 {2, "page_visit"},
      {2, "page_visit"},       {2, "blog_click"},	 {2, "page_visit"},
      {2, "page_visit"},       {2, "page_visit"},	 {3, "email_click"},
      {3, "email_click"},      {3, "email_click"},	 {3, "email_click"},
      {3, "email_click"},      {4, "social_share"},	 {4, "social_share"},
      {4, "social_share"},     {4, "social_share"},	 {4, "social_share"},
      {4, "social_share"},     {6, "email_unsubscribe"}, {6, "email_unsubscribe"}},
     38 - 20,
     {15, 5, 8, 10, 0, -20},
     -1},
    {/* intent alone past its cap: demo 5×5 = 25 → 20; plus 2 premium
      * downloads 10 and a webinar registration 2 (content 12), email
      * newsletter 2 + open 1 = 3, social like/follow/ad 1+1+1 + comment 2
      * + poll 2 = 7. 20+12+3+7 = 42. */
     "intent cap, every scored type",
     P0,
     0,
     0,
     0,
     {{1, "demo_request"},
      {1, "demo_request"},
      {1, "demo_request"},
      {1, "demo_request"},
      {1, "demo_request"},
      {2, "premium_content_download"},
      {2, "premium_content_download"},
      {2, "webinar_registered"},
      {3, "newsletter_signup"},
      {3, "email_open"},
      {4, "social_like"},
      {4, "page_follow"},
      {4, "ad_click"},
      {4, "social_comment"},
      {4, "poll_response"}},
     42,
     {12, 0, 3, 7, 20, 0},
     -1},
    {/* the rest of intent: pricing 4 + webinar attended 4 + event 4 + sales
      * content 3 = 15; 46 + 15 = 61 reached at day 4's event (46+4+4+4 = 58
      * at day 3, 61 at day 4). */
     "intent types, MQL at an event",
     P46,
     0,
     0,
     0,
     {{1, "pricing_page_visit"},
      {2, "webinar_attended"},
      {3, "event_attended"},
      {4, "sales_content_view"}},
     61,
     {0, 0, 0, 0, 15, 0},
     4},
    {/* negative points, score below zero: 2×−10 − 5 = −25 */
     "negative, not floored",
     P0,
     0,
     0,
     0,
     {{1, "email_unsubscribe"}, {1, "email_unsubscribe"}, {2, "email_bounce"}},
     -25,
     {0, 0, 0, 0, 0, -25},
     -1},
    {/* 46 → page 47 (d1) → content 52 (d2) → demo 57 (d3) → click 59 (d4)
      * → open 60 (d5): equal to the threshold, MQL at day 5; the unsubscribe
      * on day 6 takes the score to 50 but the MQL stays. */
     "MQL at the threshold exactly, kept",
     P46,
     0,
     0,
     0,
     {{1, "page_visit"},
      {2, "content_download"},
      {3, "demo_request"},
      {4, "email_click"},
      {5, "email_open"},
      {6, "email_unsubscribe"}},
     50,
     {5, 1, 3, 0, 5, -10},
     5},
    {/* events before created_at count: at created (day 10) 50 + 5 + 5 = 60 */
     "MQL at created_at from earlier events",
     P50,
     10,
     0,
     0,
     {{2, "content_download"}, {3, "demo_request"}},
     60,
     {5, 0, 0, 0, 5, 0},
     10},
    {/* events at the very instant of created_at are in its checkpoint */
     "events at created_at",
     P50,
     2,
     0,
     0,
     {{2, "content_download"}, {2, "demo_request"}},
     60,
     {5, 0, 0, 0, 5, 0},
     2},
    {/* same instant: +5 +5 −10 all at day 3.5, so that checkpoint sees 50,
      * never 60 (taking the file order one by one would pass 60) */
     "equal timestamps",
     P50,
     0,
     0,
     0,
     {{3.5, "demo_request"}, {3.5, "content_download"}, {3.5, "email_unsubscribe"}},
     50,
     {5, 0, 0, 0, 5, -10},
     -1},
    {/* half-life 7 days, as_of = day 21: six demos at day 14 are 7 days old,
      * 6×5×0.5 = 15 (under the cap 20; capping before decay would give 10);
      * a download at day 7 is 14 days old, 5×0.25 = 1.25. 15 + 1.25 = 16.25 */
     "decay, caps on the decayed sums",
     P0,
     0,
     7,
     0,
     {{7, "content_download"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"}},
     16.25,
     {1.25, 0, 0, 0, 15, 0},
     -1},
    {/* half-life 7 days: 8 demos at day 14 decay to 8×5×0.5 = 20, the cap;
      * 10 at day 14 decay to 25 → capped at 20 */
     "decay, decayed sum over the cap",
     P0,
     0,
     7,
     0,
     {{14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"},
      {14, "demo_request"}},
     20,
     {0, 0, 0, 0, 20, 0},
     -1},
    {/* half-life 1 day. d1: 50+5 = 55. d2: demo 5×0.5 = 2.5, content 5 →
      * 57.5. d3: demo 1.25 + pricing 4 = 5.25, content 2.5 → 57.75. No MQL
      * (without decay day 2 would reach 60). As of day 21: demo 5×2^−20,
      * content 5×2^−19, pricing 4×2^−18 (value in the test). */
     "decay delays the MQL",
     P50,
     0,
     1,
     0,
     {{1, "demo_request"}, {2, "content_download"}, {3, "pricing_page_visit"}},
     -1000,
     {0},
     -1},
    {/* the same events without decay: 60 at day 2; 64 in the end */
     "no decay, MQL at day 2",
     P50,
     0,
     0,
     0,
     {{1, "demo_request"}, {2, "content_download"}, {3, "pricing_page_visit"}},
     64,
     {5, 0, 0, 0, 9, 0},
     2},
    {/* half-life 7 days, threshold 55, created day 7: a download on day 0
      * is 7 days old at created (2.5) and a demo at created is fresh (5):
      * 50 + 7.5 = 57.5 ≥ 55, MQL at day 7. As of day 21: 5×2^−3 = 0.625,
      * 5×2^−2 = 1.25 → 51.875 */
     "decay at the created checkpoint",
     P50,
     7,
     7,
     55,
     {{0, "content_download"}, {7, "demo_request"}},
     51.875,
     {0.625, 0, 0, 0, 1.25, 0},
     7},
    {/* unscored types score 0; an event at as_of (day 21) has not happened */
     "unscored and future events",
     P46,
     0,
     0,
     0,
     {{1, "product_signup"},
      {1, "trial_activity"},
      {2, "sales_touch"},
      {2, "webinar_party"},
      {21, "demo_request"},
      {25, "demo_request"}},
     46,
     {0},
     -1},
    {/* threshold 50: the fit alone qualifies at created */
     "fit alone at created",
     P50,
     0,
     0,
     50,
     {{0, NULL}},
     50,
     {0},
     0},
    {/* created at as_of: does not exist, zero score, no MQL */
     "created at as_of",
     P50,
     21,
     0,
     0,
     {{1, "demo_request"}},
     0,
     {0},
     -1},
};

static void test_replay_cases(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof replay_cases / sizeof replay_cases[0]; c++) {
		const replay_case *rc = &replay_cases[c];
		score_model m;
		score_model_default(&m);
		m.half_life_days = rc->half_life;
		if (rc->threshold > 0)
			m.threshold = rc->threshold;
		dataset *ds = dataset_new();
		/* a neighbour lead with its own events must not leak into ours */
		uint32_t other = fx_lead(ds, "other", fx_day(0), "CEO", 300, "saas", "US");
		fx_event(ds, other, fx_day(1), "demo_request");
		uint32_t k = add_profile(ds, rc->profile, fx_day(rc->created));
		for (size_t e = 0; e < 24 && rc->ev[e].type; e++)
			fx_event(ds, k, fx_day(rc->ev[e].day), rc->ev[e].type);
		fx_event(ds, other, fx_day(2), "pricing_page_visit");
		dataset_index(ds);

		lead_score out[2];
		score_cats cats[2];
		score_replay(&m, ds, FX_AS_OF, out, cats);
		const lead_score *s = &out[k];
		const score_cats *sc = &cats[k];
		double want = rc->score;
		double want_cat[SC_COUNT];
		memcpy(want_cat, rc->cat, sizeof want_cat);
		if (want == -1000) { /* "decay delays the MQL" */
			want_cat[SC_INTENT] = 5 * exp2(-20) + 4 * exp2(-18);
			want_cat[SC_CONTENT] = 5 * exp2(-19);
			want = 50 + want_cat[SC_INTENT] + want_cat[SC_CONTENT];
		}
		bool exists = rc->created < 21;
		double want_fit = exists ? profile_fit[rc->profile] : 0;
		if (fabs(s->fit + s->engagement - want) > EPS || fabs(s->fit - want_fit) > EPS)
			fail_msg("%s: score %.12g (fit %g), want %.12g (fit %g)", rc->name,
				 s->fit + s->engagement, s->fit, want, want_fit);
		double eng = 0;
		for (int cat = 0; cat < SC_COUNT; cat++) {
			if (fabs(sc->cat[cat] - want_cat[cat]) > EPS)
				fail_msg("%s: %s %.12g, want %.12g", rc->name, score_cat_name[cat],
					 sc->cat[cat], want_cat[cat]);
			eng += sc->cat[cat];
		}
		assert_true(fabs(eng - s->engagement) < EPS);
		ts_ms want_mql = rc->mql_day < 0 ? TS_NONE : fx_day(rc->mql_day);
		if (s->mql_at != want_mql)
			fail_msg("%s: mql_at %lld, want %lld", rc->name, (long long)s->mql_at,
				 (long long)want_mql);

		/* The explanation agrees, part by part. */
		score_explanation x;
		score_explain(&m, ds, k, FX_AS_OF, &x);
		assert_true(x.score.mql_at == s->mql_at);
		assert_true(x.score.fit + x.score.engagement == s->fit + s->engagement);
		double fit = 0;
		for (int p = 0; p < 4; p++)
			fit += x.fit[p].points;
		if (exists)
			assert_true(fabs(fit - s->fit) < EPS);
		score_explanation_clear(&x);
		dataset_free(ds);
		score_model_clear(&m);
	}
}

static void test_explain_parts(void **state)
{
	(void)state;
	score_model m;
	score_model_default(&m);
	m.half_life_days = 7;
	dataset *ds = dataset_new();
	uint32_t k = fx_lead(ds, "a", fx_day(0), "Vice President & CEO", 51, "healthcare", "FR");
	fx_event(ds, k, fx_day(7), "content_download"); /* 14 days old: 5 × 0.25 = 1.25 */
	fx_event(ds, k, fx_day(14), "email_bounce");	/* 7 days old: −5 × 0.5 = −2.5 */
	fx_event(ds, k, fx_day(14), "trial_activity");	/* 0 points */
	dataset_index(ds);
	score_explanation x;
	score_explain(&m, ds, k, FX_AS_OF, &x);
	/* title: vice president 16 and ceo 20 → the ceo rule, 20 */
	assert_string_equal(x.fit[0].rule, "ceo");
	assert_true(x.fit[0].points == 20);
	assert_string_equal(x.fit[1].rule, "51-200"); /* 10 */
	assert_true(x.fit[1].points == 10);
	assert_string_equal(x.fit[2].rule, "healthcare"); /* 5 */
	assert_true(x.fit[2].points == 5);
	assert_string_equal(x.fit[3].rule, "FR"); /* 5 */
	assert_true(x.fit[3].points == 5);
	assert_int_equal(x.nevents, 3);
	assert_int_equal(x.events[0].cat, SC_CONTENT);
	assert_true(fabs(x.events[0].factor - 0.25) < EPS);
	assert_true(fabs(x.events[0].points - 1.25) < EPS);
	assert_int_equal(x.events[1].cat, SC_NEGATIVE);
	assert_true(fabs(x.events[1].points + 2.5) < EPS);
	assert_int_equal(x.events[2].cat, SC_NONE);
	assert_true(x.events[2].points == 0);
	/* 20 + 10 + 5 + 5 = 40 fit; 1.25 − 2.5 = −1.25 engagement → 38.75 */
	assert_true(fabs(x.score.fit + x.score.engagement - 38.75) < EPS);
	score_explanation_clear(&x);
	dataset_free(ds);
	score_model_clear(&m);
}

/* ---- generated data against the definition ---- */

static uint64_t rng_state;
static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)((rng_state >> 33) % n);
}

static dataset *generated(size_t nleads)
{
	static const char *titles[] = {"",	   "CEO",     "Vice President, Sales",
				       "Director", "Analyst", "Team Lead"};
	static const char *inds[] = {NULL, "saas", "retail", "education"};
	static const char *ctys[] = {NULL, "US", "IN", "DE"};
	dataset *ds = dataset_new();
	for (size_t i = 0; i < nleads; i++) {
		char id[32];
		snprintf(id, sizeof id, "g%zu", i);
		/* created anywhere in the 13 weeks, some after as_of */
		ts_ms created = FX_13W + (ts_ms)rnd(95) * MS_PER_DAY + (ts_ms)rnd(86400) * 1000;
		uint32_t k = fx_lead(ds, id, created, titles[rnd(6)], (int64_t)rnd(8000) - 1,
				     inds[rnd(4)], ctys[rnd(4)]);
		size_t nev = rnd(30);
		bool burst = rnd(2); /* all within two days, or spread over a month */
		for (size_t e = 0; e < nev; e++) {
			/* around created, some before it; a few share an instant */
			ts_ms at = burst ? created + ((ts_ms)rnd(48) - 8) * MS_PER_DAY / 24
					 : created + ((ts_ms)rnd(60) - 10) * MS_PER_DAY / 2;
			fx_event(ds, k, at, ev_kind_name[1 + rnd(EV_COUNT - 1)]);
		}
	}
	dataset_index(ds);
	return ds;
}

/* The score at moment t from SPEC §4-§5's words, nothing reused. */
static double reference_at(const score_model *m, const dataset *ds, size_t i, ts_ms t)
{
	double sum[SC_COUNT] = {0};
	for (uint32_t k = ds->lead_ev[i]; k < ds->lead_ev[i + 1]; k++) {
		const event *e = &ds->events[k];
		if (ev_at(ds, e) > t)
			continue;
		int kind = ev_kind_of(e);
		if (m->event_cat[kind] < 0)
			continue;
		double f =
		    m->half_life_days > 0
			? pow(0.5, (double)(t - ev_at(ds, e)) / (m->half_life_days * MS_PER_DAY))
			: 1;
		sum[m->event_cat[kind]] += m->event_points[kind] * f;
	}
	double s = score_fit(m, ds, &ds->leads[i]);
	for (int c = 0; c < SC_COUNT; c++)
		s += (m->cap[c] >= 0 && sum[c] > m->cap[c]) ? m->cap[c] : sum[c];
	return s;
}

static ts_ms reference_mql(const score_model *m, const dataset *ds, size_t i, ts_ms as_of)
{
	ts_ms created = lead_t(ds, &ds->leads[i], LT_CREATED);
	if (created >= as_of)
		return TS_NONE;
	if (reference_at(m, ds, i, created) >= m->threshold)
		return created;
	for (uint32_t k = ds->lead_ev[i]; k < ds->lead_ev[i + 1]; k++) {
		ts_ms t = ev_at(ds, &ds->events[k]);
		if (t <= created || t >= as_of)
			continue;
		if (reference_at(m, ds, i, t) >= m->threshold)
			return t;
	}
	return TS_NONE;
}

static void test_generated_against_reference(void **state)
{
	(void)state;
	rng_state = 42;
	dataset *ds = generated(600);
	static const double half_lives[] = {0, 3, 30};
	static const double thresholds[] = {30, 45, 60, 75};
	lead_score *out = xcalloc(ds->nleads, sizeof *out);
	lead_score *prev = xcalloc(ds->nleads, sizeof *prev);
	lead_score *bare = xcalloc(ds->nleads, sizeof *bare);
	score_cats *cats = xcalloc(ds->nleads, sizeof *cats);
	for (size_t h = 0; h < 3; h++) {
		for (size_t t = 0; t < 4; t++) {
			score_model m;
			score_model_default(&m);
			m.half_life_days = half_lives[h];
			m.threshold = thresholds[t];
			score_replay(&m, ds, FX_AS_OF, out, cats);
			/* without the categories, the same scores */
			score_replay(&m, ds, FX_AS_OF, bare, NULL);
			size_t mqls = 0;
			for (size_t i = 0; i < ds->nleads; i++) {
				assert_true(bare[i].fit == out[i].fit &&
					    bare[i].engagement == out[i].engagement &&
					    bare[i].mql_at == out[i].mql_at);
				bool exists = lead_t(ds, &ds->leads[i], LT_CREATED) < FX_AS_OF;
				/* score = fit + engagement, engagement = Σ categories */
				double eng = 0;
				for (int c = 0; c < SC_COUNT; c++)
					eng += cats[i].cat[c];
				assert_true(fabs(eng - out[i].engagement) < EPS);
				if (exists) {
					double want = reference_at(&m, ds, i, FX_AS_OF);
					if (fabs(out[i].fit + out[i].engagement - want) > 1e-7)
						fail_msg(
						    "hl %g lead %zu: score %.12g, reference %.12g",
						    m.half_life_days, i,
						    out[i].fit + out[i].engagement, want);
					assert_true(out[i].fit == score_fit(&m, ds, &ds->leads[i]));
				} else {
					assert_true(out[i].fit == 0 && out[i].engagement == 0);
				}
				ts_ms want_mql = reference_mql(&m, ds, i, FX_AS_OF);
				if (out[i].mql_at != want_mql)
					fail_msg("hl %g threshold %g lead %zu: mql_at %lld, "
						 "reference %lld",
						 m.half_life_days, m.threshold, i,
						 (long long)out[i].mql_at, (long long)want_mql);
				mqls += out[i].mql_at != TS_NONE;
				/* raising the threshold never adds an MQL nor moves one earlier */
				if (t > 0 && out[i].mql_at != TS_NONE) {
					assert_true(prev[i].mql_at != TS_NONE);
					assert_true(prev[i].mql_at <= out[i].mql_at);
				}
				/* the explanation adds up to the score */
				score_explanation x;
				score_explain(&m, ds, i, FX_AS_OF, &x);
				double sum[SC_COUNT] = {0}, total = 0;
				for (int p = 0; p < 4 && exists; p++)
					total += x.fit[p].points;
				for (size_t e = 0; e < x.nevents; e++) {
					assert_true(fabs(x.events[e].raw * x.events[e].factor -
							 x.events[e].points) < EPS);
					if (x.events[e].cat >= 0)
						sum[x.events[e].cat] += x.events[e].points;
				}
				for (int c = 0; c < SC_COUNT; c++)
					total += (m.cap[c] >= 0 && sum[c] > m.cap[c]) ? m.cap[c]
										      : sum[c];
				assert_true(fabs(total - (out[i].fit + out[i].engagement)) < EPS);
				assert_true(x.score.mql_at == out[i].mql_at);
				score_explanation_clear(&x);
			}
			/* the generator must exercise both outcomes */
			if (mqls == 0 || mqls == ds->nleads)
				fail_msg("hl %g threshold %g: %zu MQLs of %zu", m.half_life_days,
					 m.threshold, mqls, ds->nleads);
			memcpy(prev, out, ds->nleads * sizeof *out);
			score_model_clear(&m);
		}
	}
	free(out);
	free(prev);
	free(bare);
	free(cats);
	dataset_free(ds);
}

/* From 16,384 leads on the replay runs on two threads, half each: every
 * lead, on both sides of the halfway lead, gets exactly what replaying it
 * alone gives (score_explain), with and without the categories. */
static void test_replay_on_two_threads(void **state)
{
	(void)state;
	rng_state = 7;
	dataset *ds = generated(20001);
	score_model m;
	score_model_default(&m);
	m.half_life_days = 14;
	lead_score *out = xcalloc(ds->nleads, sizeof *out);
	lead_score *bare = xcalloc(ds->nleads, sizeof *bare);
	score_cats *cats = xcalloc(ds->nleads, sizeof *cats);
	score_replay(&m, ds, FX_AS_OF, out, cats);
	score_replay(&m, ds, FX_AS_OF, bare, NULL);
	size_t mqls = 0;
	for (size_t i = 0; i < ds->nleads; i++) {
		score_explanation x;
		score_explain(&m, ds, i, FX_AS_OF, &x);
		assert_true(memcmp(&out[i], &x.score, sizeof out[i]) == 0);
		assert_true(memcmp(&bare[i], &x.score, sizeof bare[i]) == 0);
		assert_true(memcmp(&cats[i], &x.cats, sizeof cats[i]) == 0);
		mqls += out[i].mql_at != TS_NONE;
		score_explanation_clear(&x);
	}
	assert_true(mqls > 0 && mqls < ds->nleads);
	free(out);
	free(bare);
	free(cats);
	score_model_clear(&m);
	dataset_free(ds);
}

static void test_default_model(void **state)
{
	(void)state;
	score_model m;
	score_model_default(&m);
	assert_true(m.threshold == 60);
	assert_true(m.half_life_days == 0);
	assert_true(m.cap[SC_CONTENT] == 15 && m.cap[SC_WEB] == 5 && m.cap[SC_EMAIL] == 8);
	assert_true(m.cap[SC_SOCIAL] == 10 && m.cap[SC_INTENT] == 20 && m.cap[SC_NEGATIVE] < 0);
	assert_int_equal(m.event_cat[EV_PRODUCT_SIGNUP], SC_NONE);
	assert_int_equal(m.event_cat[EV_TRIAL_ACTIVITY], SC_NONE);
	assert_int_equal(m.event_cat[EV_SALES_TOUCH], SC_NONE);
	assert_int_equal(m.event_cat[EV_UNKNOWN], SC_NONE);
	assert_true(m.event_points[EV_EMAIL_UNSUBSCRIBE] == -10);
	assert_true(m.event_points[EV_EMAIL_BOUNCE] == -5);
	score_model_clear(&m);
	score_model_clear(&m); /* cleared twice is harmless */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_replay_on_two_threads),
	    cmocka_unit_test(test_default_model),
	    cmocka_unit_test(test_titles),
	    cmocka_unit_test(test_title_words),
	    cmocka_unit_test(test_fit_parts),
	    cmocka_unit_test(test_replay_cases),
	    cmocka_unit_test(test_explain_parts),
	    cmocka_unit_test(test_generated_against_reference),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
