/**
 * @file cogniforge/slo.h
 * @brief Service level objectives: error budgets, burn rates, multiwindow multi-burn-rate alerts (Google SRE
 * Workbook ch. 5, Sloth and Pyrra presets), a fixed-memory streaming evaluator for event-based and time-slice
 * SLOs, Prometheus `histogram_quantile`, and a mergeable relative-error quantile sketch.
 *
 * Conventions: an objective is a ratio in (0, 1) (0.999 for 99.9%); times and durations are seconds (double);
 * an error ratio is bad / total in [0, 1]; a burn rate is error_ratio / (1 - objective). See docs/slo.md for
 * the formulas and the semantics chosen for gaps, resets, late samples and empty windows.
 */
#ifndef COGNIFORGE_SLO_H
#define COGNIFORGE_SLO_H

#include <stddef.h>
#include <stdint.h>

#include "cogniforge/types.h"

CF_BEGIN_DECL

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Pure functions. Each returns 0 or CF_EINVAL (NaN, an objective outside (0, 1), a negative duration or
 * rate, an error ratio outside [0, 1]); the result goes to `out`. */
/**@{*/

/** Error budget as a ratio: 1 - objective. */
CF_API int cf_slo_error_budget(double *out, double objective);

/** Burn rate: error_ratio / (1 - objective). 1 spends exactly the whole budget in one period. */
CF_API int cf_slo_burn_rate(double *out, double error_ratio, double objective);

/**
 * Time until the budget is exhausted at a constant burn rate: budget_remaining × period_s / burn_rate
 * (budget_remaining 1 gives the workbook's period / burn_rate). +Inf for a burn rate of 0; 0 when
 * budget_remaining <= 0.
 */
CF_API int cf_slo_time_to_exhaustion(double *out, double burn_rate, double period_s, double budget_remaining);

/** Share of the period's budget spent by burning at `burn_rate` for `window_s`: burn_rate × window_s / period_s. */
CF_API int cf_slo_budget_consumed(double *out, double burn_rate, double window_s, double period_s);

/**
 * Detection time of a burn-rate alert over `window_s` with threshold `burn_threshold`, for an outage that starts
 * at a constant `error_ratio` after a clean window: (1 - objective) / error_ratio × window_s × burn_threshold.
 * +Inf when the alert can never fire (error_ratio <= burn_threshold × (1 - objective)). For a two-window pair,
 * pass the long window (the short one crosses first).
 */
CF_API int cf_slo_detection_time(double *out, double error_ratio, double objective, double burn_threshold,
	double window_s);

/**
 * Reset time: how long after an incident of `duration_s` at `error_ratio` ends (errors drop to 0, constant
 * traffic) the window's error ratio stays above the threshold: max(0, min(duration_s, window_s) - window_s ×
 * burn_threshold × (1 - objective) / error_ratio). At most window_s; 0 when it never fired. For a two-window
 * pair, pass the short window. duration_s may be +Inf.
 */
CF_API int cf_slo_reset_time(double *out, double error_ratio, double objective, double burn_threshold,
	double window_s, double duration_s);

/**
 * Parse a Prometheus duration such as "5m", "1h30m", "3d", "500ms" (units ms, s, m, h, d, w, y; y = 365d) into
 * seconds. @return 0; CF_EINVAL for an empty, malformed or zero duration or an unknown unit (named)
 */
CF_API int cf_slo_parse_duration(double *out, const char *text);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Multiwindow multi-burn-rate policies */
/**@{*/

/** Alert severity of a window pair. */
typedef enum cf_slo_severity {
	CF_SLO_PAGE = 0,   /**< page: fast burn */
	CF_SLO_TICKET = 1  /**< ticket: slow burn */
} cf_slo_severity;

/** At most this many window pairs in a policy. */
#define CF_SLO_MAX_WINDOWS 8

/** One alert condition: error ratio over both windows > burn_rate × (1 - objective). */
typedef struct cf_slo_window {
	double burn_rate;          /**< threshold factor, > 0 */
	double long_s;             /**< long window (precision), seconds */
	double short_s;            /**< short window (quick reset), seconds, <= long_s */
	cf_slo_severity severity;
} cf_slo_window;

/** A policy: `count` window pairs, fired as page = OR of page pairs, ticket = OR of ticket pairs. */
typedef struct cf_slo_policy {
	size_t count;
	cf_slo_window windows[CF_SLO_MAX_WINDOWS];
} cf_slo_policy;

/**
 * A named preset:
 * - "google-30d" (Sloth, SRE Workbook): page 14.4× 1h/5m, 6× 6h/30m; ticket 3× 1d/2h, 1× 3d/6h;
 * - "google-28d" (Sloth's 28-day windows: the same budget shares, factors 13.44, 5.6, 2.8, 0.9333);
 * - "pyrra-28d": page 14× 1h/5m, 7× 6h/30m; ticket 2× 1d/2h, 1× 4d/6h.
 * @return 0; CF_ENOTFOUND for an unknown name (the message lists the known ones)
 */
CF_API int cf_slo_policy_preset(cf_slo_policy *out, const char *name);

/**
 * Check a policy against an objective and period: 1..CF_SLO_MAX_WINDOWS pairs, finite positive burn rates and
 * windows, short <= long <= period, a known severity, and every threshold reachable: burn_rate <= 1 / (1 -
 * objective) (the largest possible burn rate); a pair above it can never fire and is rejected naming it.
 * @return 0 or CF_EINVAL
 */
CF_API int cf_slo_policy_validate(const cf_slo_policy *policy, double objective, double period_s);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Streaming evaluator */
/**@{*/

/** What the SLI counts. */
typedef enum cf_slo_kind {
	CF_SLO_EVENTS = 0,    /**< good / total events (OpenSLO Occurrences) */
	CF_SLO_TIMESLICES = 1 /**< good slices / slices: a gauge must meet a threshold in each slice (Timeslices) */
} cf_slo_kind;

/** How a time-slice gauge sample is judged good. */
typedef enum cf_slo_op {
	CF_SLO_GE = 0, /**< value >= threshold (e.g. GPU utilisation, throughput) */
	CF_SLO_GT = 1,
	CF_SLO_LE = 2, /**< value <= threshold (e.g. latency) */
	CF_SLO_LT = 3
} cf_slo_op;

#define CF_SLO_OPTIONS_VERSION 1

/** Options for cf_slo_create(). Start from CF_SLO_OPTIONS_INIT. */
typedef struct cf_slo_options {
	unsigned int version;      /**< CF_SLO_OPTIONS_VERSION */
	double objective;          /**< in (0, 1); default 0.999 */
	double period_s;           /**< SLO period (rolling); default 30 days */
	double resolution_s;       /**< bucket width; windows and the period must be multiples; default 1 */
	const char *preset;        /**< policy preset when `policy` is NULL; default "google-30d" */
	const cf_slo_policy *policy; /**< custom policy (copied), or NULL for the preset */
	cf_slo_kind kind;          /**< default CF_SLO_EVENTS */
	double slice_s;            /**< time slices: slice length, a multiple of resolution_s; default 60 */
	cf_slo_op op;              /**< time slices: comparison of a sample with `threshold`; default CF_SLO_GE */
	double threshold;          /**< time slices: gauge threshold; default 0 */
	double slice_target;       /**< time slices: a slice is good when this share of its samples is good, in
	                                (0, 1]; default 1 (every sample) */
	int missing_slices_bad;    /**< time slices: slices without samples count as bad (1) or are not counted (0,
	                                the default) */
} cf_slo_options;

#define CF_SLO_OPTIONS_INIT { CF_SLO_OPTIONS_VERSION, 0.999, 2592000.0, 1.0, "google-30d", NULL, CF_SLO_EVENTS, \
	60.0, CF_SLO_GE, 0.0, 1.0, 0 }

/** Fill `opts` with the defaults (same as CF_SLO_OPTIONS_INIT). @return 0 or CF_EVERSION */
CF_API int cf_slo_options_init(cf_slo_options *opts, unsigned int version);

/**
 * Create an evaluator. Memory is fixed at creation: two 8-byte cumulative counters per bucket over the period
 * (or the longest window, if longer) plus one, e.g. 41 MiB for 30 days at 1 s; independent of traffic.
 * @param[out] out the evaluator, owned by the caller; free with cf_slo_free()
 * @param ctx allocator context, or NULL for the C library allocator
 * @param opts options, or NULL for the defaults
 * @return 0; CF_EINVAL (bad objective, period, resolution, slice option or policy, named); CF_ENOTFOUND (unknown
 *   preset); CF_EVERSION; CF_ENOMEM
 */
CF_API int cf_slo_create(cf_slo **out, cf_context *ctx, const cf_slo_options *opts);

/** Free an evaluator. NULL is a no-op. */
CF_API void cf_slo_free(cf_slo *slo);

/**
 * Add `good` of `total` events at time `t` (events SLOs). O(1) amortised. Time may not go back past the start
 * of the latest bucket: a sample inside the latest bucket is accepted (late within the resolution), an earlier
 * one is rejected with CF_EINVAL, nothing changed. A gap fills with empty buckets.
 * @return 0; CF_EINVAL for NaN/infinite t, good > total, an out-of-order t, or a time-slice evaluator
 */
CF_API int cf_slo_add(cf_slo *slo, double t, uint64_t good, uint64_t total);

/**
 * Add single events in time order: event i at t[i], good when good[i] != 0. Stops at the first bad event
 * (CF_EINVAL naming its index); earlier events stay added.
 */
CF_API int cf_slo_add_events(cf_slo *slo, const double *t, const uint8_t *good, size_t n);

/**
 * Add cumulative counter samples (Prometheus counters `good_total`, `requests_total`) at time `t`. The first
 * sample only sets the baseline. Later ones add the increase since the previous sample to t's bucket; a counter
 * that goes down was reset (as Prometheus `increase()`: the increase is the new value). No extrapolation.
 * @return 0; CF_EINVAL for a bad or out-of-order t, or a good increase larger than the total increase (nothing
 *   changed)
 */
CF_API int cf_slo_add_counters(cf_slo *slo, double t, uint64_t good_cumulative, uint64_t total_cumulative);

/**
 * Add a gauge sample (time-slice SLOs). The slice of t is judged when time passes its end; the open slice is
 * not counted by cf_slo_evaluate(). @return 0; CF_EINVAL for NaN value or t, an out-of-order t, or an events
 * evaluator
 */
CF_API int cf_slo_add_gauge(cf_slo *slo, double t, double value);

/** Counts and ratios of one window pair at evaluation time. */
typedef struct cf_slo_window_status {
	cf_slo_window window;
	uint64_t long_good, long_total, short_good, short_total;
	double long_error_ratio, short_error_ratio;  /**< bad / total; NaN without events */
	double long_burn_rate, short_burn_rate;      /**< NaN without events */
	double threshold;                            /**< burn_rate × (1 - objective) */
	int firing;                                  /**< both ratios > threshold */
} cf_slo_window_status;

/** The state of an SLO at one time. */
typedef struct cf_slo_status {
	double now;
	uint64_t period_good, period_total;  /**< over the period (less before a full period has been seen) */
	double error_ratio;        /**< period bad / total; NaN without events */
	double burn_rate;          /**< period burn rate; NaN without events */
	double budget_consumed;    /**< (bad / total) / (1 - objective), a ratio of sums (Pyrra); 0 without events;
	                                may exceed 1 */
	double budget_remaining;   /**< 1 - budget_consumed; may be negative */
	double time_to_exhaustion_s; /**< budget_remaining × period / burn_rate: at the period's average burn;
	                                  +Inf at burn 0 or without events, 0 when exhausted */
	int page, ticket;          /**< any page / ticket pair firing */
	size_t window_count;
	cf_slo_window_status windows[CF_SLO_MAX_WINDOWS];
	const char *explanation;   /**< one line of text, borrowed: lives until the next call on the evaluator */
} cf_slo_status;

/**
 * Evaluate at time `now` over windows (now - W, now] (whole buckets: the bucket of now and the W/resolution - 1
 * before it). O(windows), independent of traffic. `now` may not be before the start of the latest bucket.
 * @return 0; CF_EINVAL for NaN now or an earlier time
 */
CF_API int cf_slo_evaluate(cf_slo_status *out, cf_slo *slo, double now);

/** Bytes of window state held (fixed at creation). */
CF_API size_t cf_slo_memory(const cf_slo *slo);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Latency: Prometheus classic histograms */
/**@{*/

/**
 * `histogram_quantile(q, ...)` over classic buckets exactly as Prometheus (promql/quantile.go): NaN q → NaN; q <
 * 0 → -Inf; q > 1 → +Inf; buckets sorted by le (the input is not modified); highest le not +Inf → NaN; equal les
 * merged; counts forced monotonic (running maximum, deltas within relative 1e-12 ignored); fewer than 2
 * buckets or 0 observations → NaN; rank q × count in the +Inf bucket → the second-highest le; in a first bucket
 * with le <= 0 → that le; else linear interpolation, the lowest bucket starting at 0.
 * @param les upper bounds (may include +Inf, any order)
 * @param counts cumulative counts, one per le
 * @return 0; CF_EINVAL for NULL arrays with n > 0, or a NaN le or count
 */
CF_API int cf_slo_histogram_quantile(double *out, double q, const double *les, const double *counts, size_t n);

/**
 * Good events of a latency SLO: the cumulative count of the bucket whose le equals `threshold` (Pyrra's
 * `bucket{le="threshold"}`), after the same sorting, merging and monotonic repair. @return 0; CF_ENOTFOUND
 * when no bucket has that le; CF_EINVAL as cf_slo_histogram_quantile()
 */
CF_API int cf_slo_histogram_good(double *out, double threshold, const double *les, const double *counts,
	size_t n);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Latency: relative-error quantile sketch (DDSketch, Masson et al. 2019) */
/**@{*/

/**
 * Create a sketch of non-negative values with relative accuracy `alpha` in (0, 1): every quantile estimate x̂
 * of a true quantile x has |x̂ - x| <= alpha × x while at most `max_bins` log buckets are used. Beyond that the
 * lowest buckets collapse (their values lose the guarantee, the high quantiles that latency SLOs use keep it).
 * Memory is O(max_bins). Values below 1e-9 count as zero.
 * @param max_bins 16 to 65536 (2048 covers 1e-9 to 1e9 at alpha 0.01)
 * @return 0; CF_EINVAL; CF_ENOMEM
 */
CF_API int cf_slo_sketch_create(cf_slo_sketch **out, cf_context *ctx, double alpha, size_t max_bins);

/** Free a sketch. NULL is a no-op. */
CF_API void cf_slo_sketch_free(cf_slo_sketch *sketch);

/** Add `count` copies of `value`. @return 0; CF_EINVAL for NaN, infinite or negative values */
CF_API int cf_slo_sketch_add(cf_slo_sketch *sketch, double value, uint64_t count);

/** Merge `src` into `dst` (same alpha and max_bins). @return 0; CF_EINVAL when they differ; CF_ENOMEM */
CF_API int cf_slo_sketch_merge(cf_slo_sketch *dst, const cf_slo_sketch *src);

/**
 * The q-quantile (q in [0, 1]): the bucket holding rank q × (count - 1), clamped to the exact min and max.
 * @return 0; CF_EINVAL for a bad q; CF_ENOTFOUND when empty
 */
CF_API int cf_slo_sketch_quantile(double *out, const cf_slo_sketch *sketch, double q);

/** Values added. */
CF_API uint64_t cf_slo_sketch_count(const cf_slo_sketch *sketch);

/**
 * Estimated number of values <= threshold (good events of a latency SLO): whole buckets whose representative
 * value is <= threshold. @return 0 or CF_EINVAL
 */
CF_API int cf_slo_sketch_count_le(uint64_t *out, const cf_slo_sketch *sketch, double threshold);

/** Serialise to msgpack (layout in docs/slo.md), appended to `out`. */
CF_API int cf_slo_sketch_to_msgpack(cf_buf *out, const cf_slo_sketch *sketch);

/** Deserialise. @return 0; CF_EFORMAT for malformed or truncated input; CF_EVERSION for a newer format */
CF_API int cf_slo_sketch_from_msgpack(cf_slo_sketch **out, cf_context *ctx, const void *data, size_t len);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Sloth specs and Prometheus rules */
/**@{*/

/* cf_slo_spec, a parsed Sloth `prometheus/v1` spec, is declared in types.h. */

/**
 * Parse a Sloth `prometheus/v1` spec (YAML): version, service, labels, slos[] with name, objective (a percentage
 * in (0, 100), e.g. 99.9), description, labels, sli.events.{error_query,total_query} or
 * sli.raw.error_ratio_query, and alerting (name, labels, annotations, page_alert / ticket_alert with disable,
 * labels, annotations). Unknown keys are rejected.
 * @param[out] out the spec, owned by the caller; free with cf_slo_spec_free()
 * @param ctx allocator context, or NULL
 * @param text the YAML text, `len` bytes
 * @param source a name for messages (a file name), or NULL for "spec"
 * @return 0; CF_EFORMAT for malformed YAML or a bad or missing field (the message names source:line:column and
 *   the field); CF_ENOMEM
 */
CF_API int cf_slo_spec_parse(cf_slo_spec **out, cf_context *ctx, const char *text, size_t len, const char *source);

/** Free a spec. NULL is a no-op. */
CF_API void cf_slo_spec_free(cf_slo_spec *spec);

/** The spec's service name (borrowed, lives as long as the spec). */
CF_API const char *cf_slo_spec_service(const cf_slo_spec *spec);

/** Number of SLOs in the spec. */
CF_API size_t cf_slo_spec_count(const cf_slo_spec *spec);

/** Name of SLO `i` (borrowed), or NULL when i is out of range. */
CF_API const char *cf_slo_spec_name(const cf_slo_spec *spec, size_t i);

/** Objective of SLO `i` as a ratio in (0, 1) (the spec's percentage / 100), or NaN when i is out of range. */
CF_API double cf_slo_spec_objective(const cf_slo_spec *spec, size_t i);

#define CF_SLO_RULES_OPTIONS_VERSION 1

/** Options for cf_slo_rules_generate() and cf_slo_spec_check(). Start from CF_SLO_RULES_OPTIONS_INIT. */
typedef struct cf_slo_rules_options {
	unsigned int version;      /**< CF_SLO_RULES_OPTIONS_VERSION */
	const char *preset;        /**< policy preset (cf_slo_policy_preset); default "google-30d" */
	const cf_slo_policy *policy; /**< custom policy, or NULL for the preset */
	double period_s;           /**< SLO period; 0 (default): 28 days for presets ending in "-28d", else 30 */
	int disable_alerts;        /**< omit the alert group */
	int disable_recordings;    /**< omit the SLI and metadata recording groups */
} cf_slo_rules_options;

#define CF_SLO_RULES_OPTIONS_INIT { CF_SLO_RULES_OPTIONS_VERSION, "google-30d", NULL, 0.0, 0, 0 }

/** Fill `opts` with the defaults. @return 0 or CF_EVERSION */
CF_API int cf_slo_rules_options_init(cf_slo_rules_options *opts, unsigned int version);

/**
 * Check every SLO of a spec against the policy (cf_slo_policy_validate at its objective and the period), e.g. a
 * pair that can never fire. @return 0; CF_EINVAL naming the SLO and the pair; CF_ENOTFOUND for an unknown
 * preset; CF_EVERSION
 */
CF_API int cf_slo_spec_check(const cf_slo_spec *spec, const cf_slo_rules_options *opts);

/**
 * Generate a Prometheus rule file (YAML) in Sloth's shape, appended to `out`: per SLO a group
 * `sloth-slo-sli-recordings-<service>-<slo>` (`slo:sli_error:ratio_rate<W>` for 5m, every window of the policy
 * and the period), `sloth-slo-meta-recordings-...` (`slo:objective:ratio`, `slo:error_budget:ratio`,
 * `slo:time_period:days`, `slo:current_burn_rate:ratio`, `slo:period_burn_rate:ratio`,
 * `slo:period_error_budget_remaining:ratio`, `sloth_slo_info`) and `sloth-slo-alerts-...` (the page and ticket
 * multiwindow multi-burn-rate alerts). Formats: docs/slo.md.
 * @return 0; CF_EINVAL (policy cannot fire, see cf_slo_spec_check); CF_ENOTFOUND; CF_EVERSION; CF_ENOMEM
 */
CF_API int cf_slo_rules_generate(cf_buf *out, const cf_slo_spec *spec, const cf_slo_rules_options *opts);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Backtesting: replay scraped counters through a policy (docs/slo.md, "Backtesting") */
/**@{*/

/** How a backtest computes a window's error ratio. */
typedef enum cf_slo_backtest_mode {
	CF_SLO_BACKTEST_EXACT = 0,     /**< ratio of sums: (errors(T) - errors(T - W)) / (total(T) - total(T - W)), a
	                                    counter read at the last sample at or before the time, resets corrected */
	CF_SLO_BACKTEST_PROMETHEUS = 1 /**< PromQL increase(errors[W]) / increase(total[W]) with extrapolatedRate */
} cf_slo_backtest_mode;

#define CF_SLO_BACKTEST_OPTIONS_VERSION 1

/** Options for cf_slo_backtest(). Start from CF_SLO_BACKTEST_OPTIONS_INIT. */
typedef struct cf_slo_backtest_options {
	unsigned int version;        /**< CF_SLO_BACKTEST_OPTIONS_VERSION */
	double objective;            /**< in (0, 1); default 0.999 */
	double period_s;             /**< SLO period; default 30 days */
	const char *preset;          /**< policy preset when `policy` is NULL; default "google-30d" */
	const cf_slo_policy *policy; /**< custom policy, or NULL for the preset */
	double step_s;               /**< evaluation step; 0 (default): the median scrape interval, else 60 */
	cf_slo_backtest_mode mode;   /**< default CF_SLO_BACKTEST_EXACT */
	int range_left_open;         /**< prometheus mode: range (T - W, T] (Prometheus 3) instead of [T - W, T]
	                                  (Prometheus 2, the default 0) */
	size_t budget_every;         /**< a budget sample every this many steps; 0 (default): 1 */
} cf_slo_backtest_options;

#define CF_SLO_BACKTEST_OPTIONS_INIT { CF_SLO_BACKTEST_OPTIONS_VERSION, 0.999, 2592000.0, "google-30d", NULL, 0.0, \
	CF_SLO_BACKTEST_EXACT, 0, 0 }

/** The outcome of a backtest (opaque); free with cf_slo_backtest_free(). */
typedef struct cf_slo_backtest cf_slo_backtest;

/** One firing interval of one window pair, or of a severity (pair index SIZE_MAX: any pair of it). */
typedef struct cf_slo_alert_interval {
	size_t pair;                 /**< index into the policy, or SIZE_MAX for the severity as a whole */
	cf_slo_window window;        /**< the pair (for a severity interval: only `severity` is meaningful) */
	double fired_at;             /**< first evaluation time at which it fired */
	double resolved_at;          /**< first evaluation time after that at which it did not; NaN: still firing at
	                                  the last evaluation */
} cf_slo_alert_interval;

/** One budget sample: over the period before `t` (or since the first sample), a ratio of sums. */
typedef struct cf_slo_budget_point {
	double t;
	double total, errors;        /**< counter increases over the period (resets corrected) */
	double budget_consumed;      /**< (errors / total) / (1 - objective); 0 without events */
	double budget_remaining;     /**< 1 - budget_consumed */
} cf_slo_budget_point;

/** Fill `opts` with the defaults. @return 0 or CF_EVERSION */
CF_API int cf_slo_backtest_options_init(cf_slo_backtest_options *opts, unsigned int version);

/**
 * Replay `n` samples of two cumulative counters (`total` requests and `errors` of them) scraped at times `t`
 * (seconds, strictly increasing) through the policy, evaluating at t[0], t[0] + step, ... <= t[n - 1]. A counter
 * that goes down was reset (as PromQL). A window without two samples (prometheus mode) or without events has no
 * ratio and does not fire.
 * @return 0; CF_EINVAL (bad options or policy, NaN, negative or infinite values, unsorted times; the message names
 *   the sample index); CF_ENOTFOUND (preset); CF_EVERSION; CF_ENOMEM
 */
CF_API int cf_slo_backtest_run(cf_slo_backtest **out, cf_context *ctx, const cf_slo_backtest_options *opts,
	const double *t, const double *total, const double *errors, size_t n);

/** Free a result. NULL is a no-op. */
CF_API void cf_slo_backtest_free(cf_slo_backtest *bt);

/** Number of evaluation steps, and the step used. */
CF_API size_t cf_slo_backtest_steps(const cf_slo_backtest *bt);
CF_API double cf_slo_backtest_step(const cf_slo_backtest *bt);

/** Alert intervals: per pair and per severity (pair SIZE_MAX), ordered by fired_at then pair. */
CF_API size_t cf_slo_backtest_alert_count(const cf_slo_backtest *bt);
CF_API int cf_slo_backtest_alert(cf_slo_alert_interval *out, const cf_slo_backtest *bt, size_t i);

/** Budget samples (every budget_every steps, and the last step). */
CF_API size_t cf_slo_backtest_budget_count(const cf_slo_backtest *bt);
CF_API int cf_slo_backtest_budget(cf_slo_budget_point *out, const cf_slo_backtest *bt, size_t i);

/** Whether any page (ticket) alert fired. */
CF_API int cf_slo_backtest_paged(const cf_slo_backtest *bt);
CF_API int cf_slo_backtest_ticketed(const cf_slo_backtest *bt);

/** Render as JSON (layout in docs/slo.md), appended to `out`. @return 0 or CF_ENOMEM */
CF_API int cf_slo_backtest_to_json(cf_buf *out, const cf_slo_backtest *bt);

/**@}*/

CF_END_DECL

#endif /* COGNIFORGE_SLO_H */
