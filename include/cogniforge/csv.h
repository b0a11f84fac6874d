/**
 * @file cogniforge/csv.h
 * @brief A streaming CSV reader (RFC 4180) producing cf_table chunks in bounded memory.
 *
 * Quoted fields may hold delimiters, doubled quotes and newlines; lines may end in LF or CRLF. Input compressed
 * with gzip, zstd, xz or bzip2 is decompressed transparently (io.h). Column types come from an explicit schema
 * or are inferred from a sample of rows. Fields equal to an NA token (after skip-initial-space) are null.
 * Blank lines are skipped (as pandas does), so the Adult files' trailing blank line is not a row.
 *
 * Errors name the source, the physical line (1-based, counting newlines inside quoted fields), the field
 * (1-based) and the column name: `adult.csv:12: column 3 'fnlwgt': "abc" is not an int64`.
 */
#ifndef COGNIFORGE_CSV_H
#define COGNIFORGE_CSV_H

#include <stddef.h>

#include "cogniforge/types.h"
#include "cogniforge/table.h"

CF_BEGIN_DECL

#define CF_CSV_OPTIONS_VERSION 1

/** Options for cf_csv_open(). Start from CF_CSV_OPTIONS_INIT or cf_csv_options_init(). */
typedef struct cf_csv_options {
	unsigned int version;        /**< CF_CSV_OPTIONS_VERSION */
	char delimiter;              /**< field separator; default ',' */
	char quote;                  /**< quote character; default '"' */
	int header;                  /**< 1 (default): the first row names the columns; 0: it is data */
	const char *const *names;    /**< column names when header is 0 (required then); with a header, they
	                                  replace the file's names (the count must match) */
	size_t names_count;
	int skip_initial_space;      /**< skip spaces after a delimiter (Adult's ", "); default 0 */
	const char *const *na_values;/**< tokens read as null; NULL means the default {"", "NA", "?"} */
	size_t na_count;             /**< number of na_values (0 with a non-NULL list means: no NA tokens) */
	const cf_type *types;        /**< explicit schema, one type per column in file order; NULL: infer */
	size_t types_count;
	size_t infer_rows;           /**< rows sampled for inference; default 10000; 0 means the whole input
	                                  (files only: it is read twice) */
	size_t chunk_rows;           /**< rows per chunk from cf_csv_next(); default 65536 */
	size_t max_field_bytes;      /**< longest field accepted; default 16 MiB (CF_EFORMAT beyond) */
	const char *source_name;     /**< name used in error messages; default: the path, or "<memory>" */
} cf_csv_options;

#define CF_CSV_OPTIONS_INIT \
	{ CF_CSV_OPTIONS_VERSION, ',', '"', 1, NULL, 0, 0, NULL, 0, NULL, 0, 10000, 65536, 16u << 20, NULL }

/** Fill `opts` with the defaults (same as CF_CSV_OPTIONS_INIT). */
CF_API int cf_csv_options_init(cf_csv_options *opts, unsigned int version);

/**
 * Open a CSV file (or "-" for standard input) and settle its schema: reads the header and the inference
 * sample (kept and returned by the first chunks, not lost).
 * @param[out] out the reader, owned by the caller; free it with cf_csv_free()
 * @param opts options, or NULL for the defaults
 * @return 0; CF_ENOTFOUND / CF_EIO for the file; CF_EFORMAT for malformed input (file, line, column named);
 *   CF_EINVAL for bad options
 */
CF_API int cf_csv_open(cf_csv_reader **out, cf_context *ctx, const char *path, const cf_csv_options *opts);

/** As cf_csv_open(), over a memory buffer (not copied: it must outlive the reader). */
CF_API int cf_csv_open_memory(cf_csv_reader **out, cf_context *ctx, const void *data, size_t len,
	const cf_csv_options *opts);

/** Number of columns. */
CF_API size_t cf_csv_num_columns(const cf_csv_reader *reader);

/** Name of column `index` (borrowed; lives as long as the reader), or NULL when out of range. */
CF_API const char *cf_csv_column_name(const cf_csv_reader *reader, size_t index);

/** Type of column `index` (given or inferred), or 0 when out of range. */
CF_API cf_type cf_csv_column_type(const cf_csv_reader *reader, size_t index);

/**
 * Read the next chunk of up to `chunk_rows` rows. String columns are dictionary-encoded per chunk.
 * @param[out] out the chunk, owned by the caller (free it with cf_table_free()); NULL at end of input
 * @return 0; CF_EFORMAT naming file, line and column (ragged row, unterminated quote, invalid UTF-8, NUL byte,
 *   a value that does not parse as its column's type, a field over max_field_bytes); CF_EIO; CF_ENOMEM.
 *   After an error the reader is unusable.
 */
CF_API int cf_csv_next(cf_table **out, cf_csv_reader *reader);

/** Data rows returned so far. */
CF_API size_t cf_csv_rows_read(const cf_csv_reader *reader);

/** Free a reader. NULL is a no-op. */
CF_API void cf_csv_free(cf_csv_reader *reader);

/**
 * Read a whole file into one table (string dictionaries span the whole file).
 * @param[out] out the table, owned by the caller
 */
CF_API int cf_csv_read_all(cf_table **out, cf_context *ctx, const char *path, const cf_csv_options *opts);

CF_END_DECL

#endif /* COGNIFORGE_CSV_H */
