/* libFuzzer target: arbitrary bytes through the CSV reader (cf_csv_open_memory) under several option sets:
 * header or names, skip_initial_space, inference (sampled, whole input) or an explicit schema, small chunks and
 * a small field limit. Any crash, leak, hang or sanitizer report is a bug; CF_EFORMAT and CF_EINVAL are fine.
 * Checked too: every chunk is a well-formed table, and chunking does not change what is read. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cogniforge/cogniforge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct outcome {
	int rc;
	size_t rows;
	uint64_t digest; /* over every cell, row by row: independent of how rows fall into chunks */
} outcome;

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
	return h * 0xff51afd7ed558ccdull;
}

/* Check a chunk's invariants and fold its cells into per-column digests (columns are independent streams,
 * so the result does not depend on chunk boundaries). */
static void absorb(uint64_t *col_digest, size_t ncols, const cf_table *t)
{
	size_t c, i, rows = cf_table_num_rows(t);

	if (cf_table_num_columns(t) != ncols || rows == 0)
		__builtin_trap();
	for (c = 0; c < ncols; c++) {
		cf_column_view v;
		size_t nulls = 0;
		if (cf_table_column(&v, t, c) != CF_OK || v.length != rows)
			__builtin_trap();
		for (i = 0; i < rows; i++) {
			uint64_t h = 0;
			int valid = CF_VALID(v.validity, i);
			switch (v.type) {
			case CF_TYPE_STRING: {
				int32_t code = ((const int32_t *)v.values)[i];
				if (valid && (code < 0 || (size_t)code >= v.dict_size))
					__builtin_trap();
				if (valid) {
					const char *s = v.dict[code];
					for (; *s; s++)
						h = mix(h, (unsigned char)*s);
				}
				nulls += !valid || code < 0;
				break;
			}
			case CF_TYPE_BOOL: {
				uint8_t b = ((const uint8_t *)v.values)[i];
				if (b > 1)
					__builtin_trap();
				h = b;
				nulls += !valid;
				break;
			}
			case CF_TYPE_FLOAT64: {
				double d = ((const double *)v.values)[i];
				if (d == d)
					memcpy(&h, &d, sizeof(h));
				nulls += !valid || d != d;
				break;
			}
			default:
				h = (uint64_t)((const int64_t *)v.values)[i];
				nulls += !valid;
				break;
			}
			col_digest[c] = mix(col_digest[c], valid ? mix(h, 1) : 0);
		}
		if (nulls != v.null_count)
			__builtin_trap();
	}
}

static outcome run(const uint8_t *data, size_t size, const cf_csv_options *opts)
{
	outcome out = {0, 0, 0};
	cf_csv_reader *r = NULL;
	cf_table *t = NULL;
	uint64_t digests[64] = {0};
	size_t ncols, c;

	out.rc = cf_csv_open_memory(&r, NULL, data, size, opts);
	if (out.rc != CF_OK)
		return out;
	ncols = cf_csv_num_columns(r);
	if (ncols == 0)
		__builtin_trap();
	for (;;) {
		out.rc = cf_csv_next(&t, r);
		if (out.rc != CF_OK || t == NULL)
			break;
		out.rows += cf_table_num_rows(t);
		absorb(digests, ncols < 64 ? ncols : 64, t);
		cf_table_free(t);
	}
	if (out.rc == CF_OK && out.rows != cf_csv_rows_read(r))
		__builtin_trap();
	cf_csv_free(r);
	for (c = 0; c < 64; c++)
		out.digest = mix(out.digest, digests[c]);
	return out;
}

static void expected_code(int rc)
{
	if (rc != CF_OK && rc != CF_EFORMAT && rc != CF_EINVAL)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"a", "b", "c"};
	static const char *const na[] = {"x", ""};
	cf_type types[3];
	cf_csv_options o;
	outcome whole, chunked, other;
	unsigned sel = size > 0 ? data[0] : 0;
	size_t i;

	/* Defaults, then the same in chunks of 7 rows: the same cells must come out. */
	cf_csv_options_init(&o, CF_CSV_OPTIONS_VERSION);
	whole = run(data, size, &o);
	o.chunk_rows = 7;
	chunked = run(data, size, &o);
	expected_code(whole.rc);
	if (whole.rc != chunked.rc || (whole.rc == CF_OK && (whole.rows != chunked.rows ||
		whole.digest != chunked.digest)))
		__builtin_trap();

	/* A tiny sample, so later rows can contradict it; initial spaces skipped; a small field limit. */
	cf_csv_options_init(&o, CF_CSV_OPTIONS_VERSION);
	o.infer_rows = 2;
	o.chunk_rows = 3;
	o.skip_initial_space = 1;
	o.max_field_bytes = 64;
	other = run(data, size, &o);
	expected_code(other.rc);

	/* No header, three named columns with a schema taken from the first byte; other delimiter and quote. */
	cf_csv_options_init(&o, CF_CSV_OPTIONS_VERSION);
	o.header = 0;
	o.names = names;
	o.names_count = 3;
	for (i = 0; i < 3; i++)
		types[i] = (cf_type)(1 + (sel >> (2 * i)) % 5);
	o.types = types;
	o.types_count = 3;
	o.na_values = na;
	o.na_count = 2;
	if (sel & 0x80) {
		o.delimiter = ';';
		o.quote = '\'';
	}
	other = run(data, size, &o);
	expected_code(other.rc);

	/* The whole input as the sample (read twice), one row per chunk when the input is small. */
	cf_csv_options_init(&o, CF_CSV_OPTIONS_VERSION);
	o.infer_rows = 0;
	o.chunk_rows = size < 2048 ? 1 : 64;
	other = run(data, size, &o);
	expected_code(other.rc);
	/* Inferring from the whole input, no value can contradict its type. (Messages quote names and values
	 * from the input, so the phrase only tells when the input does not hold it.) */
	if (other.rc == CF_EFORMAT && strstr(cf_error_last()->message, "type inferred") != NULL &&
		memmem(data, size, "inferred", 8) == NULL)
		__builtin_trap();
	return 0;
}
