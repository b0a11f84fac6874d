/**
 * @file cogniforge/csv.h
 * @brief A streaming CSV reader (RFC 4180) producing cf_table chunks in bounded memory.
 *
 * Quoted fields may hold delimiters, doubled quotes and newlines; lines may end in LF or CRLF. A quote inside
 * an unquoted field is data (as pandas reads it); after a closing quote only the delimiter or the end of the
 * line may follow. Input compressed with gzip, zstd, xz or bzip2 is decompressed transparently (io.h).
 * Blank lines (empty, or a lone CR) are skipped, as pandas does, so the Adult files' trailing blank line is not
 * a row. Column types come from an explicit schema or are inferred from a sample of rows.
 *
 * Null: a field whose text, after skip-initial-space and unquoting, equals an NA token. So with the default
 * tokens both an empty field and a quoted "" are null. Nulls are cleared bits in Arrow validity bitmaps; a
 * chunk column without nulls has no bitmap.
 *
 * Values: int64 is an optional sign and decimal digits; float64 adds a fraction and an exponent, and
 * "inf"/"infinity"/"nan" in any case. Both allow surrounding spaces and tabs. bool is true/false, True/False or
 * TRUE/FALSE. timestamp is ISO 8601: YYYY-MM-DD, or that plus [T or space]HH:MM[:SS[.fraction]] and an
 * optional Z or +-HH:MM. It is stored as UTC microseconds: no zone means UTC, and digits past the sixth
 * fractional one are dropped. Inference picks the first type that every non-null sampled value parses as, in
 * the order int64, float64, bool, timestamp, else string. A column with no non-null sampled value is float64
 * (as pandas).
 *
 * Header names: an empty one becomes "Unnamed: <index>" and a repeated one "<name>.1", "<name>.2", ... (as
 * pandas).
 *
 * Memory: input is read through a 1 MiB buffer that grows only to hold one row. A chunk's arrays hold
 * chunk_rows rows, and string dictionaries are per chunk. Until the first chunk is read, the inference
 * sample's bytes are also kept.
 *
 * Errors name the source, the physical line (1-based, counting newlines inside quoted fields; for a value, the
 * line its field starts on), the field (1-based) and the column name:
 * `adult.csv:12: column 3 'fnlwgt': "abc" is not a valid int64 (type inferred from the first 10000 rows; ...)`.
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
	const char *const *na_values;/**< tokens read as null, matched against the field's text after unquoting;
	                                  NULL means the default {"", "NA", "?"} (a given list replaces it) */
	size_t na_count;             /**< number of na_values (0 with a non-NULL list means: no NA tokens) */
	const cf_type *types;        /**< explicit schema, one type per column in file order; NULL: infer */
	size_t types_count;
	size_t infer_rows;           /**< rows sampled for inference; default 10000; 0 means the whole input
	                                  (a file is then read twice; standard input is CF_EINVAL) */
	size_t chunk_rows;           /**< rows per chunk from cf_csv_next(); default 65536; at least 1 */
	size_t max_field_bytes;      /**< longest field accepted, in bytes between its quotes (doubled quotes
	                                  count twice); default 16 MiB (CF_EFORMAT beyond); at least 1 */
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
 * @return 0; CF_ENOTFOUND / CF_EIO for the file; CF_EFORMAT for malformed input (file, line, column named),
 *   including an empty input when header is 1; CF_EINVAL for bad options (header 0 without names, repeated
 *   names, delimiter equal to the quote, CR or LF as either, ...) or when names or types do not match the
 *   header's field count; CF_EVERSION for an unknown options version
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
 * @param[out] out the chunk, owned by the caller (free it with cf_table_free()); NULL at end of input. A chunk
 *   is never empty: input without data rows gives NULL at once (cf_csv_read_all() gives a zero-row table).
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
 * Read a whole file into one table (string dictionaries span the whole file). `opts->chunk_rows` is ignored.
 * Input without data rows gives a table with the columns and zero rows.
 * @param[out] out the table, owned by the caller
 * @return as cf_csv_open() and cf_csv_next()
 */
CF_API int cf_csv_read_all(cf_table **out, cf_context *ctx, const char *path, const cf_csv_options *opts);

CF_END_DECL

#endif /* COGNIFORGE_CSV_H */
