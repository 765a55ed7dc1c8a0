/* grid.h — any part of the report tree as plain grids of cells.
 *
 * The workbook and the PDF render the tree generically: a value's shape,
 * never its key names, decides the grid. grid_build() turns one value into
 * one or more blocks:
 *   - an array of objects (a table): one row per element, one column per
 *     key, in first-seen order; a nested object becomes dotted columns
 *     ("rejected_by_reason.missing_lead_id"); a scalar element is column
 *     "value";
 *   - an object of tables ({"1w": [...], "4w": [...]}): one table whose
 *     first column (named by the caller, e.g. "window") holds the key;
 *   - an object of objects ({"1w": {...}, "4w": {...}}): side by side,
 *     column "metric" then one column per key;
 *   - an object of scalars (nested objects flattened to dotted names):
 *     columns "metric" and "value"; an array of scalars counts as one value
 *     (its cell shows the compact JSON);
 *   - any other object: its members in order, tables (and objects of
 *     tables) as blocks titled by their key, the rest gathered into
 *     "metric"/"value" blocks.
 *
 * Ownership: the set owns its grids and their text; cells borrow the tree's
 * values, so the tree must outlive the set. */
#ifndef MQL_GRID_H
#define MQL_GRID_H

#include <stddef.h>

#include "mval.h"

typedef struct grid_cell {
	const mval *v;	  /* a tree value (borrowed); NULL: see text */
	const char *text; /* a label such as a metric name or group key; NULL with v NULL: empty */
} grid_cell;

typedef struct grid {
	char *title; /* the block's key within a mixed object; NULL otherwise */
	char **cols; /* header names */
	size_t ncols;
	size_t nrows;
	grid_cell *cells;   /* nrows × ncols, row-major */
	const char **group; /* per row: the key of its group in an object of tables, else NULL */
	bool is_table;	    /* rows are records of a table (filters and charts make sense) */
	bool *hidden;	    /* per column: left out where the caller shows the grid; NULL: none */
} grid;

typedef struct grid_set {
	grid *blocks;
	size_t n;
	char **strings; /* text owned by the set */
	size_t nstrings, cap;
} grid_set;

/* Build the blocks of v; group_col names the key column of an object of
 * tables (NULL: "group"). Never NULL; a scalar gives one metric/value row. */
grid_set *grid_build(const mval *v, const char *group_col);
void grid_set_free(grid_set *s);

static inline const grid_cell *grid_at(const grid *g, size_t r, size_t c)
{
	return &g->cells[r * g->ncols + c];
}
/* Index of the column named name, or -1. */
long grid_col(const grid *g, const char *name);

#endif
