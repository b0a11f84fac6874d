/*
 * Ranking metrics: ROC AUC, ROC curve, average precision, precision-recall curve (binary).
 *
 * Every one of them is a sweep over the distinct scores in decreasing order, each carrying the weight of
 * its positive and negative rows (scikit-learn's tie rule: tied scores are one curve point). The groups come
 * from one of two sources:
 *   - a hash of distinct scores (open addressing on the order-preserving key of the score), when there are
 *     at most RANK_MAX_GROUPS of them: one pass over the rows, then a sort of the few groups;
 *   - otherwise, the keys of positive and of negative rows, each radix-sorted (8 bytes per row, plus 8
 *     weighted), then merged from the top. Extra memory: 16 bytes per row unweighted, 32 weighted.
 * Rows of weight 0 are skipped (scikit-learn drops them before the sweep).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "metrics.h"

#define RANK_MAX_GROUPS ((size_t)1 << 16)
#define RANK_PREFETCH 16
#if defined(__GNUC__)
#  define RANK_PREFETCH_SLOT(p) __builtin_prefetch((p), 1, 3)
#else
#  define RANK_PREFETCH_SLOT(p) ((void)(p))
#endif

/* ---- radix sorts ------------------------------------------------------------------------------------ */

typedef struct rank_kw {
	uint64_t key;
	double w;
} rank_kw;

#define RANK_RADIX(NAME, T, KEY)                                                                          \
	static void NAME(T *a, T *tmp, size_t n)                                                               \
	{                                                                                                       \
		size_t hist[8][256];                                                                                \
		size_t i;                                                                                           \
		int d;                                                                                              \
		T *src = a, *dst = tmp;                                                                             \
                                                                                                            \
		memset(hist, 0, sizeof hist);                                                                       \
		for (i = 0; i < n; i++) {                                                                           \
			uint64_t k = KEY(a[i]);                                                                         \
			for (d = 0; d < 8; d++)                                                                         \
				hist[d][(k >> (8 * d)) & 0xff]++;                                                           \
		}                                                                                                   \
		for (d = 0; d < 8; d++) {                                                                           \
			size_t sum = 0, *h = hist[d];                                                                   \
			int b, trivial = 0;                                                                             \
			for (b = 0; b < 256; b++)                                                                       \
				if (h[b] == n)                                                                              \
					trivial = 1;                                                                            \
			if (trivial)                                                                                    \
				continue;                                                                                   \
			for (b = 0; b < 256; b++) {                                                                     \
				size_t c = h[b];                                                                            \
				h[b] = sum;                                                                                 \
				sum += c;                                                                                   \
			}                                                                                               \
			for (i = 0; i < n; i++)                                                                         \
				dst[h[(KEY(src[i]) >> (8 * d)) & 0xff]++] = src[i];                                         \
			{                                                                                               \
				T *t = src;                                                                                 \
				src = dst;                                                                                  \
				dst = t;                                                                                    \
			}                                                                                               \
		}                                                                                                   \
		if (src != a)                                                                                       \
			memcpy(a, src, n * sizeof *a);                                                                  \
	}

#define RANK_KEY_U64(x) (x)
#define RANK_KEY_KW(x) ((x).key)
RANK_RADIX(rank_radix_u64, uint64_t, RANK_KEY_U64)
RANK_RADIX(rank_radix_kw, rank_kw, RANK_KEY_KW)

void cf__metrics_radix_u64(uint64_t *keys, uint64_t *tmp, size_t n)
{
	rank_radix_u64(keys, tmp, n);
}

/* ---- the group source ------------------------------------------------------------------------------- */

typedef struct rank_slot {
	uint64_t key; /* 0: empty (no non-NaN double has key 0) */
	double c[2];  /* weight of negative, positive rows */
} rank_slot;

typedef struct ranker {
	double pos_total, neg_total;
	/* hash path: groups by decreasing score */
	rank_slot *groups;
	size_t ngroups, gi;
	/* sort path: keys ascending, walked from the end */
	uint64_t *pk, *nk;
	rank_kw *pkw, *nkw;
	size_t ip, in;
} ranker;

static void ranker_free(ranker *r)
{
	free(r->groups);
	free(r->pk);
	free(r->nk);
	free(r->pkw);
	free(r->nkw);
	memset(r, 0, sizeof *r);
}

/* The next group (decreasing score): 1, or 0 at the end. */
static inline int ranker_next(ranker *r, double *score, double *pos, double *neg)
{
	uint64_t key;
	double p = 0.0, q = 0.0;

	if (r->groups != NULL) {
		if (r->gi == r->ngroups)
			return 0;
		*score = cf__metrics_unkey(r->groups[r->gi].key);
		*neg = r->groups[r->gi].c[0];
		*pos = r->groups[r->gi].c[1];
		r->gi++;
		return 1;
	}
	if (r->ip == 0 && r->in == 0)
		return 0;
	if (r->pkw != NULL || r->nkw != NULL) {
		if (r->ip == 0)
			key = r->nkw[r->in - 1].key;
		else if (r->in == 0)
			key = r->pkw[r->ip - 1].key;
		else
			key = r->pkw[r->ip - 1].key > r->nkw[r->in - 1].key ? r->pkw[r->ip - 1].key : r->nkw[r->in - 1].key;
		while (r->ip > 0 && r->pkw[r->ip - 1].key == key)
			p += r->pkw[--r->ip].w;
		while (r->in > 0 && r->nkw[r->in - 1].key == key)
			q += r->nkw[--r->in].w;
	} else {
		size_t c;
		if (r->ip == 0)
			key = r->nk[r->in - 1];
		else if (r->in == 0)
			key = r->pk[r->ip - 1];
		else
			key = r->pk[r->ip - 1] > r->nk[r->in - 1] ? r->pk[r->ip - 1] : r->nk[r->in - 1];
		for (c = 0; r->ip > 0 && r->pk[r->ip - 1] == key; c++)
			r->ip--;
		p = (double)c;
		for (c = 0; r->in > 0 && r->nk[r->in - 1] == key; c++)
			r->in--;
		q = (double)c;
	}
	*score = cf__metrics_unkey(key);
	*pos = p;
	*neg = q;
	return 1;
}

static int rank_slot_cmp(const void *pa, const void *pb)
{
	uint64_t a = ((const rank_slot *)pa)->key, b = ((const rank_slot *)pb)->key;
	return a < b ? 1 : a > b ? -1 : 0;
}

/* Grow a hash table to `slots` (a power of two). */
static int rank_hash_resize(rank_slot **table, size_t *slots, int *bits, size_t new_slots)
{
	rank_slot *t = calloc(new_slots, sizeof *t), *old = *table;
	int new_bits = 0;
	size_t i;

	if (t == NULL)
		return cf__error_oom("metrics: score hash");
	while (((size_t)1 << new_bits) < new_slots)
		new_bits++;
	for (i = 0; old != NULL && i < *slots; i++) {
		if (old[i].key != 0) {
			size_t j = (size_t)((old[i].key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - new_bits));
			while (t[j].key != 0)
				j = (j + 1) & (new_slots - 1);
			t[j] = old[i];
		}
	}
	free(old);
	*table = t;
	*slots = new_slots;
	*bits = new_bits;
	return 0;
}

#define RANK_BAD_LABELS(func) \
	cf__error_set(CF_EINVAL, "%s: y_true has more than two distinct labels (binary metrics only)", func)
#define RANK_BAD_SCORE(func, i) \
	cf__error_set(CF_EINVAL, "%s: y_score[%zu] is NaN", func, (size_t)(i))

/*
 * The hash pass, for one score type. Returns 0 with the groups built, 1 when there are too many distinct
 * scores (nothing kept), or a negative error.
 */
#define RANK_HASH_PASS(NAME, T)                                                                           \
	static int NAME(ranker *r, const int64_t *y, const T *s, const double *w, size_t n, int64_t pos_label,  \
		const char *func)                                                                                   \
	{                                                                                                       \
		rank_slot *t = NULL;                                                                                \
		size_t slots = 0, count = 0, i, g;                                                                  \
		int bits = 0, rc;                                                                                   \
		double pos_total = 0.0, neg_total = 0.0;                                                            \
		int64_t la = y[0], lb = y[0];                                                                       \
		int bad = 0;                                                                                        \
                                                                                                            \
		for (i = 1; i < n && lb == la; i++)                                                                 \
			lb = y[i];                                                                                      \
		if ((rc = rank_hash_resize(&t, &slots, &bits, 1024)) < 0)                                           \
			return rc;                                                                                      \
		for (i = 0; i < n; i++) {                                                                           \
			double v = (double)s[i], wi = w != NULL ? w[i] : 1.0;                                           \
			uint64_t key;                                                                                   \
			size_t j;                                                                                       \
			int p;                                                                                          \
			bad |= (y[i] != la) & (y[i] != lb); /* branch-free: labels are random in practice */          \
			if (v != v) {                                                                                   \
				free(t);                                                                                    \
				return RANK_BAD_SCORE(func, i);                                                             \
			}                                                                                               \
			if (wi == 0.0)                                                                                  \
				continue;                                                                                   \
			p = y[i] == pos_label;                                                                          \
			key = cf__metrics_key(v);                                                                       \
			j = (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - bits));                              \
			while (t[j].key != key && t[j].key != 0)                                                        \
				j = (j + 1) & (slots - 1);                                                                  \
			if (t[j].key == 0) {                                                                            \
				if (2 * (count + 1) > slots) {                                                              \
					if (count + 1 > RANK_MAX_GROUPS) {                                                      \
						free(t);                                                                            \
						return 1;                                                                           \
					}                                                                                       \
					if ((rc = rank_hash_resize(&t, &slots, &bits, slots * 2)) < 0) {                        \
						free(t);                                                                            \
						return rc;                                                                          \
					}                                                                                       \
					j = (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> (64 - bits));                      \
					while (t[j].key != 0)                                                                   \
						j = (j + 1) & (slots - 1);                                                          \
				}                                                                                           \
				t[j].key = key;                                                                             \
				count++;                                                                                    \
			}                                                                                               \
			t[j].c[p] += wi;                                                                                \
		}                                                                                                   \
		if (bad) {                                                                                          \
			free(t);                                                                                        \
			return RANK_BAD_LABELS(func);                                                                   \
		}                                                                                                   \
		for (i = 0, g = 0; i < slots; i++)                                                                  \
			if (t[i].key != 0) {                                                                            \
				neg_total += t[i].c[0];                                                                     \
				pos_total += t[i].c[1];                                                                     \
				t[g++] = t[i];                                                                              \
			}                                                                                               \
		qsort(t, g, sizeof *t, rank_slot_cmp);                                                              \
		r->groups = t;                                                                                      \
		r->ngroups = g;                                                                                     \
		r->pos_total = pos_total;                                                                           \
		r->neg_total = neg_total;                                                                           \
		return 0;                                                                                           \
	}

RANK_HASH_PASS(rank_hash_f64, double)
RANK_HASH_PASS(rank_hash_f32, float)

/* The sort path, for one score type. */
#define RANK_SORT_PASS(NAME, T)                                                                           \
	static int NAME(ranker *r, const int64_t *y, const T *s, const double *w, size_t n, int64_t pos_label,  \
		const char *func)                                                                                   \
	{                                                                                                       \
		size_t i, np = 0, nn = 0, ip = 0, in = 0;                                                           \
		double pos_total = 0.0, neg_total = 0.0;                                                            \
		int64_t la = y[0], lb = y[0];                                                                       \
		int bad = 0;                                                                                        \
                                                                                                            \
		for (i = 1; i < n && lb == la; i++)                                                                 \
			lb = y[i];                                                                                      \
		for (i = 0; i < n; i++) {                                                                           \
			double wi = w != NULL ? w[i] : 1.0;                                                             \
			size_t p = y[i] == pos_label, nz = wi != 0.0;                                                   \
			bad |= (y[i] != la) & (y[i] != lb);                                                             \
			if (s[i] != s[i])                                                                               \
				return RANK_BAD_SCORE(func, i);                                                             \
			np += p & nz;                                                                                   \
			nn += (p ^ 1) & nz;                                                                             \
			pos_total += p ? wi : 0.0;                                                                      \
			neg_total += p ? 0.0 : wi;                                                                      \
		}                                                                                                   \
		if (bad)                                                                                            \
			return RANK_BAD_LABELS(func);                                                                   \
		r->pos_total = pos_total;                                                                           \
		r->neg_total = neg_total;                                                                           \
		if (w == NULL) {                                                                                    \
			uint64_t *tmp;                                                                                  \
			r->pk = malloc((np + 1) * sizeof *r->pk);                                                       \
			r->nk = malloc((nn + 1) * sizeof *r->nk);                                                       \
			tmp = malloc((np > nn ? np : nn ? nn : 1) * sizeof *tmp);                                       \
			if (r->pk == NULL || r->nk == NULL || tmp == NULL) {                                            \
				free(tmp);                                                                                  \
				return cf__error_oom("metrics: score keys");                                                \
			}                                                                                               \
			for (i = 0; i < n; i++) {                                                                       \
				uint64_t key = cf__metrics_key((double)s[i]);                                               \
				size_t p = y[i] == pos_label;                                                               \
				/* branch-free: write to both, advance one */                                               \
				r->pk[ip] = key; /* both arrays have a spare last slot */                                   \
				r->nk[in] = key;                                                                            \
				ip += p;                                                                                    \
				in += p ^ 1;                                                                                \
			}                                                                                               \
			rank_radix_u64(r->pk, tmp, np);                                                                 \
			rank_radix_u64(r->nk, tmp, nn);                                                                 \
			free(tmp);                                                                                      \
		} else {                                                                                            \
			rank_kw *tmp;                                                                                   \
			r->pkw = malloc((np ? np : 1) * sizeof *r->pkw);                                                \
			r->nkw = malloc((nn ? nn : 1) * sizeof *r->nkw);                                                \
			tmp = malloc((np > nn ? np : nn ? nn : 1) * sizeof *tmp);                                       \
			if (r->pkw == NULL || r->nkw == NULL || tmp == NULL) {                                          \
				free(tmp);                                                                                  \
				return cf__error_oom("metrics: score keys");                                                \
			}                                                                                               \
			for (i = 0; i < n; i++) {                                                                       \
				rank_kw e;                                                                                  \
				if (w[i] == 0.0)                                                                            \
					continue;                                                                               \
				e.key = cf__metrics_key((double)s[i]);                                                      \
				e.w = w[i];                                                                                 \
				if (y[i] == pos_label)                                                                      \
					r->pkw[ip++] = e;                                                                       \
				else                                                                                        \
					r->nkw[in++] = e;                                                                       \
			}                                                                                               \
			rank_radix_kw(r->pkw, tmp, np);                                                                 \
			rank_radix_kw(r->nkw, tmp, nn);                                                                 \
			free(tmp);                                                                                      \
		}                                                                                                   \
		r->ip = np;                                                                                         \
		r->in = nn;                                                                                         \
		return 0;                                                                                           \
	}

RANK_SORT_PASS(rank_sort_f64, double)
RANK_SORT_PASS(rank_sort_f32, float)

static int ranker_build(ranker *r, const int64_t *y_true, const void *y_score, cf_score_type type,
	const double *w, size_t n, int64_t pos_label, const char *func)
{
	int rc;

	memset(r, 0, sizeof *r);
	if (y_true == NULL || y_score == NULL)
		return cf__error_set(CF_EINVAL, "%s: y_true and y_score must not be NULL", func);
	if (type != CF_SCORE_FLOAT64 && type != CF_SCORE_FLOAT32)
		return cf__error_set(CF_EINVAL, "%s: unknown score type %d", func, (int)type);
	if ((rc = cf__metrics_check_input(func, n, w)) < 0)
		return rc;
	rc = type == CF_SCORE_FLOAT64 ? rank_hash_f64(r, y_true, y_score, w, n, pos_label, func)
		: rank_hash_f32(r, y_true, y_score, w, n, pos_label, func);
	if (rc == 1)
		rc = type == CF_SCORE_FLOAT64 ? rank_sort_f64(r, y_true, y_score, w, n, pos_label, func)
			: rank_sort_f32(r, y_true, y_score, w, n, pos_label, func);
	if (rc < 0)
		ranker_free(r);
	return rc;
}

/* Flags for missing classes. */
static unsigned int ranker_flags(const ranker *r)
{
	return (r->pos_total > 0.0 ? 0u : CF_METRIC_UNDEFINED_NO_POSITIVES)
		| (r->neg_total > 0.0 ? 0u : CF_METRIC_UNDEFINED_NO_NEGATIVES);
}

/* ---- ROC AUC ---------------------------------------------------------------------------------------- */

int cf_roc_auc_score(double *out, unsigned int *flags_out, const int64_t *y_true, const void *y_score,
	cf_score_type score_type, const double *sample_weight, size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	ranker r;
	unsigned int flags;
	double score, pos, neg, tp = 0.0, fp = 0.0, area = 0.0;
	int rc;

	CF__CHECK_ARG(out);
	*out = NAN;
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = ranker_build(&r, y_true, y_score, score_type, sample_weight, n, o->pos_label, __func__)) < 0)
		return rc;
	flags = ranker_flags(&r);
	if (flags != 0) {
		ranker_free(&r);
		if (flags_out != NULL)
			*flags_out = flags;
		return 0;
	}
	if (o->max_fpr >= 1.0) {
		/* Mann-Whitney with ties counted one half: per group dFP x (TP before + dTP / 2) */
		while (ranker_next(&r, &score, &pos, &neg)) {
			area += neg * (tp + 0.5 * pos);
			tp += pos;
		}
		*out = area / (r.pos_total * r.neg_total);
	} else {
		/* scikit-learn: the trapezoid over the normalised curve up to max_fpr, the last point interpolated
		 * linearly (np.interp), then McClish's standardisation */
		double m = o->max_fpr, fpr_prev = 0.0, tpr_prev = 0.0, min_area, max_area;
		while (ranker_next(&r, &score, &pos, &neg)) {
			double fpr, tpr;
			tp += pos;
			fp += neg;
			fpr = fp / r.neg_total;
			tpr = tp / r.pos_total;
			if (fpr > m) {
				double slope = (tpr - tpr_prev) / (fpr - fpr_prev);
				double tpr_m = slope * (m - fpr_prev) + tpr_prev;
				area += (m - fpr_prev) * (tpr_m + tpr_prev) / 2.0;
				break;
			}
			area += (fpr - fpr_prev) * (tpr + tpr_prev) / 2.0;
			fpr_prev = fpr;
			tpr_prev = tpr;
		}
		min_area = 0.5 * m * m;
		max_area = m;
		*out = 0.5 * (1.0 + (area - min_area) / (max_area - min_area));
	}
	ranker_free(&r);
	return 0;
}

/* ---- curves ----------------------------------------------------------------------------------------- */

/* All groups as arrays: thresholds (decreasing), cumulative fps and tps. */
typedef struct rank_sweep {
	double *thr, *fps, *tps;
	size_t size;
} rank_sweep;

static void rank_sweep_free(rank_sweep *s)
{
	free(s->thr);
	free(s->fps);
	free(s->tps);
	memset(s, 0, sizeof *s);
}

static int rank_sweep_build(rank_sweep *s, ranker *r)
{
	size_t cap = r->groups != NULL ? r->ngroups : r->ip + r->in;
	double score, pos, neg, tp = 0.0, fp = 0.0;

	memset(s, 0, sizeof *s);
	s->thr = malloc((cap ? cap : 1) * sizeof *s->thr);
	s->fps = malloc((cap ? cap : 1) * sizeof *s->fps);
	s->tps = malloc((cap ? cap : 1) * sizeof *s->tps);
	if (s->thr == NULL || s->fps == NULL || s->tps == NULL) {
		rank_sweep_free(s);
		return cf__error_oom("metrics: curve");
	}
	while (ranker_next(r, &score, &pos, &neg)) {
		tp += pos;
		fp += neg;
		s->thr[s->size] = score;
		s->fps[s->size] = fp;
		s->tps[s->size] = tp;
		s->size++;
	}
	return 0;
}

static int curve_alloc(cf_curve *c, size_t size, size_t thresholds_size)
{
	c->x = malloc((size ? size : 1) * sizeof *c->x);
	c->y = malloc((size ? size : 1) * sizeof *c->y);
	c->thresholds = malloc((thresholds_size ? thresholds_size : 1) * sizeof *c->thresholds);
	if (c->x == NULL || c->y == NULL || c->thresholds == NULL) {
		cf_curve_dispose(c);
		return cf__error_oom("metrics: curve");
	}
	c->size = size;
	c->thresholds_size = thresholds_size;
	return 0;
}

/* Build the sweep for a curve function; sets *flags. */
static int curve_prepare(rank_sweep *s, unsigned int *flags, cf_curve *out, const int64_t *y_true,
	const void *y_score, cf_score_type type, const double *w, size_t n, const cf_metrics_options **o,
	cf_metrics_options *tmp, const cf_metrics_options *opts, const char *func)
{
	ranker r;
	int rc;

	cf_curve_dispose(out);
	if ((rc = cf__metrics_options(o, tmp, opts)) < 0)
		return rc;
	if ((rc = ranker_build(&r, y_true, y_score, type, w, n, (*o)->pos_label, func)) < 0)
		return rc;
	*flags = ranker_flags(&r);
	rc = rank_sweep_build(s, &r);
	ranker_free(&r);
	return rc;
}

int cf_roc_curve(cf_curve *out, unsigned int *flags_out, const int64_t *y_true, const void *y_score,
	cf_score_type score_type, const double *sample_weight, size_t n, const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	rank_sweep s;
	unsigned int flags = 0;
	size_t i, kept = 0;
	double fp_total, tp_total;
	int rc;

	CF__CHECK_ARG(out);
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = curve_prepare(&s, &flags, out, y_true, y_score, score_type, sample_weight, n, &o, &tmp, opts,
			__func__)) < 0)
		return rc;
	/* drop_intermediate: keep both ends and every point where the second difference of fps or tps is non-zero,
	 * evaluated as numpy's diff(x, 2) on the same cumulative sums. Compacting in place is safe: step i reads
	 * i - 1 .. i + 1 and writes at kept <= i, and index i is only ever rewritten with itself. */
	for (i = 0; i < s.size; i++) {
		int keep = 1;
		if (o->drop_intermediate && s.size > 2 && i > 0 && i + 1 < s.size) {
			double df = (s.fps[i + 1] - s.fps[i]) - (s.fps[i] - s.fps[i - 1]);
			double dt = (s.tps[i + 1] - s.tps[i]) - (s.tps[i] - s.tps[i - 1]);
			keep = df != 0.0 || dt != 0.0;
		}
		if (keep) {
			s.thr[kept] = s.thr[i];
			s.fps[kept] = s.fps[i];
			s.tps[kept] = s.tps[i];
			kept++;
		}
	}
	if ((rc = curve_alloc(out, kept + 1, kept + 1)) < 0) {
		rank_sweep_free(&s);
		return rc;
	}
	fp_total = kept > 0 ? s.fps[kept - 1] : 0.0;
	tp_total = kept > 0 ? s.tps[kept - 1] : 0.0;
	out->x[0] = fp_total > 0.0 ? 0.0 : NAN;
	out->y[0] = tp_total > 0.0 ? 0.0 : NAN;
	out->thresholds[0] = INFINITY;
	for (i = 0; i < kept; i++) {
		out->x[i + 1] = fp_total > 0.0 ? s.fps[i] / fp_total : NAN;
		out->y[i + 1] = tp_total > 0.0 ? s.tps[i] / tp_total : NAN;
		out->thresholds[i + 1] = s.thr[i];
	}
	rank_sweep_free(&s);
	if (flags_out != NULL)
		*flags_out = flags;
	return 0;
}

int cf_precision_recall_curve(cf_curve *out, unsigned int *flags_out, const int64_t *y_true,
	const void *y_score, cf_score_type score_type, const double *sample_weight, size_t n,
	const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	rank_sweep s;
	unsigned int flags = 0;
	size_t i, m;
	double tp_total;
	int rc;

	CF__CHECK_ARG(out);
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = curve_prepare(&s, &flags, out, y_true, y_score, score_type, sample_weight, n, &o, &tmp, opts,
			__func__)) < 0)
		return rc;
	flags &= CF_METRIC_UNDEFINED_NO_POSITIVES;
	m = s.size;
	if ((rc = curve_alloc(out, m + 1, m)) < 0) {
		rank_sweep_free(&s);
		return rc;
	}
	tp_total = m > 0 ? s.tps[m - 1] : 0.0;
	/* reversed: lowest threshold first, then the point (1, 0) */
	for (i = 0; i < m; i++) {
		size_t g = m - 1 - i;
		double ps = s.tps[g] + s.fps[g];
		out->x[i] = ps != 0.0 ? s.tps[g] / ps : 0.0;
		out->y[i] = tp_total > 0.0 ? s.tps[g] / tp_total : 1.0;
		out->thresholds[i] = s.thr[g];
	}
	out->x[m] = 1.0;
	out->y[m] = 0.0;
	rank_sweep_free(&s);
	if (flags_out != NULL)
		*flags_out = flags;
	return 0;
}

int cf_average_precision_score(double *out, unsigned int *flags_out, const int64_t *y_true,
	const void *y_score, cf_score_type score_type, const double *sample_weight, size_t n,
	const cf_metrics_options *opts)
{
	cf_metrics_options tmp;
	const cf_metrics_options *o;
	ranker r;
	double score, pos, neg, tp = 0.0, fp = 0.0, ap = 0.0, recall_prev = 0.0;
	int rc;

	CF__CHECK_ARG(out);
	*out = NAN;
	if (flags_out != NULL)
		*flags_out = 0;
	if ((rc = cf__metrics_options(&o, &tmp, opts)) < 0)
		return rc;
	if ((rc = ranker_build(&r, y_true, y_score, score_type, sample_weight, n, o->pos_label, __func__)) < 0)
		return rc;
	if (!(r.pos_total > 0.0)) {
		/* scikit-learn sets recall to 1 at every threshold: the step sum is then 0 */
		ranker_free(&r);
		*out = 0.0;
		if (flags_out != NULL)
			*flags_out = CF_METRIC_UNDEFINED_NO_POSITIVES;
		return 0;
	}
	/* AP = sum_k (R_k - R_{k-1}) P_k, from the highest threshold down */
	while (ranker_next(&r, &score, &pos, &neg)) {
		double recall;
		tp += pos;
		fp += neg;
		recall = tp / r.pos_total;
		if (pos != 0.0)
			ap += (recall - recall_prev) * (tp / (tp + fp));
		recall_prev = recall;
	}
	ranker_free(&r);
	*out = ap > 0.0 ? ap : 0.0;
	return 0;
}
