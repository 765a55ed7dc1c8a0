/* fetch_cache.c — the validators of a fetched source (see fetch_cache.h),
 * a GKeyFile beside the file, private to its owner (0600), written through
 * base/afile so that no link is followed.
 *
 * It must never decide whether to fetch: fetch.c does; a value read back is
 * cleaned again, so an edited cache cannot inject a header. */
#include "fetch_cache.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"

#define META_GROUP "validators"

void fetch_clean_copy(char *dst, size_t size, const char *v)
{
	size_t n = 0;
	for (; v && *v && n + 1 < size; v++)
		if ((unsigned char)*v >= 0x20 && *v != 0x7f)
			dst[n++] = *v;
	dst[n] = '\0';
}

static char *meta_path(const char *dest)
{
	return xasprintf("%s.meta", dest);
}

bool fetch_cache_read(const char *dest, const char *url, char *etag, size_t esize, char *lm,
		      size_t lsize)
{
	struct stat st;
	if (stat(dest, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	char *path = meta_path(dest);
	GKeyFile *kf = g_key_file_new();
	bool same_url = false;
	if (g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL)) {
		char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, url, -1);
		char *kept = g_key_file_get_string(kf, META_GROUP, "url-sha256", NULL);
		char *e = g_key_file_get_string(kf, META_GROUP, "etag", NULL);
		char *l = g_key_file_get_string(kf, META_GROUP, "last-modified", NULL);
		same_url = kept && strcmp(kept, digest) == 0;
		fetch_clean_copy(etag, esize, e);
		fetch_clean_copy(lm, lsize, l);
		g_free(digest);
		g_free(kept);
		g_free(e);
		g_free(l);
	}
	g_key_file_free(kf);
	free(path);
	return same_url && (etag[0] || lm[0]);
}

void fetch_cache_write(const char *dest, const char *url, const char *etag, const char *lm)
{
	char *path = meta_path(dest);
	if (!etag[0] && !lm[0]) {
		/* a meta file left behind (it cannot be removed) only makes the
		 * next request conditional: a changed export still comes as 200 */
		(void)unlink(path);
		free(path);
		return;
	}
	GKeyFile *kf = g_key_file_new();
	char *digest = g_compute_checksum_for_string(G_CHECKSUM_SHA256, url, -1);
	g_key_file_set_string(kf, META_GROUP, "url-sha256", digest);
	if (etag[0])
		g_key_file_set_string(kf, META_GROUP, "etag", etag);
	if (lm[0])
		g_key_file_set_string(kf, META_GROUP, "last-modified", lm);
	gsize len = 0;
	char *data = g_key_file_to_data(kf, &len, NULL);
	mq_err ignored = {0};
	afile *f = afile_open(path, &ignored);
	if (f) {
		afile_set_mode(f, 0600);
		if (fwrite(data, 1, len, afile_stream(f)) == len)
			afile_commit(f, &ignored);
		else
			afile_abort(f);
	}
	g_free(data);
	g_free(digest);
	g_key_file_free(kf);
	free(path);
}
