/* score.c — SPEC §5's scoring model and SPEC §4's replay of it over history.
 *
 * Replay walks each lead's events once, in time order, keeping the category
 * sums as of the current checkpoint. Without decay the sums only grow by the
 * points of the events at the checkpoint; with decay the sums of the previous
 * checkpoint are first multiplied by 0.5^(elapsed / half-life), which is
 * exactly the decay of every earlier event to the new moment (caps apply to
 * the decayed sums, so keeping the uncapped sums loses nothing). A score that
 * lands within rounding distance of the threshold is recomputed event by
 * event, so that the MQL decision never depends on accumulated rounding.
 *
 * It must not read files or the configuration: cmd/ parses the model and
 * hands it in. */
#include "score.h"

#include <glib.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

const char *const score_cat_name[SC_COUNT] = {
    "content", "web", "email", "social", "intent", "negative",
};

/* ---- the default model (SPEC §5) ---- */

static const struct {
	const char *phrase;
	double points;
} default_titles[] = {
    {"chief", 20},     {"ceo", 20},    {"cmo", 20},	{"cto", 20},
    {"cfo", 20},       {"coo", 20},    {"founder", 20}, {"owner", 20},
    {"president", 20}, {"vp", 16},     {"head", 16},	{"vice president", 16},
    {"director", 12},  {"manager", 8}, {"lead", 8},
};

static const size_band default_sizes[] = {
    {1, 10, 2}, {11, 50, 6}, {51, 200, 10}, {201, 1000, 15}, {1001, 5000, 12}, {5001, -1, 8},
};

static const struct {
	const char *name;
	double points;
} default_industries[] = {
    {"software", 10},  {"saas", 10},	     {"it_services", 10}, {"financial_services", 10},
    {"marketing", 10}, {"manufacturing", 5}, {"healthcare", 5},	  {"education", 5},
};

static const char *const default_countries[] = {"US", "CA", "GB", "DE", "FR", "NL", "AU"};

static const struct {
	int kind;
	int cat;
	double points;
} default_events[] = {
    {EV_PREMIUM_CONTENT_DOWNLOAD, SC_CONTENT, 5},
    {EV_CONTENT_DOWNLOAD, SC_CONTENT, 5},
    {EV_WEBINAR_REGISTERED, SC_CONTENT, 2},
    {EV_PAGE_VISIT, SC_WEB, 1},
    {EV_BLOG_CLICK, SC_WEB, 1},
    {EV_EMAIL_CLICK, SC_EMAIL, 2},
    {EV_EMAIL_OPEN, SC_EMAIL, 1},
    {EV_NEWSLETTER_SIGNUP, SC_EMAIL, 2},
    {EV_SOCIAL_LIKE, SC_SOCIAL, 1},
    {EV_PAGE_FOLLOW, SC_SOCIAL, 1},
    {EV_AD_CLICK, SC_SOCIAL, 1},
    {EV_SOCIAL_SHARE, SC_SOCIAL, 2},
    {EV_SOCIAL_COMMENT, SC_SOCIAL, 2},
    {EV_POLL_RESPONSE, SC_SOCIAL, 2},
    {EV_DEMO_REQUEST, SC_INTENT, 5},
    {EV_PRICING_PAGE_VISIT, SC_INTENT, 4},
    {EV_WEBINAR_ATTENDED, SC_INTENT, 4},
    {EV_EVENT_ATTENDED, SC_INTENT, 4},
    {EV_SALES_CONTENT_VIEW, SC_INTENT, 3},
    {EV_EMAIL_UNSUBSCRIBE, SC_NEGATIVE, -10},
    {EV_EMAIL_BOUNCE, SC_NEGATIVE, -5},
};

static const double default_caps[SC_COUNT] = {15, 5, 8, 10, 20, -1};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

void score_model_default(score_model *m)
{
	memset(m, 0, sizeof *m);
	m->threshold = 60;
	m->half_life_days = 0;
	m->other_title_points = 2;

	m->ntitles = NELEM(default_titles);
	m->titles = xcalloc(m->ntitles, sizeof *m->titles);
	for (size_t i = 0; i < m->ntitles; i++) {
		m->titles[i].name = xstrdup(default_titles[i].phrase);
		m->titles[i].points = default_titles[i].points;
	}
	m->nsizes = NELEM(default_sizes);
	m->sizes = xcalloc(m->nsizes, sizeof *m->sizes);
	memcpy(m->sizes, default_sizes, sizeof default_sizes);
	m->nindustries = NELEM(default_industries);
	m->industries = xcalloc(m->nindustries, sizeof *m->industries);
	for (size_t i = 0; i < m->nindustries; i++) {
		m->industries[i].name = xstrdup(default_industries[i].name);
		m->industries[i].points = default_industries[i].points;
	}
	m->ncountries = NELEM(default_countries);
	m->countries = xcalloc(m->ncountries, sizeof *m->countries);
	for (size_t i = 0; i < m->ncountries; i++) {
		m->countries[i].name = xstrdup(default_countries[i]);
		m->countries[i].points = 5;
	}
	for (int k = 0; k < EV_COUNT; k++) {
		m->event_points[k] = 0;
		m->event_cat[k] = SC_NONE;
	}
	for (size_t i = 0; i < NELEM(default_events); i++) {
		m->event_points[default_events[i].kind] = default_events[i].points;
		m->event_cat[default_events[i].kind] = default_events[i].cat;
	}
	for (int c = 0; c < SC_COUNT; c++)
		m->cap[c] = default_caps[c];
}

void score_model_clear(score_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ntitles; i++)
		free(m->titles[i].name);
	for (size_t i = 0; i < m->nindustries; i++)
		free(m->industries[i].name);
	for (size_t i = 0; i < m->ncountries; i++)
		free(m->countries[i].name);
	free(m->titles);
	free(m->sizes);
	free(m->industries);
	free(m->countries);
	memset(m, 0, sizeof *m);
}

/* ---- job titles ---- */

char *score_title_words(const char *s)
{
	GString *out = g_string_sized_new(strlen(s) + 1);
	const char *p = s;
	bool in_word = false;
	while (*p) {
		gunichar c;
		const char *next;
		if ((unsigned char)*p < 0x80) {
			c = (unsigned char)*p;
			next = p + 1;
		} else {
			c = g_utf8_get_char_validated(p, -1);
			if (c == (gunichar)-1 || c == (gunichar)-2) {
				c = ' '; /* a broken byte separates words */
				next = p + 1;
			} else {
				next = g_utf8_next_char(p);
			}
		}
		if (g_unichar_isalnum(c)) {
			if (!in_word && out->len > 0)
				g_string_append_c(out, ' ');
			g_string_append_unichar(out, g_unichar_tolower(c));
			in_word = true;
		} else {
			in_word = false;
		}
		p = next;
	}
	char *r = xstrdup(out->str);
	g_string_free(out, TRUE);
	return r;
}

/* Does `words` (as score_title_words() makes it) start, at offset `at`, with
 * the whole words of `phrase`? */
static bool phrase_at(const char *words, size_t at, const char *phrase, size_t plen)
{
	if (strncmp(words + at, phrase, plen) != 0)
		return false;
	char end = words[at + plen];
	return end == '\0' || end == ' ';
}

static size_t word_count(const char *phrase)
{
	size_t n = *phrase ? 1 : 0;
	for (const char *p = phrase; *p; p++)
		n += *p == ' ';
	return n;
}

/* Title points of a trimmed title, and the index of the rule that won (-1:
 * no rule; the title is empty or scores other_title_points). Reading the
 * words left to right, the longest rule starting at a word takes it and the
 * words it covers, so "vice president" hides the word "president". */
static double title_points(const score_model *m, const char *title, int *rule)
{
	*rule = -1;
	if (!title || !*title)
		return 0;
	char *words = score_title_words(title);
	double best = 0;
	size_t at = 0, len = strlen(words);
	while (at < len) {
		int hit = -1;
		size_t hit_words = 0, hit_len = 0;
		for (size_t r = 0; r < m->ntitles; r++) {
			const char *ph = m->titles[r].name;
			size_t plen = strlen(ph);
			if (plen == 0 || !phrase_at(words, at, ph, plen))
				continue;
			size_t nw = word_count(ph);
			if (hit < 0 || nw > hit_words ||
			    (nw == hit_words && m->titles[r].points > m->titles[hit].points)) {
				hit = (int)r;
				hit_words = nw;
				hit_len = plen;
			}
		}
		if (hit >= 0) {
			if (*rule < 0 || m->titles[hit].points > best) {
				best = m->titles[hit].points;
				*rule = hit;
			}
			at += hit_len;
		} else {
			while (at < len && words[at] != ' ')
				at++;
		}
		while (at < len && words[at] == ' ')
			at++;
	}
	free(words);
	return *rule >= 0 ? best : m->other_title_points;
}

double score_title(const score_model *m, const char *title)
{
	int rule;
	return title_points(m, title, &rule);
}

/* ---- the other demographic parts ---- */

static int size_band_of(const score_model *m, int64_t size)
{
	if (size < 0)
		return -1;
	for (size_t i = 0; i < m->nsizes; i++)
		if (size >= m->sizes[i].min && (m->sizes[i].max < 0 || size <= m->sizes[i].max))
			return (int)i;
	return -1;
}

static int named_of(const named_points *np, size_t n, const char *value)
{
	if (!value || !*value)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(np[i].name, value) == 0)
			return (int)i;
	return -1;
}

double score_fit(const score_model *m, const dataset *ds, const lead *l)
{
	double fit = score_title(m, ds_str(ds, l->job_title));
	int b = size_band_of(m, l->company_size);
	if (b >= 0)
		fit += m->sizes[b].points;
	if (l->industry) {
		int k = named_of(m->industries, m->nindustries, ds_str(ds, l->industry));
		if (k >= 0)
			fit += m->industries[k].points;
	}
	if (l->country) {
		int k = named_of(m->countries, m->ncountries, ds_str(ds, l->country));
		if (k >= 0)
			fit += m->countries[k].points;
	}
	return fit;
}

/* ---- replay ---- */

static double capped(const score_model *m, int c, double sum)
{
	return (m->cap[c] >= 0 && sum > m->cap[c]) ? m->cap[c] : sum;
}

static double half_life_ms(const score_model *m)
{
	return m->half_life_days > 0 ? m->half_life_days * (double)MS_PER_DAY : 0;
}

/* 0.5^(age / half-life); 1 without decay. */
static double decay_factor(double hl_ms, ts_ms age)
{
	return hl_ms > 0 ? exp2(-(double)age / hl_ms) : 1.0;
}

/* The category sums (before caps) of ev[0..n) decayed to moment t, summed
 * in event order: the reference every other path agrees with. */
static void sums_at(const dataset *ds, const score_model *m, const event *ev, size_t n, ts_ms t,
		    double sum[SC_COUNT])
{
	double hl = half_life_ms(m);
	for (int c = 0; c < SC_COUNT; c++)
		sum[c] = 0;
	for (size_t k = 0; k < n; k++) {
		int kind = ev_kind_of(&ev[k]);
		int c = m->event_cat[kind];
		if (c < 0)
			continue;
		sum[c] += m->event_points[kind] * decay_factor(hl, t - ev_at(ds, &ev[k]));
	}
}

static double total_of(const score_model *m, double fit, const double sum[SC_COUNT])
{
	double e = 0;
	for (int c = 0; c < SC_COUNT; c++)
		e += capped(m, c, sum[c]);
	return fit + e;
}

static void fill_score(const score_model *m, double fit, const double sum[SC_COUNT], lead_score *s,
		       score_cats *cats)
{
	s->fit = fit;
	s->engagement = 0;
	for (int c = 0; c < SC_COUNT; c++) {
		double x = capped(m, c, sum[c]);
		if (cats)
			cats->cat[c] = x;
		s->engagement += x;
	}
}

/* True when score >= threshold at moment t, with ev[0..n) the events at or
 * before t; `fast` is the running score. Close calls are settled from scratch. */
static bool reaches(const dataset *ds, const score_model *m, double fit, const event *ev, size_t n,
		    ts_ms t, double fast)
{
	double tol = 1e-9 * fmax(1.0, fabs(m->threshold));
	if (fabs(fast - m->threshold) > tol)
		return fast >= m->threshold;
	double sum[SC_COUNT];
	sums_at(ds, m, ev, n, t, sum);
	return total_of(m, fit, sum) >= m->threshold;
}

/* One lead's replay: ev[0..n) are its events before as_of in time order. */
static void replay_one(const dataset *ds, const score_model *m, double fit, ts_ms created,
		       const event *ev, size_t n, ts_ms as_of, lead_score *out, score_cats *cats)
{
	double hl = half_life_ms(m);
	double sum[SC_COUNT] = {0};
	out->mql_at = TS_NONE;

	/* Checkpoint 1: created_at, with every event at or before it. */
	size_t k = 0;
	while (k < n && ev_at(ds, &ev[k]) <= created) {
		int kind = ev_kind_of(&ev[k]);
		int c = m->event_cat[kind];
		if (c >= 0)
			sum[c] +=
			    m->event_points[kind] * decay_factor(hl, created - ev_at(ds, &ev[k]));
		k++;
	}
	if (reaches(ds, m, fit, ev, k, created, total_of(m, fit, sum)))
		out->mql_at = created;

	/* Then the moment of each later event, same-instant events together. */
	ts_ms prev = created;
	while (k < n && out->mql_at == TS_NONE) {
		ts_ms t = ev_at(ds, &ev[k]);
		if (hl > 0) {
			double f = decay_factor(hl, t - prev);
			for (int c = 0; c < SC_COUNT; c++)
				sum[c] *= f;
		}
		while (k < n && ev_at(ds, &ev[k]) == t) {
			int kind = ev_kind_of(&ev[k]);
			int c = m->event_cat[kind];
			if (c >= 0)
				sum[c] += m->event_points[kind];
			k++;
		}
		if (reaches(ds, m, fit, ev, k, t, total_of(m, fit, sum)))
			out->mql_at = t;
		prev = t;
	}

	/* The score as of as_of. Without decay the running sums are already
	 * the event-order sums once every event is in. */
	if (hl > 0 || k < n)
		sums_at(ds, m, ev, n, as_of, sum);
	fill_score(m, fit, sum, out, cats);
}

/* Lead i's events before as_of: *n of them from the returned pointer. */
static const event *events_before(const dataset *ds, size_t i, ts_ms as_of, size_t *n)
{
	if (!ds->lead_ev) {
		*n = 0;
		return NULL;
	}
	*n = ds_lead_event_from(ds, i, as_of) - ds->lead_ev[i];
	return ds->events + ds->lead_ev[i];
}

static bool lead_exists(const dataset *ds, const lead *l, ts_ms as_of)
{
	ts_ms created = lead_t(ds, l, LT_CREATED);
	return created != TS_NONE && created < as_of;
}

/* Demographic points with the lookups shared by many leads done once. */
typedef struct fit_cache {
	double *title; /* by job_title sym; NAN until computed */
	size_t ntitle;
	sym *industry_sym; /* the model's industries as this data set's syms (0: absent) */
	sym *country_sym;
} fit_cache;

static void fit_cache_init(fit_cache *fc, const score_model *m, const dataset *ds)
{
	fc->ntitle = pool_count(ds->pool);
	fc->title = xmalloc((fc->ntitle ? fc->ntitle : 1) * sizeof *fc->title);
	for (size_t i = 0; i < fc->ntitle; i++)
		fc->title[i] = NAN;
	fc->industry_sym = xcalloc(m->nindustries + 1, sizeof *fc->industry_sym);
	for (size_t i = 0; i < m->nindustries; i++)
		fc->industry_sym[i] =
		    pool_find(ds->pool, m->industries[i].name, strlen(m->industries[i].name));
	fc->country_sym = xcalloc(m->ncountries + 1, sizeof *fc->country_sym);
	for (size_t i = 0; i < m->ncountries; i++)
		fc->country_sym[i] =
		    pool_find(ds->pool, m->countries[i].name, strlen(m->countries[i].name));
}

static void fit_cache_free(fit_cache *fc)
{
	free(fc->title);
	free(fc->industry_sym);
	free(fc->country_sym);
}

static double fit_cached(fit_cache *fc, const score_model *m, const dataset *ds, const lead *l)
{
	double fit;
	if (l->job_title < fc->ntitle) {
		if (isnan(fc->title[l->job_title]))
			fc->title[l->job_title] = score_title(m, ds_str(ds, l->job_title));
		fit = fc->title[l->job_title];
	} else {
		fit = score_title(m, ds_str(ds, l->job_title));
	}
	int b = size_band_of(m, l->company_size);
	if (b >= 0)
		fit += m->sizes[b].points;
	if (l->industry)
		for (size_t i = 0; i < m->nindustries; i++)
			if (fc->industry_sym[i] == l->industry) {
				fit += m->industries[i].points;
				break;
			}
	if (l->country)
		for (size_t i = 0; i < m->ncountries; i++)
			if (fc->country_sym[i] == l->country) {
				fit += m->countries[i].points;
				break;
			}
	return fit;
}

/* From this many leads on, two threads replay the scores, half each. */
#define REPLAY_PAIR_MIN 16384

/* Leads [lo, hi) of a replay; each part has its own fit cache. */
typedef struct replay_part {
	const score_model *m;
	const dataset *ds;
	ts_ms as_of;
	lead_score *out;
	score_cats *cats;
	size_t lo, hi;
} replay_part;

static gpointer replay_range(gpointer arg)
{
	const replay_part *r = arg;
	const dataset *ds = r->ds;
	fit_cache fc;
	fit_cache_init(&fc, r->m, ds);
	for (size_t i = r->lo; i < r->hi; i++) {
		const lead *l = &ds->leads[i];
		lead_score *out = &r->out[i];
		memset(out, 0, sizeof *out);
		out->mql_at = TS_NONE;
		if (r->cats)
			memset(&r->cats[i], 0, sizeof r->cats[i]);
		if (!lead_exists(ds, l, r->as_of))
			continue;
		size_t n;
		const event *ev = events_before(ds, i, r->as_of, &n);
		replay_one(ds, r->m, fit_cached(&fc, r->m, ds, l), lead_t(ds, l, LT_CREATED), ev, n,
			   r->as_of, out, r->cats ? &r->cats[i] : NULL);
	}
	fit_cache_free(&fc);
	return NULL;
}

/* Each lead's score depends on its own row and events only, so the two
 * halves give what one pass would. */
void score_replay(const score_model *m, const dataset *ds, ts_ms as_of, lead_score *out,
		  score_cats *cats)
{
	replay_part a = {
	    .m = m, .ds = ds, .as_of = as_of, .out = out, .cats = cats, .lo = 0, .hi = ds->nleads};
	replay_part b = a;
	GThread *th = NULL;
	if (ds->nleads >= REPLAY_PAIR_MIN) {
		a.hi = b.lo = ds->nleads / 2;
		th = g_thread_try_new("mql-replay", replay_range, &b, NULL);
		if (!th)
			a.hi = ds->nleads;
	}
	replay_range(&a);
	if (th)
		g_thread_join(th);
}

/* ---- explanation ---- */

void score_explain(const score_model *m, const dataset *ds, size_t i, ts_ms as_of,
		   score_explanation *x)
{
	memset(x, 0, sizeof *x);
	x->score.mql_at = TS_NONE;
	const lead *l = &ds->leads[i];

	score_fit_part *fp = x->fit;
	fp[0].field = "job_title";
	fp[1].field = "company_size";
	fp[2].field = "industry";
	fp[3].field = "country";

	const char *title = ds_str(ds, l->job_title);
	int rule;
	fp[0].points = title_points(m, title, &rule);
	if (rule >= 0)
		snprintf(fp[0].rule, sizeof fp[0].rule, "%s", m->titles[rule].name);
	else if (*title)
		snprintf(fp[0].rule, sizeof fp[0].rule, "any other title");
	fp[0].matched = *title != '\0';

	int b = size_band_of(m, l->company_size);
	if (b >= 0) {
		fp[1].matched = true;
		fp[1].points = m->sizes[b].points;
		if (m->sizes[b].max < 0)
			snprintf(fp[1].rule, sizeof fp[1].rule, "%lld+",
				 (long long)m->sizes[b].min);
		else
			snprintf(fp[1].rule, sizeof fp[1].rule, "%lld-%lld",
				 (long long)m->sizes[b].min, (long long)m->sizes[b].max);
	}
	int k = l->industry ? named_of(m->industries, m->nindustries, ds_str(ds, l->industry)) : -1;
	if (k >= 0) {
		fp[2].matched = true;
		fp[2].points = m->industries[k].points;
		snprintf(fp[2].rule, sizeof fp[2].rule, "%s", m->industries[k].name);
	}
	k = l->country ? named_of(m->countries, m->ncountries, ds_str(ds, l->country)) : -1;
	if (k >= 0) {
		fp[3].matched = true;
		fp[3].points = m->countries[k].points;
		snprintf(fp[3].rule, sizeof fp[3].rule, "%s", m->countries[k].name);
	}
	if (!lead_exists(ds, l, as_of))
		return;

	double fit = 0;
	for (int p = 0; p < 4; p++)
		fit += fp[p].points;

	size_t n;
	const event *ev = events_before(ds, i, as_of, &n);
	double hl = half_life_ms(m);
	x->nevents = n;
	x->events = xcalloc(n ? n : 1, sizeof *x->events);
	for (size_t e = 0; e < n; e++) {
		int kind = ev_kind_of(&ev[e]);
		score_event_part *sp = &x->events[e];
		sp->event = (size_t)(ev - ds->events) + e;
		sp->cat = m->event_cat[kind];
		sp->raw = sp->cat >= 0 ? m->event_points[kind] : 0;
		sp->factor = decay_factor(hl, as_of - ev_at(ds, &ev[e]));
		sp->points = sp->raw * sp->factor;
	}
	sums_at(ds, m, ev, n, as_of, x->cat_sum);
	replay_one(ds, m, fit, lead_t(ds, l, LT_CREATED), ev, n, as_of, &x->score, &x->cats);
}

void score_explanation_clear(score_explanation *x)
{
	if (!x)
		return;
	free(x->events);
	memset(x, 0, sizeof *x);
}
