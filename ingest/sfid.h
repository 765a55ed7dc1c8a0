/* sfid.h — Salesforce's two forms of one record id.
 *
 * A record's id is 15 characters, case-sensitive, in reports and the user
 * interface, and 18 through the API and Data Loader: the 15, then one
 * character per block of five that says which of the block's characters
 * are upper case (bit k for its k-th character, as a letter of A–Z then a
 * digit of 0–5). When the leads come from Salesforce, the reader takes a
 * 15-character id that joins records (a lead id, an opportunity id, a lead's
 * converted opportunity id) in its 18-character form; the generator writes
 * that form. */
#ifndef MQL_SFID_H
#define MQL_SFID_H

#include <stdbool.h>

/* The three characters that make id15 (15 characters) the 18-character form. */
static inline void sf_id_suffix(const char *id15, char out[3])
{
	static const char code[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
	for (int block = 0; block < 3; block++) {
		unsigned bits = 0;
		for (int k = 0; k < 5; k++) {
			char c = id15[block * 5 + k];
			bits |= (unsigned)(c >= 'A' && c <= 'Z') << k;
		}
		out[block] = code[bits];
	}
}

#endif
