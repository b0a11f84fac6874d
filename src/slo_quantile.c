/* Latency SLOs (slo.h): Prometheus histogram_quantile over classic buckets (promql/quantile.go, bucketQuantile)
 * and a DDSketch-style mergeable relative-error quantile sketch with a msgpack form (docs/slo.md). */
#include "cogniforge/slo.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "context.h"
#include "sketch.h"

/* ------------------------------------------------------------------------------------------------------------
 * Classic histograms.
 */
typedef struct hbucket {
	double le, count;
} hbucket;

static int hbucket_cmp(const void *a, const void *b)
{
	double x = ((const hbucket *)a)->le, y = ((const hbucket *)b)->le;
	return (x > y) - (x < y);
}

/* Prometheus util/almost.Equal. */
static int almost_equal(double a, double b, double eps)
{
	const double min_normal = 2.2250738585072014e-308;
	double abs_sum, diff;
	if (a == b)
		return 1;
	abs_sum = fabs(a) + fabs(b);
	diff = fabs(a - b);
	if (a == 0 || b == 0 || abs_sum < min_normal)
		return diff < eps * min_normal;
	return diff / fmin(abs_sum, 1.7976931348623157e308) < eps;
}

/* Copy, sort, merge equal les and force monotonic counts. Returns the bucket count in *n_out; *out is malloc'd. */
static int hist_prepare(hbucket **out, size_t *n_out, const double *les, const double *counts, size_t n,
	const char *fn)
{
	hbucket *b;
	size_t m = 0;
	double prev;

	*out = NULL;
	*n_out = 0;
	if (n == 0)
		return CF_OK;
	if (les == NULL || counts == NULL)
		return cf__error_set(CF_EINVAL, "%s: les and counts must not be NULL", fn);
	for (size_t i = 0; i < n; i++)
		if (isnan(les[i]) || isnan(counts[i]))
			return cf__error_set(CF_EINVAL, "%s: bucket %zu has a NaN %s", fn, i, isnan(les[i]) ? "le" : "count");
	if ((b = cf__malloc(NULL, n * sizeof *b, "histogram buckets")) == NULL)
		return CF_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		b[i].le = les[i];
		b[i].count = counts[i];
	}
	qsort(b, n, sizeof *b, hbucket_cmp);
	for (size_t i = 1; i < n; i++) {  /* coalesceBuckets */
		if (b[i].le == b[m].le)
			b[m].count += b[i].count;
		else
			b[++m] = b[i];
	}
	m++;
	prev = b[0].count;  /* ensureMonotonicAndIgnoreSmallDeltas, tolerance 1e-12 */
	for (size_t i = 1; i < m; i++) {
		double cur = b[i].count;
		if (cur == prev)
			continue;
		if (almost_equal(prev, cur, 1e-12) || cur < prev) {
			b[i].count = prev;
			continue;
		}
		prev = cur;
	}
	*out = b;
	*n_out = m;
	return CF_OK;
}

int cf_slo_histogram_quantile(double *out, double q, const double *les, const double *counts, size_t n)
{
	hbucket *b;
	size_t m, lo, hi;
	double rank, start = 0, count;
	int rc;

	CF__CHECK_ARG(out);
	if ((rc = hist_prepare(&b, &m, les, counts, n, __func__)) != 0)
		return rc;
	if (isnan(q))
		*out = NAN;
	else if (q < 0)
		*out = -INFINITY;
	else if (q > 1)
		*out = INFINITY;
	else if (m == 0 || !isinf(b[m - 1].le) || b[m - 1].le < 0 || m < 2 || b[m - 1].count == 0)
		*out = NAN;
	else {
		rank = q * b[m - 1].count;
		lo = 0;  /* sort.Search over the first m - 1 buckets: the first with count >= rank */
		hi = m - 1;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (b[mid].count >= rank)
				hi = mid;
			else
				lo = mid + 1;
		}
		if (lo == m - 1)
			*out = b[m - 2].le;
		else if (lo == 0 && b[0].le <= 0)
			*out = b[0].le;
		else {
			count = b[lo].count;
			if (lo > 0) {
				start = b[lo - 1].le;
				count -= b[lo - 1].count;
				rank -= b[lo - 1].count;
			}
			*out = start + (b[lo].le - start) * (rank / count);
		}
	}
	cf__free(NULL, b);
	return CF_OK;
}

int cf_slo_histogram_good(double *out, double threshold, const double *les, const double *counts, size_t n)
{
	hbucket *b;
	size_t m;
	int rc;

	CF__CHECK_ARG(out);
	if (isnan(threshold))
		return cf__error_set(CF_EINVAL, "%s: threshold is NaN", __func__);
	if ((rc = hist_prepare(&b, &m, les, counts, n, __func__)) != 0)
		return rc;
	rc = cf__error_set(CF_ENOTFOUND, "%s: no bucket has le = %g", __func__, threshold);
	for (size_t i = 0; i < m; i++) {
		if (b[i].le == threshold) {
			*out = b[i].count;
			cf_error_clear();
			rc = CF_OK;
			break;
		}
	}
	cf__free(NULL, b);
	return rc;
}

/* ------------------------------------------------------------------------------------------------------------
 * The sketch: bucket i holds values in (gamma^(i-1), gamma^i], gamma = (1 + alpha) / (1 - alpha), and stands
 * for 2 gamma^i / (gamma + 1), within alpha of every value in it. Buckets are a dense range [lo, lo + n).
 */
#define SKETCH_MAGIC "cogniforge.slo_sketch"
#define SKETCH_FORMAT_VERSION 1
#define SKETCH_MIN_BINS 16
#define SKETCH_MAX_BINS 65536
#define SKETCH_MIN_VALUE 1e-9

struct cf_slo_sketch {
	cf_context *ctx;
	double alpha, gamma, log_gamma;
	size_t max_bins;
	uint64_t count, zero;
	double min, max;           /* exact; NaN when empty */
	int32_t lo;                /* index of bins[0] */
	size_t n;                  /* bins in use */
	uint64_t *bins, *scratch;  /* max_bins each */
};

static int sketch_params(double alpha, size_t max_bins, int code, const char *where)
{
	if (!(alpha > 0 && alpha < 1))
		return cf__error_set(code, "%s: alpha %g is outside (0, 1)", where, alpha);
	if (max_bins < SKETCH_MIN_BINS || max_bins > SKETCH_MAX_BINS)
		return cf__error_set(code, "%s: max_bins %zu is outside [%d, %d]", where, max_bins, SKETCH_MIN_BINS,
			SKETCH_MAX_BINS);
	return CF_OK;
}

int cf_slo_sketch_create(cf_slo_sketch **out, cf_context *ctx, double alpha, size_t max_bins)
{
	cf_slo_sketch *s;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if ((rc = sketch_params(alpha, max_bins, CF_EINVAL, "cf_slo_sketch_create")) != 0)
		return rc;
	if ((s = cf__calloc(ctx, 1, sizeof *s, "slo sketch")) == NULL)
		return CF_ENOMEM;
	s->ctx = ctx;
	s->alpha = alpha;
	s->gamma = (1 + alpha) / (1 - alpha);
	s->log_gamma = log(s->gamma);
	s->max_bins = max_bins;
	s->min = s->max = NAN;
	s->bins = cf__calloc(ctx, max_bins, sizeof *s->bins, "slo sketch bins");
	s->scratch = cf__calloc(ctx, max_bins, sizeof *s->scratch, "slo sketch bins");
	if (s->bins == NULL || s->scratch == NULL) {
		cf_slo_sketch_free(s);
		return CF_ENOMEM;
	}
	*out = s;
	return CF_OK;
}

void cf_slo_sketch_free(cf_slo_sketch *s)
{
	if (s == NULL)
		return;
	cf__free(s->ctx, s->bins);
	cf__free(s->ctx, s->scratch);
	cf__free(s->ctx, s);
}

static int32_t sketch_index(const cf_slo_sketch *s, double v)
{
	return (int32_t)ceil(log(v) / s->log_gamma);
}

static double sketch_value(const cf_slo_sketch *s, int32_t i)
{
	return 2 * exp((double)i * s->log_gamma) / (s->gamma + 1);
}

/* Widen the range to include index i; when that needs more than max_bins, the lowest bins fold into the
 * lowest kept one. */
static void sketch_cover(cf_slo_sketch *s, int32_t i)
{
	int64_t lo, hi, nlo;
	if (s->n == 0) {
		s->lo = i;
		s->n = 1;
		s->bins[0] = 0;
		return;
	}
	lo = s->lo;
	hi = (int64_t)s->lo + (int64_t)s->n - 1;
	if (i >= lo && i <= hi)
		return;
	if (i < lo && hi - lo + 1 >= (int64_t)s->max_bins)
		return;  /* below a full range: counted in the lowest bin */
	nlo = i < lo ? i : lo;
	if (i > hi)
		hi = i;
	if (hi - nlo + 1 > (int64_t)s->max_bins)
		nlo = hi - (int64_t)s->max_bins + 1;
	memset(s->scratch, 0, (size_t)(hi - nlo + 1) * sizeof *s->scratch);
	for (size_t k = 0; k < s->n; k++) {
		int64_t idx = lo + (int64_t)k;
		s->scratch[(idx < nlo ? nlo : idx) - nlo] += s->bins[k];
	}
	{
		uint64_t *t = s->bins;
		s->bins = s->scratch;
		s->scratch = t;
	}
	s->lo = (int32_t)nlo;
	s->n = (size_t)(hi - nlo + 1);
}

static void sketch_put(cf_slo_sketch *s, int32_t i, uint64_t count)
{
	sketch_cover(s, i);
	s->bins[(i < s->lo ? s->lo : i) - s->lo] += count;
}

int cf_slo_sketch_add(cf_slo_sketch *s, double v, uint64_t count)
{
	CF__CHECK_ARG(s);
	if (!(v >= 0) || isinf(v))
		return cf__error_set(CF_EINVAL, "%s: value %g is not a finite non-negative number", __func__, v);
	if (count == 0)
		return CF_OK;
	if (s->count + count < s->count)
		return cf__error_set(CF_EINVAL, "%s: the count would overflow", __func__);
	if (s->count == 0 || v < s->min)
		s->min = v;
	if (s->count == 0 || v > s->max)
		s->max = v;
	s->count += count;
	if (v < SKETCH_MIN_VALUE)
		s->zero += count;
	else
		sketch_put(s, sketch_index(s, v), count);
	return CF_OK;
}

int cf_slo_sketch_merge(cf_slo_sketch *dst, const cf_slo_sketch *src)
{
	CF__CHECK_ARG(dst);
	CF__CHECK_ARG(src);
	if (dst->alpha != src->alpha || dst->max_bins != src->max_bins)
		return cf__error_set(CF_EINVAL, "%s: sketches differ (alpha %g vs %g, max_bins %zu vs %zu)", __func__,
			dst->alpha, src->alpha, dst->max_bins, src->max_bins);
	if (src->count == 0)
		return CF_OK;
	if (dst->count + src->count < dst->count)
		return cf__error_set(CF_EINVAL, "%s: the merged count would overflow", __func__);
	if (dst == src) {
		for (size_t k = 0; k < dst->n; k++)
			dst->bins[k] *= 2;
		dst->zero *= 2;
		dst->count *= 2;
		return CF_OK;
	}
	if (src->n) {
		sketch_cover(dst, src->lo + (int32_t)(src->n - 1));
		sketch_cover(dst, src->lo);
		for (size_t k = 0; k < src->n; k++)
			if (src->bins[k])
				sketch_put(dst, src->lo + (int32_t)k, src->bins[k]);
	}
	if (dst->count == 0 || src->min < dst->min)
		dst->min = src->min;
	if (dst->count == 0 || src->max > dst->max)
		dst->max = src->max;
	dst->zero += src->zero;
	dst->count += src->count;
	return CF_OK;
}

int cf_slo_sketch_quantile(double *out, const cf_slo_sketch *s, double q)
{
	double rank, v = 0;
	uint64_t cum;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(s);
	if (!(q >= 0 && q <= 1))
		return cf__error_set(CF_EINVAL, "%s: q %g is outside [0, 1]", __func__, q);
	if (s->count == 0)
		return cf__error_set(CF_ENOTFOUND, "%s: the sketch is empty", __func__);
	rank = q * (double)(s->count - 1);
	cum = s->zero;
	if ((double)cum <= rank) {
		for (size_t k = 0; k < s->n; k++) {
			cum += s->bins[k];
			if ((double)cum > rank) {
				v = sketch_value(s, s->lo + (int32_t)k);
				break;
			}
		}
	}
	*out = v < s->min ? s->min : v > s->max ? s->max : v;
	return CF_OK;
}

uint64_t cf_slo_sketch_count(const cf_slo_sketch *s)
{
	return s ? s->count : 0;
}

int cf_slo_sketch_count_le(uint64_t *out, const cf_slo_sketch *s, double threshold)
{
	uint64_t c;
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(s);
	if (isnan(threshold))
		return cf__error_set(CF_EINVAL, "%s: threshold is NaN", __func__);
	if (threshold < 0) {
		*out = 0;
		return CF_OK;
	}
	c = s->zero;
	for (size_t k = 0; k < s->n; k++) {
		if (sketch_value(s, s->lo + (int32_t)k) > threshold)
			break;
		c += s->bins[k];
	}
	*out = c;
	return CF_OK;
}

/* msgpack: [magic, version, alpha, max_bins, count, zero, min, max, lo, [bins]]; min and max are nil when
 * empty. */
#define PK(expr) do { if ((expr) != 0) return cf__error_oom("slo sketch msgpack"); } while (0)

int cf_slo_sketch_to_msgpack(cf_buf *out, const cf_slo_sketch *s)
{
	msgpack_packer pk;

	CF__CHECK_ARG(out);
	CF__CHECK_ARG(s);
	msgpack_packer_init(&pk, out, cf__mp_buf_write);
	PK(msgpack_pack_array(&pk, 10));
	PK(msgpack_pack_str(&pk, strlen(SKETCH_MAGIC)));
	PK(msgpack_pack_str_body(&pk, SKETCH_MAGIC, strlen(SKETCH_MAGIC)));
	PK(msgpack_pack_uint64(&pk, SKETCH_FORMAT_VERSION));
	PK(msgpack_pack_double(&pk, s->alpha));
	PK(msgpack_pack_uint64(&pk, s->max_bins));
	PK(msgpack_pack_uint64(&pk, s->count));
	PK(msgpack_pack_uint64(&pk, s->zero));
	if (s->count) {
		PK(msgpack_pack_double(&pk, s->min));
		PK(msgpack_pack_double(&pk, s->max));
	} else {
		PK(msgpack_pack_nil(&pk));
		PK(msgpack_pack_nil(&pk));
	}
	PK(msgpack_pack_int64(&pk, s->n ? s->lo : 0));
	PK(msgpack_pack_array(&pk, s->n));
	for (size_t k = 0; k < s->n; k++)
		PK(msgpack_pack_uint64(&pk, s->bins[k]));
	return CF_OK;
}

static int bad(const cf__mp *r, const char *field, const char *why)
{
	return cf__error_set(CF_EFORMAT, "slo sketch msgpack: field '%s' %s (byte %zu)", field, why, cf__mp_offset(r));
}

static int rd_sketch(cf_slo_sketch **out, cf_context *ctx, cf__mp *r)
{
	const char *magic;
	uint32_t n, mlen, nbins;
	uint64_t version, max_bins, count, zero, sum;
	double alpha, mm[2] = { 0, 0 };
	int64_t lo;
	cf_slo_sketch *s;
	int rc;

	if (cf__mp_array(r, &n) != 0 || n < 2)
		return bad(r, "header", "is not an array of at least 2");
	rc = cf__mp_str(r, &magic, &mlen);
	if (rc != 0 || mlen != strlen(SKETCH_MAGIC) || memcmp(magic, SKETCH_MAGIC, mlen) != 0)
		return cf__error_set(CF_EFORMAT, "slo sketch msgpack: not a cogniforge SLO sketch (no '%s' magic)",
			SKETCH_MAGIC);
	if (cf__mp_uint(r, &version) != 0)
		return bad(r, "version", "is not an unsigned integer");
	if (version > SKETCH_FORMAT_VERSION)
		return cf__error_set(CF_EVERSION, "slo sketch msgpack: format version %llu is newer than this library's %d",
			(unsigned long long)version, SKETCH_FORMAT_VERSION);
	if (version == 0 || n != 10)
		return bad(r, "header", "has version 0 or not 10 elements");
	if (cf__mp_float(r, &alpha) != 0)
		return bad(r, "alpha", "is not a float");
	if (cf__mp_uint(r, &max_bins) != 0)
		return bad(r, "max_bins", "is not an unsigned integer");
	if (max_bins > SKETCH_MAX_BINS || sketch_params(alpha, (size_t)max_bins, CF_EFORMAT, "slo sketch msgpack") != 0)
		return bad(r, "alpha/max_bins", "are out of range");
	if (cf__mp_uint(r, &count) != 0 || cf__mp_uint(r, &zero) != 0)
		return bad(r, "count/zero", "is not an unsigned integer");
	for (int i = 0; i < 2; i++) {
		if (count == 0) {
			if (cf__mp_nil(r) != 0)
				return bad(r, i ? "max" : "min", "is not nil in an empty sketch");
		} else if (cf__mp_float(r, &mm[i]) != 0 || !(mm[i] >= 0) || isinf(mm[i])) {
			return bad(r, i ? "max" : "min", "is not a finite non-negative float");
		}
	}
	if (mm[0] > mm[1])
		return bad(r, "min", "is above max");
	if (cf__mp_int(r, &lo) != 0)
		return bad(r, "lo", "is not an integer");
	if (cf__mp_array(r, &nbins) != 0)
		return bad(r, "bins", "is not an array");
	if (nbins > max_bins)
		return bad(r, "bins", "has more than max_bins elements");
	if (lo < -((int64_t)1 << 30) || lo > ((int64_t)1 << 30))
		return bad(r, "lo", "is out of range");
	if ((rc = cf_slo_sketch_create(&s, ctx, alpha, (size_t)max_bins)) != 0)
		return rc;
	*out = s;
	s->lo = (int32_t)lo;
	s->n = nbins;
	sum = zero;
	for (uint32_t k = 0; k < nbins; k++) {
		if (cf__mp_uint(r, &s->bins[k]) != 0)
			return bad(r, "bins", "holds something other than an unsigned integer");
		if (sum + s->bins[k] < sum)
			return bad(r, "bins", "overflow");
		sum += s->bins[k];
	}
	if (sum != count)
		return bad(r, "count", "is not the sum of zero and the bins");
	s->count = count;
	s->zero = zero;
	if (count) {
		s->min = mm[0];
		s->max = mm[1];
	}
	return CF_OK;
}

int cf_slo_sketch_from_msgpack(cf_slo_sketch **out, cf_context *ctx, const void *data, size_t len)
{
	cf__mp r;
	cf_slo_sketch *s = NULL;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (data == NULL && len > 0)
		return cf__error_set(CF_EINVAL, "cf_slo_sketch_from_msgpack: argument 'data' must not be NULL");
	r.base = r.p = data;
	r.end = r.base + len;
	rc = rd_sketch(&s, ctx, &r);
	if (rc == 0 && r.p != r.end)
		rc = cf__error_set(CF_EFORMAT, "slo sketch msgpack: %zu bytes of trailing data (byte %zu)", cf__mp_left(&r),
			cf__mp_offset(&r));
	if (rc != 0) {
		cf_slo_sketch_free(s);
		return rc;
	}
	*out = s;
	return CF_OK;
}
