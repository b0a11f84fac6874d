/* libFuzzer target: arbitrary bytes through cf_slo_sketch_from_msgpack. Input that parses must be usable
 * (quantiles, count_le, merge) and must re-serialise to bytes that parse back to the same bytes. Any crash, leak,
 * hang or sanitizer report is a bug; CF_EFORMAT and CF_EVERSION are the only acceptable failures. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cogniforge/cogniforge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_slo_sketch *s = NULL, *again = NULL;
	cf_buf a = CF_BUF_INIT, b = CF_BUF_INIT;
	uint64_t le;
	double q;
	int rc;

	rc = cf_slo_sketch_from_msgpack(&s, NULL, data, size);
	if (rc != CF_OK) {
		if ((rc != CF_EFORMAT && rc != CF_EVERSION) || s != NULL || cf_error_last()->message[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (cf_slo_sketch_to_msgpack(&a, s) != CF_OK)
		__builtin_trap();
	if (cf_slo_sketch_from_msgpack(&again, NULL, a.ptr, a.size) != CF_OK || cf_slo_sketch_to_msgpack(&b, again)
		!= CF_OK || a.size != b.size || memcmp(a.ptr, b.ptr, a.size) != 0)
		__builtin_trap();
	rc = cf_slo_sketch_quantile(&q, s, 0.99);
	if (rc != CF_OK && !(rc == CF_ENOTFOUND && cf_slo_sketch_count(s) == 0))
		__builtin_trap();
	if (cf_slo_sketch_count_le(&le, s, 1.0) != CF_OK || le > cf_slo_sketch_count(s))
		__builtin_trap();
	/* Merging a hostile-but-valid sketch into its copy; counts may overflow (CF_EINVAL). */
	rc = cf_slo_sketch_merge(again, s);
	if (rc != CF_OK && rc != CF_EINVAL)
		__builtin_trap();
	cf_buf_dispose(&a);
	cf_buf_dispose(&b);
	cf_slo_sketch_free(again);
	cf_slo_sketch_free(s);
	return 0;
}
