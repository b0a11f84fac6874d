/* Evaluating expectation suites over tables or streams of chunks (GX 1.x pandas semantics, see validate.h). */

#include "validate.h"
#include "csv.h"

#include <math.h>
#include <stdarg.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>


static const cf__exp_def defs[] = {
	{"expect_table_row_count_to_be_between", CF__K_TABLE, OP_ROW_COUNT_BETWEEN},
	{"expect_table_row_count_to_equal", CF__K_TABLE, OP_ROW_COUNT_EQUAL},
	{"expect_table_columns_to_match_ordered_list", CF__K_TABLE, OP_COLUMNS_ORDERED},
	{"expect_table_columns_to_match_set", CF__K_TABLE, OP_COLUMNS_SET},
	{"expect_column_to_exist", CF__K_TABLE, OP_COLUMN_EXISTS},
	{"expect_table_column_count_to_be_between", CF__K_TABLE, OP_COLCOUNT_BETWEEN},
	{"expect_table_column_count_to_equal", CF__K_TABLE, OP_COLCOUNT_EQUAL},
	{"expect_column_values_to_not_be_null", CF__K_MAP, OP_NOT_NULL},
	{"expect_column_values_to_be_null", CF__K_MAP, OP_NULL},
	{"expect_column_values_to_be_between", CF__K_MAP, OP_BETWEEN},
	{"expect_column_values_to_be_in_set", CF__K_MAP, OP_IN_SET},
	{"expect_column_values_to_not_be_in_set", CF__K_MAP, OP_NOT_IN_SET},
	{"expect_column_values_to_match_regex", CF__K_MAP, OP_REGEX},
	{"expect_column_values_to_not_match_regex", CF__K_MAP, OP_NOT_REGEX},
	{"expect_column_values_to_match_regex_list", CF__K_MAP, OP_REGEX_LIST},
	{"expect_column_values_to_not_match_regex_list", CF__K_MAP, OP_NOT_REGEX_LIST},
	{"expect_column_values_to_be_unique", CF__K_MAP, OP_UNIQUE},
	{"expect_column_value_lengths_to_be_between", CF__K_MAP, OP_LEN_BETWEEN},
	{"expect_column_value_lengths_to_equal", CF__K_MAP, OP_LEN_EQUAL},
	{"expect_column_min_to_be_between", CF__K_AGG, OP_MIN},
	{"expect_column_max_to_be_between", CF__K_AGG, OP_MAX},
	{"expect_column_mean_to_be_between", CF__K_AGG, OP_MEAN},
	{"expect_column_median_to_be_between", CF__K_AGG, OP_MEDIAN},
	{"expect_column_stdev_to_be_between", CF__K_AGG, OP_STDEV},
	{"expect_column_sum_to_be_between", CF__K_AGG, OP_SUM},
	{"expect_column_proportion_of_unique_values_to_be_between", CF__K_AGG, OP_PROP_UNIQUE},
	{"expect_column_unique_value_count_to_be_between", CF__K_AGG, OP_UNIQUE_COUNT},
	{"expect_column_distinct_values_to_be_in_set", CF__K_AGG, OP_DISTINCT_IN},
	{"expect_column_distinct_values_to_contain_set", CF__K_AGG, OP_DISTINCT_CONTAIN},
	{"expect_column_distinct_values_to_equal_set", CF__K_AGG, OP_DISTINCT_EQUAL},
	{"expect_column_most_common_value_to_be_in_set", CF__K_AGG, OP_MOST_COMMON},
	{"expect_column_quantile_values_to_be_between", CF__K_AGG, OP_QUANTILES},
	{"expect_column_values_to_be_of_type", CF__K_AGG, OP_OF_TYPE},
	{"expect_column_values_to_be_in_type_list", CF__K_AGG, OP_IN_TYPE_LIST},
	{"expect_column_pair_values_a_to_be_greater_than_b", CF__K_PAIR, OP_PAIR_GT},
	{"expect_column_pair_values_to_be_equal", CF__K_PAIR, OP_PAIR_EQUAL},
	{"expect_compound_columns_to_be_unique", CF__K_MULTI, OP_COMPOUND_UNIQUE},
	{"expect_multicolumn_sum_to_equal", CF__K_MULTI, OP_MULTI_SUM},
	{"expect_select_column_values_to_be_unique_within_record", CF__K_MULTI, OP_SELECT_UNIQUE},
};


static const cf__exp_def *find_def(const char *type)
{
	size_t i;
	for (i = 0; i < sizeof defs / sizeof defs[0]; i++)
		if (strcmp(defs[i].type, type) == 0)
			return &defs[i];
	return NULL;
}

static int64_t now_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

/* ---- value counts ---- */

static void vc_init(cf__valcount *vc, cf_context *ctx, int strings)
{
	memset(vc, 0, sizeof *vc);
	vc->strings = strings;
	cf__strmap_init(&vc->s, ctx);
	cf__u64map_init(&vc->u, ctx);
}

static void vc_free(cf__valcount *vc, cf_context *ctx)
{
	cf__strmap_free(&vc->s);
	cf__u64map_free(&vc->u);
	cf__free(ctx, vc->counts);
	cf__free(ctx, vc->first_row);
	vc->counts = vc->first_row = NULL;
}

size_t cf__vc_size(const cf__valcount *vc)
{
	return vc->strings ? vc->s.size : vc->u.size;
}

/* Make room for a new value id: count 0, not yet seen (first_row UINT64_MAX). */
int cf__vc_register(cf__valcount *vc, cf_context *ctx, uint32_t id)
{
	if (id >= vc->cap) {
		size_t nc = vc->cap ? 2 * vc->cap : 64;
		uint64_t *c, *f;
		while (nc <= id)
			nc *= 2;
		c = cf__realloc(ctx, vc->counts, nc * sizeof *c, "value counts");
		if (c == NULL)
			return CF_ENOMEM;
		vc->counts = c;
		f = cf__realloc(ctx, vc->first_row, nc * sizeof *f, "value counts");
		if (f == NULL)
			return CF_ENOMEM;
		vc->first_row = f;
		vc->cap = nc;
	}
	vc->counts[id] = 0;
	vc->first_row[id] = UINT64_MAX;
	return CF_OK;
}

/* The 64-bit key of a non-string cell: ints and timestamps as themselves, floats by bit pattern (-0 = 0). */
static uint64_t cell_key(const cf__column *c, size_t i)
{
	switch (c->type) {
	case CF_TYPE_FLOAT64: {
		double d = ((const double *)c->values)[i];
		uint64_t k;
		if (d == 0)
			d = 0;
		memcpy(&k, &d, 8);
		return k;
	}
	case CF_TYPE_BOOL:
		return ((const uint8_t *)c->values)[i];
	default:
		return (uint64_t)((const int64_t *)c->values)[i];
	}
}

double cf__key_number(cf_type type, uint64_t k)
{
	double d;
	if (type == CF_TYPE_FLOAT64) {
		memcpy(&d, &k, 8);
		return d;
	}
	return (double)(int64_t)k;
}

/* ---- cells as JSON ---- */

json_t *cf__key_json(cf_type type, uint64_t k)
{
	char iso[40];
	switch (type) {
	case CF_TYPE_FLOAT64: return json_real(cf__key_number(type, k));
	case CF_TYPE_INT64: return json_integer((json_int_t)(int64_t)k);
	case CF_TYPE_BOOL: return json_boolean(k != 0);
	case CF_TYPE_TIMESTAMP: cf__format_iso8601(iso, (int64_t)k); return json_string(iso);
	default: return json_null();
	}
}

static json_t *cell_json(const cf__column *c, size_t i)
{
	if (cf__column_is_null(c, i))
		return json_null();
	if (c->type == CF_TYPE_STRING)
		return json_string(c->dict[((const int32_t *)c->values)[i]]);
	return cf__key_json(c->type, cell_key(c, i));
}

/* Python's str() of a cell, as pandas' astype(str) gives it to regex checks. */
static const char *cell_pystr(const cf__column *c, size_t i, char buf[48])
{
	switch (c->type) {
	case CF_TYPE_STRING: return c->dict[((const int32_t *)c->values)[i]];
	case CF_TYPE_FLOAT64: cf__format_double(buf, ((const double *)c->values)[i]); return buf;
	case CF_TYPE_INT64: snprintf(buf, 48, "%lld", (long long)((const int64_t *)c->values)[i]); return buf;
	case CF_TYPE_BOOL: return ((const uint8_t *)c->values)[i] ? "True" : "False";
	case CF_TYPE_TIMESTAMP: {
		/* pandas prints Timestamps with a space. */
		cf__format_iso8601(buf, ((const int64_t *)c->values)[i]);
		buf[10] = ' ';
		return buf;
	}
	}
	return "";
}

/* ---- errors inside an expectation (GX's exception_info) ---- */

static void exp_exception(cf_validation *v, cf__exp_state *e, const char *fmt, ...) CF__PRINTF(3, 4);
static void exp_exception(cf_validation *v, cf__exp_state *e, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	if (e->exception)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	e->exception = cf__strdup(v->ctx, msg);
}

/* ---- binding kwargs ---- */

static int kw_err(const cf_validation *v, const cf__exp_state *e, const char *kw, const char *what)
{
	return cf__error_set(CF_EINVAL, "%s: expectation %zu (%s): kwarg '%s' %s", v->suite->source, e->index, e->type,
		kw, what);
}

static int kw_number(double *out, const cf_validation *v, const cf__exp_state *e, const char *kw, int required,
	double def)
{
	json_t *x = json_object_get(e->kwargs, kw);
	if (x == NULL || json_is_null(x)) {
		if (required)
			return kw_err(v, e, kw, "is required");
		*out = def;
		return CF_OK;
	}
	if (!json_is_number(x))
		return kw_err(v, e, kw, "must be a number");
	*out = json_number_value(x);
	return CF_OK;
}

static int kw_bool(int *out, const cf_validation *v, const cf__exp_state *e, const char *kw, int def)
{
	json_t *x = json_object_get(e->kwargs, kw);
	if (x == NULL || json_is_null(x)) {
		*out = def;
		return CF_OK;
	}
	if (!json_is_boolean(x))
		return kw_err(v, e, kw, "must be true or false");
	*out = json_is_true(x);
	return CF_OK;
}

static int kw_string(const char **out, const cf_validation *v, const cf__exp_state *e, const char *kw, int required)
{
	json_t *x = json_object_get(e->kwargs, kw);
	*out = NULL;
	if (x == NULL || json_is_null(x))
		return required ? kw_err(v, e, kw, "is required") : CF_OK;
	if (!json_is_string(x))
		return kw_err(v, e, kw, "must be a string");
	*out = json_string_value(x);
	return CF_OK;
}

static int kw_string_list(const char ***out, size_t *n_out, cf_validation *v, const cf__exp_state *e, const char *kw)
{
	json_t *x = json_object_get(e->kwargs, kw), *it;
	size_t i;

	if (x == NULL || json_is_null(x))
		return kw_err(v, e, kw, "is required");
	if (!json_is_array(x))
		return kw_err(v, e, kw, "must be a list of strings");
	*out = cf__calloc(v->ctx, json_array_size(x) + 1, sizeof **out, "column list");
	if (*out == NULL)
		return CF_ENOMEM;
	json_array_foreach(x, i, it) {
		if (!json_is_string(it))
			return kw_err(v, e, kw, "must be a list of strings");
		(*out)[i] = json_string_value(it);
	}
	*n_out = json_array_size(x);
	return CF_OK;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

static int compile_regex(cf_validation *v, cf__exp_state *e, const char *pattern)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_MATCH_INVALID_UTF,
		&err, &off, NULL);
	pcre2_code **list;

	if (re == NULL) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		return cf__error_set(CF_EINVAL, "%s: expectation %zu (%s): invalid regex \"%s\" at offset %zu: %s",
			v->suite->source, e->index, e->type, pattern, (size_t)off, (const char *)msg);
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* best effort: the interpreter is the fallback */
	list = cf__realloc(v->ctx, e->re, (e->nre + 1) * sizeof *list, "regex list");
	if (list == NULL) {
		pcre2_code_free(re);
		return CF_ENOMEM;
	}
	e->re = list;
	e->re[e->nre++] = re;
	return CF_OK;
}

/* Parse everything that does not depend on the data. */
static int exp_prepare(cf_validation *v, cf__exp_state *e)
{
	const cf__exp_def *d = e->def;
	json_t *rf = json_object_get(e->kwargs, "result_format");
	int rc = 0;

	e->col = e->col_b = -1;
	e->fmt = v->opts.result_format;
	e->pcount = v->opts.partial_unexpected_count;
	if (rf) {
		const char *s = json_is_string(rf) ? json_string_value(rf) :
			json_string_value(json_object_get(rf, "result_format"));
		json_t *pc = json_is_object(rf) ? json_object_get(rf, "partial_unexpected_count") : NULL;
		if (s == NULL)
			return kw_err(v, e, "result_format", "must be a string or an object with 'result_format'");
		if (strcmp(s, "BOOLEAN_ONLY") == 0) e->fmt = CF_RESULT_FORMAT_BOOLEAN_ONLY;
		else if (strcmp(s, "BASIC") == 0) e->fmt = CF_RESULT_FORMAT_BASIC;
		else if (strcmp(s, "SUMMARY") == 0) e->fmt = CF_RESULT_FORMAT_SUMMARY;
		else if (strcmp(s, "COMPLETE") == 0) e->fmt = CF_RESULT_FORMAT_COMPLETE;
		else return kw_err(v, e, "result_format", "must be BOOLEAN_ONLY, BASIC, SUMMARY or COMPLETE");
		if (pc && json_is_integer(pc) && json_integer_value(pc) >= 0)
			e->pcount = (size_t)json_integer_value(pc);
	}
	if ((rc = kw_number(&e->mostly, v, e, "mostly", 0, 1.0)) != 0)
		return rc;
	if (e->mostly < 0 || e->mostly > 1)
		return kw_err(v, e, "mostly", "must be between 0 and 1");
	if (d->kind == CF__K_MAP || d->kind == CF__K_AGG || d->op == OP_COLUMN_EXISTS)
		if ((rc = kw_string(&e->column, v, e, "column", 1)) != 0)
			return rc;
	if (d->kind == CF__K_PAIR) {
		const char *ign;
		if ((rc = kw_string(&e->column, v, e, "column_A", 1)) || (rc = kw_string(&e->column_b, v, e, "column_B", 1)))
			return rc;
		if ((rc = kw_string(&ign, v, e, "ignore_row_if", 0)) != 0)
			return rc;
		if (ign == NULL || strcmp(ign, "both_values_are_missing") == 0) e->ignore_mode = 0;
		else if (strcmp(ign, "either_value_is_missing") == 0) e->ignore_mode = 1;
		else if (strcmp(ign, "neither") == 0) e->ignore_mode = 2;
		else return kw_err(v, e, "ignore_row_if", "must be both_values_are_missing, either_value_is_missing or neither");
		if ((rc = kw_bool(&e->or_equal, v, e, "or_equal", 0)) != 0)
			return rc;
	}
	if (d->kind == CF__K_MULTI) {
		const char *ign;
		if ((rc = kw_string_list(&e->cols, &e->ncols, v, e, "column_list")) != 0)
			return rc;
		if (e->ncols == 0)
			return kw_err(v, e, "column_list", "must not be empty");
		if ((rc = kw_string(&ign, v, e, "ignore_row_if", 0)) != 0)
			return rc;
		if (ign == NULL || strcmp(ign, "all_values_are_missing") == 0) e->ignore_mode = 0;
		else if (strcmp(ign, "any_value_is_missing") == 0) e->ignore_mode = 1;
		else if (strcmp(ign, "never") == 0) e->ignore_mode = 2;
		else return kw_err(v, e, "ignore_row_if", "must be all_values_are_missing, any_value_is_missing or never");
		if (d->op == OP_MULTI_SUM && (rc = kw_number(&e->sum_total, v, e, "sum_total", 1, 0)) != 0)
			return rc;
	}
	switch (d->op) {
	case OP_REGEX: case OP_NOT_REGEX: {
		const char *re;
		if ((rc = kw_string(&re, v, e, "regex", d->op == OP_NOT_REGEX)) != 0)
			return rc;
		return compile_regex(v, e, re ? re : "(?s).*");
	}
	case OP_REGEX_LIST: case OP_NOT_REGEX_LIST: {
		const char **list = NULL, *match_on;
		size_t n = 0, i;
		if ((rc = kw_string_list(&list, &n, v, e, "regex_list")) != 0) {
			cf__free(v->ctx, (void *)list);
			return rc;
		}
		for (i = 0; i < n && rc == 0; i++)
			rc = compile_regex(v, e, list[i]);
		cf__free(v->ctx, (void *)list);
		if (rc)
			return rc;
		if ((rc = kw_string(&match_on, v, e, "match_on", 0)) != 0)
			return rc;
		if (match_on && strcmp(match_on, "any") != 0 && strcmp(match_on, "all") != 0)
			return kw_err(v, e, "match_on", "must be \"any\" or \"all\"");
		e->match_all = match_on && strcmp(match_on, "all") == 0;
		return CF_OK;
	}
	case OP_IN_SET: case OP_NOT_IN_SET: case OP_DISTINCT_IN: case OP_DISTINCT_CONTAIN: case OP_DISTINCT_EQUAL:
	case OP_MOST_COMMON: {
		json_t *vs = json_object_get(e->kwargs, "value_set");
		if (vs == NULL || json_is_null(vs)) {
			if (d->op == OP_IN_SET || d->op == OP_NOT_IN_SET || d->op == OP_DISTINCT_CONTAIN ||
				d->op == OP_DISTINCT_EQUAL || d->op == OP_MOST_COMMON)
				return kw_err(v, e, "value_set", "is required");
			return CF_OK;
		}
		if (!json_is_array(vs))
			return kw_err(v, e, "value_set", "must be a list");
		e->value_set = vs;
		return CF_OK;
	}
	case OP_LEN_EQUAL: {
		double x;
		if ((rc = kw_number(&x, v, e, "value", 1, 0)) != 0)
			return rc;
		e->len_value = (int64_t)x;
		return CF_OK;
	}
	case OP_ROW_COUNT_EQUAL: case OP_COLCOUNT_EQUAL: {
		double x;
		return kw_number(&x, v, e, "value", 1, 0);
	}
	case OP_COLUMNS_ORDERED: case OP_COLUMNS_SET: {
		json_t *x = json_object_get(e->kwargs, d->op == OP_COLUMNS_ORDERED ? "column_list" : "column_set"), *it;
		size_t i;
		if (x == NULL || !json_is_array(x))
			return kw_err(v, e, d->op == OP_COLUMNS_ORDERED ? "column_list" : "column_set", "must be a list");
		json_array_foreach(x, i, it)
			if (!json_is_string(it))
				return kw_err(v, e, d->op == OP_COLUMNS_ORDERED ? "column_list" : "column_set",
					"must be a list of column names");
		return CF_OK;
	}
	case OP_OF_TYPE: {
		const char *t;
		return kw_string(&t, v, e, "type_", 1);
	}
	case OP_IN_TYPE_LIST: {
		json_t *x = json_object_get(e->kwargs, "type_list");
		if (x != NULL && !json_is_null(x) && !json_is_array(x))
			return kw_err(v, e, "type_list", "must be a list of type names");
		return CF_OK;
	}
	case OP_QUANTILES: {
		json_t *qr = json_object_get(e->kwargs, "quantile_ranges"), *q, *r;
		if (!json_is_object(qr))
			return kw_err(v, e, "quantile_ranges", "must be an object with 'quantiles' and 'value_ranges'");
		q = json_object_get(qr, "quantiles");
		r = json_object_get(qr, "value_ranges");
		if (!json_is_array(q) || !json_is_array(r) || json_array_size(q) != json_array_size(r))
			return kw_err(v, e, "quantile_ranges", "needs lists 'quantiles' and 'value_ranges' of equal length");
		return CF_OK;
	}
	default:
		break;
	}
	return CF_OK;
}

/* A min_value/max_value bound against a column type. Returns 0, or 1 with an exception recorded. */
int cf__bind_bound(cf_validation *v, cf__exp_state *e, cf__bound *b, const char *kw, const char *skw, cf_type t,
	int numeric_only)
{
	json_t *x = json_object_get(e->kwargs, kw), *s = json_object_get(e->kwargs, skw);

	memset(b, 0, sizeof *b);
	b->strict = s && json_is_true(s);
	if (x == NULL || json_is_null(x))
		return 0;
	b->present = 1;
	if (!numeric_only && t == CF_TYPE_TIMESTAMP) {
		b->kind = 1;
		if (json_is_string(x) && cf__parse_iso8601(&b->ts, json_string_value(x), json_string_length(x)) == 0)
			return 0;
		exp_exception(v, e, "TypeError: '%s' must be a datetime (ISO-8601 string) to compare with a datetime "
			"column", kw);
		return 1;
	}
	if (!numeric_only && t == CF_TYPE_STRING) {
		b->kind = 2;
		if (json_is_string(x)) {
			b->str = json_string_value(x);
			return 0;
		}
		exp_exception(v, e, "TypeError: '%s' must be a string to compare with a string column", kw);
		return 1;
	}
	if (json_is_number(x)) {
		b->num = json_number_value(x);
		return 0;
	}
	if (json_is_boolean(x)) {
		b->num = json_is_true(x);
		return 0;
	}
	exp_exception(v, e, "TypeError: '%s' must be a number to compare with a numeric column", kw);
	return 1;
}

int cf__bound_ok_num(const cf__bound *lo, const cf__bound *hi, double x)
{
	if (lo->present && (lo->strict ? !(x > lo->num) : !(x >= lo->num)))
		return 0;
	if (hi->present && (hi->strict ? !(x < hi->num) : !(x <= hi->num)))
		return 0;
	return 1;
}

int cf__bound_ok_ts(const cf__bound *lo, const cf__bound *hi, int64_t x)
{
	if (lo->present && (lo->strict ? !(x > lo->ts) : !(x >= lo->ts)))
		return 0;
	if (hi->present && (hi->strict ? !(x < hi->ts) : !(x <= hi->ts)))
		return 0;
	return 1;
}

int cf__bound_ok_str(const cf__bound *lo, const cf__bound *hi, const char *x)
{
	if (lo->present) {
		int c = strcmp(x, lo->str);
		if (lo->strict ? c <= 0 : c < 0)
			return 0;
	}
	if (hi->present) {
		int c = strcmp(x, hi->str);
		if (hi->strict ? c >= 0 : c > 0)
			return 0;
	}
	return 1;
}

int cf__find_col(const cf_validation *v, const char *name)
{
	size_t i;
	for (i = 0; i < v->ncols; i++)
		if (strcmp(v->col_names[i], name) == 0)
			return (int)i;
	return -1;
}

static int missing_column(cf_validation *v, cf__exp_state *e, const char *name)
{
	/* GX's message for a column the batch lacks. */
	exp_exception(v, e, "The column \"%s\" in BatchData does not exist.", name);
	return 1;
}

static int is_numeric(cf_type t)
{
	return t == CF_TYPE_FLOAT64 || t == CF_TYPE_INT64 || t == CF_TYPE_BOOL;
}

/* Resolve columns and type-dependent kwargs once the schema is known. */
static int exp_bind(cf_validation *v, cf__exp_state *e)
{
	const cf__exp_def *d = e->def;
	cf_type t;
	size_t i;
	int rc;

	if (d->kind == CF__K_TABLE)
		return CF_OK;
	if (d->kind == CF__K_MULTI) {
		e->col_idx = cf__calloc(v->ctx, e->ncols, sizeof *e->col_idx, "column list");
		if (e->col_idx == NULL)
			return CF_ENOMEM;
		for (i = 0; i < e->ncols; i++)
			if ((e->col_idx[i] = cf__find_col(v, e->cols[i])) < 0)
				return missing_column(v, e, e->cols[i]), CF_OK;
		if (d->op == OP_MULTI_SUM)
			for (i = 0; i < e->ncols; i++)
				if (!is_numeric(v->col_types[e->col_idx[i]]))
					return exp_exception(v, e, "TypeError: column \"%s\" is not numeric", e->cols[i]), CF_OK;
		if (d->op == OP_COMPOUND_UNIQUE)
			vc_init(&e->vc, v->ctx, 1);
		return CF_OK;
	}
	if ((e->col = cf__find_col(v, e->column)) < 0)
		return missing_column(v, e, e->column), CF_OK;
	t = v->col_types[e->col];
	if (d->kind == CF__K_PAIR) {
		cf_type tb;
		if ((e->col_b = cf__find_col(v, e->column_b)) < 0)
			return missing_column(v, e, e->column_b), CF_OK;
		tb = v->col_types[e->col_b];
		if (!((is_numeric(t) && is_numeric(tb)) || t == tb))
			exp_exception(v, e, "TypeError: cannot compare a %s column with a %s column", cf_type_name(t),
				cf_type_name(tb));
		return CF_OK;
	}
	switch (d->op) {
	case OP_BETWEEN:
		if (!json_object_get(e->kwargs, "min_value") && !json_object_get(e->kwargs, "max_value"))
			return exp_exception(v, e, "min_value and max_value cannot both be None"), CF_OK;
		if (!cf__bind_bound(v, e, &e->lo, "min_value", "strict_min", t, 0))
			cf__bind_bound(v, e, &e->hi, "max_value", "strict_max", t, 0);
		if (t == CF_TYPE_BOOL)
			e->lo.kind = e->hi.kind = 0;
		break;
	case OP_MIN: case OP_MAX: case OP_MEAN: case OP_MEDIAN: case OP_STDEV: case OP_SUM:
	case OP_PROP_UNIQUE: case OP_UNIQUE_COUNT: {
		int numeric = d->op != OP_MIN && d->op != OP_MAX;
		if ((d->op == OP_MEAN || d->op == OP_MEDIAN || d->op == OP_STDEV || d->op == OP_SUM) && !is_numeric(t))
			return exp_exception(v, e, "TypeError: column \"%s\" of type %s has no numeric aggregate", e->column,
				cf_type_name(t)), CF_OK;
		if (!cf__bind_bound(v, e, &e->lo, "min_value", "strict_min", t, numeric))
			cf__bind_bound(v, e, &e->hi, "max_value", "strict_max", t, numeric);
		e->need_vc = d->op == OP_MEDIAN || d->op == OP_PROP_UNIQUE || d->op == OP_UNIQUE_COUNT;
		break;
	}
	case OP_LEN_BETWEEN: case OP_LEN_EQUAL:
		if (t != CF_TYPE_STRING)
			return exp_exception(v, e, "TypeError: value lengths need a string column; \"%s\" is %s", e->column,
				cf_type_name(t)), CF_OK;
		if (d->op == OP_LEN_BETWEEN) {
			if (!json_object_get(e->kwargs, "min_value") && !json_object_get(e->kwargs, "max_value"))
				return exp_exception(v, e, "min_value and max_value cannot both be None"), CF_OK;
			if (!cf__bind_bound(v, e, &e->lo, "min_value", "strict_min", t, 1))
				cf__bind_bound(v, e, &e->hi, "max_value", "strict_max", t, 1);
		}
		break;
	case OP_IN_SET: case OP_NOT_IN_SET: {
		json_t *it;
		cf__strmap_init(&e->set_s, v->ctx);
		e->set_num = cf__malloc(v->ctx, (json_array_size(e->value_set) + 1) * sizeof *e->set_num, "value set");
		e->set_ts = cf__malloc(v->ctx, (json_array_size(e->value_set) + 1) * sizeof *e->set_ts, "value set");
		if (e->set_num == NULL || e->set_ts == NULL)
			return CF_ENOMEM;
		json_array_foreach(e->value_set, i, it) {
			uint32_t id;
			int64_t ts;
			if (json_is_string(it)) {
				if ((rc = cf__strmap_put(&e->set_s, json_string_value(it), json_string_length(it), &id, NULL)))
					return rc;
				if (cf__parse_iso8601(&ts, json_string_value(it), json_string_length(it)) == 0)
					e->set_ts[e->set_ts_n++] = ts;
			} else if (json_is_number(it)) {
				e->set_num[e->set_num_n++] = json_number_value(it);
			} else if (json_is_boolean(it)) {
				e->set_num[e->set_num_n++] = json_is_true(it);
			}
		}
		qsort(e->set_num, e->set_num_n, sizeof *e->set_num, cmp_double);
		qsort(e->set_ts, e->set_ts_n, sizeof *e->set_ts, cmp_i64);
		break;
	}
	case OP_UNIQUE: case OP_DISTINCT_IN: case OP_DISTINCT_CONTAIN: case OP_DISTINCT_EQUAL: case OP_MOST_COMMON:
		e->need_vc = 1;
		break;
	case OP_QUANTILES:
		if (!is_numeric(t) && t != CF_TYPE_TIMESTAMP)
			return exp_exception(v, e, "TypeError: quantiles need a numeric column; \"%s\" is %s", e->column,
				cf_type_name(t)), CF_OK;
		e->need_vc = 1;
		break;
	default:
		break;
	}
	if (e->need_vc)
		vc_init(&e->vc, v->ctx, t == CF_TYPE_STRING);
	if (d->kind == CF__K_MAP && d->op != OP_NOT_NULL && d->op != OP_NULL && d->op != OP_UNIQUE && e->nre > 0) {
		e->md = pcre2_match_data_create_from_pattern(e->re[0], NULL);
		if (e->md == NULL)
			return cf__error_oom("regex match data");
	}
	return CF_OK;
}

/* ---- lifecycle ---- */

static void exp_free(cf_validation *v, cf__exp_state *e)
{
	size_t i;
	if (e == NULL)
		return;
	json_decref(e->kwargs);
	json_decref(e->partial);
	json_decref(e->partial_idx);
	json_decref(e->all_list);
	json_decref(e->all_idx);
	json_decref(e->observed);
	json_decref(e->details);
	json_decref(e->extra_result);
	free(e->observed_text);
	cf__free(v->ctx, (void *)e->cols);
	cf__free(v->ctx, e->col_idx);
	cf__strmap_free(&e->set_s);
	cf__free(v->ctx, e->set_num);
	cf__free(v->ctx, e->set_ts);
	for (i = 0; i < e->nre; i++)
		pcre2_code_free(e->re[i]);
	cf__free(v->ctx, e->re);
	pcre2_match_data_free(e->md);
	cf__free(v->ctx, e->exception);
	cf__free(v->ctx, e->smin);
	cf__free(v->ctx, e->smax);
	vc_free(&e->vc, v->ctx);
	cf__free(v->ctx, e->extra);
	cf__free(v->ctx, e->verdict);
	cf__free(v->ctx, e);
}

void cf_validation_free(cf_validation *v)
{
	size_t i;
	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++)
		exp_free(v, v->exps[i]);
	cf__free(v->ctx, v->exps);
	for (i = 0; i < v->ncols; i++)
		cf__free(v->ctx, v->col_names[i]);
	cf__free(v->ctx, v->col_names);
	cf__free(v->ctx, v->col_types);
	cf__free(v->ctx, v->results);
	json_decref(v->params);
	cf__free(v->ctx, v);
}

int cf_validation_begin(cf_validation **out, cf_context *ctx, const cf_suite *suite, const cf_validate_options *opts)
{
	cf_validate_options defaults = CF_VALIDATE_OPTIONS_INIT;
	cf_validation *v;
	json_t *sp;
	size_t i;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(suite);
	*out = NULL;
	if (opts) {
		if ((rc = cf__options_version_check(opts->version, CF_VALIDATE_OPTIONS_VERSION, "cf_validate_options")))
			return rc;
		if ((int)opts->result_format < 0 || opts->result_format > CF_RESULT_FORMAT_COMPLETE)
			return cf__error_set(CF_EINVAL, "cf_validate_options: unknown result_format %d", (int)opts->result_format);
		defaults = *opts;
	}
	v = cf__calloc(ctx, 1, sizeof *v, "validation");
	if (v == NULL)
		return CF_ENOMEM;
	v->ctx = ctx;
	v->suite = suite;
	v->opts = defaults;
	if (v->opts.now_us == 0)
		v->opts.now_us = now_us();
	if (v->opts.spelling == CF_GE_SPELLING_AUTO)
		v->opts.spelling = suite->spelling;
	sp = json_object_get(suite->root, "suite_parameters");
	if (sp == NULL)
		sp = json_object_get(suite->root, "evaluation_parameters");
	v->params = json_is_object(sp) ? json_deep_copy(sp) : json_object();
	if (v->opts.parameters_json) {
		json_error_t jerr;
		json_t *extra = json_loads(v->opts.parameters_json, 0, &jerr);
		if (extra == NULL || !json_is_object(extra)) {
			json_decref(extra);
			cf_validation_free(v);
			return cf__error_set(CF_EINVAL, "parameters_json: %s", extra ? "must be a JSON object" : jerr.text);
		}
		json_object_update(v->params, extra);
		json_decref(extra);
	}
	v->n = json_array_size(suite->expectations);
	v->exps = cf__calloc(ctx, v->n ? v->n : 1, sizeof *v->exps, "expectations");
	if (v->exps == NULL) {
		cf_validation_free(v);
		return CF_ENOMEM;
	}
	for (i = 0; i < v->n; i++) {
		json_t *ej = json_array_get(suite->expectations, i);
		cf__exp_state *e = cf__calloc(ctx, 1, sizeof *e, "expectation");
		char where[300];

		if (e == NULL) {
			cf_validation_free(v);
			return CF_ENOMEM;
		}
		v->exps[i] = e;
		cf__strmap_init(&e->set_s, ctx);
		vc_init(&e->vc, ctx, 0);
		e->index = i;
		e->type = cf_suite_expectation_type(suite, i);
		e->def = find_def(e->type);
		snprintf(where, sizeof where, "%s: expectation %zu (%s)", suite->source, i, e->type);
		e->kwargs = cf__kwargs_resolve(json_object_get(ej, "kwargs"), v->params, v->opts.now_us, where);
		if (e->kwargs == NULL) {
			cf_validation_free(v);
			return CF_EINVAL;
		}
		if (e->def == NULL) {
			if (!v->opts.skip_unknown) {
				rc = cf__error_set(CF_EINVAL, "%s: expectation %zu: unknown expectation type '%s' (pass "
					"skip_unknown / --skip-unknown to report it as skipped)", suite->source, i, e->type);
				cf_validation_free(v);
				return rc;
			}
			e->skipped = 1;
			continue;
		}
		if ((rc = exp_prepare(v, e)) != 0) {
			cf_validation_free(v);
			return rc;
		}
	}
	*out = v;
	return CF_OK;
}

int cf__schema_set(cf_validation *v, const cf_table *t)
{
	size_t i;
	int rc;

	v->ncols = t->ncols;
	v->col_names = cf__calloc(v->ctx, t->ncols + 1, sizeof *v->col_names, "schema");
	v->col_types = cf__calloc(v->ctx, t->ncols + 1, sizeof *v->col_types, "schema");
	if (v->col_names == NULL || v->col_types == NULL)
		return CF_ENOMEM;
	for (i = 0; i < t->ncols; i++) {
		if ((v->col_names[i] = cf__strdup(v->ctx, t->cols[i].name)) == NULL)
			return CF_ENOMEM;
		v->col_types[i] = t->cols[i].type;
	}
	for (i = 0; i < v->n; i++)
		if (!v->exps[i]->skipped && (rc = exp_bind(v, v->exps[i])) != 0)
			return rc;
	return CF_OK;
}

/* ---- per-chunk evaluation ---- */

static int record(cf__exp_state *e, json_t *value, uint64_t row)
{
	e->unexpected++;
	if (e->fmt == CF_RESULT_FORMAT_BOOLEAN_ONLY) {
		json_decref(value);
		return CF_OK;
	}
	if (e->partial == NULL) {
		e->partial = json_array();
		e->partial_idx = json_array();
	}
	if (e->fmt == CF_RESULT_FORMAT_COMPLETE) {
		if (e->all_list == NULL) {
			e->all_list = json_array();
			e->all_idx = json_array();
		}
		json_array_append(e->all_list, value);
		json_array_append_new(e->all_idx, json_integer((json_int_t)row));
	}
	if (json_array_size(e->partial) < e->pcount) {
		json_array_append(e->partial, value);
		json_array_append_new(e->partial_idx, json_integer((json_int_t)row));
	}
	json_decref(value);
	return CF_OK;
}

static int regex_test(cf__exp_state *e, const char *s, size_t len)
{
	size_t k;
	int any = 0, all = 1;

	for (k = 0; k < e->nre; k++) {
		int m = pcre2_match(e->re[k], (PCRE2_SPTR)s, len, 0, 0, e->md, NULL) >= 0;
		any |= m;
		all &= m;
	}
	return e->match_all ? all : any;
}

static int in_sorted(const double *a, size_t n, double x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo < n && a[lo] == x;
}

static int in_sorted_i64(const int64_t *a, size_t n, int64_t x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a[mid] < x) lo = mid + 1;
		else hi = mid;
	}
	return lo < n && a[lo] == x;
}

/* Is a non-null value unexpected? `s` is its Python string form (for strings and regexes). */
int cf__unexpected_value(cf__exp_state *e, const cf__column *c, size_t i, const char *s)
{
	switch (e->def->op) {
	case OP_BETWEEN:
		if (c->type == CF_TYPE_STRING) return !cf__bound_ok_str(&e->lo, &e->hi, s);
		if (c->type == CF_TYPE_TIMESTAMP) return !cf__bound_ok_ts(&e->lo, &e->hi, ((const int64_t *)c->values)[i]);
		return !cf__bound_ok_num(&e->lo, &e->hi, cf__key_number(c->type == CF_TYPE_BOOL ? CF_TYPE_INT64 : c->type,
			cell_key(c, i)));
	case OP_IN_SET: case OP_NOT_IN_SET: {
		int in;
		if (c->type == CF_TYPE_STRING) in = cf__strmap_find(&e->set_s, s, strlen(s)) >= 0;
		else if (c->type == CF_TYPE_TIMESTAMP) in = in_sorted_i64(e->set_ts, e->set_ts_n, ((const int64_t *)c->values)[i]);
		else in = in_sorted(e->set_num, e->set_num_n, cf__key_number(c->type == CF_TYPE_BOOL ? CF_TYPE_INT64 : c->type,
			cell_key(c, i)));
		return e->def->op == OP_IN_SET ? !in : in;
	}
	case OP_REGEX: case OP_REGEX_LIST:
		return !regex_test(e, s, strlen(s));
	case OP_NOT_REGEX: case OP_NOT_REGEX_LIST:
		return regex_test(e, s, strlen(s));
	case OP_LEN_BETWEEN: {
		double len = (double)cf__utf8_length(s, strlen(s));
		return !cf__bound_ok_num(&e->lo, &e->hi, len);
	}
	case OP_LEN_EQUAL:
		return (int64_t)cf__utf8_length(s, strlen(s)) != e->len_value;
	default:
		return 0;
	}
}

static int extra_push(cf_validation *v, cf__exp_state *e, uint32_t id, uint64_t row)
{
	if (e->extra_n + 2 > e->extra_cap) {
		size_t nc = e->extra_cap ? 2 * e->extra_cap : 64;
		uint64_t *x = cf__realloc(v->ctx, e->extra, nc * sizeof *x, "unique rows");
		if (x == NULL)
			return CF_ENOMEM;
		e->extra = x;
		e->extra_cap = nc;
	}
	e->extra[e->extra_n++] = id;
	e->extra[e->extra_n++] = row;
	return CF_OK;
}

/* Count one occurrence of a registered value id at `row`; for unique checks (values or row tuples), remember
 * repeated rows up to what the report needs. */
static int tally(cf_validation *v, cf__exp_state *e, uint32_t id, uint64_t row)
{
	uint64_t count;

	if (e->vc.first_row[id] == UINT64_MAX)
		e->vc.first_row[id] = row;
	count = ++e->vc.counts[id];
	if ((e->def->op == OP_UNIQUE || e->def->op == OP_COMPOUND_UNIQUE) && count >= 2 &&
		(e->fmt == CF_RESULT_FORMAT_COMPLETE || count <= e->pcount + 1))
		return extra_push(v, e, id, row);
	return CF_OK;
}

/* Count a non-string cell (strings go through chunk_string_ids(), keys through the callers). */
static int count_value(cf_validation *v, cf__exp_state *e, const cf__column *c, size_t i, uint64_t row)
{
	uint32_t id;
	int added = 0, rc;

	if ((rc = cf__u64map_put(&e->vc.u, cell_key(c, i), &id, &added)) != 0)
		return rc;
	if (added && (rc = cf__vc_register(&e->vc, v->ctx, id)) != 0)
		return rc;
	return tally(v, e, id, row);
}

/* Map a chunk's string dictionary onto the expectation's global ids (new values get fresh ids, count 0). */
static int chunk_string_ids(cf_validation *v, cf__exp_state *e, const cf__column *c, uint32_t **ids_out)
{
	uint32_t *ids = cf__malloc(v->ctx, (c->dict_size + 1) * sizeof *ids, "string ids");
	size_t k;
	int rc;

	if (ids == NULL)
		return CF_ENOMEM;
	for (k = 0; k < c->dict_size; k++) {
		int added;
		if ((rc = cf__strmap_put(&e->vc.s, c->dict[k], strlen(c->dict[k]), &ids[k], &added)) != 0) {
			cf__free(v->ctx, ids);
			return rc;
		}
		if (added && (rc = cf__vc_register(&e->vc, v->ctx, ids[k])) != 0) {
			cf__free(v->ctx, ids);
			return rc;
		}
	}
	*ids_out = ids;
	return CF_OK;
}

static int map_chunk(cf_validation *v, cf__exp_state *e, const cf_table *t, uint64_t row0)
{
	const cf__column *c = &t->cols[e->col];
	size_t n = t->num_rows, i;
	cf__exp_op op = e->def->op;
	char buf[48];
	int rc = 0;

	e->element_count += n;
	if (op == OP_NOT_NULL || op == OP_NULL) {
		for (i = 0; i < n; i++) {
			int null = cf__column_is_null(c, i);
			if (null)
				e->missing++;
			if (op == OP_NOT_NULL ? null : !null)
				record(e, cell_json(c, i), row0 + i);
		}
		return CF_OK;
	}
	if (op == OP_UNIQUE) {
		uint32_t *ids = NULL;
		if (c->type == CF_TYPE_STRING && (rc = chunk_string_ids(v, e, c, &ids)) != 0)
			return rc;
		for (i = 0; i < n && rc == 0; i++) {
			if (cf__column_is_null(c, i)) {
				e->missing++;
				continue;
			}
			if (c->type == CF_TYPE_STRING)
				rc = tally(v, e, ids[((const int32_t *)c->values)[i]], row0 + i);
			else
				rc = count_value(v, e, c, i, row0 + i);
		}
		cf__free(v->ctx, ids);
		return rc;
	}
	if (c->type == CF_TYPE_STRING) {
		/* Decide once per dictionary entry, then per row by code: the common case for categoricals. */
		const int32_t *codes = c->values;
		size_t k;
		if (c->dict_size > e->verdict_cap) {
			int8_t *vv = cf__realloc(v->ctx, e->verdict, c->dict_size, "verdict cache");
			if (vv == NULL)
				return CF_ENOMEM;
			e->verdict = vv;
			e->verdict_cap = c->dict_size;
		}
		for (k = 0; k < c->dict_size; k++)
			e->verdict[k] = -1;
		for (i = 0; i < n; i++) {
			int32_t code;
			if (cf__column_is_null(c, i)) {
				e->missing++;
				continue;
			}
			code = codes[i];
			if (e->verdict[code] < 0)
				e->verdict[code] = (int8_t)cf__unexpected_value(e, c, i, c->dict[code]);
			if (e->verdict[code])
				record(e, json_string(c->dict[code]), row0 + i);
		}
		return CF_OK;
	}
	for (i = 0; i < n; i++) {
		const char *s = NULL;
		if (cf__column_is_null(c, i)) {
			e->missing++;
			continue;
		}
		if (e->nre)
			s = cell_pystr(c, i, buf);
		if (cf__unexpected_value(e, c, i, s))
			record(e, cell_json(c, i), row0 + i);
	}
	return CF_OK;
}

static int agg_chunk(cf_validation *v, cf__exp_state *e, const cf_table *t, uint64_t row0)
{
	const cf__column *c = &t->cols[e->col];
	size_t n = t->num_rows, i;
	cf__exp_op op = e->def->op;
	uint32_t *ids = NULL;
	int rc = 0;

	e->element_count += n;
	if (op == OP_OF_TYPE || op == OP_IN_TYPE_LIST) {
		/* pandas dtype checks need only counts, plus the first values for the per-value (object) form. */
		for (i = 0; i < n; i++) {
			if (cf__column_is_null(c, i)) {
				e->missing++;
				continue;
			}
			e->n++;
			if ((c->type == CF_TYPE_STRING || c->type == CF_TYPE_BOOL) &&
				(e->partial == NULL || json_array_size(e->partial) < e->pcount)) {
				if (e->partial == NULL) {
					e->partial = json_array();
					e->partial_idx = json_array();
				}
				json_array_append_new(e->partial, cell_json(c, i));
				json_array_append_new(e->partial_idx, json_integer((json_int_t)(row0 + i)));
			}
		}
		return CF_OK;
	}
	if (c->type == CF_TYPE_STRING) {
		const int32_t *codes = c->values;
		if (e->need_vc && (rc = chunk_string_ids(v, e, c, &ids)) != 0)
			return rc;
		for (i = 0; i < n; i++) {
			const char *s;
			if (cf__column_is_null(c, i)) {
				e->missing++;
				continue;
			}
			e->n++;
			s = c->dict[codes[i]];
			if (op == OP_MIN && (e->smin == NULL || strcmp(s, e->smin) < 0)) {
				cf__free(v->ctx, e->smin);
				if ((e->smin = cf__strdup(v->ctx, s)) == NULL) { rc = CF_ENOMEM; break; }
			}
			if (op == OP_MAX && (e->smax == NULL || strcmp(s, e->smax) > 0)) {
				cf__free(v->ctx, e->smax);
				if ((e->smax = cf__strdup(v->ctx, s)) == NULL) { rc = CF_ENOMEM; break; }
			}
			if (e->need_vc)
				tally(v, e, ids[codes[i]], row0 + i); /* not a unique check: cannot fail */
		}
		cf__free(v->ctx, ids);
		return rc;
	}
	for (i = 0; i < n; i++) {
		double x;
		if (cf__column_is_null(c, i)) {
			e->missing++;
			continue;
		}
		if (e->need_vc && (rc = count_value(v, e, c, i, row0 + i)) != 0)
			return rc;
		if (c->type == CF_TYPE_INT64 || c->type == CF_TYPE_TIMESTAMP || c->type == CF_TYPE_BOOL) {
			int64_t iv = c->type == CF_TYPE_BOOL ? ((const uint8_t *)c->values)[i] : ((const int64_t *)c->values)[i];
			if (e->n == 0 || iv < e->imin) e->imin = iv;
			if (e->n == 0 || iv > e->imax) e->imax = iv;
			if (!e->isum_overflow && __builtin_add_overflow(e->isum, iv, &e->isum))
				e->isum_overflow = 1;
			x = (double)iv;
		} else {
			x = ((const double *)c->values)[i];
			if (e->n == 0 || x < e->dmin) e->dmin = x;
			if (e->n == 0 || x > e->dmax) e->dmax = x;
		}
		e->n++;
		e->dsum += x;
		{
			double d = x - e->mean;
			e->mean += d / (double)e->n;
			e->m2 += d * (x - e->mean);
		}
	}
	return CF_OK;
}

static int cells_compare(const cf__column *a, size_t i, const cf__column *b, int *cmp)
{
	if (a->type == CF_TYPE_STRING && b->type == CF_TYPE_STRING) {
		*cmp = strcmp(a->dict[((const int32_t *)a->values)[i]], b->dict[((const int32_t *)b->values)[i]]);
		return 0;
	}
	if (a->type == CF_TYPE_TIMESTAMP && b->type == CF_TYPE_TIMESTAMP) {
		int64_t x = ((const int64_t *)a->values)[i], y = ((const int64_t *)b->values)[i];
		*cmp = (x > y) - (x < y);
		return 0;
	}
	{
		double x = cf__key_number(a->type == CF_TYPE_BOOL ? CF_TYPE_INT64 : a->type, cell_key(a, i));
		double y = cf__key_number(b->type == CF_TYPE_BOOL ? CF_TYPE_INT64 : b->type, cell_key(b, i));
		*cmp = (x > y) - (x < y);
	}
	return 0;
}

static int pair_chunk(cf__exp_state *e, const cf_table *t, uint64_t row0)
{
	const cf__column *a = &t->cols[e->col], *b = &t->cols[e->col_b];
	size_t n = t->num_rows, i;

	e->element_count += n;
	for (i = 0; i < n; i++) {
		int na = cf__column_is_null(a, i), nb = cf__column_is_null(b, i), bad, cmp = 0;
		if ((e->ignore_mode == 0 && na && nb) || (e->ignore_mode == 1 && (na || nb))) {
			e->missing++;
			continue;
		}
		if (na || nb) {
			bad = 1; /* a comparison with NaN is False in pandas */
		} else {
			cells_compare(a, i, b, &cmp);
			if (e->def->op == OP_PAIR_GT)
				bad = e->or_equal ? cmp < 0 : cmp <= 0;
			else
				bad = cmp != 0;
		}
		if (bad) {
			json_t *pair = json_array();
			json_array_append_new(pair, cell_json(a, i));
			json_array_append_new(pair, cell_json(b, i));
			record(e, pair, row0 + i);
		}
	}
	return CF_OK;
}

static json_t *row_dict(const cf_validation *v, const cf__exp_state *e, const cf_table *t, size_t i)
{
	json_t *o = json_object();
	size_t k;
	for (k = 0; k < e->ncols; k++)
		json_object_set_new(o, v->col_names[e->col_idx[k]], cell_json(&t->cols[e->col_idx[k]], i));
	return o;
}

static int multi_chunk(cf_validation *v, cf__exp_state *e, const cf_table *t, uint64_t row0)
{
	size_t n = t->num_rows, i, k;
	char *key = NULL;
	size_t key_cap = 0;
	int rc = 0;

	e->element_count += n;
	for (i = 0; i < n && rc == 0; i++) {
		size_t nulls = 0;
		for (k = 0; k < e->ncols; k++)
			nulls += cf__column_is_null(&t->cols[e->col_idx[k]], i);
		if ((e->ignore_mode == 0 && nulls == e->ncols) || (e->ignore_mode == 1 && nulls > 0)) {
			e->missing++;
			continue;
		}
		if (e->def->op == OP_MULTI_SUM) {
			double s = 0;
			for (k = 0; k < e->ncols; k++) {
				const cf__column *c = &t->cols[e->col_idx[k]];
				if (!cf__column_is_null(c, i))
					s += cf__key_number(c->type == CF_TYPE_BOOL ? CF_TYPE_INT64 : c->type, cell_key(c, i));
			}
			if (s != e->sum_total)
				record(e, row_dict(v, e, t, i), row0 + i);
		} else if (e->def->op == OP_SELECT_UNIQUE) {
			int dup = 0;
			size_t a, b;
			for (a = 0; a < e->ncols && !dup; a++)
				for (b = a + 1; b < e->ncols && !dup; b++) {
					const cf__column *ca = &t->cols[e->col_idx[a]], *cb = &t->cols[e->col_idx[b]];
					int na = cf__column_is_null(ca, i), nb = cf__column_is_null(cb, i), cmp;
					if (na || nb) {
						dup = na && nb;
						continue;
					}
					if ((ca->type == CF_TYPE_STRING) != (cb->type == CF_TYPE_STRING))
						continue;
					cells_compare(ca, i, cb, &cmp);
					dup = cmp == 0;
				}
			if (dup)
				record(e, row_dict(v, e, t, i), row0 + i);
		} else {
			/* Compound uniqueness: the row's values, serialised, are the key. */
			size_t len = 0;
			uint32_t id;
			int added;
			for (k = 0; k < e->ncols; k++) {
				const cf__column *c = &t->cols[e->col_idx[k]];
				const char *s = NULL;
				size_t need = 9, sl = 0;
				if (!cf__column_is_null(c, i) && c->type == CF_TYPE_STRING) {
					s = c->dict[((const int32_t *)c->values)[i]];
					sl = strlen(s);
					need = 1 + 8 + sl;
				}
				if (len + need > key_cap) {
					size_t nc = (len + need) * 2 + 64;
					char *nk = cf__realloc(v->ctx, key, nc, "row key");
					if (nk == NULL) {
						rc = CF_ENOMEM;
						break;
					}
					key = nk;
					key_cap = nc;
				}
				if (cf__column_is_null(c, i)) {
					memset(key + len, 0, 9);
					len += 9;
				} else if (s) {
					uint64_t l64 = sl;
					key[len++] = 2;
					memcpy(key + len, &l64, 8);
					memcpy(key + len + 8, s, sl);
					len += 8 + sl;
				} else {
					uint64_t kk = cell_key(c, i);
					key[len++] = 1;
					memcpy(key + len, &kk, 8);
					len += 8;
				}
			}
			if (rc)
				break;
			if ((rc = cf__strmap_put(&e->vc.s, key, len, &id, &added)) != 0)
				break;
			if (added && (rc = cf__vc_register(&e->vc, v->ctx, id)) != 0)
				break;
			rc = tally(v, e, id, row0 + i);
		}
	}
	cf__free(v->ctx, key);
	return rc;
}

int cf_validation_update(cf_validation *v, const cf_table *t)
{
	size_t i;
	int rc;

	CF__CHECK_ARG(v);
	CF__CHECK_ARG(t);
	if (v->finished)
		return cf__error_set(CF_EINVAL, "cf_validation_update: the validation is finished");
	if (!v->started) {
		v->started = 1;
		if ((rc = cf__schema_set(v, t)) != 0)
			return rc;
	} else {
		if (t->ncols != v->ncols)
			return cf__error_set(CF_EINVAL, "cf_validation_update: chunk has %zu columns, the first had %zu",
				t->ncols, v->ncols);
		for (i = 0; i < t->ncols; i++)
			if (strcmp(t->cols[i].name, v->col_names[i]) != 0 || t->cols[i].type != v->col_types[i])
				return cf__error_set(CF_EINVAL, "cf_validation_update: chunk column %zu is '%s' (%s), the first "
					"chunk had '%s' (%s)", i + 1, t->cols[i].name, cf_type_name(t->cols[i].type), v->col_names[i],
					cf_type_name(v->col_types[i]));
	}
	for (i = 0; i < v->n; i++) {
		cf__exp_state *e = v->exps[i];
		if (e->skipped || e->exception)
			continue;
		switch (e->def->kind) {
		case CF__K_MAP: rc = map_chunk(v, e, t, v->rows); break;
		case CF__K_AGG: rc = agg_chunk(v, e, t, v->rows); break;
		case CF__K_PAIR: rc = pair_chunk(e, t, v->rows); break;
		case CF__K_MULTI: rc = multi_chunk(v, e, t, v->rows); break;
		default: rc = 0; break;
		}
		if (rc)
			return rc;
	}
	v->rows += t->num_rows;
	return CF_OK;
}

/* ---- one-call helpers ---- */

int cf_validate_table(cf_validation **out, cf_context *ctx, const cf_suite *suite, const cf_table *table,
	const cf_validate_options *opts)
{
	cf_validation *v = NULL;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(table);
	*out = NULL;
	if ((rc = cf_validation_begin(&v, ctx, suite, opts)) != 0)
		return rc;
	if ((rc = cf_validation_update(v, table)) != 0 || (rc = cf_validation_finish(v)) != 0) {
		cf_validation_free(v);
		return rc;
	}
	*out = v;
	return CF_OK;
}

int cf_validate_csv(cf_validation **out, cf_context *ctx, const cf_suite *suite, const char *path,
	const cf_csv_options *csv_opts, const cf_validate_options *opts)
{
	cf_validation *v = NULL;
	cf_csv_reader *r = NULL;
	cf_table *chunk = NULL;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(path);
	*out = NULL;
	if ((rc = cf_validation_begin(&v, ctx, suite, opts)) != 0)
		return rc;
	if ((rc = cf_csv_open(&r, ctx, path, csv_opts)) != 0)
		goto done;
	for (;;) {
		if ((rc = cf_csv_next(&chunk, r)) != 0)
			goto done;
		if (chunk == NULL)
			break;
		rc = cf_validation_update(v, chunk);
		/* The reader builds the next chunk in this one's buffers instead of allocating new ones. */
		cf__csv_recycle(r, chunk);
		if (rc)
			goto done;
	}
	if (!v->started) {
		/* A header-only file still has columns: give the validation the schema with zero rows. */
		cf_table *empty = NULL;
		size_t i, ncols = cf_csv_num_columns(r);
		if ((rc = cf_table_create(&empty, ctx)) != 0)
			goto done;
		for (i = 0; i < ncols && rc == 0; i++) {
			cf_column_view cv;
			memset(&cv, 0, sizeof cv);
			cv.name = cf_csv_column_name(r, i);
			cv.type = cf_csv_column_type(r, i);
			rc = cf_table_add_column(empty, &cv, CF_TABLE_BORROW);
		}
		if (rc == 0)
			rc = cf_validation_update(v, empty);
		cf_table_free(empty);
		if (rc)
			goto done;
	}
	rc = cf_validation_finish(v);
done:
	cf_csv_free(r);
	if (rc) {
		cf_validation_free(v);
		return rc;
	}
	*out = v;
	return CF_OK;
}

