/* Private view of cf_table, for modules that build tables (csv) or read them in bulk (validate, stats). */
#ifndef CF_SRC_TABLE_H
#define CF_SRC_TABLE_H

#include "cogniforge/table.h"
#include "context.h"

typedef struct cf__column {
	char *name;
	cf_type type;
	size_t length;
	const void *values;
	const uint8_t *validity;   /* NULL: all valid */
	size_t null_count;
	const char **dict;         /* string columns: entries point into dict_arena (or are borrowed-copied) */
	size_t dict_size;
	void *owned_values;        /* what cf_table_free() releases (NULL when borrowed) */
	void *owned_validity;
	char *dict_arena;
} cf__column;

struct cf_table {
	cf_context *ctx;
	size_t num_rows;
	size_t ncols, cap;
	cf__column *cols;
};

/* Append a column whose buffers the table takes over (allocated with cf__malloc on the table's context):
 * values, validity (may be NULL), dict (array of dict_size pointers into dict_arena), dict_arena. On failure the
 * buffers are freed too, so the caller never leaks them. null_count must be right (it is not recomputed). */
int cf__table_add_owned(cf_table *table, const char *name, cf_type type, size_t length, void *values,
	uint8_t *validity, size_t null_count, const char **dict, size_t dict_size, char *dict_arena);

/* Row i of column c is null (validity bit 0, a NaN float, or a negative string code). */
static inline int cf__column_is_null(const cf__column *c, size_t i)
{
	if (!CF_VALID(c->validity, i))
		return 1;
	if (c->type == CF_TYPE_FLOAT64) {
		double v = ((const double *)c->values)[i];
		return v != v;
	}
	if (c->type == CF_TYPE_STRING)
		return ((const int32_t *)c->values)[i] < 0;
	return 0;
}

/* Check a UTF-8 string of len bytes; returns the byte offset of the first invalid sequence or (size_t)-1. */
size_t cf__utf8_invalid_at(const char *s, size_t len);

/* Code points in a valid UTF-8 string. */
size_t cf__utf8_length(const char *s, size_t len);

#endif
