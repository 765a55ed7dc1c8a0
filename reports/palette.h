/* palette.h — the colours every output draws with, so that a channel has
 * the same colour in the workbook, the PDF and the e-mail's chart.
 *
 * Okabe–Ito (colour-blind safe) and three of Paul Tol's muted colours for
 * channels; grey for "unknown"/"other"
 * and for the comparison period; IBCS green/red for good/bad changes.
 * Colours are 0xRRGGBB. */
#ifndef MQL_PALETTE_H
#define MQL_PALETTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mval.h"

#define PALETTE_NCHANNEL 10
/* Okabe–Ito's blue, orange, bluish green, vermillion, sky blue, reddish
 * purple and yellow, then three darker ones of Paul Tol's muted scheme
 * (indigo, wine, olive), so that ten channels (the samples have ten) each
 * have a colour and none takes the grey of "other" */
static const uint32_t palette_channel[PALETTE_NCHANNEL] = {
    0x0072B2, 0xE69F00, 0x009E73, 0xD55E00, 0x56B4E9,
    0xCC79A7, 0xF0E442, 0x332288, 0x882255, 0x999933,
};
#define PALETTE_GREY	 0x999999 /* "unknown", "other", the comparison period */
#define PALETTE_DARK	 0x333333 /* this period: solid and dark */
#define PALETTE_LIGHT	 0xD0D0D0 /* a bar whose figure rests on few cases */
#define PALETTE_GOOD	 0x1A7F37 /* a change for the better */
#define PALETTE_BAD	 0xC62828 /* a change for the worse */
#define PALETTE_GOOD_BG	 0xE3F4E8
#define PALETTE_BAD_BG	 0xFBE3E3
#define PALETTE_HEADER	 0xDDE4EE
#define PALETTE_WARN_BG	 0xFFF4CE /* the data-health banner */
#define PALETTE_WARN_INK 0x7A4E00
#define PALETTE_MUTED	 0x666666 /* a figure that rests on few cases: 5.7:1 on white */

/* The colour of a channel in this report: a common channel (the ten of the
 * samples: paid_search, email, webinar …) has its own, whatever else the
 * week holds; the other channels of by_channel.13w take the colours the
 * report's common ones leave free, in alphabetical order, so a new channel
 * shifts no other's colour; "unknown" and channels beyond the palette are
 * grey. root is the report tree. */
uint32_t palette_channel_colour(const mval *root, const char *channel);

/* rgb mixed with white, `share` (0..1) of white: a channel's colour kept
 * recognisable on a bar whose figure rests on few cases. */
uint32_t palette_lighten(uint32_t rgb, double share);

/* WCAG 2's relative luminance of a colour of 0..1 channels (sRGB). */
double palette_luminance(double r, double g, double b);

/* Whether rgb hardly stands out from the white page (under 1.5:1, as
 * Okabe–Ito's yellow at 1.2:1): its marks need an edge. */
bool palette_faint(uint32_t rgb);
/* The darker shade of rgb such an edge is drawn in. */
uint32_t palette_shade(uint32_t rgb);
/* The edge a mark of colour rgb needs: palette_shade(rgb) when it is
 * faint, else PALETTE_NO_EDGE. */
#define PALETTE_NO_EDGE 0xFFFFFFFFu
uint32_t palette_edge(uint32_t rgb);

#endif
