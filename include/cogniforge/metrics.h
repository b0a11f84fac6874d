/**
 * @file cogniforge/metrics.h
 * @brief Evaluation metrics for classifiers, number for number with scikit-learn.
 *
 * Confusion matrix; accuracy and balanced accuracy; precision, recall, F1 and F-beta (binary, micro, macro,
 * weighted, and per label) with `zero_division`; Matthews correlation; binary ROC AUC (exact, ties counted
 * one half, optional McClish `max_fpr`), ROC curve; precision-recall curve and step-wise average precision;
 * log loss (clipped as scikit-learn); Brier score; calibration curve and expected calibration error.
 * Definitions, tie rules and the few differences from scikit-learn are in docs/metrics.md.
 *
 * Conventions of every function here:
 *   - Labels are `int64_t` codes (bindings map strings and other labels to codes). Scores and probabilities
 *     are `double`; the ranking functions also take `float` scores without a copy (cf_score_type).
 *   - `sample_weight` may be NULL (every row weighs 1). Weights must be finite and >= 0 (else CF_EINVAL); a
 *     row of weight 0 is ignored everywhere, as scikit-learn does for the ranking curves. Sums are doubles
 *     (exact for integer counts up to 2^53), never float32.
 *   - `n` == 0 (empty input) fails with CF_EINVAL. NaN scores or probabilities fail with CF_EINVAL.
 *   - A result that is undefined (no positives, a zero denominator) is still returned, as NaN or as
 *     `zero_division`, and the reason is reported in `*flags_out` (a cf_metric_flag bit mask; pass NULL when
 *     not wanted). The flags are never the only failure channel: a caller bug is a negative return code.
 *   - Functions keep no pointer to the caller's arrays after they return, allocate scratch memory with the C
 *     library allocator, and are thread-safe (they share no state).
 */
#ifndef COGNIFORGE_METRICS_H
#define COGNIFORGE_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/types.h"

CF_BEGIN_DECL

/** Why a returned value is undefined or was adjusted: OR-ed into `*flags_out`. */
typedef enum cf_metric_flag {
	CF_METRIC_OK = 0,
	/** y_true has no positive row (of non-zero weight): recall/TPR, ROC AUC, average precision undefined */
	CF_METRIC_UNDEFINED_NO_POSITIVES = (1u << 0),
	/** y_true has no negative row: FPR and ROC AUC undefined */
	CF_METRIC_UNDEFINED_NO_NEGATIVES = (1u << 1),
	/** precision of some label is 0/0 (nothing predicted as it): `zero_division` was used */
	CF_METRIC_UNDEFINED_PRECISION = (1u << 2),
	/** recall of some label is 0/0 (label absent from y_true): `zero_division` (or NaN) was used */
	CF_METRIC_UNDEFINED_RECALL = (1u << 3),
	/** F-score of some label is 0/0 (tp + fp + fn = 0): `zero_division` was used */
	CF_METRIC_UNDEFINED_FSCORE = (1u << 4),
	/** another denominator was 0 (MCC with a constant y_true or y_pred, a weighted average with zero total
	    support, a confusion-matrix row or column normalised over zero): see each function */
	CF_METRIC_UNDEFINED_ZERO_DIVISION = (1u << 5),
	/** log loss: some probability was clipped to [eps, 1 - eps] (informational) */
	CF_METRIC_CLIPPED = (1u << 6),
	/** calibration: some bins were empty and left out (informational) */
	CF_METRIC_EMPTY_BINS = (1u << 7)
} cf_metric_flag;

/** How per-label precision / recall / F are combined (scikit-learn `average`). */
typedef enum cf_average {
	CF_AVERAGE_BINARY = 0,  /**< only `pos_label`; at most two distinct labels in y_true and y_pred */
	CF_AVERAGE_MICRO = 1,   /**< sum tp, fp, fn over the labels first */
	CF_AVERAGE_MACRO = 2,   /**< unweighted mean over the labels */
	CF_AVERAGE_WEIGHTED = 3 /**< mean weighted by support (the weight of each label in y_true) */
} cf_average;

/** Confusion-matrix normalisation (scikit-learn `normalize`). */
typedef enum cf_normalize {
	CF_NORMALIZE_NONE = 0, /**< (weighted) counts */
	CF_NORMALIZE_TRUE = 1, /**< each row (true label) sums to 1 */
	CF_NORMALIZE_PRED = 2, /**< each column (predicted label) sums to 1 */
	CF_NORMALIZE_ALL = 3   /**< the whole matrix sums to 1 */
} cf_normalize;

/** Calibration bin edges (scikit-learn `strategy`). */
typedef enum cf_calibration_strategy {
	CF_CALIBRATION_UNIFORM = 0, /**< n_bins equal-width bins over [0, 1] */
	CF_CALIBRATION_QUANTILE = 1 /**< edges at the (unweighted, numpy-linear) quantiles of y_prob */
} cf_calibration_strategy;

/** Element type of a score array passed as `const void *`. */
typedef enum cf_score_type {
	CF_SCORE_FLOAT64 = 0, /**< double */
	CF_SCORE_FLOAT32 = 1  /**< float: read in place, widened exactly to double per element */
} cf_score_type;

#define CF_METRICS_OPTIONS_VERSION 1

/** Options of every metric; each function reads only the fields it names. Start from CF_METRICS_OPTIONS_INIT. */
typedef struct cf_metrics_options {
	unsigned int version;        /**< CF_METRICS_OPTIONS_VERSION */
	cf_average average;          /**< precision/recall/F: default CF_AVERAGE_BINARY */
	int64_t pos_label;           /**< the positive class (binary metrics, curves, Brier, calibration); default 1 */
	const int64_t *labels;       /**< the labels to report, in this order (confusion matrix rows, per-label
	                                  results, averages, log-loss columns when sorted); NULL: the sorted
	                                  distinct labels of y_true and y_pred (log loss: of y_true). Labels absent
	                                  from the data are allowed (support 0). No duplicates. */
	size_t labels_count;         /**< entries in `labels` */
	double zero_division;        /**< value of a 0/0 precision, recall or F (0.0, 1.0, or NaN: left out of
	                                  averages); default 0.0. scikit-learn's "warn" is 0.0 plus the flag. */
	double beta;                 /**< F-beta's beta >= 0 (INFINITY gives recall); default 1 */
	int normalize;               /**< accuracy: fraction (1) or weighted count (0); log loss: mean (1) or sum (0);
	                                  default 1 */
	cf_normalize cm_normalize;   /**< confusion matrix: default CF_NORMALIZE_NONE */
	int adjusted;                /**< balanced accuracy: rescale so that chance scores 0; default 0 */
	double max_fpr;              /**< ROC AUC: standardised partial AUC up to this FPR, in (0, 1]; default 1
	                                  (the full area) */
	int drop_intermediate;       /**< ROC curve: drop collinear points (area unchanged); default 1 */
	size_t n_bins;               /**< calibration: bins >= 1; default 5 */
	cf_calibration_strategy strategy; /**< calibration: default CF_CALIBRATION_UNIFORM */
	double eps;                  /**< log loss: clip probabilities to [eps, 1 - eps]; 0 (default) means
	                                  DBL_EPSILON, scikit-learn's "auto" for float64 */
} cf_metrics_options;

#define CF_METRICS_OPTIONS_INIT { CF_METRICS_OPTIONS_VERSION, CF_AVERAGE_BINARY, 1, NULL, 0, 0.0, 1.0, 1, \
	CF_NORMALIZE_NONE, 0, 1.0, 1, 5, CF_CALIBRATION_UNIFORM, 0.0 }

/** Fill `opts` with the defaults (same as CF_METRICS_OPTIONS_INIT). @return 0, CF_EINVAL or CF_EVERSION */
CF_API int cf_metrics_options_init(cf_metrics_options *opts, unsigned int version);

/**
 * A curve the library fills and the caller owns (like cf_buf): arrays allocated with the C library allocator,
 * released with cf_curve_dispose(), never free(). Start from CF_CURVE_INIT; a curve passed in non-empty is
 * disposed first.
 *
 * | function                    | x          | y        | thresholds (thresholds_size)        | counts           |
 * |-----------------------------|------------|----------|-------------------------------------|------------------|
 * | cf_roc_curve                | fpr        | tpr      | decreasing, [0] = +INFINITY (size)  | NULL             |
 * | cf_precision_recall_curve   | precision  | recall   | increasing (size - 1)               | NULL             |
 * | cf_calibration_curve        | prob_true  | prob_pred| the n_bins + 1 bin edges            | weight per bin   |
 */
typedef struct cf_curve {
	double *x;
	double *y;
	double *thresholds;
	double *counts;
	size_t size;            /**< points in x, y (and counts) */
	size_t thresholds_size; /**< entries in thresholds */
} cf_curve;

#define CF_CURVE_INIT { NULL, NULL, NULL, NULL, 0, 0 }

/** Free a curve's arrays and reset it to empty. NULL, or an empty curve, is a no-op. */
CF_API void cf_curve_dispose(cf_curve *curve);

/* ---- labels and the confusion matrix ------------------------------------------------------------------ */

/**
 * The labels the classification metrics use when `opts->labels` is NULL: the sorted distinct values of
 * y_true and y_pred (y_pred may be NULL: y_true only). With `opts->labels` set, those (checked for duplicates).
 * Size query: pass `out` NULL (or `out_len` too small) to learn the count; the call then still succeeds when
 * `out` is NULL, and fails with CF_EINVAL when `out` is non-NULL and too small.
 * @param[out] out the labels (may be NULL)
 * @param out_len entries `out` can hold
 * @param[out] count_out how many labels there are
 * @return 0 or CF_EINVAL
 */
CF_API int cf_metrics_labels(int64_t *out, size_t out_len, size_t *count_out, const int64_t *y_true,
	const int64_t *y_pred, size_t n, const cf_metrics_options *opts);

/**
 * Confusion matrix C (K x K, row-major): C[i][j] = weight of rows with true label labels[i] predicted as
 * labels[j], the labels being cf_metrics_labels()'s. Rows whose true or predicted label is not among the
 * labels are ignored. `opts->cm_normalize` divides by row, column or total sums; a zero sum leaves zeros (as
 * scikit-learn's nan_to_num does), flagged CF_METRIC_UNDEFINED_ZERO_DIVISION. CF_EINVAL when none of the
 * labels occurs in y_true (scikit-learn raises).
 * @param[out] out K*K doubles
 * @param out_len entries `out` can hold (CF_EINVAL when < K*K)
 * @param[out] flags_out cf_metric_flag bits, or NULL
 */
CF_API int cf_confusion_matrix(double *out, size_t out_len, unsigned int *flags_out, const int64_t *y_true,
	const int64_t *y_pred, const double *sample_weight, size_t n, const cf_metrics_options *opts);

/* ---- label metrics ------------------------------------------------------------------------------------ */

/** Accuracy: weighted fraction (opts->normalize, default) or weighted count of rows with y_pred == y_true. */
CF_API int cf_accuracy_score(double *out, const int64_t *y_true, const int64_t *y_pred,
	const double *sample_weight, size_t n, const cf_metrics_options *opts);

/**
 * Balanced accuracy: the mean over labels present in y_true of their recall (labels only in y_pred are
 * ignored, with CF_METRIC_UNDEFINED_RECALL, as scikit-learn warns). `opts->adjusted` maps chance to 0:
 * (score - 1/K) / (1 - 1/K).
 */
CF_API int cf_balanced_accuracy_score(double *out, unsigned int *flags_out, const int64_t *y_true,
	const int64_t *y_pred, const double *sample_weight, size_t n, const cf_metrics_options *opts);

/**
 * Precision, recall and F-beta (beta = opts->beta), averaged by opts->average over opts->labels (default:
 * all labels). F comes from the counts: (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp). Undefined per-label
 * values take opts->zero_division (a NaN one is left out of macro and weighted averages), flagged. With
 * CF_AVERAGE_BINARY, y_true and y_pred may hold at most two distinct labels and pos_label must be one of them
 * when there are two (else CF_EINVAL, as scikit-learn raises). Any output pointer may be NULL.
 */
CF_API int cf_precision_recall_fscore(double *precision_out, double *recall_out, double *fscore_out,
	unsigned int *flags_out, const int64_t *y_true, const int64_t *y_pred, const double *sample_weight, size_t n,
	const cf_metrics_options *opts);

/**
 * Per-label precision, recall, F-beta and support (scikit-learn `average=None`), for the K labels of
 * cf_metrics_labels(), in that order. Every array holds `out_len` >= K entries (CF_EINVAL otherwise); any
 * may be NULL. `label_flags_out`, when not NULL, gets each label's cf_metric_flag bits.
 */
CF_API int cf_precision_recall_fscore_support(double *precision_out, double *recall_out, double *fscore_out,
	double *support_out, unsigned int *label_flags_out, size_t out_len, unsigned int *flags_out,
	const int64_t *y_true, const int64_t *y_pred, const double *sample_weight, size_t n,
	const cf_metrics_options *opts);

/**
 * Matthews correlation coefficient (multiclass form, Gorodkin 2004). A zero denominator (constant y_true or
 * y_pred) gives 0.0 as scikit-learn does, flagged CF_METRIC_UNDEFINED_ZERO_DIVISION.
 */
CF_API int cf_matthews_corrcoef(double *out, unsigned int *flags_out, const int64_t *y_true,
	const int64_t *y_pred, const double *sample_weight, size_t n);

/* ---- ranking metrics (binary: positive = y_true == opts->pos_label) ---------------------------------- */

/**
 * Binary ROC AUC = P(score_pos > score_neg) + 0.5 P(equal), weighted: the trapezoid area under the tie-
 * collapsed ROC curve. opts->max_fpr < 1 gives the McClish-standardised partial AUC. No positives or no
 * negatives gives NaN with CF_METRIC_UNDEFINED_NO_POSITIVES / _NO_NEGATIVES. y_score is `n` elements of
 * `score_type`. Runs in O(n) with a hash of distinct scores when there are few, else an O(n) radix sort;
 * extra memory is at most 16 bytes per row unweighted (32 weighted).
 */
CF_API int cf_roc_auc_score(double *out, unsigned int *flags_out, const int64_t *y_true, const void *y_score,
	cf_score_type score_type, const double *sample_weight, size_t n, const cf_metrics_options *opts);

/**
 * ROC curve: x = FPR, y = TPR, thresholds decreasing, one point per distinct score plus a first point
 * (0, 0) at +INFINITY; opts->drop_intermediate drops collinear points. FPR (TPR) is all NaN without negatives
 * (positives), flagged.
 * @param[out] out the curve, owned by the caller (cf_curve_dispose())
 */
CF_API int cf_roc_curve(cf_curve *out, unsigned int *flags_out, const int64_t *y_true, const void *y_score,
	cf_score_type score_type, const double *sample_weight, size_t n, const cf_metrics_options *opts);

/**
 * Average precision: sum over thresholds of (R_k - R_{k-1}) P_k (the step sum, not the trapezoid). Without
 * positives it is 0 (scikit-learn sets recall to 1 everywhere), flagged CF_METRIC_UNDEFINED_NO_POSITIVES.
 */
CF_API int cf_average_precision_score(double *out, unsigned int *flags_out, const int64_t *y_true,
	const void *y_score, cf_score_type score_type, const double *sample_weight, size_t n,
	const cf_metrics_options *opts);

/**
 * Precision-recall curve as scikit-learn: x = precision, y = recall, from the lowest threshold up, then a
 * last point (1, 0); thresholds increasing (size - 1 of them). Precision is 0 where nothing is predicted
 * positive; recall is 1 everywhere without positives (flagged).
 * @param[out] out the curve, owned by the caller (cf_curve_dispose())
 */
CF_API int cf_precision_recall_curve(cf_curve *out, unsigned int *flags_out, const int64_t *y_true,
	const void *y_score, cf_score_type score_type, const double *sample_weight, size_t n,
	const cf_metrics_options *opts);

/* ---- probabilistic metrics ---------------------------------------------------------------------------- */

/**
 * Log loss (cross-entropy, natural log): -sum_i w_i ln p_i[y_i] / sum_i w_i (opts->normalize = 0: not
 * divided). y_prob is n x n_classes, row-major; column k is the k-th label (opts->labels, sorted, or the sorted
 * distinct labels of y_true). n_classes == 1 means the probability of the larger of exactly two labels.
 * Probabilities are clipped to [eps, 1 - eps] (CF_METRIC_CLIPPED). CF_EINVAL: fewer than two labels, a
 * y_true label not among them, n_classes not matching, a probability outside [0, 1], or a row not summing to
 * 1 (relative tolerance sqrt(eps)).
 */
CF_API int cf_log_loss(double *out, unsigned int *flags_out, const int64_t *y_true, const double *y_prob,
	size_t n_classes, const double *sample_weight, size_t n, const cf_metrics_options *opts);

/**
 * Brier score (binary): sum_i w_i (p_i - [y_i == pos_label])^2 / sum_i w_i. CF_EINVAL for more than two
 * distinct labels in y_true or probabilities outside [0, 1].
 */
CF_API int cf_brier_score_loss(double *out, const int64_t *y_true, const double *y_prob,
	const double *sample_weight, size_t n, const cf_metrics_options *opts);

/**
 * Calibration curve (binary) as scikit-learn's calibration_curve: opts->n_bins bins (opts->strategy), a
 * value on an inner edge goes to the lower bin; per non-empty bin x = prob_true (weighted share of positives),
 * y = prob_pred (weighted mean probability), counts = total weight; thresholds = the n_bins + 1 edges.
 * CF_EINVAL for more than two labels or probabilities outside [0, 1].
 * @param[out] out the curve, owned by the caller (cf_curve_dispose())
 */
CF_API int cf_calibration_curve(cf_curve *out, unsigned int *flags_out, const int64_t *y_true,
	const double *y_prob, const double *sample_weight, size_t n, const cf_metrics_options *opts);

/**
 * Expected calibration error over the bins of cf_calibration_curve():
 * sum_b (W_b / W) |prob_true_b - prob_pred_b|.
 */
CF_API int cf_expected_calibration_error(double *out, unsigned int *flags_out, const int64_t *y_true,
	const double *y_prob, const double *sample_weight, size_t n, const cf_metrics_options *opts);

CF_END_DECL

#endif /* COGNIFORGE_METRICS_H */
