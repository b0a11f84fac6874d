/* Expectation suites (include/cogniforge/validate.h): loading, GX semantics of each family, `mostly`,
 * parameters, streaming, result JSON and JUnit, bad input. */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

static cf_suite *suite_of(const char *json)
{
	cf_suite *s = NULL;
	int rc = cf_suite_parse(&s, NULL, json, strlen(json), "test.json");
	ck_assert_msg(rc == CF_OK, "suite: %s", cf_error_last()->message);
	return s;
}

static json_t *run_json(cf_validation *v)
{
	cf_buf b = CF_BUF_INIT;
	json_error_t err;
	json_t *doc;

	ck_assert_int_eq(cf_validation_to_json(&b, v), CF_OK);
	doc = json_loads(b.ptr, 0, &err);
	ck_assert_msg(doc != NULL, "result JSON does not parse: %s", err.text);
	cf_buf_dispose(&b);
	return doc;
}

static json_t *result_of(json_t *doc, size_t i)
{
	return json_object_get(json_array_get(json_object_get(doc, "results"), i), "result");
}

/* The reference's worked example: 1,000 rows, 40 nulls, 12 values out of range. */
static cf_table *income_table(double *vals, uint8_t *valid)
{
	cf_table *t = NULL;
	cf_column_view c = {"income", CF_TYPE_FLOAT64, 1000, vals, valid, 0, NULL, 0};
	size_t i;

	memset(valid, 0xff, 125);
	for (i = 0; i < 1000; i++) {
		vals[i] = 1000.0 + (double)i;
		if (i % 25 == 3)
			valid[i / 8] &= (uint8_t)~(1u << (i % 8)); /* 40 nulls */
	}
	for (i = 0; i < 12; i++)
		vals[100 + 50 * i + 1] = -1.0 - (double)(i % 3); /* 12 negatives, on valid rows */
	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	ck_assert_int_eq(cf_table_add_column(t, &c, CF_TABLE_BORROW), CF_OK);
	return t;
}

START_TEST(test_mostly_worked_example)
{
	static double vals[1000];
	static uint8_t valid[125];
	cf_table *t = income_table(vals, valid);
	cf_suite *s = suite_of("{\"name\": \"loans\", \"expectations\": ["
		"{\"type\": \"expect_column_values_to_be_between\", \"kwargs\": {\"column\": \"income\", \"min_value\": 0,"
		" \"mostly\": 0.99}},"
		"{\"type\": \"expect_column_values_to_be_between\", \"kwargs\": {\"column\": \"income\", \"min_value\": 0,"
		" \"mostly\": 0.9875}},"
		"{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"income\", \"mostly\": 0.96}},"
		"{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"income\"}}]}");
	cf_validation *v = NULL;
	cf_expectation_result r;
	cf_validation_summary sum;
	json_t *doc, *res;

	ck_assert_int_eq(cf_validate_table(&v, NULL, s, t, NULL), CF_OK);
	ck_assert_int_eq(cf_validation_result(&r, v, 0), CF_OK);
	ck_assert_uint_eq(r.element_count, 1000);
	ck_assert_uint_eq(r.missing_count, 40);
	ck_assert_uint_eq(r.unexpected_count, 12);
	ck_assert_int_eq(r.success, 0);          /* 948/960 = 0.9875 < 0.99 */
	ck_assert_int_eq(cf_validation_result(&r, v, 1), CF_OK);
	ck_assert_int_eq(r.success, 1);          /* inclusive */
	ck_assert_int_eq(cf_validation_result(&r, v, 2), CF_OK);
	ck_assert_uint_eq(r.unexpected_count, 40);
	ck_assert_int_eq(r.success, 1);          /* 960/1000 >= 0.96, nulls counted over all rows */
	ck_assert_int_eq(cf_validation_result(&r, v, 3), CF_OK);
	ck_assert_int_eq(r.success, 0);
	ck_assert_int_eq(cf_validation_get_summary(&sum, v), CF_OK);
	ck_assert_int_eq(sum.success, 0);
	ck_assert_uint_eq(sum.evaluated, 4);
	ck_assert_uint_eq(sum.successful, 2);
	doc = run_json(v);
	res = result_of(doc, 0);
	ck_assert_double_eq_tol(json_real_value(json_object_get(res, "unexpected_percent")), 1.25, 1e-12);
	ck_assert_double_eq_tol(json_real_value(json_object_get(res, "unexpected_percent_total")), 1.2, 1e-12);
	ck_assert_double_eq_tol(json_real_value(json_object_get(res, "missing_percent")), 4.0, 1e-12);
	ck_assert_uint_eq(json_array_size(json_object_get(res, "partial_unexpected_list")), 12);
	ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(res, "partial_unexpected_index_list"), 0)), 101);
	/* partial_unexpected_counts: most frequent first (-1.0 four times...), then by value. */
	ck_assert_double_eq(json_real_value(json_object_get(json_array_get(json_object_get(res,
		"partial_unexpected_counts"), 0), "value")), -3.0);
	ck_assert(json_object_get(result_of(doc, 3), "missing_count") == NULL); /* null checks omit missing_* */
	ck_assert_double_eq_tol(json_real_value(json_object_get(json_object_get(doc, "statistics"), "success_percent")),
		50.0, 1e-12);
	json_decref(doc);
	cf_validation_free(v);
	cf_suite_free(s);
	cf_table_free(t);
}
END_TEST

/* A small mixed table: 10 rows. */
static cf_table *mixed_table(void)
{
	static int64_t age[10] = {25, 30, 30, 41, 52, 30, 19, 64, 41, 0};
	static double score[10] = {0.5, 1.5, 2.5, NAN, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5};
	static uint8_t flag[10] = {1, 0, 1, 1, 0, 1, 1, 0, 1, 1};
	static int64_t ts[10];
	static uint8_t age_valid[2] = {0xff, 0x01}; /* row 9 null */
	static const char *sex[10] = {"Male", "Female", "Male", NULL, "Male", "Female", "Male", "Other", "Male", "Female"};
	static const char *code[10] = {"a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8", "a1", "zz"};
	cf_table *t = NULL;
	cf_column_view c;
	size_t i;

	for (i = 0; i < 10; i++)
		ts[i] = 1700000000000000LL + (int64_t)i * 3600000000LL; /* 2023-11-14T22:13:20Z + i hours */
	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	memset(&c, 0, sizeof c);
	c.length = 10;
	c.name = "age"; c.type = CF_TYPE_INT64; c.values = age; c.validity = age_valid;
	ck_assert_int_eq(cf_table_add_column(t, &c, CF_TABLE_BORROW), CF_OK);
	c.name = "score"; c.type = CF_TYPE_FLOAT64; c.values = score; c.validity = NULL;
	ck_assert_int_eq(cf_table_add_column(t, &c, CF_TABLE_BORROW), CF_OK);
	c.name = "flag"; c.type = CF_TYPE_BOOL; c.values = flag;
	ck_assert_int_eq(cf_table_add_column(t, &c, CF_TABLE_BORROW), CF_OK);
	c.name = "ts"; c.type = CF_TYPE_TIMESTAMP; c.values = ts;
	ck_assert_int_eq(cf_table_add_column(t, &c, CF_TABLE_BORROW), CF_OK);
	ck_assert_int_eq(cf_table_add_strings(t, "sex", sex, 10), CF_OK);
	ck_assert_int_eq(cf_table_add_strings(t, "code", code, 10), CF_OK);
	return t;
}

#define EXP(type, kwargs) "{\"type\": \"" type "\", \"kwargs\": " kwargs "}"

static cf_validation *validate_mixed(const char *exps, cf_table **t_out, cf_suite **s_out)
{
	char json[8192];
	cf_validate_options o = CF_VALIDATE_OPTIONS_INIT;
	cf_validation *v = NULL;
	int rc;

	snprintf(json, sizeof json, "{\"name\": \"mixed\", \"suite_parameters\": {\"max_age\": 64, "
		"\"sexes\": [\"Male\", \"Female\"]}, \"expectations\": [%s]}", exps);
	*s_out = suite_of(json);
	*t_out = mixed_table();
	o.now_us = 1700000000000000LL + 12 * 3600000000LL; /* 12 h after the first row */
	rc = cf_validate_table(&v, NULL, *s_out, *t_out, &o);
	ck_assert_msg(rc == CF_OK, "validate: %s", cf_error_last()->message);
	return v;
}

static void expect(cf_validation *v, size_t i, int success, long long unexpected)
{
	cf_expectation_result r;
	ck_assert_int_eq(cf_validation_result(&r, v, i), CF_OK);
	ck_assert_msg(r.success == success, "expectation %zu (%s %s): success %d, wanted %d (%s)", i, r.type,
		r.column ? r.column : "", r.success, success, r.exception_message ? r.exception_message : "");
	if (unexpected >= 0)
		ck_assert_msg((long long)r.unexpected_count == unexpected, "expectation %zu (%s): unexpected %llu, wanted %lld",
			i, r.type, (unsigned long long)r.unexpected_count, unexpected);
}

static double observed(cf_validation *v, size_t i)
{
	cf_expectation_result r;
	ck_assert_int_eq(cf_validation_result(&r, v, i), CF_OK);
	ck_assert(r.has_observed_value);
	return r.observed_value;
}

START_TEST(test_map_expectations)
{
	cf_table *t;
	cf_suite *s;
	cf_validation *v = validate_mixed(
		EXP("expect_column_values_to_be_between", "{\"column\": \"age\", \"min_value\": 19, \"max_value\": 64}") ","
		EXP("expect_column_values_to_be_between", "{\"column\": \"age\", \"min_value\": 19, \"max_value\": 64,"
			" \"strict_min\": true, \"strict_max\": true}") ","
		EXP("expect_column_values_to_be_between", "{\"column\": \"score\", \"max_value\": 5}") ","
		EXP("expect_column_values_to_be_in_set", "{\"column\": \"sex\", \"value_set\": {\"$PARAMETER\": \"sexes\"}}") ","
		EXP("expect_column_values_to_not_be_in_set", "{\"column\": \"age\", \"value_set\": [30, 41.0]}") ","
		EXP("expect_column_values_to_match_regex", "{\"column\": \"code\", \"regex\": \"^[a-h][0-9]$\"}") ","
		EXP("expect_column_values_to_not_match_regex", "{\"column\": \"code\", \"regex\": \"1\"}") ","
		EXP("expect_column_values_to_match_regex", "{\"column\": \"age\", \"regex\": \"^[0-9]{2}$\"}") ","
		EXP("expect_column_values_to_be_unique", "{\"column\": \"age\"}") ","
		EXP("expect_column_values_to_be_unique", "{\"column\": \"code\"}") ","
		EXP("expect_column_value_lengths_to_be_between", "{\"column\": \"sex\", \"min_value\": 4, \"max_value\": 5}") ","
		EXP("expect_column_value_lengths_to_equal", "{\"column\": \"code\", \"value\": 2}") ","
		EXP("expect_column_values_to_be_null", "{\"column\": \"sex\", \"mostly\": 0.1}") ","
		EXP("expect_column_values_to_match_regex_list", "{\"column\": \"code\", \"regex_list\": [\"^a\", \"1$\"],"
			" \"match_on\": \"all\"}") ","
		EXP("expect_column_values_to_be_between", "{\"column\": \"ts\", \"min_value\": \"2023-11-15T00:00:00\"}") ","
		EXP("expect_column_values_to_be_in_set", "{\"column\": \"flag\", \"value_set\": [true]}"),
		&t, &s);

	expect(v, 0, 1, 0);
	expect(v, 1, 0, 2);   /* 19 and 64 are on the strict bounds */
	expect(v, 2, 0, 5);   /* the NaN is missing, not unexpected */
	expect(v, 3, 0, 1);   /* "Other"; the null is skipped */
	expect(v, 4, 0, 5);   /* 30 x3, 41 x2 */
	expect(v, 5, 0, 1);   /* "zz" */
	expect(v, 6, 0, 2);   /* both "a1" */
	expect(v, 7, 1, 0);   /* ints matched through str() */
	expect(v, 8, 0, 5);   /* every occurrence of a repeated value counts */
	expect(v, 9, 0, 2);
	expect(v, 10, 0, 3);  /* "Female" x3 has 6 letters */
	expect(v, 11, 1, 0);
	expect(v, 12, 1, 9);  /* 1 null of 10 rows: 1/10 >= 0.1 */
	expect(v, 13, 0, 8);
	expect(v, 14, 0, 2);  /* rows 0 and 1 are before midnight */
	expect(v, 15, 0, 3);
	cf_validation_free(v);
	cf_suite_free(s);
	cf_table_free(t);
}
END_TEST

START_TEST(test_aggregate_expectations)
{
	cf_table *t;
	cf_suite *s;
	cf_validation *v = validate_mixed(
		EXP("expect_column_min_to_be_between", "{\"column\": \"age\", \"min_value\": 19}") ","
		EXP("expect_column_max_to_be_between", "{\"column\": \"age\", \"max_value\": {\"$PARAMETER\": \"max_age\"},"
			" \"strict_max\": true}") ","
		EXP("expect_column_mean_to_be_between", "{\"column\": \"age\", \"min_value\": 36, \"max_value\": 37}") ","
		EXP("expect_column_median_to_be_between", "{\"column\": \"age\", \"min_value\": 30, \"max_value\": 30}") ","
		EXP("expect_column_stdev_to_be_between", "{\"column\": \"score\", \"min_value\": 3.1, \"max_value\": 3.2}") ","
		EXP("expect_column_sum_to_be_between", "{\"column\": \"age\", \"min_value\": 332, \"max_value\": 332}") ","
		EXP("expect_column_proportion_of_unique_values_to_be_between", "{\"column\": \"code\", \"min_value\": 0.9}") ","
		EXP("expect_column_unique_value_count_to_be_between", "{\"column\": \"sex\", \"min_value\": 3, \"max_value\": 3}") ","
		EXP("expect_column_distinct_values_to_be_in_set", "{\"column\": \"sex\", \"value_set\": [\"Male\", \"Female\"]}") ","
		EXP("expect_column_distinct_values_to_contain_set", "{\"column\": \"sex\", \"value_set\": [\"Male\", \"Female\"]}") ","
		EXP("expect_column_distinct_values_to_equal_set", "{\"column\": \"age\", \"value_set\": [19, 25, 30, 41, 52, 64]}") ","
		EXP("expect_column_most_common_value_to_be_in_set", "{\"column\": \"age\", \"value_set\": [30]}") ","
		EXP("expect_column_quantile_values_to_be_between", "{\"column\": \"age\", \"quantile_ranges\": {\"quantiles\":"
			" [0.0, 0.5, 1.0], \"value_ranges\": [[19, 19], [30, 30], [60, 70]]}}") ","
		EXP("expect_column_max_to_be_between", "{\"column\": \"ts\", \"min_value\": {\"$PARAMETER\":"
			" \"now() - timedelta(hours=2)\"}}") ","
		EXP("expect_column_max_to_be_between", "{\"column\": \"ts\", \"min_value\": {\"$PARAMETER\":"
			" \"now() - timedelta(days=1, minutes=30)\"}}") ","
		EXP("expect_column_values_to_be_of_type", "{\"column\": \"age\", \"type_\": \"int64\"}") ","
		EXP("expect_column_values_to_be_in_type_list", "{\"column\": \"score\", \"type_list\": [\"int64\", \"float64\"]}") ","
		EXP("expect_column_min_to_be_between", "{\"column\": \"sex\", \"min_value\": \"A\", \"max_value\": \"G\"}"),
		&t, &s);
	json_t *doc;

	expect(v, 0, 1, -1);
	ck_assert_double_eq(observed(v, 0), 19);
	{
		cf_expectation_result r;
		ck_assert_int_eq(cf_validation_result(&r, v, 13), CF_OK);
		ck_assert_str_eq(r.observed_json, "\"2023-11-15T07:13:20\"");
	}
	expect(v, 1, 0, -1);   /* 64 is not < 64 */
	expect(v, 2, 1, -1);
	ck_assert_double_eq_tol(observed(v, 2), 332.0 / 9, 1e-12);
	expect(v, 3, 1, -1);
	ck_assert_double_eq(observed(v, 3), 30);
	expect(v, 4, 1, -1);   /* pandas std (ddof=1) of 0.5..9.5 without 3.5 */
	ck_assert_double_eq_tol(observed(v, 4), 3.1622776601683795, 1e-12);
	expect(v, 5, 1, -1);
	expect(v, 6, 1, -1);   /* 9 distinct of 10 */
	ck_assert_double_eq_tol(observed(v, 6), 0.9, 1e-15);
	expect(v, 7, 1, -1);
	expect(v, 8, 0, -1);   /* "Other" */
	expect(v, 9, 1, -1);
	expect(v, 10, 1, -1);
	expect(v, 11, 1, -1);
	expect(v, 12, 1, -1);  /* nearest-rank quantiles 19, 30, 64 */
	expect(v, 13, 0, -1);  /* stale: newest row is 3 h before now, bound is now - 2 h */
	expect(v, 14, 1, -1);
	expect(v, 15, 0, -1);  /* age has a null: pandas makes it float64, as GX sees it */
	expect(v, 16, 1, -1);
	expect(v, 17, 1, -1);
	doc = run_json(v);
	ck_assert_str_eq(json_string_value(json_object_get(result_of(doc, 13), "observed_value")), "2023-11-15T07:13:20");
	ck_assert_int_eq(json_integer_value(json_object_get(result_of(doc, 5), "observed_value")), 332);
	ck_assert_str_eq(json_string_value(json_object_get(result_of(doc, 15), "observed_value")), "float64");
	ck_assert_int_eq(json_integer_value(json_array_get(json_object_get(json_object_get(result_of(doc, 12),
		"observed_value"), "values"), 2)), 64);
	/* GX 1.24: distinct-set checks count distinct values outside the set, observed_value is null. */
	ck_assert(json_is_null(json_object_get(result_of(doc, 8), "observed_value")));
	ck_assert_int_eq(json_integer_value(json_object_get(result_of(doc, 8), "unexpected_count")), 1);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(result_of(doc, 8), "partial_unexpected_list"),
		0)), "Other");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(json_object_get(json_object_get(result_of(doc,
		8), "details"), "value_counts"), 0), "value")), "Female");
	json_decref(doc);
	cf_validation_free(v);
	cf_suite_free(s);
	cf_table_free(t);
}
END_TEST

START_TEST(test_table_pair_multi)
{
	cf_table *t;
	cf_suite *s;
	cf_validation *v = validate_mixed(
		EXP("expect_table_row_count_to_be_between", "{\"min_value\": 5, \"max_value\": 10}") ","
		EXP("expect_table_row_count_to_equal", "{\"value\": 11}") ","
		EXP("expect_table_columns_to_match_ordered_list", "{\"column_list\": [\"age\", \"score\", \"flag\", \"ts\","
			" \"sex\", \"code\"]}") ","
		EXP("expect_table_columns_to_match_set", "{\"column_set\": [\"age\", \"sex\"], \"exact_match\": false}") ","
		EXP("expect_table_columns_to_match_set", "{\"column_set\": [\"age\", \"sex\"]}") ","
		EXP("expect_column_to_exist", "{\"column\": \"ts\", \"column_index\": 3}") ","
		EXP("expect_table_column_count_to_equal", "{\"value\": 6}") ","
		EXP("expect_column_pair_values_a_to_be_greater_than_b", "{\"column_A\": \"age\", \"column_B\": \"score\"}") ","
		EXP("expect_column_pair_values_to_be_equal", "{\"column_A\": \"age\", \"column_B\": \"age\"}") ","
		EXP("expect_compound_columns_to_be_unique", "{\"column_list\": [\"sex\", \"code\"]}") ","
		EXP("expect_compound_columns_to_be_unique", "{\"column_list\": [\"age\", \"sex\"]}") ","
		EXP("expect_multicolumn_sum_to_equal", "{\"column_list\": [\"flag\", \"flag\"], \"sum_total\": 2}") ","
		EXP("expect_column_values_to_not_be_null", "{\"column\": \"no_such_column\"}"),
		&t, &s);
	json_t *doc, *r;

	expect(v, 0, 1, -1);
	ck_assert_double_eq(observed(v, 0), 10);
	expect(v, 1, 0, -1);
	expect(v, 2, 1, -1);
	expect(v, 3, 1, -1);
	expect(v, 4, 0, -1);
	expect(v, 5, 1, -1);
	expect(v, 6, 1, -1);
	expect(v, 7, 0, 2);   /* rows 3 and 9 have one side missing: compared, and False */
	expect(v, 8, 1, 0);   /* both missing on row 9: ignored */
	expect(v, 9, 0, 2);   /* (Male, a1) twice */
	expect(v, 10, 0, 2);  /* (30, Female) on rows 1 and 5 */
	expect(v, 11, 0, 3);
	doc = run_json(v);
	r = json_array_get(json_object_get(doc, "results"), 12);
	ck_assert(json_is_false(json_object_get(r, "success")));
	ck_assert(json_is_true(json_object_get(json_object_get(r, "exception_info"), "raised_exception")));
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(json_object_get(r, "exception_info"),
		"exception_message")), "no_such_column"));
	json_decref(doc);
	cf_validation_free(v);
	cf_suite_free(s);
	cf_table_free(t);
}
END_TEST

START_TEST(test_streaming_equals_whole)
{
	enum { N = 10007 };
	static int64_t a[N];
	static double b[N];
	static const char *c[N];
	static const char *cats[7] = {"x", "y", "z", "w", "v", "u", "t"};
#define EXP0(type, kwargs) "{\"expectation_type\": \"" type "\", \"kwargs\": " kwargs "}"
	const char *suite_json = "{\"expectation_suite_name\": \"s\", \"expectations\": ["
		EXP0("expect_column_values_to_be_between", "{\"column\": \"a\", \"min_value\": 10, \"mostly\": 0.5}") ","
		EXP0("expect_column_values_to_be_unique", "{\"column\": \"a\"}") ","
		EXP0("expect_column_median_to_be_between", "{\"column\": \"b\"}") ","
		EXP0("expect_column_stdev_to_be_between", "{\"column\": \"b\"}") ","
		EXP0("expect_column_values_to_be_in_set", "{\"column\": \"c\", \"value_set\": [\"x\", \"y\"]}") ","
		EXP0("expect_column_distinct_values_to_equal_set", "{\"column\": \"c\", \"value_set\": [\"x\"]}") "]}";
#undef EXP0
	cf_suite *s = suite_of(suite_json);
	cf_table *whole = NULL;
	cf_validation *v1 = NULL, *v2 = NULL;
	cf_buf j1 = CF_BUF_INIT, j2 = CF_BUF_INIT;
	cf_validate_options o = CF_VALIDATE_OPTIONS_INIT;
	size_t i, start;
	cf_column_view cv;

	for (i = 0; i < N; i++) {
		a[i] = (int64_t)((i * 7919) % 5003);
		b[i] = sin((double)i) * 100;
		c[i] = cats[(i * 31) % 7];
	}
	o.now_us = 1;
	ck_assert_int_eq(cf_table_create(&whole, NULL), CF_OK);
	memset(&cv, 0, sizeof cv);
	cv.name = "a"; cv.type = CF_TYPE_INT64; cv.length = N; cv.values = a;
	ck_assert_int_eq(cf_table_add_column(whole, &cv, CF_TABLE_BORROW), CF_OK);
	cv.name = "b"; cv.type = CF_TYPE_FLOAT64; cv.values = b;
	ck_assert_int_eq(cf_table_add_column(whole, &cv, CF_TABLE_BORROW), CF_OK);
	ck_assert_int_eq(cf_table_add_strings(whole, "c", c, N), CF_OK);
	ck_assert_int_eq(cf_validate_table(&v1, NULL, s, whole, &o), CF_OK);
	ck_assert_int_eq(cf_validation_begin(&v2, NULL, s, &o), CF_OK);
	for (start = 0; start < N; start += 997) {
		size_t n = start + 997 > N ? N - start : 997;
		cf_table *chunk = NULL;
		ck_assert_int_eq(cf_table_create(&chunk, NULL), CF_OK);
		memset(&cv, 0, sizeof cv);
		cv.name = "a"; cv.type = CF_TYPE_INT64; cv.length = n; cv.values = a + start;
		ck_assert_int_eq(cf_table_add_column(chunk, &cv, CF_TABLE_BORROW), CF_OK);
		cv.name = "b"; cv.type = CF_TYPE_FLOAT64; cv.values = b + start;
		ck_assert_int_eq(cf_table_add_column(chunk, &cv, CF_TABLE_BORROW), CF_OK);
		ck_assert_int_eq(cf_table_add_strings(chunk, "c", c + start, n), CF_OK);
		ck_assert_int_eq(cf_validation_update(v2, chunk), CF_OK);
		cf_table_free(chunk);
	}
	ck_assert_int_eq(cf_validation_finish(v2), CF_OK);
	ck_assert_int_eq(cf_validation_update(v2, whole), CF_EINVAL); /* finished */
	ck_assert_int_eq(cf_validation_to_json(&j1, v1), CF_OK);
	ck_assert_int_eq(cf_validation_to_json(&j2, v2), CF_OK);
	/* Identical except the stdev, which Welford merges chunk-free in both: identical too. */
	ck_assert_str_eq(j1.ptr, j2.ptr);
	ck_assert_ptr_nonnull(strstr(j1.ptr, "\"expectation_type\"")); /* 0.x suite, 0.x result keys */
	ck_assert_ptr_nonnull(strstr(j1.ptr, "\"evaluation_parameters\""));
	cf_buf_dispose(&j1);
	cf_buf_dispose(&j2);
	cf_validation_free(v1);
	cf_validation_free(v2);
	cf_suite_free(s);
	cf_table_free(whole);
}
END_TEST

START_TEST(test_suite_errors)
{
	cf_suite *s = NULL;
	const char *bad = "{\"name\": \"x\",\n \"expectations\": [\n  {\"type\": \"a\",}\n]}";

	ck_assert_int_eq(cf_suite_parse(&s, NULL, bad, strlen(bad), "bad.json"), CF_EFORMAT);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "bad.json:3:"));
	ck_assert_int_eq(cf_suite_parse(&s, NULL, "[]", 2, NULL), CF_EFORMAT);
	ck_assert_int_eq(cf_suite_parse(&s, NULL, "{\"expectations\": []}", 20, NULL), CF_EFORMAT);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "name"));
	ck_assert_int_eq(cf_suite_load(&s, NULL, "/nonexistent/suite.json"), CF_ENOTFOUND);
	ck_assert_ptr_null(s);
	{
		cf_validate_options vo;
		cf_profile_options po;
		cf_stats_options so;
		ck_assert_int_eq(cf_validate_options_init(&vo, CF_VALIDATE_OPTIONS_VERSION), CF_OK);
		ck_assert_uint_eq(vo.partial_unexpected_count, 20);
		ck_assert_int_eq(cf_validate_options_init(&vo, 99), CF_EVERSION);
		ck_assert_int_eq(cf_profile_options_init(&po, CF_PROFILE_OPTIONS_VERSION), CF_OK);
		ck_assert_uint_eq(po.max_value_set, 50);
		ck_assert_int_eq(cf_stats_options_init(&so, CF_STATS_OPTIONS_VERSION), CF_OK);
		ck_assert_uint_eq(so.hll_precision, 14);
	}
}
END_TEST

START_TEST(test_unknown_and_kwargs)
{
	cf_suite *s = NULL;
	cf_validation *v = NULL;
	cf_validate_options o = CF_VALIDATE_OPTIONS_INIT;
	cf_table *t = mixed_table();
	cf_expectation_result r;
	cf_validation_summary sum;
	const char *js = "{\"name\": \"m\", \"expectations\": [{\"type\": \"expect_column_values_to_be_between\","
		" \"kwargs\": {\"column\": \"age\", \"mostly\": 1.5}}]}";

	ck_assert_int_eq(cf_suite_parse(&s, NULL, js, strlen(js), "m.json"), CF_EFORMAT);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "mostly"));
	s = suite_of("{\"name\": \"m\", \"expectations\": [{\"type\": \"expect_column_to_be_awesome\", \"kwargs\": {}},"
		"{\"type\": \"expect_table_row_count_to_equal\", \"kwargs\": {\"value\": 10}}]}");
	ck_assert_int_eq(cf_validate_table(&v, NULL, s, t, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "expect_column_to_be_awesome"));
	o.skip_unknown = 1;
	ck_assert_int_eq(cf_validate_table(&v, NULL, s, t, &o), CF_OK);
	ck_assert_int_eq(cf_validation_result(&r, v, 0), CF_OK);
	ck_assert_int_eq(r.skipped, 1);
	ck_assert_int_eq(cf_validation_get_summary(&sum, v), CF_OK);
	ck_assert_int_eq(sum.success, 0); /* a skip is never a silent pass */
	ck_assert_uint_eq(sum.skipped, 1);
	ck_assert_uint_eq(sum.successful, 1);
	cf_validation_free(v);
	cf_suite_free(s);
	/* Wrong kwarg types name the expectation and kwarg. */
	s = suite_of("{\"name\": \"m\", \"expectations\": [{\"type\": \"expect_column_values_to_be_in_set\","
		" \"kwargs\": {\"column\": \"sex\", \"value_set\": \"Male\"}}]}");
	ck_assert_int_eq(cf_validate_table(&v, NULL, s, t, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "value_set"));
	cf_suite_free(s);
	s = suite_of("{\"name\": \"m\", \"expectations\": [{\"type\": \"expect_column_values_to_match_regex\","
		" \"kwargs\": {\"column\": \"sex\", \"regex\": \"(\"}}]}");
	ck_assert_int_eq(cf_validate_table(&v, NULL, s, t, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "regex"));
	cf_suite_free(s);
	s = suite_of("{\"name\": \"m\", \"expectations\": [{\"type\": \"expect_column_max_to_be_between\","
		" \"kwargs\": {\"column\": \"ts\", \"min_value\": {\"$PARAMETER\": \"now() - fortnight(2)\"}}}]}");
	ck_assert_int_eq(cf_validate_table(&v, NULL, s, t, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "fortnight"));
	cf_suite_free(s);
	cf_table_free(t);
}
END_TEST

START_TEST(test_spellings_round_trip_and_junit)
{
	const char *v0 = "{\"expectation_suite_name\": \"old\", \"data_asset_type\": \"CSVAsset\", \"ge_cloud_id\": null,"
		" \"evaluation_parameters\": {\"n\": 10}, \"expectations\": [{\"expectation_type\":"
		" \"expect_table_row_count_to_equal\", \"kwargs\": {\"value\": {\"$PARAMETER\": \"n\"}}, \"meta\": {}},"
		" {\"expectation_type\": \"expect_column_values_to_be_in_set\", \"kwargs\": {\"column\": \"sex\","
		" \"value_set\": [\"Male\"]}, \"meta\": {}}]}";
	cf_suite *s = suite_of(v0), *s2 = NULL;
	cf_buf b = CF_BUF_INIT, x = CF_BUF_INIT;
	cf_table *t = mixed_table();
	cf_validation *v = NULL;

	ck_assert_str_eq(cf_suite_name(s), "old");
	ck_assert_uint_eq(cf_suite_size(s), 2);
	ck_assert_str_eq(cf_suite_expectation_type(s, 1), "expect_column_values_to_be_in_set");
	ck_assert_int_eq(cf_suite_to_json(&b, s, CF_GE_SPELLING_V1), CF_OK);
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"suite_parameters\""));
	ck_assert_ptr_null(strstr(b.ptr, "expectation_type"));
	ck_assert_int_eq(cf_suite_parse(&s2, NULL, b.ptr, b.size, "v1"), CF_OK);
	ck_assert_uint_eq(cf_suite_size(s2), 2);
	cf_buf_dispose(&b);
	ck_assert_int_eq(cf_validate_table(&v, NULL, s2, t, NULL), CF_OK);
	ck_assert_int_eq(cf_validation_to_junit(&x, v), CF_OK);
	ck_assert_ptr_nonnull(strstr(x.ptr, "<testsuite name=\"old\" tests=\"2\" failures=\"1\""));
	ck_assert_ptr_nonnull(strstr(x.ptr, "<failure type=\"expectation_failed\" message=\"4 unexpected of 9 values\""));
	cf_buf_dispose(&x);
	cf_validation_free(v);
	cf_suite_free(s);
	cf_suite_free(s2);
	cf_suite_free(NULL);
	cf_validation_free(NULL);
	cf_table_free(t);
}
END_TEST

/* The same suite on rows and on statistics of two merged halves: aggregate verdicts and observed values agree. */
START_TEST(test_stats_equal_rows)
{
	static const char *exps =
		EXP("expect_table_row_count_to_be_between", "{\"min_value\": 10, \"max_value\": 10}") ","
		EXP("expect_column_values_to_not_be_null", "{\"column\": \"sex\", \"mostly\": 0.85}") ","
		EXP("expect_column_values_to_be_in_set", "{\"column\": \"sex\", \"value_set\": [\"Male\", \"Female\"]}") ","
		EXP("expect_column_values_to_match_regex", "{\"column\": \"code\", \"regex\": \"^[a-f]\"}") ","
		EXP("expect_column_values_to_be_unique", "{\"column\": \"age\"}") ","
		EXP("expect_column_mean_to_be_between", "{\"column\": \"age\", \"min_value\": 30}") ","
		EXP("expect_column_median_to_be_between", "{\"column\": \"score\", \"min_value\": 5}") ","
		EXP("expect_column_max_to_be_between", "{\"column\": \"ts\", \"min_value\": \"2023-11-15T00:00:00\"}") ","
		EXP("expect_column_stdev_to_be_between", "{\"column\": \"score\", \"max_value\": 4}") ","
		EXP("expect_column_unique_value_count_to_be_between", "{\"column\": \"code\", \"min_value\": 9}") ","
		EXP("expect_column_quantile_values_to_be_between", "{\"column\": \"age\", \"quantile_ranges\": {\"quantiles\":"
			" [0.25, 0.75], \"value_ranges\": [[25, 30], [41, 52]]}}") ","
		EXP("expect_column_pair_values_to_be_equal", "{\"column_A\": \"age\", \"column_B\": \"age\"}");
	cf_table *t;
	cf_suite *s;
	cf_validation *rows = validate_mixed(exps, &t, &s), *st = NULL;
	cf_stats *all = NULL, *half = NULL;
	cf_validate_options o = CF_VALIDATE_OPTIONS_INIT;
	cf_expectation_result a, b;
	cf_validation_summary sum;
	size_t i;

	o.now_us = 1700000000000000LL + 12 * 3600000000LL;
	ck_assert_int_eq(cf_stats_create(&all, NULL, NULL), CF_OK);
	ck_assert_int_eq(cf_stats_create(&half, NULL, NULL), CF_OK);
	ck_assert_int_eq(cf_stats_update(all, t), CF_OK);
	ck_assert_int_eq(cf_stats_update(half, t), CF_OK);
	ck_assert_int_eq(cf_validate_stats(&st, NULL, s, all, &o), CF_OK);
	for (i = 0; i < 11; i++) {
		ck_assert_int_eq(cf_validation_result(&a, rows, i), CF_OK);
		ck_assert_int_eq(cf_validation_result(&b, st, i), CF_OK);
		ck_assert_msg(a.success == b.success && !b.skipped, "expectation %zu (%s): rows %d, stats %d%s", i, a.type,
			a.success, b.success, b.skipped ? " (skipped)" : "");
		ck_assert_msg(a.unexpected_count == b.unexpected_count, "expectation %zu: unexpected %llu vs %llu", i,
			(unsigned long long)a.unexpected_count, (unsigned long long)b.unexpected_count);
		if (a.has_observed_value)
			ck_assert_msg(b.observed_json && strcmp(a.observed_json, b.observed_json) == 0 ? 1 :
				fabs(a.observed_value - b.observed_value) <= 1e-9 * fabs(a.observed_value),
				"expectation %zu (%s): observed %s vs %s", i, a.type, a.observed_json, b.observed_json);
	}
	ck_assert_int_eq(cf_validation_result(&b, st, 11), CF_OK);
	ck_assert_int_eq(b.skipped, 1); /* pairs need rows: reported, never a pass */
	ck_assert_int_eq(cf_validation_get_summary(&sum, st), CF_OK);
	ck_assert_int_eq(sum.success, 0);
	cf_validation_free(st);
	ck_assert_int_eq(cf_stats_merge(half, all), CF_OK); /* 20 rows: twice the data */
	ck_assert_int_eq(cf_validate_stats(&st, NULL, s, half, &o), CF_OK);
	ck_assert_int_eq(cf_validation_result(&b, st, 0), CF_OK);
	ck_assert_double_eq(b.observed_value, 20);
	ck_assert_int_eq(cf_validation_result(&b, st, 4), CF_OK);
	ck_assert_uint_eq(b.unexpected_count, 18); /* every age now repeats: 18 non-null values */
	cf_validation_free(st);
	cf_stats_free(all);
	cf_stats_free(half);
	cf_validation_free(rows);
	cf_suite_free(s);
	cf_table_free(t);
}
END_TEST

START_TEST(test_profile_round_trip)
{
	cf_table *t = mixed_table();
	cf_stats *st = NULL;
	cf_buf b = CF_BUF_INIT;
	cf_suite *s = NULL;
	cf_validation *v = NULL;
	cf_validation_summary sum;
	cf_profile_options po = CF_PROFILE_OPTIONS_INIT;

	ck_assert_int_eq(cf_stats_create(&st, NULL, NULL), CF_OK);
	ck_assert_int_eq(cf_stats_update(st, t), CF_OK);
	po.suite_name = "mixed-profile";
	po.spelling = CF_GE_SPELLING_V0;
	ck_assert_int_eq(cf_profile(&b, st, &po), CF_OK);
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"expectation_suite_name\": \"mixed-profile\""));
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"2023-11-14T22:13:20\"")); /* the ts range, exact */
	ck_assert_int_eq(cf_suite_parse(&s, NULL, b.ptr, b.size, "profile"), CF_OK);
	ck_assert_int_eq(cf_validate_table(&v, NULL, s, t, NULL), CF_OK);
	ck_assert_int_eq(cf_validation_get_summary(&sum, v), CF_OK);
	ck_assert_msg(sum.success, "a profiled suite fails on its own data");
	ck_assert_uint_ge(sum.evaluated, 15);
	cf_validation_free(v);
	cf_suite_free(s);
	cf_buf_dispose(&b);
	cf_stats_free(st);
	cf_table_free(t);
}
END_TEST

static Suite *validate_suite(void)
{
	Suite *s = suite_create("validate");
	TCase *tc = tcase_create("validate");

	tcase_add_test(tc, test_mostly_worked_example);
	tcase_add_test(tc, test_map_expectations);
	tcase_add_test(tc, test_aggregate_expectations);
	tcase_add_test(tc, test_table_pair_multi);
	tcase_add_test(tc, test_streaming_equals_whole);
	tcase_add_test(tc, test_suite_errors);
	tcase_add_test(tc, test_unknown_and_kwargs);
	tcase_add_test(tc, test_spellings_round_trip_and_junit);
	tcase_add_test(tc, test_stats_equal_rows);
	tcase_add_test(tc, test_profile_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return cf_check_run(validate_suite());
}
