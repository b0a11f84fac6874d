/* Private structures of the validation module, shared by validate_suite.c (suites and parameters),
 * validate.c (evaluation) and validate_report.c (result JSON, JUnit, profiling). */
#ifndef CF_SRC_VALIDATE_H
#define CF_SRC_VALIDATE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>
#include <stdint.h>

#include "cogniforge/validate.h"
#include "context.h"
#include "table.h"
#include "vmap.h"

struct cf_suite {
	cf_context *ctx;
	json_t *root;              /* the document as loaded */
	json_t *expectations;      /* borrowed from root: array of objects */
	char *name;
	cf_ge_spelling spelling;   /* what the file used (V0 only when it never used a 1.x key) */
	char *source;              /* file name for messages */
};

/* A value computed from a `$PARAMETER` expression. */
typedef enum cf__pval_kind { CF__PVAL_NUMBER, CF__PVAL_DATETIME, CF__PVAL_TIMEDELTA, CF__PVAL_JSON } cf__pval_kind;

typedef struct cf__pval {
	cf__pval_kind kind;
	double number;
	int64_t us;                /* datetime: microseconds since the epoch (UTC); timedelta: microseconds */
	json_t *json;              /* CF__PVAL_JSON: a parameter's JSON value (borrowed) */
} cf__pval;

/* Evaluate a GX parameter expression (`now() - timedelta(hours=24)`, `name`, `name * 0.9`, ...).
 * `params` is a JSON object of parameter values. Returns 0 or CF_EINVAL with a message naming `where`. */
int cf__param_eval(cf__pval *out, const char *expr, const json_t *params, int64_t now_us, const char *where);

/* Replace every {"$PARAMETER": ...} in a copy of `kwargs`. Datetimes become ISO-8601 strings. Returns a new
 * reference or NULL with the error recorded. */
json_t *cf__kwargs_resolve(const json_t *kwargs, const json_t *params, int64_t now_us, const char *where);

/* ISO-8601 parsing and formatting of UTC microseconds (the CSV reader's formats). */
int cf__parse_iso8601(int64_t *out, const char *s, size_t len);
void cf__format_iso8601(char out[40], int64_t us);

/* Python's repr() of a float (shortest round trip, ".0" for integral values). */
void cf__format_double(char out[32], double v);

#endif

/* ---- evaluation state (validate.c), read by validate_report.c ---- */

typedef enum cf__exp_kind { CF__K_TABLE, CF__K_MAP, CF__K_AGG, CF__K_PAIR, CF__K_MULTI } cf__exp_kind;

typedef enum cf__exp_op {
	/* table */
	OP_ROW_COUNT_BETWEEN, OP_ROW_COUNT_EQUAL, OP_COLUMNS_ORDERED, OP_COLUMNS_SET, OP_COLUMN_EXISTS,
	OP_COLCOUNT_BETWEEN, OP_COLCOUNT_EQUAL,
	/* map */
	OP_NOT_NULL, OP_NULL, OP_BETWEEN, OP_IN_SET, OP_NOT_IN_SET, OP_REGEX, OP_NOT_REGEX, OP_REGEX_LIST,
	OP_NOT_REGEX_LIST, OP_UNIQUE, OP_LEN_BETWEEN, OP_LEN_EQUAL,
	/* aggregate */
	OP_MIN, OP_MAX, OP_MEAN, OP_MEDIAN, OP_STDEV, OP_SUM, OP_PROP_UNIQUE, OP_UNIQUE_COUNT, OP_DISTINCT_IN,
	OP_DISTINCT_CONTAIN, OP_DISTINCT_EQUAL, OP_MOST_COMMON, OP_QUANTILES, OP_OF_TYPE, OP_IN_TYPE_LIST,
	/* pair / multicolumn */
	OP_PAIR_GT, OP_PAIR_EQUAL, OP_COMPOUND_UNIQUE, OP_MULTI_SUM, OP_SELECT_UNIQUE
} cf__exp_op;

typedef struct cf__bound {
	int present, strict;
	double num;
	int64_t ts;
	const char *str;
	int kind;                  /* 0 number, 1 timestamp, 2 string */
} cf__bound;

/* Distinct values with counts: strings by content, other types by a 64-bit key. */
typedef struct cf__valcount {
	int strings;
	cf__strmap s;
	cf__u64map u;
	uint64_t *counts;
	uint64_t *first_row;       /* row of each value's first occurrence */
	size_t cap;
} cf__valcount;

typedef struct cf__exp_state cf__exp_state;

typedef struct cf__exp_def {
	const char *type;
	cf__exp_kind kind;
	cf__exp_op op;
} cf__exp_def;

struct cf__exp_state {
	size_t index;
	const char *type;
	const cf__exp_def *def;
	json_t *kwargs;             /* parameters resolved */
	cf_result_format fmt;
	size_t pcount;              /* partial_unexpected_count */
	double mostly;
	/* domain */
	const char *column, *column_b;
	int col, col_b;
	const char **cols;
	int *col_idx;
	size_t ncols;
	int ignore_mode;            /* pair: 0 both, 1 either, 2 neither; multi: 0 all, 1 any, 2 never */
	/* success kwargs */
	cf__bound lo, hi;
	json_t *value_set;
	cf__strmap set_s;
	double *set_num;
	size_t set_num_n;
	int64_t *set_ts;
	size_t set_ts_n;
	pcre2_code **re;
	size_t nre;
	int match_all;
	pcre2_match_data *md;
	int64_t len_value;
	int or_equal;
	double sum_total;
	/* outcome of binding or evaluation problems: reported as GX's exception_info */
	char *exception;
	int skipped;
	/* counters */
	uint64_t element_count, missing, unexpected;
	json_t *partial, *partial_idx, *all_list, *all_idx;
	/* aggregates */
	uint64_t n;
	double mean, m2, dsum;
	int64_t isum;
	int isum_overflow;
	double dmin, dmax;
	int64_t imin, imax;
	char *smin, *smax;
	cf__valcount vc;
	int need_vc;
	uint64_t *extra;           /* unique/compound: (id, row) pairs of repeated occurrences */
	size_t extra_n, extra_cap;
	/* per-chunk cache for string columns */
	int8_t *verdict;
	size_t verdict_cap;
	/* results */
	int success;
	json_t *observed;
	json_t *details;
	json_t *extra_result;       /* more keys for the result object (distinct-value set checks) */
	char *observed_text;        /* observed_value as JSON, for cf_expectation_result (malloc'd by jansson) */
	int map_shaped;             /* an aggregate reported in the map shape (type checks on object columns) */
};

/* Helpers shared by validate.c and validate_finish.c. */
size_t cf__vc_size(const cf__valcount *vc);
double cf__key_number(cf_type type, uint64_t k);
json_t *cf__key_json(cf_type type, uint64_t k);
int cf__bound_ok_num(const cf__bound *lo, const cf__bound *hi, double x);
int cf__bound_ok_ts(const cf__bound *lo, const cf__bound *hi, int64_t x);
int cf__bound_ok_str(const cf__bound *lo, const cf__bound *hi, const char *x);
int cf__find_col(const cf_validation *v, const char *name);
int cf__schema_set(cf_validation *v, const cf_table *t);
int cf__unexpected_value(cf__exp_state *e, const cf__column *c, size_t i, const char *s);
int cf__vc_register(cf__valcount *vc, cf_context *ctx, uint32_t id);
int cf__bind_bound(cf_validation *v, cf__exp_state *e, cf__bound *b, const char *kw, const char *skw, cf_type t,
	int numeric_only);

struct cf_validation {
	cf_context *ctx;
	const cf_suite *suite;
	cf_validate_options opts;
	json_t *params;            /* merged suite + option parameters */
	size_t n;
	cf__exp_state **exps;
	int started, finished;
	uint64_t rows;
	size_t ncols;
	char **col_names;
	cf_type *col_types;
	cf_validation_summary summary;
	cf_expectation_result *results;
	int from_stats;
	const cf_stats *stats;
};

/* validate_report.c */
int cf__validation_build_results(cf_validation *v);

/* Values of one expectation for the report (defined in validate.c). */
json_t *cf__exp_result_json(cf__exp_state *e, int *success, json_t **exception_info);
json_t *cf__exp_config_json(const cf_validation *v, size_t i);
void cf__exp_summary(cf__exp_state *e, cf_expectation_result *out);
