/* libFuzzer target: arbitrary bytes through cf_fairness_from_msgpack (the bounds-checked reader of sketch.h).
 * Input that parses must be usable (reports for every grouping, disparities, JSON, merge) and must re-serialise
 * to bytes that parse back and serialise identically. Any crash, leak, hang or sanitizer report is a bug;
 * CF_EFORMAT and CF_EVERSION are the only acceptable failures. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cogniforge/cogniforge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void use_report(cf_fairness_report *rep)
{
	cf_fairness_disparity d;
	cf_fairness_group g;
	cf_buf json = CF_BUF_INIT;
	size_t ng = cf_fairness_report_num_groups(rep);
	double v;

	if (cf_fairness_report_to_json(&json, rep) != CF_OK || cf_fairness_report_group(&g, rep, CF_FAIRNESS_OVERALL))
		__builtin_trap();
	for (int m = 0; m < CF_FAIRNESS_NUM_METRICS; m++) {
		if (cf_fairness_difference(&d, rep, (cf_fairness_metric)m, CF_FAIRNESS_TO_OVERALL) != CF_OK ||
		    cf_fairness_ratio(&d, rep, (cf_fairness_metric)m, CF_FAIRNESS_BETWEEN_GROUPS) != CF_OK ||
		    cf_fairness_report_value(&v, NULL, rep, ng ? ng - 1 : CF_FAIRNESS_OVERALL, (cf_fairness_metric)m))
			__builtin_trap();
	}
	if (ng > 0 && (cf_fairness_average_odds_difference(&d, rep, 0) != CF_OK ||
		cf_fairness_privileged(&d, rep, CF_FAIRNESS_SELECTION_RATE, ng - 1, 1) != CF_OK))
		__builtin_trap();
	cf_buf_dispose(&json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_fairness *acc = NULL, *again = NULL;
	cf_fairness_report *rep = NULL;
	cf_buf a = CF_BUF_INIT, b = CF_BUF_INIT;
	int rc;

	rc = cf_fairness_from_msgpack(&acc, NULL, data, size);
	if (rc != CF_OK) {
		if ((rc != CF_EFORMAT && rc != CF_EVERSION) || acc != NULL || cf_error_last()->message[0] == '\0')
			__builtin_trap();
		return 0;
	}
	if (cf_fairness_to_msgpack(&a, acc) != CF_OK)
		__builtin_trap();
	/* What we write, we read back, and it serialises identically. */
	if (cf_fairness_from_msgpack(&again, NULL, a.ptr, a.size) != CF_OK || cf_fairness_to_msgpack(&b, again) != CF_OK ||
	    a.size != b.size || memcmp(a.ptr, b.ptr, a.size) != 0)
		__builtin_trap();
	if (cf_fairness_report_create(&rep, acc, NULL, 0) != CF_OK)
		__builtin_trap();
	use_report(rep);
	cf_fairness_report_free(rep);
	rep = NULL;
	{
		cf_fairness_report *first = NULL;
		cf_fairness_group g;
		/* the first feature alone: its name comes from the all-features report */
		if (cf_fairness_report_create(&rep, acc, NULL, 0) == CF_OK && cf_fairness_report_num_features(rep) > 1) {
			const char *name = cf_fairness_report_feature_name(rep, 0);
			if (cf_fairness_report_create(&first, acc, &name, 1) != CF_OK ||
			    cf_fairness_report_group(&g, first, CF_FAIRNESS_OVERALL) != CF_OK)
				__builtin_trap();
			use_report(first);
		}
		cf_fairness_report_free(first);
		cf_fairness_report_free(rep);
	}
	/* Merging exercises the label union and re-layout; counts may overflow, which is the caller's problem. */
	rc = cf_fairness_merge(again, acc);
	if (rc != CF_OK && rc != CF_EINVAL)
		__builtin_trap();
	cf_buf_dispose(&a);
	cf_buf_dispose(&b);
	cf_fairness_free(again);
	cf_fairness_free(acc);
	return 0;
}
