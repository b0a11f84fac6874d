/**
 * @file cogniforge/types.h
 * @brief Every opaque handle of the public API, declared in one place.
 */
#ifndef COGNIFORGE_TYPES_H
#define COGNIFORGE_TYPES_H

#include "cogniforge/common.h"

CF_BEGIN_DECL

/** A library context: allocator, log sink and compute device. See context.h. */
typedef struct cf_context cf_context;

/** A streaming reader over a file, decompressing gzip/zstd/xz/bzip2 transparently. See io.h. */
typedef struct cf_reader cf_reader;

/** A table of typed, named columns. See table.h. */
typedef struct cf_table cf_table;

/** A streaming CSV reader producing table chunks. See csv.h. */
typedef struct cf_csv_reader cf_csv_reader;

/** Mergeable per-column statistics of a table or a stream of chunks. See stats.h. */
typedef struct cf_stats cf_stats;

/** A parsed expectation suite (Great Expectations JSON). See validate.h. */
typedef struct cf_suite cf_suite;

/** A validation run: a suite evaluated over a table or a stream of chunks. See validate.h. */
typedef struct cf_validation cf_validation;

/** Mergeable per-group confusion counts and score histograms (fairness accumulator). See fairness.h. */
typedef struct cf_fairness cf_fairness;

/** Per-group fairness metrics and disparities, built from an accumulator or one pass. See fairness.h. */
typedef struct cf_fairness_report cf_fairness_report;

/** A streaming SLO evaluator: fixed-memory window state, burn rates and multiwindow alerts. See slo.h. */
typedef struct cf_slo cf_slo;

/** A mergeable relative-error quantile sketch (DDSketch-style) for latency SLOs. See slo.h. */
typedef struct cf_slo_sketch cf_slo_sketch;

/** A parsed Sloth `prometheus/v1` SLO spec (service, labels, SLOs with SLIs and alerting). See slo.h. */
typedef struct cf_slo_spec cf_slo_spec;

/** A drift reference profile: per-column summaries of a reference table, mergeable. See drift.h. */
typedef struct cf_drift_profile cf_drift_profile;

/** Per-column drift results of a comparison against a profile. See drift.h. */
typedef struct cf_drift_report cf_drift_report;

/** A rollback/alert rule policy evaluated over timestamped observations. See rollout.h. */
typedef struct cf_rollout_policy cf_rollout_policy;

/** An Argo Rollouts-style analysis run: per-metric measurements and phases. See rollout.h. */
typedef struct cf_rollout_analysis cf_rollout_analysis;

/** An Istio-style per-host outlier-detection circuit breaker. See rollout.h. */
typedef struct cf_rollout_breaker cf_rollout_breaker;

CF_END_DECL

#endif /* COGNIFORGE_TYPES_H */
