/* Finishing a validation: verdicts, observed values and each expectation's GX result object. */
#include "validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- finishing: verdicts and observed values ---- */

static int bounds_check_observed(cf__exp_state *e, double x)
{
	return cf__bound_ok_num(&e->lo, &e->hi, x);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct sorted_val {
	double num;
	uint32_t id;
} sorted_val;

static int cmp_sorted_val(const void *a, const void *b)
{
	double x = ((const sorted_val *)a)->num, y = ((const sorted_val *)b)->num;
	return (x > y) - (x < y);
}

/* The distinct values of a column, sorted as Python sorts them (numbers numerically, strings by code point). */
static json_t *distinct_sorted(const cf_validation *v, cf__exp_state *e, cf_type t, int with_counts)
{
	size_t n = cf__vc_size(&e->vc), i, m = 0;
	json_t *list = json_array();
	(void)v;

	if (e->vc.strings) {
		const char **s = malloc((n + 1) * sizeof *s);
		uint32_t *ids = malloc((n + 1) * sizeof *ids);
		if (s == NULL || ids == NULL) {
			free(s);
			free(ids);
			json_decref(list);
			return NULL;
		}
		for (i = 0; i < n; i++)
			if (e->vc.counts[i] > 0)
				ids[m++] = (uint32_t)i;
		/* insertion into a sorted order by strcmp */
		for (i = 0; i < m; i++)
			s[i] = cf__strmap_key(&e->vc.s, ids[i], NULL);
		qsort(s, m, sizeof *s, cmp_str);
		for (i = 0; i < m; i++) {
			if (with_counts) {
				json_t *o = json_object();
				int64_t id = cf__strmap_find(&e->vc.s, s[i], strlen(s[i]));
				json_object_set_new(o, "value", json_string(s[i]));
				json_object_set_new(o, "count", json_integer((json_int_t)e->vc.counts[id]));
				json_array_append_new(list, o);
			} else {
				json_array_append_new(list, json_string(s[i]));
			}
		}
		free(s);
		free(ids);
		return list;
	}
	{
		sorted_val *sv = malloc((n + 1) * sizeof *sv);
		if (sv == NULL) {
			json_decref(list);
			return NULL;
		}
		for (i = 0; i < n; i++) {
			sv[i].num = cf__key_number(t == CF_TYPE_BOOL ? CF_TYPE_INT64 : t, e->vc.u.keys[i]);
			sv[i].id = (uint32_t)i;
		}
		qsort(sv, n, sizeof *sv, cmp_sorted_val);
		for (i = 0; i < n; i++) {
			json_t *val = cf__key_json(t, e->vc.u.keys[sv[i].id]);
			if (with_counts) {
				json_t *o = json_object();
				json_object_set_new(o, "value", val);
				json_object_set_new(o, "count", json_integer((json_int_t)e->vc.counts[sv[i].id]));
				json_array_append_new(list, o);
			} else {
				json_array_append_new(list, val);
			}
		}
		free(sv);
	}
	return list;
}


/* The value at sorted position k (0-based) of the multiset held in the value counts. */
static double nth_value(const sorted_val *sv, const uint64_t *counts, size_t n, uint64_t k)
{
	uint64_t acc = 0;
	size_t i;
	for (i = 0; i < n; i++) {
		acc += counts[sv[i].id];
		if (k < acc)
			return sv[i].num;
	}
	return n ? sv[n - 1].num : NAN;
}

static sorted_val *sorted_numbers(cf__exp_state *e, cf_type t, size_t *n_out)
{
	size_t n = cf__vc_size(&e->vc), i;
	sorted_val *sv = malloc((n + 1) * sizeof *sv);
	if (sv == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		sv[i].num = cf__key_number(t == CF_TYPE_BOOL ? CF_TYPE_INT64 : t, e->vc.u.keys[i]);
		sv[i].id = (uint32_t)i;
	}
	qsort(sv, n, sizeof *sv, cmp_sorted_val);
	*n_out = n;
	return sv;
}

/* numpy's "nearest" quantile: index q*(n-1) rounded half to even. */
static double quantile_nearest(const sorted_val *sv, const uint64_t *counts, size_t nd, uint64_t n, double q)
{
	double pos = q * (double)(n - 1);
	double r = nearbyint(pos); /* default rounding mode: half to even, as numpy.around */
	return nth_value(sv, counts, nd, (uint64_t)r);
}

/* numpy's scalar type name of the column pandas would build (GX reports dtype.type.__name__): an int column
 * with nulls is float64 in pandas, a bool column with nulls is object. */
static const char *pandas_type_name(cf_type t, int has_nulls)
{
	switch (t) {
	case CF_TYPE_FLOAT64: return "float64";
	case CF_TYPE_INT64: return has_nulls ? "float64" : "int64";
	case CF_TYPE_BOOL: return has_nulls ? "object_" : "bool";
	case CF_TYPE_TIMESTAMP: return "datetime64";
	case CF_TYPE_STRING: return "object_";
	}
	return "object_";
}

/* Does np.dtype(name).type name the numpy scalar type `scalar`? */
static int dtype_matches(const char *name, const char *scalar)
{
	static const struct { const char *name, *scalar; } names[] = {
		{"int64", "int64"}, {"int", "int64"}, {"int_", "int64"}, {"long", "int64"}, {"i8", "int64"},
		{"<i8", "int64"}, {"intp", "int64"}, {"longlong", "int64"},
		{"float64", "float64"}, {"float", "float64"}, {"double", "float64"}, {"f8", "float64"}, {"<f8", "float64"},
		{"d", "float64"},
		{"bool", "bool"}, {"bool_", "bool"}, {"?", "bool"}, {"b1", "bool"},
		{"datetime64", "datetime64"}, {"datetime64[ns]", "datetime64"}, {"datetime64[us]", "datetime64"},
		{"datetime64[ms]", "datetime64"}, {"datetime64[s]", "datetime64"}, {"M8", "datetime64"},
		{"M8[ns]", "datetime64"}, {"<M8[ns]", "datetime64"},
		{"object", "object_"}, {"object_", "object_"}, {"O", "object_"},
	};
	size_t i;
	for (i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0)
			return strcmp(names[i].scalar, scalar) == 0;
	return 0;
}

/* Per-value check of an object column: do Python values of this column (str, or bool) have type `name`? */
static int value_type_matches(const char *name, cf_type t)
{
	if (t == CF_TYPE_STRING)
		return strcmp(name, "str") == 0;
	return strcmp(name, "bool") == 0 || strcmp(name, "boolean") == 0;
}

static void finish_map(cf__exp_state *e)
{
	uint64_t considered;

	if (e->def->op == OP_UNIQUE || e->def->op == OP_COMPOUND_UNIQUE) {
		size_t n = cf__vc_size(&e->vc), i;
		for (i = 0; i < n; i++)
			if (e->vc.counts[i] >= 2)
				e->unexpected += e->vc.counts[i];
	}
	considered = (e->def->op == OP_NOT_NULL || e->def->op == OP_NULL) ? e->element_count :
		e->element_count - e->missing;
	if (considered == 0)
		e->success = 1;
	else
		e->success = (double)(considered - e->unexpected) / (double)considered >= e->mostly;
}

static int cmp_u64pair(const void *a, const void *b)
{
	uint64_t x = ((const uint64_t *)a)[1], y = ((const uint64_t *)b)[1];
	return (x > y) - (x < y);
}

/* unique / compound unique: the earliest repeated rows, for the partial (or complete) lists. */
static void unique_lists(cf_validation *v, cf__exp_state *e)
{
	size_t n = cf__vc_size(&e->vc), i, m = 0, total;
	uint64_t *pairs;
	cf_type t = e->col >= 0 ? v->col_types[e->col] : CF_TYPE_STRING;

	if (e->fmt == CF_RESULT_FORMAT_BOOLEAN_ONLY)
		return;
	total = e->extra_n / 2;
	for (i = 0; i < n; i++)
		if (e->vc.counts[i] >= 2)
			total++;
	pairs = malloc((total + 1) * 2 * sizeof *pairs);
	if (pairs == NULL)
		return;
	for (i = 0; i < n; i++)
		if (e->vc.counts[i] >= 2) {
			pairs[2 * m] = i;
			pairs[2 * m + 1] = e->vc.first_row[i];
			m++;
		}
	for (i = 0; i < e->extra_n / 2; i++) {
		pairs[2 * m] = e->extra[2 * i];
		pairs[2 * m + 1] = e->extra[2 * i + 1];
		m++;
	}
	qsort(pairs, m, 2 * sizeof *pairs, cmp_u64pair);
	e->partial = json_array();
	e->partial_idx = json_array();
	if (e->fmt == CF_RESULT_FORMAT_COMPLETE) {
		e->all_list = json_array();
		e->all_idx = json_array();
	}
	for (i = 0; i < m; i++) {
		json_t *val;
		if (e->def->op == OP_COMPOUND_UNIQUE) {
			/* Decode the serialised row key back into {column: value}. */
			size_t len, off = 0, k;
			const char *key = cf__strmap_key(&e->vc.s, (uint32_t)pairs[2 * i], &len);
			val = json_object();
			for (k = 0; k < e->ncols && off < len; k++) {
				cf_type ct = v->col_types[e->col_idx[k]];
				uint64_t w;
				memcpy(&w, key + off + 1, 8);
				if (key[off] == 0) {
					json_object_set_new(val, e->cols[k], json_null());
					off += 9;
				} else if (key[off] == 2) {
					json_object_set_new(val, e->cols[k], json_stringn(key + off + 9, (size_t)w));
					off += 9 + (size_t)w;
				} else {
					json_object_set_new(val, e->cols[k], cf__key_json(ct, w));
					off += 9;
				}
			}
		} else if (e->vc.strings) {
			val = json_string(cf__strmap_key(&e->vc.s, (uint32_t)pairs[2 * i], NULL));
		} else {
			val = cf__key_json(t, e->vc.u.keys[pairs[2 * i]]);
		}
		if (json_array_size(e->partial) < e->pcount) {
			json_array_append(e->partial, val);
			json_array_append_new(e->partial_idx, json_integer((json_int_t)pairs[2 * i + 1]));
		}
		if (e->all_list) {
			json_array_append(e->all_list, val);
			json_array_append_new(e->all_idx, json_integer((json_int_t)pairs[2 * i + 1]));
		}
		json_decref(val);
	}
	free(pairs);
}

/* Is `val` (a JSON value from the data) in the JSON list `set`, with numeric equality across int/float? */
static int json_in_list(const json_t *set, const json_t *val)
{
	size_t i;
	json_t *it;
	json_array_foreach((json_t *)set, i, it) {
		if (json_is_number(it) && json_is_number(val) && json_number_value(it) == json_number_value(val))
			return 1;
		if (json_is_boolean(val) && json_is_number(it) && json_number_value(it) == (json_is_true(val) ? 1 : 0))
			return 1;
		if (json_equal(it, (json_t *)val))
			return 1;
		if (json_is_string(it) && json_is_string(val)) {
			int64_t a, b;
			if (cf__parse_iso8601(&a, json_string_value(it), json_string_length(it)) == 0 &&
				cf__parse_iso8601(&b, json_string_value(val), json_string_length(val)) == 0 && a == b)
				return 1;
		}
	}
	return 0;
}

static void finish_agg(cf_validation *v, cf__exp_state *e)
{
	cf_type t = v->col_types[e->col];
	cf__exp_op op = e->def->op;
	double x = NAN;
	int have = e->n > 0;

	switch (op) {
	case OP_MIN: case OP_MAX:
		if (!have)
			break;
		if (t == CF_TYPE_STRING) {
			const char *s = op == OP_MIN ? e->smin : e->smax;
			e->observed = json_string(s);
			e->success = cf__bound_ok_str(&e->lo, &e->hi, s);
			return;
		}
		if (t == CF_TYPE_TIMESTAMP) {
			int64_t ts = op == OP_MIN ? e->imin : e->imax;
			e->observed = cf__key_json(t, (uint64_t)ts);
			e->success = cf__bound_ok_ts(&e->lo, &e->hi, ts);
			return;
		}
		if (t == CF_TYPE_FLOAT64) {
			x = op == OP_MIN ? e->dmin : e->dmax;
			e->observed = json_real(x);
		} else {
			int64_t iv = op == OP_MIN ? e->imin : e->imax;
			x = (double)iv;
			e->observed = t == CF_TYPE_BOOL ? json_boolean(iv) : json_integer((json_int_t)iv);
		}
		e->success = bounds_check_observed(e, x);
		return;
	case OP_MEAN:
		if (!have)
			break;
		x = (t == CF_TYPE_FLOAT64 || e->isum_overflow) ? e->dsum / (double)e->n : (double)e->isum / (double)e->n;
		e->observed = json_real(x);
		e->success = bounds_check_observed(e, x);
		return;
	case OP_STDEV:
		if (e->n < 2)
			break;
		x = sqrt(e->m2 / (double)(e->n - 1));
		e->observed = json_real(x);
		e->success = bounds_check_observed(e, x);
		return;
	case OP_SUM:
		if (t != CF_TYPE_FLOAT64 && !e->isum_overflow) {
			e->observed = json_integer((json_int_t)e->isum);
			x = (double)e->isum;
		} else {
			x = e->dsum;
			e->observed = json_real(x);
		}
		e->success = bounds_check_observed(e, x);
		return;
	case OP_MEDIAN: {
		size_t nd = 0;
		sorted_val *sv;
		if (!have)
			break;
		sv = sorted_numbers(e, t, &nd);
		if (sv == NULL)
			break;
		if (e->n % 2)
			x = nth_value(sv, e->vc.counts, nd, e->n / 2);
		else
			x = (nth_value(sv, e->vc.counts, nd, e->n / 2 - 1) + nth_value(sv, e->vc.counts, nd, e->n / 2)) / 2;
		free(sv);
		e->observed = json_real(x);
		e->success = bounds_check_observed(e, x);
		return;
	}
	case OP_QUANTILES: {
		json_t *qr = json_object_get(e->kwargs, "quantile_ranges"), *qs = json_object_get(qr, "quantiles");
		json_t *rs = json_object_get(qr, "value_ranges"), *vals = json_array(), *det = json_array(), *q;
		size_t nd = 0, i;
		sorted_val *sv;
		int ok = 1;
		if (!have) {
			json_decref(vals);
			json_decref(det);
			break;
		}
		sv = sorted_numbers(e, t, &nd);
		json_array_foreach(qs, i, q) {
			json_t *r = json_array_get(rs, i), *lo = json_array_get(r, 0), *hi = json_array_get(r, 1);
			double qv = quantile_nearest(sv, e->vc.counts, nd, e->n, json_number_value(q));
			int good = 1;
			if (t == CF_TYPE_INT64 || t == CF_TYPE_BOOL)
				json_array_append_new(vals, json_integer((json_int_t)qv));
			else if (t == CF_TYPE_TIMESTAMP)
				json_array_append_new(vals, cf__key_json(t, (uint64_t)(int64_t)qv));
			else
				json_array_append_new(vals, json_real(qv));
			if (lo && json_is_number(lo) && qv < json_number_value(lo))
				good = 0;
			if (hi && json_is_number(hi) && qv > json_number_value(hi))
				good = 0;
			ok &= good;
			json_array_append_new(det, json_boolean(good));
		}
		free(sv);
		e->observed = json_object();
		json_object_set(e->observed, "quantiles", qs);
		json_object_set_new(e->observed, "values", vals);
		e->details = json_object();
		json_object_set_new(e->details, "success_details", det);
		e->success = ok;
		return;
	}
	case OP_PROP_UNIQUE: case OP_UNIQUE_COUNT: {
		size_t nd = cf__vc_size(&e->vc), i, distinct = 0;
		for (i = 0; i < nd; i++)
			distinct += e->vc.counts[i] > 0;
		if (op == OP_UNIQUE_COUNT) {
			e->observed = json_integer((json_int_t)distinct);
			x = (double)distinct;
		} else {
			x = e->n ? (double)distinct / (double)e->n : 0.0;
			e->observed = json_real(x);
		}
		e->success = bounds_check_observed(e, x);
		return;
	}
	case OP_DISTINCT_IN: case OP_DISTINCT_CONTAIN: case OP_DISTINCT_EQUAL: {
		/* GX 1.24 reports these as counts of distinct values outside / missing from the set, with a null
		 * observed_value; the distinct values themselves go to details. */
		json_t *obs = distinct_sorted(v, e, t, 0), *it, *unexp = json_array(), *miss = json_array();
		size_t i, nunexp = 0, nmiss = 0;
		if (obs == NULL) {
			json_decref(unexp);
			json_decref(miss);
			break;
		}
		e->details = json_object();
		json_object_set_new(e->details, "value_counts", distinct_sorted(v, e, t, 1));
		if (e->value_set != NULL) {
			json_array_foreach(obs, i, it)
				if (!json_in_list(e->value_set, it) && nunexp++ < e->pcount)
					json_array_append(unexp, it);
			json_array_foreach(e->value_set, i, it)
				if (!json_in_list(obs, it) && nmiss++ < e->pcount)
					json_array_append(miss, it);
		}
		e->observed = json_null();
		e->extra_result = json_object();
		if (op != OP_DISTINCT_CONTAIN)
			json_object_set_new(e->extra_result, "unexpected_count", json_integer((json_int_t)nunexp));
		if (op != OP_DISTINCT_IN)
			json_object_set_new(e->extra_result, "missing_count", json_integer((json_int_t)nmiss));
		if (op != OP_DISTINCT_CONTAIN)
			json_object_set(e->extra_result, "partial_unexpected_list", unexp);
		if (op != OP_DISTINCT_IN)
			json_object_set(e->extra_result, "partial_missing_list", miss);
		json_decref(unexp);
		json_decref(miss);
		json_decref(obs);
		e->unexpected = op == OP_DISTINCT_CONTAIN ? 0 : nunexp;
		e->success = (op == OP_DISTINCT_CONTAIN || nunexp == 0) && (op == OP_DISTINCT_IN || nmiss == 0);
		return;
	}
	case OP_MOST_COMMON: {
		json_t *counts = distinct_sorted(v, e, t, 1), *it, *modes = json_array();
		size_t i, inter = 0;
		json_int_t best = 0;
		int ties_okay = json_is_true(json_object_get(e->kwargs, "ties_okay"));
		if (counts == NULL)
			break;
		json_array_foreach(counts, i, it)
			if (json_integer_value(json_object_get(it, "count")) > best)
				best = json_integer_value(json_object_get(it, "count"));
		json_array_foreach(counts, i, it)
			if (json_integer_value(json_object_get(it, "count")) == best && best > 0)
				json_array_append(modes, json_object_get(it, "value"));
		json_decref(counts);
		json_array_foreach(modes, i, it)
			inter += json_in_list(e->value_set, it);
		e->observed = modes;
		e->success = ties_okay ? inter > 0 : (json_array_size(modes) == 1 && inter == 1);
		return;
	}
	case OP_OF_TYPE: case OP_IN_TYPE_LIST: {
		const char *scalar = pandas_type_name(t, e->missing > 0);
		json_t *tl = op == OP_OF_TYPE ? NULL : json_object_get(e->kwargs, "type_list"), *it;
		const char *type_ = op == OP_OF_TYPE ? json_string_value(json_object_get(e->kwargs, "type_")) : NULL;
		size_t i;
		int object = strcmp(scalar, "object_") == 0, ok = 0;

		if (op == OP_IN_TYPE_LIST && (tl == NULL || json_is_null(tl))) {
			e->observed = json_string(scalar);
			e->success = 1;
			return;
		}
		if (op == OP_OF_TYPE && !(object && !dtype_matches(type_, "object_"))) {
			/* A dtype comparison; for an object column only when asked for object itself. */
			e->observed = json_string(scalar);
			e->success = dtype_matches(type_, scalar);
			return;
		}
		if (!object) {
			e->observed = json_string(scalar);
			json_array_foreach(tl, i, it)
				if (json_is_string(it) && dtype_matches(json_string_value(it), scalar))
					ok = 1;
			e->success = ok;
			return;
		}
		/* Object columns: GX checks every value's Python type, a map-shaped result with `mostly`. */
		if (op == OP_OF_TYPE) {
			if (strcmp(type_, "string") == 0) {
				e->exception = cf__strdup(v->ctx, "TypeError: data type 'string' not understood");
				return;
			}
			ok = value_type_matches(type_, t);
		} else {
			json_array_foreach(tl, i, it)
				if (json_is_string(it) && value_type_matches(json_string_value(it), t))
					ok = 1;
		}
		e->map_shaped = 1;
		if (ok) {
			json_decref(e->partial);
			json_decref(e->partial_idx);
			e->partial = e->partial_idx = NULL;
		}
		e->unexpected = ok ? 0 : e->n;
		e->success = e->n == 0 || (double)(e->n - e->unexpected) / (double)e->n >= e->mostly;
		return;
	}
	default:
		break;
	}
	/* No value to judge (an empty column): GX fails the expectation with a null observed value. */
	e->observed = json_null();
	e->success = 0;
}

static void finish_table(cf_validation *v, cf__exp_state *e)
{
	size_t i;
	json_t *it, *cols = json_array();

	for (i = 0; i < v->ncols; i++)
		json_array_append_new(cols, json_string(v->col_names[i]));
	switch (e->def->op) {
	case OP_ROW_COUNT_BETWEEN: case OP_COLCOUNT_BETWEEN: {
		uint64_t n = e->def->op == OP_ROW_COUNT_BETWEEN ? v->rows : v->ncols;
		cf__bound lo, hi;
		cf__bind_bound(v, e, &lo, "min_value", "strict_min", CF_TYPE_INT64, 1);
		cf__bind_bound(v, e, &hi, "max_value", "strict_max", CF_TYPE_INT64, 1);
		e->observed = json_integer((json_int_t)n);
		e->success = cf__bound_ok_num(&lo, &hi, (double)n);
		break;
	}
	case OP_ROW_COUNT_EQUAL: case OP_COLCOUNT_EQUAL: {
		uint64_t n = e->def->op == OP_ROW_COUNT_EQUAL ? v->rows : v->ncols;
		e->observed = json_integer((json_int_t)n);
		e->success = (double)n == json_number_value(json_object_get(e->kwargs, "value"));
		break;
	}
	case OP_COLUMNS_ORDERED: {
		json_t *want = json_object_get(e->kwargs, "column_list");
		e->observed = json_deep_copy(cols);
		e->success = json_equal(want, cols);
		if (!e->success) {
			json_t *mism = json_array();
			size_t n = json_array_size(want) > v->ncols ? json_array_size(want) : v->ncols;
			for (i = 0; i < n; i++) {
				json_t *a = json_array_get(want, i), *b = json_array_get(cols, i);
				if (a == NULL || b == NULL || !json_equal(a, b)) {
					json_t *m = json_object();
					json_object_set_new(m, "Expected Column Position", json_integer((json_int_t)i));
					json_object_set(m, "Expected", a ? a : json_null());
					json_object_set(m, "Found", b ? b : json_null());
					json_array_append_new(mism, m);
				}
			}
			e->details = json_object();
			json_object_set_new(e->details, "mismatched", mism);
		}
		break;
	}
	case OP_COLUMNS_SET: {
		json_t *want = json_object_get(e->kwargs, "column_set");
		json_t *exact = json_object_get(e->kwargs, "exact_match");
		int exact_match = exact == NULL || json_is_null(exact) || json_is_true(exact), ok = 1;
		json_t *missing = json_array(), *extra = json_array();
		json_array_foreach(want, i, it)
			if (!json_in_list(cols, it)) {
				ok = 0;
				json_array_append(missing, it);
			}
		json_array_foreach(cols, i, it)
			if (!json_in_list(want, it)) {
				if (exact_match)
					ok = 0;
				json_array_append(extra, it);
			}
		e->observed = json_deep_copy(cols);
		e->success = ok;
		e->details = json_object();
		json_object_set_new(e->details, "mismatched", json_pack("{s:o,s:o}", "unexpected", extra, "missing", missing));
		break;
	}
	case OP_COLUMN_EXISTS: {
		int idx = cf__find_col(v, e->column);
		json_t *ci = json_object_get(e->kwargs, "column_index");
		e->success = idx >= 0 && (ci == NULL || json_is_null(ci) ||
			(json_is_integer(ci) && json_integer_value(ci) == idx));
		break;
	}
	default:
		break;
	}
	json_decref(cols);
}

int cf_validation_finish(cf_validation *v)
{
	size_t i;

	CF__CHECK_ARG(v);
	if (v->finished)
		return cf__error_set(CF_EINVAL, "cf_validation_finish: already finished");
	if (!v->started) {
		/* No chunk at all: an empty table without columns. */
		cf_table empty;
		int rc;
		memset(&empty, 0, sizeof empty);
		v->started = 1;
		if ((rc = cf__schema_set(v, &empty)) != 0)
			return rc;
	}
	for (i = 0; i < v->n; i++) {
		cf__exp_state *e = v->exps[i];
		if (e->skipped || e->exception)
			continue;
		switch (e->def->kind) {
		case CF__K_TABLE: finish_table(v, e); break;
		case CF__K_AGG:
			if (e->observed == NULL) /* statistics may have judged it already (an estimate) */
				finish_agg(v, e);
			break;
		default:
			finish_map(e);
			/* Statistics hold no row positions: their results carry no partial lists. */
			if ((e->def->op == OP_UNIQUE || e->def->op == OP_COMPOUND_UNIQUE) && !v->from_stats)
				unique_lists(v, e);
			break;
		}
	}
	v->finished = 1;
	return cf__validation_build_results(v);
}

/* ---- accessors used by the report ---- */

json_t *cf__exp_config_json(const cf_validation *v, size_t i)
{
	json_t *ej = json_array_get(v->suite->expectations, i), *o = json_object(), *meta = json_object_get(ej, "meta");
	json_t *id = json_object_get(ej, "id");

	if (v->opts.spelling == CF_GE_SPELLING_V0) {
		json_object_set_new(o, "expectation_type", json_string(v->exps[i]->type));
	} else {
		json_object_set_new(o, "type", json_string(v->exps[i]->type));
	}
	json_object_set(o, "kwargs", v->exps[i]->kwargs ? v->exps[i]->kwargs : json_object_get(ej, "kwargs"));
	json_object_set_new(o, "meta", json_is_object(meta) ? json_deep_copy(meta) : json_object());
	if (id && !json_is_null(id) && v->opts.spelling != CF_GE_SPELLING_V0)
		json_object_set(o, "id", id);
	return o;
}

static json_t *pct(uint64_t num, uint64_t den)
{
	return den ? json_real(100.0 * (double)num / (double)den) : json_null();
}

static json_t *partial_counts(const json_t *partial)
{
	/* GX: Counter(partial list).most_common(), ordered by count descending, then value. */
	json_t *out = json_array(), *it;
	size_t i, j, n = json_array_size(partial);
	size_t *cnt = calloc(n + 1, sizeof *cnt);
	int *first = calloc(n + 1, sizeof *first);

	if (cnt == NULL || first == NULL) {
		free(cnt);
		free(first);
		return out;
	}
	for (i = 0; i < n; i++) {
		first[i] = 1;
		for (j = 0; j < i; j++)
			if (json_equal(json_array_get(partial, j), json_array_get(partial, i))) {
				first[i] = 0;
				cnt[j]++;
				break;
			}
		if (first[i])
			cnt[i] = 1;
	}
	for (;;) {
		size_t best = n;
		for (i = 0; i < n; i++) {
			if (!first[i])
				continue;
			if (best == n || cnt[i] > cnt[best])
				best = i;
			else if (cnt[i] == cnt[best]) {
				json_t *a = json_array_get(partial, i), *b = json_array_get(partial, best);
				int less = 0;
				if (json_is_number(a) && json_is_number(b))
					less = json_number_value(a) < json_number_value(b);
				else if (json_is_string(a) && json_is_string(b))
					less = strcmp(json_string_value(a), json_string_value(b)) < 0;
				if (less)
					best = i;
			}
		}
		if (best == n)
			break;
		it = json_object();
		json_object_set(it, "value", json_array_get(partial, best));
		json_object_set_new(it, "count", json_integer((json_int_t)cnt[best]));
		json_array_append_new(out, it);
		first[best] = 0;
	}
	free(cnt);
	free(first);
	return out;
}

json_t *cf__exp_result_json(cf__exp_state *e, int *success, json_t **exception_info)
{
	json_t *r = json_object();
	int null_check = e->def && (e->def->op == OP_NOT_NULL || e->def->op == OP_NULL);

	*exception_info = json_pack("{s:b,s:n,s:n}", "raised_exception", 0, "exception_message",
		"exception_traceback");
	if (e->skipped || e->exception) {
		*success = 0;
		json_object_set_new(*exception_info, "raised_exception", json_boolean(e->exception != NULL));
		json_object_set_new(*exception_info, "exception_message", json_string(e->exception ? e->exception :
			"skipped: unknown expectation type"));
		return r;
	}
	*success = e->success;
	if ((e->def->kind == CF__K_TABLE || e->def->kind == CF__K_AGG) && !e->map_shaped) {
		if (e->observed)
			json_object_set(r, "observed_value", e->observed);
		if (e->extra_result)
			json_object_update(r, e->extra_result);
		if (e->details)
			json_object_set(r, "details", e->details);
		return r;
	}
	if (e->fmt == CF_RESULT_FORMAT_BOOLEAN_ONLY)
		return r;
	{
		uint64_t nonmissing = e->element_count - e->missing;
		json_t *partial = e->partial ? e->partial : json_array();
		json_t *pidx = e->partial_idx ? e->partial_idx : json_array();
		json_object_set_new(r, "element_count", json_integer((json_int_t)e->element_count));
		json_object_set_new(r, "unexpected_count", json_integer((json_int_t)e->unexpected));
		json_object_set_new(r, "unexpected_percent", null_check ? pct(e->unexpected, e->element_count) :
			pct(e->unexpected, nonmissing));
		json_object_set(r, "partial_unexpected_list", partial);
		if (!null_check) {
			json_object_set_new(r, "missing_count", json_integer((json_int_t)e->missing));
			json_object_set_new(r, "missing_percent", pct(e->missing, e->element_count));
			json_object_set_new(r, "unexpected_percent_total", pct(e->unexpected, e->element_count));
			json_object_set_new(r, "unexpected_percent_nonmissing", pct(e->unexpected, nonmissing));
		}
		if (e->fmt >= CF_RESULT_FORMAT_SUMMARY) {
			json_object_set_new(r, "partial_unexpected_counts", partial_counts(partial));
			json_object_set(r, "partial_unexpected_index_list", pidx);
		}
		if (e->fmt == CF_RESULT_FORMAT_COMPLETE) {
			json_object_set_new(r, "unexpected_list", e->all_list ? json_incref(e->all_list) : json_array());
			json_object_set_new(r, "unexpected_index_list", e->all_idx ? json_incref(e->all_idx) : json_array());
		}
		if (!e->partial)
			json_decref(partial);
		if (!e->partial_idx)
			json_decref(pidx);
	}
	return r;
}

void cf__exp_summary(cf__exp_state *e, cf_expectation_result *out)
{
	memset(out, 0, sizeof *out);
	out->type = e->type;
	out->column = e->column;
	out->skipped = e->skipped;
	out->raised_exception = e->exception != NULL;
	out->exception_message = e->exception ? e->exception : (e->skipped ? "skipped: unknown expectation type" : NULL);
	out->success = !e->skipped && !e->exception && e->success;
	out->element_count = e->element_count;
	out->missing_count = e->missing;
	out->unexpected_count = e->unexpected;
	out->observed_value = NAN;
	if (e->observed && !e->skipped && !e->exception) {
		out->has_observed_value = 1;
		if (json_is_number(e->observed))
			out->observed_value = json_number_value(e->observed);
		else if (json_is_boolean(e->observed))
			out->observed_value = json_is_true(e->observed);
		if (e->observed_text == NULL)
			e->observed_text = json_dumps(e->observed, JSON_COMPACT | JSON_ENCODE_ANY | JSON_PRESERVE_ORDER |
				JSON_REAL_PRECISION(17));
		out->observed_json = e->observed_text;
	}
}

