/* Columnar tables (include/cogniforge/table.h): borrowing, copying, validity, dictionary encoding, errors. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

START_TEST(test_type_names)
{
	cf_type t;

	ck_assert_str_eq(cf_type_name(CF_TYPE_FLOAT64), "float64");
	ck_assert_str_eq(cf_type_name(CF_TYPE_TIMESTAMP), "timestamp");
	ck_assert_str_eq(cf_type_name((cf_type)99), "unknown");
	ck_assert_int_eq(cf_type_from_name(&t, "Integer"), CF_OK);
	ck_assert_int_eq(t, CF_TYPE_INT64);
	ck_assert_int_eq(cf_type_from_name(&t, "category"), CF_OK);
	ck_assert_int_eq(t, CF_TYPE_STRING);
	ck_assert_int_eq(cf_type_from_name(&t, "decimal"), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "decimal"));
}
END_TEST

START_TEST(test_borrow_is_zero_copy)
{
	double x[5] = {1.0, 2.0, NAN, 4.0, 5.0};
	int64_t n[5] = {1, 2, 3, 4, 5};
	uint8_t valid = 0x1b; /* rows 0,1,3,4 valid; row 2 null */
	cf_table *t = NULL;
	cf_column_view col = {"x", CF_TYPE_FLOAT64, 5, x, NULL, 0, NULL, 0}, out;
	size_t idx;

	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_BORROW), CF_OK);
	col.name = "n";
	col.type = CF_TYPE_INT64;
	col.values = n;
	col.validity = &valid;
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_BORROW), CF_OK);
	ck_assert_uint_eq(cf_table_num_rows(t), 5);
	ck_assert_uint_eq(cf_table_num_columns(t), 2);
	ck_assert_int_eq(cf_table_column(&out, t, 0), CF_OK);
	ck_assert_ptr_eq(out.values, x);         /* no copy */
	ck_assert_uint_eq(out.null_count, 1);    /* the NaN */
	ck_assert_int_eq(cf_table_column_index(&idx, t, "n"), CF_OK);
	ck_assert_uint_eq(idx, 1);
	ck_assert_int_eq(cf_table_column(&out, t, 1), CF_OK);
	ck_assert_ptr_eq(out.values, n);
	ck_assert_ptr_eq(out.validity, &valid);
	ck_assert_uint_eq(out.null_count, 1);
	ck_assert(!CF_VALID(out.validity, 2));
	ck_assert(CF_VALID(out.validity, 3));
	ck_assert_str_eq(cf_table_column_name(t, 1), "n");
	ck_assert_ptr_null(cf_table_column_name(t, 2));
	ck_assert_int_eq(cf_table_column_index(&idx, t, "zzz"), CF_ENOTFOUND);
	ck_assert_int_eq(cf_table_column(&out, t, 2), CF_EINVAL);
	cf_table_free(t);
	cf_table_free(NULL);
}
END_TEST

START_TEST(test_copy_survives_caller)
{
	int64_t ts[3] = {0, 1700000000000000LL, -5};
	uint8_t b[3] = {1, 0, 1};
	cf_table *t = NULL;
	cf_column_view col = {"ts", CF_TYPE_TIMESTAMP, 3, ts, NULL, 0, NULL, 0}, out;

	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_COPY), CF_OK);
	col.name = "b";
	col.type = CF_TYPE_BOOL;
	col.values = b;
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_COPY), CF_OK);
	ts[1] = 42;
	b[0] = 0;
	ck_assert_int_eq(cf_table_column(&out, t, 0), CF_OK);
	ck_assert(out.values != ts);
	ck_assert_int_eq(((const int64_t *)out.values)[1], 1700000000000000LL);
	ck_assert_int_eq(cf_table_column(&out, t, 1), CF_OK);
	ck_assert_int_eq(((const uint8_t *)out.values)[0], 1);
	cf_table_free(t);
}
END_TEST

START_TEST(test_strings_dictionary)
{
	const char *v[7] = {"Male", "Female", NULL, "Male", "caf\xc3\xa9", "Female", "Male"};
	int32_t codes[3] = {1, -1, 0};
	const char *dict[2] = {"a", "b"};
	cf_table *t = NULL;
	cf_column_view out, col = {"s2", CF_TYPE_STRING, 3, codes, NULL, 0, dict, 2};
	const int32_t *c;

	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	ck_assert_int_eq(cf_table_add_strings(t, "sex", v, 7), CF_OK);
	ck_assert_int_eq(cf_table_column(&out, t, 0), CF_OK);
	ck_assert_int_eq(out.type, CF_TYPE_STRING);
	ck_assert_uint_eq(out.dict_size, 3);
	ck_assert_uint_eq(out.null_count, 1);
	c = out.values;
	ck_assert_str_eq(out.dict[c[0]], "Male");
	ck_assert_str_eq(out.dict[c[1]], "Female");
	ck_assert(!CF_VALID(out.validity, 2));
	ck_assert_int_eq(c[3], c[0]);
	ck_assert_int_eq(c[6], c[0]);
	ck_assert_str_eq(out.dict[c[4]], "caf\xc3\xa9");
	/* Codes plus a dictionary; a negative code is null; the dictionary is copied even when borrowing. */
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_BORROW), CF_EINVAL); /* length 3 != 7 */
	cf_table_free(t);
	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_BORROW), CF_OK);
	ck_assert_int_eq(cf_table_column(&out, t, 0), CF_OK);
	ck_assert_ptr_ne(out.dict, dict);
	ck_assert_str_eq(out.dict[1], "b");
	ck_assert_uint_eq(out.null_count, 1);
	cf_table_free(t);
}
END_TEST

START_TEST(test_many_distinct_strings)
{
	enum { N = 5000 };
	static char storage[N][16];
	static const char *v[N];
	cf_table *t = NULL;
	cf_column_view out;
	const int32_t *c;
	size_t i;

	for (i = 0; i < N; i++) {
		snprintf(storage[i], sizeof storage[i], "id-%zu", i % 3000);
		v[i] = storage[i];
	}
	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	ck_assert_int_eq(cf_table_add_strings(t, "id", v, N), CF_OK);
	ck_assert_int_eq(cf_table_column(&out, t, 0), CF_OK);
	ck_assert_uint_eq(out.dict_size, 3000);
	c = out.values;
	for (i = 0; i < N; i++)
		ck_assert_str_eq(out.dict[c[i]], v[i]);
	cf_table_free(t);
}
END_TEST

START_TEST(test_bad_columns)
{
	double x[2] = {1, 2};
	uint8_t b[2] = {0, 2};
	int32_t codes[2] = {0, 5};
	const char *dict[1] = {"a"};
	const char *bad_utf8[2] = {"ok", "\xff\xfe"};
	cf_table *t = NULL;
	cf_column_view col = {"x", CF_TYPE_FLOAT64, 2, x, NULL, 0, NULL, 0};

	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_BORROW), CF_OK);
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_BORROW), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "duplicate"));
	col.name = "";
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_BORROW), CF_EINVAL);
	col.name = "b";
	col.type = CF_TYPE_BOOL;
	col.values = b;
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_COPY), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "row 1"));
	col.name = "s";
	col.type = CF_TYPE_STRING;
	col.values = codes;
	col.dict = dict;
	col.dict_size = 1;
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_BORROW), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "code 5"));
	col.type = (cf_type)42;
	ck_assert_int_eq(cf_table_add_column(t, &col, CF_TABLE_BORROW), CF_EINVAL);
	ck_assert_int_eq(cf_table_add_strings(t, "u", bad_utf8, 2), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "UTF-8"));
	ck_assert_uint_eq(cf_table_num_columns(t), 1); /* failures added nothing */
	ck_assert_int_eq(cf_table_add_column(NULL, &col, CF_TABLE_BORROW), CF_EINVAL);
	cf_table_free(t);
}
END_TEST

static Suite *table_suite(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_type_names);
	tcase_add_test(tc, test_borrow_is_zero_copy);
	tcase_add_test(tc, test_copy_survives_caller);
	tcase_add_test(tc, test_strings_dictionary);
	tcase_add_test(tc, test_many_distinct_strings);
	tcase_add_test(tc, test_bad_columns);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return cf_check_run(table_suite());
}
