/* stats module tests: exact fields, sketches within their stated error, K-shard merge through msgpack equal to
 * one pass, hostile msgpack, schema and option errors. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

/* ---- helpers ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double rnd01(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static double rnd_normal(void)
{
	double u = rnd01(), v = rnd01();
	return sqrt(-2 * log(u + 1e-300)) * cos(6.283185307179586 * v);
}

/* A validity bitmap from one byte per row. */
static uint8_t *bitmap(const uint8_t *valid, size_t n)
{
	uint8_t *b = calloc(CF_BITMAP_BYTES(n) + 1, 1);
	for (size_t i = 0; i < n; i++)
		if (valid[i])
			b[i / 8] |= (uint8_t)(1u << (i % 8));
	return b;
}

static void add_col(cf_table *t, const char *name, cf_type type, const void *values, const uint8_t *valid,
	size_t n)
{
	cf_column_view v;
	uint8_t *bm = valid ? bitmap(valid, n) : NULL;
	memset(&v, 0, sizeof v);
	v.name = name;
	v.type = type;
	v.length = n;
	v.values = values;
	v.validity = bm;
	ck_assert_int_eq(cf_table_add_column(t, &v, CF_TABLE_COPY), CF_OK);
	free(bm);
}

static int near_rel(double a, double b, double tol)
{
	if (a == b)
		return 1;
	return fabs(a - b) <= tol * fmax(fabs(a), fabs(b));
}

static cf_stats *new_stats(const cf_stats_options *o)
{
	cf_stats *st = NULL;
	ck_assert_int_eq(cf_stats_create(&st, NULL, o), CF_OK);
	ck_assert_ptr_nonnull(st);
	return st;
}

/* Through msgpack and back; the copy serialises to the same bytes (the format is canonical). */
static cf_stats *roundtrip(const cf_stats *st)
{
	cf_buf buf = CF_BUF_INIT, again = CF_BUF_INIT;
	cf_stats *back = NULL;
	ck_assert_int_eq(cf_stats_to_msgpack(&buf, st), CF_OK);
	ck_assert_int_eq(cf_stats_from_msgpack(&back, NULL, buf.ptr, buf.size), CF_OK);
	ck_assert_int_eq(cf_stats_to_msgpack(&again, back), CF_OK);
	ck_assert_uint_eq(again.size, buf.size);
	ck_assert(memcmp(again.ptr, buf.ptr, buf.size) == 0);
	cf_buf_dispose(&buf);
	cf_buf_dispose(&again);
	return back;
}

/* ---- Core ---- */

START_TEST(test_options)
{
	cf_stats_options o = CF_STATS_OPTIONS_INIT;
	cf_stats *st = (cf_stats *)1;

	cf_stats_free(NULL);
	ck_assert_int_eq(cf_stats_create(&st, NULL, NULL), CF_OK);
	ck_assert_uint_eq(cf_stats_num_rows(st), 0);
	ck_assert_uint_eq(cf_stats_num_columns(st), 0);
	ck_assert(fabs(cf_stats_quantile_rank_error(st) - 0.0165) < 0.0002);
	cf_stats_free(st);

	o.version = 0;
	ck_assert_int_eq(cf_stats_create(&st, NULL, &o), CF_EVERSION);
	ck_assert_ptr_null(st);
	o.version = CF_STATS_OPTIONS_VERSION + 1;
	ck_assert_int_eq(cf_stats_create(&st, NULL, &o), CF_EVERSION);
	o.version = CF_STATS_OPTIONS_VERSION;
	o.hll_precision = 3;
	ck_assert_int_eq(cf_stats_create(&st, NULL, &o), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "hll_precision"));
	o.hll_precision = 19;
	ck_assert_int_eq(cf_stats_create(&st, NULL, &o), CF_EINVAL);
	o.hll_precision = 14;
	o.topk = 0;
	ck_assert_int_eq(cf_stats_create(&st, NULL, &o), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "topk"));
	o.topk = 100;
	o.kll_k = 7;
	ck_assert_int_eq(cf_stats_create(&st, NULL, &o), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "kll_k"));
	o.kll_k = 65536;
	ck_assert_int_eq(cf_stats_create(&st, NULL, &o), CF_EINVAL);
	o.kll_k = 200;
	o.exact_distinct_max = (size_t)1 << 30;
	ck_assert_int_eq(cf_stats_create(&st, NULL, &o), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "exact_distinct_max"));
	ck_assert_int_eq(cf_stats_create(NULL, NULL, NULL), CF_EINVAL);

	/* k = 200 documents 1.65%; a larger k gives a smaller bound */
	o.exact_distinct_max = 1000;
	o.kll_k = 800;
	st = new_stats(&o);
	ck_assert(cf_stats_quantile_rank_error(st) < 0.0165 / 3);
	cf_stats_free(st);
}
END_TEST

START_TEST(test_numeric_exact)
{
	const double x[] = { 3.0, -0.0, NAN, 0.0, 7.5, 3.0, 1.0, 3.0, 100.0 };
	const uint8_t xv[] = { 1, 1, 1, 1, 1, 1, 1, 1, 0 }; /* the last is null by validity */
	cf_stats *st = new_stats(NULL);
	cf_table *t;
	cf_column_stats cs;
	double q, vals[] = { 3, 0, 0, 7.5, 3, 1, 3 }, mean = 0, m2 = 0;
	size_t idx;

	for (int i = 0; i < 7; i++)
		mean += vals[i] / 7;
	for (int i = 0; i < 7; i++)
		m2 += (vals[i] - mean) * (vals[i] - mean);
	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	add_col(t, "x", CF_TYPE_FLOAT64, x, xv, 9);
	ck_assert_int_eq(cf_stats_update(st, t), CF_OK);
	ck_assert_uint_eq(cf_stats_num_rows(st), 9);
	ck_assert_uint_eq(cf_stats_num_columns(st), 1);
	ck_assert_int_eq(cf_stats_column_index(&idx, st, "x"), CF_OK);
	ck_assert_uint_eq(idx, 0);
	ck_assert_int_eq(cf_stats_column_index(&idx, st, "nope"), CF_ENOTFOUND);
	ck_assert_int_eq(cf_stats_column(&cs, st, 0), CF_OK);
	ck_assert_str_eq(cs.name, "x");
	ck_assert_int_eq(cs.type, CF_TYPE_FLOAT64);
	ck_assert_uint_eq(cs.count, 9);
	ck_assert_uint_eq(cs.null_count, 2); /* NaN and the validity null */
	ck_assert(cs.min == 0 && cs.max == 7.5);
	ck_assert(near_rel(cs.sum, 17.5, 1e-15));
	ck_assert(near_rel(cs.mean, mean, 1e-15));
	ck_assert(near_rel(cs.m2, m2, 1e-12));
	ck_assert_int_eq(cs.distinct_exact, 1);
	ck_assert(cs.distinct == 4); /* 0 (and -0), 1, 3, 7.5 */
	ck_assert(cs.distinct_rel_error == 0);
	ck_assert_uint_eq(cs.values_count, 4);
	/* most frequent first, ties by value */
	ck_assert(cs.values[0].number == 3 && cs.values[0].count == 3 && cs.values[0].error == 0);
	ck_assert(cs.values[1].number == 0 && cs.values[1].count == 2);
	ck_assert(cs.values[2].number == 1 && cs.values[2].count == 1);
	ck_assert(cs.values[3].number == 7.5 && cs.values[3].count == 1);
	ck_assert_ptr_null(cs.values[0].string);
	/* quantiles are exact before any compaction: sorted 0 0 1 3 3 3 7.5 */
	ck_assert_int_eq(cf_stats_quantile(&q, st, 0, 0.5), CF_OK);
	ck_assert(q == 3);
	ck_assert_int_eq(cf_stats_quantile(&q, st, 0, 0.3), CF_OK);
	ck_assert(q == 1);
	ck_assert_int_eq(cf_stats_quantile(&q, st, 0, 0), CF_OK);
	ck_assert(q == 0);
	ck_assert_int_eq(cf_stats_quantile(&q, st, 0, 1), CF_OK);
	ck_assert(q == 7.5);
	ck_assert_int_eq(cf_stats_quantile(&q, st, 0, 1.5), CF_EINVAL);
	ck_assert_int_eq(cf_stats_quantile(&q, st, 0, NAN), CF_EINVAL);
	ck_assert_int_eq(cf_stats_quantile(&q, st, 1, 0.5), CF_EINVAL);
	ck_assert_int_eq(cf_stats_column(&cs, st, 1), CF_EINVAL);
	cf_table_free(t);
	cf_stats_free(st);
}
END_TEST

START_TEST(test_strings)
{
	/* Two chunks with different dictionaries (codes differ); "é" counts one code point. */
	const char *a[] = { "b", "a", NULL, "héllo", "b", "zz" };
	const char *b[] = { "zz", "b", "", NULL, NULL };
	const char *dict[] = { "b", "b", "a" };  /* repeated entry: counted by content */
	const int32_t codes[] = { 0, 1, -1, 2, 0 };
	const uint8_t valid[] = { 1, 1, 1, 1, 0 };
	cf_stats *st = new_stats(NULL);
	cf_table *t1, *t2, *t3;
	cf_column_stats cs;
	cf_column_view v;
	double q;

	ck_assert_int_eq(cf_table_create(&t1, NULL), CF_OK);
	ck_assert_int_eq(cf_table_add_strings(t1, "s", a, 6), CF_OK);
	ck_assert_int_eq(cf_table_create(&t2, NULL), CF_OK);
	ck_assert_int_eq(cf_table_add_strings(t2, "s", b, 5), CF_OK);
	ck_assert_int_eq(cf_table_create(&t3, NULL), CF_OK);
	memset(&v, 0, sizeof v);
	v.name = "s";
	v.type = CF_TYPE_STRING;
	v.length = 5;
	v.values = codes;
	uint8_t *bm = bitmap(valid, 5);
	v.validity = bm;
	v.dict = dict;
	v.dict_size = 3;
	ck_assert_int_eq(cf_table_add_column(t3, &v, CF_TABLE_COPY), CF_OK);
	free(bm);
	ck_assert_int_eq(cf_stats_update(st, t1), CF_OK);
	ck_assert_int_eq(cf_stats_update(st, t2), CF_OK);
	ck_assert_int_eq(cf_stats_update(st, t3), CF_OK);
	ck_assert_int_eq(cf_stats_column(&cs, st, 0), CF_OK);
	ck_assert_uint_eq(cs.count, 16);
	ck_assert_uint_eq(cs.null_count, 5);
	ck_assert_uint_eq(cs.min_length, 0);
	ck_assert_uint_eq(cs.max_length, 5);
	ck_assert_str_eq(cs.min_string, "");
	ck_assert_str_eq(cs.max_string, "zz");
	ck_assert(isnan(cs.min) && isnan(cs.max) && isnan(cs.mean) && isnan(cs.sum));
	ck_assert_int_eq(cs.distinct_exact, 1);
	ck_assert(cs.distinct == 5);
	ck_assert_uint_eq(cs.values_count, 5);
	ck_assert_str_eq(cs.values[0].string, "b");
	ck_assert_uint_eq(cs.values[0].count, 5);
	ck_assert_str_eq(cs.values[1].string, "a");  /* 2, tie with zz broken by value */
	ck_assert_uint_eq(cs.values[1].count, 2);
	ck_assert_str_eq(cs.values[2].string, "zz");
	ck_assert_uint_eq(cs.values[2].count, 2);
	ck_assert_str_eq(cs.values[3].string, "");
	ck_assert_str_eq(cs.values[4].string, "héllo");
	ck_assert_int_eq(cf_stats_quantile(&q, st, 0, 0.5), CF_EINVAL);
	cf_table_free(t1);
	cf_table_free(t2);
	cf_table_free(t3);
	cf_stats_free(st);
}
END_TEST

START_TEST(test_bool_timestamp_empty)
{
	const uint8_t bv[] = { 1, 0, 1, 1 };
	const int64_t ts[] = { 9007199254740993LL, 9007199254740995LL, -5, 0 };
	const uint8_t tv[] = { 1, 1, 0, 1 };
	const double e[] = { 1, 2, 3, 4 };
	const uint8_t ev[] = { 0, 0, 0, 0 };
	const char *es[] = { NULL, NULL, NULL, NULL };
	cf_stats *st = new_stats(NULL);
	cf_table *t;
	cf_column_stats cs;
	double q;

	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	add_col(t, "b", CF_TYPE_BOOL, bv, NULL, 4);
	add_col(t, "ts", CF_TYPE_TIMESTAMP, ts, tv, 4);
	add_col(t, "empty", CF_TYPE_FLOAT64, e, ev, 4);
	ck_assert_int_eq(cf_table_add_strings(t, "es", es, 4), CF_OK);
	ck_assert_int_eq(cf_stats_update(st, t), CF_OK);

	ck_assert_int_eq(cf_stats_column(&cs, st, 0), CF_OK);
	ck_assert(cs.min == 0 && cs.max == 1 && cs.sum == 3 && cs.mean == 0.75);
	ck_assert(cs.min_int == 0 && cs.max_int == 1);
	ck_assert_uint_eq(cs.values_count, 2);
	ck_assert(cs.values[0].number == 1 && cs.values[0].count == 3);

	ck_assert_int_eq(cf_stats_column(&cs, st, 1), CF_OK);
	ck_assert_uint_eq(cs.null_count, 1);
	ck_assert(cs.min_int == 0 && cs.max_int == 9007199254740995LL); /* exact past 2^53 */
	ck_assert(cs.max == 9007199254740996.0);                          /* the double rounds */
	ck_assert_int_eq(cf_stats_quantile(&q, st, 1, 1), CF_OK);

	ck_assert_int_eq(cf_stats_column(&cs, st, 2), CF_OK);
	ck_assert_uint_eq(cs.null_count, 4);
	ck_assert(isnan(cs.min) && isnan(cs.max) && isnan(cs.mean));
	ck_assert(cs.distinct == 0 && cs.values_count == 0);
	ck_assert_int_eq(cf_stats_quantile(&q, st, 2, 0.5), CF_ENOTFOUND);

	ck_assert_int_eq(cf_stats_column(&cs, st, 3), CF_OK);
	ck_assert_uint_eq(cs.null_count, 4);
	ck_assert_ptr_null(cs.min_string);
	ck_assert_ptr_null(cs.max_string);

	/* The empty columns survive msgpack and merge. */
	cf_stats *back = roundtrip(st);
	ck_assert_int_eq(cf_stats_merge(back, st), CF_OK);
	ck_assert_int_eq(cf_stats_column(&cs, back, 1), CF_OK);
	ck_assert_uint_eq(cs.count, 8);
	ck_assert(cs.min_int == 0 && cs.max_int == 9007199254740995LL);
	ck_assert_int_eq(cf_stats_quantile(&q, back, 2, 0.5), CF_ENOTFOUND);
	cf_stats_free(back);
	cf_table_free(t);
	cf_stats_free(st);
}
END_TEST

START_TEST(test_schema_errors)
{
	const double x[] = { 1, 2 };
	const int64_t y[] = { 1, 2 };
	cf_stats_options o = CF_STATS_OPTIONS_INIT;
	cf_stats *a = new_stats(NULL), *b = new_stats(NULL), *c, *empty = new_stats(NULL);
	cf_table *t1, *t2, *t3;
	cf_column_stats cs;

	ck_assert_int_eq(cf_table_create(&t1, NULL), CF_OK);
	add_col(t1, "x", CF_TYPE_FLOAT64, x, NULL, 2);
	add_col(t1, "y", CF_TYPE_INT64, y, NULL, 2);
	ck_assert_int_eq(cf_table_create(&t2, NULL), CF_OK);
	add_col(t2, "x", CF_TYPE_FLOAT64, x, NULL, 2);
	add_col(t2, "y", CF_TYPE_FLOAT64, x, NULL, 2);
	ck_assert_int_eq(cf_table_create(&t3, NULL), CF_OK);
	add_col(t3, "x", CF_TYPE_FLOAT64, x, NULL, 2);

	ck_assert_int_eq(cf_stats_update(a, t1), CF_OK);
	ck_assert_int_eq(cf_stats_update(a, t2), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "'y'"));
	ck_assert_int_eq(cf_stats_update(a, t3), CF_EINVAL);
	ck_assert_uint_eq(cf_stats_num_rows(a), 2); /* a rejected chunk changes nothing */
	ck_assert_int_eq(cf_stats_update(b, t2), CF_OK);
	ck_assert_int_eq(cf_stats_merge(a, b), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "column 1"));

	/* options must match */
	o.topk = 50;
	c = new_stats(&o);
	ck_assert_int_eq(cf_stats_merge(c, a), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "topk"));
	cf_stats_free(c);
	o.topk = 100;
	o.hll_precision = 12;
	c = new_stats(&o);
	ck_assert_int_eq(cf_stats_merge(c, a), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "hll_precision"));
	cf_stats_free(c);
	o.hll_precision = 14;
	o.kll_k = 100;
	c = new_stats(&o);
	ck_assert_int_eq(cf_stats_merge(c, a), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "kll_k"));
	cf_stats_free(c);
	o.kll_k = 200;
	o.exact_distinct_max = 10;
	c = new_stats(&o);
	ck_assert_int_eq(cf_stats_merge(c, a), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "exact_distinct_max"));
	cf_stats_free(c);

	/* merging nothing is a no-op; merging into nothing adopts the schema */
	ck_assert_int_eq(cf_stats_merge(a, empty), CF_OK);
	ck_assert_uint_eq(cf_stats_num_rows(a), 2);
	ck_assert_int_eq(cf_stats_merge(empty, a), CF_OK);
	ck_assert_uint_eq(cf_stats_num_columns(empty), 2);
	ck_assert_uint_eq(cf_stats_num_rows(empty), 2);
	ck_assert_int_eq(cf_stats_update(empty, t1), CF_OK);
	ck_assert_int_eq(cf_stats_column(&cs, empty, 1), CF_OK);
	ck_assert_uint_eq(cs.count, 4);
	ck_assert(cs.mean == 1.5 && cs.m2 == 1.0);
	/* merging into itself doubles */
	ck_assert_int_eq(cf_stats_merge(empty, empty), CF_OK);
	ck_assert_int_eq(cf_stats_column(&cs, empty, 1), CF_OK);
	ck_assert_uint_eq(cs.count, 8);
	ck_assert(cs.values[0].count == 4 && cs.m2 == 2.0);

	ck_assert_int_eq(cf_stats_update(NULL, t1), CF_EINVAL);
	ck_assert_int_eq(cf_stats_update(a, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_stats_merge(a, NULL), CF_EINVAL);
	cf_table_free(t1);
	cf_table_free(t2);
	cf_table_free(t3);
	cf_stats_free(a);
	cf_stats_free(b);
	cf_stats_free(empty);
}
END_TEST

START_TEST(test_exact_limit)
{
	cf_stats_options o = CF_STATS_OPTIONS_INIT;
	int64_t v1[60], v2[60];
	cf_stats *a, *b, *whole;
	cf_table *t1, *t2;
	cf_column_stats cs;
	cf_buf j1 = CF_BUF_INIT, j2 = CF_BUF_INIT;

	o.exact_distinct_max = 10;
	o.topk = 4;
	for (int i = 0; i < 60; i++) {
		v1[i] = i < 40 ? 7 : i % 6;       /* 7 and 0..5: 7 distinct */
		v2[i] = i < 30 ? 7 : 100 + i % 6; /* 7 and 100..105 */
	}
	a = new_stats(&o);
	b = new_stats(&o);
	whole = new_stats(&o);
	ck_assert_int_eq(cf_table_create(&t1, NULL), CF_OK);
	add_col(t1, "v", CF_TYPE_INT64, v1, NULL, 60);
	ck_assert_int_eq(cf_table_create(&t2, NULL), CF_OK);
	add_col(t2, "v", CF_TYPE_INT64, v2, NULL, 60);
	ck_assert_int_eq(cf_stats_update(a, t1), CF_OK);
	ck_assert_int_eq(cf_stats_update(b, t2), CF_OK);
	ck_assert_int_eq(cf_stats_column(&cs, a, 0), CF_OK);
	ck_assert_int_eq(cs.distinct_exact, 1);
	ck_assert(cs.distinct == 7);
	/* the union has 13 distinct values: the merged column leaves exact counting */
	ck_assert_int_eq(cf_stats_merge(a, b), CF_OK);
	ck_assert_int_eq(cf_stats_column(&cs, a, 0), CF_OK);
	ck_assert_int_eq(cs.distinct_exact, 0);
	ck_assert(fabs(cs.distinct - 13) <= 2);
	ck_assert(cs.distinct_rel_error > 0.008 && cs.distinct_rel_error < 0.0082);
	ck_assert(cs.values_count >= 1 && cs.values_count <= 4);
	ck_assert(cs.values[0].number == 7);
	ck_assert(cs.values[0].count <= 70 && cs.values[0].count + cs.values[0].error >= 70);
	ck_assert(cs.values[0].error > 0);
	/* one pass over the same rows leaves exact counting too, with the same HyperLogLog */
	ck_assert_int_eq(cf_stats_update(whole, t1), CF_OK);
	ck_assert_int_eq(cf_stats_update(whole, t2), CF_OK);
	ck_assert_int_eq(cf_stats_column(&cs, whole, 0), CF_OK);
	ck_assert_int_eq(cs.distinct_exact, 0);
	double d = cs.distinct;
	ck_assert_int_eq(cf_stats_column(&cs, a, 0), CF_OK);
	ck_assert(cs.distinct == d);
	ck_assert_int_eq(cf_stats_to_json(&j1, a), CF_OK);
	ck_assert_ptr_nonnull(strstr(j1.ptr, "\"distinct_exact\": false"));
	ck_assert_ptr_nonnull(strstr(j1.ptr, "\"error\""));
	cf_buf_dispose(&j1);
	cf_buf_dispose(&j2);
	cf_table_free(t1);
	cf_table_free(t2);
	cf_stats_free(a);
	cf_stats_free(b);
	cf_stats_free(whole);
}
END_TEST

START_TEST(test_json)
{
	const double x[] = { 1, 2, NAN, 4 };
	const int64_t y[] = { 10, 20, 30, 40 };
	const char *s[] = { "a", "b\"q", NULL, "a" };
	const uint8_t none[] = { 0, 0, 0, 0 };
	cf_stats *st = new_stats(NULL);
	cf_table *t;
	cf_buf out = CF_BUF_INIT;

	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	add_col(t, "x", CF_TYPE_FLOAT64, x, NULL, 4);
	add_col(t, "y", CF_TYPE_INT64, y, NULL, 4);
	add_col(t, "nothing", CF_TYPE_FLOAT64, x, none, 4);
	ck_assert_int_eq(cf_table_add_strings(t, "s", s, 4), CF_OK);
	ck_assert_int_eq(cf_stats_update(st, t), CF_OK);
	ck_assert_int_eq(cf_stats_to_json(&out, st), CF_OK);
	ck_assert_uint_eq(strlen(out.ptr), out.size);
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"rows\": 4"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"name\": \"x\""));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"type\": \"float64\""));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"null_count\": 1"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"stdev\": 1.52752523165195")); /* sd of 1, 2, 4 */
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"min\": 10"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"0.5\": 30")); /* exact: numpy "nearest", index 1.5 -> 2 */
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"0.99\": 40"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"max\": \"b\\\"q\""));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"quantiles\": null"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"mean\": null"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"distinct_exact\": true"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "\"top_values\""));
	ck_assert_ptr_null(strstr(out.ptr, "nan"));
	cf_buf_dispose(&out);
	cf_table_free(t);
	cf_stats_free(st);
}
END_TEST

/* ---- K shards ---- */

#define NROWS 200000
#define NHOT 5
#define NID 50000

typedef struct dataset {
	size_t n;
	double *x;
	uint8_t *xv;
	int64_t *i;
	uint8_t *iv;
	uint8_t *b, *bv;
	const char **cat, **id;
	int64_t *ts;
	uint8_t *tsv;
	char *idbuf;
} dataset;

static const char *categories[30] = { "c00", "c01", "c02", "c03", "c04", "c05", "c06", "c07", "c08", "c09",
	"c10", "c11", "c12", "c13", "c14", "c15", "c16", "c17", "c18", "c19", "c20", "c21", "c22", "c23", "c24",
	"c25", "c26", "c27", "c28", "c29" };

static void dataset_make(dataset *d, size_t n)
{
	size_t cold = 0;
	d->n = n;
	d->x = malloc(n * sizeof *d->x);
	d->xv = malloc(n);
	d->i = malloc(n * sizeof *d->i);
	d->iv = malloc(n);
	d->b = malloc(n);
	d->bv = malloc(n);
	d->cat = malloc(n * sizeof *d->cat);
	d->id = malloc(n * sizeof *d->id);
	d->ts = malloc(n * sizeof *d->ts);
	d->tsv = malloc(n);
	d->idbuf = malloc((size_t)(NID + NHOT) * 8);
	for (int k = 0; k < NID; k++)
		snprintf(d->idbuf + 8 * k, 8, "u%05d", k);
	for (int k = 0; k < NHOT; k++)
		snprintf(d->idbuf + 8 * (NID + k), 8, "hot%d", k);
	rng_state = 42;
	for (size_t r = 0; r < n; r++) {
		uint64_t u = rnd();
		d->x[r] = 50 + 10 * rnd_normal();
		d->xv[r] = u % 97 != 0;
		if (u % 89 == 0)
			d->x[r] = NAN; /* null by value */
		d->i[r] = (int64_t)(rnd() % 700) * 3 - 1000;
		d->iv[r] = (u >> 8) % 50 != 0;
		d->b[r] = (uint8_t)((u >> 16) % 3 == 0);
		d->bv[r] = (u >> 24) % 40 != 0;
		/* Zipf-ish categories: c00 most frequent */
		d->cat[r] = (u >> 32) % 33 == 0 ? NULL : categories[(size_t)(30 * pow(rnd01(), 2.5))];
		if ((u >> 40) % 100 < 4 * NHOT)
			d->id[r] = d->idbuf + 8 * (NID + (u >> 40) % NHOT);   /* 4% each */
		else
			d->id[r] = d->idbuf + 8 * (cold++ % NID);
		if ((u >> 48) % 500 == 0)
			d->id[r] = NULL;
		d->ts[r] = 1600000000000000LL + (int64_t)(rnd() % 1000000000000ULL);
		d->tsv[r] = (u >> 52) % 30 != 0;
	}
}

static void dataset_free(dataset *d)
{
	free(d->x); free(d->xv); free(d->i); free(d->iv); free(d->b); free(d->bv);
	free(d->cat); free(d->id); free(d->ts); free(d->tsv); free(d->idbuf);
}

static cf_table *chunk_table(const dataset *d, size_t lo, size_t hi)
{
	cf_table *t;
	size_t n = hi - lo;
	ck_assert_int_eq(cf_table_create(&t, NULL), CF_OK);
	add_col(t, "x", CF_TYPE_FLOAT64, d->x + lo, d->xv + lo, n);
	add_col(t, "i", CF_TYPE_INT64, d->i + lo, d->iv + lo, n);
	add_col(t, "b", CF_TYPE_BOOL, d->b + lo, d->bv + lo, n);
	ck_assert_int_eq(cf_table_add_strings(t, "cat", d->cat + lo, n), CF_OK); /* a dictionary per chunk */
	ck_assert_int_eq(cf_table_add_strings(t, "id", d->id + lo, n), CF_OK);
	add_col(t, "ts", CF_TYPE_TIMESTAMP, d->ts + lo, d->tsv + lo, n);
	return t;
}

static cf_stats *stats_of(const dataset *d, size_t lo, size_t hi, size_t chunk)
{
	cf_stats *st = new_stats(NULL);
	for (size_t a = lo; a < hi; a += chunk) {
		size_t b = a + chunk < hi ? a + chunk : hi;
		cf_table *t = chunk_table(d, a, b);
		ck_assert_int_eq(cf_stats_update(st, t), CF_OK);
		cf_table_free(t);
	}
	return st;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* The non-null values of numeric column c, sorted. */
static double *truth_sorted(const dataset *d, int c, size_t *n_out)
{
	double *v = malloc(d->n * sizeof *v);
	size_t n = 0;
	for (size_t r = 0; r < d->n; r++) {
		if (c == 0 && d->xv[r] && d->x[r] == d->x[r])
			v[n++] = d->x[r];
		else if (c == 1 && d->iv[r])
			v[n++] = (double)d->i[r];
		else if (c == 2 && d->bv[r])
			v[n++] = d->b[r];
		else if (c == 5 && d->tsv[r])
			v[n++] = (double)d->ts[r];
	}
	qsort(v, n, sizeof *v, cmp_double);
	*n_out = n;
	return v;
}

static size_t lower_bound(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] < x) lo = mid + 1; else hi = mid;
	}
	return lo;
}

static size_t upper_bound(const double *v, size_t n, double x)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] <= x) lo = mid + 1; else hi = mid;
	}
	return lo;
}

static void check_quantiles(const cf_stats *st, int col, const double *sorted, size_t n)
{
	static const double qs[] = { 0.01, 0.1, 0.5, 0.9, 0.99 };
	double eps = cf_stats_quantile_rank_error(st);
	for (size_t k = 0; k < sizeof qs / sizeof qs[0]; k++) {
		double v, lo, hi;
		ck_assert_int_eq(cf_stats_quantile(&v, st, (size_t)col, qs[k]), CF_OK);
		lo = (double)lower_bound(sorted, n, v) / (double)n;
		hi = (double)upper_bound(sorted, n, v) / (double)n;
		ck_assert_msg(lo - eps <= qs[k] && qs[k] <= hi + eps, "column %d q=%g: value %g has rank [%g, %g], bound %g",
			col, qs[k], v, lo, hi, eps);
	}
}

START_TEST(test_k_shards)
{
	/* 7 uneven shards (Fibonacci-ish sizes), each in chunks of 10000 rows; the single pass in chunks of 65536. */
	static const size_t weights[7] = { 1, 2, 3, 5, 8, 13, 21 };
	dataset d;
	cf_stats *single, *merged = new_stats(NULL), *merged_orig = new_stats(NULL), *shards[7];
	cf_buf b1 = CF_BUF_INIT, b2 = CF_BUF_INIT;
	size_t lo = 0, total_w = 53;

	dataset_make(&d, NROWS);
	single = stats_of(&d, 0, NROWS, 65536);
	for (int k = 0; k < 7; k++) {
		size_t hi = k == 6 ? NROWS : lo + NROWS * weights[k] / total_w;
		shards[k] = stats_of(&d, lo, hi, 10000);
		cf_stats *back = roundtrip(shards[k]);
		ck_assert_int_eq(cf_stats_merge(merged, back), CF_OK);
		ck_assert_int_eq(cf_stats_merge(merged_orig, shards[k]), CF_OK);
		cf_stats_free(back);
		lo = hi;
	}
	/* A partial that went through msgpack merges into exactly the same state as the original. */
	ck_assert_int_eq(cf_stats_to_msgpack(&b1, merged), CF_OK);
	ck_assert_int_eq(cf_stats_to_msgpack(&b2, merged_orig), CF_OK);
	ck_assert_uint_eq(b1.size, b2.size);
	ck_assert(memcmp(b1.ptr, b2.ptr, b1.size) == 0);

	ck_assert_uint_eq(cf_stats_num_rows(merged), NROWS);
	ck_assert_uint_eq(cf_stats_num_columns(merged), 6);
	for (size_t c = 0; c < 6; c++) {
		cf_column_stats m, s;
		ck_assert_int_eq(cf_stats_column(&m, merged, c), CF_OK);
		ck_assert_int_eq(cf_stats_column(&s, single, c), CF_OK);
		ck_assert_str_eq(m.name, s.name);
		ck_assert_uint_eq(m.count, NROWS);
		ck_assert_uint_eq(m.count, s.count);
		ck_assert_uint_eq(m.null_count, s.null_count);
		ck_assert(m.min == s.min || (isnan(m.min) && isnan(s.min)));
		ck_assert(m.max == s.max || (isnan(m.max) && isnan(s.max)));
		ck_assert(m.min_int == s.min_int && m.max_int == s.max_int);
		if (m.type != CF_TYPE_STRING) {
			ck_assert_msg(near_rel(m.sum, s.sum, 1e-9), "%s sum %.17g vs %.17g", m.name, m.sum, s.sum);
			ck_assert_msg(near_rel(m.mean, s.mean, 1e-9), "%s mean", m.name);
			ck_assert_msg(near_rel(m.m2, s.m2, 1e-9), "%s m2 %.17g vs %.17g", m.name, m.m2, s.m2);
		} else {
			ck_assert_uint_eq(m.min_length, s.min_length);
			ck_assert_uint_eq(m.max_length, s.max_length);
			ck_assert_str_eq(m.min_string, s.min_string);
			ck_assert_str_eq(m.max_string, s.max_string);
		}
		ck_assert_int_eq(m.distinct_exact, s.distinct_exact);
		ck_assert_msg(m.distinct == s.distinct, "%s distinct %g vs %g", m.name, m.distinct, s.distinct);
		if (m.distinct_exact) {
			ck_assert_uint_eq(m.values_count, s.values_count);
			for (size_t k = 0; k < m.values_count; k++) {
				ck_assert_uint_eq(m.values[k].count, s.values[k].count);
				if (m.type == CF_TYPE_STRING)
					ck_assert_str_eq(m.values[k].string, s.values[k].string);
				else
					ck_assert(m.values[k].number == s.values[k].number);
			}
		}
	}

	/* Exact values against the data: x mean/sd, cat counts, i distinct. */
	{
		cf_column_stats cs;
		size_t n, cat_counts[30] = { 0 }, cat_nulls = 0;
		double *v = truth_sorted(&d, 0, &n), sum = 0, mean, m2 = 0;
		for (size_t k = 0; k < n; k++)
			sum += v[k];
		mean = sum / (double)n;
		for (size_t k = 0; k < n; k++)
			m2 += (v[k] - mean) * (v[k] - mean);
		ck_assert_int_eq(cf_stats_column(&cs, merged, 0), CF_OK);
		ck_assert_uint_eq(cs.count - cs.null_count, n);
		ck_assert(near_rel(cs.sum, sum, 1e-9) && near_rel(cs.mean, mean, 1e-9) && near_rel(cs.m2, m2, 1e-9));
		ck_assert(cs.min == v[0] && cs.max == v[n - 1]);
		ck_assert_int_eq(cs.distinct_exact, 0); /* continuous: past 1000 distinct */
		ck_assert(fabs(cs.distinct - (double)n) <= 3 * cs.distinct_rel_error * (double)n);
		free(v);
		for (size_t r = 0; r < d.n; r++) {
			if (d.cat[r] == NULL)
				cat_nulls++;
			else
				cat_counts[atoi(d.cat[r] + 1)]++;
		}
		ck_assert_int_eq(cf_stats_column(&cs, merged, 3), CF_OK);
		ck_assert_uint_eq(cs.null_count, cat_nulls);
		ck_assert_int_eq(cs.distinct_exact, 1);
		ck_assert(cs.distinct == 30);
		for (size_t k = 0; k < cs.values_count; k++)
			ck_assert_uint_eq(cs.values[k].count, cat_counts[atoi(cs.values[k].string + 1)]);
		ck_assert_str_eq(cs.values[0].string, "c00");
		for (size_t k = 1; k < cs.values_count; k++)
			ck_assert(cs.values[k - 1].count >= cs.values[k].count);
		ck_assert_int_eq(cf_stats_column(&cs, merged, 1), CF_OK);
		ck_assert_int_eq(cs.distinct_exact, 1);
		ck_assert(cs.distinct == 700);
		ck_assert(cs.min_int == -1000 && cs.max_int == 699 * 3 - 1000);
	}

	/* High-cardinality string: HLL within 3 standard errors; the hot values found with honest bounds. */
	{
		cf_column_stats cs;
		size_t hot[NHOT] = { 0 };
		ck_assert_int_eq(cf_stats_column(&cs, merged, 4), CF_OK);
		ck_assert_int_eq(cs.distinct_exact, 0);
		ck_assert_msg(fabs(cs.distinct - (NID + NHOT)) <= 3 * cs.distinct_rel_error * (NID + NHOT),
			"distinct %g", cs.distinct);
		for (size_t r = 0; r < d.n; r++)
			if (d.id[r] && strncmp(d.id[r], "hot", 3) == 0)
				hot[d.id[r][3] - '0']++;
		ck_assert(cs.values_count <= 100);
		for (int h = 0; h < NHOT; h++) {
			char name[8];
			int found = 0;
			snprintf(name, sizeof name, "hot%d", h);
			for (size_t k = 0; k < cs.values_count; k++)
				if (strcmp(cs.values[k].string, name) == 0) {
					found = 1;
					ck_assert(cs.values[k].count <= hot[h] && hot[h] <= cs.values[k].count + cs.values[k].error);
					ck_assert_uint_lt(k, NHOT); /* the five heaviest come first */
				}
			ck_assert_msg(found, "%s not among the top-k candidates", name);
		}
		/* ts: distinct of timestamps (nearly all distinct) */
		ck_assert_int_eq(cf_stats_column(&cs, merged, 5), CF_OK);
		ck_assert_int_eq(cs.distinct_exact, 0);
		size_t n;
		double *v = truth_sorted(&d, 5, &n);
		size_t distinct = n ? 1 : 0;
		for (size_t k = 1; k < n; k++)
			distinct += v[k] != v[k - 1];
		ck_assert(fabs(cs.distinct - (double)distinct) <= 3 * cs.distinct_rel_error * (double)distinct);
		free(v);
	}

	/* Quantiles of every numeric column, merged and single pass, within the stated rank error. */
	{
		static const int numeric[] = { 0, 1, 2, 5 };
		for (size_t k = 0; k < 4; k++) {
			size_t n;
			double *v = truth_sorted(&d, numeric[k], &n);
			check_quantiles(merged, numeric[k], v, n);
			check_quantiles(single, numeric[k], v, n);
			free(v);
		}
	}

	cf_buf_dispose(&b1);
	cf_buf_dispose(&b2);
	for (int k = 0; k < 7; k++)
		cf_stats_free(shards[k]);
	cf_stats_free(single);
	cf_stats_free(merged);
	cf_stats_free(merged_orig);
	dataset_free(&d);
}
END_TEST

/* ---- Bad input ---- */

/* A small blob with every kind of column, exact and not, for the hostile-input tests. */
static void small_blob(cf_buf *out)
{
	cf_stats_options o = CF_STATS_OPTIONS_INIT;
	dataset d;
	cf_stats *st;
	cf_table *t;

	o.hll_precision = 6;
	o.exact_distinct_max = 20;
	o.topk = 5;
	o.kll_k = 8;
	st = new_stats(&o);
	dataset_make(&d, 300);
	t = chunk_table(&d, 0, 300);
	ck_assert_int_eq(cf_stats_update(st, t), CF_OK);
	ck_assert_int_eq(cf_stats_to_msgpack(out, st), CF_OK);
	cf_table_free(t);
	cf_stats_free(st);
	dataset_free(&d);
}

START_TEST(test_every_prefix_fails)
{
	cf_buf blob = CF_BUF_INIT;
	cf_stats *st;

	small_blob(&blob);
	ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, blob.ptr, blob.size), CF_OK);
	cf_stats_free(st);
	for (size_t len = 0; len < blob.size; len++) {
		char *copy = malloc(len ? len : 1); /* exactly len bytes, so ASan sees any over-read */
		memcpy(copy, blob.ptr, len);
		st = (cf_stats *)1;
		ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, copy, len), CF_EFORMAT);
		ck_assert_ptr_null(st);
		ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "stats msgpack"));
		free(copy);
	}
	cf_buf_dispose(&blob);
}
END_TEST

START_TEST(test_garbage)
{
	static const uint8_t huge_array[] = { 0xdd, 0xff, 0xff, 0xff, 0xff, 0x00 };
	static const uint8_t not_stats[] = { 0x92, 0xa3, 'a', 'b', 'c', 0x01 };
	cf_buf blob = CF_BUF_INIT;
	cf_stats *st;
	char *copy;

	ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, huge_array, sizeof huge_array), CF_EFORMAT);
	ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, not_stats, sizeof not_stats), CF_EFORMAT);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "not cogniforge statistics"));
	ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, NULL, 0), CF_EFORMAT);
	ck_assert_int_eq(cf_stats_from_msgpack(NULL, NULL, not_stats, 1), CF_EINVAL);

	small_blob(&blob);
	copy = malloc(blob.size + 1);
	/* trailing garbage */
	memcpy(copy, blob.ptr, blob.size);
	copy[blob.size] = 0;
	ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, copy, blob.size + 1), CF_EFORMAT);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "trailing"));
	/* a newer version: [array6, fixstr16 "cogniforge.stats", version] */
	ck_assert_int_eq((uint8_t)copy[18], 1);
	copy[18] = 2;
	ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, copy, blob.size), CF_EVERSION);
	copy[18] = 0;
	ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, copy, blob.size), CF_EFORMAT);
	/* random bytes */
	rng_state = 7;
	for (int round = 0; round < 2000; round++) {
		size_t len = rnd() % 64;
		for (size_t k = 0; k < len; k++)
			copy[k] = (char)rnd();
		if (round % 2 && len >= 19)
			memcpy(copy, blob.ptr, 19); /* past the magic */
		ck_assert_int_ne(cf_stats_from_msgpack(&st, NULL, copy, len), CF_OK);
	}
	free(copy);
	cf_buf_dispose(&blob);
}
END_TEST

START_TEST(test_mutations)
{
	static const uint8_t repl[] = { 0x00, 0xff, 0xc0, 0x7f, 0xcb, 0xdd, 0x90 };
	cf_buf blob = CF_BUF_INIT, back = CF_BUF_INIT, back2 = CF_BUF_INIT, json = CF_BUF_INIT;
	cf_stats *orig, *st, *again;
	char *copy;
	size_t accepted = 0;

	small_blob(&blob);
	ck_assert_int_eq(cf_stats_from_msgpack(&orig, NULL, blob.ptr, blob.size), CF_OK);
	copy = malloc(blob.size);
	for (size_t pos = 0; pos < blob.size; pos++) {
		for (size_t r = 0; r < sizeof repl + 1; r++) {
			int rc;
			memcpy(copy, blob.ptr, blob.size);
			copy[pos] = r < sizeof repl ? (char)repl[r] : (char)(copy[pos] ^ 1);
			rc = cf_stats_from_msgpack(&st, NULL, copy, blob.size);
			if (rc != CF_OK) {
				ck_assert(rc == CF_EFORMAT || rc == CF_EVERSION);
				continue;
			}
			/* whatever parses is usable: it renders, and its serialisation parses back to the same bytes */
			accepted++;
			ck_assert_int_eq(cf_stats_to_json(&json, st), CF_OK);
			ck_assert_int_eq(cf_stats_to_msgpack(&back, st), CF_OK);
			again = roundtrip(st);
			ck_assert_int_eq(cf_stats_to_msgpack(&back2, again), CF_OK);
			ck_assert_uint_eq(back.size, back2.size);
			ck_assert(memcmp(back.ptr, back2.ptr, back.size) == 0);
			cf_stats_free(again);
			cf_buf_dispose(&back2);
			rc = cf_stats_merge(st, orig);
			ck_assert(rc == CF_OK || rc == CF_EINVAL);
			cf_buf_dispose(&json);
			cf_buf_dispose(&back);
			cf_stats_free(st);
		}
	}
	ck_assert_uint_gt(accepted, 0);
	free(copy);
	cf_stats_free(orig);
	cf_buf_dispose(&blob);
}
END_TEST

/* A blob written by hand from docs/formats.md: one int64 column "age" with values 1, 2, 3. */
static size_t put_str(uint8_t *p, const char *s)
{
	size_t n = strlen(s);
	p[0] = (uint8_t)(0xa0 | n);
	memcpy(p + 1, s, n);
	return n + 1;
}

static size_t put_f64(uint8_t *p, double v)
{
	uint64_t bits;
	memcpy(&bits, &v, 8);
	p[0] = 0xcb;
	for (int i = 0; i < 8; i++)
		p[1 + i] = (uint8_t)(bits >> (56 - 8 * i));
	return 9;
}

static size_t hand_blob(uint8_t *b, int bad_m2)
{
	size_t n = 0;
	b[n++] = 0x96;
	n += put_str(b + n, "cogniforge.stats");
	b[n++] = 0x01;                                              /* version */
	b[n++] = 0x95;                                              /* options */
	b[n++] = 14; b[n++] = 0xcd; b[n++] = 0x03; b[n++] = 0xe8;   /* p 14, exact_distinct_max 1000 */
	b[n++] = 100; b[n++] = 0xcc; b[n++] = 200; b[n++] = 0;      /* topk 100, kll_k 200, seed 0 */
	b[n++] = 1;                                                 /* has_schema */
	b[n++] = 3;                                                 /* rows */
	b[n++] = 0x91;                                              /* one column */
	b[n++] = 0xdc; b[n++] = 0; b[n++] = 17;                     /* 17 fields (array16 is fine too) */
	n += put_str(b + n, "age");
	b[n++] = 2;                                                 /* int64 */
	b[n++] = 3; b[n++] = 0;                                     /* count, null_count */
	b[n++] = 1; b[n++] = 3;                                     /* min, max */
	n += put_f64(b + n, 6);                                     /* sum */
	n += put_f64(b + n, 2);                                     /* mean */
	if (bad_m2)
		n += put_str(b + n, "2");
	else
		n += put_f64(b + n, 2);                                 /* m2 */
	b[n++] = 0; b[n++] = 0;                                     /* min_length, max_length */
	b[n++] = 0xc0; b[n++] = 0xc0;                               /* min_string, max_string */
	b[n++] = 0x92; b[n++] = 0x93; b[n++] = 3; b[n++] = 1; b[n++] = 2; /* exact: values 3 1 2 */
	b[n++] = 0x93; b[n++] = 1; b[n++] = 1; b[n++] = 1;                /* counts */
	b[n++] = 0xc0; b[n++] = 0xc0;                               /* hll, mg */
	b[n++] = 0x93; b[n++] = 3; b[n++] = 9;                      /* kll: n 3, rng 9 */
	b[n++] = 0x91; b[n++] = 0xc4; b[n++] = 24;                  /* one level of 3 float64 LE */
	for (int v = 1; v <= 3; v++) {
		double d = v;
		uint64_t bits;
		memcpy(&bits, &d, 8);
		for (int i = 0; i < 8; i++)
			b[n++] = (uint8_t)(bits >> (8 * i));
	}
	return n;
}

START_TEST(test_hand_written)
{
	uint8_t b[256];
	size_t n = hand_blob(b, 0);
	cf_stats *st;
	cf_column_stats cs;
	double q;

	ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, b, n), CF_OK);
	ck_assert_int_eq(cf_stats_column(&cs, st, 0), CF_OK);
	ck_assert_str_eq(cs.name, "age");
	ck_assert(cs.min_int == 1 && cs.max_int == 3 && cs.mean == 2 && cs.m2 == 2);
	ck_assert(cs.distinct == 3 && cs.values_count == 3 && cs.values[0].number == 1);
	ck_assert_int_eq(cf_stats_quantile(&q, st, 0, 0.5), CF_OK);
	ck_assert(q == 2);
	cf_stats_free(st);

	n = hand_blob(b, 1);
	ck_assert_int_eq(cf_stats_from_msgpack(&st, NULL, b, n), CF_EFORMAT);
	ck_assert_msg(strstr(cf_error_last()->message, "column 0 'age': field 'm2' is not a float") != NULL, "%s",
		cf_error_last()->message);
}
END_TEST


/* ---- Allocator hooks ---- */

static long hook_live, hook_budget, hook_calls;

static void *hook_alloc(void *opaque, size_t size)
{
	(void)opaque;
	hook_calls++;
	if (hook_budget-- == 0)
		return NULL;
	hook_live++;
	return malloc(size);
}

static void *hook_realloc(void *opaque, void *ptr, size_t size)
{
	(void)opaque;
	hook_calls++;
	if (hook_budget-- == 0)
		return NULL;
	if (ptr == NULL)
		hook_live++;
	return realloc(ptr, size);
}

static void hook_free(void *opaque, void *ptr)
{
	(void)opaque;
	if (ptr != NULL) {
		hook_live--;
		free(ptr);
	}
}

/* Everything through the context's allocator, and every failure point cleans up: each call returns OK or
 * CF_ENOMEM, and nothing is left allocated. */
static int run_with_budget(cf_context *ctx, cf_table *const *chunks, size_t nchunks)
{
	cf_stats_options o = CF_STATS_OPTIONS_INIT;
	cf_stats *st = NULL, *back = NULL, *sum = NULL;
	cf_buf buf = CF_BUF_INIT;
	cf_column_stats cs;
	int rc = CF_OK, failed = 0;

	o.exact_distinct_max = 12;
	o.topk = 3;
	o.kll_k = 8;
	rc = cf_stats_create(&st, ctx, &o);
	for (size_t k = 0; rc == CF_OK && k < nchunks; k++)
		rc = cf_stats_update(st, chunks[k]);
	if (rc == CF_OK)
		rc = cf_stats_to_msgpack(&buf, st);
	if (rc == CF_OK)
		rc = cf_stats_from_msgpack(&back, ctx, buf.ptr, buf.size);
	if (rc == CF_OK)
		rc = cf_stats_create(&sum, ctx, &o);
	if (rc == CF_OK)
		rc = cf_stats_merge(sum, back);
	if (rc == CF_OK)
		rc = cf_stats_merge(sum, st);
	for (size_t c = 0; rc == CF_OK && c < cf_stats_num_columns(sum); c++)
		rc = cf_stats_column(&cs, sum, c);
	if (rc != CF_OK) {
		failed = 1;
		ck_assert_int_eq(rc, CF_ENOMEM);
	}
	cf_buf_dispose(&buf);
	cf_stats_free(st);
	cf_stats_free(back);
	cf_stats_free(sum);
	return failed;
}

START_TEST(test_allocator_hooks)
{
	cf_context_options co = CF_CONTEXT_OPTIONS_INIT;
	cf_context *ctx;
	cf_table *chunks[2];
	dataset d;
	long base, total;

	co.allocator.alloc = hook_alloc;
	co.allocator.realloc = hook_realloc;
	co.allocator.free = hook_free;
	hook_budget = -1;
	ck_assert_int_eq(cf_context_create(&ctx, &co), CF_OK);
	dataset_make(&d, 200);
	chunks[0] = chunk_table(&d, 0, 120);  /* tables use the C allocator: only statistics count here */
	chunks[1] = chunk_table(&d, 120, 200);
	base = hook_live;
	hook_calls = 0;
	ck_assert_int_eq(run_with_budget(ctx, chunks, 2), 0);
	ck_assert_int_eq(hook_live, base);
	total = hook_calls;
	ck_assert_int_gt(total, 20);
	for (long n = 0; n < total; n++) {
		hook_budget = n;
		ck_assert_int_eq(run_with_budget(ctx, chunks, 2), 1);
		ck_assert_msg(hook_live == base, "allocation %ld failing leaks %ld blocks", n, hook_live - base);
	}
	hook_budget = -1;
	cf_table_free(chunks[0]);
	cf_table_free(chunks[1]);
	dataset_free(&d);
	cf_context_free(ctx);
	ck_assert_int_eq(hook_live, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("stats");
	TCase *core = tcase_create("Core");
	TCase *shards = tcase_create("K-shard merge");
	TCase *bad = tcase_create("Bad input");
	TCase *alloc = tcase_create("Allocator hooks");

	tcase_add_test(core, test_options);
	tcase_add_test(core, test_numeric_exact);
	tcase_add_test(core, test_strings);
	tcase_add_test(core, test_bool_timestamp_empty);
	tcase_add_test(core, test_schema_errors);
	tcase_add_test(core, test_exact_limit);
	tcase_add_test(core, test_json);
	tcase_add_test(shards, test_k_shards);
	tcase_set_timeout(shards, 240);
	tcase_add_test(bad, test_every_prefix_fails);
	tcase_add_test(bad, test_garbage);
	tcase_add_test(bad, test_mutations);
	tcase_add_test(bad, test_hand_written);
	tcase_set_timeout(bad, 240);
	suite_add_tcase(s, core);
	suite_add_tcase(s, shards);
	tcase_add_test(alloc, test_allocator_hooks);
	tcase_set_timeout(alloc, 240);
	suite_add_tcase(s, bad);
	suite_add_tcase(s, alloc);
	return cf_check_run(s);
}
