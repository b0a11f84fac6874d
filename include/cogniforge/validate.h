/**
 * @file cogniforge/validate.h
 * @brief Great Expectations suites evaluated natively: same verdicts, same result JSON, streaming.
 *
 * Suites are Great Expectations (GX) JSON in either spelling (0.x `expectation_suite_name`/`expectation_type`/
 * `evaluation_parameters`, 1.x `name`/`type`/`suite_parameters`, or a mix, as GX itself accepts). A
 * validation consumes a table, or a stream of table chunks from the CSV reader in bounded memory, and yields
 * GX's validation-result JSON (the spelling of the suite it ran) and JUnit XML.
 *
 * Semantics follow GX 1.x on pandas (docs/validation.md lists every expectation and its kwargs):
 * - map expectations count unexpected values among non-null rows, and `mostly` passes when
 *   (considered - unexpected) / considered >= mostly, an empty domain passing;
 * - null is a validity bit of 0, a float NaN or a negative string code;
 * - aggregate expectations report `observed_value`; inclusive bounds unless strict_min/strict_max;
 * - a kwarg may be `{"$PARAMETER": "name"}` or `{"$PARAMETER": "now() - timedelta(hours=24)"}`.
 * Memory: O(columns) per chunk, plus O(distinct values) for expectations that need them (unique, median,
 * distinct-value sets, compound uniqueness, proportion of unique values) and O(rows) only for result_format
 * COMPLETE's unexpected lists.
 */
#ifndef COGNIFORGE_VALIDATE_H
#define COGNIFORGE_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/types.h"
#include "cogniforge/table.h"
#include "cogniforge/csv.h"
#include "cogniforge/stats.h"

CF_BEGIN_DECL

/**
 * Load a suite from a JSON file.
 * @param[out] out the suite, owned by the caller; free with cf_suite_free()
 * @return 0; CF_ENOTFOUND/CF_EIO for the file; CF_EFORMAT for malformed JSON (line and column named) or a
 *   malformed suite (the expectation index and kwarg named, e.g. a `mostly` that is not a number in [0, 1])
 */
CF_API int cf_suite_load(cf_suite **out, cf_context *ctx, const char *path);

/** As cf_suite_load(), from a JSON text of `len` bytes; `source_name` (may be NULL) names it in errors. */
CF_API int cf_suite_parse(cf_suite **out, cf_context *ctx, const char *json, size_t len, const char *source_name);

/** Free a suite. NULL is a no-op. */
CF_API void cf_suite_free(cf_suite *suite);

/** The suite's name (borrowed). */
CF_API const char *cf_suite_name(const cf_suite *suite);

/** Number of expectations. */
CF_API size_t cf_suite_size(const cf_suite *suite);

/** The type of expectation `index` (borrowed), or NULL when out of range. */
CF_API const char *cf_suite_expectation_type(const cf_suite *suite, size_t index);

/** Suite JSON spellings. */
typedef enum cf_ge_spelling {
	CF_GE_SPELLING_AUTO = 0, /**< the spelling the suite was written in (1.x for a mix or a new suite) */
	CF_GE_SPELLING_V0 = 1,   /**< 0.x: expectation_suite_name, expectation_type, evaluation_parameters */
	CF_GE_SPELLING_V1 = 2    /**< 1.x: name, type, suite_parameters */
} cf_ge_spelling;

/** Write the suite as GX JSON (GX loads what this writes). */
CF_API int cf_suite_to_json(cf_buf *out, const cf_suite *suite, cf_ge_spelling spelling);

/** GX result formats (the per-expectation `result_format` kwarg overrides the run's). */
typedef enum cf_result_format {
	CF_RESULT_FORMAT_BOOLEAN_ONLY = 0,
	CF_RESULT_FORMAT_BASIC = 1,
	CF_RESULT_FORMAT_SUMMARY = 2,  /**< the default, as in GX 1.x */
	CF_RESULT_FORMAT_COMPLETE = 3
} cf_result_format;

#define CF_VALIDATE_OPTIONS_VERSION 1

/** Options for a validation. Start from CF_VALIDATE_OPTIONS_INIT. */
typedef struct cf_validate_options {
	unsigned int version;           /**< CF_VALIDATE_OPTIONS_VERSION */
	int skip_unknown;               /**< 1: an unknown expectation type is reported as skipped (counted
	                                     apart, and the run does not succeed); 0 (default): an error */
	int64_t now_us;                 /**< the time now() returns, microseconds since the epoch, UTC; 0: clock */
	cf_result_format result_format; /**< default CF_RESULT_FORMAT_SUMMARY */
	const char *parameters_json;    /**< a JSON object of suite parameters, overriding the suite's own */
	cf_ge_spelling spelling;        /**< result JSON spelling; AUTO follows the suite */
	size_t partial_unexpected_count;/**< length of partial_unexpected_list; default 20 */
} cf_validate_options;

#define CF_VALIDATE_OPTIONS_INIT \
	{ CF_VALIDATE_OPTIONS_VERSION, 0, 0, CF_RESULT_FORMAT_SUMMARY, NULL, CF_GE_SPELLING_AUTO, 20 }

/** Fill `opts` with the defaults (same as CF_VALIDATE_OPTIONS_INIT). @return 0 or CF_EVERSION */
CF_API int cf_validate_options_init(cf_validate_options *opts, unsigned int version);

/**
 * Start a validation. Parameters are resolved here, so a bad `$PARAMETER` expression fails early.
 * @param[out] out the validation, owned by the caller; free with cf_validation_free()
 * @param suite the suite; it must outlive the validation
 * @param opts options, or NULL for the defaults
 * @return 0; CF_EINVAL (an unknown expectation type without skip_unknown, naming it and its index; an
 *   unresolvable parameter; a kwarg of the wrong type); CF_ENOMEM
 */
CF_API int cf_validation_begin(cf_validation **out, cf_context *ctx, const cf_suite *suite,
	const cf_validate_options *opts);

/**
 * Feed a chunk of rows. Every chunk must have the same columns (names and types) as the first.
 * @return 0; CF_EINVAL when the chunk's schema changed; CF_ENOMEM
 */
CF_API int cf_validation_update(cf_validation *validation, const cf_table *chunk);

/**
 * Finish: compute the verdicts. After this, read the results; further updates are CF_EINVAL.
 * A column an expectation names but the data lacks is a failed expectation with `exception_info`
 * (as GX reports it), not an error.
 */
CF_API int cf_validation_finish(cf_validation *validation);

/** Free a validation. NULL is a no-op. */
CF_API void cf_validation_free(cf_validation *validation);

/** Suite-level outcome of a finished validation. */
typedef struct cf_validation_summary {
	int success;                 /**< 1 when every evaluated expectation passed (and none was skipped) */
	size_t evaluated;            /**< expectations evaluated */
	size_t successful;
	size_t unsuccessful;
	size_t skipped;              /**< unknown types skipped under skip_unknown */
	uint64_t rows;               /**< rows validated */
} cf_validation_summary;

/** @return 0, or CF_EINVAL before cf_validation_finish() */
CF_API int cf_validation_get_summary(cf_validation_summary *out, const cf_validation *validation);

/** One expectation's outcome: a plain record whose pointers live as long as the validation. */
typedef struct cf_expectation_result {
	const char *type;            /**< expectation type */
	const char *column;          /**< the `column` kwarg, or NULL */
	int success;
	int skipped;                 /**< unknown type, skipped */
	int raised_exception;        /**< e.g. a missing column */
	const char *exception_message; /**< NULL unless raised_exception or skipped */
	uint64_t element_count;      /**< map expectations: rows */
	uint64_t missing_count;
	uint64_t unexpected_count;
	int has_observed_value;      /**< aggregate expectations */
	double observed_value;       /**< numeric observed value (NaN when the observed value is not a number) */
	const char *observed_json;   /**< the observed value as JSON (numbers, strings, lists), or NULL */
} cf_expectation_result;

/** Number of results (= cf_suite_size()). */
CF_API size_t cf_validation_result_count(const cf_validation *validation);

/** @return 0, or CF_EINVAL when out of range or not finished */
CF_API int cf_validation_result(cf_expectation_result *out, const cf_validation *validation, size_t index);

/** The GX validation-result JSON (success, statistics, results[], meta...). */
CF_API int cf_validation_to_json(cf_buf *out, const cf_validation *validation);

/** JUnit XML: one testsuite named after the suite, one testcase per expectation, failures with details. */
CF_API int cf_validation_to_junit(cf_buf *out, const cf_validation *validation);

/** One call: validate a whole table. */
CF_API int cf_validate_table(cf_validation **out, cf_context *ctx, const cf_suite *suite, const cf_table *table,
	const cf_validate_options *opts);

/**
 * One call: stream a CSV file through a validation in bounded memory.
 * @return as cf_csv_open()/cf_csv_next() for bad input (file, line, column named), else as above
 */
CF_API int cf_validate_csv(cf_validation **out, cf_context *ctx, const cf_suite *suite, const char *path,
	const cf_csv_options *csv_opts, const cf_validate_options *opts);

/**
 * Evaluate a suite on merged partial statistics instead of rows (scale-out). Table-level and aggregate
 * expectations (row count, columns, min/max/mean/stdev/sum, null counts with `mostly`, distinct sets while
 * exact, median and quantiles from the sketch within its rank error, unique value counts/proportions from the
 * distinct estimate) are evaluated; row-level ones that need the values (regex, unique, pairs, between with
 * mostly < 1...) are reported as skipped with the reason.
 */
CF_API int cf_validate_stats(cf_validation **out, cf_context *ctx, const cf_suite *suite, const cf_stats *stats,
	const cf_validate_options *opts);

#define CF_PROFILE_OPTIONS_VERSION 1

/** Options for cf_profile(). Start from CF_PROFILE_OPTIONS_INIT. */
typedef struct cf_profile_options {
	unsigned int version;       /**< CF_PROFILE_OPTIONS_VERSION */
	const char *suite_name;     /**< default "profiled" */
	size_t max_value_set;       /**< columns with at most this many distinct values get a value set; default 50 */
	double row_count_tolerance; /**< row count band is n*(1 -/+ tol); default 0.5 */
	double null_slack;          /**< `mostly` for not-null is the observed non-null fraction minus this; 0.01 */
	cf_ge_spelling spelling;    /**< default CF_GE_SPELLING_V1 */
} cf_profile_options;

#define CF_PROFILE_OPTIONS_INIT { CF_PROFILE_OPTIONS_VERSION, NULL, 50, 0.5, 0.01, CF_GE_SPELLING_V1 }

/** Fill `opts` with the defaults (same as CF_PROFILE_OPTIONS_INIT). @return 0 or CF_EVERSION */
CF_API int cf_profile_options_init(cf_profile_options *opts, unsigned int version);

/**
 * Infer a suite from a reference dataset's statistics: columns in order, types, not-null with `mostly`,
 * ranges of numeric and timestamp columns, value sets of low-cardinality columns, string lengths, and a
 * row-count band. The result is GX JSON that cf_suite_parse() and GX both load.
 */
CF_API int cf_profile(cf_buf *out, const cf_stats *stats, const cf_profile_options *opts);

CF_END_DECL

#endif /* COGNIFORGE_VALIDATE_H */
