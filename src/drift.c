/* Drift tests on arrays and weighted samples: Kolmogorov-Smirnov (scipy.stats.ks_2samp), normed Wasserstein,
 * PSI and Jensen-Shannon with Evidently's binning, chi-square (scipy.stats.chisquare) and the two-proportion
 * z-test, and Evidently's default test choice. Profiles live in drift_profile.c. */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "common.h"
#include "drift.h"
#include "sketch.h"

static const char *const method_names[] = { "auto", "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi" };

const char *cf_drift_method_name(cf_drift_method method)
{
	if ((int)method < 0 || (int)method > (int)CF_DRIFT_PSI)
		return "unknown";
	return method_names[method];
}

int cf_drift_method_from_name(cf_drift_method *out, const char *name)
{
	static const struct { const char *name; cf_drift_method m; } alias[] = {
		{ "kolmogorov_smirnov", CF_DRIFT_KS }, { "chi2", CF_DRIFT_CHISQUARE }, { "ztest", CF_DRIFT_ZTEST },
		{ "wasserstein_distance_norm", CF_DRIFT_WASSERSTEIN }, { "jensen_shannon", CF_DRIFT_JENSENSHANNON },
		{ "js", CF_DRIFT_JENSENSHANNON },
	};
	CF__CHECK_ARG(out);
	CF__CHECK_ARG(name);
	for (int i = 0; i <= (int)CF_DRIFT_PSI; i++) {
		if (strcasecmp(name, method_names[i]) == 0) {
			*out = (cf_drift_method)i;
			return CF_OK;
		}
	}
	for (size_t i = 0; i < sizeof alias / sizeof alias[0]; i++) {
		if (strcasecmp(name, alias[i].name) == 0) {
			*out = alias[i].m;
			return CF_OK;
		}
	}
	return cf__error_set(CF_EINVAL, "unknown drift method '%.64s' (known: auto, ks, chisquare, z, wasserstein, "
		"jensenshannon, psi)", name);
}

double cf_drift_method_default_threshold(cf_drift_method method)
{
	switch (method) {
	case CF_DRIFT_KS:
	case CF_DRIFT_CHISQUARE:
	case CF_DRIFT_ZTEST:
		return 0.05;
	case CF_DRIFT_WASSERSTEIN:
	case CF_DRIFT_JENSENSHANNON:
	case CF_DRIFT_PSI:
		return 0.1;
	default:
		return NAN;
	}
}

int cf_drift_options_init(cf_drift_options *opts, unsigned int version)
{
	cf_drift_options d = CF_DRIFT_OPTIONS_INIT;
	CF__CHECK_ARG(opts);
	if (version == 0 || version > CF_DRIFT_OPTIONS_VERSION)
		return cf__error_set(CF_EVERSION, "cf_drift_options version %u is not supported (this library knows 1)",
			version);
	*opts = d;
	return CF_OK;
}

int cf__drift_options_get(cf_drift_options *o, const cf_drift_options *opts)
{
	cf_drift_options d = CF_DRIFT_OPTIONS_INIT;
	if (opts == NULL) {
		*o = d;
		return CF_OK;
	}
	if (opts->version == 0 || opts->version > CF_DRIFT_OPTIONS_VERSION)
		return cf__error_set(CF_EVERSION, "cf_drift_options version %u is not supported (this library knows 1)",
			opts->version);
	*o = *opts;
	if ((int)o->method < 0 || (int)o->method > (int)CF_DRIFT_PSI)
		return cf__error_set(CF_EINVAL, "cf_drift_options: unknown method %d", (int)o->method);
	if (isnan(o->threshold))
		return cf__error_set(CF_EINVAL, "cf_drift_options: threshold is NaN");
	if (!(o->drift_share >= 0 && o->drift_share <= 1))
		return cf__error_set(CF_EINVAL, "cf_drift_options: drift_share must lie in [0, 1]");
	if (o->exact_max < 32 || o->exact_max > 10000000)
		return cf__error_set(CF_EINVAL, "cf_drift_options: exact_max must lie in [32, 10000000]");
	if (o->kll_k < CF__KLL_MIN_K || o->kll_k > CF__KLL_MAX_K)
		return cf__error_set(CF_EINVAL, "cf_drift_options: kll_k must lie in [%d, %d]", CF__KLL_MIN_K,
			CF__KLL_MAX_K);
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Sorting and cleaning.
 */
static inline uint64_t sort_key(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return (u >> 63) ? ~u : (u | 0x8000000000000000ULL);
}

static inline double key_value(uint64_t u)
{
	double d;
	u = (u >> 63) ? (u & 0x7FFFFFFFFFFFFFFFULL) : ~u;
	memcpy(&d, &u, sizeof d);
	return d;
}

/* LSD radix sort, 11-bit digits, skipping digits every key shares. a, b: n uint64 of scratch each. */
static void radix_sort(double *v, uint64_t *a, uint64_t *b, size_t n)
{
	enum { BITS = 11, BUCKETS = 1 << BITS, PASSES = 6 };
	uint32_t hist[PASSES][BUCKETS];
	memset(hist, 0, sizeof hist);
	for (size_t i = 0; i < n; i++) {
		uint64_t k = sort_key(v[i]);
		a[i] = k;
		hist[0][k & (BUCKETS - 1)]++;
		hist[1][(k >> 11) & (BUCKETS - 1)]++;
		hist[2][(k >> 22) & (BUCKETS - 1)]++;
		hist[3][(k >> 33) & (BUCKETS - 1)]++;
		hist[4][(k >> 44) & (BUCKETS - 1)]++;
		hist[5][k >> 55]++;
	}
	int last = -1;
	for (int p = 0; p < PASSES; p++) {
		uint32_t sum = 0, *h = hist[p];
		int trivial = 0;
		for (int d = 0; d < BUCKETS; d++) {
			uint32_t c = h[d];
			if (c == n)
				trivial = 1;
			h[d] = sum;
			sum += c;
		}
		if (!trivial)
			last = p;
		else
			h[0] = UINT32_MAX; /* mark */
	}
	for (int p = 0; p <= last; p++) {
		uint32_t *h = hist[p];
		const int shift = p * BITS;
		if (h[0] == UINT32_MAX)
			continue;
		if (p == last) { /* the last pass writes the doubles back */
			for (size_t i = 0; i < n; i++) {
				uint64_t k = a[i];
				v[h[(k >> shift) & (BUCKETS - 1)]++] = key_value(k);
			}
			return;
		}
		for (size_t i = 0; i < n; i++) {
			uint64_t k = a[i];
			b[h[(k >> shift) & (BUCKETS - 1)]++] = k;
		}
		uint64_t *t = a;
		a = b;
		b = t;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = key_value(a[i]);
}

void cf__drift_sort(double *v, uint64_t *scratch, size_t n)
{
	if (n < 512 || n > UINT32_MAX) {
		cf__sort_doubles(v, n);
		return;
	}
	if (scratch) {
		radix_sort(v, scratch, scratch + n, n);
		return;
	}
	uint64_t *a = cf__malloc(NULL, 2 * n * sizeof *a, "drift sort");
	if (a == NULL) { /* fall back to the comparison sort rather than fail */
		cf_error_clear();
		cf__sort_doubles(v, n);
		return;
	}
	radix_sort(v, a, a + n, n);
	cf__free(NULL, a);
}

size_t cf__drift_clean(double *dst, const double *src, size_t n, int drop_inf)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		double x = src[i];
		if (x != x || (drop_inf && isinf(x)))
			continue;
		dst[k++] = x == 0 ? 0.0 : x;
	}
	return k;
}

size_t cf__drift_rle(double *v, double *w, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && v[j] == v[i])
			j++;
		v[k] = v[i];
		w[k] = (double)(j - i);
		k++;
		i = j;
	}
	return k;
}

/* A sample from an array: cleaned, sorted, collapsed. buf: 2n doubles (values, then weights). */
static int sample_from_array(cf__wsample *s, double *buf, const double *x, size_t n, int drop_inf,
	const char *what)
{
	size_t k = cf__drift_clean(buf, x, n, drop_inf);
	if (k == 0)
		return cf__error_set(CF_EINVAL, "drift: the %s sample is empty (no values after dropping NaN%s)", what,
			drop_inf ? " and infinities" : "");
	cf__drift_sort(buf, NULL, k);
	s->v = buf;
	s->w = buf + n;
	s->total = (double)k;
	s->n = cf__drift_rle(buf, buf + n, k);
	s->exact = 1;
	return CF_OK;
}

static inline double wt(const cf__wsample *s, size_t i)
{
	return s->w ? s->w[i] : 1.0;
}

/* ------------------------------------------------------------------------------------------------------------
 * Special functions.
 */
#define CF_PI 3.14159265358979323846
#define CF_SQRT1_2 0.70710678118654752440
#define MACHEP 1.11022302462515654042e-16
#define BIG 4.503599627370496e15
#define BIGINV 2.22044604925031308085e-16

/* Cephes igam / igamc: series for P when x < 1 or x < a, continued fraction for Q otherwise. */
static double igam_series(double a, double x)
{
	double ax = a * log(x) - x - lgamma(a);
	if (ax < -709.78271289338399)
		return 0.0;
	ax = exp(ax);
	double r = a, c = 1.0, ans = 1.0;
	do {
		r += 1.0;
		c *= x / r;
		ans += c;
	} while (c / ans > MACHEP);
	return ans * ax / a;
}

double cf_drift_igamc(double a, double x)
{
	if (!(a > 0) || !(x >= 0))
		return NAN;
	if (isinf(x))
		return 0.0;
	if (x < 1.0 || x < a)
		return 1.0 - igam_series(a, x);
	double ax = a * log(x) - x - lgamma(a);
	if (ax < -709.78271289338399)
		return 0.0;
	ax = exp(ax);
	double y = 1.0 - a, z = x + y + 1.0, c = 0.0;
	double pkm2 = 1.0, qkm2 = x, pkm1 = x + 1.0, qkm1 = z * x;
	double ans = pkm1 / qkm1, t;
	do {
		c += 1.0;
		y += 1.0;
		z += 2.0;
		double yc = y * c;
		double pk = pkm1 * z - pkm2 * yc;
		double qk = qkm1 * z - qkm2 * yc;
		if (qk != 0) {
			double r = pk / qk;
			t = fabs((ans - r) / r);
			ans = r;
		} else {
			t = 1.0;
		}
		pkm2 = pkm1;
		pkm1 = pk;
		qkm2 = qkm1;
		qkm1 = qk;
		if (fabs(pk) > BIG) {
			pkm2 *= BIGINV;
			pkm1 *= BIGINV;
			qkm2 *= BIGINV;
			qkm1 *= BIGINV;
		}
	} while (t > MACHEP);
	return ans * ax;
}

/* scipy.special.ndtr. */
static double ndtr(double a)
{
	double x = a * CF_SQRT1_2, z = fabs(x), y;
	if (z < CF_SQRT1_2)
		return 0.5 + 0.5 * erf(x);
	y = 0.5 * erfc(z);
	return x > 0 ? 1.0 - y : y;
}

/* ------------------------------------------------------------------------------------------------------------
 * Kolmogorov-Smirnov.
 */
static uint64_t gcd_u64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* scipy _compute_prob_outside_square(n, h). */
static double prob_outside_square(int64_t n, int64_t h)
{
	double P = 0.0;
	for (int64_t k = n / h; k >= 0; k--) {
		double p1 = 1.0;
		for (int64_t j = 0; j < h; j++)
			p1 = (double)(n - k * h - j) * p1 / (double)(n + k * h + j + 1);
		P = p1 * (1.0 - P);
	}
	return 2 * P;
}

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
	return -floor_div(-a, b);
}

/* scipy _compute_outer_prob_inside_method(m, n, g, h) (Viehmann's 1 - p recursion); NAN on allocation failure. */
static double outer_prob_inside(int64_t m, int64_t n, int64_t g, int64_t h)
{
	if (m < n) {
		int64_t t = m;
		m = n;
		n = t;
	}
	int64_t mg = m / g, ng = n / g;
	int64_t minj = 0, maxj = ceil_div(h, mg);
	if (maxj > n + 1)
		maxj = n + 1;
	int64_t curlen = maxj - minj;
	int64_t lenA = 2 * maxj + 2 < n + 1 ? 2 * maxj + 2 : n + 1;
	double *A = cf__malloc(NULL, (size_t)lenA * sizeof *A, "KS exact p-value");
	if (A == NULL)
		return NAN;
	for (int64_t i = 0; i < lenA; i++)
		A[i] = i < maxj ? 0.0 : 1.0;
	double res = 1.0;
	for (int64_t i = 1; i <= m; i++) {
		int64_t lastminj = minj, lastlen = curlen;
		minj = floor_div(ng * i - h, mg) + 1;
		if (minj < 0)
			minj = 0;
		if (minj > n)
			minj = n;
		maxj = ceil_div(ng * i + h, mg);
		if (maxj > n + 1)
			maxj = n + 1;
		if (maxj <= minj) {
			cf__free(NULL, A);
			return 1.0;
		}
		double val = minj == 0 ? 0.0 : 1.0;
		for (int64_t jj = 0; jj < maxj - minj; jj++) {
			int64_t j = jj + minj;
			val = (A[jj + minj - lastminj] * (double)i + val * (double)j) / (double)(i + j);
			A[jj] = val;
		}
		curlen = maxj - minj;
		if (lastlen > curlen)
			for (int64_t t = maxj - minj; t < maxj - minj + (lastlen - curlen) && t < lenA; t++)
				A[t] = 1.0;
	}
	res = A[maxj - minj - 1];
	cf__free(NULL, A);
	return res;
}

/* Birnbaum-Tingey sum for the one-sided Smirnov survival function P(D_n^+ >= x), in log space. */
static double smirnov_sf(int64_t n, double x)
{
	double lgn = lgamma((double)n + 1), sum = 0.0;
	int64_t jmax = (int64_t)floor((double)n * (1.0 - x));
	for (int64_t j = 0; j <= jmax; j++) {
		double a = 1.0 - x - (double)j / (double)n, b = x + (double)j / (double)n;
		if (a <= 0)
			continue;
		double lt = lgn - lgamma((double)j + 1) - lgamma((double)(n - j) + 1) + (double)(n - j) * log(a) +
			(double)(j - 1) * log(b);
		sum += exp(lt);
	}
	return x * sum;
}

/* scipy _kolmogn_PelzGood: Pr(D_n <= x). */
static double pelz_good_cdf(double n, double x)
{
	const double PI2 = CF_PI * CF_PI, PI4 = PI2 * PI2, PI6 = PI4 * PI2, SQRT2PI = sqrt(2 * CF_PI);
	if (x <= 0)
		return 0.0;
	if (x >= 1)
		return 1.0;
	double z = sqrt(n) * x, z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
	double qlog = -PI2 / 8 / z2;
	if (qlog < -708.3964185322641)
		return 0.0;
	double q = exp(qlog);
	double k1a = -z2, k1b = PI2 / 4;
	double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * PI2 / 4, k2c = PI4 * (1 - 2 * z2) / 16;
	double k3d = PI6 * (5 - 30 * z2) / 64, k3c = PI4 * (-60 * z2 + 212 * z4) / 16;
	double k3b = PI2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * pow(z, 8);
	double K[4] = { 0, 0, 0, 0 };
	int maxk = (int)ceil(16 * z / CF_PI);
	for (int k = maxk; k > 0; k--) {
		double m = 2 * k - 1, m2 = m * m, m4 = m2 * m2, m6 = m4 * m2;
		double qp = pow(q, 8 * k);
		double c[4] = { 1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6 };
		for (int i = 0; i < 4; i++)
			K[i] = K[i] * qp + c[i];
	}
	double div[4] = { z, 6 * z4, 72 * pow(z, 7), 6480 * pow(z, 10) };
	for (int i = 0; i < 4; i++)
		K[i] = K[i] * q * SQRT2PI / div[i];
	q = exp(-PI2 / 2 / z2);
	double k2x = 0, k3x = 0, s3z = sqrt(3.0) * z;
	for (int k = maxk; k > 0; k--) {
		double ks2 = (double)k * k, qp = pow(q, ks2), kp = CF_PI * k;
		k2x += ks2 * qp;
		k3x += (s3z + kp) * (s3z - kp) * ks2 * qp;
	}
	K[2] += k2x * PI2 * SQRT2PI / (-36 * z3);
	K[3] += k3x * PI2 * SQRT2PI / (216 * z6);
	double sum = 0;
	for (int i = 0; i < 4; i++)
		sum += K[i] / pow(n, i / 2.0);
	return sum;
}

static double clip01(double p)
{
	return p < 0 ? 0.0 : p > 1 ? 1.0 : p;
}

/* kstwo.sf(x, n) (scipy _kolmogn with cdf=False), with Pelz-Good where scipy uses the Durbin matrix or Pomeranz
 * (see docs/drift.md). */
static double kolmogn_sf(int64_t n, double x)
{
	if (n <= 0)
		return NAN;
	if (x >= 1.0)
		return 0.0;
	if (x <= 0.0)
		return 1.0;
	double t = (double)n * x;
	if (t <= 1.0) {
		if (t <= 0.5)
			return 1.0;
		double prob;
		if (n <= 140) {
			prob = 1.0;
			for (int64_t i = 1; i <= n; i++)
				prob *= (double)i * (1.0 / (double)n) * (2 * t - 1);
		} else {
			prob = exp(lgamma((double)n + 1) - (double)n * log((double)n) + (double)n * log(2 * t - 1));
		}
		return clip01(1.0 - prob);
	}
	if (t >= (double)n - 1)
		return clip01(2 * pow(1.0 - x, (double)n));
	if (x >= 0.5)
		return clip01(2 * smirnov_sf(n, x));
	double nx2 = t * x;
	if (n <= 140) {
		if (nx2 > 4)
			return clip01(2 * smirnov_sf(n, x));
		return clip01(1.0 - pelz_good_cdf((double)n, x));
	}
	if (nx2 >= 370.0)
		return 0.0;
	if (nx2 >= 2.2)
		return clip01(2 * smirnov_sf(n, x));
	return clip01(1.0 - pelz_good_cdf((double)n, x));
}

/* The two-sided D of weighted samples, as scipy computes it (cdf differences at every data point). */
static double ks_stat(const cf__wsample *r, const cf__wsample *c)
{
	size_t i = 0, j = 0;
	double c1 = 0, c2 = 0, maxS = -INFINITY, minS = INFINITY;
	while (i < r->n || j < c->n) {
		double x;
		if (j >= c->n || (i < r->n && r->v[i] <= c->v[j]))
			x = r->v[i];
		else
			x = c->v[j];
		while (i < r->n && r->v[i] == x)
			c1 += wt(r, i++);
		while (j < c->n && c->v[j] == x)
			c2 += wt(c, j++);
		double d = c1 / r->total - c2 / c->total;
		if (d > maxS)
			maxS = d;
		if (d < minS)
			minS = d;
	}
	minS = clip01(-minS);
	return minS > maxS ? minS : maxS;
}

/* ks_2samp's p-value for D with sample sizes n1, n2 (method='auto'); *d is replaced as scipy does. */
static double ks_pvalue(double *d, uint64_t n1, uint64_t n2)
{
	if (n1 <= 10000 && n2 <= 10000) {
		uint64_t g = gcd_u64(n1, n2);
		double lcm = (double)(n1 / g) * (double)n2;
		int64_t h = (int64_t)nearbyint(*d * lcm);
		*d = (double)h / lcm;
		if (h == 0)
			return 1.0;
		double prob = n1 == n2 ? prob_outside_square((int64_t)n1, h) :
			outer_prob_inside((int64_t)n1, (int64_t)n2, (int64_t)g, h);
		if (prob >= 0 && prob <= 1)
			return prob;
	}
	double m = (double)(n1 > n2 ? n1 : n2), n = (double)(n1 > n2 ? n2 : n1);
	double en = m * n / (m + n);
	return clip01(kolmogn_sf((int64_t)nearbyint(en), *d));
}

/* ------------------------------------------------------------------------------------------------------------
 * Wasserstein, binning, PSI, Jensen-Shannon, chi-square, z.
 */
static double wasserstein(const cf__wsample *u, const cf__wsample *v)
{
	size_t i = 0, j = 0;
	double cu = 0, cv = 0, sum = 0, prev = 0;
	int first = 1;
	while (i < u->n || j < v->n) {
		double x;
		if (j >= v->n || (i < u->n && u->v[i] <= v->v[j]))
			x = u->v[i];
		else
			x = v->v[j];
		if (!first)
			sum += fabs(cu / u->total - cv / v->total) * (x - prev);
		first = 0;
		while (i < u->n && u->v[i] == x)
			cu += wt(u, i++);
		while (j < v->n && v->v[j] == x)
			cv += wt(v, j++);
		prev = x;
	}
	return sum;
}

static void moments(cf__wmoments *m, const cf__wsample *s)
{
	double sum = 0, m2 = 0;
	for (size_t i = 0; i < s->n; i++)
		sum += wt(s, i) * s->v[i];
	m->mean = sum / s->total;
	for (size_t i = 0; i < s->n; i++) {
		double d = s->v[i] - m->mean;
		m2 += wt(s, i) * d * d;
	}
	m->m2 = m2;
	m->min = s->v[0];
	m->max = s->v[s->n - 1];
}

/* Weight of values < e (inclusive: <= e). */
static double weight_below(const cf__wsample *s, const double *cum, double e, int inclusive)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->v[mid] < e || (inclusive && s->v[mid] == e))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == 0 ? 0.0 : cum[lo - 1];
}

/* Evidently's get_binned_data: percents of both samples over bins, *nbins_out bins, allocated in *ref_pct
 * (2 * nbins: reference then current). */
static int binned(double **pct_out, size_t *nbins_out, const cf__wsample *r, const cf__wsample *c, int per_value,
	double rmin, double rmax, int normalize)
{
	size_t nb;
	double *pct;
	if (per_value) {
		size_t i = 0, j = 0, k = 0;
		nb = 0;
		while (i < r->n || j < c->n) { /* count the union */
			double x = (j >= c->n || (i < r->n && r->v[i] <= c->v[j])) ? r->v[i] : c->v[j];
			while (i < r->n && r->v[i] == x)
				i++;
			while (j < c->n && c->v[j] == x)
				j++;
			nb++;
		}
		if ((pct = cf__calloc(NULL, 2 * nb, sizeof *pct, "drift bins")) == NULL)
			return CF_ENOMEM;
		i = j = 0;
		while (i < r->n || j < c->n) {
			double x = (j >= c->n || (i < r->n && r->v[i] <= c->v[j])) ? r->v[i] : c->v[j];
			while (i < r->n && r->v[i] == x)
				pct[k] += wt(r, i++);
			while (j < c->n && c->v[j] == x)
				pct[nb + k] += wt(c, j++);
			k++;
		}
	} else {
		double first = rmin < c->v[0] ? rmin : c->v[0], last = rmax > c->v[c->n - 1] ? rmax : c->v[c->n - 1];
		double ptp = last - first, width;
		if (first == last) {
			first -= 0.5;
			last += 0.5;
		}
		width = ptp / (log2(r->total + c->total) + 1.0);
		nb = width != 0 ? (size_t)ceil((last - first) / width) : 1;
		if (nb < 1)
			nb = 1;
		double *cr = cf__malloc(NULL, (r->n + c->n) * sizeof *cr, "drift bins");
		if (cr == NULL || (pct = cf__calloc(NULL, 2 * nb, sizeof *pct, "drift bins")) == NULL) {
			cf__free(NULL, cr);
			return CF_ENOMEM;
		}
		double *cc = cr + r->n, acc = 0;
		for (size_t i = 0; i < r->n; i++)
			cr[i] = acc += wt(r, i);
		acc = 0;
		for (size_t i = 0; i < c->n; i++)
			cc[i] = acc += wt(c, i);
		double step = (last - first) / (double)nb, pr = 0, pc = 0;
		for (size_t b = 0; b < nb; b++) {
			double e = b + 1 == nb ? last : (double)(b + 1) * step + first;
			int incl = b + 1 == nb;
			double wr = weight_below(r, cr, e, incl), wc = weight_below(c, cc, e, incl);
			if (b == 0) { /* values below the first edge (there are none, as it is the minimum) */
				pr = weight_below(r, cr, first, 0);
				pc = weight_below(c, cc, first, 0);
			}
			pct[b] = wr - pr;
			pct[nb + b] = wc - pc;
			pr = wr;
			pc = wc;
		}
		cf__free(NULL, cr);
	}
	for (size_t b = 0; b < nb && normalize; b++) {
		pct[b] /= r->total;
		pct[nb + b] /= c->total;
	}
	*pct_out = pct;
	*nbins_out = nb;
	return CF_OK;
}

static void fill_zeroes(double *p, size_t n)
{
	double mn = INFINITY;
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0 && p[i] < mn)
			mn = p[i];
	double f = mn <= 0.0001 ? mn / 1e6 : 0.0001;
	for (size_t i = 0; i < n; i++)
		if (p[i] == 0)
			p[i] = f;
}

static double psi_of(double *pct, size_t nb)
{
	double *r = pct, *c = pct + nb, s = 0;
	fill_zeroes(r, nb);
	fill_zeroes(c, nb);
	for (size_t i = 0; i < nb; i++)
		s += (r[i] - c[i]) * log(r[i] / c[i]);
	return s;
}

static double rel_entr(double x, double y)
{
	if (x > 0 && y > 0)
		return x * log(x / y);
	if (x == 0 && y >= 0)
		return 0.0;
	return INFINITY;
}

static double js_of(const double *p, const double *q, size_t n)
{
	double sp = 0, sq = 0, l = 0, r = 0;
	for (size_t i = 0; i < n; i++) {
		sp += p[i];
		sq += q[i];
	}
	for (size_t i = 0; i < n; i++) {
		double a = p[i] / sp, b = q[i] / sq, m = (a + b) / 2.0;
		l += rel_entr(a, m);
		r += rel_entr(b, m);
	}
	return sqrt((l + r) / 2.0);
}

static void chisquare_of(double *stat, double *p, const double *obs, const double *exp_, size_t k)
{
	double s = 0;
	for (size_t i = 0; i < k; i++) {
		double d = obs[i] - exp_[i];
		s += exp_[i] == 0 ? (d == 0 ? NAN : INFINITY) : d * d / exp_[i];
	}
	*stat = s;
	if (s != s)
		*p = NAN;
	else if (k <= 1)
		*p = 1.0;
	else
		*p = cf_drift_igamc((double)(k - 1) / 2.0, s / 2.0);
}

static void ztest_of(double *z_out, double *p_out, double k1, double n1, double k2, double n2)
{
	double p1 = k1 / n1, p2 = k2 / n2, P = (p1 * n1 + p2 * n2) / (n1 + n2);
	double z = (p1 - p2) / sqrt(P * (1 - P) * (1.0 / n1 + 1.0 / n2));
	*z_out = z;
	*p_out = 2 * (1 - ndtr(fabs(z)));
}

/* ------------------------------------------------------------------------------------------------------------
 * Running a test on two weighted samples.
 */
static uint64_t n_unique_both(const cf__wsample *r, const cf__wsample *c)
{
	size_t i = 0, j = 0;
	uint64_t k = 0;
	while (i < r->n || j < c->n) {
		double x = (j >= c->n || (i < r->n && r->v[i] <= c->v[j])) ? r->v[i] : c->v[j];
		while (i < r->n && r->v[i] == x)
			i++;
		while (j < c->n && c->v[j] == x)
			j++;
		k++;
	}
	return k;
}

int cf__drift_run(cf_drift_result *out, const cf__wsample *ref, const cf__wsample *cur, int categorical,
	const cf__wmoments *mom, const cf_drift_options *o)
{
	cf__wmoments mm;
	cf_drift_method m = o->method;
	double *pct = NULL;
	size_t nb;
	int rc;

	memset(out, 0, sizeof *out);
	if (ref->n == 0 || cur->n == 0)
		return cf__error_set(CF_EINVAL, "drift: the %s sample is empty", ref->n == 0 ? "reference" : "current");
	if (mom == NULL) {
		moments(&mm, ref);
		mom = &mm;
	}
	/* A sketched reference has more than exact_max (>= 32) distinct values: the larger side is a lower bound. */
	out->n_unique = ref->exact ? n_unique_both(ref, cur) : (uint64_t)(ref->n > cur->n ? ref->n : cur->n);
	out->n_ref = (uint64_t)ref->total;
	out->n_cur = (uint64_t)cur->total;
	out->categorical = categorical;
	out->exact = ref->exact && cur->exact;
	if (m == CF_DRIFT_AUTO) {
		if (ref->total <= 1000) {
			if (!categorical && out->n_unique > 5)
				m = CF_DRIFT_KS;
			else if (out->n_unique > 2)
				m = CF_DRIFT_CHISQUARE;
			else
				m = CF_DRIFT_ZTEST;
		} else {
			m = !categorical && out->n_unique > 5 ? CF_DRIFT_WASSERSTEIN : CF_DRIFT_JENSENSHANNON;
		}
	}
	out->method = m;
	out->method_name = cf_drift_method_name(m);
	out->threshold = o->threshold > 0 ? o->threshold : cf_drift_method_default_threshold(m);
	out->p_value = NAN;
	switch (m) {
	case CF_DRIFT_KS: {
		double d = ks_stat(ref, cur);
		out->p_value = ks_pvalue(&d, out->n_ref, out->n_cur);
		out->statistic = d;
		out->score = out->p_value;
		out->drifted = out->p_value <= out->threshold;
		break;
	}
	case CF_DRIFT_WASSERSTEIN: {
		double sd = sqrt(mom->m2 / ref->total);
		out->statistic = out->score = wasserstein(ref, cur) / (sd > 0.001 ? sd : 0.001);
		out->drifted = out->score >= out->threshold;
		break;
	}
	case CF_DRIFT_PSI:
	case CF_DRIFT_JENSENSHANNON: {
		/* Evidently: sturges bins when numeric with more than 20 distinct reference values. */
		int per_value = categorical || !(ref->n > 20 || !ref->exact);
		if ((rc = binned(&pct, &nb, ref, cur, per_value, mom->min, mom->max, 1)) != 0)
			return rc;
		out->statistic = out->score = m == CF_DRIFT_PSI ? psi_of(pct, nb) : js_of(pct, pct + nb, nb);
		out->drifted = out->score >= out->threshold;
		break;
	}
	case CF_DRIFT_CHISQUARE:
		if ((rc = binned(&pct, &nb, ref, cur, 1, 0, 0, 0)) != 0)
			return rc;
		{
			double knorm = cur->total / ref->total;
			for (size_t b = 0; b < nb; b++) {
				double e = pct[b] * knorm; /* Evidently: f_exp = ref_count * k_norm */
				pct[b] = pct[nb + b];      /* f_obs: the current count */
				pct[nb + b] = e;
			}
		}
		chisquare_of(&out->statistic, &out->p_value, pct, pct + nb, nb);
		out->score = out->p_value;
		out->drifted = out->p_value < out->threshold;
		break;
	case CF_DRIFT_ZTEST:
		if (ref->v[0] == ref->v[ref->n - 1] && cur->v[0] == cur->v[cur->n - 1] && ref->v[0] == cur->v[0]) {
			out->statistic = 0;
			out->p_value = 1.0;
		} else {
			double key = ref->v[0] < cur->v[0] ? ref->v[0] : cur->v[0], k1 = 0, k2 = 0;
			for (size_t i = 0; i < ref->n; i++)
				if (ref->v[i] != key)
					k1 += wt(ref, i);
			for (size_t i = 0; i < cur->n; i++)
				if (cur->v[i] != key)
					k2 += wt(cur, i);
			ztest_of(&out->statistic, &out->p_value, k1, ref->total, k2, cur->total);
		}
		out->score = out->p_value;
		out->drifted = out->p_value < out->threshold;
		break;
	default:
		return cf__error_set(CF_EINVAL, "drift: unknown method %d", (int)m);
	}
	cf__free(NULL, pct);
	return CF_OK;
}

/* ------------------------------------------------------------------------------------------------------------
 * Public array functions.
 */
typedef struct pair {
	cf__wsample r, c;
	double *buf;
} pair;

static int pair_make(pair *p, const double *ref, size_t n_ref, const double *cur, size_t n_cur, int drop_inf)
{
	int rc;
	p->buf = NULL;
	if ((ref == NULL && n_ref > 0) || (cur == NULL && n_cur > 0))
		return cf__error_set(CF_EINVAL, "drift: a NULL sample with a nonzero length");
	if (n_ref == 0 || n_cur == 0)
		return cf__error_set(CF_EINVAL, "drift: the %s sample is empty", n_ref == 0 ? "reference" : "current");
	if ((p->buf = cf__malloc(NULL, 2 * (n_ref + n_cur) * sizeof(double), "drift sample")) == NULL)
		return CF_ENOMEM;
	if ((rc = sample_from_array(&p->r, p->buf, ref, n_ref, drop_inf, "reference")) != 0 ||
	    (rc = sample_from_array(&p->c, p->buf + 2 * n_ref, cur, n_cur, drop_inf, "current")) != 0) {
		cf__free(NULL, p->buf);
		p->buf = NULL;
		return rc;
	}
	return CF_OK;
}

static int run_array(cf_drift_result *res, cf_drift_method m, const double *ref, size_t n_ref, const double *cur,
	size_t n_cur, int categorical, int drop_inf)
{
	cf_drift_options o = CF_DRIFT_OPTIONS_INIT;
	pair p;
	int rc;
	o.method = m;
	if ((rc = pair_make(&p, ref, n_ref, cur, n_cur, drop_inf)) != 0)
		return rc;
	rc = cf__drift_run(res, &p.r, &p.c, categorical, NULL, &o);
	cf__free(NULL, p.buf);
	return rc;
}

int cf_drift_ks(double *stat_out, double *p_out, const double *ref, size_t n_ref, const double *cur, size_t n_cur)
{
	cf_drift_result r;
	int rc = run_array(&r, CF_DRIFT_KS, ref, n_ref, cur, n_cur, 0, 0);
	if (rc == 0 && stat_out)
		*stat_out = r.statistic;
	if (rc == 0 && p_out)
		*p_out = r.p_value;
	return rc;
}

int cf_drift_wasserstein_norm(double *out, const double *ref, size_t n_ref, const double *cur, size_t n_cur)
{
	cf_drift_result r;
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = run_array(&r, CF_DRIFT_WASSERSTEIN, ref, n_ref, cur, n_cur, 0, 0)) == 0)
		*out = r.statistic;
	return rc;
}

int cf_drift_psi(double *out, const double *ref, size_t n_ref, const double *cur, size_t n_cur, int categorical)
{
	cf_drift_result r;
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = run_array(&r, CF_DRIFT_PSI, ref, n_ref, cur, n_cur, categorical, 0)) == 0)
		*out = r.statistic;
	return rc;
}

int cf_drift_jensen_shannon(double *out, const double *ref, size_t n_ref, const double *cur, size_t n_cur,
	int categorical)
{
	cf_drift_result r;
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = run_array(&r, CF_DRIFT_JENSENSHANNON, ref, n_ref, cur, n_cur, categorical, 0)) == 0)
		*out = r.statistic;
	return rc;
}

int cf_drift_jensen_shannon_dist(double *out, const double *p, const double *q, size_t n)
{
	double sp = 0, sq = 0;
	CF__CHECK_ARG(out);
	if (n > 0) {
		CF__CHECK_ARG(p);
		CF__CHECK_ARG(q);
	}
	for (size_t i = 0; i < n; i++) {
		if (!(p[i] >= 0) || !(q[i] >= 0) || isinf(p[i]) || isinf(q[i]))
			return cf__error_set(CF_EINVAL, "cf_drift_jensen_shannon_dist: entry %zu is negative or not finite",
				i);
		sp += p[i];
		sq += q[i];
	}
	if (!(sp > 0) || !(sq > 0))
		return cf__error_set(CF_EINVAL, "cf_drift_jensen_shannon_dist: a vector is empty or sums to 0");
	*out = js_of(p, q, n);
	return CF_OK;
}

int cf_drift_chisquare(double *stat_out, double *p_out, const double *f_obs, const double *f_exp, size_t k)
{
	double s, p;
	if (k == 0)
		return cf__error_set(CF_EINVAL, "cf_drift_chisquare: no categories");
	CF__CHECK_ARG(f_obs);
	CF__CHECK_ARG(f_exp);
	for (size_t i = 0; i < k; i++)
		if (!(f_obs[i] >= 0) || !(f_exp[i] >= 0) || isinf(f_obs[i]) || isinf(f_exp[i]))
			return cf__error_set(CF_EINVAL, "cf_drift_chisquare: count %zu is negative or not finite", i);
	chisquare_of(&s, &p, f_obs, f_exp, k);
	if (s != s)
		return cf__error_set(CF_EINVAL, "cf_drift_chisquare: a category has observed and expected count 0");
	if (stat_out)
		*stat_out = s;
	if (p_out)
		*p_out = p;
	return CF_OK;
}

int cf_drift_ztest(double *stat_out, double *p_out, uint64_t ref_k, uint64_t ref_n, uint64_t cur_k,
	uint64_t cur_n)
{
	double z, p;
	if (ref_n == 0 || cur_n == 0 || ref_k > ref_n || cur_k > cur_n)
		return cf__error_set(CF_EINVAL, "cf_drift_ztest: sample sizes must be positive and k <= n");
	if ((ref_k == 0 && cur_k == 0) || (ref_k == ref_n && cur_k == cur_n)) {
		z = 0;
		p = 1.0;
	} else {
		ztest_of(&z, &p, (double)ref_k, (double)ref_n, (double)cur_k, (double)cur_n);
	}
	if (stat_out)
		*stat_out = z;
	if (p_out)
		*p_out = p;
	return CF_OK;
}

int cf_drift_detect(cf_drift_result *out, const double *ref, size_t n_ref, const double *cur, size_t n_cur,
	int categorical, const cf_drift_options *opts)
{
	cf_drift_options o;
	pair p;
	int rc;
	CF__CHECK_ARG(out);
	if ((rc = cf__drift_options_get(&o, opts)) != 0)
		return rc;
	if ((rc = pair_make(&p, ref, n_ref, cur, n_cur, 1)) != 0)
		return rc;
	rc = cf__drift_run(out, &p.r, &p.c, categorical != 0, NULL, &o);
	cf__free(NULL, p.buf);
	return rc;
}
