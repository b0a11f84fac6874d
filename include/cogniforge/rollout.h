/**
 * @file cogniforge/rollout.h
 * @brief Rollout decisions: rollback/alert rules with Prometheus `for` semantics (the seed's policy), Argo
 * Rollouts analysis runs, a Mann-Whitney canary-vs-baseline judge scored like Kayenta, an Istio-style
 * outlier-detection circuit breaker with retry/timeout arithmetic, and the ordered rollback plan.
 *
 * Times and durations are seconds (double). Nothing here performs I/O: the caller feeds observations and
 * executes the returned plan. See docs/rollout.md for the semantics chosen.
 */
#ifndef COGNIFORGE_ROLLOUT_H
#define COGNIFORGE_ROLLOUT_H

#include <stddef.h>

#include "cogniforge/types.h"

CF_BEGIN_DECL

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Rule policy */
/**@{*/

/** What a fired rule asks for, in increasing severity (a decision is the most severe fired action). */
typedef enum cf_rollout_action {
	CF_ROLLOUT_NONE = 0,     /**< nothing fired */
	CF_ROLLOUT_ALERT = 1,    /**< alert a person */
	CF_ROLLOUT_RETRAIN = 2,  /**< alert and retrain the model */
	CF_ROLLOUT_ROLLBACK = 3  /**< roll back: execute cf_rollout_plan */
} cf_rollout_action;

/** Comparison of an observed value against a rule threshold. */
typedef enum cf_rollout_cmp {
	CF_ROLLOUT_GT = 0, /**< value > threshold */
	CF_ROLLOUT_GE = 1, /**< value >= threshold */
	CF_ROLLOUT_LT = 2, /**< value < threshold */
	CF_ROLLOUT_LE = 3  /**< value <= threshold */
} cf_rollout_cmp;

/** One rule: fire `action` when `metric cmp threshold` has held continuously for `for_s` seconds. */
typedef struct cf_rollout_rule {
	const char *name;          /**< rule name, used in explanations (copied) */
	const char *metric;        /**< metric the rule watches (copied) */
	cf_rollout_cmp cmp;
	double threshold;          /**< finite */
	double for_s;              /**< Prometheus `for`: >= 0; 0 fires on the first matching observation */
	cf_rollout_action action;  /**< ALERT, RETRAIN or ROLLBACK */
} cf_rollout_rule;

/** Alert state of one rule, as in Prometheus. */
typedef enum cf_rollout_rule_state {
	CF_ROLLOUT_INACTIVE = 0, /**< condition false, or no fresh observation */
	CF_ROLLOUT_PENDING = 1,  /**< condition true for less than `for_s` */
	CF_ROLLOUT_FIRING = 2    /**< condition true for at least `for_s` */
} cf_rollout_rule_state;

#define CF_ROLLOUT_POLICY_OPTIONS_VERSION 1

/** Options for cf_rollout_policy_create(). Start from CF_ROLLOUT_POLICY_OPTIONS_INIT. */
typedef struct cf_rollout_policy_options {
	unsigned int version;      /**< CF_ROLLOUT_POLICY_OPTIONS_VERSION */
	double staleness_s;        /**< a series with no observation for longer than this is stale: its rules reset
	                                to inactive (Prometheus lookback delta); default 300 */
} cf_rollout_policy_options;

#define CF_ROLLOUT_POLICY_OPTIONS_INIT { CF_ROLLOUT_POLICY_OPTIONS_VERSION, 300.0 }

/** Initialise `opts` to the defaults (for bindings). @return 0, CF_EINVAL or CF_EVERSION */
CF_API int cf_rollout_policy_options_init(cf_rollout_policy_options *opts, unsigned int version);

/** The most rules a policy may hold. */
#define CF_ROLLOUT_MAX_RULES 64

/**
 * Create a policy from `n` rules (1..CF_ROLLOUT_MAX_RULES; names unique). The rules are copied.
 * @param[out] out the new policy, freed with cf_rollout_policy_free(); NULL on failure
 * @param ctx allocator context, or NULL
 * @param opts NULL for the defaults
 * @return 0; CF_EINVAL for a bad rule (named); CF_EVERSION; CF_ENOMEM
 */
CF_API int cf_rollout_policy_create(cf_rollout_policy **out, cf_context *ctx, const cf_rollout_rule *rules,
	size_t n, const cf_rollout_policy_options *opts);

/**
 * Create the seed's policy, `name` "seed": error_rate > 0.001 for 300 s → rollback; latency_p95_ms > 300 for
 * 300 s → rollback; burn_rate > 14.4 (for 0) → rollback; drift > 0.10 (for 0) → retrain.
 * @return 0; CF_ENOTFOUND for an unknown preset name; CF_ENOMEM
 */
CF_API int cf_rollout_policy_preset(cf_rollout_policy **out, cf_context *ctx, const char *name,
	const cf_rollout_policy_options *opts);

/** Free a policy. NULL is a no-op. */
CF_API void cf_rollout_policy_free(cf_rollout_policy *policy);

/** Number of rules. */
CF_API size_t cf_rollout_policy_rule_count(const cf_rollout_policy *policy);

/**
 * Feed one observation. Timestamps must not decrease across the whole policy; a metric no rule watches is
 * accepted and ignored.
 * @return 0; CF_EINVAL for a NaN/infinite value or time, or a time earlier than the previous observation
 */
CF_API int cf_rollout_policy_observe(cf_rollout_policy *policy, const char *metric, double t, double value);

/** The outcome of cf_rollout_policy_decide(). */
typedef struct cf_rollout_decision {
	cf_rollout_action action;  /**< most severe action among firing rules */
	size_t firing;             /**< number of firing rules */
	size_t pending;            /**< number of pending rules */
	const char *explanation;   /**< borrowed: one line per firing rule, valid until the next call on the policy */
} cf_rollout_decision;

/**
 * Evaluate every rule at time `now` (>= the last observation) and return the decision.
 * @return 0; CF_EINVAL for a NaN time or one earlier than the last observation; CF_ENOMEM
 */
CF_API int cf_rollout_policy_decide(cf_rollout_decision *out, cf_rollout_policy *policy, double now);

/**
 * State of rule `index` as of the last cf_rollout_policy_decide() (INACTIVE before any).
 * @param[out] active_since_out when the condition started holding (NaN when inactive); may be NULL
 * @return 0; CF_EINVAL for an index out of range
 */
CF_API int cf_rollout_policy_rule_state_get(cf_rollout_rule_state *out, double *active_since_out,
	const cf_rollout_policy *policy, size_t index);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Argo Rollouts analysis */
/**@{*/

/** Phase of a measurement, a metric or a run (Argo's AnalysisPhase). */
typedef enum cf_rollout_phase {
	CF_ROLLOUT_PHASE_PENDING = 0,
	CF_ROLLOUT_PHASE_RUNNING = 1,
	CF_ROLLOUT_PHASE_SUCCESSFUL = 2,
	CF_ROLLOUT_PHASE_FAILED = 3,
	CF_ROLLOUT_PHASE_ERROR = 4,
	CF_ROLLOUT_PHASE_INCONCLUSIVE = 5
} cf_rollout_phase;

/**
 * One analysis metric (Argo's Metric). Conditions use the grammar `result <op> number` (or `number <op>
 * result`), op one of < <= > >= == !=, combined with && / and, || / or, ! / not and parentheses; NULL or ""
 * means no condition.
 */
typedef struct cf_rollout_metric {
	const char *name;               /**< copied */
	const char *success_condition;  /**< e.g. "result >= 0.95"; NULL for none */
	const char *failure_condition;  /**< e.g. "result < 0.9 || result > 2"; NULL for none */
	int count;                      /**< measurements to take; 0 = unbounded (an interval with no count) */
	int failure_limit;              /**< default 0; -1 disables */
	int inconclusive_limit;         /**< default 0 */
	int consecutive_error_limit;    /**< default 4 */
	int consecutive_success_limit;  /**< default 0 (disabled) */
} cf_rollout_metric;

/** Argo's defaults: one measurement, limits 0/0/4/0. */
#define CF_ROLLOUT_METRIC_INIT { NULL, NULL, NULL, 1, 0, 0, 4, 0 }

/** Set `metric` to CF_ROLLOUT_METRIC_INIT (for bindings). @return 0 or CF_EINVAL */
CF_API int cf_rollout_metric_init(cf_rollout_metric *metric);

/**
 * Create an analysis run over `n` metrics (1..64). Conditions are parsed now.
 * @return 0; CF_EINVAL for a bad limit or a malformed condition (the message names the metric and offset);
 * CF_ENOMEM
 */
CF_API int cf_rollout_analysis_create(cf_rollout_analysis **out, cf_context *ctx, const cf_rollout_metric *metrics,
	size_t n);

/** Free a run. NULL is a no-op. */
CF_API void cf_rollout_analysis_free(cf_rollout_analysis *run);

/**
 * Record a measurement `value` for metric `index` and assess it.
 * @param[out] out the measurement's phase (SUCCESSFUL, FAILED or INCONCLUSIVE); may be NULL
 * @return 0; CF_EINVAL for a NaN/infinite value (record a provider failure with cf_rollout_analysis_error()),
 * an index out of range, a completed metric or a terminated run
 */
CF_API int cf_rollout_analysis_measure(cf_rollout_phase *out, cf_rollout_analysis *run, size_t index,
	double value);

/** Record a measurement error (provider or query failure) for metric `index`. @return 0 or CF_EINVAL */
CF_API int cf_rollout_analysis_error(cf_rollout_analysis *run, size_t index);

/** Terminate the run (also done automatically once a metric is Failed, Error or Inconclusive): metrics still
 * pending or running become Successful. Idempotent. @return 0 or CF_EINVAL */
CF_API int cf_rollout_analysis_terminate(cf_rollout_analysis *run);

/** Phase of metric `index` (PENDING for an index out of range). */
CF_API cf_rollout_phase cf_rollout_analysis_metric_phase(const cf_rollout_analysis *run, size_t index);

/** Measurement counters of one metric. */
typedef struct cf_rollout_metric_counts {
	int count, successful, failed, inconclusive, error, consecutive_error, consecutive_success;
} cf_rollout_metric_counts;

/** Counters of metric `index`. @return 0 or CF_EINVAL */
CF_API int cf_rollout_analysis_metric_counts(cf_rollout_metric_counts *out, const cf_rollout_analysis *run,
	size_t index);

/** The run's phase: the worst metric phase, ordered Successful < Running < Pending < Inconclusive < Error < Failed. */
CF_API cf_rollout_phase cf_rollout_analysis_phase(const cf_rollout_analysis *run);

/** Static name of a phase ("Successful", ...), "Unknown" for other values. */
CF_API const char *cf_rollout_phase_name(cf_rollout_phase phase);

/**
 * Evaluate a condition expression once against `result` (the grammar above).
 * @param[out] out 1 if true, 0 if false
 * @return 0; CF_EINVAL for a malformed expression (the message gives the byte offset)
 */
CF_API int cf_rollout_condition_eval(int *out, const char *expr, double result);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Mann-Whitney judge (Kayenta-style) */
/**@{*/

/** Result of a two-sided Mann-Whitney U test. */
typedef struct cf_rollout_mw {
	double u;         /**< U statistic of the first sample (scipy's `statistic`) */
	double z;         /**< normal deviate with tie and continuity correction */
	double p_value;   /**< two-sided, asymptotic (scipy.stats.mannwhitneyu method='asymptotic') */
} cf_rollout_mw;

/**
 * Two-sided Mann-Whitney U test, normal approximation with tie and continuity corrections.
 * @return 0; CF_EINVAL for an empty sample or a NaN value; CF_ENOMEM
 */
CF_API int cf_rollout_mann_whitney(cf_rollout_mw *out, const double *x, size_t nx, const double *y, size_t ny);

/** Direction of change that counts against the canary. */
typedef enum cf_rollout_direction {
	CF_ROLLOUT_EITHER = 0,
	CF_ROLLOUT_INCREASE = 1, /**< only an increase fails (latency, errors) */
	CF_ROLLOUT_DECREASE = 2  /**< only a decrease fails (throughput, success rate) */
} cf_rollout_direction;

/** Per-metric classification. */
typedef enum cf_rollout_class {
	CF_ROLLOUT_PASS = 0,
	CF_ROLLOUT_HIGH = 1,
	CF_ROLLOUT_LOW = 2,
	CF_ROLLOUT_NODATA = 3
} cf_rollout_class;

/** One judged metric: control (baseline) and experiment (canary) samples. NaNs are removed. */
typedef struct cf_rollout_judge_metric {
	const char *name;
	const double *control;
	size_t n_control;
	const double *experiment;
	size_t n_experiment;
	cf_rollout_direction direction;
	double weight;       /**< > 0; 0 means 1 */
	int critical;        /**< a critical metric that is not Pass forces the score to 0 */
} cf_rollout_judge_metric;

/** Per-metric outcome. */
typedef struct cf_rollout_judge_metric_result {
	cf_rollout_class classification;
	double estimate;     /**< Hodges-Lehmann shift, experiment - control (NaN for Nodata, as are the rest) */
	double ci_lower, ci_upper;
	double mean_ratio;   /**< effect size: experiment mean / control mean; 1 when the control mean is 0 */
	double p_value;      /**< Mann-Whitney two-sided p-value */
} cf_rollout_judge_metric_result;

/** Overall verdict from the score thresholds. */
typedef enum cf_rollout_verdict {
	CF_ROLLOUT_VERDICT_PASS = 0,
	CF_ROLLOUT_VERDICT_MARGINAL = 1,
	CF_ROLLOUT_VERDICT_FAIL = 2
} cf_rollout_verdict;

#define CF_ROLLOUT_JUDGE_OPTIONS_VERSION 1

/** Options of cf_rollout_judge(). Start from CF_ROLLOUT_JUDGE_OPTIONS_INIT. */
typedef struct cf_rollout_judge_options {
	unsigned int version;     /**< CF_ROLLOUT_JUDGE_OPTIONS_VERSION */
	double tolerance;         /**< bounds = ±tolerance × |estimate|; default 0.25 */
	double conf_level;        /**< confidence of the shift interval; default 0.98 */
	double allowed_increase;  /**< mean-ratio effect size needed for High; default 1.0 */
	double allowed_decrease;  /**< mean-ratio effect size needed for Low; default 1.0 */
	double pass_threshold;    /**< score >= this is PASS; default 90 */
	double marginal_threshold;/**< score >= this is MARGINAL; default 75 */
} cf_rollout_judge_options;

#define CF_ROLLOUT_JUDGE_OPTIONS_INIT { CF_ROLLOUT_JUDGE_OPTIONS_VERSION, 0.25, 0.98, 1.0, 1.0, 90.0, 75.0 }

/** Initialise `opts` to the defaults (for bindings). @return 0, CF_EINVAL or CF_EVERSION */
CF_API int cf_rollout_judge_options_init(cf_rollout_judge_options *opts, unsigned int version);

/**
 * Judge `n` metrics (1..1024) and score: 100 × Σ weight(Pass) / Σ weight(Pass, High, Low), rounded to 2 decimals;
 * 100 when every metric is Nodata; 0 when a critical metric is not Pass or at least half the metrics are Nodata.
 * @param[out] score_out the score in [0, 100]
 * @param[out] verdict_out PASS, MARGINAL or FAIL from the thresholds
 * @param[out] results_out `n` per-metric results, or NULL
 * @return 0; CF_EINVAL for bad options or inputs (named); CF_EVERSION; CF_ENOMEM
 */
CF_API int cf_rollout_judge(double *score_out, cf_rollout_verdict *verdict_out,
	cf_rollout_judge_metric_result *results_out, const cf_rollout_judge_metric *metrics, size_t n,
	const cf_rollout_judge_options *opts);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Circuit breaker (Istio outlier detection) and retries */
/**@{*/

#define CF_ROLLOUT_BREAKER_OPTIONS_VERSION 1

/** Options of an Istio-style breaker. Start from CF_ROLLOUT_BREAKER_OPTIONS_INIT. */
typedef struct cf_rollout_breaker_options {
	unsigned int version;          /**< CF_ROLLOUT_BREAKER_OPTIONS_VERSION */
	int consecutive_5xx;           /**< consecutive errors that eject a host; 0 disables; default 5 */
	double interval_s;             /**< sweep interval; default 10 */
	double base_ejection_s;        /**< an ejection lasts base × times ejected; default 30 */
	double max_ejection_s;         /**< cap of one ejection (Envoy max_ejection_time); default 300 */
	double max_ejection_percent;   /**< most hosts ejected at once, percent; default 10 */
	int retry_attempts;            /**< retries after the first try (Istio attempts); default 2 */
	double per_try_timeout_s;      /**< 0 = no separate per-try limit (the route timeout); default 0 */
	double timeout_s;              /**< whole-request deadline incl. retries; 0 = none; default 5 */
} cf_rollout_breaker_options;

#define CF_ROLLOUT_BREAKER_OPTIONS_INIT { CF_ROLLOUT_BREAKER_OPTIONS_VERSION, 5, 10.0, 30.0, 300.0, 10.0, 2, 0.0, 5.0 }

/** Initialise `opts` to the defaults (for bindings). @return 0, CF_EINVAL or CF_EVERSION */
CF_API int cf_rollout_breaker_options_init(cf_rollout_breaker_options *opts, unsigned int version);

/**
 * Create a breaker over `n_hosts` hosts (1..65536), all healthy at time 0.
 * @return 0; CF_EINVAL (bad option, named); CF_EVERSION; CF_ENOMEM
 */
CF_API int cf_rollout_breaker_create(cf_rollout_breaker **out, cf_context *ctx, size_t n_hosts,
	const cf_rollout_breaker_options *opts);

/** Free a breaker. NULL is a no-op. */
CF_API void cf_rollout_breaker_free(cf_rollout_breaker *breaker);

/**
 * Record the outcome of one request to `host` at time `t` (non-decreasing). `status` is the HTTP status, or 0
 * for a connect failure, reset or timeout; 5xx and 0 are errors, anything else resets the host's count.
 * @param[out] ejected_out 1 if this outcome ejected the host; may be NULL
 * @return 0; CF_EINVAL for a bad host, status or time
 */
CF_API int cf_rollout_breaker_record(int *ejected_out, cf_rollout_breaker *breaker, size_t host, double t,
	int status);

/** 1 if `host` is ejected at time `t`, 0 if not (an expired ejection is ended first, so this updates state);
 * -1 for a NULL breaker, a host out of range or a NaN time (no error is recorded). */
CF_API int cf_rollout_breaker_is_ejected(cf_rollout_breaker *breaker, size_t host, double t);

/** How many times `host` has been ejected (the ejection multiplier); 0 for a bad host. */
CF_API int cf_rollout_breaker_ejections(const cf_rollout_breaker *breaker, size_t host);

/** What one request experiences given the outcome of each try. */
typedef struct cf_rollout_request_result {
	int status;        /**< final status seen by the caller; 504 when a timeout cut it */
	int tries;         /**< tries made (1 .. 1 + retry_attempts) */
	double elapsed_s;  /**< time until the caller got the answer */
} cf_rollout_request_result;

/**
 * Simulate one request under the retry policy: try i takes `latency_s[i]` and answers `status[i]` (0 = reset /
 * connect failure). A try longer than the per-try timeout fails as a timeout (retried); the whole request stops
 * at `timeout_s` with 504. 5xx, 0 and per-try timeouts are retried (retryOn "5xx,reset,connect-failure"); backoff
 * is not modelled. `n` tries are available; fewer than needed is CF_EINVAL.
 * @return 0 or CF_EINVAL
 */
CF_API int cf_rollout_request_simulate(cf_rollout_request_result *out, const cf_rollout_breaker_options *opts,
	const double *latency_s, const int *status, size_t n);

/**@}*/

/* ---------------------------------------------------------------------------------------------------------- */
/** @name Rollback plan */
/**@{*/

/** The five steps of a rollback, in the order they must run. */
typedef enum cf_rollout_step_kind {
	CF_ROLLOUT_STEP_SHIFT_TRAFFIC = 0,  /**< route `value` percent (100) to stable */
	CF_ROLLOUT_STEP_SCALE_CANARY = 1,   /**< scale the canary to `value` replicas (0) */
	CF_ROLLOUT_STEP_ALERT = 2,          /**< send `text` as an alert */
	CF_ROLLOUT_STEP_INCIDENT = 3,       /**< open an incident; `text` is a JSON object of its fields */
	CF_ROLLOUT_STEP_EVENT = 4           /**< append `text` to the event log */
} cf_rollout_step_kind;

#define CF_ROLLOUT_TEXT_LEN 1024

/** One step. */
typedef struct cf_rollout_step {
	cf_rollout_step_kind kind;
	double value;                   /**< stable weight or replicas; 0 otherwise */
	char target[128];               /**< the stable or canary version, or the service */
	char text[CF_ROLLOUT_TEXT_LEN]; /**< alert text, incident JSON or event text */
} cf_rollout_step;

/** An ordered rollback plan. */
typedef struct cf_rollout_plan {
	size_t count;                   /**< always 5 */
	cf_rollout_step steps[5];
} cf_rollout_plan;

/**
 * Build the rollback plan. Strings are truncated to fit (texts are escaped for JSON where they are JSON).
 * @param reason why (e.g. a decision's explanation); NULL for "rollback requested"
 * @param t decision time, seconds since the epoch
 * @return 0; CF_EINVAL for a NULL/empty service or version, or a NaN time
 */
CF_API int cf_rollout_plan_build(cf_rollout_plan *out, const char *service, const char *stable_version,
	const char *canary_version, const char *reason, double t);

/** Render a plan as JSON: {"steps": [{"order", "action", ...}]}. @return 0, CF_EINVAL or CF_ENOMEM */
CF_API int cf_rollout_plan_to_json(cf_buf *out, const cf_rollout_plan *plan);

/** Static name of a step kind ("shift_traffic", ...), "unknown" for other values. */
CF_API const char *cf_rollout_step_name(cf_rollout_step_kind kind);

/** Static name of an action ("none", "alert", "retrain", "rollback"), "unknown" for other values. */
CF_API const char *cf_rollout_action_name(cf_rollout_action action);

/**@}*/

CF_END_DECL

#endif /* COGNIFORGE_ROLLOUT_H */
