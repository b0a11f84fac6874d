/* The streaming CSV reader (include/cogniforge/csv.h): RFC 4180 parsing, NA tokens, type inference and explicit
 * schemas, chunking, compressed input, the Adult dataset, limits and malformed input. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

#ifndef CF_TEST_DATA_DIR
#error "CF_TEST_DATA_DIR must name the embedded data directory"
#endif

#define ADULT_TRAIN CF_TEST_DATA_DIR "/adult/adult-train.csv.zst"
#define ADULT_TEST CF_TEST_DATA_DIR "/adult/adult-test.csv.zst"

static const char *const adult_names[] = {
	"age", "workclass", "fnlwgt", "education", "education-num", "marital-status", "occupation", "relationship",
	"race", "sex", "capital-gain", "capital-loss", "hours-per-week", "native-country", "income",
};

static char tmpdir[256];

static void setup(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/cf-check-csv.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
}

static void tmp_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s", tmpdir, name);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

static cf_csv_options opts_default(void)
{
	cf_csv_options o;
	ck_assert_int_eq(cf_csv_options_init(&o, CF_CSV_OPTIONS_VERSION), CF_OK);
	return o;
}

/* The whole of an in-memory CSV as one table (a chunk size past its rows). */
static cf_table *mem_table(const char *csv, const cf_csv_options *opts)
{
	cf_csv_options o = opts ? *opts : opts_default();
	cf_csv_reader *r = NULL;
	cf_table *t = NULL, *more = NULL;
	int rc;

	o.chunk_rows = 1u << 20;
	rc = cf_csv_open_memory(&r, NULL, csv, strlen(csv), &o);
	ck_assert_msg(rc == CF_OK, "open: %s", cf_error_last()->message);
	rc = cf_csv_next(&t, r);
	ck_assert_msg(rc == CF_OK, "next: %s", cf_error_last()->message);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(cf_csv_next(&more, r), CF_OK);
	ck_assert_ptr_null(more);
	cf_csv_free(r);
	return t;
}

/* Open and drain, expecting an error: returns its code; the message is left in cf_error_last(). */
static int mem_error(const char *csv, size_t len, const cf_csv_options *opts)
{
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;
	int rc = cf_csv_open_memory(&r, NULL, csv, len, opts);

	while (rc == CF_OK) {
		rc = cf_csv_next(&t, r);
		if (rc == CF_OK && t == NULL)
			break;
		cf_table_free(t);
	}
	cf_csv_free(r);
	return rc;
}

static void assert_msg_has(const char *needle)
{
	const char *msg = cf_error_last()->message;
	ck_assert_msg(strstr(msg, needle) != NULL, "message \"%s\" lacks \"%s\"", msg, needle);
}

static cf_column_view col_of(const cf_table *t, size_t i)
{
	cf_column_view v;
	ck_assert_int_eq(cf_table_column(&v, t, i), CF_OK);
	return v;
}

static int64_t i64_at(const cf_table *t, size_t c, size_t row)
{
	cf_column_view v = col_of(t, c);
	ck_assert(v.type == CF_TYPE_INT64 || v.type == CF_TYPE_TIMESTAMP);
	ck_assert(CF_VALID(v.validity, row));
	return ((const int64_t *)v.values)[row];
}

static double f64_at(const cf_table *t, size_t c, size_t row)
{
	cf_column_view v = col_of(t, c);
	ck_assert_int_eq(v.type, CF_TYPE_FLOAT64);
	ck_assert(CF_VALID(v.validity, row));
	return ((const double *)v.values)[row];
}

/* A string cell, or NULL when null. */
static const char *str_at(const cf_table *t, size_t c, size_t row)
{
	cf_column_view v = col_of(t, c);
	int32_t code;
	ck_assert_int_eq(v.type, CF_TYPE_STRING);
	if (!CF_VALID(v.validity, row))
		return NULL;
	code = ((const int32_t *)v.values)[row];
	ck_assert_int_ge(code, 0);
	ck_assert_uint_lt((size_t)code, v.dict_size);
	return v.dict[code];
}

static int is_null(const cf_table *t, size_t c, size_t row)
{
	return !CF_VALID(col_of(t, c).validity, row);
}

/* ---- RFC 4180 ---- */

START_TEST(test_header_and_types)
{
	cf_table *t = mem_table("id,name,score\n1,ann,2.5\n2,bob,-3e2\n", NULL);

	ck_assert_uint_eq(cf_table_num_rows(t), 2);
	ck_assert_uint_eq(cf_table_num_columns(t), 3);
	ck_assert_str_eq(cf_table_column_name(t, 0), "id");
	ck_assert_str_eq(cf_table_column_name(t, 2), "score");
	ck_assert_int_eq(col_of(t, 0).type, CF_TYPE_INT64);
	ck_assert_int_eq(col_of(t, 1).type, CF_TYPE_STRING);
	ck_assert_int_eq(col_of(t, 2).type, CF_TYPE_FLOAT64);
	ck_assert_int_eq(i64_at(t, 0, 1), 2);
	ck_assert_str_eq(str_at(t, 1, 0), "ann");
	ck_assert_double_eq(f64_at(t, 2, 1), -300.0);
	ck_assert_ptr_null(col_of(t, 0).validity); /* no null, no bitmap */
	cf_table_free(t);
}
END_TEST

START_TEST(test_quoted_fields)
{
	cf_table *t = mem_table("k,v\n"
		"1,\"a,b\"\n"
		"2,\"say \"\"hi\"\"\"\n"
		"3,\"line1\nline2\r\nline3\"\n"
		"4,\"\"\"\"\n"
		"5,plain\"quote\n", NULL);

	ck_assert_uint_eq(cf_table_num_rows(t), 5);
	ck_assert_str_eq(str_at(t, 1, 0), "a,b");
	ck_assert_str_eq(str_at(t, 1, 1), "say \"hi\"");
	ck_assert_str_eq(str_at(t, 1, 2), "line1\nline2\r\nline3");
	ck_assert_str_eq(str_at(t, 1, 3), "\"");
	ck_assert_str_eq(str_at(t, 1, 4), "plain\"quote"); /* a quote inside an unquoted field is data */
	cf_table_free(t);
}
END_TEST

START_TEST(test_crlf_and_blank_lines)
{
	cf_table *t = mem_table("\r\n\na,b\r\n1,\"x\"\r\n\r\n\n2,y\r\n3,\"z\"\r\n\r\n", NULL);

	ck_assert_uint_eq(cf_table_num_rows(t), 3);
	ck_assert_int_eq(i64_at(t, 0, 2), 3);
	ck_assert_str_eq(str_at(t, 1, 0), "x");
	ck_assert_str_eq(str_at(t, 1, 1), "y"); /* the CR of CRLF is not data */
	ck_assert_str_eq(str_at(t, 1, 2), "z");
	cf_table_free(t);
	/* No newline at the end, with and without a final CR. */
	t = mem_table("a,b\n1,last", NULL);
	ck_assert_uint_eq(cf_table_num_rows(t), 1);
	ck_assert_str_eq(str_at(t, 1, 0), "last");
	cf_table_free(t);
	t = mem_table("a,b\n1,\"q\"\r", NULL);
	ck_assert_str_eq(str_at(t, 1, 0), "q");
	cf_table_free(t);
}
END_TEST

START_TEST(test_delimiter_and_quote)
{
	cf_csv_options o = opts_default();
	cf_table *t;

	o.delimiter = ';';
	o.quote = '\'';
	t = mem_table("a;b\n'x;y';'it''s'\n\"q\";2\n", &o);
	ck_assert_uint_eq(cf_table_num_rows(t), 2);
	ck_assert_str_eq(str_at(t, 0, 0), "x;y");
	ck_assert_str_eq(str_at(t, 1, 0), "it's");
	ck_assert_str_eq(str_at(t, 0, 1), "\"q\"");
	cf_table_free(t);
	o = opts_default();
	o.delimiter = '\t';
	t = mem_table("a\tb\n1\t\"t\tab\"\n", &o);
	ck_assert_str_eq(str_at(t, 1, 0), "t\tab");
	cf_table_free(t);
}
END_TEST

START_TEST(test_skip_initial_space)
{
	cf_csv_options o = opts_default();
	cf_table *t = mem_table("a, b\n1, x\n", NULL);

	ck_assert_str_eq(cf_table_column_name(t, 1), " b");
	ck_assert_str_eq(str_at(t, 1, 0), " x");
	cf_table_free(t);
	/* Without skipping, a quote after a space is data, so this row has three fields. */
	ck_assert_int_eq(mem_error("a, b\n2, \"y, z\"\n", 16, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:2: expected 2 fields, found 3");
	o.skip_initial_space = 1;
	t = mem_table("a, b\n1, x\n2,  \"y, z\"\n3, ?\n", &o);
	ck_assert_str_eq(cf_table_column_name(t, 1), "b");
	ck_assert_str_eq(str_at(t, 1, 0), "x");
	ck_assert_str_eq(str_at(t, 1, 1), "y, z");
	ck_assert(is_null(t, 1, 2)); /* the NA check follows the skipped spaces */
	cf_table_free(t);
}
END_TEST

START_TEST(test_names)
{
	static const char *const names[] = {"x", "y"};
	cf_csv_options o = opts_default();
	cf_csv_reader *r = NULL;
	cf_table *t;

	/* With a header, names replace the file's. */
	o.names = names;
	o.names_count = 2;
	t = mem_table("a,b\n1,2\n", &o);
	ck_assert_uint_eq(cf_table_num_rows(t), 1);
	ck_assert_str_eq(cf_table_column_name(t, 0), "x");
	ck_assert_str_eq(cf_table_column_name(t, 1), "y");
	cf_table_free(t);
	/* Without one, the first row is data. */
	o.header = 0;
	t = mem_table("a,b\n1,2\n", &o);
	ck_assert_uint_eq(cf_table_num_rows(t), 2);
	ck_assert_str_eq(str_at(t, 0, 0), "a");
	ck_assert_str_eq(str_at(t, 1, 1), "2");
	cf_table_free(t);
	/* The count must match the header's. */
	o.header = 1;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a,b,c\n1,2,3\n", 12, &o), CF_EINVAL);
	ck_assert_ptr_null(r);
	assert_msg_has("<memory>:1:");
	assert_msg_has("3 fields but 2 names");
}
END_TEST

START_TEST(test_header_names_made_unique)
{
	cf_table *t = mem_table("a,a,,\"q\"\"\",a.1\n1,2,3,4,5\n", NULL);

	ck_assert_str_eq(cf_table_column_name(t, 0), "a");
	ck_assert_str_eq(cf_table_column_name(t, 1), "a.1");
	ck_assert_str_eq(cf_table_column_name(t, 2), "Unnamed: 2");
	ck_assert_str_eq(cf_table_column_name(t, 3), "q\"");
	ck_assert_str_eq(cf_table_column_name(t, 4), "a.1.1");
	cf_table_free(t);
}
END_TEST

/* ---- NA ---- */

START_TEST(test_na_default)
{
	cf_table *t = mem_table("i,f,s,b\n1,1.5,x,true\n,NA,?,\n?,\"\",NA,false\n4,2,\"\",NA\n", NULL);
	cf_column_view v;

	ck_assert_uint_eq(cf_table_num_rows(t), 4);
	v = col_of(t, 0);
	ck_assert_int_eq(v.type, CF_TYPE_INT64);
	ck_assert_uint_eq(v.null_count, 2);
	ck_assert_ptr_nonnull(v.validity);
	ck_assert(CF_VALID(v.validity, 0) && !CF_VALID(v.validity, 1) && !CF_VALID(v.validity, 2));
	ck_assert(CF_VALID(v.validity, 3));
	ck_assert_int_eq(i64_at(t, 0, 3), 4);
	v = col_of(t, 1);
	ck_assert_int_eq(v.type, CF_TYPE_FLOAT64);
	ck_assert_uint_eq(v.null_count, 2); /* "NA" and the quoted "": NA applies after unquoting */
	ck_assert(isnan(((const double *)v.values)[1]));
	v = col_of(t, 2);
	ck_assert_uint_eq(v.null_count, 3);
	ck_assert_uint_eq(v.dict_size, 1);
	ck_assert_str_eq(str_at(t, 2, 0), "x");
	ck_assert_int_lt(((const int32_t *)v.values)[1], 0);
	v = col_of(t, 3);
	ck_assert_int_eq(v.type, CF_TYPE_BOOL);
	ck_assert_uint_eq(v.null_count, 2);
	ck_assert_uint_eq(((const uint8_t *)v.values)[2], 0);
	ck_assert_uint_eq(((const uint8_t *)v.values)[0], 1);
	cf_table_free(t);
}
END_TEST

START_TEST(test_na_custom)
{
	static const char *const na[] = {"missing", "-"};
	cf_csv_options o = opts_default();
	cf_table *t;

	o.na_values = na;
	o.na_count = 2;
	t = mem_table("s,n\nNA,1\n?,-\n,missing\n", &o);
	ck_assert_int_eq(col_of(t, 0).type, CF_TYPE_STRING);
	ck_assert_str_eq(str_at(t, 0, 0), "NA"); /* the list replaces the defaults */
	ck_assert_str_eq(str_at(t, 0, 1), "?");
	ck_assert_str_eq(str_at(t, 0, 2), "");
	ck_assert_int_eq(col_of(t, 1).type, CF_TYPE_INT64);
	ck_assert(is_null(t, 1, 1) && is_null(t, 1, 2));
	cf_table_free(t);
	/* A list with no tokens: nothing is null. */
	o.na_count = 0;
	t = mem_table("s\n\"\"\nNA\n", &o);
	ck_assert_uint_eq(col_of(t, 0).null_count, 0);
	ck_assert_str_eq(str_at(t, 0, 0), "");
	ck_assert_ptr_null(col_of(t, 0).validity);
	cf_table_free(t);
}
END_TEST

/* ---- Types ---- */

START_TEST(test_inference_outcomes)
{
	cf_table *t = mem_table("i,f,b,ts,s,n,mix,big\n"
		"1,1,true,2020-01-01,a,,1,9223372036854775807\n"
		"-2,2.5,False,2020-01-01T12:30:00Z,b,NA,x,-9223372036854775808\n"
		"+3,1e3,TRUE,2020-01-01 12:30:45.123456,c,?,2.5,1\n"
		" 4 ,-inf,FALSE,2020-01-01T12:30+02:00,d,,3,2\n"
		"005,NaN,true,1969-12-31T23:59:59.5Z,e,,4,9223372036854775808\n", NULL);
	cf_column_view v;

	ck_assert_int_eq(col_of(t, 0).type, CF_TYPE_INT64);
	ck_assert_int_eq(i64_at(t, 0, 1), -2);
	ck_assert_int_eq(i64_at(t, 0, 2), 3);
	ck_assert_int_eq(i64_at(t, 0, 3), 4);
	ck_assert_int_eq(i64_at(t, 0, 4), 5);
	ck_assert_int_eq(col_of(t, 1).type, CF_TYPE_FLOAT64);
	ck_assert_double_eq(f64_at(t, 1, 2), 1000.0);
	ck_assert(isinf(f64_at(t, 1, 3)) && f64_at(t, 1, 3) < 0);
	ck_assert(isnan(f64_at(t, 1, 4)));
	ck_assert_uint_eq(col_of(t, 1).null_count, 1); /* a NaN counts as missing in a table */
	v = col_of(t, 2);
	ck_assert_int_eq(v.type, CF_TYPE_BOOL);
	ck_assert_mem_eq(v.values, "\1\0\1\0\1", 5);
	ck_assert_int_eq(col_of(t, 3).type, CF_TYPE_TIMESTAMP);
	ck_assert_int_eq(i64_at(t, 3, 0), INT64_C(1577836800000000));
	ck_assert_int_eq(i64_at(t, 3, 1), INT64_C(1577881800000000));
	ck_assert_int_eq(i64_at(t, 3, 2), INT64_C(1577881845123456));
	ck_assert_int_eq(i64_at(t, 3, 3), INT64_C(1577874600000000));
	ck_assert_int_eq(i64_at(t, 3, 4), INT64_C(-500000));
	ck_assert_int_eq(col_of(t, 4).type, CF_TYPE_STRING);
	ck_assert_int_eq(col_of(t, 5).type, CF_TYPE_FLOAT64); /* all null: float64, as pandas */
	ck_assert_uint_eq(col_of(t, 5).null_count, 5);
	ck_assert_int_eq(col_of(t, 6).type, CF_TYPE_STRING);
	ck_assert_str_eq(str_at(t, 6, 2), "2.5");
	ck_assert_int_eq(col_of(t, 7).type, CF_TYPE_FLOAT64); /* 2^63 overflows int64 */
	ck_assert_double_eq(f64_at(t, 7, 0), 9223372036854775807.0);
	cf_table_free(t);
	t = mem_table("i\n9223372036854775807\n-9223372036854775808\n", NULL);
	ck_assert_int_eq(i64_at(t, 0, 0), INT64_MAX);
	ck_assert_int_eq(i64_at(t, 0, 1), INT64_MIN);
	cf_table_free(t);
}
END_TEST

START_TEST(test_timestamps)
{
	cf_table *t = mem_table("t\n2024-02-29\n1900-03-01T00:00:00.000000Z\n2020-01-01T12:30-05:30\n"
		"2020-01-01T12:30:45.1234569Z\n", NULL);

	ck_assert_int_eq(col_of(t, 0).type, CF_TYPE_TIMESTAMP);
	ck_assert_int_eq(i64_at(t, 0, 0), INT64_C(1709164800000000));
	ck_assert_int_eq(i64_at(t, 0, 1), INT64_C(-2203891200000000));
	ck_assert_int_eq(i64_at(t, 0, 2), INT64_C(1577901600000000));
	ck_assert_int_eq(i64_at(t, 0, 3), INT64_C(1577881845123456)); /* past microseconds: dropped */
	cf_table_free(t);
	/* Not timestamps: no such day, hour 24, a zone without a time, garbage after the date. */
	static const char *const bad[] = {"2023-02-29", "2020-01-01T24:00", "2020-01-01Z", "2020-01-01x",
		"2020-1-01", "2020-01-01T12:30:00.", "2020-01-01T12:30:00+0200"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char csv[128];
		snprintf(csv, sizeof(csv), "t\n2020-01-01\n%s\n", bad[i]);
		t = mem_table(csv, NULL);
		ck_assert_msg(col_of(t, 0).type == CF_TYPE_STRING, "%s", bad[i]);
		cf_table_free(t);
	}
}
END_TEST

START_TEST(test_explicit_schema)
{
	static const cf_type types[] = {CF_TYPE_STRING, CF_TYPE_FLOAT64, CF_TYPE_BOOL, CF_TYPE_TIMESTAMP,
		CF_TYPE_INT64};
	cf_csv_options o = opts_default();
	cf_csv_reader *r = NULL;
	cf_table *t;

	o.types = types;
	o.types_count = 5;
	t = mem_table("zip,x,ok,when,n\n01234,7,TRUE,2021-06-01,1\n?,NA,false,,2\n", &o);
	ck_assert_str_eq(str_at(t, 0, 0), "01234"); /* kept as text, leading zero and all */
	ck_assert(is_null(t, 0, 1));
	ck_assert_double_eq(f64_at(t, 1, 0), 7.0);
	ck_assert_int_eq(col_of(t, 2).type, CF_TYPE_BOOL);
	ck_assert_int_eq(col_of(t, 3).type, CF_TYPE_TIMESTAMP);
	ck_assert(is_null(t, 3, 1));
	cf_table_free(t);
	/* A value that is not of its given type. */
	ck_assert_int_eq(mem_error("zip,x,ok,when,n\n1,2,yes,2021-06-01,1\n", 38, &o), CF_EFORMAT);
	assert_msg_has("<memory>:2: column 3 'ok': \"yes\" is not a valid bool");
	ck_assert_ptr_null(strstr(cf_error_last()->message, "inferred"));
	/* The count must match the columns. */
	o.types_count = 4;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a,b,c,d,e\n", 10, &o), CF_EINVAL);
	assert_msg_has("4 types were given for 5 columns");
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_type_contradicted_later)
{
	static const cf_type types[] = {CF_TYPE_INT64, CF_TYPE_STRING};
	static const char lines[] = "id,note\n1,\"a\nb\"\n2,\"c\r\nd\ne\"\nx,y\n";
	cf_csv_options o = opts_default();
	char csv[4096];
	size_t n, i;

	n = (size_t)snprintf(csv, sizeof(csv), "id,qty\n");
	for (i = 1; i <= 5; i++)
		n += (size_t)snprintf(csv + n, sizeof(csv) - n, "%zu,%zu\n", i, i * 10);
	n += (size_t)snprintf(csv + n, sizeof(csv) - n, "6,\"6\n0\"\n");
	o.infer_rows = 5;
	ck_assert_int_eq(mem_error(csv, n, &o), CF_EFORMAT);
	assert_msg_has("<memory>:7: column 2 'qty': \"6\\n0\" is not a valid int64 (type inferred from the first 5 rows; "
		"pass an explicit schema or a larger sample)");
	/* The value in the message stops after 40 bytes. */
	n = (size_t)snprintf(csv, sizeof(csv), "id,qty\n1,1\n2,2\n3,x0123456789012345678901234567890123456789tail\n");
	o.infer_rows = 2;
	ck_assert_int_eq(mem_error(csv, n, &o), CF_EFORMAT);
	assert_msg_has("<memory>:4: column 2 'qty': \"x012345678901234567890123456789012345678...\" is not a valid "
		"int64 (type inferred from the first 2 rows");
	/* The whole input as the sample: no contradiction possible. */
	o.infer_rows = 0;
	ck_assert_int_eq(mem_error(csv, n, &o), CF_OK);
	/* Newlines inside quoted fields count: the bad row starts on physical line 7. */
	o = opts_default();
	o.types = types;
	o.types_count = 2;
	ck_assert_int_eq(mem_error(lines, sizeof(lines) - 1, &o), CF_EFORMAT);
	assert_msg_has("<memory>:7: column 1 'id': \"x\" is not a valid int64");
}
END_TEST

START_TEST(test_infer_whole_file_reads_twice)
{
	cf_csv_options o = opts_default();
	char path[300], csv[8192];
	size_t n = 0, i;
	cf_table *t = NULL;

	n += (size_t)snprintf(csv + n, sizeof(csv) - n, "v\n");
	for (i = 0; i < 500; i++)
		n += (size_t)snprintf(csv + n, sizeof(csv) - n, "%zu\n", i);
	n += (size_t)snprintf(csv + n, sizeof(csv) - n, "1.5\n");
	tmp_path(path, sizeof(path), "twice.csv");
	write_file(path, csv, n);
	o.infer_rows = 0;
	ck_assert_int_eq(cf_csv_read_all(&t, NULL, path, &o), CF_OK);
	ck_assert_uint_eq(cf_table_num_rows(t), 501);
	ck_assert_double_eq(f64_at(t, 0, 499), 499.0);
	ck_assert_double_eq(f64_at(t, 0, 500), 1.5);
	cf_table_free(t);
	o.infer_rows = 100;
	ck_assert_int_eq(cf_csv_read_all(&t, NULL, path, &o), CF_EFORMAT);
	ck_assert_ptr_null(t);
	assert_msg_has("twice.csv:502: column 1 'v': \"1.5\" is not a valid int64 (type inferred from the first 100 rows");
	/* Standard input cannot be read twice. */
	{
		cf_csv_reader *r = NULL;
		o.infer_rows = 0;
		ck_assert_int_eq(cf_csv_open(&r, NULL, "-", &o), CF_EINVAL);
		ck_assert_ptr_null(r);
		assert_msg_has("infer_rows");
	}
}
END_TEST

/* ---- Chunking and streaming ---- */

START_TEST(test_chunks_match_read_all)
{
	cf_csv_options o = opts_default();
	char path[300], *csv = malloc(1 << 16);
	size_t n = 0, i, row = 0, chunks = 0;
	cf_csv_reader *r = NULL;
	cf_table *all = NULL, *t = NULL;
	static const char *const cats[] = {"red", "green", "blue", "?"};

	ck_assert_ptr_nonnull(csv);
	n += (size_t)snprintf(csv + n, 1 << 16, "id,x,cat,flag\n");
	for (i = 0; i < 100; i++)
		n += (size_t)snprintf(csv + n, (1 << 16) - n, "%zu,%g,%s,%s\n", i, i * 0.5, cats[i % 4],
			i % 3 ? "true" : "false");
	tmp_path(path, sizeof(path), "chunks.csv");
	write_file(path, csv, n);
	ck_assert_int_eq(cf_csv_read_all(&all, NULL, path, NULL), CF_OK);
	ck_assert_uint_eq(cf_table_num_rows(all), 100);
	ck_assert_uint_eq(col_of(all, 2).dict_size, 3);
	ck_assert_uint_eq(col_of(all, 2).null_count, 25);
	o.chunk_rows = 7;
	ck_assert_int_eq(cf_csv_open(&r, NULL, path, &o), CF_OK);
	ck_assert_uint_eq(cf_csv_num_columns(r), 4);
	ck_assert_str_eq(cf_csv_column_name(r, 2), "cat");
	ck_assert_int_eq(cf_csv_column_type(r, 1), CF_TYPE_FLOAT64);
	ck_assert_int_eq(cf_csv_column_type(r, 3), CF_TYPE_BOOL);
	ck_assert_ptr_null(cf_csv_column_name(r, 4));
	ck_assert_int_eq(cf_csv_column_type(r, 4), 0);
	ck_assert_uint_eq(cf_csv_rows_read(r), 0);
	for (;;) {
		size_t k;
		ck_assert_int_eq(cf_csv_next(&t, r), CF_OK);
		if (t == NULL)
			break;
		chunks++;
		ck_assert_uint_eq(cf_table_num_rows(t), chunks < 15 ? 7 : 2);
		ck_assert_uint_le(col_of(t, 2).dict_size, 3); /* dictionaries are per chunk */
		for (k = 0; k < cf_table_num_rows(t); k++, row++) {
			const char *a = str_at(t, 2, k), *b = str_at(all, 2, row);
			ck_assert_int_eq(i64_at(t, 0, k), i64_at(all, 0, row));
			ck_assert_double_eq(f64_at(t, 1, k), f64_at(all, 1, row));
			ck_assert((a == NULL) == (b == NULL));
			if (a != NULL)
				ck_assert_str_eq(a, b);
			ck_assert_uint_eq(((const uint8_t *)col_of(t, 3).values)[k],
				((const uint8_t *)col_of(all, 3).values)[row]);
		}
		ck_assert_uint_eq(cf_csv_rows_read(r), row);
		cf_table_free(t);
	}
	ck_assert_uint_eq(chunks, 15);
	ck_assert_uint_eq(cf_csv_rows_read(r), 100);
	ck_assert_int_eq(cf_csv_next(&t, r), CF_OK); /* stays at the end */
	ck_assert_ptr_null(t);
	cf_csv_free(r);
	cf_table_free(all);
	free(csv);
}
END_TEST

/* A few MB with quoted newlines and escapes, so rows straddle many buffer refills; an error at the end must
 * still name the right physical line. */
START_TEST(test_rows_across_buffer_refills)
{
	size_t cap = 8u << 20, n = 0, i, lines = 1, got = 0;
	char *csv = malloc(cap);
	cf_csv_options o = opts_default();
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;
	char expect[64], msg[64];

	ck_assert_ptr_nonnull(csv);
	n += (size_t)snprintf(csv + n, cap - n, "i,text,x\n");
	lines++;
	for (i = 0; i < 60000; i++) {
		if (i % 7 == 0) {
			n += (size_t)snprintf(csv + n, cap - n, "%zu,\"multi\nline \"\"%zu\"\"\",%zu.25\r\n", i, i, i);
			lines += 2;
		} else {
			n += (size_t)snprintf(csv + n, cap - n, "%zu,plain%zu,%zu\n", i, i % 100, i);
			lines++;
		}
	}
	o.chunk_rows = 4096;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, csv, n, &o), CF_OK);
	while (cf_csv_next(&t, r) == CF_OK && t != NULL) {
		size_t k;
		for (k = 0; k < cf_table_num_rows(t); k++, got++) {
			ck_assert_int_eq(i64_at(t, 0, k), (int64_t)got);
			if (got % 7 == 0) {
				snprintf(expect, sizeof(expect), "multi\nline \"%zu\"", got);
				ck_assert_str_eq(str_at(t, 1, k), expect);
				ck_assert_double_eq(f64_at(t, 2, k), (double)got + 0.25);
			} else {
				snprintf(expect, sizeof(expect), "plain%zu", got % 100);
				ck_assert_str_eq(str_at(t, 1, k), expect);
			}
		}
		cf_table_free(t);
	}
	ck_assert_uint_eq(got, 60000);
	cf_csv_free(r);
	/* Now a ragged last row. */
	n += (size_t)snprintf(csv + n, cap - n, "1,2\n");
	ck_assert_int_eq(mem_error(csv, n, &o), CF_EFORMAT);
	snprintf(msg, sizeof(msg), "<memory>:%zu: expected 3 fields, found 2", lines);
	assert_msg_has(msg);
	free(csv);
}
END_TEST

START_TEST(test_compressed_input)
{
	static const char csv[] = "a,b\n1,x\n2,\"y\nz\"\n3,?\n";
	static const char *const tools[] = {"gzip", "zstd -q", "xz", "bzip2"};
	char plain[300], packed[300], cmd[800];
	size_t i;

	tmp_path(plain, sizeof(plain), "in.csv");
	write_file(plain, csv, sizeof(csv) - 1);
	for (i = 0; i < sizeof(tools) / sizeof(tools[0]); i++) {
		cf_table *t = NULL;
		snprintf(packed, sizeof(packed), "%s/in.%zu", tmpdir, i);
		snprintf(cmd, sizeof(cmd), "%s -c '%s' > '%s'", tools[i], plain, packed);
		ck_assert_int_eq(system(cmd), 0);
		ck_assert_msg(cf_csv_read_all(&t, NULL, packed, NULL) == CF_OK, "%s: %s", tools[i],
			cf_error_last()->message);
		ck_assert_uint_eq(cf_table_num_rows(t), 3);
		ck_assert_int_eq(i64_at(t, 0, 2), 3);
		ck_assert_str_eq(str_at(t, 1, 1), "y\nz");
		ck_assert(is_null(t, 1, 2));
		cf_table_free(t);
	}
}
END_TEST

/* ---- Adult ---- */

static cf_csv_options adult_opts(void)
{
	cf_csv_options o = opts_default();
	o.header = 0;
	o.names = adult_names;
	o.names_count = 15;
	o.skip_initial_space = 1;
	return o;
}

static void check_adult_types(const cf_table *t)
{
	static const cf_type want[15] = {
		CF_TYPE_INT64, CF_TYPE_STRING, CF_TYPE_INT64, CF_TYPE_STRING, CF_TYPE_INT64, CF_TYPE_STRING,
		CF_TYPE_STRING, CF_TYPE_STRING, CF_TYPE_STRING, CF_TYPE_STRING, CF_TYPE_INT64, CF_TYPE_INT64,
		CF_TYPE_INT64, CF_TYPE_STRING, CF_TYPE_STRING,
	};
	size_t c;

	ck_assert_uint_eq(cf_table_num_columns(t), 15);
	for (c = 0; c < 15; c++) {
		ck_assert_str_eq(cf_table_column_name(t, c), adult_names[c]);
		ck_assert_msg(col_of(t, c).type == want[c], "column %s", adult_names[c]);
	}
}

START_TEST(test_adult_train)
{
	cf_csv_options o = adult_opts();
	cf_table *t = NULL;
	size_t i, high = 0;
	int64_t age_sum = 0;

	ck_assert_int_eq(cf_csv_read_all(&t, NULL, ADULT_TRAIN, &o), CF_OK);
	ck_assert_uint_eq(cf_table_num_rows(t), 32561);
	check_adult_types(t);
	/* The first row, as pandas reads it. */
	ck_assert_int_eq(i64_at(t, 0, 0), 39);
	ck_assert_str_eq(str_at(t, 1, 0), "State-gov");
	ck_assert_int_eq(i64_at(t, 2, 0), 77516);
	ck_assert_str_eq(str_at(t, 3, 0), "Bachelors");
	ck_assert_int_eq(i64_at(t, 4, 0), 13);
	ck_assert_str_eq(str_at(t, 5, 0), "Never-married");
	ck_assert_str_eq(str_at(t, 6, 0), "Adm-clerical");
	ck_assert_str_eq(str_at(t, 7, 0), "Not-in-family");
	ck_assert_str_eq(str_at(t, 8, 0), "White");
	ck_assert_str_eq(str_at(t, 9, 0), "Male");
	ck_assert_int_eq(i64_at(t, 10, 0), 2174);
	ck_assert_int_eq(i64_at(t, 11, 0), 0);
	ck_assert_int_eq(i64_at(t, 12, 0), 40);
	ck_assert_str_eq(str_at(t, 13, 0), "United-States");
	ck_assert_str_eq(str_at(t, 14, 0), "<=50K");
	/* The last row. */
	ck_assert_int_eq(i64_at(t, 0, 32560), 52);
	ck_assert_str_eq(str_at(t, 1, 32560), "Self-emp-inc");
	ck_assert_int_eq(i64_at(t, 10, 32560), 15024);
	ck_assert_str_eq(str_at(t, 14, 32560), ">50K");
	/* Nulls where "?", and the column sums pandas gives. */
	ck_assert_uint_eq(col_of(t, 1).null_count, 1836);
	ck_assert_uint_eq(col_of(t, 6).null_count, 1843);
	ck_assert_uint_eq(col_of(t, 13).null_count, 583);
	ck_assert_uint_eq(col_of(t, 0).null_count, 0);
	ck_assert_ptr_null(col_of(t, 0).validity);
	ck_assert_uint_eq(col_of(t, 1).dict_size, 8);
	ck_assert_uint_eq(col_of(t, 3).dict_size, 16);
	ck_assert_uint_eq(col_of(t, 13).dict_size, 41);
	ck_assert_uint_eq(col_of(t, 14).dict_size, 2);
	for (i = 0; i < 32561; i++) {
		age_sum += i64_at(t, 0, i);
		high += strcmp(str_at(t, 14, i), ">50K") == 0;
	}
	ck_assert_int_eq(age_sum, 1256257);
	ck_assert_uint_eq(high, 7841);
	cf_table_free(t);
}
END_TEST

START_TEST(test_adult_test_streamed)
{
	cf_csv_options o = adult_opts();
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;
	size_t rows = 0, nulls = 0, low = 0, chunks = 0, i;
	int64_t fnlwgt_sum = 0;

	o.chunk_rows = 5000;
	ck_assert_int_eq(cf_csv_open(&r, NULL, ADULT_TEST, &o), CF_OK);
	while (cf_csv_next(&t, r) == CF_OK && t != NULL) {
		check_adult_types(t);
		if (rows == 0) {
			ck_assert_int_eq(i64_at(t, 0, 0), 25);
			ck_assert_str_eq(str_at(t, 14, 0), "<=50K.");
		}
		for (i = 0; i < cf_table_num_rows(t); i++) {
			const char *income = str_at(t, 14, i);
			ck_assert(strcmp(income, "<=50K.") == 0 || strcmp(income, ">50K.") == 0);
			low += income[0] == '<';
			fnlwgt_sum += i64_at(t, 2, i);
		}
		nulls += col_of(t, 1).null_count;
		rows += cf_table_num_rows(t);
		chunks++;
		cf_table_free(t);
	}
	ck_assert_uint_eq(rows, 16281);
	ck_assert_uint_eq(chunks, 4);
	ck_assert_uint_eq(cf_csv_rows_read(r), 16281);
	ck_assert_uint_eq(nulls, 963);
	ck_assert_uint_eq(low, 12435);
	ck_assert_int_eq(fnlwgt_sum, INT64_C(3084202270));
	cf_csv_free(r);
}
END_TEST

/* ---- Limits ---- */

static char *big_field_csv(size_t field, size_t *len)
{
	char *csv = malloc(field + 64);
	size_t n;

	ck_assert_ptr_nonnull(csv);
	n = (size_t)sprintf(csv, "id,blob\n1,small\n2,\"");
	memset(csv + n, 'x', field);
	n += field;
	n += (size_t)sprintf(csv + n, "\"\n3,end\n");
	*len = n;
	return csv;
}

START_TEST(test_large_field_ok)
{
	size_t len, field = 10u * 1000 * 1000;
	char *csv = big_field_csv(field, &len), path[300];
	cf_table *t = NULL;
	cf_column_view v;

	tmp_path(path, sizeof(path), "big.csv");
	write_file(path, csv, len);
	ck_assert_int_eq(cf_csv_read_all(&t, NULL, path, NULL), CF_OK);
	ck_assert_uint_eq(cf_table_num_rows(t), 3);
	ck_assert_uint_eq(strlen(str_at(t, 1, 1)), field);
	ck_assert_str_eq(str_at(t, 1, 2), "end");
	v = col_of(t, 1);
	ck_assert_uint_eq(v.dict_size, 3);
	cf_table_free(t);
	free(csv);
}
END_TEST

START_TEST(test_field_over_limit)
{
	size_t len;
	char *csv = big_field_csv(20u * 1000 * 1000, &len);
	cf_csv_options o = opts_default();

	ck_assert_int_eq(mem_error(csv, len, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:3: column 2 'blob': ");
	assert_msg_has("max_field_bytes (16777216)");
	free(csv);
	/* A small limit, on an unquoted field that ends within the buffer. */
	o.max_field_bytes = 4;
	ck_assert_int_eq(mem_error("a,b\n1,abcd\n2,abcde\n", 19, &o), CF_EFORMAT);
	assert_msg_has("<memory>:3: column 2 'b': field of 5 bytes is longer than max_field_bytes (4)");
}
END_TEST

/* ---- Bad input ---- */

START_TEST(test_empty_input)
{
	static const char *const names[] = {"a", "b"};
	cf_csv_options o = opts_default();
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;
	char path[300];

	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "", 0, NULL), CF_EFORMAT);
	assert_msg_has("<memory>: empty file: no header row");
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "\n\r\n\n", 4, NULL), CF_EFORMAT);
	/* Without a header: zero rows, float64 columns named by `names`. */
	o.header = 0;
	o.names = names;
	o.names_count = 2;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, NULL, 0, &o), CF_OK);
	ck_assert_uint_eq(cf_csv_num_columns(r), 2);
	ck_assert_int_eq(cf_csv_column_type(r, 1), CF_TYPE_FLOAT64);
	ck_assert_int_eq(cf_csv_next(&t, r), CF_OK);
	ck_assert_ptr_null(t);
	cf_csv_free(r);
	tmp_path(path, sizeof(path), "empty.csv");
	write_file(path, "", 0);
	ck_assert_int_eq(cf_csv_read_all(&t, NULL, path, &o), CF_OK);
	ck_assert_uint_eq(cf_table_num_rows(t), 0);
	ck_assert_uint_eq(cf_table_num_columns(t), 2);
	ck_assert_int_eq(col_of(t, 0).type, CF_TYPE_FLOAT64);
	cf_table_free(t);
	ck_assert_int_eq(cf_csv_read_all(&t, NULL, path, NULL), CF_EFORMAT);
	assert_msg_has("empty.csv: empty file: no header row");
}
END_TEST

START_TEST(test_header_only)
{
	static const cf_type types[] = {CF_TYPE_STRING, CF_TYPE_INT64};
	cf_csv_options o = opts_default();
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;

	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "x,y\r\n", 5, NULL), CF_OK);
	ck_assert_uint_eq(cf_csv_num_columns(r), 2);
	ck_assert_str_eq(cf_csv_column_name(r, 1), "y");
	ck_assert_int_eq(cf_csv_column_type(r, 0), CF_TYPE_FLOAT64);
	ck_assert_int_eq(cf_csv_next(&t, r), CF_OK);
	ck_assert_ptr_null(t);
	ck_assert_uint_eq(cf_csv_rows_read(r), 0);
	cf_csv_free(r);
	o.types = types;
	o.types_count = 2;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "x,y", 3, &o), CF_OK);
	ck_assert_int_eq(cf_csv_column_type(r, 0), CF_TYPE_STRING);
	ck_assert_int_eq(cf_csv_column_type(r, 1), CF_TYPE_INT64);
	cf_csv_free(r);
}
END_TEST

START_TEST(test_nul_byte)
{
	static const char csv[] = "a,b\n1,x\n2,y\0z\n";
	static const char quoted[] = "a,b\n1,\"x\n\0\"\n";

	ck_assert_int_eq(mem_error(csv, sizeof(csv) - 1, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:3: column 2 'b': NUL byte");
	ck_assert_int_eq(mem_error(quoted, sizeof(quoted) - 1, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:3: column 2 'b': NUL byte");
	ck_assert_int_eq(mem_error("x\0,y\n", 5, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:1: field 1: NUL byte");
}
END_TEST

START_TEST(test_invalid_utf8)
{
	static const char bad[] = "a,b\n1,caf\xc3\xa9\n2,ab\xff\n";
	static const char quoted[] = "a,b\n1,\"x\ny\xc3\"\n";
	cf_table *t;

	ck_assert_int_eq(mem_error(bad, sizeof(bad) - 1, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:3: column 2 'b': invalid UTF-8 at byte 3 of the field (0xff)");
	/* Inside a quoted field after a newline: the line is the byte's own. */
	ck_assert_int_eq(mem_error(quoted, sizeof(quoted) - 1, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:3: column 2 'b': invalid UTF-8 at byte 4");
	ck_assert_int_eq(mem_error("a,\xc0\xaf\n", 6, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:1: field 2: invalid UTF-8");
	t = mem_table("s\n\xe2\x82\xac \xf0\x9f\x98\x80\n", NULL);
	ck_assert_str_eq(str_at(t, 0, 0), "\xe2\x82\xac \xf0\x9f\x98\x80");
	cf_table_free(t);
}
END_TEST

START_TEST(test_ragged_rows)
{
	cf_csv_options o = adult_opts();
	char csv[4096];
	size_t n = 0, i;

	for (i = 0; i < 6; i++)
		n += (size_t)snprintf(csv + n, sizeof(csv) - n, "1,a,2,b,3,c,d,e,f,g,4,5,6,h,i\n");
	n += (size_t)snprintf(csv + n, sizeof(csv) - n, "1,a,2,b,3,c,d,e,f,g,4,5,6,h\n");
	ck_assert_int_eq(mem_error(csv, n, &o), CF_EFORMAT);
	assert_msg_has("<memory>:7: expected 15 fields, found 14");
	ck_assert_int_eq(mem_error("a,b\n1,2\n3,4,5\n", 14, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:3: expected 2 fields, found 3");
	/* Past the sample, in a later chunk. */
	o = opts_default();
	o.infer_rows = 1;
	o.chunk_rows = 1;
	ck_assert_int_eq(mem_error("a,b\n1,2\n3,4\n\n5\n", 15, &o), CF_EFORMAT);
	assert_msg_has("<memory>:5: expected 2 fields, found 1");
}
END_TEST

START_TEST(test_unterminated_quote)
{
	ck_assert_int_eq(mem_error("a,b\n1,2\n3,\"open\nand on\nand on", 29, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:3: column 2 'b': unterminated quoted field: the quote opened on line 3");
	ck_assert_int_eq(mem_error("a,b\n1,\"x\"y\n", 11, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:2: column 2 'b': unexpected character 'y' after the closing quote");
	ck_assert_int_eq(mem_error("a,b\n\"1\" ,2\n", 11, NULL), CF_EFORMAT);
	assert_msg_has("<memory>:2: column 1 'a': unexpected character ' '");
}
END_TEST

START_TEST(test_error_is_sticky)
{
	cf_csv_options o = opts_default();
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;
	static const char csv[] = "a\n1\n2\n3\nx\n4\n";

	o.infer_rows = 2;
	o.chunk_rows = 2;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, csv, sizeof(csv) - 1, &o), CF_OK);
	ck_assert_int_eq(cf_csv_next(&t, r), CF_OK);
	ck_assert_uint_eq(cf_table_num_rows(t), 2);
	cf_table_free(t);
	ck_assert_int_eq(cf_csv_next(&t, r), CF_EFORMAT);
	ck_assert_ptr_null(t);
	assert_msg_has("<memory>:5: column 1 'a'");
	cf_error_clear();
	ck_assert_int_eq(cf_csv_next(&t, r), CF_EFORMAT);
	ck_assert_ptr_null(t);
	assert_msg_has("<memory>:5: column 1 'a': \"x\" is not a valid int64");
	ck_assert_uint_eq(cf_csv_rows_read(r), 2);
	cf_csv_free(r);
}
END_TEST

/* ---- Options ---- */

START_TEST(test_bad_options)
{
	static const char *const dup[] = {"a", "b", "a"};
	static const char *const with_null[] = {"a", NULL};
	static const char *const na_null[] = {NULL};
	static const cf_type bad_type[] = {(cf_type)9};
	cf_csv_options o;
	cf_csv_reader *r = (cf_csv_reader *)&o;

	o = opts_default();
	o.header = 0;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "1\n", 2, &o), CF_EINVAL);
	ck_assert_ptr_null(r);
	assert_msg_has("names");
	o.names = dup;
	o.names_count = 3;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "1,2,3\n", 6, &o), CF_EINVAL);
	assert_msg_has("'a' appears twice");
	o.names = with_null;
	o.names_count = 2;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "1,2\n", 4, &o), CF_EINVAL);
	assert_msg_has("names[1] is NULL");
	o = opts_default();
	o.quote = ',';
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a\n", 2, &o), CF_EINVAL);
	assert_msg_has("delimiter and the quote");
	o = opts_default();
	o.delimiter = '\n';
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a\n", 2, &o), CF_EINVAL);
	assert_msg_has("cf_csv_options.delimiter");
	o.delimiter = '\r';
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a\n", 2, &o), CF_EINVAL);
	o = opts_default();
	o.chunk_rows = 0;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a\n", 2, &o), CF_EINVAL);
	o = opts_default();
	o.max_field_bytes = 0;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a\n", 2, &o), CF_EINVAL);
	o = opts_default();
	o.header = 2;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a\n", 2, &o), CF_EINVAL);
	o = opts_default();
	o.na_values = na_null;
	o.na_count = 1;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a\n", 2, &o), CF_EINVAL);
	o = opts_default();
	o.types = bad_type;
	o.types_count = 1;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a\n", 2, &o), CF_EINVAL);
	o = opts_default();
	o.version = 0;
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, "a\n", 2, &o), CF_EVERSION);
	ck_assert_int_eq(cf_csv_options_init(&o, CF_CSV_OPTIONS_VERSION + 1), CF_EVERSION);
	ck_assert_int_eq(cf_csv_options_init(NULL, CF_CSV_OPTIONS_VERSION), CF_EINVAL);
	ck_assert_ptr_null(r);
}
END_TEST

START_TEST(test_api_edges)
{
	static const cf_csv_options init = CF_CSV_OPTIONS_INIT;
	cf_csv_options o;
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;

	cf_csv_free(NULL);
	ck_assert_int_eq(cf_csv_options_init(&o, CF_CSV_OPTIONS_VERSION), CF_OK);
	ck_assert_int_eq(o.delimiter, init.delimiter);
	ck_assert_int_eq(o.quote, '"');
	ck_assert_int_eq(o.header, 1);
	ck_assert_ptr_null(o.na_values);
	ck_assert_int_eq(o.delimiter, ',');
	ck_assert_uint_eq(o.infer_rows, 10000);
	ck_assert_uint_eq(o.chunk_rows, 65536);
	ck_assert_uint_eq(o.max_field_bytes, 16u << 20);
	ck_assert_uint_eq(cf_csv_num_columns(NULL), 0);
	ck_assert_ptr_null(cf_csv_column_name(NULL, 0));
	ck_assert_int_eq(cf_csv_column_type(NULL, 0), 0);
	ck_assert_uint_eq(cf_csv_rows_read(NULL), 0);
	ck_assert_int_eq(cf_csv_next(&t, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_csv_open(NULL, NULL, "x", NULL), CF_EINVAL);
	ck_assert_int_eq(cf_csv_open(&r, NULL, NULL, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_csv_open_memory(&r, NULL, NULL, 3, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_csv_read_all(NULL, NULL, "x", NULL), CF_EINVAL);
	ck_assert_int_eq(cf_csv_open(&r, NULL, "/nonexistent/file.csv", NULL), CF_ENOTFOUND);
	ck_assert_ptr_null(r);
	/* source_name replaces the path in messages. */
	o.source_name = "orders";
	ck_assert_int_eq(mem_error("a\n\"x", 4, &o), CF_EFORMAT);
	assert_msg_has("orders:2: column 1 'a': unterminated");
}
END_TEST

/* With a context: everything goes through its allocator. */
static size_t live_allocs;

static void *count_alloc(void *opaque, size_t size)
{
	(void)opaque;
	live_allocs++;
	return malloc(size);
}

static void *count_realloc(void *opaque, void *ptr, size_t size)
{
	(void)opaque;
	live_allocs += ptr == NULL;
	return realloc(ptr, size);
}

static void count_free(void *opaque, void *ptr)
{
	(void)opaque;
	live_allocs -= ptr != NULL;
	free(ptr);
}

START_TEST(test_context_allocator)
{
	cf_context_options co;
	cf_context *ctx = NULL;
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;
	cf_csv_options o = adult_opts();

	ck_assert_int_eq(cf_context_options_init(&co, CF_CONTEXT_OPTIONS_VERSION), CF_OK);
	co.device = CF_DEVICE_CPU;
	co.allocator.alloc = count_alloc;
	co.allocator.realloc = count_realloc;
	co.allocator.free = count_free;
	ck_assert_int_eq(cf_context_create(&ctx, &co), CF_OK);
	live_allocs = 0;
	o.chunk_rows = 10000;
	ck_assert_int_eq(cf_csv_open(&r, ctx, ADULT_TEST, &o), CF_OK);
	ck_assert_uint_gt(live_allocs, 0);
	while (cf_csv_next(&t, r) == CF_OK && t != NULL)
		cf_table_free(t);
	cf_csv_free(r);
	ck_assert_uint_eq(live_allocs, 0);
	cf_context_free(ctx);
}
END_TEST

/* cf_validate_csv() hands each chunk back to the reader, which builds the next one in its buffers. Validating
 * in chunks of 7 rows must report exactly what one chunk and a whole-table validation do. The suite lists every
 * value (COMPLETE results, every value unexpected), and the data has chunks with and without nulls, string
 * chunks that are all null, escaped fields, and strings that grow past the recycled arenas. */
static cf_validation *validate_recycled(cf_context *ctx, const cf_suite *suite, const char *path, size_t chunk_rows)
{
	cf_csv_options o = opts_default();
	cf_validate_options vo = CF_VALIDATE_OPTIONS_INIT;
	cf_validation *v = NULL;
	int rc;

	vo.now_us = 1700000000000000LL;
	vo.result_format = CF_RESULT_FORMAT_COMPLETE;
	o.chunk_rows = chunk_rows;
	if (chunk_rows == 0) {
		cf_table *all = NULL;
		ck_assert_int_eq(cf_csv_read_all(&all, ctx, path, &o), CF_OK);
		rc = cf_validate_table(&v, ctx, suite, all, &vo);
		cf_table_free(all);
	} else {
		rc = cf_validate_csv(&v, ctx, suite, path, &o, &vo);
	}
	ck_assert_msg(rc == CF_OK, "validate: %s", cf_error_last()->message);
	return v;
}

static char *validation_json(cf_validation *v)
{
	cf_buf b = CF_BUF_INIT;
	char *s;

	ck_assert_int_eq(cf_validation_to_json(&b, v), CF_OK);
	s = strdup(b.ptr);
	ck_assert_ptr_nonnull(s);
	cf_buf_dispose(&b);
	cf_validation_free(v);
	return s;
}

/* Reports are long: on a difference, show where (a whole report is past what Check can pass back). */
static void assert_same_report(const char *a, const char *b, const char *what)
{
	size_t i = 0;

	while (a[i] != '\0' && a[i] == b[i])
		i++;
	ck_assert_msg(a[i] == b[i], "%s: reports differ at byte %zu: \"%.80s\" vs \"%.80s\"", what, i,
		a + (i > 40 ? i - 40 : 0), b + (i > 40 ? i - 40 : 0));
}

START_TEST(test_validate_recycles_chunks)
{
	static const char suite_json[] = "{\"name\": \"recycle\", \"expectations\": ["
		"{\"type\": \"expect_column_values_to_be_between\", \"kwargs\": {\"column\": \"id\", \"min_value\": 1000, "
		"\"max_value\": 2000}},"
		"{\"type\": \"expect_column_values_to_be_between\", \"kwargs\": {\"column\": \"x\", \"min_value\": 1000, "
		"\"max_value\": 2000}},"
		"{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"x\"}},"
		"{\"type\": \"expect_column_values_to_be_in_set\", \"kwargs\": {\"column\": \"cat\", \"value_set\": [\"none\"]}},"
		"{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"cat\"}},"
		"{\"type\": \"expect_column_distinct_values_to_equal_set\", \"kwargs\": {\"column\": \"cat\", "
		"\"value_set\": [\"a\"]}},"
		"{\"type\": \"expect_column_values_to_be_null\", \"kwargs\": {\"column\": \"flag\"}},"
		"{\"type\": \"expect_column_values_to_not_be_null\", \"kwargs\": {\"column\": \"flag\"}},"
		"{\"type\": \"expect_column_values_to_be_null\", \"kwargs\": {\"column\": \"ts\"}},"
		"{\"type\": \"expect_column_values_to_be_in_set\", \"kwargs\": {\"column\": \"name\", \"value_set\": [\"none\"]}},"
		"{\"type\": \"expect_column_sum_to_be_between\", \"kwargs\": {\"column\": \"x\", \"min_value\": 0, "
		"\"max_value\": 1}},"
		"{\"type\": \"expect_column_unique_value_count_to_be_between\", \"kwargs\": {\"column\": \"name\", "
		"\"min_value\": 0, \"max_value\": 1}},"
		"{\"type\": \"expect_table_row_count_to_equal\", \"kwargs\": {\"value\": 200}}]}";
	static const char *const cats[] = {"a", "bb", "\"quoted, \"\"x\"\"\"", "caf\xc3\xa9"};
	cf_context_options co;
	cf_context *ctx = NULL;
	cf_suite *suite = NULL;
	char path[300], *csv = malloc(1 << 16), *chunked, *single, *whole;
	size_t n = 0, i;

	ck_assert_ptr_nonnull(csv);
	n += (size_t)snprintf(csv + n, 1 << 16, "id,x,cat,flag,ts,name\n");
	for (i = 0; i < 200; i++) {
		char x[32] = "", cat[128] = "";
		if (i % 23 != 5 && (i < 140 || i >= 150))
			snprintf(x, sizeof x, "%g", (double)i * 0.25 - 3);
		if (i >= 150) /* longer than anything before: the arenas must grow */
			snprintf(cat, sizeof cat, "late %zu %s", i % 5, "................................................");
		else if (i < 100 || i >= 121) /* rows 105-118: two chunks of 7 without a string */
			snprintf(cat, sizeof cat, "%s", cats[i % 4]);
		n += (size_t)snprintf(csv + n, (1 << 16) - n, "%zu,%s,%s,%s,2024-%02zu-%02zuT%02zu:00:00Z,name_%zu%s\n", i, x,
			cat, i % 17 == 3 ? "" : i % 3 ? "true" : "false", 1 + i % 12, 1 + i % 28, i % 24, i % 13 ? i : 0,
			i > 180 ? "_with_a_longer_tail" : "");
	}
	tmp_path(path, sizeof(path), "recycle.csv");
	write_file(path, csv, n);
	free(csv);

	ck_assert_int_eq(cf_context_options_init(&co, CF_CONTEXT_OPTIONS_VERSION), CF_OK);
	co.device = CF_DEVICE_CPU;
	co.allocator.alloc = count_alloc;
	co.allocator.realloc = count_realloc;
	co.allocator.free = count_free;
	ck_assert_int_eq(cf_context_create(&ctx, &co), CF_OK);
	live_allocs = 0;
	ck_assert_int_eq(cf_suite_parse(&suite, ctx, suite_json, sizeof(suite_json) - 1, NULL), CF_OK);
	chunked = validation_json(validate_recycled(ctx, suite, path, 7));
	single = validation_json(validate_recycled(ctx, suite, path, 1000));
	whole = validation_json(validate_recycled(ctx, suite, path, 0));
	cf_suite_free(suite);
	ck_assert_uint_eq(live_allocs, 0); /* recycled buffers went through the context and were all freed */
	cf_context_free(ctx);

	assert_same_report(chunked, single, "chunks of 7 vs one chunk");
	assert_same_report(chunked, whole, "chunks of 7 vs a whole table");
	/* The values themselves are in the report. */
	ck_assert_ptr_nonnull(strstr(chunked, "\"quoted, \\\"x\\\"\""));
	ck_assert_ptr_nonnull(strstr(chunked, "late 4 ......"));
	ck_assert_ptr_nonnull(strstr(chunked, "name_199_with_a_longer_tail"));
	ck_assert_ptr_nonnull(strstr(chunked, "2024-12-28T23:00:00"));
	ck_assert_ptr_nonnull(strstr(chunked, "46.5"));
	free(chunked);
	free(single);
	free(whole);
}
END_TEST

static Suite *csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc;

	tc = tcase_create("RFC 4180");
	tcase_add_test(tc, test_header_and_types);
	tcase_add_test(tc, test_quoted_fields);
	tcase_add_test(tc, test_crlf_and_blank_lines);
	tcase_add_test(tc, test_delimiter_and_quote);
	tcase_add_test(tc, test_skip_initial_space);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_header_names_made_unique);
	suite_add_tcase(s, tc);

	tc = tcase_create("NA tokens");
	tcase_add_test(tc, test_na_default);
	tcase_add_test(tc, test_na_custom);
	suite_add_tcase(s, tc);

	tc = tcase_create("Types");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_inference_outcomes);
	tcase_add_test(tc, test_timestamps);
	tcase_add_test(tc, test_explicit_schema);
	tcase_add_test(tc, test_type_contradicted_later);
	tcase_add_test(tc, test_infer_whole_file_reads_twice);
	suite_add_tcase(s, tc);

	tc = tcase_create("Streaming");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_chunks_match_read_all);
	tcase_add_test(tc, test_rows_across_buffer_refills);
	tcase_add_test(tc, test_compressed_input);
	tcase_add_test(tc, test_context_allocator);
	tcase_add_test(tc, test_validate_recycles_chunks);
	suite_add_tcase(s, tc);

	tc = tcase_create("Adult");
	tcase_add_test(tc, test_adult_train);
	tcase_add_test(tc, test_adult_test_streamed);
	suite_add_tcase(s, tc);

	tc = tcase_create("Limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_large_field_ok);
	tcase_add_test(tc, test_field_over_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("Bad input");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty_input);
	tcase_add_test(tc, test_header_only);
	tcase_add_test(tc, test_nul_byte);
	tcase_add_test(tc, test_invalid_utf8);
	tcase_add_test(tc, test_ragged_rows);
	tcase_add_test(tc, test_unterminated_quote);
	tcase_add_test(tc, test_error_is_sticky);
	suite_add_tcase(s, tc);

	tc = tcase_create("Options");
	tcase_add_test(tc, test_bad_options);
	tcase_add_test(tc, test_api_edges);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return cf_check_run(csv_suite());
}
