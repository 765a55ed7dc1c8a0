/* xlsx_check.c — every part of a written workbook read back (xlsx_check.h).
 *
 * libxlsxwriter writes each part of a workbook (each sheet's XML, the
 * styles, the content types) to a temporary file and copies it into the
 * zip without looking at how the writes went: a full TMPDIR leaves a part
 * empty or cut short, in a workbook that Excel calls broken, and the close
 * reports success. So the zip is read back: its central directory, then
 * each XML part inflated a piece at a time, keeping only its first bytes
 * (the root element's name) and its last (the end tag).
 *
 * It must not render anything, and must not hold a part whole. */
#include "xlsx_check.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define CHUNK	 ((size_t)1 << 16)
#define TAIL	 256 /* the part's last bytes kept */
#define HEAD	 512 /* its first bytes kept, for the root element's name */
#define EOCD_SIG 0x06054b50u
#define CEN_SIG	 0x02014b50u
#define LOC_SIG	 0x04034b50u

static uint32_t le16(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8;
}
static uint32_t le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

static bool read_at(FILE *f, long off, void *buf, size_t n)
{
	return fseek(f, off, SEEK_SET) == 0 && fread(buf, 1, n, f) == n;
}

/* What one part's bytes, as they are inflated, are kept of. */
typedef struct part_text {
	char head[HEAD];
	size_t nhead;
	char tail[TAIL];
	size_t ntail;
	uint64_t total;
} part_text;

static void keep(part_text *t, const char *p, size_t n)
{
	size_t h = n < HEAD - t->nhead ? n : HEAD - t->nhead;
	memcpy(t->head + t->nhead, p, h);
	t->nhead += h;
	if (n >= TAIL) {
		memcpy(t->tail, p + n - TAIL, TAIL);
		t->ntail = TAIL;
	} else {
		size_t drop = t->ntail + n > TAIL ? t->ntail + n - TAIL : 0;
		memmove(t->tail, t->tail + drop, t->ntail - drop);
		memcpy(t->tail + t->ntail - drop, p, n);
		t->ntail = t->ntail - drop + n;
	}
	t->total += n;
}

/* Whether the text ends with the end tag of its root element. */
static bool ends_whole(const part_text *t)
{
	/* the root element: the first '<' not followed by '?' or '!' */
	const char *p = t->head, *end = t->head + t->nhead;
	while (p < end) {
		p = memchr(p, '<', (size_t)(end - p));
		if (!p || p + 1 >= end)
			return false;
		if (p[1] != '?' && p[1] != '!')
			break;
		p++;
	}
	if (!p)
		return false;
	p++;
	size_t n = 0;
	while (p + n < end && !strchr(" \t\r\n/>", p[n]))
		n++;
	if (n == 0 || p + n >= end)
		return false;
	size_t k = t->ntail;
	while (k && strchr(" \t\r\n", t->tail[k - 1]))
		k--;
	return k >= n + 3 && t->tail[k - 1] == '>' && memcmp(t->tail + k - n - 1, p, n) == 0 &&
	       t->tail[k - n - 2] == '/' && t->tail[k - n - 3] == '<';
}

/* The compressed bytes of a part at off, inflated into t; false when they
 * do not inflate. */
static bool inflate_part(FILE *f, long off, uint32_t method, uint64_t csize, part_text *t)
{
	unsigned char *in = xmalloc(CHUNK);
	char *out = xmalloc(CHUNK);
	z_stream z = {0};
	bool ok = method == 0 || inflateInit2(&z, -MAX_WBITS) == Z_OK;
	if (ok && fseek(f, off, SEEK_SET) != 0)
		ok = false;
	int zrc = Z_OK;
	while (ok && csize) {
		size_t n = csize < CHUNK ? (size_t)csize : CHUNK;
		if (fread(in, 1, n, f) != n) {
			ok = false;
			break;
		}
		csize -= n;
		if (method == 0) {
			keep(t, (const char *)in, n);
			continue;
		}
		z.next_in = in;
		z.avail_in = (uInt)n;
		do {
			z.next_out = (Bytef *)out;
			z.avail_out = (uInt)CHUNK;
			zrc = inflate(&z, Z_NO_FLUSH);
			if (zrc != Z_OK && zrc != Z_STREAM_END) {
				ok = false;
				break;
			}
			keep(t, out, CHUNK - z.avail_out);
		} while (z.avail_out == 0 && zrc != Z_STREAM_END);
	}
	if (method != 0) {
		ok = ok && zrc == Z_STREAM_END;
		inflateEnd(&z);
	}
	free(in);
	free(out);
	return ok;
}

static bool is_xml(const char *name)
{
	return g_str_has_suffix(name, ".xml") || g_str_has_suffix(name, ".rels");
}

int xlsx_check_parts(const char *file, const char *name, mq_err *err)
{
	FILE *f = fopen(file, "rb");
	if (!f) {
		mq_err_set(err, MQ_CANTCREAT, "%s: cannot read the workbook back: %s", name,
			   strerror(errno));
		return -1;
	}
	const char *bad = NULL;
	char *part = NULL;
	unsigned char e[22], c[46], l[30];
	long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	/* libxlsxwriter writes no zip comment: the end record is the last 22 bytes */
	if (size < 22 || !read_at(f, size - 22, e, sizeof e) || le32(e) != EOCD_SIG) {
		bad = "its end record";
		goto done;
	}
	uint32_t entries = le16(e + 10);
	long at = (long)le32(e + 16);
	for (uint32_t i = 0; i < entries && !bad; i++) {
		if (!read_at(f, at, c, sizeof c) || le32(c) != CEN_SIG) {
			bad = "its directory";
			break;
		}
		uint32_t method = le16(c + 10), csize = le32(c + 20), usize = le32(c + 24);
		uint32_t nname = le16(c + 28), nextra = le16(c + 30), ncomment = le16(c + 32);
		long local = (long)le32(c + 42);
		g_free(part);
		part = g_malloc0(nname + 1);
		if (!read_at(f, at + 46, part, nname)) {
			bad = "its directory";
			break;
		}
		at += 46 + (long)nname + nextra + ncomment;
		if (!is_xml(part))
			continue;
		if (!read_at(f, local, l, sizeof l) || le32(l) != LOC_SIG) {
			bad = part;
			break;
		}
		part_text t = {0};
		long data = local + 30 + (long)le16(l + 26) + (long)le16(l + 28);
		if (!inflate_part(f, data, method, csize, &t) || t.total != usize ||
		    !ends_whole(&t))
			bad = part;
	}
done:
	fclose(f);
	int rc = 0;
	if (bad) {
		mq_err_set(err, MQ_CANTCREAT,
			   "%s: the workbook was written without all of %s (a temporary file of "
			   "libxlsxwriter's in %s could not be written whole: set TMPDIR to a "
			   "folder that can be written and has room)",
			   name, bad, g_get_tmp_dir());
		rc = -1;
	}
	g_free(part);
	return rc;
}
