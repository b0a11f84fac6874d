/* Columnar tables: borrowed or owned typed arrays with Arrow validity bitmaps. */
#include "table.h"
#include "vmap.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *cf_type_name(cf_type type)
{
	switch (type) {
	case CF_TYPE_FLOAT64: return "float64";
	case CF_TYPE_INT64: return "int64";
	case CF_TYPE_BOOL: return "bool";
	case CF_TYPE_STRING: return "string";
	case CF_TYPE_TIMESTAMP: return "timestamp";
	}
	return "unknown";
}

int cf_type_from_name(cf_type *out, const char *name)
{
	static const struct { const char *name; cf_type type; } names[] = {
		{"float64", CF_TYPE_FLOAT64}, {"double", CF_TYPE_FLOAT64}, {"float", CF_TYPE_FLOAT64},
		{"int64", CF_TYPE_INT64}, {"int", CF_TYPE_INT64}, {"integer", CF_TYPE_INT64},
		{"bool", CF_TYPE_BOOL}, {"boolean", CF_TYPE_BOOL},
		{"string", CF_TYPE_STRING}, {"str", CF_TYPE_STRING}, {"category", CF_TYPE_STRING},
		{"categorical", CF_TYPE_STRING},
		{"timestamp", CF_TYPE_TIMESTAMP}, {"datetime", CF_TYPE_TIMESTAMP},
	};
	size_t i;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(name);
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0) {
			*out = names[i].type;
			return CF_OK;
		}
	return cf__error_set(CF_EINVAL, "unknown column type '%s' (expected float64, int64, bool, string or timestamp)",
		name);
}

size_t cf__utf8_invalid_at(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			if (c == 0)
				return i;
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
		else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
		else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
		else return i;
		if (i + n >= len)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		/* Overlong forms, surrogates and values past U+10FFFF. */
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += n + 1;
	}
	return (size_t)-1;
}

size_t cf__utf8_length(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += (s[i] & 0xC0) != 0x80;
	return n;
}

int cf_table_create(cf_table **out, cf_context *ctx)
{
	cf_table *t;

	CF__CHECK_ARG(out);
	*out = NULL;
	t = cf__calloc(ctx, 1, sizeof *t, "table");
	if (t == NULL)
		return CF_ENOMEM;
	t->ctx = ctx;
	*out = t;
	return CF_OK;
}

static void column_release(cf_context *ctx, cf__column *c)
{
	cf__free(ctx, c->name);
	cf__free(ctx, c->owned_values);
	cf__free(ctx, c->owned_validity);
	cf__free(ctx, (void *)c->dict);
	cf__free(ctx, c->dict_arena);
}

void cf_table_free(cf_table *table)
{
	size_t i;

	if (table == NULL)
		return;
	for (i = 0; i < table->ncols; i++)
		column_release(table->ctx, &table->cols[i]);
	cf__free(table->ctx, table->cols);
	cf__free(table->ctx, table);
}

/* Reserve a slot for a new column named `name`, checking name and length. */
static int column_slot(cf__column **out, cf_table *t, const char *name, size_t length)
{
	size_t i;

	if (name == NULL || name[0] == '\0')
		return cf__error_set(CF_EINVAL, "table: column %zu has an empty name", t->ncols + 1);
	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0)
			return cf__error_set(CF_EINVAL, "table: duplicate column name '%s'", name);
	if (t->ncols > 0 && length != t->num_rows)
		return cf__error_set(CF_EINVAL, "table: column '%s' has %zu rows but the table has %zu", name, length,
			t->num_rows);
	if (t->ncols == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		cf__column *cols = cf__realloc(t->ctx, t->cols, cap * sizeof *cols, "table columns");
		if (cols == NULL)
			return CF_ENOMEM;
		t->cols = cols;
		t->cap = cap;
	}
	*out = &t->cols[t->ncols];
	memset(*out, 0, sizeof **out);
	(*out)->name = cf__strdup(t->ctx, name);
	if ((*out)->name == NULL)
		return CF_ENOMEM;
	return CF_OK;
}

static void column_commit(cf_table *t, size_t length)
{
	if (t->ncols == 0)
		t->num_rows = length;
	t->ncols++;
}

int cf__table_add_owned(cf_table *t, const char *name, cf_type type, size_t length, void *values,
	uint8_t *validity, size_t null_count, const char **dict, size_t dict_size, char *dict_arena)
{
	cf__column *c = NULL;
	int rc = column_slot(&c, t, name, length);

	if (rc) {
		if (c)
			cf__free(t->ctx, c->name);
		cf__free(t->ctx, values);
		cf__free(t->ctx, validity);
		cf__free(t->ctx, (void *)dict);
		cf__free(t->ctx, dict_arena);
		return rc;
	}
	c->type = type;
	c->length = length;
	c->values = c->owned_values = values;
	c->validity = validity;
	c->owned_validity = validity;
	c->null_count = null_count;
	c->dict = dict;
	c->dict_size = dict_size;
	c->dict_arena = dict_arena;
	column_commit(t, length);
	return CF_OK;
}

static size_t type_width(cf_type type)
{
	switch (type) {
	case CF_TYPE_FLOAT64: case CF_TYPE_INT64: case CF_TYPE_TIMESTAMP: return 8;
	case CF_TYPE_BOOL: return 1;
	case CF_TYPE_STRING: return 4;
	}
	return 0;
}

/* Copy a dictionary into one arena owned by the column. */
static int dict_copy(cf_table *t, cf__column *c, const char *const *dict, size_t n)
{
	size_t i, total = 0;
	char *p;

	for (i = 0; i < n; i++) {
		if (dict[i] == NULL)
			return cf__error_set(CF_EINVAL, "table: column '%s': dictionary entry %zu is NULL", c->name, i);
		total += strlen(dict[i]) + 1;
	}
	c->dict = cf__malloc(t->ctx, (n ? n : 1) * sizeof *c->dict, "string dictionary");
	c->dict_arena = cf__malloc(t->ctx, total ? total : 1, "string dictionary");
	if (c->dict == NULL || c->dict_arena == NULL)
		return CF_ENOMEM;
	p = c->dict_arena;
	for (i = 0; i < n; i++) {
		size_t len = strlen(dict[i]);
		size_t bad = cf__utf8_invalid_at(dict[i], len);
		if (bad != (size_t)-1)
			return cf__error_set(CF_EINVAL, "table: column '%s': dictionary entry %zu is not valid UTF-8 "
				"(byte %zu)", c->name, i, bad);
		memcpy(p, dict[i], len + 1);
		c->dict[i] = p;
		p += len + 1;
	}
	c->dict_size = n;
	return CF_OK;
}

int cf_table_add_column(cf_table *t, const cf_column_view *col, cf_table_ownership ownership)
{
	cf__column *c = NULL;
	size_t i, n, width, nulls = 0;
	int rc;

	CF__CHECK_ARG(t);
	CF__CHECK_ARG(col);
	n = col->length;
	width = type_width(col->type);
	if (width == 0)
		return cf__error_set(CF_EINVAL, "table: column '%s' has unknown type %d", col->name ? col->name : "",
			(int)col->type);
	if (n > 0 && col->values == NULL)
		return cf__error_set(CF_EINVAL, "table: column '%s' has %zu rows but no values", col->name ? col->name : "",
			n);
	if (ownership != CF_TABLE_BORROW && ownership != CF_TABLE_COPY)
		return cf__error_set(CF_EINVAL, "table: unknown ownership %d", (int)ownership);
	/* Check the contents before allocating anything. */
	if (col->type == CF_TYPE_STRING) {
		const int32_t *codes = col->values;
		if (col->dict == NULL && col->dict_size > 0)
			return cf__error_set(CF_EINVAL, "table: column '%s' has dict_size %zu but no dictionary",
				col->name ? col->name : "", col->dict_size);
		for (i = 0; i < n; i++)
			if (CF_VALID(col->validity, i) && codes[i] >= 0 && (size_t)codes[i] >= col->dict_size)
				return cf__error_set(CF_EINVAL, "table: column '%s' row %zu: code %d is outside the "
					"dictionary of %zu entries", col->name ? col->name : "", i, (int)codes[i], col->dict_size);
	} else if (col->type == CF_TYPE_BOOL) {
		const uint8_t *b = col->values;
		for (i = 0; i < n; i++)
			if (CF_VALID(col->validity, i) && b[i] > 1)
				return cf__error_set(CF_EINVAL, "table: column '%s' row %zu: bool value %u is not 0 or 1",
					col->name ? col->name : "", i, (unsigned)b[i]);
	}
	if ((rc = column_slot(&c, t, col->name, n)) != 0)
		goto fail;
	c->type = col->type;
	c->length = n;
	if (ownership == CF_TABLE_COPY && n > 0) {
		c->owned_values = cf__malloc(t->ctx, n * width, "column values");
		if (c->owned_values == NULL) { rc = CF_ENOMEM; goto fail; }
		memcpy(c->owned_values, col->values, n * width);
		c->values = c->owned_values;
		if (col->validity) {
			c->owned_validity = cf__malloc(t->ctx, CF_BITMAP_BYTES(n), "validity bitmap");
			if (c->owned_validity == NULL) { rc = CF_ENOMEM; goto fail; }
			memcpy(c->owned_validity, col->validity, CF_BITMAP_BYTES(n));
			c->validity = c->owned_validity;
		}
	} else {
		c->values = col->values;
		c->validity = col->validity;
	}
	if (col->type == CF_TYPE_STRING && (rc = dict_copy(t, c, col->dict, col->dict_size)) != 0)
		goto fail;
	for (i = 0; i < n; i++)
		nulls += cf__column_is_null(c, i);
	c->null_count = nulls;
	column_commit(t, n);
	return CF_OK;
fail:
	if (c)
		column_release(t->ctx, c);
	return rc;
}

/* Dictionary-encode through the shared string map: its dense ids in first-appearance order are the codes, and its
 * arena of NUL-terminated keys becomes the column's dictionary storage. */
int cf_table_add_strings(cf_table *t, const char *name, const char *const *values, size_t length)
{
	size_t i, nulls = 0;
	int32_t *codes = NULL;
	const char **dict = NULL;
	uint8_t *validity = NULL;
	char *arena;
	cf__strmap m;
	int rc = CF_ENOMEM;

	CF__CHECK_ARG(t);
	if (length > 0 && values == NULL)
		return cf__error_set(CF_EINVAL, "table: column '%s' has %zu rows but no values", name ? name : "", length);
	if (length > INT32_MAX)
		return cf__error_set(CF_EINVAL, "table: column '%s' has too many rows for int32 codes", name ? name : "");
	cf__strmap_init(&m, t->ctx);
	codes = cf__malloc(t->ctx, (length ? length : 1) * sizeof *codes, "string codes");
	if (codes == NULL)
		goto fail;
	for (i = 0; i < length; i++) {
		const char *s = values[i];
		size_t len, bad;
		uint32_t id;

		if (s == NULL) {
			if (validity == NULL) {
				validity = cf__malloc(t->ctx, CF_BITMAP_BYTES(length), "validity bitmap");
				if (validity == NULL)
					goto fail;
				memset(validity, 0xff, CF_BITMAP_BYTES(length));
			}
			validity[i >> 3] &= (uint8_t)~(1u << (i & 7));
			codes[i] = -1;
			nulls++;
			continue;
		}
		len = strlen(s);
		if ((bad = cf__utf8_invalid_at(s, len)) != (size_t)-1) {
			rc = cf__error_set(CF_EINVAL, "table: column '%s' row %zu: invalid UTF-8 at byte %zu",
				name ? name : "", i, bad);
			goto fail;
		}
		if ((rc = cf__strmap_put(&m, s, len, &id, NULL)) != CF_OK)
			goto fail;
		codes[i] = (int32_t)id;
	}
	rc = CF_ENOMEM;
	dict = cf__malloc(t->ctx, (m.size ? m.size : 1) * sizeof *dict, "string dictionary");
	arena = m.size ? m.arena : cf__malloc(t->ctx, 1, "string dictionary");
	if (dict == NULL || arena == NULL) {
		if (m.size == 0)
			cf__free(t->ctx, arena);
		goto fail;
	}
	for (i = 0; i < m.size; i++)
		dict[i] = arena + m.offsets[i];
	if (m.size)
		m.arena = NULL; /* the table owns it now */
	i = m.size;
	cf__strmap_free(&m);
	return cf__table_add_owned(t, name, CF_TYPE_STRING, length, codes, validity, nulls, dict, i, arena);
fail:
	cf__strmap_free(&m);
	cf__free(t->ctx, codes);
	cf__free(t->ctx, dict);
	cf__free(t->ctx, validity);
	return rc;
}

size_t cf_table_num_rows(const cf_table *t)
{
	return t ? t->num_rows : 0;
}

size_t cf_table_num_columns(const cf_table *t)
{
	return t ? t->ncols : 0;
}

int cf_table_column_index(size_t *out, const cf_table *t, const char *name)
{
	size_t i;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(t);
	CF__CHECK_ARG(name);
	for (i = 0; i < t->ncols; i++)
		if (strcmp(t->cols[i].name, name) == 0) {
			*out = i;
			return CF_OK;
		}
	return cf__error_set(CF_ENOTFOUND, "table: no column named '%s'", name);
}

int cf_table_column(cf_column_view *out, const cf_table *t, size_t index)
{
	const cf__column *c;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(t);
	if (index >= t->ncols)
		return cf__error_set(CF_EINVAL, "table: column index %zu out of range (%zu columns)", index, t->ncols);
	c = &t->cols[index];
	out->name = c->name;
	out->type = c->type;
	out->length = c->length;
	out->values = c->values;
	out->validity = c->validity;
	out->null_count = c->null_count;
	out->dict = (const char *const *)c->dict;
	out->dict_size = c->dict_size;
	return CF_OK;
}

const char *cf_table_column_name(const cf_table *t, size_t index)
{
	return t && index < t->ncols ? t->cols[index].name : NULL;
}
