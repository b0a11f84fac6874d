/* Suites on merged statistics (scale-out validation) and suites inferred from statistics (profiling). */
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/stats.h"
#include "cogniforge/version.h"

static void skip_exp(cf_validation *v, cf__exp_state *e, const char *why)
{
	char msg[300];
	snprintf(msg, sizeof msg, "skipped on statistics: %s", why);
	cf__free(v->ctx, e->exception);
	e->exception = NULL;
	e->skipped = 1;
	e->exception = cf__strdup(v->ctx, msg);
}

static uint64_t number_key(cf_type t, double x)
{
	uint64_t k;
	if (t == CF_TYPE_FLOAT64) {
		if (x == 0)
			x = 0;
		memcpy(&k, &x, 8);
		return k;
	}
	return (uint64_t)(int64_t)llround(x);
}

/* Load the exact value counts into the expectation's value-count map. */
static int fill_values(cf_validation *v, cf__exp_state *e, const cf_column_stats *cs)
{
	size_t i;
	int rc;

	for (i = 0; i < cs->values_count; i++) {
		const cf_stats_value_count *vcnt = &cs->values[i];
		uint32_t id;
		int added;
		if (e->vc.strings)
			rc = cf__strmap_put(&e->vc.s, vcnt->string, strlen(vcnt->string), &id, &added);
		else
			rc = cf__u64map_put(&e->vc.u, number_key(cs->type, vcnt->number), &id, &added);
		if (rc || (added && (rc = cf__vc_register(&e->vc, v->ctx, id)) != 0))
			return rc;
		e->vc.counts[id] = vcnt->count;
	}
	return CF_OK;
}

/* A table of one row per distinct value, so map predicates run once per value (weighted by its count). */
static int values_table(cf_table **out, cf_context *ctx, const cf_column_stats *cs)
{
	size_t n = cs->values_count, i;
	cf_table *t = NULL;
	int rc = cf_table_create(&t, ctx);

	if (rc)
		return rc;
	if (cs->type == CF_TYPE_STRING) {
		const char **s = cf__malloc(ctx, (n + 1) * sizeof *s, "values");
		if (s == NULL) {
			cf_table_free(t);
			return CF_ENOMEM;
		}
		for (i = 0; i < n; i++)
			s[i] = cs->values[i].string;
		rc = cf_table_add_strings(t, cs->name, s, n);
		cf__free(ctx, s);
	} else {
		cf_column_view cv;
		void *vals = cf__malloc(ctx, (n + 1) * 8, "values");
		if (vals == NULL) {
			cf_table_free(t);
			return CF_ENOMEM;
		}
		for (i = 0; i < n; i++) {
			double x = cs->values[i].number;
			if (cs->type == CF_TYPE_FLOAT64)
				((double *)vals)[i] = x;
			else if (cs->type == CF_TYPE_BOOL)
				((uint8_t *)vals)[i] = x != 0;
			else
				((int64_t *)vals)[i] = (int64_t)llround(x);
		}
		memset(&cv, 0, sizeof cv);
		cv.name = cs->name;
		cv.type = cs->type;
		cv.length = n;
		cv.values = vals;
		rc = cf_table_add_column(t, &cv, CF_TABLE_COPY);
		cf__free(ctx, vals);
	}
	if (rc) {
		cf_table_free(t);
		return rc;
	}
	*out = t;
	return CF_OK;
}

static int eval_map(cf_validation *v, cf__exp_state *e, const cf_column_stats *cs)
{
	cf_table *t = NULL;
	const cf__column *c;
	size_t i;
	int rc;

	e->element_count = cs->count;
	e->missing = cs->null_count;
	switch (e->def->op) {
	case OP_NOT_NULL:
		e->unexpected = cs->null_count;
		return CF_OK;
	case OP_NULL:
		e->unexpected = cs->count - cs->null_count;
		return CF_OK;
	case OP_BETWEEN:
		/* Without the values, a range inside the bounds still proves there is nothing unexpected. */
		if (!cs->distinct_exact && cs->type != CF_TYPE_STRING && cs->count > cs->null_count) {
			int inside = cs->type == CF_TYPE_TIMESTAMP ?
				cf__bound_ok_ts(&e->lo, &e->hi, cs->min_int) && cf__bound_ok_ts(&e->lo, &e->hi, cs->max_int) :
				cf__bound_ok_num(&e->lo, &e->hi, cs->min) && cf__bound_ok_num(&e->lo, &e->hi, cs->max);
			if (inside)
				return CF_OK;
		}
		break;
	default:
		break;
	}
	if (!cs->distinct_exact) {
		skip_exp(v, e, "the column has too many distinct values for exact counts; this expectation needs the rows");
		return CF_OK;
	}
	if (e->def->op == OP_UNIQUE) {
		for (i = 0; i < cs->values_count; i++)
			if (cs->values[i].count >= 2)
				e->unexpected += cs->values[i].count;
		return CF_OK;
	}
	if ((rc = values_table(&t, v->ctx, cs)) != 0)
		return rc;
	c = &t->cols[0];
	for (i = 0; i < cs->values_count; i++) {
		char buf[48];
		const char *s = c->type == CF_TYPE_STRING ? cs->values[i].string : NULL;
		if (s == NULL && e->nre) {
			/* Regexes see Python's str() of the value. */
			if (c->type == CF_TYPE_INT64)
				snprintf(buf, sizeof buf, "%lld", (long long)((const int64_t *)c->values)[i]);
			else if (c->type == CF_TYPE_FLOAT64)
				cf__format_double(buf, ((const double *)c->values)[i]);
			else if (c->type == CF_TYPE_BOOL)
				snprintf(buf, sizeof buf, "%s", ((const uint8_t *)c->values)[i] ? "True" : "False");
			else {
				cf__format_iso8601(buf, ((const int64_t *)c->values)[i]);
				buf[10] = ' ';
			}
			s = buf;
		}
		if (cf__unexpected_value(e, c, i, s))
			e->unexpected += cs->values[i].count;
	}
	cf_table_free(t);
	return CF_OK;
}

static int eval_agg(cf_validation *v, cf__exp_state *e, const cf_stats *st, size_t col, const cf_column_stats *cs)
{
	cf__exp_op op = e->def->op;
	uint64_t n = cs->count - cs->null_count;
	int rc;

	e->element_count = cs->count;
	e->missing = cs->null_count;
	e->n = n;
	if (op == OP_OF_TYPE || op == OP_IN_TYPE_LIST || n == 0)
		return CF_OK;
	e->mean = cs->mean;
	e->m2 = cs->m2;
	e->dsum = cs->sum;
	e->dmin = cs->min;
	e->dmax = cs->max;
	if (cs->type != CF_TYPE_FLOAT64) {
		e->imin = cs->min_int;
		e->imax = cs->max_int;
		if (fabs(cs->sum) < 9e15)
			e->isum = (int64_t)llround(cs->sum);
		else
			e->isum_overflow = 1;
	}
	if (cs->type == CF_TYPE_STRING && (op == OP_MIN || op == OP_MAX)) {
		e->smin = cf__strdup(v->ctx, cs->min_string ? cs->min_string : "");
		e->smax = cf__strdup(v->ctx, cs->max_string ? cs->max_string : "");
		if (e->smin == NULL || e->smax == NULL)
			return CF_ENOMEM;
	}
	if (!e->need_vc)
		return CF_OK;
	if (cs->distinct_exact)
		return fill_values(v, e, cs);
	/* Approximate from the sketches, saying so in `details`. */
	switch (op) {
	case OP_MEDIAN: {
		double x;
		if ((rc = cf_stats_quantile(&x, st, col, 0.5)) != CF_OK)
			return rc;
		e->observed = json_real(x);
		e->success = cf__bound_ok_num(&e->lo, &e->hi, x);
		break;
	}
	case OP_UNIQUE_COUNT: case OP_PROP_UNIQUE: {
		double x = op == OP_UNIQUE_COUNT ? floor(cs->distinct + 0.5) : cs->distinct / (double)n;
		e->observed = op == OP_UNIQUE_COUNT ? json_integer((json_int_t)x) : json_real(x);
		e->success = cf__bound_ok_num(&e->lo, &e->hi, x);
		break;
	}
	case OP_QUANTILES: {
		json_t *qr = json_object_get(e->kwargs, "quantile_ranges"), *qs = json_object_get(qr, "quantiles");
		json_t *rs = json_object_get(qr, "value_ranges"), *vals = json_array(), *det = json_array(), *q;
		size_t i;
		int ok = 1;
		json_array_foreach(qs, i, q) {
			json_t *r = json_array_get(rs, i), *lo = json_array_get(r, 0), *hi = json_array_get(r, 1);
			double x;
			int good = 1;
			if ((rc = cf_stats_quantile(&x, st, col, json_number_value(q))) != CF_OK) {
				json_decref(vals);
				json_decref(det);
				return rc;
			}
			json_array_append_new(vals, json_real(x));
			if (lo && json_is_number(lo) && x < json_number_value(lo))
				good = 0;
			if (hi && json_is_number(hi) && x > json_number_value(hi))
				good = 0;
			ok &= good;
			json_array_append_new(det, json_boolean(good));
		}
		e->observed = json_pack("{s:O,s:o}", "quantiles", qs, "values", vals);
		e->details = json_pack("{s:o}", "success_details", det);
		e->success = ok;
		break;
	}
	default:
		skip_exp(v, e, "distinct-value sets need exact value counts; the column has too many distinct values");
		return CF_OK;
	}
	if (e->details == NULL)
		e->details = json_object();
	json_object_set_new(e->details, "approximate", json_true());
	json_object_set_new(e->details, op == OP_MEDIAN || op == OP_QUANTILES ? "rank_error" : "relative_error",
		json_real(op == OP_MEDIAN || op == OP_QUANTILES ? cf_stats_quantile_rank_error(st) : cs->distinct_rel_error));
	return CF_OK;
}

int cf_validate_stats(cf_validation **out, cf_context *ctx, const cf_suite *suite, const cf_stats *st,
	const cf_validate_options *opts)
{
	cf_validation *v = NULL;
	cf_table *schema = NULL;
	size_t i, ncols;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(st);
	*out = NULL;
	if ((rc = cf_validation_begin(&v, ctx, suite, opts)) != 0)
		return rc;
	v->from_stats = 1;
	v->stats = st;
	/* A zero-row table with the statistics' schema binds the expectations to columns. */
	if ((rc = cf_table_create(&schema, ctx)) != 0)
		goto fail;
	ncols = cf_stats_num_columns(st);
	for (i = 0; i < ncols; i++) {
		cf_column_stats cs;
		cf_column_view cv;
		if ((rc = cf_stats_column(&cs, st, i)) != 0)
			goto fail;
		memset(&cv, 0, sizeof cv);
		cv.name = cs.name;
		cv.type = cs.type;
		if ((rc = cf_table_add_column(schema, &cv, CF_TABLE_BORROW)) != 0)
			goto fail;
	}
	v->started = 1;
	if ((rc = cf__schema_set(v, schema)) != 0)
		goto fail;
	v->rows = cf_stats_num_rows(st);
	for (i = 0; i < v->n; i++) {
		cf__exp_state *e = v->exps[i];
		cf_column_stats cs;
		if (e->skipped || e->exception)
			continue;
		switch (e->def->kind) {
		case CF__K_TABLE:
			break;
		case CF__K_PAIR: case CF__K_MULTI:
			skip_exp(v, e, "multi-column expectations need the rows");
			break;
		case CF__K_MAP:
			if ((rc = cf_stats_column(&cs, st, (size_t)e->col)) != 0 || (rc = eval_map(v, e, &cs)) != 0)
				goto fail;
			break;
		case CF__K_AGG:
			if ((rc = cf_stats_column(&cs, st, (size_t)e->col)) != 0 ||
				(rc = eval_agg(v, e, st, (size_t)e->col, &cs)) != 0)
				goto fail;
			break;
		}
	}
	if ((rc = cf_validation_finish(v)) != 0)
		goto fail;
	cf_table_free(schema);
	*out = v;
	return CF_OK;
fail:
	cf_table_free(schema);
	cf_validation_free(v);
	return rc;
}

/* ---- profiling ---- */

/* The dtype pandas (and so GX) gives the column: ints with nulls become float64, bools with nulls object. */
static const char *profile_type(cf_type t, int has_nulls)
{
	switch (t) {
	case CF_TYPE_FLOAT64: return "float64";
	case CF_TYPE_INT64: return has_nulls ? "float64" : "int64";
	case CF_TYPE_BOOL: return has_nulls ? "object" : "bool";
	case CF_TYPE_TIMESTAMP: return "datetime64";
	case CF_TYPE_STRING: return "object";
	}
	return "object";
}

static json_t *exp_new(const char *type, json_t *kwargs)
{
	return json_pack("{s:s,s:o,s:{}}", "type", type, "kwargs", kwargs, "meta");
}

static json_t *number_json(cf_type t, double x, int64_t exact)
{
	char iso[40];
	if (t == CF_TYPE_TIMESTAMP) {
		cf__format_iso8601(iso, exact);
		return json_string(iso);
	}
	if (t == CF_TYPE_INT64)
		return json_integer((json_int_t)exact);
	return json_real(x);
}

static int cmp_json_str(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

int cf_profile(cf_buf *out, const cf_stats *st, const cf_profile_options *opts)
{
	cf_profile_options o = CF_PROFILE_OPTIONS_INIT;
	json_t *doc, *exps, *cols;
	cf_suite *suite = NULL;
	size_t i, ncols;
	uint64_t rows;
	char *text;
	int rc;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(st);
	if (opts) {
		if ((rc = cf__options_version_check(opts->version, CF_PROFILE_OPTIONS_VERSION, "cf_profile_options")))
			return rc;
		o = *opts;
	}
	if (o.row_count_tolerance < 0 || o.null_slack < 0 || o.null_slack > 1)
		return cf__error_set(CF_EINVAL, "cf_profile_options: row_count_tolerance and null_slack must be >= 0");
	rows = cf_stats_num_rows(st);
	ncols = cf_stats_num_columns(st);
	doc = json_object();
	exps = json_array();
	cols = json_array();
	json_object_set_new(doc, "name", json_string(o.suite_name ? o.suite_name : "profiled"));
	json_object_set_new(doc, "suite_parameters", json_object());
	json_object_set_new(doc, "meta", json_pack("{s:s,s:I}", "profiled_by", "cogniforge " CF_VERSION_STRING,
		"profiled_rows", (json_int_t)rows));
	for (i = 0; i < ncols; i++) {
		cf_column_stats cs;
		if ((rc = cf_stats_column(&cs, st, i)) != 0) {
			json_decref(doc);
			json_decref(exps);
			json_decref(cols);
			return rc;
		}
		json_array_append_new(cols, json_string(cs.name));
	}
	json_array_append_new(exps, exp_new("expect_table_columns_to_match_ordered_list",
		json_pack("{s:O}", "column_list", cols)));
	json_array_append_new(exps, exp_new("expect_table_row_count_to_be_between", json_pack("{s:I,s:I}",
		"min_value", (json_int_t)floor((double)rows * (1 - o.row_count_tolerance)),
		"max_value", (json_int_t)ceil((double)rows * (1 + o.row_count_tolerance)))));
	json_decref(cols);
	for (i = 0; i < ncols; i++) {
		cf_column_stats cs;
		double present;
		cf_stats_column(&cs, st, i);
		present = cs.count ? 1.0 - (double)cs.null_count / (double)cs.count : 1.0;
		json_array_append_new(exps, exp_new("expect_column_values_to_be_of_type",
			json_pack("{s:s,s:s}", "column", cs.name, "type_", profile_type(cs.type, cs.null_count > 0))));
		if (cs.null_count == 0) {
			json_array_append_new(exps, exp_new("expect_column_values_to_not_be_null", json_pack("{s:s}", "column",
				cs.name)));
		} else if (present - o.null_slack > 0) {
			/* Round down to 3 decimals so the reference itself passes. */
			double mostly = floor((present - o.null_slack) * 1000) / 1000;
			json_array_append_new(exps, exp_new("expect_column_values_to_not_be_null", json_pack("{s:s,s:f}",
				"column", cs.name, "mostly", mostly)));
		}
		if (cs.count == cs.null_count)
			continue;
		if (cs.type == CF_TYPE_STRING) {
			if (cs.distinct_exact && cs.values_count <= o.max_value_set) {
				json_t **items = malloc((cs.values_count + 1) * sizeof *items), *set = json_array();
				size_t k;
				for (k = 0; k < cs.values_count && items; k++)
					items[k] = json_string(cs.values[k].string);
				if (items)
					qsort(items, cs.values_count, sizeof *items, cmp_json_str);
				for (k = 0; k < cs.values_count && items; k++)
					json_array_append_new(set, items[k]);
				free(items);
				json_array_append_new(exps, exp_new("expect_column_values_to_be_in_set", json_pack("{s:s,s:o}",
					"column", cs.name, "value_set", set)));
			}
			json_array_append_new(exps, exp_new("expect_column_value_lengths_to_be_between",
				json_pack("{s:s,s:I,s:I}", "column", cs.name, "min_value", (json_int_t)cs.min_length,
					"max_value", (json_int_t)cs.max_length)));
		} else if (cs.type == CF_TYPE_BOOL) {
			json_array_append_new(exps, exp_new("expect_column_values_to_be_in_set", json_pack("{s:s,s:[b,b]}",
				"column", cs.name, "value_set", 1, 0)));
		} else {
			json_array_append_new(exps, exp_new("expect_column_values_to_be_between", json_pack("{s:s,s:o,s:o}",
				"column", cs.name, "min_value", number_json(cs.type, cs.min, cs.min_int), "max_value",
				number_json(cs.type, cs.max, cs.max_int))));
		}
	}
	json_object_set_new(doc, "expectations", exps);
	text = json_dumps(doc, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(doc);
	if (text == NULL)
		return cf__error_oom("profile");
	/* Through the suite loader: what we write is what we (and GX) read, in the spelling asked for. */
	rc = cf_suite_parse(&suite, NULL, text, strlen(text), "profile");
	free(text);
	if (rc == CF_OK)
		rc = cf_suite_to_json(out, suite, o.spelling == CF_GE_SPELLING_AUTO ? CF_GE_SPELLING_V1 : o.spelling);
	cf_suite_free(suite);
	return rc;
}
