/**
 * @file cogniforge/stats.h
 * @brief Mergeable per-column statistics (TFDV-style partials) for validating data across shards.
 *
 * A cf_stats accumulates chunks of one table schema. Each column keeps exact fields (rows, nulls, min, max,
 * sum, mean and M2 merged with the parallel formula of Chan et al., string length range) and sketches:
 * a HyperLogLog distinct count, exact value counts while a column has few distinct values (they make distinct
 * sets and top-k exact for categorical columns), a Misra-Gries top-k, and a KLL quantile sketch. Two partials
 * of the same schema merge into what one pass over both shards would give: exact fields equal (floating-point
 * sums up to rounding), sketches within their stated error. Partials serialise to msgpack.
 *
 * A float64 NaN counts as null (pandas semantics), in line with validate.h.
 */
#ifndef COGNIFORGE_STATS_H
#define COGNIFORGE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/types.h"
#include "cogniforge/table.h"

CF_BEGIN_DECL

#define CF_STATS_OPTIONS_VERSION 1

/** Options for cf_stats_create(). Start from CF_STATS_OPTIONS_INIT. */
typedef struct cf_stats_options {
	unsigned int version;      /**< CF_STATS_OPTIONS_VERSION */
	unsigned int hll_precision;/**< HyperLogLog registers = 2^p, p in [4, 18]; default 14 (std. error 0.81%) */
	size_t exact_distinct_max; /**< exact value counts are kept while a column has at most this many distinct
	                                values; default 1000 */
	size_t topk;               /**< Misra-Gries counters per column; default 100 */
	unsigned int kll_k;        /**< KLL sketch size parameter; default 200 (rank error about 1.65%, 99% conf.) */
	uint64_t seed;             /**< seed of the KLL compaction coin; default 0 */
} cf_stats_options;

#define CF_STATS_OPTIONS_INIT { CF_STATS_OPTIONS_VERSION, 14, 1000, 100, 200, 0 }

/** Fill `opts` with the defaults (same as CF_STATS_OPTIONS_INIT). @return 0 or CF_EVERSION */
CF_API int cf_stats_options_init(cf_stats_options *opts, unsigned int version);

/**
 * Create empty statistics. The first cf_stats_update() fixes the column names and types.
 * @param[out] out the statistics, owned by the caller; free with cf_stats_free()
 * @param opts options, or NULL for the defaults
 */
CF_API int cf_stats_create(cf_stats **out, cf_context *ctx, const cf_stats_options *opts);

/** Free statistics. NULL is a no-op. */
CF_API void cf_stats_free(cf_stats *stats);

/**
 * Add a chunk of rows. A chunk with columns but no rows still fixes the schema. A chunk whose schema differs
 * changes nothing; after CF_ENOMEM the statistics are partly updated and should be freed.
 * @return 0; CF_EINVAL when the chunk's column names or types differ from earlier chunks (named); CF_ENOMEM
 */
CF_API int cf_stats_update(cf_stats *stats, const cf_table *chunk);

/**
 * Merge `src` into `dst`, as if dst had also seen src's rows (after them). A `dst` without a schema yet adopts
 * src's; an `src` without one changes nothing; `dst == src` doubles. Options must agree on hll_precision,
 * exact_distinct_max, topk and kll_k (the seed may differ). The result depends only on the contents of both,
 * so a partial read back with cf_stats_from_msgpack() merges exactly like the original.
 * @return 0; CF_EINVAL when schemas or sketch options differ (named), nothing changed; CF_ENOMEM (dst partly
 *   merged)
 */
CF_API int cf_stats_merge(cf_stats *dst, const cf_stats *src);

/** Serialise to msgpack (format documented in docs/formats.md), appended to `out`. */
CF_API int cf_stats_to_msgpack(cf_buf *out, const cf_stats *stats);

/**
 * Deserialise from msgpack.
 * @return 0; CF_EFORMAT for malformed or truncated input (what and where); CF_EVERSION for a newer format
 */
CF_API int cf_stats_from_msgpack(cf_stats **out, cf_context *ctx, const void *data, size_t len);

/**
 * Render as JSON, appended to `out`: rows, options, quantile_rank_error, and per column name, type, count,
 * null_count, min, max (strings for string columns, with min_length/max_length), mean, stdev (ddof 1), sum,
 * distinct, distinct_exact, distinct_rel_error, top_values (at most 20, with `error` when not exact) and
 * quantiles 0.01/0.25/0.5/0.75/0.99. Values that do not exist (NaN) are null.
 */
CF_API int cf_stats_to_json(cf_buf *out, const cf_stats *stats);

/** Rows seen. */
CF_API uint64_t cf_stats_num_rows(const cf_stats *stats);

/** Columns (0 before the first update). */
CF_API size_t cf_stats_num_columns(const cf_stats *stats);

/** One value and its count, from the exact counts or the top-k sketch. */
typedef struct cf_stats_value_count {
	const char *string;  /**< for string columns (borrowed), else NULL */
	double number;       /**< for numeric, bool (0/1) and timestamp (microseconds) columns */
	uint64_t count;      /**< exact count, or the Misra-Gries lower bound */
	uint64_t error;      /**< 0 when exact; else the count may be up to count + error */
} cf_stats_value_count;

/** A column's statistics: a plain record whose pointers live until the next call on the cf_stats. */
typedef struct cf_column_stats {
	const char *name;
	cf_type type;
	uint64_t count;            /**< rows */
	uint64_t null_count;       /**< null rows (NaN included) */
	double min, max;           /**< over non-null values of numeric, bool and timestamp columns; NaN if none */
	double sum;                /**< sum of non-null values (numeric, bool); NaN for string columns */
	double mean;               /**< mean of non-null values; NaN if none and for string columns */
	double m2;                 /**< sum of squared deviations from the mean (variance = m2 / (n - 1)); NaN for
	                                string columns */
	uint64_t min_length, max_length; /**< string columns: shortest and longest value in UTF-8 code points */
	const char *min_string, *max_string; /**< string columns: lexicographic (byte order) minimum and maximum;
	                                          NULL if none */
	double distinct;           /**< distinct non-null values: exact when distinct_exact, else the HLL estimate */
	int distinct_exact;        /**< 1 when the exact value counts are still held */
	double distinct_rel_error; /**< standard error of the estimate (1.04 / sqrt(2^p)); 0 when exact */
	const cf_stats_value_count *values; /**< all values with exact counts (distinct_exact), most frequent first,
	                                         ties by value; else the top-k candidates with error bounds */
	size_t values_count;
	int64_t min_int, max_int;  /**< int64, bool and timestamp columns: the exact minimum and maximum (0 if none);
	                                min and max above are these as doubles, which round beyond 2^53 */
} cf_column_stats;

/** Describe column `index`. @return 0, or CF_EINVAL when out of range */
CF_API int cf_stats_column(cf_column_stats *out, const cf_stats *stats, size_t index);

/** Find a column by name. @return 0, or CF_ENOTFOUND */
CF_API int cf_stats_column_index(size_t *out, const cf_stats *stats, const char *name);

/**
 * The q-quantile (q in [0, 1]) of a numeric, bool or timestamp column. While the column's exact value counts are
 * held (distinct_exact) it is exact, as numpy's "nearest" method: the value at sorted position q·(n-1) rounded
 * half to even, so merged shards agree with one pass. Otherwise it is estimated from the KLL sketch: the returned
 * value's rank is within cf_stats_quantile_rank_error() of q·n.
 * @return 0; CF_EINVAL (bad column or q, or a string column); CF_ENOTFOUND when the column has no values
 */
CF_API int cf_stats_quantile(double *out, const cf_stats *stats, size_t column, double q);

/**
 * The normalised rank error bound of the quantile sketch (for the options in use): 2.446 / k^0.9433, Apache
 * DataSketches' double-sided KLL bound at 99% confidence, e.g. 0.0165 for k = 200. NaN for NULL.
 */
CF_API double cf_stats_quantile_rank_error(const cf_stats *stats);

CF_END_DECL

#endif /* COGNIFORGE_STATS_H */
