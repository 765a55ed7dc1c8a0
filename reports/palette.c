/* palette.c — which Okabe–Ito colour a channel gets (palette.h).
 *
 * Chooses colours only: it must not draw or compute anything. */
#include "palette.h"

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

uint32_t palette_channel_colour(const mval *root, const char *channel)
{
	if (!channel || catalog_is_unknown(channel) || strcmp(channel, "other") == 0)
		return PALETTE_GREY;
	const mval *rows = mv_path(root, "by_channel.13w");
	size_t rank = 0;
	bool found = false;
	for (size_t i = 0; i < mv_len(rows); i++) {
		const char *c = mv_str_of(mv_get(mv_at(rows, i), "channel"));
		if (!c || catalog_is_unknown(c))
			continue;
		if (strcmp(c, channel) == 0)
			found = true;
		else if (strcmp(c, channel) < 0)
			rank++;
	}
	if (!found || rank >= PALETTE_NCHANNEL)
		return PALETTE_GREY;
	return palette_channel[rank];
}
