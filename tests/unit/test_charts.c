/* test_charts.c — the layout step (labels.c) and the report's charts drawn
 * on an image surface, as the e-mail's PNG would be.
 *
 * Checks measurement, shortening, placement and that every chart draws in
 * its box and restores the caller's context; the PDF's pages are read back
 * word by word by tests/e2e/test_pdf_layout.py, not here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "labels.h"

static cairo_surface_t *img;
static cairo_t *cr;

static int setup(void **state)
{
	(void)state;
	img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 600, 400);
	cr = cairo_create(img);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	cairo_destroy(cr);
	cairo_surface_destroy(img);
	return 0;
}

/* A long name shortened in the middle keeps both ends and fits. */
static void test_fit_middle(void **state)
{
	(void)state;
	const char *name = "Webinar: Forecasting, Attribution & ROI for enterprise accounts";
	char *s = lbl_fit(cr, name, 7, false, 80);
	double w;
	lbl_measure(cr, s, 7, false, &w, NULL);
	assert_true(w <= 80);
	assert_non_null(strstr(s, "\xE2\x80\xA6"));
	assert_true(strncmp(s, "Web", 3) == 0);
	assert_true(g_str_has_suffix(s, "nts"));
	free(s);
	s = lbl_fit(cr, "short", 7, false, 80);
	assert_string_equal(s, "short");
	free(s);
	/* a name of 100,000 characters keeps its real end too, with one "…",
	 * and a noncharacter in it shows as U+FFFD */
	GString *big = g_string_new("HEAD_\xEF\xBF\xBE");
	for (int i = 0; i < 100000; i++)
		g_string_append_c(big, i % 2 ? 'm' : 'n');
	g_string_append(big, "_TAIL");
	s = lbl_fit(cr, big->str, 7, false, 200);
	lbl_measure(cr, s, 7, false, &w, NULL);
	assert_true(w <= 200);
	assert_true(g_str_has_prefix(s, "HEAD_\xEF\xBF\xBD"));
	assert_true(g_str_has_suffix(s, "_TAIL"));
	char *ell = strstr(s, "\xE2\x80\xA6");
	assert_non_null(ell);
	assert_null(strstr(ell + 3, "\xE2\x80\xA6"));
	free(s);
	g_string_free(big, TRUE);
}

/* Placed labels never overlap; a spot outside the bounds is refused. */
static void test_place(void **state)
{
	(void)state;
	lbl_set set;
	lbl_set_init(&set, (lbl_rect){0, 0, 200, 100});
	double x, y;
	size_t placed = 0;
	for (int i = 0; i < 40; i++)
		if (lbl_place(&set, 100, 50, 3, 40, 9, &x, &y))
			placed++;
	assert_true(placed >= 2 && placed <= 8);
	for (size_t i = 0; i < set.n; i++)
		for (size_t j = i + 1; j < set.n; j++)
			assert_false(lbl_overlap(set.r[i], set.r[j], 0));
	assert_false(lbl_place(&set, 195, 95, 3, 250, 9, &x, &y)); /* wider than the bounds */
	lbl_set_clear(&set);
	assert_int_equal(lbl_thin(30, 10, 4), 4);
	assert_int_equal(lbl_thin(5, 10, 4), 1);
}

/* A label clear of other circles: beside two circles it names either, so
 * the spot next to a neighbour is passed over for one nearer its own
 * circle; ringed by neighbours, a circle gets no label and nothing is
 * taken. */
static void test_place_clear(void **state)
{
	(void)state;
	lbl_set set;
	lbl_set_init(&set, (lbl_rect){0, 0, 300, 200});
	double x, y;
	/* B just right of A's right spot: the label goes left of A */
	lbl_circle ab[] = {{100, 50, 3}, {148, 50, 3}};
	assert_true(lbl_place_clear(&set, 100, 50, 4, 40, 9, ab, 2, 4, &x, &y));
	assert_true(x + 40 <= 100 - 4 + 0.001);
	/* without the circles the right spot is the first */
	assert_true(lbl_place(&set, 100, 120, 4, 40, 9, &x, &y));
	assert_true(x >= 100);
	/* C ringed by eight neighbours 12 points away: no spot is nearer C */
	lbl_circle ring[9] = {{200, 150, 3}};
	for (int k = 0; k < 8; k++)
		ring[k + 1] =
		    (lbl_circle){200 + 12 * cos(k * M_PI / 4), 150 + 12 * sin(k * M_PI / 4), 3};
	size_t before = set.n;
	assert_false(lbl_place_clear(&set, 200, 150, 4, 40, 9, ring, 9, 4, &x, &y));
	assert_int_equal(set.n, before);
	lbl_set_clear(&set);
}

/* A label off a corner of its circle gets a leader from the circle's edge
 * to the label's nearest corner; one beside, above or below it none. */
static void test_leader(void **state)
{
	(void)state;
	double x0, y0, x1, y1;
	/* beside, above, below: no leader */
	assert_false(lbl_leader((lbl_rect){105, 45, 40, 10}, 100, 50, 4, &x0, &y0, &x1, &y1));
	assert_false(lbl_leader((lbl_rect){80, 30, 40, 10}, 100, 50, 4, &x0, &y0, &x1, &y1));
	assert_false(lbl_leader((lbl_rect){80, 55, 40, 10}, 100, 50, 4, &x0, &y0, &x1, &y1));
	/* below left: from the edge towards the box's top right corner */
	assert_true(lbl_leader((lbl_rect){50, 56, 44, 10}, 100, 50, 4, &x0, &y0, &x1, &y1));
	assert_true(fabs(x1 - 94) < 1e-9 && fabs(y1 - 56) < 1e-9);
	assert_true(fabs(hypot(x0 - 100, y0 - 50) - 4) < 1e-9);
	assert_true(x0 < 100 && y0 > 50);
	/* above right: to the box's bottom left corner */
	assert_true(lbl_leader((lbl_rect){106, 30, 40, 10}, 100, 50, 4, &x0, &y0, &x1, &y1));
	assert_true(fabs(x1 - 106) < 1e-9 && fabs(y1 - 40) < 1e-9);
	assert_true(x0 > 100 && y0 < 50);
	/* a corner within the circle: touching it already */
	assert_false(lbl_leader((lbl_rect){102, 52, 40, 10}, 100, 50, 4, &x0, &y0, &x1, &y1));
}

static bool inked(int x0, int y0, int x1, int y1)
{
	cairo_surface_flush(img);
	const unsigned char *d = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			if (((const uint32_t *)(d + y * stride))[x] != 0xFFFFFFFFu)
				return true;
	return false;
}

/* Every chart draws inside its box only and hands the context back. */
static void test_charts_in_box(void **state)
{
	(void)state;
	chart_rank_row rank[] = {{"gs_competitor", 169300, 8077, 19.96, false, true, false},
				 {"All other 7 campaigns", 40000, 30000, 0.33, true, false, false}};
	assert_int_equal(chart_ranking(cr, (chart_box){100, 100, 300, 120}, rank, 2, "USD"), 0);
	chart_ci_row ci[] = {{"paid_search", 0.83, 0.44, 0.97, 59, false, PAL_BLUE},
			     {"email", NAN, NAN, NAN, 29, true, PAL_GREY}};
	assert_int_equal(chart_interval_bars(cr, (chart_box){100, 230, 300, 60}, ci, 2, "MQLs"), 0);
	double v[] = {117, 116, NAN, 120, 130};
	const char *w[] = {"W43", "W44", "W45", "W46", "W47"};
	assert_int_equal(
	    chart_small(cr, (chart_box){100, 300, 300, 80}, "Leads", w, v, NULL, 5, MF_COUNT, NULL),
	    0);
	/* the first two weeks before the data: shaded, their words inside the box too */
	const bool before[] = {true, true, false, false, false};
	double z[] = {0, 0, 0, 3, 5};
	assert_int_equal(chart_small(cr, (chart_box){100, 300, 300, 80}, "Leads", w, z, before, 5,
				     MF_COUNT, NULL),
			 0);
	assert_true(inked(100, 100, 400, 380));
	assert_false(inked(0, 0, 100, 400));
	assert_false(inked(401, 0, 600, 400));
	assert_false(inked(0, 0, 600, 99));
	double r, g, b, a;
	assert_int_equal(cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b, &a),
			 CAIRO_STATUS_SUCCESS);
	assert_true(r == 1 && g == 1 && b == 1);
}

/* WCAG 2's contrast ratio of two colours, worked out here from the
 * standard's formula rather than taken from the renderer. */
static double wcag_lum(pal_rgb c)
{
	double v[3] = {c.r, c.g, c.b};
	for (int i = 0; i < 3; i++)
		v[i] = v[i] <= 0.04045 ? v[i] / 12.92 : pow((v[i] + 0.055) / 1.055, 2.4);
	return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
}

static double wcag_contrast(pal_rgb a, pal_rgb b)
{
	double la = wcag_lum(a) + 0.05, lb = wcag_lum(b) + 0.05;
	return la > lb ? la / lb : lb / la;
}

/* A heat map's figure is written in whichever of the dark text and white
 * stands out more from its cell, at every shade, and never below 3:1 (the
 * mid-blue cells once had white figures at 2.5:1). */
static void test_heat_ink(void **state)
{
	(void)state;
	const pal_rgb dark = PAL_TEXT, white = {1, 1, 1};
	bool saw_dark = false, saw_white = false;
	for (int k = 0; k <= 100; k++) {
		pal_rgb fill, ink;
		chart_heat_colours(k / 100.0, &fill, &ink);
		bool is_white = ink.r == 1 && ink.g == 1 && ink.b == 1;
		bool is_dark = ink.r == dark.r && ink.g == dark.g && ink.b == dark.b;
		assert_true(is_white || is_dark);
		saw_dark |= is_dark;
		saw_white |= is_white;
		double used = wcag_contrast(ink, fill);
		double other = wcag_contrast(is_white ? dark : white, fill);
		assert_true(used >= other);
		assert_true(used >= 3.0);
	}
	/* the ramp runs from near white to a blue dark enough for white ink */
	assert_true(saw_dark && saw_white);
}

/* The pixels of chart_interval_bars(row) that stand out from white by at
 * least 2:1 and are of the yellow's hue (more red and green than blue),
 * not the grey of the text. */
static int yellow_edge_pixels(chart_ci_row row)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1200, 400);
	cairo_t *c = cairo_create(s);
	cairo_set_source_rgb(c, 1, 1, 1);
	cairo_paint(c);
	cairo_scale(c, 4, 4);
	assert_int_equal(chart_interval_bars(c, (chart_box){10, 10, 280, 40}, &row, 1, "MQLs"), 0);
	cairo_surface_flush(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	int stride = cairo_image_surface_get_stride(s), edge = 0;
	for (int y = 0; y < 400; y++)
		for (int x = 0; x < 1200; x++) {
			uint32_t p = ((const uint32_t *)(d + y * stride))[x];
			pal_rgb px = pal_hex(p & 0xFFFFFFu);
			bool yellow = px.r > 0.3 && px.g > 0.8 * px.r && px.r - px.b > 0.08;
			edge += yellow && wcag_contrast(px, (pal_rgb){1, 1, 1}) >= 2.0;
		}
	cairo_destroy(c);
	cairo_surface_destroy(s);
	return edge;
}

/* A bar in Okabe–Ito's yellow (1.2:1 on white) keeps an edge that stands
 * out from the page, at least 2:1, in a darker shade of its own colour:
 * drawn whole, and drawn pale for few cases (its edge then in the shade of
 * the pale colour, not as faint as the bar). */
static void test_light_bar_outlined(void **state)
{
	(void)state;
	chart_ci_row row = {"paid_search", 0.5, NAN, NAN, 59, false, pal_hex(0xF0E442)};
	assert_true(yellow_edge_pixels(row) > 100);
	row.low_sample = true;
	row.sample = 6;
	assert_true(yellow_edge_pixels(row) > 100);
}

/* The colour of pixel (x, y): 0x00RRGGBB. */
static uint32_t pixel(int x, int y)
{
	cairo_surface_flush(img);
	const unsigned char *d = cairo_image_surface_get_data(img);
	return ((const uint32_t *)(d + y * cairo_image_surface_get_stride(img)))[x] & 0xFFFFFFu;
}

/* A sparkline marks its last week with a filled dot; a week not yet
 * comparable (young) with a hollow one at the end of a dashed segment. */
static void test_sparkline_young(void **state)
{
	(void)state;
	double v[] = {0.3, 0.5, 0.4, 0.1};
	/* four device pixels a point, the dots 6 pixels wide: the last value
	 * at each box's bottom right, (300, 120) and (300, 220) on the image */
	cairo_scale(cr, 4, 4);
	assert_int_equal(chart_sparkline(cr, (chart_box){25, 25, 50, 5}, v, 4, false), 0);
	assert_int_equal(chart_sparkline(cr, (chart_box){25, 50, 50, 5}, v, 4, true), 0);
	cairo_identity_matrix(cr);
	assert_true(pixel(299, 119) == 0x333333u); /* filled, dark */
	assert_true(pixel(299, 219) == 0xFFFFFFu); /* hollow: white inside */
	assert_true(inked(292, 212, 308, 228));	   /* its ring */
	/* the young line's last segment (x 233 to 300 on the image) has gaps */
	int ink = 0, gaps = 0;
	for (int x = 240; x < 290; x++) {
		bool any = inked(x, 198, x + 1, 224);
		ink += any;
		gaps += !any;
	}
	assert_true(ink > 10 && gaps > 10);
	for (int x = 240; x < 290; x++) /* the other's is solid */
		assert_true(inked(x, 98, x + 1, 124));
}

/* A box too short for its rows draws the rows that fit, not squeezed ones. */
static void test_rows_fit(void **state)
{
	(void)state;
	assert_int_equal(chart_rows_fit(14 + 10 * CHART_MIN_ROW, 14, CHART_MIN_ROW), 10);
	assert_int_equal(chart_rows_fit(10, 14, CHART_MIN_ROW), 0);
	chart_ci_row many[40];
	for (int i = 0; i < 40; i++)
		many[i] = (chart_ci_row){"channel", 0.5, 0.4, 0.6, 40, false, PAL_BLUE};
	assert_int_equal(chart_interval_bars(cr, (chart_box){10, 10, 200, 14 + 5 * CHART_MIN_ROW},
					     many, 40, "MQLs"),
			 0);
	assert_false(inked(0, 14 + 5 * CHART_MIN_ROW + 12, 220, 400));
}

/* On log scales zero has a place of its own: a campaign of no revenue is
 * drawn a band below the first tick (it sat on it, as if it had earned the
 * first tick's amount), one of no spend a band left of it. */
static void test_scatter_zero_apart(void **state)
{
	(void)state;
	const chart_box box = {20, 20, 500, 360};
	const chart_point pts[] = {{"none", 10, 0, 4, false, false},
				   {"first", 10, 1000, 4, false, false},
				   {"big", 100000, 100000, 8, false, false},
				   {"free", 0, 1000, 4, false, false}};
	chart_scatter_info in;
	assert_int_equal(chart_scatter(cr, box, pts, 4, "USD", &in), 0);
	assert_true(in.log && in.zero_y && in.zero_x);
	double zx, zy, fx, fy, ox, oy;
	chart_scatter_point(cr, box, pts, 4, 0, &zx, &zy);
	chart_scatter_point(cr, box, pts, 4, 1, &fx, &fy);
	chart_scatter_point(cr, box, pts, 4, 3, &ox, &oy);
	assert_true(fabs(zx - fx) < 1e-9);
	assert_true(zy - fy >= 18); /* below, two of the largest circles apart */
	assert_true(fabs(oy - fy) < 1e-9);
	assert_true(fx - ox >= 18); /* no spend: left of the first tick */
	/* on linear scales zero is the axis itself: no band */
	const chart_point lin[] = {{"none", 10, 0, 4, false, false},
				   {"some", 50, 300, 4, false, false}};
	assert_int_equal(chart_scatter(cr, box, lin, 2, "USD", &in), 0);
	assert_true(!in.log && !in.zero_x && !in.zero_y);
}

/* The axes are the campaigns': the light point of what has no campaign,
 * past them, is drawn at their end and said to be cut, as the ranking cuts
 * its bar, rather than stretching the axis for itself. */
static void test_scatter_other_past(void **state)
{
	(void)state;
	const chart_box box = {20, 20, 500, 360};
	const chart_point pts[] = {{"unknown", 285, 113100, 6, false, true},
				   {"a", 100, 1000, 4, false, false},
				   {"b", 2000, 30000, 8, false, false}};
	chart_scatter_info in;
	assert_int_equal(chart_scatter(cr, box, pts, 3, "USD", &in), 0);
	assert_true(!in.log && in.cut_y && !in.cut_x);
	double ux, uy, bx, by, ax, ay;
	chart_scatter_point(cr, box, pts, 3, 0, &ux, &uy);
	chart_scatter_point(cr, box, pts, 3, 1, &ax, &ay);
	chart_scatter_point(cr, box, pts, 3, 2, &bx, &by);
	assert_true(fabs(uy - by) < 1e-9); /* at the top, with the best campaign's $30k */
	assert_true(ay - by > 200);	   /* the campaigns spread over the height */
	/* alone, it is the axis */
	assert_int_equal(chart_scatter(cr, box, pts, 1, "USD", &in), 0);
	assert_true(!in.cut_x && !in.cut_y);
}

/* A campaign without MQLs has no area to draw: it is a ring, drawn over
 * the circles, so that one of the same spend and revenue as another is not
 * lost in that one's circle (it was a dot inside it), and it is named
 * beside the circle over it rather than left out. */
static void test_scatter_ring(void **state)
{
	(void)state;
	const chart_box box = {10, 10, 280, 180};
	const chart_point pts[] = {{"far", 100, 5000, 5, false, false},
				   {"big", 1000, 1000, 10, true, false},
				   {"none", 1001, 1000, 0, true, false}};
	chart_scatter_info in;
	double x, y;
	cairo_scale(cr, 2, 2);
	assert_int_equal(chart_scatter(cr, box, pts, 3, "USD", &in), 0);
	chart_scatter_point(cr, box, pts, 3, 2, &x, &y);
	cairo_identity_matrix(cr);
	assert_int_equal(in.rings, 1);
	assert_int_equal(in.left_out, 0);
	/* its line, 2.5 points right of its centre, is darker than the half
	 * grey of the circle under it */
	uint32_t darkest = 0xFF;
	for (int py = (int)(2 * y) - 1; py <= (int)(2 * y) + 1; py++)
		for (int px = (int)(2 * (x + 2.5)) - 1; px <= (int)(2 * (x + 2.5)) + 1; px++) {
			uint32_t blue = pixel(px, py) & 0xFF;
			darkest = blue < darkest ? blue : darkest;
		}
	assert_true(darkest < 0x70);
	/* the bucket without a campaign, of no MQLs, is no campaign's ring:
	 * the key and the caption's ring of a campaign are not drawn for it */
	const chart_point bucket[] = {{"far", 100, 5000, 5, false, false},
				      {"unknown", 1000, 1000, 0, false, true}};
	assert_int_equal(chart_scatter(cr, box, bucket, 2, "USD", &in), 0);
	assert_int_equal(in.rings, 0);
	assert_true(in.other_ring);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_fit_middle, setup, teardown),
	    cmocka_unit_test(test_place),
	    cmocka_unit_test(test_place_clear),
	    cmocka_unit_test(test_leader),
	    cmocka_unit_test(test_heat_ink),
	    cmocka_unit_test(test_light_bar_outlined),
	    cmocka_unit_test_setup_teardown(test_charts_in_box, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rows_fit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sparkline_young, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scatter_zero_apart, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scatter_other_past, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_scatter_ring, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
