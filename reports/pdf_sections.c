/* pdf_sections.c — the chart pages of the campaign-ROI PDF: the campaign
 * ranking, spend vs revenue, channels, the trend's small multiples, the
 * attribution models side by side and the cohort heat map. Each reads its
 * rows from the tree path and the columns its template section names, and
 * hands plain arrays to a chart function (chart.h).
 *
 * Renders only: the one aggregate drawn here, the "all other N campaigns"
 * bar, is the sum of the rows it stands for; no metric is computed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "changes.h"
#include "chart_int.h"
#include "numfmt.h"
#include "pdf_int.h"

static double num(const mval *row, const char *key)
{
	return key ? mv_num_of(mv_get(row, key)) : NAN;
}

/* A row's category as the page shows it: a channel in words ("Paid
 * search"), a campaign as it is named; "—" when it has none. */
static const char *name_of(const mval *row, const char *key)
{
	const char *s = mv_str_of(mv_get(row, key));
	return s ? catalog_words(catalog_find(key), s) : "\xE2\x80\x94";
}

/* A row's category as the palette knows it: the key itself. */
static const char *key_of(const mval *row, const char *key)
{
	return mv_str_of(mv_get(row, key));
}

/* The i-th value column of a section, or NULL. */
static const char *val(const layout_section *s, size_t i)
{
	for (size_t k = 0; s->values && s->values[k]; k++)
		if (k == i)
			return s->values[k];
	return NULL;
}

static double room(const pdoc *p, double reserve)
{
	return pd_bottom(p) - p->y - reserve;
}

static void continued(pdoc *p, const layout_section *s)
{
	pd_new_page(p);
	char *t = xasprintf("%s (continued)", s->title ? s->title : s->path);
	pd_heading(p, t, NULL);
	free(t);
	p->y += 6;
}

/* Draws the rows from..from+k of a row chart into box b. */
typedef void (*rows_fn)(pdoc *p, chart_box b, size_t from, size_t k, void *ctx);

/* n rows through f, as many on this page as fit at min_row (at pref_row
 * when there is room), `extra` points of axes and headers per chart; the
 * rest continue on new pages under "<title> (continued)". */
static void paged_rows(pdoc *p, const layout_section *s, size_t n, double pref_row, double min_row,
		       double extra, rows_fn f, void *ctx)
{
	size_t done = 0;
	while (done < n) {
		double avail = room(p, 24);
		size_t fit = chart_rows_fit(avail, extra, min_row);
		if (fit == 0) {
			continued(p, s);
			if (chart_rows_fit(room(p, 24), extra, min_row) == 0)
				return; /* not even one row on an empty page */
			continue;
		}
		size_t k = fit < n - done ? fit : n - done;
		double h = fmin(avail, pref_row * (double)k + extra);
		f(p, (chart_box){p->m, p->y, pd_cw(p), h}, done, k, ctx);
		p->y += h + 6;
		done += k;
		if (done < n)
			continued(p, s);
	}
}

typedef struct ci_ctx {
	const chart_ci_row *rows;
	const char *unit; /* of each row's sample: "closed deals", or "MQLs" */
} ci_ctx;

static void ci_rows(pdoc *p, chart_box b, size_t from, size_t k, void *ctx)
{
	const ci_ctx *c = ctx;
	chart_interval_bars(p->cr, b, c->rows + from, k, c->unit);
}

typedef struct funnel_ctx {
	const chart_funnel_row *rows;
	const char *const *stages;
} funnel_ctx;

static void funnel_rows(pdoc *p, chart_box b, size_t from, size_t k, void *ctx)
{
	const funnel_ctx *c = ctx;
	chart_funnel(p->cr, b, c->rows + from, k, c->stages);
}

static void grid_rows(pdoc *p, chart_box b, size_t from, size_t k, void *ctx)
{
	chart_matrix m = *(const chart_matrix *)ctx;
	m.rows += from;
	m.nr = k;
	m.v += from * m.nc;
	if (m.row_colour)
		m.row_colour += from;
	chart_bar_grid(p->cr, b, &m);
}

/* The sentence on an aggregate's bars cut at the axis' end, into b: only
 * the bar that is cut, and its figure ("The revenue bar of the leads and
 * spend without a campaign is cut at the axis' end: $113,100."); nothing
 * when neither is. */
static void cut_sentence(const pdoc *p, const chart_rank_row *r, double scale, GString *b)
{
	bool rev = r->revenue > scale, sp = r->spend > scale;
	if (!rev && !sp)
		return;
	char a[64], c[64];
	numfmt_money(r->revenue, false, p->currency, a, sizeof a);
	numfmt_money(r->spend, false, p->currency, c, sizeof c);
	/* "all other 12 campaigns", lower-cased in the sentence */
	char *who = g_strdup(r->unranked ? "the leads and spend without a campaign" : r->name);
	who[0] = g_ascii_tolower(who[0]);
	if (rev && sp)
		g_string_append_printf(
		    b, " The bars of %s are cut at the axis' end: revenue %s, spend %s.", who, a,
		    c);
	else
		g_string_append_printf(b, " The %s bar of %s is cut at the axis' end: %s.",
				       rev ? "revenue" : "spend", who, rev ? a : c);
	g_free(who);
}

static void ranking(pdoc *p, const layout_section *s, const mval *rows)
{
	size_t all = mv_len(rows), top = s->top > 0 ? (size_t)s->top : 15;
	size_t *ord = pd_order(rows, s->sort, s->then, s->category);
	/* the bucket without a campaign is no campaign: not ranked, one grey
	 * bar after the others, without a ROI */
	size_t n = pd_unknown_last(rows, s->category, ord, all);
	size_t shown = n > top ? top : n;
	bool few = false, nospend = false;
	chart_rank_row *r = xcalloc(shown + 2 + (all - n), sizeof *r);
	for (size_t i = 0; i < shown; i++) {
		const mval *row = mv_at(rows, ord[i]);
		r[i] = (chart_rank_row){name_of(row, s->category),
					num(row, val(s, 0)),
					num(row, val(s, 1)),
					num(row, val(s, 2)),
					false,
					mv_bool_of(mv_get(row, "low_sample")),
					false};
		few = few || r[i].low_sample;
		nospend = nospend || r[i].spend == 0;
	}
	char *other = NULL;
	/* the others' largest spender, named in the note when it earned less
	 * than it spent: a loss the one bar of the others would hide */
	const mval *loser = NULL;
	if (n > shown) {
		double rev = 0, sp = 0, most = 0;
		int64_t mqls = 0;
		for (size_t i = shown; i < n; i++) {
			const mval *row = mv_at(rows, ord[i]);
			double a = num(row, val(s, 0)), b = num(row, val(s, 1));
			rev += isfinite(a) ? a : 0;
			sp += isfinite(b) ? b : 0;
			mqls += mv_int_of(mv_get(row, "mqls"));
			if (isfinite(b) && b > most) {
				most = b;
				loser = row;
			}
		}
		if (loser && !(num(loser, val(s, 0)) < most))
			loser = NULL;
		/* their ROI rests on their MQLs together, as a campaign's on its own */
		long min = changes_low_sample_min(p->root);
		bool few_others = min > 0 && mqls < min;
		few = few || few_others;
		other = xasprintf("All other %zu campaigns", n - shown);
		r[shown++] = (chart_rank_row){
		    other, rev, sp, sp > 0 ? (rev - sp) / sp : NAN, true, few_others, false};
	}
	char *none = NULL;
	for (size_t i = n; i < all; i++) {
		const mval *row = mv_at(rows, ord[i]);
		if (!none)
			none = xasprintf("Without a campaign (%s)", name_of(row, s->category));
		r[shown++] = (chart_rank_row){
		    none, num(row, val(s, 0)), num(row, val(s, 1)), NAN, true, false, true};
	}
	/* the note first, so that the chart leaves it the height it takes (a
	 * loser named among the others makes it a line longer); an aggregate
	 * past the campaigns' scale is drawn cut: its figures in words, so
	 * that the campaigns keep a scale they can be read on */
	GString *cut = g_string_new(NULL);
	double scale = chart_ranking_scale(r, shown);
	for (size_t i = 0; i < shown; i++)
		if (r[i].other || r[i].unranked)
			cut_sentence(p, &r[i], scale, cut);
	if (loser) {
		char rev[64], sp[64];
		double a = num(loser, val(s, 0));
		numfmt_money(isfinite(a) ? a : 0, false, p->currency, rev, sizeof rev);
		numfmt_money(num(loser, val(s, 1)), false, p->currency, sp, sizeof sp);
		g_string_append_printf(
		    cut, " Of the other %zu campaigns, %s spent the most: %s, %s%s%s.", n - top,
		    name_of(loser, s->category), sp, a > 0 ? "for " : "and brought no revenue",
		    a > 0 ? rev : "", a > 0 ? " of revenue" : "");
	}
	char *fewer = pd_few_text(p, "MQLs");
	char *ties = pd_ties_text(p, s);
	char *t = xasprintf("Revenue by %s attribution. Campaigns are ordered by revenue%s; the "
			    "table of campaigns gives every full name and figure. A ROI in green "
			    "earned more than its spend, in red less.%s%s%s%s%s%s",
			    p->model, ties, nospend ? " A \xE2\x80\x94 as ROI: no spend." : "",
			    few ? " A ROI in grey rests on " : "", few ? fewer : "",
			    few ? " (low sample): one deal moves it a lot." : "",
			    none ? " Leads and spend without a campaign are one grey bar, last, "
				   "not ranked and without a ROI."
				 : "",
			    cut->str);
	g_string_free(cut, TRUE);
	double note_h = chart_text_wrap_height(p->cr, t, pd_cw(p), 7.5, false, 100) + 4;
	chart_ranking(p->cr, (chart_box){p->m, p->y, pd_cw(p), room(p, note_h + 4)}, r, shown,
		      p->currency);
	p->y = pd_bottom(p) - note_h;
	pd_note(p, t, 7.5);
	free(t);
	free(ties);
	free(fewer);
	free(other);
	free(none);
	free(r);
	free(ord);
}

#define SCATTER_MAX	 3000 /* circles drawn; the rest are the smallest campaigns */
#define SCATTER_SPENDERS 3    /* campaigns named for their spend, beside the top by revenue */

/* Where the scatter puts zero, for its caption: on the axis of a linear
 * scale, in a band of its own on log scales. Caller frees. */
static char *scatter_zero_text(const pdoc *p, const chart_scatter_info *in)
{
	if (!in->log)
		return xstrdup("zero spend or revenue sits on the axis");
	char z[32];
	numfmt_tick(0, 1, MF_MONEY, p->currency, z, sizeof z);
	const char *what = in->zero_x && in->zero_y ? "zero spend or revenue"
			   : in->zero_x		    ? "zero spend"
						    : "zero revenue";
	const char *where = in->zero_x && in->zero_y ? "below or left of the first tick"
			    : in->zero_x	     ? "left of the first tick"
						     : "below the first tick";
	return in->zero_x || in->zero_y
		   ? xasprintf("both axes are on log scales, each grid line ten times the one "
			       "before, as the campaigns' figures span more than a hundredfold; "
			       "a log scale has no place for zero, so %s sits apart, in the shaded "
			       "band marked %s %s",
			       what, z, where)
		   : xstrdup("both axes are on log scales, each grid line ten times the one "
			     "before, as the campaigns' figures span more than a hundredfold");
}

/* The circle without a campaign past the campaigns' axes: where it is
 * drawn and its figures on the axes it passes; "" when it is on them.
 * Caller frees. */
static char *scatter_past_text(const pdoc *p, const chart_point *pt, size_t n,
			       const chart_scatter_info *in)
{
	const chart_point *o = NULL;
	for (size_t i = 0; i < n && !o; i++)
		if (pt[i].other)
			o = &pt[i];
	if (!o || !(in->cut_x || in->cut_y))
		return xstrdup("");
	char x[64], y[64];
	numfmt_money(o->x, false, p->currency, x, sizeof x);
	numfmt_money(o->y, false, p->currency, y, sizeof y);
	if (in->cut_x && in->cut_y)
		return xasprintf(" It lies past the end of both axes, which are the campaigns', "
				 "and is drawn at their corner: revenue %s, spend %s.",
				 y, x);
	return xasprintf(" It lies past the end of the %s axis, which is the campaigns', and is "
			 "drawn at it: %s %s.",
			 in->cut_y ? "revenue" : "spend", in->cut_y ? "revenue" : "spend",
			 in->cut_y ? y : x);
}

/* Whether a campaign (not the bucket without one) has revenue on the y
 * axis: with none, every circle lies on the x axis and the break-even line
 * runs up the other, a chart with nothing to show, said instead. */
static bool scatter_earned(const layout_section *s, const mval *rows)
{
	for (size_t i = 0; i < mv_len(rows); i++) {
		const mval *row = mv_at(rows, i);
		double y = num(row, val(s, 1));
		if (!catalog_is_unknown(mv_str_of(mv_get(row, s->category))) && isfinite(y) &&
		    y > 0)
			return true;
	}
	return false;
}

bool pd_section_draws(const layout_section *s, const mval *rows)
{
	return s->kind != LK_SCATTER || scatter_earned(s, rows);
}

static void scatter(pdoc *p, const layout_section *s, const mval *rows)
{
	size_t n = mv_len(rows), *ord = pd_order(rows, s->sort, s->then, s->category);
	size_t shown = n > SCATTER_MAX ? SCATTER_MAX : n, labels = s->top > 0 ? (size_t)s->top : 10;
	chart_point *pt = xcalloc(shown + 1, sizeof *pt);
	/* drawn largest last, so small circles stay visible under none; the
	 * campaigns named are the largest but the bucket without one */
	bool unknown = false;
	for (size_t i = 0, named = 0; i < shown; i++) {
		const mval *row = mv_at(rows, ord[i]);
		bool other = catalog_is_unknown(mv_str_of(mv_get(row, s->category)));
		pt[shown - 1 - i] = (chart_point){name_of(row, s->category), num(row, val(s, 0)),
						  num(row, val(s, 1)),	     num(row, val(s, 2)),
						  !other && named < labels,  other};
		named += !other;
		unknown = unknown || other;
	}
	/* and the campaigns that spent most, whatever they earned: the one that
	 * spent most and earned nothing is what a marketer looks for first */
	size_t spenders = 0;
	for (size_t k = 0; k < SCATTER_SPENDERS; k++) {
		chart_point *most = NULL;
		for (size_t i = 0; i < shown; i++)
			if (!pt[i].label && !pt[i].other && pt[i].x > 0 &&
			    (!most || pt[i].x > most->x))
				most = &pt[i];
		if (!most)
			break;
		most->label = true;
		spenders++;
	}
	if (!pd_section_draws(s, rows)) {
		char *t =
		    xasprintf("No campaign has revenue by %s attribution in these 13 weeks, so "
			      "there is no return to set against spend yet: each campaign's "
			      "spend and MQLs are in the table of campaigns.",
			      p->model);
		pd_note(p, t, 9);
		free(t);
		free(pt);
		free(ord);
		return;
	}
	chart_scatter_info info;
	double h = fmin(pd_cw(p), room(p, 60));
	chart_scatter(p->cr, (chart_box){p->m, p->y, pd_cw(p), h}, pt, shown, p->currency, &info);
	p->y += h + 8;
	char *most = spenders ? xasprintf(" and the %zu other%s that spent most", spenders,
					  spenders == 1 ? "" : "s")
			      : NULL;
	char *ties = pd_ties_text(p, s);
	char *drawn = xasprintf(" Only the campaigns with the most revenue%s are drawn.", ties);
	free(ties);
	char *zero = scatter_zero_text(p, &info);
	char *past = unknown ? scatter_past_text(p, pt, shown, &info) : xstrdup("");
	/* a campaign without MQLs has no area: its ring is no small number */
	const char *ring = info.rings ? " A ring is a campaign without MQLs, which has no area to "
					"draw: every ring is the same size."
				      : "";
	char *t = xasprintf(
	    "Revenue by %s attribution. The %zu campaigns with the most revenue%s are named where "
	    "a label fits%s; %s.%s%s%s%s",
	    p->model, labels < n ? labels : n, most ? most : "",
	    info.left_out ? " (the others in the table)" : "", zero, ring, n > shown ? drawn : "",
	    !unknown ? ""
	    : info.other_ring
		? " The light grey ring: leads and spend without a campaign, and no "
		  "MQLs, not named."
		: " The light grey circle: leads and spend without a campaign, not named.",
	    past);
	free(zero);
	free(past);
	free(drawn);
	free(most);
	pd_note(p, t, 7.5);
	free(t);
	free(pt);
	free(ord);
}

static void channels(pdoc *p, const layout_section *s, const mval *rows)
{
	size_t n = mv_len(rows), *ord = pd_order(rows, val(s, 0), s->then, s->category);
	/* the leads and spend without a channel are no channel: after the
	 * others on both charts, not ranked among them, as on the Overview and
	 * the channel table */
	size_t ranked = pd_unknown_last(rows, s->category, ord, n);
	chart_ci_row *ci = xcalloc(n + 1, sizeof *ci);
	chart_funnel_row *fu = xcalloc(n + 1, sizeof *fu);
	char *lo = xasprintf("%s_ci_low", val(s, 0)), *hi = xasprintf("%s_ci_high", val(s, 0));
	/* a rate's own sample where the rows have it (close_rate_n: the closed
	 * deals, never more than the MQLs), else the row's MQLs */
	char *own = xasprintf("%s_n", val(s, 0));
	bool by_own = n && mv_get(mv_at(rows, 0), own);
	long min = changes_low_sample_min(p->root);
	for (size_t i = 0; i < n; i++) {
		const mval *row = mv_at(rows, ord[i]);
		const char *name = name_of(row, s->category);
		bool low = mv_bool_of(mv_get(row, "low_sample"));
		double k = by_own ? num(row, own) : num(row, "mqls");
		bool few = by_own ? min > 0 && k < (double)min : low;
		pal_rgb c = pd_channel_colour(p, key_of(row, s->category));
		ci[i] = (chart_ci_row){
		    name, num(row, val(s, 0)), num(row, lo), num(row, hi), k, few, c};
		/* counts are exact, whatever their size: drawn in the channel's
		 * own colour (pale, email's bars read as another channel's) */
		fu[i] = (chart_funnel_row){name,
					   {num(row, val(s, 1)), num(row, val(s, 2)),
					    num(row, val(s, 3)), num(row, val(s, 4))},
					   false,
					   c};
	}
	ci_ctx cc = {ci, by_own ? "closed deals" : "MQLs"};
	paged_rows(p, s, n, 22, CHART_MIN_ROW, 14, ci_rows, &cc);
	/* each sentence only for what the chart shows: a pale bar, a dash */
	bool pale = false, dash = false;
	for (size_t i = 0; i < n; i++) {
		pale = pale || (ci[i].low_sample && isfinite(ci[i].v));
		dash = dash || !isfinite(ci[i].v);
	}
	char *fewer = pd_few_text(p, cc.unit);
	char *none = ranked < n ? xasprintf("%s holds the leads and spend without a channel: "
					    "last on both charts, not ranked among them.",
					    ci[ranked].name)
				: xstrdup("");
	char *note = xasprintf("%s%s%s%s%s%s", pale ? "Pale bars: " : "", pale ? fewer : "",
			       pale ? " in 13 weeks; their rates move a lot with one deal." : "",
			       dash ? (pale ? " A \xE2\x80\x94 has no closed deal, so no rate."
					    : "A \xE2\x80\x94 has no closed deal, so no rate.")
				    : "",
			       (pale || dash) && none[0] ? " " : "", none);
	free(none);
	if (note[0])
		pd_note(p, note, 7.5);
	free(note);
	free(fewer);
	free(own);
	p->y += 10;
	if (room(p, 24) < 40 + 3 * CHART_MIN_ROW)
		continued(p, s); /* the funnel's title not alone at a page's foot */
	ci_rgb(p->cr, PAL_DARK);
	p->y += chart_text(p->cr,
			   "Funnel by channel: leads \xE2\x86\x92 MQLs \xE2\x86\x92 SQLs "
			   "\xE2\x86\x92 wins",
			   p->m, p->y, pd_cw(p), 11, true, CHART_LEFT) +
		6;
	const char *stages[4];
	char lab[4][64];
	for (int k = 0; k < 4; k++)
		stages[k] = pd_label(p, val(s, (size_t)k + 1) ? val(s, (size_t)k + 1) : "", lab[k],
				     sizeof lab[k]);
	paged_rows(p, s, n, 22, CHART_MIN_ROW, 14, funnel_rows, &(funnel_ctx){fu, stages});
	pd_note(p,
		"Counts in the 13 weeks, each stage's bars on their own scale. The conversion "
		"rates over the MQL cohort are in the table \"Channels, last 13 weeks\".",
		7.5);
	free(lo);
	free(hi);
	free(ci);
	free(fu);
	free(ord);
}

/* "W47" of "2026-W47". */
static const char *short_week(const char *w)
{
	const char *d = w ? strchr(w, '-') : NULL;
	return d ? d + 1 : w ? w : "";
}

/* A key's display format as the catalogue gives it, for a panel whose
 * every week is null (a cost per MQL of 13 weeks without MQLs is still
 * money); MF_COUNT when it has none. */
static mv_fmt catalog_fmt(const char *key)
{
	const cat_entry *e = catalog_find(key);
	switch (e ? e->format : CF_COUNT) {
	case CF_MONEY:
		return MF_MONEY;
	case CF_PERCENT:
	case CF_PERCENT0:
		return MF_RATE;
	case CF_DAYS:
		return MF_DAYS;
	case CF_HOURS: /* minutes shown in hours: no unit of its own here */
		return MF_PLAIN;
	case CF_RATIO:
		return MF_RATIO;
	case CF_SCORE:
		return MF_SCORE;
	default:
		return MF_COUNT;
	}
}

/* Which of a table's weeks (its category) lie before the data begins:
 * kpi_trend's before_data of the same week (SPEC's trend and cohorts have
 * zeros for them). One flag per row; caller frees. */
static bool *trend_before(const pdoc *p, const layout_section *s, const mval *rows)
{
	const mval *kpi = mv_get(p->root, "kpi_trend");
	size_t n = mv_len(rows);
	bool *before = xcalloc(n + 1, sizeof *before);
	for (size_t i = 0; i < n; i++) {
		const char *b = mv_str_of(mv_get(mv_at(rows, i), s->category));
		for (size_t k = 0; b && k < mv_len(kpi); k++) {
			const mval *row = mv_at(kpi, k);
			const char *a = mv_str_of(mv_get(row, "week"));
			if (a && strcmp(a, b) == 0) {
				before[i] = mv_bool_of(mv_get(row, "before_data"));
				break;
			}
		}
	}
	return before;
}

/* The note under the panels: what a flat bar, a dash and the shaded weeks
 * before the exports begin ("W10–W21") mean, each where the page shows
 * one. Caller frees. */
static char *trend_note(const char *const *labels, const bool *before, size_t n, bool dash)
{
	GString *t = g_string_new(
	    dash ? "A flat bar on the axis is a zero; a dash (\xE2\x80\x94) marks a week without "
		   "the figure, such as a cost per MQL in a week without MQLs."
		 : "A flat bar on the axis is a zero.");
	size_t first = n, last = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		if (before[i]) {
			first = i < first ? i : first;
			last = i;
			k++;
		}
	if (k == 1)
		g_string_append_printf(t,
				       " %s lies before the exports begin (no lead, spend, MQL, "
				       "SQL or win yet): shaded, without a bar, as it has no "
				       "figures, not zeros.",
				       labels[first]);
	else if (k)
		g_string_append_printf(t,
				       " %s\xE2\x80\x93%s lie before the exports begin (no lead, "
				       "spend, MQL, SQL or win yet): shaded, without bars, as they "
				       "have no figures, not zeros.",
				       labels[first], labels[last]);
	return g_string_free(t, FALSE);
}

/* The trend's small multiples, one panel per value column of SPEC's
 * trend, each on its own scale; the weeks before the data begins shaded
 * rather than drawn as zeros, as the tiles and the workbook leave them. */
static void trend(pdoc *p, const layout_section *s, const mval *rows)
{
	size_t n = mv_len(rows), nv = 0;
	while (val(s, nv))
		nv++;
	const char **labels = xcalloc(n + 1, sizeof *labels);
	double *v = xcalloc(n + 1, sizeof *v);
	bool *before = trend_before(p, s, rows);
	for (size_t i = 0; i < n; i++)
		labels[i] = short_week(mv_str_of(mv_get(mv_at(rows, i), s->category)));
	size_t cols = 2, nrow = (nv + cols - 1) / cols;
	double gap = 18, w = (pd_cw(p) - gap) / (double)cols;
	double h = fmin(190, (room(p, 30) - gap * (double)nrow) / (double)(nrow ? nrow : 1));
	bool none = false; /* a dash drawn: a week of the data without the figure */
	for (size_t k = 0; k < nv; k++) {
		mv_fmt fmt = catalog_fmt(val(s, k));
		for (size_t i = 0; i < n; i++) {
			const mval *c = mv_get(mv_at(rows, i), val(s, k));
			v[i] = mv_num_of(c);
			none = none || (!isfinite(v[i]) && !before[i]);
			if (!mv_is_null(c))
				fmt = mv_fmt_of(c);
		}
		char title[128];
		pd_label(p, val(s, k), title, sizeof title);
		chart_box b = {p->m + (w + gap) * (double)(k % cols),
			       p->y + (h + gap) * (double)(k / cols), w, h};
		chart_small(p->cr, b, title, labels, v, before, n, fmt, p->currency);
	}
	p->y += (h + gap) * (double)nrow;
	char *note = trend_note(labels, before, n, none);
	pd_note(p, note, 7.5);
	g_free(note);
	free(labels);
	free(v);
	free(before);
}

/* The channel with the widest spread between two models, in one sentence. */
static char *why_differ(const pdoc *p, const chart_matrix *m)
{
	double best = -1;
	size_t br = 0, lo_c = 0, hi_c = 0;
	for (size_t r = 0; r < m->nr; r++) {
		size_t a = 0, b = 0;
		for (size_t c = 1; c < m->nc; c++) {
			if (m->v[r * m->nc + c] < m->v[r * m->nc + a])
				a = c;
			if (m->v[r * m->nc + c] > m->v[r * m->nc + b])
				b = c;
		}
		double d = m->v[r * m->nc + b] - m->v[r * m->nc + a];
		if (isfinite(d) && d > best)
			best = d, br = r, lo_c = a, hi_c = b;
	}
	if (best <= 0) { /* every model gives each channel the same: why */
		size_t earning = 0;
		for (size_t r = 0; r < m->nr; r++) {
			bool some = false;
			for (size_t c = 0; c < m->nc; c++)
				some = some || m->v[r * m->nc + c] > 0;
			earning += some;
		}
		return xasprintf("The models differ in which touches of a won lead earn its "
				 "revenue; here every model gives each channel the same (%s). This "
				 "report uses the %s model.",
				 earning == 0	? "no revenue to share out"
				 : earning == 1 ? "one channel earns all of it"
						: "one touch per won lead",
				 p->model);
	}
	char x[48], y[48];
	numfmt_short(m->v[br * m->nc + hi_c], MF_MONEY, p->currency, x, sizeof x);
	numfmt_short(m->v[br * m->nc + lo_c], MF_MONEY, p->currency, y, sizeof y);
	return xasprintf(
	    "The models differ in which touches of a won lead earn its revenue: first touch "
	    "credits "
	    "the channel that brought the lead in, last touch the one that touched it last before "
	    "the win, the others share it out; %s moves most, from %s (%s) to %s (%s). This report "
	    "uses the %s model.",
	    m->rows[br], y, m->cols[lo_c], x, m->cols[hi_c], p->model);
}

static void attribution(pdoc *p, const layout_section *s, const mval *rows)
{
	size_t n = mv_len(rows), nv = 0, *ord = pd_order(rows, s->sort, s->then, s->category);
	while (val(s, nv))
		nv++;
	const char **names = xcalloc(n + 1, sizeof *names), **cols = xcalloc(nv + 1, sizeof *cols);
	char(*lab)[64] = xcalloc(nv + 1, sizeof *lab);
	pal_rgb *colour = xcalloc(n + 1, sizeof *colour);
	double *v = xcalloc(n * nv + 1, sizeof *v);
	long strong = -1;
	for (size_t c = 0; c < nv; c++) {
		cols[c] = pd_label(p, val(s, c), lab[c], sizeof lab[c]);
		char want[64];
		snprintf(want, sizeof want, "revenue_%s", p->model_key);
		if (strcmp(val(s, c), want) == 0)
			strong = (long)c;
	}
	for (size_t r = 0; r < n; r++) {
		const mval *row = mv_at(rows, ord[r]);
		names[r] = name_of(row, s->category);
		colour[r] = pd_channel_colour(p, key_of(row, s->category));
		for (size_t c = 0; c < nv; c++)
			v[r * nv + c] = num(row, val(s, c));
	}
	chart_matrix m = {names, n, cols, nv, v, colour, strong, MF_MONEY, p->currency, 0, NULL};
	for (size_t i = 0; i < n * nv; i++)
		if (isfinite(v[i]) && v[i] > m.top)
			m.top = v[i]; /* one scale on every page the rows take */
	char *why = why_differ(p, &m);
	pd_note(p, why, 8.5);
	p->y += 6;
	paged_rows(p, s, n, 26, CHART_GRID_MIN_ROW, 30, grid_rows, &m);
	p->y += 6;
	free(why);
	free(names);
	free(cols);
	free(lab);
	free(colour);
	free(v);
	free(ord);
}

static void heatmap(pdoc *p, const layout_section *s, const mval *rows)
{
	size_t n = mv_len(rows), nv = 0;
	while (val(s, nv))
		nv++;
	char **names = xcalloc(n + 1, sizeof *names);
	const char **cols = xcalloc(nv + 1, sizeof *cols);
	char(*lab)[64] = xcalloc(nv + 1, sizeof *lab);
	double *v = xcalloc(n * nv + 1, sizeof *v);
	bool *muted = xcalloc(n + 1, sizeof *muted), few = false, any_before = false;
	/* a week before the exports begin: no count beside it (its zeros are
	 * no figures), said under the chart */
	bool *before = trend_before(p, s, rows);
	for (size_t c = 0; c < nv; c++)
		cols[c] = pd_label(p, val(s, c), lab[c], sizeof lab[c]);
	for (size_t r = 0; r < n; r++) {
		const mval *row = mv_at(rows, r);
		/* a week of fewer MQLs than the low-sample minimum (its
		 * low_sample): its shares are shown, muted, as the tiles show a
		 * figure of few cases */
		muted[r] = mv_bool_of(mv_get(row, "low_sample"));
		few = few || muted[r];
		char cnt[32];
		numfmt_value(mv_get(row, s->size ? s->size : ""), p->currency, cnt, sizeof cnt);
		bool one = s->size && mv_num_of(mv_get(row, s->size)) == 1;
		any_before = any_before || before[r];
		names[r] =
		    s->size && !before[r]
			? xasprintf("%s (%s MQL%s)", name_of(row, s->category), cnt, one ? "" : "s")
			: xstrdup(name_of(row, s->category));
		for (size_t c = 0; c < nv; c++)
			v[r * nv + c] = num(row, val(s, c));
	}
	chart_matrix m = {
	    (const char *const *)names, n, cols, nv, v, NULL, -1, MF_RATE, NULL, 0, muted};
	double h = fmin(room(p, 30), 20.0 * (double)n + 30);
	chart_heatmap(p->cr, (chart_box){p->m, p->y, pd_cw(p), h}, &m);
	p->y += h + 8;
	if (s->note)
		pd_note(p, s->note, 7.5);
	if (any_before)
		pd_note(
		    p, "Weeks without a count lie before the exports begin: no figures, not zeros.",
		    7.5);
	if (few)
		pd_few_note(p, "Grey, unshaded rows: weeks of ",
			    " (low sample); their shares move a lot with one lead.");
	for (size_t r = 0; r < n; r++)
		free(names[r]);
	free(names);
	free(cols);
	free(lab);
	free(v);
	free(muted);
	free(before);
}

/* The generic charts of chart.c (kinds bar and line): one series per value. */
static void generic(pdoc *p, const layout_section *s, const mval *rows)
{
	size_t n = mv_len(rows) > 24 && s->kind == LK_BAR ? 24 : mv_len(rows), ns = 0;
	while (val(s, ns))
		ns++;
	const char **labels = xcalloc(n + 1, sizeof *labels);
	chart_series *series = xcalloc(ns + 1, sizeof *series);
	double *v = xcalloc(n * ns + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		labels[i] = name_of(mv_at(rows, i), s->category);
	for (size_t j = 0; j < ns; j++) {
		for (size_t i = 0; i < n; i++)
			v[j * n + i] = num(mv_at(rows, i), val(s, j));
		series[j] = (chart_series){.name = val(s, j), .v = v + j * n};
	}
	chart_data d = {labels, n, series, ns, MF_PLAIN, p->currency};
	chart_box box = {p->m, p->y, pd_cw(p), 240};
	if (s->kind == LK_LINE)
		chart_line(p->cr, box, &d);
	else
		chart_bar(p->cr, box, &d);
	p->y += 250;
	free(labels);
	free(series);
	free(v);
}

void pd_section_chart(pdoc *p, const layout_section *s, const mval *rows)
{
	switch (s->kind) {
	case LK_RANKING:
		ranking(p, s, rows);
		break;
	case LK_SCATTER:
		scatter(p, s, rows);
		break;
	case LK_CHANNELS:
		channels(p, s, rows);
		break;
	case LK_TREND:
		trend(p, s, rows);
		break;
	case LK_ATTRIBUTION:
		attribution(p, s, rows);
		break;
	case LK_HEATMAP:
		heatmap(p, s, rows);
		break;
	default:
		generic(p, s, rows);
	}
}
