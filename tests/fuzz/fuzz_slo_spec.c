/* libFuzzer target: arbitrary bytes as a Sloth prometheus/v1 SLO spec (cf_slo_spec_parse, libyaml). A spec that
 * parses is then checked against the default policy and turned into Prometheus rules. CF_EFORMAT/CF_EINVAL are
 * fine; crashes, leaks, hangs and sanitizer reports are bugs. */
#include <stddef.h>
#include <stdint.h>

#include "cogniforge/cogniforge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cf_slo_spec *spec = NULL;
	cf_buf b = CF_BUF_INIT;

	if (cf_slo_spec_parse(&spec, NULL, (const char *)data, size, "fuzz") != CF_OK)
		return 0;
	if (cf_slo_spec_check(spec, NULL) == CF_OK)
		cf_slo_rules_generate(&b, spec, NULL);
	cf_buf_dispose(&b);
	cf_slo_spec_free(spec);
	return 0;
}
