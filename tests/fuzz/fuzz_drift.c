/* libFuzzer target: arbitrary bytes through cf_drift_profile_from_msgpack. Input that parses must re-serialise
 * to bytes that parse back to the same bytes, and must merge into an empty profile and with itself. Any crash,
 * leak, hang or sanitizer report is a bug; CF_EFORMAT and CF_EVERSION are the only acceptable failures. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cogniforge/cogniforge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_drift_profile *p = NULL, *again = NULL, *empty = NULL;
	cf_buf a = CF_BUF_INIT, b = CF_BUF_INIT;
	int rc;

	rc = cf_drift_profile_from_msgpack(&p, NULL, data, size);
	if (rc != CF_OK) {
		if ((rc != CF_EFORMAT && rc != CF_EVERSION) || p != NULL || cf_error_last()->message[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (cf_drift_profile_to_msgpack(&a, p) != CF_OK)
		__builtin_trap();
	if (cf_drift_profile_from_msgpack(&again, NULL, a.ptr, a.size) != CF_OK ||
	    cf_drift_profile_to_msgpack(&b, again) != CF_OK || a.size != b.size || memcmp(a.ptr, b.ptr, a.size) != 0)
		__builtin_trap();
	for (size_t i = 0; i < cf_drift_profile_num_columns(p); i++)
		(void)cf_drift_profile_column_exact(p, i);
	/* Merging a hostile-but-valid profile exercises the count merges and the KLL merge. */
	cf_drift_options o = CF_DRIFT_OPTIONS_INIT;
	o.exact_max = 32;
	if (cf_drift_profile_create(&empty, NULL, NULL) == CF_OK) {
		rc = cf_drift_profile_merge(empty, p);
		if (rc != CF_OK && rc != CF_EINVAL && rc != CF_ENOMEM)
			__builtin_trap();
	}
	rc = cf_drift_profile_merge(again, p);
	if (rc != CF_OK && rc != CF_EINVAL && rc != CF_ENOMEM)
		__builtin_trap();
	(void)o;
	cf_drift_profile_free(empty);
	cf_drift_profile_free(again);
	cf_drift_profile_free(p);
	cf_buf_dispose(&a);
	cf_buf_dispose(&b);
	return 0;
}
