/* palette.h — the colours every output shares (workbook, PDF, e-mail): the
 * Okabe–Ito palette, colour-blind safe, one colour per channel; grey for
 * "other" and for the comparison period; green and red for good and bad
 * changes.
 *
 * A channel's colour is decided by its position among the channels of the
 * report (palette_channel_index): the same channel list gives the same
 * colours in every output. Seven colours cycle when there are more channels;
 * every chart names its channels directly, so colour is never the only cue. */
#ifndef MQL_PALETTE_H
#define MQL_PALETTE_H

#include <stddef.h>
#include <string.h>

typedef struct pal_rgb {
	double r, g, b;
} pal_rgb;

/* Okabe & Ito (2008), without black, in their order. */
static const pal_rgb PAL_CHANNEL[] = {
    {0.902, 0.624, 0.000}, /* orange #E69F00 */
    {0.337, 0.706, 0.914}, /* sky blue #56B4E9 */
    {0.000, 0.620, 0.451}, /* bluish green #009E73 */
    {0.000, 0.447, 0.698}, /* blue #0072B2 */
    {0.835, 0.369, 0.000}, /* vermillion #D55E00 */
    {0.800, 0.475, 0.655}, /* reddish purple #CC79A7 */
    {0.941, 0.894, 0.259}, /* yellow #F0E442 */
};
#define PAL_NCHANNEL (sizeof PAL_CHANNEL / sizeof PAL_CHANNEL[0])

static const pal_rgb PAL_GREY = {0.62, 0.62, 0.62};    /* other, comparison period */
static const pal_rgb PAL_DARK = {0.10, 0.16, 0.26};    /* this period, main series */
static const pal_rgb PAL_GOOD = {0.000, 0.620, 0.451}; /* bluish green */
static const pal_rgb PAL_BAD = {0.835, 0.369, 0.000};  /* vermillion */
static const pal_rgb PAL_TEXT = {0.12, 0.12, 0.12};
static const pal_rgb PAL_MUTED = {0.40, 0.40, 0.40};

/* The position of `name` in the sorted (strcmp order) list of the report's
 * channels, `names` (n of them, any order): its colour is
 * PAL_CHANNEL[index % PAL_NCHANNEL]. A name not in the list gives 0. */
static inline size_t palette_channel_index(const char *name, const char *const *names, size_t n)
{
	size_t below = 0;
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcmp(names[i], name) < 0)
			below++;
	return below;
}

static inline pal_rgb palette_channel(const char *name, const char *const *names, size_t n)
{
	return PAL_CHANNEL[palette_channel_index(name, names, n) % PAL_NCHANNEL];
}

#endif
