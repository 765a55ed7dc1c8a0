/* grid.c — any part of the report tree as plain grids of cells (see
 * grid.h), for the workbook and the PDF alike.
 *
 * Decides by a value's shape, never by its key names; formats nothing. */
#include "grid.h"

#include <stdlib.h>
#include <string.h>

/* A grid under construction: cells arrive as (row, column, value). */
typedef struct pend {
	size_t row, col;
	const mval *v;
	const char *text;
} pend;

typedef struct gbuild {
	grid_set *set;
	char **cols;
	size_t ncols, cols_cap;
	pend *cells;
	size_t ncells, cells_cap;
	const char **group;
	size_t nrows, group_cap;
	size_t next_col; /* the column after the last one named: rows repeat their keys' order */
} gbuild;

static const char *set_keep(grid_set *s, char *text)
{
	VEC_RESERVE(s->strings, s->cap, s->nstrings + 1);
	s->strings[s->nstrings++] = text;
	return text;
}

static size_t gb_col(gbuild *b, const char *name)
{
	size_t h = b->next_col < b->ncols ? b->next_col : 0;
	for (size_t k = 0; k < b->ncols; k++) {
		size_t i = (h + k) % b->ncols;
		if (strcmp(b->cols[i], name) == 0) {
			b->next_col = i + 1;
			return i;
		}
	}
	VEC_RESERVE(b->cols, b->cols_cap, b->ncols + 1);
	b->cols[b->ncols] = xstrdup(name);
	b->next_col = b->ncols + 1;
	return b->ncols++;
}

static void gb_cell(gbuild *b, size_t row, const char *col, const mval *v, const char *text)
{
	size_t c = gb_col(b, col);
	VEC_RESERVE(b->cells, b->cells_cap, b->ncells + 1);
	b->cells[b->ncells++] = (pend){.row = row, .col = c, .v = v, .text = text};
}

static size_t gb_row(gbuild *b, const char *group)
{
	VEC_RESERVE(b->group, b->group_cap, b->nrows + 1);
	b->group[b->nrows] = group;
	return b->nrows++;
}

/* The members of an object as cells of one row, nested objects as dotted
 * names ("a.b"); an empty object adds nothing. */
static void flatten_row(gbuild *b, size_t row, const mval *obj, const char *prefix)
{
	for (size_t i = 0; i < mv_len(obj); i++) {
		const mval *m = mv_at(obj, i);
		const char *key = mv_key(obj, i);
		char *name = prefix ? xasprintf("%s.%s", prefix, key) : NULL;
		if (mv_kind_of(m) == MV_OBJ)
			flatten_row(b, row, m, name ? name : key);
		else
			gb_cell(b, row, name ? name : key, m, NULL);
		free(name);
	}
}

/* The members of an object as rows name → value (dotted for nested objects). */
static void flatten_rows(gbuild *b, const mval *obj, const char *prefix)
{
	for (size_t i = 0; i < mv_len(obj); i++) {
		const mval *m = mv_at(obj, i);
		char *name =
		    prefix ? xasprintf("%s.%s", prefix, mv_key(obj, i)) : xstrdup(mv_key(obj, i));
		if (mv_kind_of(m) == MV_OBJ && mv_len(m) > 0) {
			flatten_rows(b, m, name);
			free(name);
			continue;
		}
		size_t r = gb_row(b, NULL);
		gb_cell(b, r, "metric", NULL, set_keep(b->set, name));
		gb_cell(b, r, "value", m, NULL);
	}
}

static void table_rows(gbuild *b, const mval *arr, const char *group_col, const char *group)
{
	for (size_t i = 0; i < mv_len(arr); i++) {
		const mval *e = mv_at(arr, i);
		size_t r = gb_row(b, group);
		if (group)
			gb_cell(b, r, group_col, NULL, group);
		if (mv_kind_of(e) == MV_OBJ)
			flatten_row(b, r, e, NULL);
		else
			gb_cell(b, r, "value", e, NULL);
	}
}

/* Turn the collected cells into a grid appended to the set. */
static void gb_finish(gbuild *b, const char *title, bool is_table)
{
	grid_set *s = b->set;
	s->blocks = xrealloc(s->blocks, (s->n + 1) * sizeof *s->blocks);
	grid *g = &s->blocks[s->n++];
	*g = (grid){0};
	g->title = title ? xstrdup(title) : NULL;
	g->cols = b->cols;
	g->ncols = b->ncols;
	g->nrows = b->nrows;
	g->group = b->group;
	g->is_table = is_table;
	g->cells = xcalloc(g->nrows * g->ncols + 1, sizeof *g->cells);
	for (size_t i = 0; i < b->ncells; i++) {
		grid_cell *c = &g->cells[b->cells[i].row * g->ncols + b->cells[i].col];
		c->v = b->cells[i].v;
		c->text = b->cells[i].text;
	}
	free(b->cells);
	*b = (gbuild){.set = s};
}

static bool all_members(const mval *obj, mv_kind k)
{
	if (mv_len(obj) == 0)
		return false;
	for (size_t i = 0; i < mv_len(obj); i++)
		if (mv_kind_of(mv_at(obj, i)) != k)
			return false;
	return true;
}

/* True when v holds a table (an array with an object or array in it)
 * anywhere below it; an array of scalars is shown as one value. */
static bool holds_table(const mval *v)
{
	if (mv_kind_of(v) == MV_ARR) {
		for (size_t i = 0; i < mv_len(v); i++) {
			mv_kind k = mv_kind_of(mv_at(v, i));
			if (k == MV_OBJ || k == MV_ARR)
				return true;
		}
		return false;
	}
	for (size_t i = 0; i < mv_len(v); i++)
		if (holds_table(mv_at(v, i)))
			return true;
	return false;
}

static void build_into(grid_set *s, const mval *v, const char *group_col, const char *title);

static void build_mixed(grid_set *s, const mval *obj, const char *group_col, const char *title)
{
	gbuild rec = {.set = s};
	bool first = true;
	for (size_t i = 0; i < mv_len(obj); i++) {
		const mval *m = mv_at(obj, i);
		const char *key = mv_key(obj, i);
		if (!holds_table(m)) {
			if (mv_kind_of(m) == MV_OBJ && mv_len(m) > 0) {
				flatten_rows(&rec, m, key);
			} else {
				size_t r = gb_row(&rec, NULL);
				gb_cell(&rec, r, "metric", NULL, set_keep(s, xstrdup(key)));
				gb_cell(&rec, r, "value", m, NULL);
			}
			continue;
		}
		if (rec.nrows) {
			gb_finish(&rec, first ? title : NULL, false);
			first = false;
		}
		char *sub = title ? xasprintf("%s.%s", title, key) : xstrdup(key);
		build_into(s, m, group_col, sub);
		free(sub);
		first = false;
	}
	if (rec.nrows || first)
		gb_finish(&rec, first ? title : NULL, false);
	else
		free(rec.cells);
}

static void build_into(grid_set *s, const mval *v, const char *group_col, const char *title)
{
	gbuild b = {.set = s};
	switch (mv_kind_of(v)) {
	case MV_ARR:
		table_rows(&b, v, group_col, NULL);
		gb_finish(&b, title, true);
		return;
	case MV_OBJ:
		break;
	default: {
		size_t r = gb_row(&b, NULL);
		gb_cell(&b, r, "metric", NULL, title ? set_keep(s, xstrdup(title)) : "value");
		gb_cell(&b, r, "value", v, NULL);
		gb_finish(&b, NULL, false);
		return;
	}
	}
	if (all_members(v, MV_ARR)) {
		gb_col(&b, group_col);
		for (size_t i = 0; i < mv_len(v); i++)
			table_rows(&b, mv_at(v, i), group_col, mv_key(v, i));
		gb_finish(&b, title, true);
		return;
	}
	if (all_members(v, MV_OBJ) && !holds_table(v)) {
		gb_col(&b, "metric");
		for (size_t i = 0; i < mv_len(v); i++)
			gb_col(&b, mv_key(v, i));
		/* rows: the union of the members' flattened names */
		gbuild names = {.set = s};
		for (size_t i = 0; i < mv_len(v); i++) {
			gbuild one = {.set = s};
			flatten_rows(&one, mv_at(v, i), NULL);
			for (size_t k = 0; k < one.ncells; k += 2) {
				const char *name = one.cells[k].text;
				size_t r;
				for (r = 0; r < names.ncols; r++)
					if (strcmp(names.cols[r], name) == 0)
						break;
				if (r == names.ncols) {
					gb_col(&names, name);
					gb_row(&b, NULL);
					gb_cell(&b, r, "metric", NULL, name);
				}
				gb_cell(&b, r, mv_key(v, i), one.cells[k + 1].v, NULL);
			}
			for (size_t c = 0; c < one.ncols; c++)
				free(one.cols[c]);
			free(one.cols);
			free(one.cells);
			free(one.group);
		}
		for (size_t c = 0; c < names.ncols; c++)
			free(names.cols[c]);
		free(names.cols);
		gb_finish(&b, title, false);
		return;
	}
	build_mixed(s, v, group_col, title);
}

grid_set *grid_build(const mval *v, const char *group_col)
{
	grid_set *s = xcalloc(1, sizeof *s);
	build_into(s, v, group_col ? group_col : "group", NULL);
	return s;
}

void grid_set_free(grid_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		grid *g = &s->blocks[i];
		free(g->title);
		for (size_t c = 0; c < g->ncols; c++)
			free(g->cols[c]);
		free(g->cols);
		free(g->cells);
		free(g->group);
		free(g->hidden);
	}
	free(s->blocks);
	for (size_t i = 0; i < s->nstrings; i++)
		free(s->strings[i]);
	free(s->strings);
	free(s);
}

long grid_col(const grid *g, const char *name)
{
	for (size_t i = 0; i < g->ncols; i++)
		if (strcmp(g->cols[i], name) == 0)
			return (long)i;
	return -1;
}
