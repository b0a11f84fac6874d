/**
 * @file cogniforge/table.h
 * @brief Columnar tables: typed columns with validity bitmaps, built from caller arrays without copying.
 *
 * A table is an ordered list of named columns of equal length. Each column holds one type:
 *
 * | type                 | values array                    | null                                    |
 * |----------------------|---------------------------------|-----------------------------------------|
 * | CF_TYPE_FLOAT64      | `double[length]`                | validity bit 0 (a NaN is also treated as missing by validation, as pandas does) |
 * | CF_TYPE_INT64        | `int64_t[length]`               | validity bit 0                          |
 * | CF_TYPE_BOOL         | `uint8_t[length]`, 0 or 1       | validity bit 0                          |
 * | CF_TYPE_STRING       | `int32_t[length]` codes into a dictionary of UTF-8 strings | validity bit 0 (or a negative code) |
 * | CF_TYPE_TIMESTAMP    | `int64_t[length]`, microseconds since 1970-01-01T00:00:00Z | validity bit 0 |
 *
 * The validity bitmap follows Apache Arrow: bit `i % 8` of byte `i / 8` (least significant bit first) is 1
 * when row i holds a value. A NULL bitmap means every row is valid. Bools take one byte per value so that a
 * numpy `bool_` array can be borrowed as is.
 *
 * Ownership: columns added with CF_TABLE_BORROW point at the caller's arrays, which must stay alive and
 * unchanged until the table is freed (the documented exception to "the library keeps no pointer to a caller's
 * buffer"). CF_TABLE_COPY copies them. Tables built by the library (the CSV reader) own their memory.
 *
 * A table is immutable once built and may then be read from several threads.
 */
#ifndef COGNIFORGE_TABLE_H
#define COGNIFORGE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/types.h"

CF_BEGIN_DECL

/** Column types. The values are stable (they appear in serialised statistics). */
typedef enum cf_type {
	CF_TYPE_FLOAT64 = 1,
	CF_TYPE_INT64 = 2,
	CF_TYPE_BOOL = 3,
	CF_TYPE_STRING = 4,
	CF_TYPE_TIMESTAMP = 5
} cf_type;

/** The lower-case name of a type: "float64", "int64", "bool", "string", "timestamp"; "unknown" otherwise. */
CF_API const char *cf_type_name(cf_type type);

/**
 * Parse a type name: the names above, plus the aliases "double"/"float" (float64), "int"/"integer" (int64),
 * "boolean", "str"/"category"/"categorical" (string) and "datetime" (timestamp). Case-insensitive.
 * @return 0, or CF_EINVAL naming the unknown type
 */
CF_API int cf_type_from_name(cf_type *out, const char *name);

/** True when bit `i` of an Arrow validity bitmap is set (a NULL bitmap means all valid). */
#define CF_VALID(bitmap, i) ((bitmap) == NULL || (((bitmap)[(i) >> 3] >> ((i) & 7)) & 1))

/** Bytes needed for a validity bitmap of `n` rows. */
#define CF_BITMAP_BYTES(n) (((n) + 7) / 8)

/** How cf_table_add_column() treats the caller's arrays. */
typedef enum cf_table_ownership {
	CF_TABLE_BORROW = 0, /**< point at them: no copy; they must outlive the table */
	CF_TABLE_COPY = 1    /**< copy them into memory the table owns */
} cf_table_ownership;

/** A column as the caller hands it in (and as cf_table_column() hands it back). A plain record. */
typedef struct cf_column_view {
	const char *name;            /**< column name, UTF-8 */
	cf_type type;
	size_t length;               /**< rows */
	const void *values;          /**< the values array (see the table above); may be NULL when length is 0 */
	const uint8_t *validity;     /**< Arrow validity bitmap, or NULL when every row is valid */
	size_t null_count;           /**< null rows: validity bit 0, a float NaN or a negative string code (computed
	                                  by the table; ignored on input) */
	/* CF_TYPE_STRING only: the dictionary the int32 codes index. */
	const char *const *dict;     /**< dict_size NUL-terminated UTF-8 strings */
	size_t dict_size;
} cf_column_view;

/**
 * Create an empty table.
 * @param[out] out the table, owned by the caller; free it with cf_table_free()
 * @param ctx the context whose allocator the table uses (may be NULL)
 */
CF_API int cf_table_create(cf_table **out, cf_context *ctx);

/** Free a table and whatever it owns (borrowed arrays are left alone). NULL is a no-op. */
CF_API void cf_table_free(cf_table *table);

/**
 * Append a column.
 *
 * String codes must lie in [0, dict_size) for valid rows (a negative code is read as null); the dictionary is
 * always copied, whatever the ownership, and its entries need not be unique. Bool values must be 0 or 1.
 * @param column the column; `null_count` is ignored and recomputed
 * @return 0; CF_EINVAL for a duplicate or empty name, a length different from the table's, an unknown type, an
 *   out-of-range code or a bool that is not 0/1 (the message names the column and row); CF_ENOMEM
 */
CF_API int cf_table_add_column(cf_table *table, const cf_column_view *column, cf_table_ownership ownership);

/**
 * Append a string column from an array of C strings, dictionary-encoding it (a copy). A NULL entry is null.
 * @return 0, CF_EINVAL (duplicate name, length mismatch, invalid UTF-8 naming the row) or CF_ENOMEM
 */
CF_API int cf_table_add_strings(cf_table *table, const char *name, const char *const *values, size_t length);

/** Number of rows (0 for a table without columns). */
CF_API size_t cf_table_num_rows(const cf_table *table);

/** Number of columns. */
CF_API size_t cf_table_num_columns(const cf_table *table);

/**
 * Find a column by name.
 * @param[out] out its index
 * @return 0, or CF_ENOTFOUND naming the column
 */
CF_API int cf_table_column_index(size_t *out, const cf_table *table, const char *name);

/**
 * Describe column `index`. The pointers in the view are borrowed and live as long as the table.
 * @return 0, or CF_EINVAL for an index out of range
 */
CF_API int cf_table_column(cf_column_view *out, const cf_table *table, size_t index);

/** The name of column `index` (borrowed), or NULL when out of range. */
CF_API const char *cf_table_column_name(const cf_table *table, size_t index);

CF_END_DECL

#endif /* COGNIFORGE_TABLE_H */
