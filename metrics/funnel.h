/* funnel.h — the window metrics of SPEC §6 (flow counts, cost, conversion,
 * time, deals, speed to lead) and the helpers every table shares: rates with
 * their Wilson interval, ratios that are null on a zero denominator, and the
 * list of wins that revenue is booked from. */
#ifndef MQL_FUNNEL_H
#define MQL_FUNNEL_H

#include "view.h"

/* The three windows of SPEC §2, all ending at as_of. */
enum { WIN_1W, WIN_4W, WIN_13W, WIN_COUNT };
extern const char *const funnel_window_name[WIN_COUNT]; /* "1w", "4w", "13w" */
extern const int funnel_window_weeks[WIN_COUNT];	/* 1, 4, 13 */
/* The first instant of window w: week_start[12], [9] or [0]. */
ts_ms funnel_window_start(const metrics_params *p, int w);

/* One unit of revenue: a won lead, or with an opportunities source a won
 * opportunity (SPEC §6 Flow counts). */
typedef struct win {
	uint32_t lead; /* index into ds->leads */
	ts_ms won;     /* won_at, or the opportunity's closed_at */
	ts_ms opp_at;  /* the opportunity moment: the lead's opportunity_at or
			  the opportunity's own created_at; TS_NONE when missing */
	double amount; /* NAN when empty */
} win;

typedef struct win_list {
	win *items;
	size_t len, cap;
} win_list;

/* Append to out every win whose moment lies in [start, end) (end <= as_of),
 * of leads that exist at as_of, in lead order (opportunity order with an
 * opportunities source). The list owns its array: free(out->items). */
void funnel_wins(const view *v, ts_ms start, ts_ms end, win_list *out);

/* Sum of the spend dated in [start, end). */
double funnel_spend(const view *v, ts_ms start, ts_ms end);

/* Every window metric of SPEC §6 for [start, end), outcomes as of as_of,
 * `weeks` calendar weeks long (for mqls_per_week), as an object with SPEC
 * §8's keys. New tree owned by the caller. */
mval *funnel_window(const view *v, ts_ms start, ts_ms end, int weeks);
/* out[w] = funnel_window(v, start[w], end[w], weeks[w]) for each of the n
 * windows, in one pass over the leads. */
void funnel_windows(const view *v, size_t n, const ts_ms *start, const ts_ms *end, const int *weeks,
		    mval **out);

/* The windows' sums and lists, added data set by data set (the whole data
 * set at once, or an engine's chunks of leads one after the other, each
 * with all of its leads' events and opportunities): nothing they hold
 * depends on the order in which leads come. */
typedef struct funnel_acc funnel_acc;
/* n windows [start[w], end[w]), end <= as_of. */
funnel_acc *funnel_acc_new(size_t n, const ts_ms *start, const ts_ms *end);
/* Add the leads of v that exist and their wins. */
void funnel_acc_add(funnel_acc *f, const view *v);
/* Every list added so far (the values behind the medians and the mean, one
 * per MQL or win) moved to a temporary file (spill.h) and its memory freed:
 * an engine's chunks leave in memory only counts and sums. The tables read
 * the lists back, a window at a time. */
void funnel_acc_spill(funnel_acc *f);
/* out[w]: window w's object, as funnel_window() builds it, with the spend
 * of v's data set. The lists are reordered in place; f is not added to
 * afterwards. */
void funnel_acc_tables(funnel_acc *f, const view *v, const int *weeks, mval **out);
/* The object of the window made of f's windows from..to-1, which must
 * follow one another ([start[w], end[w]) with end[w] == start[w + 1]),
 * `weeks` long: their counts added, their lists joined. */
mval *funnel_acc_union(const funnel_acc *f, size_t from, size_t to, const view *v, int weeks);
void funnel_acc_free(funnel_acc *f); /* NULL is a no-op */

/* obj[key] = k / n as MF_RATE, then key_ci_low and key_ci_high (Wilson 95%);
 * all three null when n is 0. */
void funnel_set_rate(mval *obj, const char *key, int64_t k, int64_t n);

/* obj[key] = num / den in format f; null when den is 0 or either is NaN. */
void funnel_set_ratio(mval *obj, const char *key, double num, double den, mv_fmt f);
/* A sum of money as a ledger shows it: rounded to a millionth of the unit,
 * which removes binary floating-point residue (11431.610000000002 becomes
 * 11431.61) and changes no real amount. Sums beyond 1e9 are left as they are. */
double funnel_money(double x);

/* The index of the trend week holding t (0 = oldest), or -1 outside the 13. */
int funnel_week_of(const metrics_params *p, ts_ms t);

#endif
