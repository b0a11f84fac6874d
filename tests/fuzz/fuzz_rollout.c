/* libFuzzer target: arbitrary bytes as an Argo-style analysis condition (cf_rollout_condition_eval), evaluated
 * against a few results (NaN and infinities included). CF_EINVAL is fine; crashes, hangs, unbounded recursion
 * and sanitizer reports are bugs. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const double results[] = {0.0, -1.5, 0.01, 1e300, NAN, INFINITY};
	char *expr = malloc(size + 1);
	size_t i;
	int out;

	if (expr == NULL)
		return 0;
	memcpy(expr, data, size);
	expr[size] = '\0';
	for (i = 0; i < sizeof results / sizeof results[0]; i++)
		if (cf_rollout_condition_eval(&out, expr, results[i]) != CF_OK)
			break;
	free(expr);
	return 0;
}
