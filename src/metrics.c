/*
 * Evaluation metrics (cogniforge/metrics.h): options, label handling, the label metrics (confusion matrix,
 * accuracy, balanced accuracy, precision / recall / F, MCC) and the probabilistic ones (log loss, Brier,
 * calibration). The ranking metrics live in metrics_rank.c. Definitions: docs/metrics.md.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "metrics.h"

/* ---- options, input checks, curves ------------------------------------------------------------------ */

int cf_metrics_options_init(cf_metrics_options *opts, unsigned int version)
{
	static const cf_metrics_options defaults = CF_METRICS_OPTIONS_INIT;
	int rc;

	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_METRICS_OPTIONS_VERSION, "cf_metrics_options")) < 0)
		return rc;
	*opts = defaults;
	opts->version = version;
	return 0;
}

int cf__metrics_options(const cf_metrics_options **out, cf_metrics_options *tmp, const cf_metrics_options *opts)
{
	int rc;

	if (opts == NULL) {
		cf_metrics_options_init(tmp, CF_METRICS_OPTIONS_VERSION);
		*out = tmp;
		return 0;
	}
	if ((rc = cf__options_version_check(opts->version, CF_METRICS_OPTIONS_VERSION, "cf_metrics_options")) < 0)
		return rc;
	if ((unsigned int)opts->average > CF_AVERAGE_WEIGHTED)
		return cf__error_set(CF_EINVAL, "cf_metrics_options.average: unknown value %d", (int)opts->average);
	if ((unsigned int)opts->cm_normalize > CF_NORMALIZE_ALL)
		return cf__error_set(CF_EINVAL, "cf_metrics_options.cm_normalize: unknown value %d",
			(int)opts->cm_normalize);
	if ((unsigned int)opts->strategy > CF_CALIBRATION_QUANTILE)
		return cf__error_set(CF_EINVAL, "cf_metrics_options.strategy: unknown value %d", (int)opts->strategy);
	if (opts->labels == NULL && opts->labels_count != 0)
		return cf__error_set(CF_EINVAL, "cf_metrics_options.labels: NULL with labels_count %zu",
			opts->labels_count);
	if (opts->labels != NULL && opts->labels_count == 0)
		return cf__error_set(CF_EINVAL, "cf_metrics_options.labels: an empty list of labels");
	if (!(opts->beta >= 0.0))
		return cf__error_set(CF_EINVAL, "cf_metrics_options.beta: %g must be >= 0", opts->beta);
	if (!(opts->zero_division == 0.0 || opts->zero_division == 1.0 || isnan(opts->zero_division)))
		return cf__error_set(CF_EINVAL, "cf_metrics_options.zero_division: %g must be 0, 1 or NaN",
			opts->zero_division);
	if (!(opts->max_fpr > 0.0 && opts->max_fpr <= 1.0))
		return cf__error_set(CF_EINVAL, "cf_metrics_options.max_fpr: %g must be in (0, 1]", opts->max_fpr);
	if (opts->n_bins < 1)
		return cf__error_set(CF_EINVAL, "cf_metrics_options.n_bins: must be at least 1");
	if (!(opts->eps >= 0.0 && opts->eps < 0.5))
		return cf__error_set(CF_EINVAL, "cf_metrics_options.eps: %g must be in [0, 0.5)", opts->eps);
	*out = opts;
	return 0;
}

int cf__metrics_check_input(const char *func, size_t n, const double *sample_weight)
{
	size_t i;
	int nonzero = 0;

	if (n == 0)
		return cf__error_set(CF_EINVAL, "%s: empty input (n is 0)", func);
	if (sample_weight == NULL)
		return 0;
	for (i = 0; i < n; i++) {
		double w = sample_weight[i];
		if (!(w >= 0.0) || isinf(w))
			return cf__error_set(CF_EINVAL, "%s: sample_weight[%zu] = %g is negative or not finite", func, i, w);
		nonzero |= w != 0.0;
	}
	if (!nonzero)
		return cf__error_set(CF_EINVAL, "%s: every sample weight is 0", func);
	return 0;
}

void cf_curve_dispose(cf_curve *curve)
{
	if (curve == NULL)
		return;
	free(curve->x);
	free(curve->y);
	free(curve->thresholds);
	free(curve->counts);
	memset(curve, 0, sizeof *curve);
}

/* ---- label maps ------------------------------------------------------------------------------------- */

#define LMAP_DENSE_MAX ((uint64_t)1 << 22)

/* Labels in report order, and a lookup from a label to its index. */
typedef struct lmap {
	int64_t *labels;
	size_t k;
	int64_t lo;
	uint64_t range;
	int32_t *dense;  /* index + 1 over [lo, lo + range), 0 = absent; or NULL */
	uint64_t *sorted;/* (key << 0) sorted keys of labels, with order[] their indexes, when dense is NULL */
	size_t *order;
} lmap;

static void lmap_free(lmap *m)
{
	free(m->labels);
	free(m->dense);
	free(m->sorted);
	free(m->order);
	memset(m, 0, sizeof *m);
}

static inline uint64_t lkey(int64_t v)
{
	return (uint64_t)v ^ (UINT64_C(1) << 63);
}

static inline ptrdiff_t lmap_find(const lmap *m, int64_t v)
{
	if (m->dense != NULL) {
		uint64_t off = (uint64_t)v - (uint64_t)m->lo;
		return off < m->range ? (ptrdiff_t)m->dense[off] - 1 : -1;
	} else {
		size_t a = 0, b = m->k;
		uint64_t key = lkey(v);
		while (a < b) {
			size_t mid = a + (b - a) / 2;
			if (m->sorted[mid] < key)
				a = mid + 1;
			else
				b = mid;
		}
		return a < m->k && m->sorted[a] == key ? (ptrdiff_t)m->order[a] : -1;
	}
}

/* Index the labels already in m->labels (m->k of them); CF_EINVAL on duplicates. */
static int lmap_index(lmap *m, const char *func)
{
	size_t i;
	int64_t lo = m->labels[0], hi = m->labels[0];

	for (i = 1; i < m->k; i++) {
		lo = m->labels[i] < lo ? m->labels[i] : lo;
		hi = m->labels[i] > hi ? m->labels[i] : hi;
	}
	m->lo = lo;
	m->range = (uint64_t)hi - (uint64_t)lo + 1;
	if (m->range != 0 && m->range <= LMAP_DENSE_MAX) {
		if ((m->dense = calloc((size_t)m->range, sizeof *m->dense)) == NULL)
			return cf__error_oom("metrics: label index");
		for (i = 0; i < m->k; i++) {
			int32_t *slot = &m->dense[(uint64_t)m->labels[i] - (uint64_t)lo];
			if (*slot != 0)
				return cf__error_set(CF_EINVAL, "%s: label %lld is listed twice", func, (long long)m->labels[i]);
			*slot = (int32_t)(i + 1);
		}
		return 0;
	}
	{
		uint64_t *tmp = malloc(m->k * sizeof *tmp);
		m->sorted = malloc(m->k * sizeof *m->sorted);
		m->order = malloc(m->k * sizeof *m->order);
		if (tmp == NULL || m->sorted == NULL || m->order == NULL) {
			free(tmp);
			return cf__error_oom("metrics: label index");
		}
		/* sort (key, index) pairs: the label keys are distinct unless duplicated, so sort keys then look up */
		for (i = 0; i < m->k; i++)
			m->sorted[i] = lkey(m->labels[i]);
		cf__metrics_radix_u64(m->sorted, tmp, m->k);
		free(tmp);
		for (i = 1; i < m->k; i++)
			if (m->sorted[i] == m->sorted[i - 1])
				return cf__error_set(CF_EINVAL, "%s: label %lld is listed twice", func,
					(long long)(int64_t)(m->sorted[i] ^ (UINT64_C(1) << 63)));
		for (i = 0; i < m->k; i++) {
			size_t a = 0, b = m->k;
			uint64_t key = lkey(m->labels[i]);
			while (a < b) {
				size_t mid = a + (b - a) / 2;
				if (m->sorted[mid] < key)
					a = mid + 1;
				else
					b = mid;
			}
			m->order[a] = i;
		}
	}
	return 0;
}

/* The sorted distinct values of a (and b, when not NULL), n each, into m->labels. */
static int lmap_collect(lmap *m, const int64_t *a, const int64_t *b, size_t n)
{
	int64_t lo = a[0], hi = a[0];
	uint64_t range;
	size_t i, k = 0;

	for (i = 0; i < n; i++) {
		lo = a[i] < lo ? a[i] : lo;
		hi = a[i] > hi ? a[i] : hi;
		if (b != NULL) {
			lo = b[i] < lo ? b[i] : lo;
			hi = b[i] > hi ? b[i] : hi;
		}
	}
	range = (uint64_t)hi - (uint64_t)lo + 1;
	if (range != 0 && range <= LMAP_DENSE_MAX && range <= 4 * (uint64_t)n + 1024) {
		unsigned char *seen = calloc((size_t)range, 1);
		uint64_t j;
		if (seen == NULL)
			return cf__error_oom("metrics: labels");
		for (i = 0; i < n; i++) {
			seen[(uint64_t)a[i] - (uint64_t)lo] = 1;
			if (b != NULL)
				seen[(uint64_t)b[i] - (uint64_t)lo] = 1;
		}
		for (j = 0; j < range; j++)
			k += seen[j];
		if ((m->labels = malloc(k * sizeof *m->labels)) == NULL) {
			free(seen);
			return cf__error_oom("metrics: labels");
		}
		for (j = 0, k = 0; j < range; j++)
			if (seen[j])
				m->labels[k++] = (int64_t)((uint64_t)lo + j);
		free(seen);
	} else {
		size_t total = b != NULL ? 2 * n : n;
		uint64_t *keys = malloc(total * sizeof *keys), *tmp = malloc(total * sizeof *tmp);
		if (keys == NULL || tmp == NULL) {
			free(keys);
			free(tmp);
			return cf__error_oom("metrics: labels");
		}
		for (i = 0; i < n; i++) {
			keys[i] = lkey(a[i]);
			if (b != NULL)
				keys[n + i] = lkey(b[i]);
		}
		cf__metrics_radix_u64(keys, tmp, total);
		for (i = 0; i < total; i++)
			if (i == 0 || keys[i] != keys[i - 1])
				keys[k++] = keys[i];
		free(tmp);
		if ((m->labels = malloc(k * sizeof *m->labels)) == NULL) {
			free(keys);
			return cf__error_oom("metrics: labels");
		}
		for (i = 0; i < k; i++)
			m->labels[i] = (int64_t)(keys[i] ^ (UINT64_C(1) << 63));
		free(keys);
	}
	m->k = k;
	return 0;
}

/* The map for y_true (and y_pred): opts->labels when given (and use_given), else the sorted distinct
 * values. `sort_given` sorts a copy of the given labels (log loss). */
static int lmap_build(lmap *m, const int64_t *y_true, const int64_t *y_pred, size_t n,
	const cf_metrics_options *o, int use_given, int sort_given, const char *func)
{
	int rc;

	memset(m, 0, sizeof *m);
	if (use_given && o->labels != NULL) {
		if ((m->labels = malloc(o->labels_count * sizeof *m->labels)) == NULL)
			return cf__error_oom("metrics: labels");
		memcpy(m->labels, o->labels, o->labels_count * sizeof *m->labels);
		m->k = o->labels_count;
		if (sort_given) {
			lmap s;
			memset(&s, 0, sizeof s);
			if ((rc = lmap_collect(&s, m->labels, NULL, m->k)) < 0) {
				lmap_free(m);
				return rc;
			}
			if (s.k != m->k) {
				lmap_free(&s);
				lmap_free(m);
				return cf__error_set(CF_EINVAL, "%s: a label is listed twice", func);
			}
			free(m->labels);
			m->labels = s.labels;
		}
	} else if ((rc = lmap_collect(m, y_true, y_pred, n)) < 0) {
		lmap_free(m);
		return rc;
	}
	if ((rc = lmap_index(m, func)) < 0)
		lmap_free(m);
	return rc;
}

int cf_metrics_labels(int64_t *out, size_t out_len, size_t *count_out, const int64_t *y_true,
	const int64_t *y_pred, size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	lmap m;
	int rc;

	CF__CHECK_ARG(count_out);
	CF__CHECK_ARG(y_true);
	*count_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if (n == 0 && o->labels == NULL)
		return cf__error_set(CF_EINVAL, "%s: empty input (n is 0)", __func__);
	if ((rc = lmap_build(&m, y_true, y_pred, n, o, 1, 0, __func__)) < 0)
		return rc;
	*count_out = m.k;
	if (out != NULL) {
		if (out_len < m.k) {
			lmap_free(&m);
			return cf__error_set(CF_EINVAL, "%s: out holds %zu labels, %zu needed", __func__, out_len, m.k);
		}
		memcpy(out, m.labels, m.k * sizeof *out);
	}
	lmap_free(&m);
	return 0;
}

/* ---- per-label counts ------------------------------------------------------------------------------- */

/* tp, true (support) and predicted weight per label of the map. */
typedef struct lcounts {
	double *tp, *ts, *ps;
} lcounts;

static void lcounts_free(lcounts *c)
{
	free(c->tp);
	free(c->ts);
	free(c->ps);
}

static int lcounts_build(lcounts *c, const lmap *m, const int64_t *y_true, const int64_t *y_pred,
	const double *w, size_t n)
{
	size_t i;

	c->tp = calloc(m->k ? m->k : 1, sizeof *c->tp);
	c->ts = calloc(m->k ? m->k : 1, sizeof *c->ts);
	c->ps = calloc(m->k ? m->k : 1, sizeof *c->ps);
	if (c->tp == NULL || c->ts == NULL || c->ps == NULL) {
		lcounts_free(c);
		return cf__error_oom("metrics: label counts");
	}
	for (i = 0; i < n; i++) {
		double wi = w != NULL ? w[i] : 1.0;
		ptrdiff_t a = lmap_find(m, y_true[i]), b = lmap_find(m, y_pred[i]);
		if (a >= 0) {
			c->ts[a] += wi;
			if (a == b)
				c->tp[a] += wi;
		}
		if (b >= 0)
			c->ps[b] += wi;
	}
	return 0;
}

static int check_pair(const char *func, const int64_t *y_true, const int64_t *y_pred, size_t n,
	const double *w)
{
	if (y_true == NULL || y_pred == NULL)
		return cf__error_set(CF_EINVAL, "%s: y_true and y_pred must not be NULL", func);
	return cf__metrics_check_input(func, n, w);
}

/* ---- confusion matrix, accuracy, balanced accuracy, MCC --------------------------------------------- */

int cf_confusion_matrix(double *out, size_t out_len, unsigned int *flags_out, const int64_t *y_true,
	const int64_t *y_pred, const double *sample_weight, size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	lmap m;
	size_t i, j, k;
	unsigned int flags = 0;
	int rc, any_true = 0;

	CF__CHECK_ARG(out);
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = check_pair(__func__, y_true, y_pred, n, sample_weight)) < 0)
		return rc;
	if ((rc = lmap_build(&m, y_true, y_pred, n, o, 1, 0, __func__)) < 0)
		return rc;
	k = m.k;
	if (out_len / k < k) {
		lmap_free(&m);
		return cf__error_set(CF_EINVAL, "%s: out holds %zu values, %zu x %zu needed", __func__, out_len, k, k);
	}
	memset(out, 0, k * k * sizeof *out);
	for (i = 0; i < n; i++) {
		ptrdiff_t a = lmap_find(&m, y_true[i]), b;
		if (a < 0)
			continue;
		any_true = 1;
		if ((b = lmap_find(&m, y_pred[i])) >= 0)
			out[(size_t)a * k + (size_t)b] += sample_weight != NULL ? sample_weight[i] : 1.0;
	}
	lmap_free(&m);
	if (!any_true)
		return cf__error_set(CF_EINVAL, "%s: none of the labels occurs in y_true", __func__);
	if (o->cm_normalize == CF_NORMALIZE_TRUE || o->cm_normalize == CF_NORMALIZE_PRED) {
		int by_row = o->cm_normalize == CF_NORMALIZE_TRUE;
		for (i = 0; i < k; i++) {
			double s = 0.0;
			for (j = 0; j < k; j++)
				s += by_row ? out[i * k + j] : out[j * k + i];
			for (j = 0; j < k; j++) {
				double *v = by_row ? &out[i * k + j] : &out[j * k + i];
				if (s != 0.0)
					*v /= s;
			}
			if (s == 0.0)
				flags |= CF_METRIC_UNDEFINED_ZERO_DIVISION;
		}
	} else if (o->cm_normalize == CF_NORMALIZE_ALL) {
		double s = 0.0;
		for (i = 0; i < k * k; i++)
			s += out[i];
		for (i = 0; i < k * k && s != 0.0; i++)
			out[i] /= s;
		if (s == 0.0)
			flags |= CF_METRIC_UNDEFINED_ZERO_DIVISION;
	}
	if (flags_out != NULL)
		*flags_out = flags;
	return 0;
}

int cf_accuracy_score(double *out, const int64_t *y_true, const int64_t *y_pred, const double *sample_weight,
	size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	double hit = 0.0, total = 0.0;
	size_t i;
	int rc;

	CF__CHECK_ARG(out);
	*out = NAN;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = check_pair(__func__, y_true, y_pred, n, sample_weight)) < 0)
		return rc;
	if (sample_weight == NULL) {
		size_t c = 0;
		for (i = 0; i < n; i++)
			c += y_true[i] == y_pred[i];
		hit = (double)c;
		total = (double)n;
	} else {
		for (i = 0; i < n; i++) {
			total += sample_weight[i];
			if (y_true[i] == y_pred[i])
				hit += sample_weight[i];
		}
	}
	*out = o->normalize ? hit / total : hit;
	return 0;
}

int cf_balanced_accuracy_score(double *out, unsigned int *flags_out, const int64_t *y_true,
	const int64_t *y_pred, const double *sample_weight, size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	lmap m;
	lcounts c;
	size_t i, kept = 0;
	double sum = 0.0, score;
	unsigned int flags = 0;
	int rc;

	CF__CHECK_ARG(out);
	*out = NAN;
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = check_pair(__func__, y_true, y_pred, n, sample_weight)) < 0)
		return rc;
	if ((rc = lmap_build(&m, y_true, y_pred, n, o, 0, 0, __func__)) < 0)
		return rc;
	if ((rc = lcounts_build(&c, &m, y_true, y_pred, sample_weight, n)) < 0) {
		lmap_free(&m);
		return rc;
	}
	for (i = 0; i < m.k; i++) {
		if (c.ts[i] == 0.0) {
			flags |= CF_METRIC_UNDEFINED_RECALL; /* a class only in y_pred: left out, as scikit-learn */
			continue;
		}
		sum += c.tp[i] / c.ts[i];
		kept++;
	}
	score = sum / (double)kept;
	if (o->adjusted) {
		double chance = 1.0 / (double)kept;
		score -= chance;
		if (1.0 - chance == 0.0)
			flags |= CF_METRIC_UNDEFINED_ZERO_DIVISION;
		score = 1.0 - chance == 0.0 ? NAN : score / (1.0 - chance);
	}
	*out = score;
	lcounts_free(&c);
	lmap_free(&m);
	if (flags_out != NULL)
		*flags_out = flags;
	return 0;
}

int cf_matthews_corrcoef(double *out, unsigned int *flags_out, const int64_t *y_true, const int64_t *y_pred,
	const double *sample_weight, size_t n)
{
	cf_metrics_options tmp;
	lmap m;
	lcounts c;
	size_t i;
	double n_correct = 0.0, n_samples = 0.0, tp_dot = 0.0, pp_dot = 0.0, tt_dot = 0.0, cov_ytyp, cov_ypyp, cov_ytyt;
	int rc;

	CF__CHECK_ARG(out);
	*out = NAN;
	if (flags_out != NULL)
		*flags_out = 0;
	cf_metrics_options_init(&tmp, CF_METRICS_OPTIONS_VERSION);
	if ((rc = check_pair(__func__, y_true, y_pred, n, sample_weight)) < 0)
		return rc;
	if ((rc = lmap_build(&m, y_true, y_pred, n, &tmp, 0, 0, __func__)) < 0)
		return rc;
	if ((rc = lcounts_build(&c, &m, y_true, y_pred, sample_weight, n)) < 0) {
		lmap_free(&m);
		return rc;
	}
	for (i = 0; i < m.k; i++) {
		n_correct += c.tp[i];
		n_samples += c.ps[i];
		tp_dot += c.ts[i] * c.ps[i];
		pp_dot += c.ps[i] * c.ps[i];
		tt_dot += c.ts[i] * c.ts[i];
	}
	cov_ytyp = n_correct * n_samples - tp_dot;
	cov_ypyp = n_samples * n_samples - pp_dot;
	cov_ytyt = n_samples * n_samples - tt_dot;
	if (cov_ypyp * cov_ytyt == 0.0) {
		*out = 0.0;
		if (flags_out != NULL)
			*flags_out = CF_METRIC_UNDEFINED_ZERO_DIVISION;
	} else {
		*out = cov_ytyp / sqrt(cov_ytyt * cov_ypyp);
	}
	lcounts_free(&c);
	lmap_free(&m);
	return 0;
}

/* ---- precision, recall, F --------------------------------------------------------------------------- */

/* One label's precision, recall and F-beta from its counts; returns the flags of the undefined ones. */
static unsigned int prf_one(double tp, double ts, double ps, double beta, double zd, double *p, double *r,
	double *f)
{
	unsigned int flags = 0;
	double b2 = beta * beta, denom;

	if (ps != 0.0) {
		*p = tp / ps;
	} else {
		*p = zd;
		flags |= CF_METRIC_UNDEFINED_PRECISION;
	}
	if (ts != 0.0) {
		*r = tp / ts;
	} else {
		*r = zd;
		flags |= CF_METRIC_UNDEFINED_RECALL;
	}
	if (isinf(beta)) {
		*f = *r;
		if (ts == 0.0)
			flags |= CF_METRIC_UNDEFINED_FSCORE;
		return flags;
	}
	denom = b2 * ts + ps;
	if (denom != 0.0) {
		*f = (1.0 + b2) * tp / denom;
	} else {
		*f = zd;
		flags |= CF_METRIC_UNDEFINED_FSCORE;
	}
	return flags;
}

/* numpy's average of the non-NaN values (weights may be NULL); NaN when all are NaN; falls back to the
 * plain mean when the remaining weights sum to 0 (scikit-learn's _nanaverage). */
static double nanaverage(const double *a, const double *w, size_t k)
{
	double s = 0.0, sw = 0.0, plain = 0.0;
	size_t i, m = 0;

	for (i = 0; i < k; i++) {
		if (isnan(a[i]))
			continue;
		m++;
		plain += a[i];
		if (w != NULL) {
			s += a[i] * w[i];
			sw += w[i];
		}
	}
	if (m == 0)
		return NAN;
	if (w == NULL || sw == 0.0)
		return plain / (double)m;
	return s / sw;
}

/* The binary counts of pos_label in one pass, checking that at most two labels occur (branch-free: labels are
 * random in practice, and a mispredicted branch per row would cost more than the counting). */
static int prf_binary_counts(double *tp_out, double *ts_out, double *ps_out, const int64_t *y_true,
	const int64_t *y_pred, const double *w, size_t n, int64_t pos, const char *func)
{
	int64_t la = y_true[0], lb = y_true[0];
	size_t i, tpc = 0, tsc = 0, psc = 0;
	double tp = 0.0, ts = 0.0, ps = 0.0;
	int bad = 0;

	/* the two labels: the first one, and the first other one in y_true, then y_pred */
	for (i = 1; i < n && lb == la; i++)
		lb = y_true[i];
	for (i = 0; i < n && lb == la; i++)
		lb = y_pred[i];
	if (w == NULL) {
		for (i = 0; i < n; i++) {
			int64_t a = y_true[i], b = y_pred[i];
			size_t t = a == pos, p = b == pos;
			bad |= ((a != la) & (a != lb)) | ((b != la) & (b != lb));
			tpc += t & p;
			tsc += t;
			psc += p;
		}
		tp = (double)tpc;
		ts = (double)tsc;
		ps = (double)psc;
	} else {
		for (i = 0; i < n; i++) {
			int64_t a = y_true[i], b = y_pred[i];
			double wi = w[i];
			bad |= ((a != la) & (a != lb)) | ((b != la) & (b != lb));
			tp += (a == pos) & (b == pos) ? wi : 0.0;
			ts += a == pos ? wi : 0.0;
			ps += b == pos ? wi : 0.0;
		}
	}
	if (bad)
		return cf__error_set(CF_EINVAL, "%s: average is binary but y_true and y_pred hold more than two labels; "
			"choose micro, macro or weighted", func);
	if (la != lb && la != pos && lb != pos)
		return cf__error_set(CF_EINVAL, "%s: pos_label %lld is not one of the labels %lld, %lld", func,
			(long long)pos, (long long)(la < lb ? la : lb), (long long)(la < lb ? lb : la));
	*tp_out = tp;
	*ts_out = ts;
	*ps_out = ps;
	return 0;
}

int cf_precision_recall_fscore(double *precision_out, double *recall_out, double *fscore_out,
	unsigned int *flags_out, const int64_t *y_true, const int64_t *y_pred, const double *sample_weight, size_t n,
	const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	double p = NAN, r = NAN, f = NAN, zd;
	unsigned int flags = 0;
	int rc;

	if (precision_out != NULL)
		*precision_out = NAN;
	if (recall_out != NULL)
		*recall_out = NAN;
	if (fscore_out != NULL)
		*fscore_out = NAN;
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = check_pair(__func__, y_true, y_pred, n, sample_weight)) < 0)
		return rc;
	zd = o->zero_division;
	if (o->average == CF_AVERAGE_BINARY) {
		double tp = 0.0, ts = 0.0, ps = 0.0;
		if ((rc = prf_binary_counts(&tp, &ts, &ps, y_true, y_pred, sample_weight, n, o->pos_label, __func__)) < 0)
			return rc;
		flags = prf_one(tp, ts, ps, o->beta, zd, &p, &r, &f);
	} else {
		lmap m;
		lcounts c;
		size_t i;
		if ((rc = lmap_build(&m, y_true, y_pred, n, o, 1, 0, __func__)) < 0)
			return rc;
		if ((rc = lcounts_build(&c, &m, y_true, y_pred, sample_weight, n)) < 0) {
			lmap_free(&m);
			return rc;
		}
		if (o->average == CF_AVERAGE_MICRO) {
			double tp = 0.0, ts = 0.0, ps = 0.0;
			for (i = 0; i < m.k; i++) {
				tp += c.tp[i];
				ts += c.ts[i];
				ps += c.ps[i];
			}
			flags = prf_one(tp, ts, ps, o->beta, zd, &p, &r, &f);
		} else {
			double *pv = malloc(3 * m.k * sizeof *pv), ts_sum = 0.0, ps_sum = 0.0;
			if (pv == NULL) {
				lcounts_free(&c);
				lmap_free(&m);
				return cf__error_oom("metrics: per-label scores");
			}
			for (i = 0; i < m.k; i++) {
				flags |= prf_one(c.tp[i], c.ts[i], c.ps[i], o->beta, zd, &pv[i], &pv[m.k + i], &pv[2 * m.k + i]);
				ts_sum += c.ts[i];
				ps_sum += c.ps[i];
			}
			if (o->average == CF_AVERAGE_WEIGHTED && ts_sum == 0.0) {
				/* no support at all (scikit-learn's special case): precision and F are zero_division when
				 * nothing is predicted either, else 0; recall is zero_division */
				flags |= CF_METRIC_UNDEFINED_ZERO_DIVISION;
				p = ps_sum == 0.0 ? zd : 0.0;
				r = zd;
				f = ps_sum == 0.0 ? zd : 0.0;
			} else {
				const double *w = o->average == CF_AVERAGE_WEIGHTED ? c.ts : NULL;
				p = nanaverage(pv, w, m.k);
				r = nanaverage(pv + m.k, w, m.k);
				f = nanaverage(pv + 2 * m.k, w, m.k);
			}
			free(pv);
		}
		lcounts_free(&c);
		lmap_free(&m);
	}
	if (precision_out != NULL)
		*precision_out = p;
	if (recall_out != NULL)
		*recall_out = r;
	if (fscore_out != NULL)
		*fscore_out = f;
	if (flags_out != NULL)
		*flags_out = flags;
	return 0;
}

int cf_precision_recall_fscore_support(double *precision_out, double *recall_out, double *fscore_out,
	double *support_out, unsigned int *label_flags_out, size_t out_len, unsigned int *flags_out,
	const int64_t *y_true, const int64_t *y_pred, const double *sample_weight, size_t n,
	const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	lmap m;
	lcounts c;
	size_t i;
	unsigned int flags = 0;
	int rc;

	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = check_pair(__func__, y_true, y_pred, n, sample_weight)) < 0)
		return rc;
	if ((rc = lmap_build(&m, y_true, y_pred, n, o, 1, 0, __func__)) < 0)
		return rc;
	if (out_len < m.k) {
		lmap_free(&m);
		return cf__error_set(CF_EINVAL, "%s: the outputs hold %zu labels, %zu needed", __func__, out_len, m.k);
	}
	if ((rc = lcounts_build(&c, &m, y_true, y_pred, sample_weight, n)) < 0) {
		lmap_free(&m);
		return rc;
	}
	for (i = 0; i < m.k; i++) {
		double p, r, f;
		unsigned int lf = prf_one(c.tp[i], c.ts[i], c.ps[i], o->beta, o->zero_division, &p, &r, &f);
		flags |= lf;
		if (precision_out != NULL)
			precision_out[i] = p;
		if (recall_out != NULL)
			recall_out[i] = r;
		if (fscore_out != NULL)
			fscore_out[i] = f;
		if (support_out != NULL)
			support_out[i] = c.ts[i];
		if (label_flags_out != NULL)
			label_flags_out[i] = lf;
	}
	lcounts_free(&c);
	lmap_free(&m);
	if (flags_out != NULL)
		*flags_out = flags;
	return 0;
}

/* ---- probabilistic metrics -------------------------------------------------------------------------- */

static int check_prob_input(const char *func, const int64_t *y_true, const double *y_prob, size_t n,
	const double *w)
{
	if (y_true == NULL || y_prob == NULL)
		return cf__error_set(CF_EINVAL, "%s: y_true and y_prob must not be NULL", func);
	return cf__metrics_check_input(func, n, w);
}

/* At most two distinct labels in y_true, and probabilities in [0, 1]. */
static int check_binary_prob(const char *func, const int64_t *y_true, const double *y_prob, size_t n)
{
	int64_t la = 0, lb = 0;
	int nl = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		int64_t a = y_true[i];
		if (!(y_prob[i] >= 0.0 && y_prob[i] <= 1.0))
			return cf__error_set(CF_EINVAL, "%s: y_prob[%zu] = %g is not a probability in [0, 1]", func, i,
				y_prob[i]);
		if ((nl > 0 && a == la) || (nl > 1 && a == lb))
			continue;
		if (nl == 2)
			return cf__error_set(CF_EINVAL, "%s: y_true has more than two labels (binary only)", func);
		if (nl == 0)
			la = a;
		else
			lb = a;
		nl++;
	}
	return 0;
}

int cf_log_loss(double *out, unsigned int *flags_out, const int64_t *y_true, const double *y_prob,
	size_t n_classes, const double *sample_weight, size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	lmap m;
	double eps, lo, hi, tol, loss = 0.0, total = 0.0;
	unsigned int flags = 0;
	size_t i, j;
	int rc;

	CF__CHECK_ARG(out);
	*out = NAN;
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = check_prob_input(__func__, y_true, y_prob, n, sample_weight)) < 0)
		return rc;
	if (n_classes < 1)
		return cf__error_set(CF_EINVAL, "%s: n_classes must be at least 1", __func__);
	if ((rc = lmap_build(&m, y_true, NULL, n, o, 1, 1, __func__)) < 0)
		return rc;
	if (m.k < 2) {
		rc = cf__error_set(CF_EINVAL, "%s: y_true holds a single label (%lld); give both labels in "
			"cf_metrics_options.labels", __func__, (long long)m.labels[0]);
		lmap_free(&m);
		return rc;
	}
	if (!(n_classes == m.k || (n_classes == 1 && m.k == 2))) {
		rc = cf__error_set(CF_EINVAL, "%s: y_prob has %zu columns for %zu labels", __func__, n_classes, m.k);
		lmap_free(&m);
		return rc;
	}
	eps = o->eps > 0.0 ? o->eps : DBL_EPSILON;
	lo = eps;
	hi = 1.0 - eps;
	tol = 1e-8 + sqrt(eps);
	for (i = 0; i < n; i++) {
		ptrdiff_t col = lmap_find(&m, y_true[i]);
		double wi = sample_weight != NULL ? sample_weight[i] : 1.0, p = 0.0;
		if (col < 0) {
			rc = cf__error_set(CF_EINVAL, "%s: y_true[%zu] = %lld is not one of the labels", __func__, i,
				(long long)y_true[i]);
			lmap_free(&m);
			return rc;
		}
		if (n_classes == 1) {
			double v = y_prob[i];
			if (!(v >= 0.0 && v <= 1.0)) {
				lmap_free(&m);
				return cf__error_set(CF_EINVAL, "%s: y_prob[%zu] = %g is not a probability in [0, 1]", __func__,
					i, v);
			}
			if (v < lo || v > hi) {
				flags |= CF_METRIC_CLIPPED;
				v = v < lo ? lo : hi;
			}
			p = col == 1 ? v : 1.0 - v;
		} else {
			const double *row = y_prob + i * n_classes;
			double sum = 0.0;
			for (j = 0; j < n_classes; j++) {
				double v = row[j];
				if (!(v >= 0.0 && v <= 1.0)) {
					lmap_free(&m);
					return cf__error_set(CF_EINVAL, "%s: y_prob[%zu][%zu] = %g is not a probability in [0, 1]",
						__func__, i, j, v);
				}
				if (v < lo || v > hi) {
					flags |= CF_METRIC_CLIPPED;
					v = v < lo ? lo : hi;
				}
				sum += v;
				if (j == (size_t)col)
					p = v;
			}
			if (!(fabs(sum - 1.0) <= tol)) {
				lmap_free(&m);
				return cf__error_set(CF_EINVAL, "%s: row %zu of y_prob sums to %.17g, not 1", __func__, i, sum);
			}
		}
		loss += wi * -log(p);
		total += wi;
	}
	lmap_free(&m);
	*out = o->normalize ? loss / total : loss;
	if (flags_out != NULL)
		*flags_out = flags;
	return 0;
}

int cf_brier_score_loss(double *out, const int64_t *y_true, const double *y_prob, const double *sample_weight,
	size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	double s = 0.0, total = 0.0;
	size_t i;
	int rc;

	CF__CHECK_ARG(out);
	*out = NAN;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = check_prob_input(__func__, y_true, y_prob, n, sample_weight)) < 0)
		return rc;
	if ((rc = check_binary_prob(__func__, y_true, y_prob, n)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		double d = (y_true[i] == o->pos_label ? 1.0 : 0.0) - y_prob[i], wi = sample_weight ? sample_weight[i] : 1.0;
		s += wi * d * d;
		total += wi;
	}
	*out = s / total;
	return 0;
}

/* Calibration bins: edges (n_bins + 1) and per-bin weight, weighted positives and weighted probability. */
typedef struct calib {
	double *edges, *w, *wy, *wp;
	size_t nb;
	double total;
} calib;

static void calib_free(calib *c)
{
	free(c->edges);
	free(c->w);
	free(c->wy);
	free(c->wp);
}

static double lerp_numpy(double a, double b, double t)
{
	double d = b - a;
	return t >= 0.5 ? b - d * (1.0 - t) : a + d * t;
}

static int calib_build(calib *c, const int64_t *y_true, const double *y_prob, const double *w, size_t n,
	const cf_metrics_options *o, const char *func)
{
	size_t nb = o->n_bins, i, b;
	int rc;

	memset(c, 0, sizeof *c);
	if ((rc = check_prob_input(func, y_true, y_prob, n, w)) < 0)
		return rc;
	if ((rc = check_binary_prob(func, y_true, y_prob, n)) < 0)
		return rc;
	c->nb = nb;
	c->edges = malloc((nb + 1) * sizeof *c->edges);
	c->w = calloc(nb, sizeof *c->w);
	c->wy = calloc(nb, sizeof *c->wy);
	c->wp = calloc(nb, sizeof *c->wp);
	if (c->edges == NULL || c->w == NULL || c->wy == NULL || c->wp == NULL) {
		calib_free(c);
		return cf__error_oom("metrics: calibration bins");
	}
	/* numpy's linspace(0, 1, nb + 1): i * (1 / nb), the last exactly 1 */
	for (b = 0; b <= nb; b++)
		c->edges[b] = b == nb ? 1.0 : (double)b * (1.0 / (double)nb);
	if (o->strategy == CF_CALIBRATION_QUANTILE) {
		/* np.percentile(y_prob, linspace(0, 1, nb + 1) * 100), method linear, over rows of non-zero weight */
		size_t m = 0;
		uint64_t *keys = malloc(n * sizeof *keys), *tmp = malloc(n * sizeof *tmp);
		if (keys == NULL || tmp == NULL) {
			free(keys);
			free(tmp);
			calib_free(c);
			return cf__error_oom("metrics: calibration quantiles");
		}
		for (i = 0; i < n; i++)
			if (w == NULL || w[i] != 0.0)
				keys[m++] = cf__metrics_key(y_prob[i]);
		cf__metrics_radix_u64(keys, tmp, m);
		free(tmp);
		for (b = 0; b <= nb; b++) {
			double q = (c->edges[b] * 100.0) / 100.0, v = (double)(m - 1) * q, prev = floor(v);
			size_t lo_i, hi_i;
			if (v >= (double)(m - 1)) {
				lo_i = hi_i = m - 1;
			} else {
				lo_i = v < 0.0 ? 0 : (size_t)prev;
				hi_i = v < 0.0 ? 0 : lo_i + 1;
			}
			c->edges[b] = lerp_numpy(cf__metrics_unkey(keys[lo_i]), cf__metrics_unkey(keys[hi_i]), v - prev);
		}
		free(keys);
	}
	for (i = 0; i < n; i++) {
		double p = y_prob[i], wi = w != NULL ? w[i] : 1.0;
		/* searchsorted(edges[1:-1], p, 'left'): the number of inner edges < p */
		size_t lo_b = 0, hi_b = nb - 1;
		while (lo_b < hi_b) {
			size_t mid = lo_b + (hi_b - lo_b) / 2;
			if (c->edges[mid + 1] < p)
				lo_b = mid + 1;
			else
				hi_b = mid;
		}
		c->w[lo_b] += wi;
		c->wp[lo_b] += wi * p;
		if (y_true[i] == o->pos_label)
			c->wy[lo_b] += wi;
		c->total += wi;
	}
	return 0;
}

int cf_calibration_curve(cf_curve *out, unsigned int *flags_out, const int64_t *y_true, const double *y_prob,
	const double *sample_weight, size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	calib c;
	size_t b, k = 0;
	unsigned int flags = 0;
	int rc;

	CF__CHECK_ARG(out);
	cf_curve_dispose(out);
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = calib_build(&c, y_true, y_prob, sample_weight, n, o, __func__)) < 0)
		return rc;
	for (b = 0; b < c.nb; b++)
		k += c.w[b] != 0.0;
	out->x = malloc((k ? k : 1) * sizeof *out->x);
	out->y = malloc((k ? k : 1) * sizeof *out->y);
	out->counts = malloc((k ? k : 1) * sizeof *out->counts);
	if (out->x == NULL || out->y == NULL || out->counts == NULL) {
		cf_curve_dispose(out);
		calib_free(&c);
		return cf__error_oom("metrics: calibration curve");
	}
	for (b = 0, k = 0; b < c.nb; b++) {
		if (c.w[b] == 0.0) {
			flags |= CF_METRIC_EMPTY_BINS;
			continue;
		}
		out->x[k] = c.wy[b] / c.w[b];
		out->y[k] = c.wp[b] / c.w[b];
		out->counts[k] = c.w[b];
		k++;
	}
	out->size = k;
	out->thresholds = c.edges;
	out->thresholds_size = c.nb + 1;
	c.edges = NULL;
	calib_free(&c);
	if (flags_out != NULL)
		*flags_out = flags;
	return 0;
}

int cf_expected_calibration_error(double *out, unsigned int *flags_out, const int64_t *y_true,
	const double *y_prob, const double *sample_weight, size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	calib c;
	size_t b;
	double ece = 0.0;
	unsigned int flags = 0;
	int rc;

	CF__CHECK_ARG(out);
	*out = NAN;
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = calib_build(&c, y_true, y_prob, sample_weight, n, o, __func__)) < 0)
		return rc;
	for (b = 0; b < c.nb; b++) {
		if (c.w[b] == 0.0) {
			flags |= CF_METRIC_EMPTY_BINS;
			continue;
		}
		ece += (c.w[b] / c.total) * fabs(c.wy[b] / c.w[b] - c.wp[b] / c.w[b]);
	}
	*out = ece;
	calib_free(&c);
	if (flags_out != NULL)
		*flags_out = flags;
	return 0;
}
