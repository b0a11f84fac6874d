/* libFuzzer target: arbitrary bytes as an expectation suite (cf_suite_parse). A suite that loads is then run
 * against a small fixed table of every column type, which exercises kwargs checking, $PARAMETER expressions,
 * regex compilation, every expectation family and the JSON/JUnit writers. CF_EFORMAT/CF_EINVAL are fine;
 * crashes, leaks, hangs and sanitizer reports are bugs. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cogniforge/cogniforge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static cf_table *fixed_table(void)
{
	static const int64_t ints[6] = {1, 2, 2, 40, -5, 7};
	static const double floats[6] = {0.5, 1e300, -0.0, 3.25, 2.0, 9.0};
	static const uint8_t bools[6] = {1, 0, 1, 1, 0, 0};
	static const int64_t ts[6] = {0, 1700000000000000LL, -86400000000LL, 1700000000000001LL, 5, 6};
	static const uint8_t valid[1] = {0x37}; /* row 3 is null */
	static const char *strs[6] = {"a", "b\xc3\xa9", NULL, "", "a", "zz"};
	cf_table *t = NULL;
	cf_column_view c;

	if (cf_table_create(&t, NULL) != CF_OK)
		return NULL;
	memset(&c, 0, sizeof c);
	c.length = 6;
	c.name = "i"; c.type = CF_TYPE_INT64; c.values = ints; c.validity = valid;
	cf_table_add_column(t, &c, CF_TABLE_BORROW);
	c.name = "f"; c.type = CF_TYPE_FLOAT64; c.values = floats; c.validity = NULL;
	cf_table_add_column(t, &c, CF_TABLE_BORROW);
	c.name = "b"; c.type = CF_TYPE_BOOL; c.values = bools;
	cf_table_add_column(t, &c, CF_TABLE_BORROW);
	c.name = "t"; c.type = CF_TYPE_TIMESTAMP; c.values = ts; c.validity = valid;
	cf_table_add_column(t, &c, CF_TABLE_BORROW);
	cf_table_add_strings(t, "s", strs, 6);
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static cf_table *table;
	cf_suite *suite = NULL;
	cf_validation *v = NULL;
	cf_validate_options o = CF_VALIDATE_OPTIONS_INIT;
	cf_buf b = CF_BUF_INIT;

	if (table == NULL)
		table = fixed_table();
	if (cf_suite_parse(&suite, NULL, (const char *)data, size, "fuzz") != CF_OK)
		return 0;
	cf_suite_to_json(&b, suite, CF_GE_SPELLING_V0);
	cf_buf_dispose(&b);
	o.now_us = 1700000000000000LL;
	o.skip_unknown = 1;
	o.result_format = size % 2 ? CF_RESULT_FORMAT_COMPLETE : CF_RESULT_FORMAT_SUMMARY;
	if (cf_validate_table(&v, NULL, suite, table, &o) == CF_OK) {
		cf_validation_to_json(&b, v);
		cf_buf_dispose(&b);
		cf_validation_to_junit(&b, v);
		cf_buf_dispose(&b);
	}
	cf_validation_free(v);
	cf_suite_free(suite);
	return 0;
}
