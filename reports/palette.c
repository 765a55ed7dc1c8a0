/* palette.c — which Okabe–Ito colour a channel gets (palette.h).
 *
 * Chooses colours only: it must not draw or compute anything. */
#include "palette.h"

#include <math.h>
#include <string.h>

#include "catalog.h"

uint32_t palette_lighten(uint32_t rgb, double share)
{
	uint32_t out = 0;
	for (int shift = 16; shift >= 0; shift -= 8) {
		double c = (double)((rgb >> shift) & 0xFF);
		out |= (uint32_t)(c + (255 - c) * share + 0.5) << shift;
	}
	return out;
}

static double linear(double c)
{
	return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

double palette_luminance(double r, double g, double b)
{
	return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

bool palette_faint(uint32_t rgb)
{
	double c[3];
	for (int k = 0; k < 3; k++)
		c[k] = (double)((rgb >> (16 - 8 * k)) & 0xFF) / 255;
	return 1.05 / (palette_luminance(c[0], c[1], c[2]) + 0.05) < 1.5;
}

uint32_t palette_shade(uint32_t rgb)
{
	uint32_t out = 0;
	for (int shift = 16; shift >= 0; shift -= 8)
		out |= (uint32_t)((double)((rgb >> shift) & 0xFF) * 0.65 + 0.5) << shift;
	return out;
}

uint32_t palette_edge(uint32_t rgb)
{
	return palette_faint(rgb) ? palette_shade(rgb) : PALETTE_NO_EDGE;
}

/* The common channels' own colours (their places in palette_channel), so
 * that a channel new this week takes a free colour rather than shifting
 * every channel after it in the alphabet: the ten of the samples, in the
 * colours they had by that rank. */
static const struct {
	const char *name;
	int at;
} own_colour[] = {
    {"content_syndication", 0},
    {"direct", 1},
    {"email", 2},
    {"events", 3},
    {"linkedin", 4},
    {"organic_search", 5},
    {"paid_search", 6},
    {"paid_social", 7},
    {"referral", 8},
    {"webinar", 9},
};

static int own_place(const char *channel)
{
	for (size_t i = 0; i < sizeof own_colour / sizeof *own_colour; i++)
		if (strcmp(own_colour[i].name, channel) == 0)
			return own_colour[i].at;
	return -1;
}

uint32_t palette_channel_colour(const mval *root, const char *channel)
{
	if (!channel || catalog_is_unknown(channel) || strcmp(channel, "other") == 0)
		return PALETTE_GREY;
	const mval *rows = mv_path(root, "by_channel.13w");
	/* the colours the report's common channels hold; the others share
	 * what is left, in alphabetical order; past the palette, grey */
	bool taken[PALETTE_NCHANNEL] = {false}, found = false;
	for (size_t i = 0; i < mv_len(rows); i++) {
		const char *c = mv_str_of(mv_get(mv_at(rows, i), "channel"));
		if (!c || catalog_is_unknown(c))
			continue;
		found |= strcmp(c, channel) == 0;
		int at = own_place(c);
		if (at >= 0)
			taken[at] = true;
	}
	if (!found)
		return PALETTE_GREY;
	int mine = own_place(channel);
	if (mine >= 0)
		return palette_channel[mine];
	size_t rank = 0; /* among the report's channels without a colour of their own */
	for (size_t i = 0; i < mv_len(rows); i++) {
		const char *c = mv_str_of(mv_get(mv_at(rows, i), "channel"));
		if (c && !catalog_is_unknown(c) && own_place(c) < 0 && strcmp(c, channel) < 0)
			rank++;
	}
	for (int at = 0; at < PALETTE_NCHANNEL; at++)
		if (!taken[at] && rank-- == 0)
			return palette_channel[at];
	return PALETTE_GREY;
}
