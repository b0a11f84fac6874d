/**
 * @file cogniforge/fairness.h
 * @brief Group fairness of a binary classifier: per-group rates, disparities (fairlearn and AIF360 definitions)
 * and mergeable accumulators for scale-out.
 *
 * Rows carry a true label, a predicted label and/or a score, an optional weight, and one or more sensitive
 * features given as int32 codes into a dictionary of labels (the shape of a cf_table string column). Groups are
 * the labels of one feature or, for several features, the cartesian product of their labels (intersections;
 * an empty intersection is a group with count 0 whose rates are undefined, like fairlearn's NaN rows).
 *
 * A cf_fairness accumulates weighted confusion counts per intersection cell (and, when scores are given, a
 * binned score histogram per cell) in one pass with no per-row allocation. Accumulators of shards merge
 * exactly (counts equal a single pass; weight sums up to floating-point rounding) and serialise to msgpack
 * (docs/formats.md, "Fairness accumulator"). A cf_fairness_report is the per-group table for one grouping
 * (any subset of the features, marginalised from the cells), from which differences, ratios, equalized odds,
 * disparate impact and average odds are computed.
 *
 * Undefined values are never silently 0: a rate whose denominator is zero is NaN and carries a
 * cf_fairness_undefined reason (fairlearn returns 0.0 for a group without positives; see docs/fairness.md).
 * Groups below cf_fairness_options.min_group_size are reported but left out of every disparity.
 */
#ifndef COGNIFORGE_FAIRNESS_H
#define COGNIFORGE_FAIRNESS_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/types.h"

CF_BEGIN_DECL

/* The handles cf_fairness (the accumulator) and cf_fairness_report are declared in types.h. */

/** Per-group metrics. Names (cf_fairness_metric_name) are fairlearn's. Values are stable. */
typedef enum cf_fairness_metric {
	CF_FAIRNESS_SELECTION_RATE = 0, /**< Σw[ŷ=1] / Σw */
	CF_FAIRNESS_TPR = 1,            /**< true positive rate (recall): TP / (TP + FN) */
	CF_FAIRNESS_FPR = 2,            /**< false positive rate: FP / (FP + TN) */
	CF_FAIRNESS_FNR = 3,            /**< false negative rate: FN / (TP + FN) */
	CF_FAIRNESS_TNR = 4,            /**< true negative rate (specificity): TN / (FP + TN) */
	CF_FAIRNESS_PPV = 5,            /**< positive predictive value (precision): TP / (TP + FP) */
	CF_FAIRNESS_NPV = 6,            /**< negative predictive value: TN / (TN + FN) */
	CF_FAIRNESS_ACCURACY = 7,       /**< (TP + TN) / Σw */
	CF_FAIRNESS_AUC = 8,            /**< ROC AUC of the scores (sklearn tie semantics); needs scores */
	CF_FAIRNESS_COUNT = 9           /**< rows, unweighted (fairlearn's `count`) */
} cf_fairness_metric;

/** Number of cf_fairness_metric values. */
#define CF_FAIRNESS_NUM_METRICS 10

/** Why a value is NaN. Values are stable. */
typedef enum cf_fairness_undefined {
	CF_FAIRNESS_DEFINED = 0,                /**< the value is defined */
	CF_FAIRNESS_EMPTY_GROUP = 1,            /**< the group has no rows (an empty intersection) or zero weight */
	CF_FAIRNESS_NO_POSITIVES = 2,           /**< no actual positives (TPR, FNR; AUC) */
	CF_FAIRNESS_NO_NEGATIVES = 3,           /**< no actual negatives (FPR, TNR; AUC) */
	CF_FAIRNESS_NO_PREDICTED_POSITIVES = 4, /**< nothing predicted positive (PPV) */
	CF_FAIRNESS_NO_PREDICTED_NEGATIVES = 5, /**< nothing predicted negative (NPV) */
	CF_FAIRNESS_NO_SCORES = 6,              /**< AUC without a score for every row */
	CF_FAIRNESS_ZERO_DIVISOR = 7,           /**< a ratio's denominator (group maximum, overall or privileged value)
	                                             is 0 */
	CF_FAIRNESS_TOO_FEW_GROUPS = 8          /**< a disparity has fewer than two groups (one for to_overall and the
	                                             privileged comparisons) with a defined value at or above the
	                                             minimum group size */
} cf_fairness_undefined;

/** How groups are compared (fairlearn's `method`). */
typedef enum cf_fairness_method {
	CF_FAIRNESS_BETWEEN_GROUPS = 0, /**< difference: max - min; ratio: min / max */
	CF_FAIRNESS_TO_OVERALL = 1      /**< difference: max |m_g - overall|; ratio: min of m_g/overall folded to <= 1 */
} cf_fairness_method;

/** How equalized odds combines its TPR and FPR parts (fairlearn's `agg`). */
typedef enum cf_fairness_agg {
	CF_FAIRNESS_WORST_CASE = 0, /**< larger difference / smaller ratio */
	CF_FAIRNESS_MEAN = 1        /**< mean of the two */
} cf_fairness_agg;

/** The four-fifths rule threshold on disparate impact (US EEOC Uniform Guidelines, 1978). */
#define CF_FAIRNESS_FOUR_FIFTHS 0.8

/** "No group" in cf_fairness_disparity; also the group index that selects the overall row. */
#define CF_FAIRNESS_OVERALL ((size_t)-1)

#define CF_FAIRNESS_OPTIONS_VERSION 1

/** Options of an accumulator (and of cf_fairness_evaluate()). Start from CF_FAIRNESS_OPTIONS_INIT. */
typedef struct cf_fairness_options {
	unsigned int version;    /**< CF_FAIRNESS_OPTIONS_VERSION */
	uint64_t min_group_size; /**< groups with fewer rows are reported (flag `excluded`) but left out of every
	                              disparity; default 0 (none excluded) */
	double threshold;        /**< when y_pred is NULL, ŷ = 1 for score >= threshold; default 0.5 */
	unsigned int auc_bins;   /**< score histogram bins per cell, 0 to 1,048,576 (0: no histogram, AUC
	                              undefined in accumulator reports); default 1024 */
	double score_min;        /**< histogram range [score_min, score_max]: equal-width bins; scores outside fall
	                              into the end bins (the error bound still holds); default 0 */
	double score_max;        /**< default 1 */
} cf_fairness_options;

#define CF_FAIRNESS_OPTIONS_INIT { CF_FAIRNESS_OPTIONS_VERSION, 0, 0.5, 1024, 0.0, 1.0 }

/** Fill `opts` with the defaults (same as CF_FAIRNESS_OPTIONS_INIT). @return 0 or CF_EVERSION */
CF_API int cf_fairness_options_init(cf_fairness_options *opts, unsigned int version);

/** One sensitive feature of a chunk: codes into a dictionary of labels (a cf_table string column). */
typedef struct cf_fairness_feature {
	const char *name;          /**< feature name, UTF-8, non-empty */
	const int32_t *codes;      /**< `length` codes in [0, num_labels); a negative code (null) is rejected */
	const char *const *labels; /**< num_labels UTF-8 labels; duplicates mean the same group */
	size_t num_labels;
} cf_fairness_feature;

/** A chunk of rows. Arrays are read during the call only. */
typedef struct cf_fairness_data {
	size_t length;                        /**< rows */
	const uint8_t *y_true;                /**< true labels: 0 negative, anything else positive; required */
	const uint8_t *y_pred;                /**< predicted labels (0 / non-zero), or NULL to threshold `scores` */
	const double *scores;                 /**< scores (higher = more positive), or NULL; NaN is rejected */
	const double *weights;                /**< sample weights (finite, >= 0), or NULL for 1 each */
	const cf_fairness_feature *features;  /**< the sensitive features, at least one */
	size_t num_features;
} cf_fairness_data;

/**
 * Create an empty accumulator for the named sensitive features. Labels are learnt from the chunks'
 * dictionaries (a label is kept once, by its bytes, whatever its code in a chunk).
 * @param[out] out the accumulator, owned by the caller; free it with cf_fairness_free()
 * @param feature_names num_features distinct, non-empty names (at most 16 features)
 * @param opts options, or NULL for the defaults
 * @return 0; CF_EINVAL (bad names or options, named); CF_EVERSION; CF_ENOMEM
 */
CF_API int cf_fairness_create(cf_fairness **out, cf_context *ctx, const char *const *feature_names,
	size_t num_features, const cf_fairness_options *opts);

/** Free an accumulator. NULL is a no-op. */
CF_API void cf_fairness_free(cf_fairness *acc);

/**
 * Add a chunk. `data->features` must name the accumulator's features in the same order. The chunk is checked
 * before anything is added, so a rejected chunk changes nothing.
 * @return 0; CF_EINVAL (features differ, a code out of range naming feature and row, a NaN score, a
 *   negative or non-finite weight, missing y_pred and scores, too many intersection cells); CF_ENOMEM
 */
CF_API int cf_fairness_update(cf_fairness *acc, const cf_fairness_data *data);

/**
 * Merge `src` into `dst`, as if dst had also seen src's rows: labels are united, counts added. Options must
 * agree on auc_bins, score_min and score_max (min_group_size and threshold are taken from dst).
 * @return 0; CF_EINVAL (different features or histogram options, named); CF_ENOMEM (dst partly merged)
 */
CF_API int cf_fairness_merge(cf_fairness *dst, const cf_fairness *src);

/** Serialise to msgpack (docs/formats.md), appended to `out`. Labels are written sorted, so two accumulators
 * with equal contents give equal bytes whatever order they saw labels in. */
CF_API int cf_fairness_to_msgpack(cf_buf *out, const cf_fairness *acc);

/**
 * Deserialise from msgpack. The reader is bounds-checked and allocates no more than a small multiple of `len`.
 * @return 0; CF_EFORMAT (malformed or truncated input, with field and byte offset); CF_EVERSION (newer format)
 */
CF_API int cf_fairness_from_msgpack(cf_fairness **out, cf_context *ctx, const void *data, size_t len);

/** Rows added. */
CF_API uint64_t cf_fairness_num_rows(const cf_fairness *acc);

/**
 * The per-group table of a grouping: the cartesian product of the labels (sorted by bytes; labels without rows
 * are left out) of the named features, in the order given (first feature varying slowest).
 * @param[out] out the report, owned by the caller; free it with cf_fairness_report_free()
 * @param features names of the features to group by, or NULL (with num_features 0) for all of them
 * @return 0; CF_ENOTFOUND (an unknown feature, named); CF_EINVAL (a feature named twice); CF_ENOMEM
 */
CF_API int cf_fairness_report_create(cf_fairness_report **out, const cf_fairness *acc,
	const char *const *features, size_t num_features);

/**
 * One pass over a chunk and the report grouped by all its features (their intersection). Unlike an accumulator
 * report, the per-group ROC AUC is exact here (sorted scores, sklearn tie semantics; auc_error 0).
 * @param[out] out the report; free it with cf_fairness_report_free()
 * @param opts options, or NULL for the defaults
 * @return as cf_fairness_create() and cf_fairness_update()
 */
CF_API int cf_fairness_evaluate(cf_fairness_report **out, cf_context *ctx, const cf_fairness_data *data,
	const cf_fairness_options *opts);

/** Free a report. NULL is a no-op. */
CF_API void cf_fairness_report_free(cf_fairness_report *report);

/** Groups in the report (the product of the label counts, empty intersections included). */
CF_API size_t cf_fairness_report_num_groups(const cf_fairness_report *report);

/** Features the report groups by. */
CF_API size_t cf_fairness_report_num_features(const cf_fairness_report *report);

/** The name of grouping feature `index` (borrowed; lives as long as the report), or NULL when out of range. */
CF_API const char *cf_fairness_report_feature_name(const cf_fairness_report *report, size_t index);

/** A group's counts: a plain record whose pointers live as long as the report. */
typedef struct cf_fairness_group {
	const char *const *labels; /**< one label per grouping feature; NULL for the overall row */
	size_t num_labels;         /**< cf_fairness_report_num_features(); 0 for the overall row */
	uint64_t count;            /**< rows */
	uint64_t tp, fp, fn, tn;   /**< rows per confusion cell */
	double weight;             /**< Σ weights */
	double w_tp, w_fp, w_fn, w_tn; /**< weights per confusion cell */
	int excluded;              /**< 1 when count < min_group_size: reported, left out of disparities */
	double auc_error;          /**< bound on |AUC - exact AUC| for the histogram AUC (0 when exact); NaN when the
	                                AUC is undefined */
} cf_fairness_group;

/**
 * Describe a group.
 * @param group 0 .. num_groups-1, or CF_FAIRNESS_OVERALL for all rows
 * @return 0, or CF_EINVAL when out of range
 */
CF_API int cf_fairness_report_group(cf_fairness_group *out, const cf_fairness_report *report, size_t group);

/**
 * A metric of a group (or of all rows with CF_FAIRNESS_OVERALL).
 * @param[out] value_out the value, NaN when undefined
 * @param[out] reason_out why it is undefined (CF_FAIRNESS_DEFINED otherwise); may be NULL
 * @return 0, or CF_EINVAL (group or metric out of range)
 */
CF_API int cf_fairness_report_value(double *value_out, cf_fairness_undefined *reason_out,
	const cf_fairness_report *report, size_t group, cf_fairness_metric metric);

/** The result of a disparity: a value, or NaN and the reason, and which groups took part. */
typedef struct cf_fairness_disparity {
	double value;                 /**< NaN when undefined */
	cf_fairness_undefined reason; /**< CF_FAIRNESS_DEFINED, or why value is NaN */
	size_t groups_compared;       /**< groups whose value entered the result */
	size_t groups_undefined;      /**< groups left out because their value is undefined (NaN) */
	size_t groups_excluded;       /**< groups left out because count < min_group_size */
	size_t group_min;             /**< the group with the smallest value (between_groups) or the one furthest
	                                   below / with the smallest ratio to overall (to_overall);
	                                   CF_FAIRNESS_OVERALL when none */
	size_t group_max;             /**< the group with the largest value, or furthest above overall */
} cf_fairness_disparity;

/**
 * fairlearn's MetricFrame.difference(method): between_groups = max - min over the groups compared; to_overall =
 * max |m_g - overall|. Groups with an undefined value or below min_group_size are left out (and counted).
 * @return 0, or CF_EINVAL (bad metric or method)
 */
CF_API int cf_fairness_difference(cf_fairness_disparity *out, const cf_fairness_report *report,
	cf_fairness_metric metric, cf_fairness_method method);

/**
 * fairlearn's MetricFrame.ratio(method): between_groups = min / max; to_overall = min over groups of
 * m_g / overall, replaced by overall / m_g when above 1. A zero denominator gives NaN with
 * CF_FAIRNESS_ZERO_DIVISOR (fairlearn 0.9 raised ZeroDivisionError there).
 */
CF_API int cf_fairness_ratio(cf_fairness_disparity *out, const cf_fairness_report *report,
	cf_fairness_metric metric, cf_fairness_method method);

/** The smallest (`largest` = 0) or largest value over the groups compared (fairlearn group_min / group_max). */
CF_API int cf_fairness_group_extreme(cf_fairness_disparity *out, const cf_fairness_report *report,
	cf_fairness_metric metric, int largest);

/**
 * Equalized odds: the TPR and FPR differences (`ratio` = 0) or ratios (`ratio` = 1) combined by `agg`:
 * worst case = larger difference / smaller ratio, mean = their average. NaN when either part is undefined.
 * group_min / group_max are those of the part that decided (worst case) or of the TPR part (mean).
 */
CF_API int cf_fairness_equalized_odds(cf_fairness_disparity *out, const cf_fairness_report *report,
	cf_fairness_method method, cf_fairness_agg agg, int ratio);

/**
 * AIF360's comparison of the unprivileged rows with a privileged group: f(unprivileged) - f(privileged)
 * (`ratio` = 0) or f(unprivileged) / f(privileged) (`ratio` = 1), signed. The unprivileged rows are all rows of
 * the other groups at or above min_group_size, pooled (AIF360's `prot_attr != priv_group`). Disparate impact is
 * this ratio of CF_FAIRNESS_SELECTION_RATE (the four-fifths rule flags values below CF_FAIRNESS_FOUR_FIFTHS);
 * statistical parity difference the difference; equal opportunity difference that of CF_FAIRNESS_TPR.
 * group_min = group_max = `privileged`.
 * @return 0, or CF_EINVAL (bad metric or group)
 */
CF_API int cf_fairness_privileged(cf_fairness_disparity *out, const cf_fairness_report *report,
	cf_fairness_metric metric, size_t privileged, int ratio);

/** AIF360 average odds difference: ½[(FPR_u - FPR_p) + (TPR_u - TPR_p)], pooled as in cf_fairness_privileged(). */
CF_API int cf_fairness_average_odds_difference(cf_fairness_disparity *out, const cf_fairness_report *report,
	size_t privileged);

/**
 * Render the report as JSON, appended to `out`: features, min_group_size, overall and groups (labels, counts,
 * weights, excluded, every metric with null + "undefined": {metric: reason} for NaN values, auc_error), and the
 * disparity summary (demographic parity, equalized odds, equal opportunity, predictive parity differences and
 * ratios for both methods, equalized odds means).
 */
CF_API int cf_fairness_report_to_json(cf_buf *out, const cf_fairness_report *report);

/** fairlearn's name of a metric ("selection_rate", "true_positive_rate", ...); "unknown" otherwise. */
CF_API const char *cf_fairness_metric_name(cf_fairness_metric metric);

/**
 * Parse a metric name: the names above, plus "tpr", "fpr", "fnr", "tnr", "ppv", "npv", "recall",
 * "recall_score", "precision", "precision_score", "accuracy", "accuracy_score", "auc", "roc_auc",
 * "roc_auc_score", "specificity", "sensitivity".
 * @return 0, or CF_EINVAL naming the unknown metric
 */
CF_API int cf_fairness_metric_from_name(cf_fairness_metric *out, const char *name);

/** A short name for a reason ("empty group", "no positives", ...); "unknown" otherwise. */
CF_API const char *cf_fairness_undefined_name(cf_fairness_undefined reason);

CF_END_DECL

#endif /* COGNIFORGE_FAIRNESS_H */
