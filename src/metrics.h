/* Private helpers shared by the metrics sources (metrics.c, metrics_rank.c). Never installed. */
#ifndef CF_SRC_METRICS_H
#define CF_SRC_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/metrics.h"

/* The options to use: `opts` itself, or the defaults in `*tmp` when it is NULL. Checks the version and the
 * fields. Returns 0, CF_EVERSION or CF_EINVAL (recorded). */
int cf__metrics_options(const cf_metrics_options **out, cf_metrics_options *tmp, const cf_metrics_options *opts);

/* Check n > 0 and the weights (finite, >= 0, not all 0). Returns 0 or CF_EINVAL naming `func`. */
int cf__metrics_check_input(const char *func, size_t n, const double *sample_weight);

/* Sort `n` 64-bit keys ascending (LSD radix, 8-bit digits, passes where every key has the same digit are
 * skipped). `tmp` holds n keys. */
void cf__metrics_radix_u64(uint64_t *keys, uint64_t *tmp, size_t n);

/* An order-preserving unsigned key of a double that is not NaN (-0.0 and 0.0 share a key), and back. */
static inline uint64_t cf__metrics_key(double d)
{
	union { double d; uint64_t u; } v;

	v.d = d == 0.0 ? 0.0 : d;
	return (v.u >> 63) ? ~v.u : (v.u | (UINT64_C(1) << 63));
}

static inline double cf__metrics_unkey(uint64_t k)
{
	union { double d; uint64_t u; } v;

	v.u = (k >> 63) ? (k & ~(UINT64_C(1) << 63)) : ~k;
	return v.d;
}

#endif
