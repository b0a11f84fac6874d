/* libFuzzer target: arbitrary bytes through cf_stats_from_msgpack. Input that parses must be usable (JSON,
 * queries, merge) and must re-serialise to bytes that parse back to the same bytes. Any crash, leak, hang or
 * sanitizer report is a bug; CF_EFORMAT and CF_EVERSION are the only acceptable failures. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cogniforge/cogniforge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_stats *st = NULL, *again = NULL;
	cf_buf a = CF_BUF_INIT, b = CF_BUF_INIT, json = CF_BUF_INIT;
	int rc;

	rc = cf_stats_from_msgpack(&st, NULL, data, size);
	if (rc != CF_OK) {
		if ((rc != CF_EFORMAT && rc != CF_EVERSION) || st != NULL || cf_error_last()->message[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (cf_stats_to_json(&json, st) != CF_OK || cf_stats_to_msgpack(&a, st) != CF_OK)
		__builtin_trap();
	/* What we write, we read back, and it serialises identically (a fixed point after one round). */
	if (cf_stats_from_msgpack(&again, NULL, a.ptr, a.size) != CF_OK || cf_stats_to_msgpack(&b, again) != CF_OK ||
	    a.size != b.size || memcmp(a.ptr, b.ptr, a.size) != 0)
		__builtin_trap();
	for (size_t i = 0; i < cf_stats_num_columns(st); i++) {
		cf_column_stats cs;
		double q;
		if (cf_stats_column(&cs, st, i) != CF_OK)
			__builtin_trap();
		rc = cf_stats_quantile(&q, st, i, 0.5);
		if (rc != CF_OK && rc != CF_EINVAL && rc != CF_ENOTFOUND)
			__builtin_trap();
	}
	/* Merging a hostile-but-valid partial exercises every sketch's merge; counts may overflow (CF_EINVAL). */
	rc = cf_stats_merge(again, st);
	if (rc != CF_OK && rc != CF_EINVAL)
		__builtin_trap();
	if (rc == CF_OK && cf_stats_num_columns(again) > 0 && cf_stats_to_json(&json, again) != CF_OK)
		__builtin_trap();
	cf_buf_dispose(&a);
	cf_buf_dispose(&b);
	cf_buf_dispose(&json);
	cf_stats_free(again);
	cf_stats_free(st);
	return 0;
}
