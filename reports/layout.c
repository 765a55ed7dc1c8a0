/* layout.c — reads the compiled-in templates that say what goes on which
 * sheet and page (see layout.h).
 *
 * Parses only: renders nothing and reads no file at run time. */
#include "layout.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *opt_str(GKeyFile *kf, const char *g, const char *k)
{
	char *v = g_key_file_get_string(kf, g, k, NULL);
	if (!v)
		return NULL;
	g_strstrip(v);
	char *out = *v ? xstrdup(v) : NULL;
	g_free(v);
	return out;
}

/* A ';'-separated list, NULL-terminated, owned by the caller (g_strfreev). */
static char **opt_list(GKeyFile *kf, const char *g, const char *k)
{
	char **v = g_key_file_get_string_list(kf, g, k, NULL, NULL);
	if (!v)
		return NULL;
	for (char **p = v; *p; p++)
		g_strstrip(*p);
	return v;
}

static bool opt_bool(GKeyFile *kf, const char *g, const char *k)
{
	char *v = opt_str(kf, g, k);
	bool b = v && (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "1") == 0);
	free(v);
	return b;
}

static GKeyFile *load(const char *text, const char *name, mq_err *err)
{
	GKeyFile *kf = g_key_file_new();
	GError *ge = NULL;
	if (!g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, &ge)) {
		mq_err_set(err, MQ_SOFTWARE, "template %s: %s", name, ge->message);
		g_error_free(ge);
		g_key_file_free(kf);
		return NULL;
	}
	return kf;
}

layout_workbook *layout_workbook_parse(const char *text, const char *name, mq_err *err)
{
	GKeyFile *kf = load(text, name, err);
	if (!kf)
		return NULL;
	layout_workbook *w = xcalloc(1, sizeof *w);
	char **ids = opt_list(kf, "workbook", "sheets");
	if (!ids) {
		mq_err_set(err, MQ_SOFTWARE, "template %s: [workbook] has no sheets", name);
		goto fail;
	}
	w->nsheets = g_strv_length(ids);
	w->sheets = xcalloc(w->nsheets + 1, sizeof *w->sheets);
	for (size_t i = 0; i < w->nsheets; i++) {
		const char *g = ids[i];
		layout_sheet *s = &w->sheets[i];
		s->id = xstrdup(g);
		if (!g_key_file_has_group(kf, g)) {
			mq_err_set(err, MQ_SOFTWARE,
				   "template %s: sheet [%s] is listed but not defined", name, g);
			goto fail;
		}
		s->title = opt_str(kf, g, "title");
		s->path = opt_str(kf, g, "path");
		if (!s->title || !s->path) {
			mq_err_set(err, MQ_SOFTWARE, "template %s: [%s] needs title and path", name,
				   g);
			goto fail;
		}
		s->group_column = opt_str(kf, g, "group_column");
		s->banner = opt_bool(kf, g, "banner");
		s->highlight = opt_str(kf, g, "highlight");
		s->highlight_key = opt_str(kf, g, "highlight_key");
		s->highlight_now = opt_str(kf, g, "highlight_now");
		s->highlight_before = opt_str(kf, g, "highlight_before");
		s->lower_is_better = opt_list(kf, g, "lower_is_better");
		s->neutral = opt_list(kf, g, "neutral");
		s->chart = opt_str(kf, g, "chart");
		s->chart_title = opt_str(kf, g, "chart_title");
		s->chart_group = opt_str(kf, g, "chart_group");
		s->chart_category = opt_str(kf, g, "chart_category");
		s->chart_values = opt_list(kf, g, "chart_values");
		s->chart_num_format = opt_str(kf, g, "chart_num_format");
		s->sample = opt_str(kf, g, "sample");
		s->kind = opt_str(kf, g, "kind");
		s->paths = opt_list(kf, g, "paths");
		s->covers = opt_list(kf, g, "covers");
		s->sort = opt_str(kf, g, "sort");
		s->heatmap = opt_list(kf, g, "heatmap");
		s->hide = opt_list(kf, g, "hide");
		s->columns = opt_list(kf, g, "columns");
		s->about = opt_str(kf, g, "about");
		s->mark = opt_str(kf, g, "mark");
		s->mark_key = opt_str(kf, g, "mark_key");
		s->event_types = opt_bool(kf, g, "event_types");
		char *rows = opt_str(kf, g, "chart_rows");
		s->chart_rows = rows ? strtol(rows, NULL, 10) : 0;
		free(rows);
		if (s->chart && (strcmp(s->chart, "column") && strcmp(s->chart, "bar") &&
				 strcmp(s->chart, "line"))) {
			mq_err_set(err, MQ_SOFTWARE,
				   "template %s: [%s] chart \"%s\" is not column, bar or line",
				   name, g, s->chart);
			goto fail;
		}
		if (s->kind && strcmp(s->kind, "drilldown") == 0 && !s->columns) {
			mq_err_set(err, MQ_SOFTWARE, "template %s: [%s] a drilldown needs columns",
				   name, g);
			goto fail;
		}
		if (s->chart && (!s->chart_category || !s->chart_values)) {
			mq_err_set(err, MQ_SOFTWARE,
				   "template %s: [%s] chart needs chart_category and chart_values",
				   name, g);
			goto fail;
		}
	}
	g_strfreev(ids);
	g_key_file_free(kf);
	return w;
fail:
	g_strfreev(ids);
	g_key_file_free(kf);
	layout_workbook_free(w);
	return NULL;
}

void layout_workbook_free(layout_workbook *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nsheets; i++) {
		layout_sheet *s = &w->sheets[i];
		free(s->id);
		free(s->title);
		free(s->path);
		free(s->group_column);
		free(s->highlight);
		free(s->highlight_key);
		free(s->highlight_now);
		free(s->highlight_before);
		g_strfreev(s->lower_is_better);
		g_strfreev(s->neutral);
		free(s->chart);
		free(s->chart_title);
		free(s->kind);
		g_strfreev(s->paths);
		g_strfreev(s->covers);
		free(s->sort);
		g_strfreev(s->heatmap);
		g_strfreev(s->hide);
		g_strfreev(s->columns);
		free(s->about);
		free(s->mark);
		free(s->mark_key);
		free(s->chart_group);
		free(s->chart_category);
		g_strfreev(s->chart_values);
		free(s->chart_num_format);
		free(s->sample);
	}
	free(w->sheets);
	free(w);
}

static bool kind_of(const char *name, enum layout_kind *k)
{
	static const char *const names[] = {"table",   "bar",	      "line",
					    "ranking", "scatter",     "channels",
					    "trend",   "attribution", "heatmap"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (strcmp(name, names[i]) == 0) {
			*k = (enum layout_kind)i;
			return true;
		}
	}
	return false;
}

layout_pdf *layout_pdf_parse(const char *text, const char *name, mq_err *err)
{
	GKeyFile *kf = load(text, name, err);
	if (!kf)
		return NULL;
	layout_pdf *p = xcalloc(1, sizeof *p);
	char **ids = opt_list(kf, "pdf", "sections");
	char **keys = NULL;
	p->title = opt_str(kf, "pdf", "title");
	p->headline_path = opt_str(kf, "pdf", "headline_path");
	p->headline = opt_list(kf, "pdf", "headline");
	p->change_path = opt_str(kf, "pdf", "change_path");
	p->trend_path = opt_str(kf, "pdf", "trend_path");
	p->lower_is_better = opt_list(kf, "pdf", "lower_is_better");
	p->neutral = opt_list(kf, "pdf", "neutral");
	p->percent = opt_list(kf, "pdf", "percent");
	if (!p->title || !ids) {
		mq_err_set(err, MQ_SOFTWARE, "template %s: [pdf] needs title and sections", name);
		goto fail;
	}
	p->nsections = g_strv_length(ids);
	p->sections = xcalloc(p->nsections + 1, sizeof *p->sections);
	for (size_t i = 0; i < p->nsections; i++) {
		const char *g = ids[i];
		layout_section *s = &p->sections[i];
		s->id = xstrdup(g);
		char *kind = opt_str(kf, g, "kind");
		s->title = opt_str(kf, g, "title");
		s->path = opt_str(kf, g, "path");
		s->category = opt_str(kf, g, "category");
		s->values = opt_list(kf, g, "values");
		s->columns = opt_list(kf, g, "columns");
		s->interval = opt_bool(kf, g, "interval");
		s->new_page = opt_bool(kf, g, "new_page");
		s->subtitle = opt_str(kf, g, "subtitle");
		s->subtitle_no_chart = opt_str(kf, g, "subtitle_no_chart");
		s->subtitle_all = opt_str(kf, g, "subtitle_all");
		s->sort = opt_str(kf, g, "sort");
		s->then = opt_str(kf, g, "then");
		s->size = opt_str(kf, g, "size");
		s->note = opt_str(kf, g, "note");
		char *top = opt_str(kf, g, "top");
		s->top = top ? atol(top) : 0;
		free(top);
		bool ok = kind && s->path && kind_of(kind, &s->kind);
		if (ok && s->kind != LK_TABLE && (!s->category || !s->values))
			ok = false;
		free(kind);
		if (!ok) {
			mq_err_set(
			    err, MQ_SOFTWARE,
			    "template %s: [%s] needs kind (table, bar, line, ranking, scatter, "
			    "channels, trend, attribution or heatmap) and path; "
			    "charts need category and values",
			    name, g);
			goto fail;
		}
	}
	keys = g_key_file_get_keys(kf, "labels", NULL, NULL);
	if (keys) {
		p->nlabels = g_strv_length(keys);
		p->label_keys = xcalloc(p->nlabels + 1, sizeof *p->label_keys);
		p->label_texts = xcalloc(p->nlabels + 1, sizeof *p->label_texts);
		for (size_t i = 0; i < p->nlabels; i++) {
			p->label_keys[i] = xstrdup(keys[i]);
			char *t = opt_str(kf, "labels", keys[i]);
			p->label_texts[i] = t ? t : xstrdup(keys[i]);
		}
	}
	g_strfreev(keys);
	g_strfreev(ids);
	g_key_file_free(kf);
	return p;
fail:
	g_strfreev(ids);
	g_key_file_free(kf);
	layout_pdf_free(p);
	return NULL;
}

void layout_pdf_free(layout_pdf *p)
{
	if (!p)
		return;
	free(p->title);
	free(p->headline_path);
	g_strfreev(p->headline);
	free(p->change_path);
	free(p->trend_path);
	g_strfreev(p->lower_is_better);
	g_strfreev(p->neutral);
	g_strfreev(p->percent);
	for (size_t i = 0; i < p->nsections; i++) {
		layout_section *s = &p->sections[i];
		free(s->id);
		free(s->title);
		free(s->path);
		free(s->category);
		g_strfreev(s->values);
		g_strfreev(s->columns);
		free(s->subtitle);
		free(s->subtitle_no_chart);
		free(s->subtitle_all);
		free(s->sort);
		free(s->then);
		free(s->size);
		free(s->note);
	}
	free(p->sections);
	for (size_t i = 0; i < p->nlabels; i++) {
		free(p->label_keys[i]);
		free(p->label_texts[i]);
	}
	free(p->label_keys);
	free(p->label_texts);
	free(p);
}

const char *layout_label(const layout_pdf *p, const char *key, char *buf, size_t n)
{
	for (size_t i = 0; p && i < p->nlabels; i++) {
		if (strcmp(p->label_keys[i], key) == 0) {
			mq_textf(buf, n, "%s", p->label_texts[i]);
			return buf;
		}
	}
	mq_textf(buf, n, "%s", key);
	for (char *c = buf; *c; c++)
		if (*c == '_')
			*c = ' ';
	if (g_ascii_islower(buf[0]))
		buf[0] = g_ascii_toupper(buf[0]);
	return buf;
}
