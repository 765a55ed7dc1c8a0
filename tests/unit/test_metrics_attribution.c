/* The six attribution models (SPEC §6 Attribution) on hand-made leads, and
 * the revenue_<model> columns of the channel table. */
#include "metrics_fixture.h"

#include <stdlib.h>

#include "attribution.h"
#include "view.h"

/* Lead A (organic / seo) created -40, mql -25, opportunity -12, won -3 (1000).
 * Events: -35 email_open (email), -30 sales_touch (sales: never a touchpoint),
 * -28 webinar_attended (webinar), -20 content_download (paid_social),
 * -10 demo_request (paid_search), -1 page_visit (organic: after the win).
 * Touchpoints: T0 origin -40, T1 email -35, T2 webinar -28, T3 paid_social -20,
 * T4 paid_search -10.
 *   first_touch T0 = 1; last_touch T4 = 1; linear 1/5 each;
 *   u_shaped T0 .4, T4 .4, T1..T3 .2/3 each;
 *   w_shaped T0 .3 (first), T2 .3 (last <= mql -25), T3 .3 (last <= opp -12),
 *            the others T1 T4 .1/2 = .05 each;
 *   time_decay: ages from the win 37 32 25 17 7 days, weights 2^(-age/7):
 *            .0263 .0423 .0842 .1857 .5 (sum .8385) → .030607 .050216 .100433
 *            .221774 .596970. */
static const double lead_a_share[5][ATTR_COUNT] = {
    /* first last linear u_shaped w_shaped time_decay */
    {1, 0, 0.2, 0.4, 0.3, 0.030607229137570285},    {0, 0, 0.2, 0.2 / 3, 0.05, 0.05021638442195214},
    {0, 0, 0.2, 0.2 / 3, 0.3, 0.10043276884390426}, {0, 0, 0.2, 0.2 / 3, 0.3, 0.22177353381956139},
    {0, 1, 0.2, 0.4, 0.05, 0.5969700837770119},
};

static uint32_t add_lead_a(dataset *ds)
{
	uint32_t a = mf_lead(ds, "A", "organic", "seo", MF_DAY(-40));
	mf_set(ds, a, LT_MQL, MF_DAY(-25));
	mf_set(ds, a, LT_OPPORTUNITY, MF_DAY(-12));
	mf_set(ds, a, LT_WON, MF_DAY(-3));
	ds->leads[a].amount = 1000;
	mf_event(ds, a, MF_DAY(-1), "page_visit", "organic", "seo");
	mf_event(ds, a, MF_DAY(-35), "email_open", "email", "nl");
	mf_event(ds, a, MF_DAY(-30), "sales_touch", "sales", "outbound");
	mf_event(ds, a, MF_DAY(-28), "webinar_attended", "webinar", "w1");
	mf_event(ds, a, MF_DAY(-20), "content_download", "paid_social", "ps");
	mf_event(ds, a, MF_DAY(-10), "demo_request", "paid_search", "brand");
	return a;
}

/* Lead B (referral) created -30, mql -20, no opportunity moment, won -5 (500).
 * Events: -22 email_click (email), -15 page_visit (organic).
 * Touchpoints T0 -30, T1 -22, T2 -15.
 *   w_shaped: first T0 .3; mql -20 → T1 .3; the opportunity moment is missing
 *   → the origin: T0 .3 + .3 = .6; the other, T2, gets .1.
 *   u_shaped: .4 .2 .4; time_decay: ages 25 17 10 → 2^(-25/7) = .08419,
 *   2^(-17/7) = .18590, 2^(-10/7) = .37150 (sum .64190) → .131156 .289615 .579230. */
static const double lead_b_share[3][ATTR_COUNT] = {
    {1, 0, 1.0 / 3, 0.4, 0.6, 0.13115550350659003},
    {0, 0, 1.0 / 3, 0.2, 0.3, 0.28961483216447004},
    {0, 1, 1.0 / 3, 0.4, 0.1, 0.57922966432894},
};

/* Lead C (display) created -10, mql -10 (its origin moment), opportunity -8,
 * won -2 (no amount). Event: -9 ad_click (paid_social). Touchpoints T0 -10, T1 -9.
 *   w_shaped: first T0 .3; mql -10 → T0 (T1 is later) .3; opportunity -8 → T1 .3;
 *   no other touchpoint: the .1 goes equally to the credited T0 and T1:
 *   T0 .65, T1 .35. u_shaped two: .5 .5.
 *   time_decay: ages 8 and 7 → 2^(-8/7) : 2^(-1) → .475265 .524735. */
static const double lead_c_share[2][ATTR_COUNT] = {
    {1, 0, 0.5, 0.5, 0.65, 0.47526495118259765},
    {0, 1, 0.5, 0.5, 0.35, 0.5247350488174024},
};

/* Lead D (direct) created -6, won -4, no events: every model gives all to the origin. */
static const double lead_d_share[1][ATTR_COUNT] = {{1, 1, 1, 1, 1, 1}};

static dataset *attr_fixture(void)
{
	dataset *ds = dataset_new();
	add_lead_a(ds);
	uint32_t b = mf_lead(ds, "B", "referral", "partner", MF_DAY(-30));
	mf_set(ds, b, LT_MQL, MF_DAY(-20));
	mf_set(ds, b, LT_WON, MF_DAY(-5));
	ds->leads[b].amount = 500;
	mf_event(ds, b, MF_DAY(-22), "email_click", "email", "nl");
	mf_event(ds, b, MF_DAY(-15), "page_visit", "organic", "seo");
	uint32_t c = mf_lead(ds, "C", "display", "banner", MF_DAY(-10));
	mf_set(ds, c, LT_MQL, MF_DAY(-10));
	mf_set(ds, c, LT_OPPORTUNITY, MF_DAY(-8));
	mf_set(ds, c, LT_WON, MF_DAY(-2));
	mf_event(ds, c, MF_DAY(-9), "ad_click", "paid_social", "ps");
	uint32_t d = mf_lead(ds, "D", "direct", "none", MF_DAY(-6));
	mf_set(ds, d, LT_WON, MF_DAY(-4));
	ds->leads[d].amount = 250;
	ds->leads_have_mql = true;
	dataset_index(ds);
	return ds;
}

static void check_shares(const view *v, uint32_t lead_idx, const double (*want)[ATTR_COUNT],
			 size_t n)
{
	lead_view l = lv_get(v, lead_idx);
	win w = {.lead = lead_idx,
		 .won = l.t[LT_WON],
		 .opp_at = l.t[LT_OPPORTUNITY],
		 .amount = l.amount};
	attr_buf buf = {0};
	attr_credit(v, &w, &buf);
	assert_int_equal(buf.len, n);
	int bad = 0;
	for (int m = 0; m < ATTR_COUNT; m++) {
		double sum = 0;
		for (size_t i = 0; i < n; i++) {
			sum += buf.t[i].share[m];
			if (fabs(buf.t[i].share[m] - want[i][m]) > 1e-6) {
				print_error("lead %u touchpoint %zu %s: expected %.8f, got %.8f\n",
					    lead_idx, i, attr_model_name[m], want[i][m],
					    buf.t[i].share[m]);
				bad++;
			}
		}
		if (fabs(sum - 1) > 1e-12) {
			print_error("lead %u %s: shares sum to %.15f\n", lead_idx,
				    attr_model_name[m], sum);
			bad++;
		}
	}
	attr_buf_free(&buf);
	assert_int_equal(bad, 0);
}

static void test_models(void **state)
{
	(void)state;
	dataset *ds = attr_fixture();
	metrics_params p;
	mf_params(&p);
	view *v = view_new(ds, &p);
	check_shares(v, 0, lead_a_share, 5);
	check_shares(v, 1, lead_b_share, 3);
	check_shares(v, 2, lead_c_share, 2);
	check_shares(v, 3, lead_d_share, 1);
	view_free(v);
	dataset_free(ds);
}

/* by_channel.1w: all four wins (-3, -5, -2, -4) are in the report week.
 * Revenue per channel and model = Σ amount × share (C has no amount: 0):
 *   organic:     A T0 + B T2 → first 1000; last 0 + 500 = 500;
 *                linear 200 + 166.667 = 366.667; u 400 + 200 = 600;
 *                w 300 + 50 = 350; decay 30.607 + 289.615 = 320.222
 *   email:       A T1 + B T1 → first 0; last 0; linear 200 + 166.667;
 *                u 66.667 + 100 = 166.667; w 50 + 150 = 200;
 *                decay 50.216 + 144.807 = 195.024
 *   webinar:     A T2: linear 200, u 66.667, w 300, decay 100.433
 *   paid_social: A T3 (+ C, no amount): linear 200, u 66.667, w 300, decay 221.774
 *   paid_search: A T4: last 1000, linear 200, u 400, w 50, decay 596.970
 *   referral:    B T0: first 500, linear 166.667, u 200, w 300, decay 65.578
 *   direct:      D: 250 in every model
 *   display:     C's origin: no amount, but C is its own channel's win → wins 1
 * With attribution = w_shaped, `revenue` is the w_shaped column. */
static const struct {
	const char *channel;
	double rev[ATTR_COUNT];
	int64_t wins;
} channel_rev[] = {
    {"organic", {1000, 500, 200 + 500.0 / 3, 600, 350, 30.607229 + 289.614832}, 1},
    {"email", {0, 0, 200 + 500.0 / 3, 200.0 / 3 + 100, 200, 50.216384 + 144.807416}, 0},
    {"webinar", {0, 0, 200, 200.0 / 3, 300, 100.432769}, 0},
    {"paid_social", {0, 0, 200, 200.0 / 3, 300, 221.773534}, 0},
    {"paid_search", {0, 1000, 200, 400, 50, 596.970084}, 0},
    {"referral", {500, 0, 500.0 / 3, 200, 300, 65.577752}, 1},
    {"direct", {250, 250, 250, 250, 250, 250}, 1},
    {"display", {0, 0, 0, 0, 0, 0}, 1},
};

static void test_channel_revenue(void **state)
{
	(void)state;
	dataset *ds = attr_fixture();
	metrics_params p;
	mf_params(&p);
	p.attribution = ATTR_W_SHAPED;
	mval *root = metrics_compute(ds, &p);
	assert_int_equal(mv_len(mv_path(root, "by_channel.1w")), 8);
	int bad = 0;
	for (size_t k = 0; k < sizeof channel_rev / sizeof channel_rev[0]; k++) {
		const mval *row = mf_row(root, "by_channel.1w", "channel", channel_rev[k].channel);
		for (int m = 0; m < ATTR_COUNT; m++) {
			char key[48];
			snprintf(key, sizeof key, "revenue_%s", attr_model_name[m]);
			double got = mv_num_of(mv_get(row, key));
			if (fabs(got - channel_rev[k].rev[m]) > 1e-3) {
				print_error("%s %s: expected %.4f, got %.4f\n",
					    channel_rev[k].channel, key, channel_rev[k].rev[m],
					    got);
				bad++;
			}
		}
		assert_true(fabs(mv_num_of(mv_get(row, "revenue")) -
				 channel_rev[k].rev[ATTR_W_SHAPED]) < 1e-6);
		assert_int_equal(mv_int_of(mv_get(row, "wins")), channel_rev[k].wins);
		/* no spend anywhere: roi is null */
		assert_true(mv_is_null(mv_get(row, "roi")));
	}
	assert_int_equal(bad, 0);
	/* the window's revenue is the sum of the wins: 1000 + 500 + 0 + 250 */
	assert_true(fabs(mv_num_of(mv_path(root, "windows.1w.revenue")) - 1750) < 1e-9);
	mv_free(root);
	dataset_free(ds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_models),
	    cmocka_unit_test(test_channel_revenue),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
