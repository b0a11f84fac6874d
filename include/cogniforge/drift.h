/**
 * @file cogniforge/drift.h
 * @brief Data drift: per-feature two-sample tests and distances with Evidently's defaults, a dataset-level
 * share of drifted features, and a mergeable reference profile (msgpack) that replaces the training data.
 *
 * Three layers:
 *  - pure array functions that match scipy / Evidently (cf_drift_ks(), cf_drift_wasserstein_norm(),
 *    cf_drift_psi(), cf_drift_jensen_shannon(), cf_drift_chisquare(), cf_drift_ztest());
 *  - cf_drift_detect(): one column, with Evidently's default test choice (by reference size, column kind and
 *    the number of distinct values over both samples), configurable threshold and method override;
 *  - cf_drift_profile: per-column summaries of a reference table (exact value counts, or a KLL quantile sketch
 *    for numeric columns with many distinct values), mergeable and serialisable, and cf_drift_compare(), which
 *    tests a current table against it and reports the share of drifted columns.
 *
 * Missing values: NaN (and, in cf_drift_detect() and profiles, also +/-infinity, as Evidently replaces them by
 * NaN) are dropped before any test, like Evidently's `dropna()`. A sample left empty gives CF_EINVAL.
 * See docs/drift.md for definitions, the Evidently correspondence and what is exact from a profile.
 *
 * Threading: functions without an object are thread-safe; a profile or report is not (read-only use of a
 * finished profile from several threads is fine). Errors go to the thread-local record (cf_error_last()).
 */
#ifndef COGNIFORGE_DRIFT_H
#define COGNIFORGE_DRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/types.h"
#include "cogniforge/table.h"

CF_BEGIN_DECL

/* The handles cf_drift_profile and cf_drift_report are declared in types.h. */

/** Drift tests. The values are stable. Names (cf_drift_method_name()) are Evidently's stattest names. */
typedef enum cf_drift_method {
	CF_DRIFT_AUTO = 0,          /**< "auto": Evidently's default choice per column */
	CF_DRIFT_KS = 1,            /**< "ks": two-sample Kolmogorov-Smirnov p-value; drift if p <= threshold (0.05) */
	CF_DRIFT_CHISQUARE = 2,     /**< "chisquare": chi-square goodness of fit p-value; drift if p < threshold (0.05) */
	CF_DRIFT_ZTEST = 3,         /**< "z": two-proportion z-test p-value; drift if p < threshold (0.05) */
	CF_DRIFT_WASSERSTEIN = 4,   /**< "wasserstein": normed Wasserstein distance; drift if >= threshold (0.1) */
	CF_DRIFT_JENSENSHANNON = 5, /**< "jensenshannon": Jensen-Shannon distance; drift if >= threshold (0.1) */
	CF_DRIFT_PSI = 6            /**< "psi": population stability index; drift if >= threshold (0.1) */
} cf_drift_method;

/** The method's name ("auto", "ks", "chisquare", "z", "wasserstein", "jensenshannon", "psi"), or "unknown". */
CF_API const char *cf_drift_method_name(cf_drift_method method);

/**
 * Parse a method name: the names above, case-insensitive, plus "kolmogorov_smirnov", "chi2", "ztest",
 * "wasserstein_distance_norm", "jensen_shannon", "js".
 * @return 0, or CF_EINVAL naming the unknown method and listing the known ones
 */
CF_API int cf_drift_method_from_name(cf_drift_method *out, const char *name);

/** The default threshold of a method (0.05 for p-value tests, 0.1 for distances); NaN for AUTO/unknown. */
CF_API double cf_drift_method_default_threshold(cf_drift_method method);

/* ---- Pure array functions. NaN values are dropped; an empty sample (after dropping) is CF_EINVAL. ---- */

/**
 * Two-sample Kolmogorov-Smirnov test, as scipy.stats.ks_2samp(ref, cur) (two-sided, method='auto'): the exact
 * p-value when max(n_ref, n_cur) <= 10000, else the asymptotic one (see docs/drift.md for where the asymptotic
 * p-value differs from scipy's).
 * @param[out] stat_out the statistic D (may be NULL)
 * @param[out] p_out the p-value (may be NULL)
 */
CF_API int cf_drift_ks(double *stat_out, double *p_out, const double *ref, size_t n_ref, const double *cur,
	size_t n_cur);

/**
 * Evidently's normed Wasserstein distance: scipy.stats.wasserstein_distance(ref, cur) / max(std(ref), 0.001),
 * std with ddof 0.
 */
CF_API int cf_drift_wasserstein_norm(double *out, const double *ref, size_t n_ref, const double *cur,
	size_t n_cur);

/**
 * Population stability index with Evidently's binning: numeric samples with more than 20 distinct reference
 * values use numpy's "sturges" edges over both samples, others one bin per value (set `categorical` to force
 * that); empty bins are filled (0.0001, or min_nonzero / 1e6 when min_nonzero <= 0.0001).
 */
CF_API int cf_drift_psi(double *out, const double *ref, size_t n_ref, const double *cur, size_t n_cur,
	int categorical);

/** Jensen-Shannon distance with Evidently's binning (as cf_drift_psi(), without filling empty bins). */
CF_API int cf_drift_jensen_shannon(double *out, const double *ref, size_t n_ref, const double *cur,
	size_t n_cur, int categorical);

/**
 * scipy.spatial.distance.jensenshannon(p, q): both normalised to sum 1, natural log, the square root of the
 * divergence. Entries must be >= 0 and each vector must have a positive sum, else CF_EINVAL.
 */
CF_API int cf_drift_jensen_shannon_dist(double *out, const double *p, const double *q, size_t n);

/**
 * scipy.stats.chisquare(f_obs, f_exp): statistic sum((o - e)^2 / e) and p-value Q((k - 1) / 2, stat / 2), the
 * regularised upper incomplete gamma function. An expected count of 0 with a positive observed one gives an
 * infinite statistic and p = 0. k = 1 gives p = 1 (scipy gives NaN). Negative or NaN counts: CF_EINVAL.
 */
CF_API int cf_drift_chisquare(double *stat_out, double *p_out, const double *f_obs, const double *f_exp,
	size_t k);

/**
 * Evidently's pooled two-proportion z-test of the share of `ref_k` in `ref_n` against `cur_k` in `cur_n`,
 * two-sided: p = 2 (1 - Phi(|z|)). p = 1 when both samples hold a single, identical value (pooled share 0 or 1).
 * @return 0, or CF_EINVAL for a zero n or k > n
 */
CF_API int cf_drift_ztest(double *stat_out, double *p_out, uint64_t ref_k, uint64_t ref_n, uint64_t cur_k,
	uint64_t cur_n);

/** The regularised upper incomplete gamma function Q(a, x) (Cephes igamc); NaN for a <= 0 or x < 0. */
CF_API double cf_drift_igamc(double a, double x);

/* ---- Column-level detection and profiles ---- */

#define CF_DRIFT_OPTIONS_VERSION 1

/** Options for detection and profiles. Start from CF_DRIFT_OPTIONS_INIT. */
typedef struct cf_drift_options {
	unsigned int version;   /**< CF_DRIFT_OPTIONS_VERSION */
	cf_drift_method method; /**< CF_DRIFT_AUTO (default): Evidently's choice per column; else used for every column */
	double threshold;       /**< <= 0 (default 0): the method's default threshold */
	double drift_share;     /**< dataset drift when drifted columns / columns >= this; default 0.5 */
	size_t exact_max;       /**< profiles keep exact value counts of a numeric column while it has at most this
	                             many distinct values (32 to 10,000,000); default 100000 */
	unsigned int kll_k;     /**< profiles: KLL sketch size for numeric columns beyond exact_max; default 4000 */
} cf_drift_options;

#define CF_DRIFT_OPTIONS_INIT { CF_DRIFT_OPTIONS_VERSION, CF_DRIFT_AUTO, 0.0, 0.5, 100000, 4000 }

/** Fill `opts` with the defaults. @return 0 or CF_EVERSION */
CF_API int cf_drift_options_init(cf_drift_options *opts, unsigned int version);

/** The result of one column's test. A plain record; `column` and `method_name` are borrowed. */
typedef struct cf_drift_result {
	const char *column;      /**< column name (reports), or NULL (cf_drift_detect()) */
	cf_drift_method method;  /**< the test that ran (never AUTO) */
	const char *method_name; /**< cf_drift_method_name(method) */
	double statistic;        /**< KS: D; chi-square: chi2; z-test: z; distances: the distance (= score) */
	double p_value;          /**< p-value tests: the p-value; NaN for distances */
	double score;            /**< what is compared with the threshold: the p-value or the distance */
	double threshold;
	int drifted;             /**< 1 when the column drifted */
	int exact;               /**< 1 when computed from the data or an exact profile column; 0 when from a sketch */
	uint64_t n_ref, n_cur;   /**< non-missing values used */
	uint64_t n_unique;       /**< distinct values over both samples (a lower bound when not exact) */
	int categorical;         /**< 1 when treated as categorical */
} cf_drift_result;

/**
 * Detect drift in one column given as two arrays (NaN and +/-inf dropped). `categorical`: values are category
 * codes (chi-square / z / Jensen-Shannon, one bin per value) rather than numbers.
 * @param opts options, or NULL for the defaults
 * @return 0; CF_EINVAL for an empty sample or bad options
 */
CF_API int cf_drift_detect(cf_drift_result *out, const double *ref, size_t n_ref, const double *cur, size_t n_cur,
	int categorical, const cf_drift_options *opts);

/**
 * Create an empty reference profile; the first cf_drift_profile_update() fixes its columns. float64, int64 and
 * timestamp columns are numeric; bool and string columns are categorical.
 * @param[out] out the profile, owned by the caller; free with cf_drift_profile_free()
 * @param opts options (exact_max, kll_k), or NULL for the defaults
 */
CF_API int cf_drift_profile_create(cf_drift_profile **out, cf_context *ctx, const cf_drift_options *opts);

/** Free a profile. NULL is a no-op. */
CF_API void cf_drift_profile_free(cf_drift_profile *profile);

/**
 * Add a chunk of reference rows. @return 0; CF_EINVAL when column names or types differ from the first chunk;
 * CF_ENOMEM (the profile is then partly updated and should be freed)
 */
CF_API int cf_drift_profile_update(cf_drift_profile *profile, const cf_table *chunk);

/**
 * Merge `src` into `dst` (as if dst had also seen src's rows). Options must agree on exact_max and kll_k.
 * @return 0; CF_EINVAL for different columns or options; CF_ENOMEM
 */
CF_API int cf_drift_profile_merge(cf_drift_profile *dst, const cf_drift_profile *src);

/** Serialise to msgpack (docs/formats.md, "Drift reference profile"), appended to `out`. */
CF_API int cf_drift_profile_to_msgpack(cf_buf *out, const cf_drift_profile *profile);

/** Deserialise. @return 0; CF_EFORMAT (what and where); CF_EVERSION for a newer format; CF_ENOMEM */
CF_API int cf_drift_profile_from_msgpack(cf_drift_profile **out, cf_context *ctx, const void *data, size_t len);

/** Reference rows seen. */
CF_API uint64_t cf_drift_profile_num_rows(const cf_drift_profile *profile);

/** Columns (0 before the first update). */
CF_API size_t cf_drift_profile_num_columns(const cf_drift_profile *profile);

/** 1 when column `index` still holds exact value counts (every test is then exact), 0 if not or out of range. */
CF_API int cf_drift_profile_column_exact(const cf_drift_profile *profile, size_t index);

/**
 * Compare a current table with a profile: every profile column is looked up by name in `current` and tested as
 * cf_drift_detect() would with the reference data (exactly when the profile column is exact).
 * @param[out] out the report, owned by the caller; free with cf_drift_report_free()
 * @param opts method, threshold and drift_share, or NULL for the defaults
 * @return 0; CF_ENOTFOUND for a profile column missing from `current`; CF_EINVAL for a type mismatch or a
 *   column with no values in the reference or the current table (named); CF_ENOMEM
 */
CF_API int cf_drift_compare(cf_drift_report **out, const cf_drift_profile *profile, const cf_table *current,
	const cf_drift_options *opts);

/** Free a report. NULL is a no-op. */
CF_API void cf_drift_report_free(cf_drift_report *report);

/** Columns tested. */
CF_API size_t cf_drift_report_num_columns(const cf_drift_report *report);

/** Column `index`'s result; its strings live as long as the report. @return 0, or CF_EINVAL out of range */
CF_API int cf_drift_report_column(cf_drift_result *out, const cf_drift_report *report, size_t index);

/** Columns that drifted. */
CF_API size_t cf_drift_report_num_drifted(const cf_drift_report *report);

/** Drifted columns / columns (0 for no columns). */
CF_API double cf_drift_report_share(const cf_drift_report *report);

/** 1 when share >= drift_share (Evidently's dataset drift), else 0. */
CF_API int cf_drift_report_dataset_drift(const cf_drift_report *report);

/**
 * Render a report as JSON (appended to `out`, with a trailing newline): {"dataset_drift", "drift_share",
 * "number_of_columns", "number_of_drifted_columns", "share_of_drifted_columns", "columns": [{"column", "method",
 * "statistic", "p_value", "score", "threshold", "drifted", "exact", "categorical", "n_ref", "n_cur",
 * "n_unique"}]}. Non-finite numbers (a distance's p_value) are null. See docs/drift.md.
 * @return 0, CF_EINVAL or CF_ENOMEM
 */
CF_API int cf_drift_report_to_json(cf_buf *out, const cf_drift_report *report);

CF_END_DECL

#endif /* COGNIFORGE_DRIFT_H */
