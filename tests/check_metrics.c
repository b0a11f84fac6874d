/* metrics module tests: hand-computed values (scikit-learn's documented examples), ties, constant scores, one
 * class, weights with zeros, zero_division, labels absent from the data, extreme probabilities, calibration
 * edges, the radix-sort path against a mid-rank reference, and bad input. */
#include <check.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define EPS 1e-12
#define assert_close(a, b) ck_assert_msg(fabs((a) - (b)) <= EPS * (fabs(b) > 1.0 ? fabs(b) : 1.0), \
	"%s = %.17g, expected %.17g", #a, (double)(a), (double)(b))

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static double rnd01(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

static cf_metrics_options opts_default(void)
{
	cf_metrics_options o = CF_METRICS_OPTIONS_INIT;
	return o;
}

/* ---- options ---- */

START_TEST(test_options)
{
	cf_metrics_options o, d = CF_METRICS_OPTIONS_INIT;
	double v;
	int64_t y[] = { 0, 1 };
	double s[] = { 0.2, 0.8 };

	ck_assert_int_eq(cf_metrics_options_init(&o, CF_METRICS_OPTIONS_VERSION), 0);
	ck_assert(o.version == d.version && o.average == d.average && o.pos_label == 1 && o.labels == NULL);
	ck_assert(o.zero_division == 0.0 && o.beta == 1.0 && o.normalize == 1 && o.max_fpr == 1.0);
	ck_assert(o.drop_intermediate == 1 && o.n_bins == 5 && o.strategy == CF_CALIBRATION_UNIFORM && o.eps == 0.0);
	ck_assert_int_eq(cf_metrics_options_init(&o, 0), CF_EVERSION);
	ck_assert_int_eq(cf_metrics_options_init(&o, CF_METRICS_OPTIONS_VERSION + 1), CF_EVERSION);
	ck_assert_int_eq(cf_metrics_options_init(NULL, CF_METRICS_OPTIONS_VERSION), CF_EINVAL);
	o = opts_default();
	o.version = 99;
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y, s, CF_SCORE_FLOAT64, NULL, 2, &o), CF_EVERSION);
	o = opts_default();
	o.average = (cf_average)7;
	ck_assert_int_eq(cf_precision_recall_fscore(&v, NULL, NULL, NULL, y, y, NULL, 2, &o), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "average"));
	o = opts_default();
	o.max_fpr = 0.0;
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y, s, CF_SCORE_FLOAT64, NULL, 2, &o), CF_EINVAL);
	o = opts_default();
	o.zero_division = 0.5;
	ck_assert_int_eq(cf_precision_recall_fscore(&v, NULL, NULL, NULL, y, y, NULL, 2, &o), CF_EINVAL);
	o = opts_default();
	o.beta = -1.0;
	ck_assert_int_eq(cf_precision_recall_fscore(&v, NULL, NULL, NULL, y, y, NULL, 2, &o), CF_EINVAL);
	o = opts_default();
	o.n_bins = 0;
	ck_assert_int_eq(cf_expected_calibration_error(&v, NULL, y, s, NULL, 2, &o), CF_EINVAL);
	o = opts_default();
	o.labels_count = 2;
	ck_assert_int_eq(cf_accuracy_score(&v, y, y, NULL, 2, &o), CF_EINVAL);
	cf_curve_dispose(NULL);
}
END_TEST

START_TEST(test_bad_input)
{
	int64_t y[] = { 0, 1, 2 }, y2[] = { 0, 1, 1 };
	double s[] = { 0.1, NAN, 0.3 }, ok[] = { 0.1, 0.2, 0.3 }, wneg[] = { 1, -1, 1 }, wzero[] = { 0, 0, 0 };
	double winf[] = { 1, INFINITY, 1 }, v = 0;
	cf_curve c = CF_CURVE_INIT;

	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y2, ok, CF_SCORE_FLOAT64, NULL, 0, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "empty"));
	ck_assert_int_eq(cf_accuracy_score(&v, y, y, NULL, 0, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_log_loss(&v, NULL, y2, ok, 1, NULL, 0, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y2, s, CF_SCORE_FLOAT64, NULL, 3, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "NaN"));
	ck_assert_int_eq(cf_roc_curve(&c, NULL, y, ok, CF_SCORE_FLOAT64, NULL, 3, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "two"));
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y2, ok, CF_SCORE_FLOAT64, wneg, 3, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y2, ok, CF_SCORE_FLOAT64, winf, 3, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_accuracy_score(&v, y, y, wzero, 3, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y2, ok, (cf_score_type)5, NULL, 3, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_roc_auc_score(NULL, NULL, y2, ok, CF_SCORE_FLOAT64, NULL, 3, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_accuracy_score(&v, NULL, y, NULL, 3, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_brier_score_loss(&v, y, ok, NULL, 3, NULL), CF_EINVAL); /* three labels */
	ck_assert_ptr_null(c.x);
}
END_TEST

/* ---- ranking ---- */

START_TEST(test_roc_auc_basic)
{
	int64_t y[] = { 0, 0, 1, 1 };
	double s[] = { 0.1, 0.4, 0.35, 0.8 }, v;
	float f[] = { 0.1f, 0.4f, 0.35f, 0.8f };
	unsigned int flags = 99;
	cf_metrics_options o = opts_default();

	ck_assert_int_eq(cf_roc_auc_score(&v, &flags, y, s, CF_SCORE_FLOAT64, NULL, 4, NULL), 0);
	assert_close(v, 0.75);
	ck_assert_uint_eq(flags, 0);
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y, f, CF_SCORE_FLOAT32, NULL, 4, NULL), 0);
	assert_close(v, 0.75);
	o.max_fpr = 0.5; /* scikit-learn: 0.6666666666666666 */
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y, s, CF_SCORE_FLOAT64, NULL, 4, &o), 0);
	assert_close(v, 2.0 / 3.0);
	o.max_fpr = 1.0;
	o.pos_label = 0; /* the other class positive: 1 - AUC */
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y, s, CF_SCORE_FLOAT64, NULL, 4, &o), 0);
	assert_close(v, 0.25);
}
END_TEST

START_TEST(test_roc_auc_ties)
{
	int64_t y[] = { 0, 1, 0, 1 }, y2[] = { 0, 0, 1, 1 };
	double same[] = { 0.5, 0.5, 0.5, 0.5 }, s2[] = { 0.2, 0.5, 0.5, 0.9 }, sz[] = { -0.0, 0.0, 0.0, -0.0 }, v;

	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y, same, CF_SCORE_FLOAT64, NULL, 4, NULL), 0);
	assert_close(v, 0.5); /* constant scores: every pair tied */
	/* pairs: (0.5 vs 0.2) 1, (0.5 vs 0.5) 1/2, (0.9 vs both) 2 -> 3.5 / 4 */
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y2, s2, CF_SCORE_FLOAT64, NULL, 4, NULL), 0);
	assert_close(v, 0.875);
	/* -0.0 and 0.0 are one score, as numpy compares them */
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y, sz, CF_SCORE_FLOAT64, NULL, 4, NULL), 0);
	assert_close(v, 0.5);
}
END_TEST

START_TEST(test_roc_auc_one_class_and_weights)
{
	int64_t ones[] = { 1, 1, 1 }, zeros[] = { 0, 0, 0 }, y[] = { 0, 1, 1, 1 };
	double s[] = { 0.3, 0.2, 0.9, 0.0 }, w[] = { 1, 2, 1, 0 }, v;
	unsigned int flags;

	ck_assert_int_eq(cf_roc_auc_score(&v, &flags, ones, s, CF_SCORE_FLOAT64, NULL, 3, NULL), 0);
	ck_assert(isnan(v));
	ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_NO_NEGATIVES);
	ck_assert_int_eq(cf_roc_auc_score(&v, &flags, zeros, s, CF_SCORE_FLOAT64, NULL, 3, NULL), 0);
	ck_assert(isnan(v));
	ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_NO_POSITIVES);
	/* weighted pairs: pos 0.2 (w 2) loses, pos 0.9 (w 1) wins: 1 / (3 * 1); the zero-weight row is ignored */
	ck_assert_int_eq(cf_roc_auc_score(&v, &flags, y, s, CF_SCORE_FLOAT64, w, 4, NULL), 0);
	assert_close(v, 1.0 / 3.0);
	ck_assert_uint_eq(flags, 0);
	/* zero weights can remove a class entirely */
	{
		double w2[] = { 0, 1, 1, 1 };
		ck_assert_int_eq(cf_roc_auc_score(&v, &flags, y, s, CF_SCORE_FLOAT64, w2, 4, NULL), 0);
		ck_assert(isnan(v));
		ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_NO_NEGATIVES);
	}
}
END_TEST

START_TEST(test_roc_curve)
{
	int64_t y[] = { 0, 0, 1, 1 }, ones[] = { 1, 1 };
	double s[] = { 0.1, 0.4, 0.35, 0.8 }, fpr[] = { 0, 0, 0.5, 0.5, 1 }, tpr[] = { 0, 0.5, 0.5, 1, 1 };
	double thr[] = { INFINITY, 0.8, 0.4, 0.35, 0.1 }, lin[] = { 0.1, 0.2, 0.3, 0.4 };
	int64_t ylin[] = { 0, 0, 0, 1 };
	cf_curve c = CF_CURVE_INIT;
	cf_metrics_options o = opts_default();
	unsigned int flags;
	size_t i;

	ck_assert_int_eq(cf_roc_curve(&c, &flags, y, s, CF_SCORE_FLOAT64, NULL, 4, NULL), 0);
	ck_assert_uint_eq(c.size, 5);
	ck_assert_uint_eq(c.thresholds_size, 5);
	ck_assert_ptr_null(c.counts);
	for (i = 0; i < 5; i++) {
		assert_close(c.x[i], fpr[i]);
		assert_close(c.y[i], tpr[i]);
		ck_assert(c.thresholds[i] == thr[i]);
	}
	/* collinear points: the three negatives at the bottom lie on one segment; the middle ones are dropped */
	ck_assert_int_eq(cf_roc_curve(&c, NULL, ylin, lin, CF_SCORE_FLOAT64, NULL, 4, &o), 0);
	ck_assert_uint_eq(c.size, 3); /* (0, 0), (0, 1), (1, 1): the two points between are collinear */
	o.drop_intermediate = 0;
	ck_assert_int_eq(cf_roc_curve(&c, NULL, ylin, lin, CF_SCORE_FLOAT64, NULL, 4, &o), 0);
	ck_assert_uint_eq(c.size, 5);
	/* no negatives: FPR is NaN everywhere */
	ck_assert_int_eq(cf_roc_curve(&c, &flags, ones, s, CF_SCORE_FLOAT64, NULL, 2, NULL), 0);
	ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_NO_NEGATIVES);
	for (i = 0; i < c.size; i++)
		ck_assert(isnan(c.x[i]) && !isnan(c.y[i]));
	cf_curve_dispose(&c);
	ck_assert_ptr_null(c.x);
	ck_assert_uint_eq(c.size, 0);
}
END_TEST

START_TEST(test_average_precision)
{
	int64_t y[] = { 0, 0, 1, 1 }, zeros[] = { 0, 0, 0, 0 };
	double s[] = { 0.1, 0.4, 0.35, 0.8 }, v;
	double prec[] = { 0.5, 2.0 / 3.0, 0.5, 1, 1 }, rec[] = { 1, 1, 0.5, 0.5, 0 }, thr[] = { 0.1, 0.35, 0.4, 0.8 };
	cf_curve c = CF_CURVE_INIT;
	unsigned int flags;
	size_t i;

	ck_assert_int_eq(cf_average_precision_score(&v, &flags, y, s, CF_SCORE_FLOAT64, NULL, 4, NULL), 0);
	assert_close(v, 0.8333333333333333);
	ck_assert_uint_eq(flags, 0);
	ck_assert_int_eq(cf_precision_recall_curve(&c, NULL, y, s, CF_SCORE_FLOAT64, NULL, 4, NULL), 0);
	ck_assert_uint_eq(c.size, 5);
	ck_assert_uint_eq(c.thresholds_size, 4);
	for (i = 0; i < 5; i++) {
		assert_close(c.x[i], prec[i]);
		assert_close(c.y[i], rec[i]);
		if (i < 4)
			assert_close(c.thresholds[i], thr[i]);
	}
	/* no positives: AP 0, recall 1 everywhere */
	ck_assert_int_eq(cf_average_precision_score(&v, &flags, zeros, s, CF_SCORE_FLOAT64, NULL, 4, NULL), 0);
	assert_close(v, 0.0);
	ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_NO_POSITIVES);
	ck_assert_int_eq(cf_precision_recall_curve(&c, &flags, zeros, s, CF_SCORE_FLOAT64, NULL, 4, NULL), 0);
	ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_NO_POSITIVES);
	for (i = 0; i + 1 < c.size; i++)
		assert_close(c.y[i], 1.0);
	cf_curve_dispose(&c);
}
END_TEST

static int cmp_pair(const void *a, const void *b)
{
	double x = ((const double *)a)[0], y = ((const double *)b)[0];
	return x < y ? -1 : x > y;
}

/* The radix-sort path (more distinct scores than the hash takes) against mid-ranks computed with qsort. */
START_TEST(test_sort_path)
{
	size_t n = 150000, i, j, P = 0;
	int64_t *y = malloc(n * sizeof *y);
	double *s = malloc(n * sizeof *s), *pairs = malloc(2 * n * sizeof *pairs), rsum = 0.0, v, ref;
	float *f = malloc(n * sizeof *f);

	rng_state = 42;
	for (i = 0; i < n; i++) {
		y[i] = (int64_t)(rnd() & 1);
		s[i] = floor(rnd01() * 1e6) / 1e6 + (y[i] ? 0.05 : 0.0); /* ties, and some signal */
		if (i % 10 == 0)
			s[i] = -s[i];
		pairs[2 * i] = s[i];
		pairs[2 * i + 1] = (double)y[i];
		P += (size_t)y[i];
	}
	qsort(pairs, n, 2 * sizeof *pairs, cmp_pair);
	for (i = 0; i < n; i = j) {
		double rank;
		for (j = i; j < n && pairs[2 * j] == pairs[2 * i]; j++)
			;
		rank = (double)(i + 1 + j) / 2.0; /* mid-rank of ranks i+1..j */
		for (size_t k = i; k < j; k++)
			if (pairs[2 * k + 1] != 0.0)
				rsum += rank;
	}
	ref = (rsum - (double)P * ((double)P + 1) / 2.0) / ((double)P * (double)(n - P));
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y, s, CF_SCORE_FLOAT64, NULL, n, NULL), 0);
	ck_assert_msg(fabs(v - ref) <= 1e-12, "sort path %.17g vs mid-rank %.17g", v, ref);
	/* the same scores through float32 (rounding merges some, so only check it runs and is close) */
	for (i = 0; i < n; i++)
		f[i] = (float)s[i];
	ck_assert_int_eq(cf_roc_auc_score(&v, NULL, y, f, CF_SCORE_FLOAT32, NULL, n, NULL), 0);
	ck_assert(fabs(v - ref) < 1e-3);
	free(y);
	free(s);
	free(f);
	free(pairs);
}
END_TEST

/* ---- label metrics ---- */

START_TEST(test_confusion_matrix)
{
	int64_t yt[] = { 2, 0, 2, 2, 0, 1 }, yp[] = { 0, 0, 2, 2, 0, 2 }, labels[] = { 2, 0, 9 }, lab[3];
	double cm[9], expect[] = { 2, 0, 0, 0, 0, 1, 1, 0, 2 }, w[] = { 1, 1, 1, 1, 0.5, 0 };
	cf_metrics_options o = opts_default();
	unsigned int flags;
	size_t i, k;

	ck_assert_int_eq(cf_metrics_labels(NULL, 0, &k, yt, yp, 6, NULL), 0);
	ck_assert_uint_eq(k, 3);
	ck_assert_int_eq(cf_metrics_labels(lab, 3, &k, yt, yp, 6, NULL), 0);
	ck_assert(lab[0] == 0 && lab[1] == 1 && lab[2] == 2);
	ck_assert_int_eq(cf_metrics_labels(lab, 2, &k, yt, yp, 6, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_confusion_matrix(cm, 9, &flags, yt, yp, NULL, 6, NULL), 0);
	for (i = 0; i < 9; i++)
		assert_close(cm[i], expect[i]);
	ck_assert_int_eq(cf_confusion_matrix(cm, 8, NULL, yt, yp, NULL, 6, NULL), CF_EINVAL);
	/* weighted; row-normalised */
	ck_assert_int_eq(cf_confusion_matrix(cm, 9, NULL, yt, yp, w, 6, NULL), 0);
	assert_close(cm[0], 1.5);
	assert_close(cm[5], 0.0);
	o.cm_normalize = CF_NORMALIZE_TRUE;
	ck_assert_int_eq(cf_confusion_matrix(cm, 9, &flags, yt, yp, NULL, 6, &o), 0);
	assert_close(cm[6], 1.0 / 3.0);
	assert_close(cm[8], 2.0 / 3.0);
	/* given labels in their order, one absent: its row is 0 (normalised: 0, flagged) */
	o.labels = labels;
	o.labels_count = 3;
	ck_assert_int_eq(cf_confusion_matrix(cm, 9, &flags, yt, yp, NULL, 6, &o), 0);
	ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_ZERO_DIVISION);
	assert_close(cm[0], 2.0 / 3.0); /* true 2 -> pred 2 */
	assert_close(cm[1], 1.0 / 3.0); /* true 2 -> pred 0 */
	assert_close(cm[4], 1.0);       /* true 0 -> pred 0 */
	assert_close(cm[6] + cm[7] + cm[8], 0.0);
	/* none of the labels in y_true */
	{
		int64_t only9[] = { 9 };
		o.labels = only9;
		o.labels_count = 1;
		ck_assert_int_eq(cf_confusion_matrix(cm, 9, NULL, yt, yp, NULL, 6, &o), CF_EINVAL);
		o.labels = labels;
		labels[2] = 2;
		o.labels_count = 3;
		ck_assert_int_eq(cf_confusion_matrix(cm, 9, NULL, yt, yp, NULL, 6, &o), CF_EINVAL); /* duplicate */
	}
}
END_TEST

START_TEST(test_accuracy_balanced_mcc)
{
	int64_t a[] = { 0, 2, 1, 3 }, b[] = { 0, 1, 2, 3 };
	int64_t bt[] = { 0, 1, 0, 0, 1, 0 }, bp[] = { 0, 1, 0, 0, 0, 1 };
	int64_t mt[] = { 1, 1, 1, -1 }, mp[] = { 1, -1, 1, 1 }, c[] = { 1, 1, 1, 1 };
	double v, w[] = { 1, 0, 0, 3 };
	cf_metrics_options o = opts_default();
	unsigned int flags;

	ck_assert_int_eq(cf_accuracy_score(&v, a, b, NULL, 4, NULL), 0);
	assert_close(v, 0.5);
	o.normalize = 0;
	ck_assert_int_eq(cf_accuracy_score(&v, a, b, NULL, 4, &o), 0);
	assert_close(v, 2.0);
	ck_assert_int_eq(cf_accuracy_score(&v, a, b, w, 4, NULL), 0);
	assert_close(v, 1.0);
	ck_assert_int_eq(cf_balanced_accuracy_score(&v, &flags, bt, bp, NULL, 6, NULL), 0);
	assert_close(v, 0.625);
	ck_assert_uint_eq(flags, 0);
	o = opts_default();
	o.adjusted = 1;
	ck_assert_int_eq(cf_balanced_accuracy_score(&v, NULL, bt, bp, NULL, 6, &o), 0);
	assert_close(v, 0.25);
	/* a class only in y_pred is left out, flagged */
	ck_assert_int_eq(cf_balanced_accuracy_score(&v, &flags, a, b, NULL, 4, NULL), 0);
	assert_close(v, 0.5);
	ck_assert_uint_eq(flags, 0);
	{
		int64_t t2[] = { 0, 0, 1, 1 }, p2[] = { 0, 2, 1, 1 };
		ck_assert_int_eq(cf_balanced_accuracy_score(&v, &flags, t2, p2, NULL, 4, NULL), 0);
		assert_close(v, 0.75);
		ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_RECALL);
	}
	ck_assert_int_eq(cf_matthews_corrcoef(&v, &flags, mt, mp, NULL, 4), 0);
	assert_close(v, -1.0 / 3.0);
	ck_assert_uint_eq(flags, 0);
	ck_assert_int_eq(cf_matthews_corrcoef(&v, &flags, mt, c, NULL, 4), 0);
	assert_close(v, 0.0);
	ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_ZERO_DIVISION);
}
END_TEST

START_TEST(test_prf_multiclass)
{
	int64_t yt[] = { 0, 1, 2, 0, 1, 2 }, yp[] = { 0, 2, 1, 0, 0, 1 };
	double p, r, f, pv[4], rv[4], fv[4], sv[4];
	unsigned int flags, lf[4];
	cf_metrics_options o = opts_default();
	int64_t labels[] = { 0, 1, 2, 7 };

	o.average = CF_AVERAGE_MACRO;
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, yt, yp, NULL, 6, &o), 0);
	assert_close(p, 0.2222222222222222);
	assert_close(r, 1.0 / 3.0);
	assert_close(f, 0.26666666666666666);
	o.average = CF_AVERAGE_MICRO;
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, yt, yp, NULL, 6, &o), 0);
	assert_close(p, 1.0 / 3.0);
	assert_close(f, 1.0 / 3.0);
	o.average = CF_AVERAGE_WEIGHTED;
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, yt, yp, NULL, 6, &o), 0);
	assert_close(f, 0.26666666666666666);
	ck_assert_int_eq(cf_precision_recall_fscore_support(pv, rv, fv, sv, lf, 3, &flags, yt, yp, NULL, 6, NULL), 0);
	assert_close(fv[0], 0.8);
	assert_close(fv[1], 0.0);
	assert_close(sv[2], 2.0);
	ck_assert_uint_eq(flags, 0);
	ck_assert_int_eq(cf_precision_recall_fscore_support(pv, rv, fv, sv, lf, 2, &flags, yt, yp, NULL, 6, NULL),
		CF_EINVAL);
	/* a label absent from the data: recall and F are zero_division, flagged for that label only */
	o = opts_default();
	o.labels = labels;
	o.labels_count = 4;
	o.zero_division = 1.0;
	ck_assert_int_eq(cf_precision_recall_fscore_support(pv, rv, fv, sv, lf, 4, &flags, yt, yp, NULL, 6, &o), 0);
	ck_assert_uint_eq(lf[3], CF_METRIC_UNDEFINED_PRECISION | CF_METRIC_UNDEFINED_RECALL | CF_METRIC_UNDEFINED_FSCORE);
	ck_assert_uint_eq(lf[0], 0);
	assert_close(pv[3], 1.0);
	assert_close(fv[3], 1.0);
	assert_close(sv[3], 0.0);
	/* zero_division NaN leaves it out of the macro average */
	o.zero_division = NAN;
	o.average = CF_AVERAGE_MACRO;
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, yt, yp, NULL, 6, &o), 0);
	assert_close(f, 0.26666666666666666);
	/* weighted with no support at all */
	{
		int64_t only[] = { 7 };
		o.labels = only;
		o.labels_count = 1;
		o.average = CF_AVERAGE_WEIGHTED;
		o.zero_division = 1.0;
		ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, yt, yp, NULL, 6, &o), 0);
		assert_close(p, 1.0);
		assert_close(r, 1.0);
		assert_close(f, 1.0);
		ck_assert(flags & CF_METRIC_UNDEFINED_ZERO_DIVISION);
	}
}
END_TEST

START_TEST(test_prf_binary)
{
	int64_t yt[] = { 0, 1, 1, 0, 1 }, yp[] = { 0, 1, 0, 1, 1 }, z[] = { 0, 0 }, three[] = { 0, 1, 2, 0, 1 };
	double p, r, f, w[] = { 1, 2, 0, 1, 1 };
	cf_metrics_options o = opts_default();
	unsigned int flags;

	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, yt, yp, NULL, 5, NULL), 0);
	assert_close(p, 2.0 / 3.0);
	assert_close(r, 2.0 / 3.0);
	assert_close(f, 2.0 / 3.0);
	/* weights, the zero one removes a false negative: tp 3, fp 1, fn 0 */
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, yt, yp, w, 5, NULL), 0);
	assert_close(p, 0.75);
	assert_close(r, 1.0);
	assert_close(f, 6.0 / 7.0);
	o.beta = 2.0; /* (1 + 4) 2 / (5 * 2 + 4 * 1 + 1) unweighted */
	ck_assert_int_eq(cf_precision_recall_fscore(NULL, NULL, &f, NULL, yt, yp, NULL, 5, &o), 0);
	assert_close(f, 10.0 / 15.0);
	o.beta = INFINITY;
	ck_assert_int_eq(cf_precision_recall_fscore(NULL, &r, &f, NULL, yt, yp, NULL, 5, &o), 0);
	assert_close(f, r);
	/* nothing true nor predicted: all three undefined */
	o = opts_default();
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, z, z, NULL, 2, &o), 0);
	assert_close(p, 0.0);
	ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_PRECISION | CF_METRIC_UNDEFINED_RECALL | CF_METRIC_UNDEFINED_FSCORE);
	o.zero_division = 1.0;
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, z, z, NULL, 2, &o), 0);
	assert_close(p, 1.0);
	assert_close(f, 1.0);
	o.zero_division = NAN;
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, z, z, NULL, 2, &o), 0);
	ck_assert(isnan(p) && isnan(r) && isnan(f));
	/* only precision undefined: F still from the counts (0) */
	{
		int64_t t1[] = { 1, 0 }, p0[] = { 0, 0 };
		o.zero_division = 1.0;
		ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, &flags, t1, p0, NULL, 2, &o), 0);
		assert_close(p, 1.0);
		assert_close(r, 0.0);
		assert_close(f, 0.0);
		ck_assert_uint_eq(flags, CF_METRIC_UNDEFINED_PRECISION);
	}
	/* binary needs at most two labels and pos_label among them */
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, NULL, three, yp, NULL, 5, NULL), CF_EINVAL);
	o = opts_default();
	o.pos_label = 5;
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, NULL, yt, yp, NULL, 5, &o), CF_EINVAL);
	ck_assert_int_eq(cf_precision_recall_fscore(&p, &r, &f, NULL, z, z, NULL, 2, &o), 0); /* one label: fine */
}
END_TEST

/* ---- probabilistic ---- */

START_TEST(test_log_loss)
{
	int64_t y[] = { 1, 0, 0, 1 }, y01[] = { 0, 1 }, ones[] = { 1, 1, 1 }, labels[] = { 0, 1 };
	double p2[] = { .1, .9, .9, .1, .8, .2, .35, .65 }, v;
	double exact[] = { 0.0, 1.0 }, wrong[] = { 1.0, 0.0 }, pr[] = { 0.9, 0.8, 1.0 }, bad[] = { 0.5, 0.6 };
	unsigned int flags;
	cf_metrics_options o = opts_default();

	ck_assert_int_eq(cf_log_loss(&v, &flags, y, p2, 2, NULL, 4, NULL), 0);
	assert_close(v, 0.21616187468057912);
	ck_assert_uint_eq(flags, 0);
	/* probabilities 0 and 1 exactly: clipped to [eps, 1 - eps] */
	ck_assert_int_eq(cf_log_loss(&v, &flags, y01, exact, 1, NULL, 2, NULL), 0);
	ck_assert_uint_eq(flags, CF_METRIC_CLIPPED);
	ck_assert(v > 0.0 && v < 1e-15);
	ck_assert_int_eq(cf_log_loss(&v, &flags, y01, wrong, 1, NULL, 2, NULL), 0);
	assert_close(v, -log(DBL_EPSILON));
	o.eps = 1e-15;
	ck_assert_int_eq(cf_log_loss(&v, &flags, y01, wrong, 1, NULL, 2, &o), 0);
	assert_close(v, (-log(1.0 - (1.0 - 1e-15)) - log(1e-15)) / 2.0); /* 1 - p of the clipped p, as scikit-learn */
	/* one label: an error unless both are given */
	ck_assert_int_eq(cf_log_loss(&v, NULL, ones, pr, 1, NULL, 3, NULL), CF_EINVAL);
	o = opts_default();
	o.labels = labels;
	o.labels_count = 2;
	ck_assert_int_eq(cf_log_loss(&v, NULL, ones, pr, 1, NULL, 3, &o), 0);
	assert_close(v, -(log(0.9) + log(0.8) + log(1.0 - DBL_EPSILON)) / 3.0);
	o.normalize = 0;
	ck_assert_int_eq(cf_log_loss(&v, NULL, ones, pr, 1, NULL, 3, &o), 0);
	assert_close(v, -(log(0.9) + log(0.8) + log(1.0 - DBL_EPSILON)));
	/* a row not summing to 1, a wrong column count, a probability out of range */
	ck_assert_int_eq(cf_log_loss(&v, NULL, y01, bad, 2, NULL, 1, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_log_loss(&v, NULL, y, p2, 3, NULL, 2, NULL), CF_EINVAL);
	{
		double neg[] = { -0.1, 0.5 };
		ck_assert_int_eq(cf_log_loss(&v, NULL, y01, neg, 1, NULL, 2, NULL), CF_EINVAL);
	}
}
END_TEST

START_TEST(test_brier)
{
	int64_t y[] = { 0, 1, 1, 0 };
	double p[] = { 0.1, 0.9, 0.8, 0.3 }, w[] = { 1, 1, 1, 0 }, v, out[] = { 0.1, 1.2, 0.8, 0.3 };
	cf_metrics_options o = opts_default();

	ck_assert_int_eq(cf_brier_score_loss(&v, y, p, NULL, 4, NULL), 0);
	assert_close(v, 0.0375);
	ck_assert_int_eq(cf_brier_score_loss(&v, y, p, w, 4, NULL), 0);
	assert_close(v, (0.01 + 0.01 + 0.04) / 3.0);
	o.pos_label = 0;
	ck_assert_int_eq(cf_brier_score_loss(&v, y, p, NULL, 4, &o), 0);
	assert_close(v, (0.81 + 0.81 + 0.64 + 0.49) / 4.0);
	ck_assert_int_eq(cf_brier_score_loss(&v, y, out, NULL, 4, NULL), CF_EINVAL);
}
END_TEST

START_TEST(test_calibration)
{
	int64_t y[] = { 0, 0, 0, 0, 1, 1, 1, 1, 1 };
	double p[] = { 0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0 }, v;
	double pt[] = { 0.0, 0.5, 1.0 }, pp[] = { 0.2, 0.525, 0.85 };
	cf_curve c = CF_CURVE_INIT;
	cf_metrics_options o = opts_default();
	unsigned int flags;
	size_t i;

	o.n_bins = 3;
	ck_assert_int_eq(cf_calibration_curve(&c, &flags, y, p, NULL, 9, &o), 0);
	ck_assert_uint_eq(c.size, 3);
	ck_assert_uint_eq(c.thresholds_size, 4);
	for (i = 0; i < 3; i++) {
		assert_close(c.x[i], pt[i]);
		assert_close(c.y[i], pp[i]);
	}
	assert_close(c.counts[0], 3.0);
	ck_assert_uint_eq(flags, 0);
	ck_assert_int_eq(cf_expected_calibration_error(&v, NULL, y, p, NULL, 9, &o), 0);
	assert_close(v, 1.25 / 9.0);
	/* values on inner edges go to the lower bin: 0.2 and 0.4 with 5 bins; bins 2..4 empty */
	{
		int64_t ye[] = { 0, 1, 1 };
		double pe[] = { 0.2, 0.2, 0.4 };
		o.n_bins = 5;
		ck_assert_int_eq(cf_calibration_curve(&c, &flags, ye, pe, NULL, 3, &o), 0);
		ck_assert_uint_eq(c.size, 2);
		assert_close(c.x[0], 0.5);
		assert_close(c.y[0], 0.2);
		assert_close(c.x[1], 1.0);
		assert_close(c.counts[1], 1.0);
		ck_assert_uint_eq(flags, CF_METRIC_EMPTY_BINS);
	}
	/* quantile edges (numpy linear percentiles): 3 bins over 9 values */
	o.n_bins = 3;
	o.strategy = CF_CALIBRATION_QUANTILE;
	ck_assert_int_eq(cf_calibration_curve(&c, &flags, y, p, NULL, 9, &o), 0);
	assert_close(c.thresholds[0], 0.1);
	assert_close(c.thresholds[3], 1.0);
	ck_assert_uint_eq(c.size, 3);
	assert_close(c.counts[0] + c.counts[1] + c.counts[2], 9.0);
	cf_curve_dispose(&c);
	/* three labels, probabilities outside [0, 1] */
	{
		int64_t y3[] = { 0, 1, 2 };
		double p3[] = { 0.1, 0.2, 0.3 }, p4[] = { 0.1, 1.5, 0.3 };
		ck_assert_int_eq(cf_calibration_curve(&c, NULL, y3, p3, NULL, 3, NULL), CF_EINVAL);
		ck_assert_int_eq(cf_calibration_curve(&c, NULL, y, p4, NULL, 3, NULL), CF_EINVAL);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("metrics");
	TCase *core = tcase_create("Options and bad input");
	TCase *rank = tcase_create("Ranking metrics");
	TCase *label = tcase_create("Label metrics");
	TCase *prob = tcase_create("Probabilistic metrics");

	tcase_add_test(core, test_options);
	tcase_add_test(core, test_bad_input);
	tcase_add_test(rank, test_roc_auc_basic);
	tcase_add_test(rank, test_roc_auc_ties);
	tcase_add_test(rank, test_roc_auc_one_class_and_weights);
	tcase_add_test(rank, test_roc_curve);
	tcase_add_test(rank, test_average_precision);
	tcase_add_test(rank, test_sort_path);
	tcase_add_test(label, test_confusion_matrix);
	tcase_add_test(label, test_accuracy_balanced_mcc);
	tcase_add_test(label, test_prf_multiclass);
	tcase_add_test(label, test_prf_binary);
	tcase_add_test(prob, test_log_loss);
	tcase_add_test(prob, test_brier);
	tcase_add_test(prob, test_calibration);
	suite_add_tcase(s, core);
	suite_add_tcase(s, rank);
	suite_add_tcase(s, label);
	suite_add_tcase(s, prob);
	return cf_check_run(s);
}
