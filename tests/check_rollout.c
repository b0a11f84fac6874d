/* rollout module tests: the seed's rule policy with Prometheus `for` semantics, Argo Rollouts analysis phases
 * and the condition grammar, the Mann-Whitney test (against scipy) and the Kayenta-style judge, the Istio-style
 * breaker and retry arithmetic, and the rollback plan. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

static void assert_msg(const char *needle)
{
	const char *m = cf_error_last()->message;
	ck_assert_msg(strstr(m, needle) != NULL, "message '%s' lacks '%s'", m, needle);
}

/* ---- Rule policy ---- */
START_TEST(test_seed_error_rate_for)
{
	cf_rollout_policy *p = NULL;
	cf_rollout_decision d;
	cf_rollout_rule_state st;
	double since;
	int t;

	ck_assert_int_eq(cf_rollout_policy_preset(&p, NULL, "seed", NULL), 0);
	ck_assert_uint_eq(cf_rollout_policy_rule_count(p), 4);
	/* error rate 0.2% from t=0, every 60 s: pending until it has held 300 s, firing at t=300. */
	for (t = 0; t <= 240; t += 60)
		ck_assert_int_eq(cf_rollout_policy_observe(p, "error_rate", t, 0.002), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 240), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_NONE);
	ck_assert_uint_eq(d.pending, 1);
	ck_assert_int_eq(cf_rollout_policy_rule_state_get(&st, &since, p, 0), 0);
	ck_assert_int_eq(st, CF_ROLLOUT_PENDING);
	ck_assert_double_eq(since, 0);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "error_rate", 300, 0.002), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 300), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_ROLLBACK);
	ck_assert_uint_eq(d.firing, 1);
	ck_assert_int_eq(cf_rollout_policy_rule_state_get(&st, &since, p, 0), 0);
	ck_assert_int_eq(st, CF_ROLLOUT_FIRING);
	ck_assert_ptr_nonnull(strstr(d.explanation, "error-rate: error_rate > 0.001 for 300s"));
	ck_assert_ptr_nonnull(strstr(d.explanation, "rollback"));
	/* A false observation resets; exactly at threshold is not > threshold. */
	ck_assert_int_eq(cf_rollout_policy_observe(p, "error_rate", 360, 0.001), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 360), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_NONE);
	ck_assert_int_eq(cf_rollout_policy_rule_state_get(&st, &since, p, 0), 0);
	ck_assert_int_eq(st, CF_ROLLOUT_INACTIVE);
	ck_assert(isnan(since));
	ck_assert_str_eq(d.explanation, "");
	cf_rollout_policy_free(p);
}
END_TEST

START_TEST(test_seed_immediate_and_severity)
{
	cf_rollout_policy *p = NULL;
	cf_rollout_decision d;
	ck_assert_int_eq(cf_rollout_policy_preset(&p, NULL, "seed", NULL), 0);
	/* drift > 10% fires at once (for 0) and asks for retrain. */
	ck_assert_int_eq(cf_rollout_policy_observe(p, "drift", 10, 0.12), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 10), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_RETRAIN);
	ck_assert_str_eq(cf_rollout_action_name(d.action), "retrain");
	/* burn rate 14.4 exactly does not fire; 15 does and rollback outranks retrain. */
	ck_assert_int_eq(cf_rollout_policy_observe(p, "burn_rate", 11, 14.4), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 11), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_RETRAIN);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "burn_rate", 12, 15), 0);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "unwatched", 12, 1), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 12), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_ROLLBACK);
	ck_assert_uint_eq(d.firing, 2);
	ck_assert_ptr_nonnull(strstr(d.explanation, "burn-rate"));
	ck_assert_ptr_nonnull(strstr(d.explanation, "\ndrift: drift > 0.1 for 0s"));
	/* Staleness: no drift/burn observations for more than 300 s → inactive. */
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 313), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_NONE);
	cf_rollout_policy_free(p);
}
END_TEST

START_TEST(test_policy_gap_resets)
{
	cf_rollout_policy *p = NULL;
	cf_rollout_decision d;
	ck_assert_int_eq(cf_rollout_policy_preset(&p, NULL, "seed", NULL), 0);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "latency_p95_ms", 0, 400), 0);
	/* A 400 s gap exceeds the 300 s staleness: the run restarts at 400. */
	ck_assert_int_eq(cf_rollout_policy_observe(p, "latency_p95_ms", 400, 400), 0);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "latency_p95_ms", 600, 400), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 600), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_NONE);
	ck_assert_uint_eq(d.pending, 1);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "latency_p95_ms", 700, 301), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 700), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_ROLLBACK);
	ck_assert_ptr_nonnull(strstr(d.explanation, "latency-p95"));
	cf_rollout_policy_free(p);
}
END_TEST

START_TEST(test_policy_custom)
{
	static const cf_rollout_rule rules[] = {
		{ "low-throughput", "rps", CF_ROLLOUT_LT, 10, 60, CF_ROLLOUT_ALERT },
		{ "accuracy", "acc", CF_ROLLOUT_LE, 0.8, 0, CF_ROLLOUT_RETRAIN },
	};
	cf_rollout_policy_options o;
	cf_rollout_policy *p = NULL;
	cf_rollout_decision d;
	ck_assert_int_eq(cf_rollout_policy_options_init(&o, CF_ROLLOUT_POLICY_OPTIONS_VERSION), 0);
	ck_assert_double_eq(o.staleness_s, 300);
	o.staleness_s = 120;
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, rules, 2, &o), 0);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "rps", 0, 5), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 59), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_NONE);
	/* `for` is measured to the evaluation time, as Prometheus does between samples. */
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 60), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_ALERT);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "acc", 61, 0.8), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 61), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_RETRAIN);
	ck_assert_uint_eq(d.firing, 2);
	cf_rollout_policy_free(p);
	cf_rollout_policy_free(NULL);
}
END_TEST

START_TEST(test_policy_bad_input)
{
	cf_rollout_rule r = { "r", "m", CF_ROLLOUT_GT, 1, 0, CF_ROLLOUT_ALERT };
	cf_rollout_rule two[2];
	cf_rollout_policy_options o = CF_ROLLOUT_POLICY_OPTIONS_INIT;
	cf_rollout_policy *p = (cf_rollout_policy *)1;
	cf_rollout_decision d;
	cf_rollout_rule_state st;

	ck_assert_int_eq(cf_rollout_policy_preset(&p, NULL, "nope", NULL), CF_ENOTFOUND);
	ck_assert_ptr_null(p);
	assert_msg("known: seed");
	r.threshold = NAN;
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, &r, 1, NULL), CF_EINVAL);
	assert_msg("threshold");
	r.threshold = 1;
	r.for_s = -1;
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, &r, 1, NULL), CF_EINVAL);
	r.for_s = 0;
	r.action = CF_ROLLOUT_NONE;
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, &r, 1, NULL), CF_EINVAL);
	assert_msg("action");
	r.action = CF_ROLLOUT_ALERT;
	r.metric = "";
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, &r, 1, NULL), CF_EINVAL);
	r.metric = "m";
	two[0] = two[1] = r;
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, two, 2, NULL), CF_EINVAL);
	assert_msg("duplicate");
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, &r, 0, NULL), CF_EINVAL);
	o.version = 99;
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, &r, 1, &o), CF_EVERSION);
	o.version = CF_ROLLOUT_POLICY_OPTIONS_VERSION;
	o.staleness_s = 0;
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, &r, 1, &o), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_policy_create(&p, NULL, &r, 1, NULL), 0);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "m", 10, NAN), CF_EINVAL);
	assert_msg("not finite");
	ck_assert_int_eq(cf_rollout_policy_observe(p, "m", NAN, 1), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "m", 10, 2), 0);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "m", 9, 2), CF_EINVAL);
	assert_msg("must not decrease");
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 5), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_policy_rule_state_get(&st, NULL, p, 1), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_policy_observe(p, NULL, 11, 2), CF_EINVAL);
	cf_rollout_policy_free(p);
}
END_TEST

START_TEST(test_options_versions)
{
	cf_rollout_policy_options po;
	cf_rollout_judge_options jo;
	cf_rollout_breaker_options bo = CF_ROLLOUT_BREAKER_OPTIONS_INIT;
	cf_rollout_breaker *b = (cf_rollout_breaker *)1;
	ck_assert_int_eq(cf_rollout_policy_options_init(&po, 0), CF_EVERSION);
	ck_assert_int_eq(cf_rollout_policy_options_init(NULL, 1), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_judge_options_init(&jo, 2), CF_EVERSION);
	ck_assert_int_eq(cf_rollout_judge_options_init(&jo, 1), 0);
	ck_assert_double_eq(jo.tolerance, 0.25);
	ck_assert_double_eq(jo.conf_level, 0.98);
	ck_assert_double_eq(jo.pass_threshold, 90);
	ck_assert_int_eq(cf_rollout_breaker_options_init(&bo, 9), CF_EVERSION);
	ck_assert_int_eq(cf_rollout_metric_init(NULL), CF_EINVAL);
	bo.max_ejection_percent = 101;
	ck_assert_int_eq(cf_rollout_breaker_create(&b, NULL, 3, &bo), CF_EINVAL);
	ck_assert_ptr_null(b);
	assert_msg("max_ejection_percent");
	bo.max_ejection_percent = 10;
	bo.base_ejection_s = 0;
	ck_assert_int_eq(cf_rollout_breaker_create(&b, NULL, 3, &bo), CF_EINVAL);
	bo.base_ejection_s = 30;
	bo.retry_attempts = -1;
	ck_assert_int_eq(cf_rollout_breaker_create(&b, NULL, 3, &bo), CF_EINVAL);
	bo.retry_attempts = 2;
	ck_assert_int_eq(cf_rollout_breaker_create(&b, NULL, 0, &bo), CF_EINVAL);
	bo.version = 0;
	ck_assert_int_eq(cf_rollout_breaker_create(&b, NULL, 3, &bo), CF_EVERSION);
}
END_TEST

/* ---- Conditions and analysis ---- */
START_TEST(test_condition_grammar)
{
	int v = -1;
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "result < 0.01", 0.005), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "result >= 0.95 && result <= 1", 0.97), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "result < 1 or result > 2 and result < 3", 2.5), 0);
	ck_assert_int_eq(v, 1); /* and binds tighter */
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "(result < 1 || result > 2) && result < 3", 0.5), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "!(result == 5)", 5), 0);
	ck_assert_int_eq(v, 0);
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "not result != 5", 5), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "100 > result", 99), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "result > -1e-3", 0), 0);
	ck_assert_int_eq(v, 1);
	/* Bad expressions. */
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "result <", 0), CF_EINVAL);
	assert_msg("offset 8");
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "result ~ 1", 0), CF_EINVAL);
	assert_msg("comparison operator");
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "1 < 2", 0), CF_EINVAL);
	assert_msg("involve 'result'");
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "(result < 1", 0), CF_EINVAL);
	assert_msg("expected ')'");
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "result < 1 extra", 0), CF_EINVAL);
	assert_msg("trailing");
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "results < 1", 0), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "", 0), CF_EINVAL);
	assert_msg("empty");
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "result < 1e999", 0), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_condition_eval(&v, "system('x')", 0), CF_EINVAL);
	{
		char deep[200];
		memset(deep, '(', 60);
		strcpy(deep + 60, "result < 1");
		memset(deep + 70, ')', 60);
		deep[130] = '\0';
		ck_assert_int_eq(cf_rollout_condition_eval(&v, deep, 0), CF_EINVAL);
		assert_msg("deeply");
	}
}
END_TEST

static cf_rollout_metric metric_of(const char *ok, const char *bad, int count)
{
	cf_rollout_metric m;
	ck_assert_int_eq(cf_rollout_metric_init(&m), 0);
	m.name = "m";
	m.success_condition = ok;
	m.failure_condition = bad;
	m.count = count;
	return m;
}

START_TEST(test_analysis_evaluate_result)
{
	/* EvaluateResult: neither condition → Successful; success only → !success is Failed; failure only →
	 * !failure is Successful; both, neither matching → Inconclusive. */
	cf_rollout_metric ms[4];
	cf_rollout_analysis *a = NULL;
	cf_rollout_phase ph;
	ms[0] = metric_of(NULL, NULL, 0);
	ms[1] = metric_of("result >= 0.95", NULL, 0);
	ms[2] = metric_of(NULL, "result > 0.1", 0);
	ms[3] = metric_of("result >= 0.95", "result < 0.5", 0);
	ms[0].failure_limit = ms[1].failure_limit = ms[2].failure_limit = ms[3].failure_limit = -1;
	ms[3].inconclusive_limit = 10;
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, ms, 4), 0);
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_PENDING);
	ck_assert_int_eq(cf_rollout_analysis_measure(&ph, a, 0, 123), 0);
	ck_assert_int_eq(ph, CF_ROLLOUT_PHASE_SUCCESSFUL);
	ck_assert_int_eq(cf_rollout_analysis_measure(&ph, a, 1, 0.9), 0);
	ck_assert_int_eq(ph, CF_ROLLOUT_PHASE_FAILED);
	ck_assert_int_eq(cf_rollout_analysis_measure(&ph, a, 2, 0.05), 0);
	ck_assert_int_eq(ph, CF_ROLLOUT_PHASE_SUCCESSFUL);
	ck_assert_int_eq(cf_rollout_analysis_measure(&ph, a, 3, 0.7), 0);
	ck_assert_int_eq(ph, CF_ROLLOUT_PHASE_INCONCLUSIVE);
	ck_assert_int_eq(cf_rollout_analysis_measure(&ph, a, 3, 0.4), 0);
	ck_assert_int_eq(ph, CF_ROLLOUT_PHASE_FAILED);
	/* Unbounded metrics, failure limit disabled: still running. */
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_RUNNING);
	ck_assert_int_eq(cf_rollout_analysis_terminate(a), 0);
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_SUCCESSFUL);
	ck_assert_int_eq(cf_rollout_analysis_measure(&ph, a, 0, 1), CF_EINVAL);
	assert_msg("terminated");
	cf_rollout_analysis_free(a);
}
END_TEST

START_TEST(test_analysis_failure_limit)
{
	cf_rollout_metric m = metric_of("result < 0.01", NULL, 10);
	cf_rollout_analysis *a = NULL;
	cf_rollout_metric_counts c;
	int i;
	m.failure_limit = 3; /* tolerates three failures; the fourth fails the metric */
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 1), 0);
	for (i = 0; i < 3; i++) {
		ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.5), 0);
		ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_RUNNING);
	}
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.001), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.5), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_FAILED);
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_FAILED);
	ck_assert_int_eq(cf_rollout_analysis_metric_counts(&c, a, 0), 0);
	ck_assert_int_eq(c.count, 5);
	ck_assert_int_eq(c.failed, 4);
	ck_assert_int_eq(c.successful, 1);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.001), CF_EINVAL);
	assert_msg("terminated"); /* a Failed metric terminates the run */
	cf_rollout_analysis_free(a);
}
END_TEST

START_TEST(test_analysis_default_limits_and_count)
{
	/* Defaults: failureLimit 0 (the first failure fails), count 1 → Successful after one good measurement. */
	cf_rollout_metric ms[2];
	cf_rollout_analysis *a = NULL;
	ms[0] = metric_of("result < 0.01", NULL, 1);
	ms[1] = metric_of("result < 0.01", NULL, 3);
	ms[1].name = "m2";
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, ms, 2), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.001), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_SUCCESSFUL);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.001), CF_EINVAL);
	assert_msg("already completed (Successful)");
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_PENDING); /* m2 not measured yet */
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 1, 0.001), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 1, 0.001), 0);
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_RUNNING);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 1, 0.001), 0);
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_SUCCESSFUL);
	cf_rollout_analysis_free(a);
	ms[1].count = 0;
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, ms, 2), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 1, 0.5), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 1), CF_ROLLOUT_PHASE_FAILED);
	/* Terminating gives Successful to the never-measured metric, but the run stays Failed. */
	ck_assert_int_eq(cf_rollout_analysis_terminate(a), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_SUCCESSFUL);
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_FAILED);
	cf_rollout_analysis_free(a);
}
END_TEST

START_TEST(test_analysis_consecutive_errors)
{
	cf_rollout_metric m = metric_of("result < 0.01", NULL, 0);
	cf_rollout_analysis *a = NULL;
	cf_rollout_metric_counts c;
	int i;
	ck_assert_int_eq(m.consecutive_error_limit, 4);
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 1), 0);
	/* Four errors, a good value (resets the run of errors), then four more: still running. */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(cf_rollout_analysis_error(a, 0), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_RUNNING);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.001), 0);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(cf_rollout_analysis_error(a, 0), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_RUNNING);
	/* The fifth in a row ends it with Error. */
	ck_assert_int_eq(cf_rollout_analysis_error(a, 0), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_ERROR);
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_ERROR);
	ck_assert_int_eq(cf_rollout_analysis_metric_counts(&c, a, 0), 0);
	ck_assert_int_eq(c.error, 9);
	ck_assert_int_eq(c.consecutive_error, 5);
	ck_assert_int_eq(c.count, 10);
	ck_assert_str_eq(cf_rollout_phase_name(CF_ROLLOUT_PHASE_ERROR), "Error");
	cf_rollout_analysis_free(a);
}
END_TEST

START_TEST(test_analysis_inconclusive_and_success_limit)
{
	cf_rollout_metric ms[3];
	cf_rollout_analysis *a = NULL;
	ms[0] = metric_of("result > 0.9", "result < 0.5", 0);
	ms[1] = metric_of("result > 0.9", NULL, 5);
	ms[1].name = "succ";
	ms[1].consecutive_success_limit = 2;
	ms[1].failure_limit = -1;
	ms[2] = metric_of("result > 0.9", NULL, 2);
	ms[2].name = "both";
	ms[2].consecutive_success_limit = 2;
	ms[2].failure_limit = 5;
	/* consecutiveSuccessLimit 2 reached → Successful before count. */
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &ms[1], 1), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.95), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.1), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.95), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_RUNNING);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.95), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_SUCCESSFUL);
	cf_rollout_analysis_free(a);
	/* Count reached with both limits applicable and neither met → Inconclusive. */
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &ms[2], 1), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.95), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.1), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_INCONCLUSIVE);
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_INCONCLUSIVE);
	cf_rollout_analysis_free(a);
	/* Only the success limit applies (failure limit disabled) and count reached → Failed. */
	ms[1].count = 2;
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &ms[1], 1), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.95), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.1), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_FAILED);
	cf_rollout_analysis_free(a);
	/* An Inconclusive metric terminates the run (IsTerminating): the other running metric becomes Successful
	 * and takes no more measurements; the run is Inconclusive (the rollout pauses). */
	ms[1].count = 5;
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, ms, 2), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 1, 0.95), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 1), CF_ROLLOUT_PHASE_RUNNING);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, 0.7), 0);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 0), CF_ROLLOUT_PHASE_INCONCLUSIVE);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 1), CF_ROLLOUT_PHASE_SUCCESSFUL);
	ck_assert_int_eq(cf_rollout_analysis_phase(a), CF_ROLLOUT_PHASE_INCONCLUSIVE);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 1, 0.95), CF_EINVAL);
	assert_msg("terminated");
	cf_rollout_analysis_free(a);
}
END_TEST

START_TEST(test_analysis_bad_input)
{
	cf_rollout_metric m = metric_of("result <", NULL, 1);
	cf_rollout_analysis *a = (cf_rollout_analysis *)1;
	cf_rollout_metric_counts c;
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 1), CF_EINVAL);
	ck_assert_ptr_null(a);
	assert_msg("'m' success_condition");
	m = metric_of(NULL, "result >> 2", 1);
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 1), CF_EINVAL);
	assert_msg("failure_condition");
	m = metric_of(NULL, NULL, -1);
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 1), CF_EINVAL);
	m = metric_of(NULL, NULL, 1);
	m.failure_limit = -2;
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 1), CF_EINVAL);
	m.failure_limit = 0;
	m.consecutive_error_limit = -1;
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 1), CF_EINVAL);
	m.consecutive_error_limit = 4;
	m.name = NULL;
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 1), CF_EINVAL);
	m.name = "m";
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 0), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_analysis_create(&a, NULL, &m, 1), 0);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 0, NAN), CF_EINVAL);
	assert_msg("cf_rollout_analysis_error");
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, a, 1, 1), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_analysis_error(a, 3), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_analysis_metric_counts(&c, a, 2), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_analysis_metric_phase(a, 9), CF_ROLLOUT_PHASE_PENDING);
	ck_assert_int_eq(cf_rollout_analysis_measure(NULL, NULL, 0, 1), CF_EINVAL);
	ck_assert_str_eq(cf_rollout_phase_name((cf_rollout_phase)42), "Unknown");
	cf_rollout_analysis_free(a);
	cf_rollout_analysis_free(NULL);
}
END_TEST

/* ---- Mann-Whitney and judge ---- */
START_TEST(test_mann_whitney_scipy)
{
	/* Expected values from scipy 1.x: scipy.stats.mannwhitneyu(x, y, method='asymptotic',
	 * alternative='two-sided'); statistic and pvalue printed with repr(). */
	static const double x1[] = { 1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7 }, y1[] = { 2.5, 3.5, 8.5, 9.5, 10.5, 11.5 };
	static const double x2[] = { 1, 2, 2, 3, 3, 3, 4 }, y2[] = { 3, 4, 4, 5, 5, 6 };
	static const double x3[] = { 5, 5, 5 }, y3[] = { 5, 5 };
	cf_rollout_mw r;
	ck_assert_int_eq(cf_rollout_mann_whitney(&r, x1, 7, y1, 6), 0);
	ck_assert_double_eq_tol(r.u, 9.0, 1e-12);
	ck_assert_double_eq_tol(r.p_value, 0.10041249398610284, 1e-12);
	ck_assert_int_eq(cf_rollout_mann_whitney(&r, x2, 7, y2, 6), 0); /* ties */
	ck_assert_double_eq_tol(r.u, 3.5, 1e-12);
	ck_assert_double_eq_tol(r.p_value, 0.012999854364387305, 1e-12);
	ck_assert_int_eq(cf_rollout_mann_whitney(&r, x3, 3, y3, 2), 0); /* all tied */
	ck_assert_double_eq_tol(r.u, 3.0, 1e-12);
	ck_assert_double_eq(r.p_value, 1.0);
	/* Symmetry: swapping samples keeps p and gives U2 = n1 n2 - U1. */
	ck_assert_int_eq(cf_rollout_mann_whitney(&r, y1, 6, x1, 7), 0);
	ck_assert_double_eq_tol(r.u, 33.0, 1e-12);
	ck_assert_double_eq_tol(r.p_value, 0.10041249398610284, 1e-12);
	ck_assert_int_eq(cf_rollout_mann_whitney(&r, x1, 0, y1, 6), CF_EINVAL);
	assert_msg("empty");
	{
		const double bad[] = { 1, NAN };
		ck_assert_int_eq(cf_rollout_mann_whitney(&r, bad, 2, y1, 6), CF_EINVAL);
		assert_msg("x[1]");
	}
}
END_TEST

START_TEST(test_judge)
{
	double ctl[40], same[40], high[40], low[40], nan_only[2] = { NAN, NAN }, score;
	cf_rollout_judge_metric m[4];
	cf_rollout_judge_metric_result res[4];
	cf_rollout_judge_options o;
	cf_rollout_verdict v;
	int i;
	for (i = 0; i < 40; i++) {
		ctl[i] = 100 + (i * 7) % 13;
		same[i] = 100 + (i * 5) % 13;
		high[i] = 200 + (i * 3) % 13;
		low[i] = 40 + (i * 3) % 13;
	}
	memset(m, 0, sizeof m);
	m[0].name = "latency";
	m[0].control = ctl;
	m[0].n_control = 40;
	m[0].experiment = same;
	m[0].n_experiment = 40;
	m[0].direction = CF_ROLLOUT_INCREASE;
	m[1] = m[0];
	m[1].name = "errors";
	m[1].experiment = high;
	m[2] = m[0];
	m[2].name = "throughput";
	m[2].experiment = low;
	m[2].direction = CF_ROLLOUT_DECREASE;
	m[3] = m[0];
	m[3].name = "cpu";
	m[3].direction = CF_ROLLOUT_EITHER;
	ck_assert_int_eq(cf_rollout_judge_options_init(&o, CF_ROLLOUT_JUDGE_OPTIONS_VERSION), 0);
	ck_assert_int_eq(cf_rollout_judge(&score, &v, res, m, 4, &o), 0);
	ck_assert_int_eq(res[0].classification, CF_ROLLOUT_PASS);
	ck_assert_int_eq(res[1].classification, CF_ROLLOUT_HIGH);
	ck_assert_int_eq(res[2].classification, CF_ROLLOUT_LOW);
	ck_assert_int_eq(res[3].classification, CF_ROLLOUT_PASS);
	ck_assert(res[1].estimate > 90 && res[1].ci_lower > 0 && res[1].p_value < 1e-6);
	ck_assert_double_eq_tol(score, 50, 1e-9);
	ck_assert_int_eq(v, CF_ROLLOUT_VERDICT_FAIL);
	/* Weighted: passing metrics weigh 4 each, failing 1 → 80: MARGINAL. */
	m[0].weight = m[3].weight = 4;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, NULL, m, 4, NULL), 0);
	ck_assert_double_eq_tol(score, 80, 1e-9);
	ck_assert_int_eq(v, CF_ROLLOUT_VERDICT_MARGINAL);
	/* An increase on a decrease-only metric passes. */
	m[1].direction = CF_ROLLOUT_DECREASE;
	m[2].direction = CF_ROLLOUT_INCREASE;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, NULL, m, 4, NULL), 0);
	ck_assert_double_eq_tol(score, 100, 1e-9);
	ck_assert_int_eq(v, CF_ROLLOUT_VERDICT_PASS);
	/* A critical failure forces 0. */
	m[1].direction = CF_ROLLOUT_EITHER;
	m[1].critical = 1;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, NULL, m, 4, NULL), 0);
	ck_assert_double_eq(score, 0);
	/* Half the metrics Nodata (NaNs removed) forces 0. */
	m[1].critical = 0;
	m[1].experiment = nan_only;
	m[1].n_experiment = 2;
	m[2].n_control = 0;
	m[2].control = NULL;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, res, m, 4, NULL), 0);
	ck_assert_int_eq(res[1].classification, CF_ROLLOUT_NODATA);
	ck_assert_double_eq(score, 0);
	ck_assert_int_eq(v, CF_ROLLOUT_VERDICT_FAIL);
	/* Bad options and inputs. */
	o.conf_level = 1;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, NULL, m, 4, &o), CF_EINVAL);
	assert_msg("conf_level");
	o.conf_level = 0.98;
	o.marginal_threshold = 95;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, NULL, m, 4, &o), CF_EINVAL);
	o.version = 7;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, NULL, m, 4, &o), CF_EVERSION);
	m[0].weight = -1;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, NULL, m, 4, NULL), CF_EINVAL);
	assert_msg("weight");
	ck_assert_int_eq(cf_rollout_judge(&score, &v, NULL, m, 0, NULL), CF_EINVAL);
}
END_TEST

START_TEST(test_judge_edges)
{
	double zeros[5] = { 0, 0, 0, 0, 0 }, ones[5] = { 1, 1, 1, 1, 1 }, x[5] = { 1, 2, 3, 4, 5 }, score;
	cf_rollout_judge_metric m[3];
	cf_rollout_judge_metric_result res[3];
	cf_rollout_verdict v;
	memset(m, 0, sizeof m);
	/* Control mean 0: the effect size is 1 (Kayenta), which meets allowed_increase 1 → High. */
	m[0].name = "errors";
	m[0].control = zeros;
	m[0].n_control = 5;
	m[0].experiment = ones;
	m[0].n_experiment = 5;
	m[1].name = "same";
	m[1].control = x;
	m[1].n_control = 5;
	m[1].experiment = x;
	m[1].n_experiment = 5;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, res, m, 2, NULL), 0);
	ck_assert_double_eq(res[0].mean_ratio, 1);
	ck_assert_int_eq(res[0].classification, CF_ROLLOUT_HIGH);
	ck_assert_int_eq(res[1].classification, CF_ROLLOUT_PASS); /* identical samples */
	ck_assert_double_eq(res[1].estimate, 0);
	ck_assert_double_eq(score, 50);
	/* A critical metric without data forces 0 even when it is the only Nodata one of three. */
	m[2] = m[1];
	m[2].name = "critical-nodata";
	m[2].n_experiment = 0;
	m[2].experiment = NULL;
	m[2].critical = 1;
	m[0] = m[1];
	ck_assert_int_eq(cf_rollout_judge(&score, &v, res, m, 3, NULL), 0);
	ck_assert_int_eq(res[2].classification, CF_ROLLOUT_NODATA);
	ck_assert(isnan(res[2].estimate));
	ck_assert_double_eq(score, 0);
	m[2].critical = 0;
	ck_assert_int_eq(cf_rollout_judge(&score, &v, res, m, 3, NULL), 0);
	ck_assert_double_eq(score, 100);
	ck_assert_int_eq(v, CF_ROLLOUT_VERDICT_PASS);
}
END_TEST

/* ---- Breaker and retries ---- */
START_TEST(test_breaker_ejection_growth)
{
	cf_rollout_breaker *b = NULL;
	cf_rollout_breaker_options o;
	int ej = -1, i;
	ck_assert_int_eq(cf_rollout_breaker_options_init(&o, CF_ROLLOUT_BREAKER_OPTIONS_VERSION), 0);
	ck_assert_int_eq(o.consecutive_5xx, 5);
	ck_assert_int_eq(o.retry_attempts, 2);
	ck_assert_double_eq(o.timeout_s, 5);
	ck_assert_int_eq(cf_rollout_breaker_create(&b, NULL, 10, &o), 0);
	/* Four 5xx, a 200 (resets), then five 5xx in a row eject host 0 for 30 s. */
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, 0, 1, 503), 0);
	ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, 0, 1, 200), 0);
	for (i = 0; i < 4; i++) {
		ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, 0, 2, i % 2 ? 500 : 0), 0);
		ck_assert_int_eq(ej, 0);
	}
	ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, 0, 2, 502), 0);
	ck_assert_int_eq(ej, 1);
	ck_assert_int_eq(cf_rollout_breaker_ejections(b, 0), 1);
	ck_assert_int_eq(cf_rollout_breaker_is_ejected(b, 0, 31.9), 1);
	ck_assert_int_eq(cf_rollout_breaker_is_ejected(b, 0, 32), 0);
	/* Second ejection soon after: 2 × 30 = 60 s. */
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, 0, 33, 503), 0);
	ck_assert_int_eq(ej, 1);
	ck_assert_int_eq(cf_rollout_breaker_ejections(b, 0), 2);
	ck_assert_int_eq(cf_rollout_breaker_is_ejected(b, 0, 92.9), 1);
	ck_assert_int_eq(cf_rollout_breaker_is_ejected(b, 0, 93), 0);
	/* Healthy for two intervals (20 s): the multiplier decays back to 0. */
	ck_assert_int_eq(cf_rollout_breaker_is_ejected(b, 0, 113), 0);
	ck_assert_int_eq(cf_rollout_breaker_ejections(b, 0), 0);
	ck_assert_int_eq(cf_rollout_breaker_is_ejected(b, 99, 113), -1);
	cf_rollout_breaker_free(b);
	cf_rollout_breaker_free(NULL);
}
END_TEST

START_TEST(test_breaker_max_ejection_percent)
{
	cf_rollout_breaker *b = NULL;
	int ej = -1, h, i;
	/* 10% of 10 hosts: one host may be ejected at a time. */
	ck_assert_int_eq(cf_rollout_breaker_create(&b, NULL, 10, NULL), 0);
	for (h = 0; h < 2; h++)
		for (i = 0; i < 5; i++)
			ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, (size_t)h, 1, 503), 0);
	ck_assert_int_eq(ej, 0);
	ck_assert_int_eq(cf_rollout_breaker_is_ejected(b, 0, 1), 1);
	ck_assert_int_eq(cf_rollout_breaker_is_ejected(b, 1, 1), 0);
	cf_rollout_breaker_free(b);
	/* With 3 hosts, 10% is below one host, but Envoy still ejects one. */
	ck_assert_int_eq(cf_rollout_breaker_create(&b, NULL, 3, NULL), 0);
	for (i = 0; i < 5; i++)
		ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, 2, 1, 500), 0);
	ck_assert_int_eq(ej, 1);
	ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, 0, 0.5, 500), CF_EINVAL);
	assert_msg("earlier");
	ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, 3, 2, 500), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_breaker_record(&ej, b, 0, 2, 42), CF_EINVAL);
	cf_rollout_breaker_free(b);
}
END_TEST

START_TEST(test_retry_and_timeout)
{
	cf_rollout_breaker_options o = CF_ROLLOUT_BREAKER_OPTIONS_INIT;
	cf_rollout_request_result r;
	double lat[3] = { 0.1, 0.2, 0.3 };
	int st[3] = { 503, 0, 200 };
	/* Two retries = three tries. */
	ck_assert_int_eq(cf_rollout_request_simulate(&r, &o, lat, st, 3), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.tries, 3);
	ck_assert_double_eq_tol(r.elapsed_s, 0.6, 1e-12);
	/* All fail: the third answer is what the caller sees. */
	st[2] = 500;
	ck_assert_int_eq(cf_rollout_request_simulate(&r, &o, lat, st, 3), 0);
	ck_assert_int_eq(r.status, 500);
	ck_assert_int_eq(r.tries, 3);
	/* A 4xx is not retried. */
	st[0] = 404;
	ck_assert_int_eq(cf_rollout_request_simulate(&r, &o, lat, st, 3), 0);
	ck_assert_int_eq(r.status, 404);
	ck_assert_int_eq(r.tries, 1);
	/* The 5 s deadline covers every try: 3 s + 3 s hits it during the second try. */
	st[0] = 503;
	lat[0] = 3;
	lat[1] = 3;
	ck_assert_int_eq(cf_rollout_request_simulate(&r, &o, lat, st, 3), 0);
	ck_assert_int_eq(r.status, 504);
	ck_assert_int_eq(r.tries, 2);
	ck_assert_double_eq(r.elapsed_s, 5);
	/* perTryTimeout 2 s: a 3 s try times out at 2 s and is retried. */
	o.per_try_timeout_s = 2;
	lat[0] = 3;
	lat[1] = 1;
	st[1] = 200;
	ck_assert_int_eq(cf_rollout_request_simulate(&r, &o, lat, st, 3), 0);
	ck_assert_int_eq(r.status, 200);
	ck_assert_int_eq(r.tries, 2);
	ck_assert_double_eq_tol(r.elapsed_s, 3, 1e-12);
	/* Not enough outcomes given. */
	st[1] = 503;
	ck_assert_int_eq(cf_rollout_request_simulate(&r, &o, lat, st, 2), CF_EINVAL);
	assert_msg("only 2");
	o.per_try_timeout_s = 0.0001;
	ck_assert_int_eq(cf_rollout_request_simulate(&r, &o, lat, st, 3), CF_EINVAL);
}
END_TEST

/* ---- Rollback plan ---- */
START_TEST(test_rollback_plan)
{
	cf_rollout_plan plan;
	cf_buf b = CF_BUF_INIT;
	ck_assert_int_eq(cf_rollout_plan_build(&plan, "churn", "v3", "v4", "error-rate: \"high\"", 1700000000), 0);
	ck_assert_uint_eq(plan.count, 5);
	ck_assert_int_eq(plan.steps[0].kind, CF_ROLLOUT_STEP_SHIFT_TRAFFIC);
	ck_assert_double_eq(plan.steps[0].value, 100);
	ck_assert_str_eq(plan.steps[0].target, "v3");
	ck_assert_int_eq(plan.steps[1].kind, CF_ROLLOUT_STEP_SCALE_CANARY);
	ck_assert_double_eq(plan.steps[1].value, 0);
	ck_assert_str_eq(plan.steps[1].target, "v4");
	ck_assert_int_eq(plan.steps[2].kind, CF_ROLLOUT_STEP_ALERT);
	ck_assert_ptr_nonnull(strstr(plan.steps[2].text, "error-rate"));
	ck_assert_int_eq(plan.steps[3].kind, CF_ROLLOUT_STEP_INCIDENT);
	ck_assert_ptr_nonnull(strstr(plan.steps[3].text, "\"started_at\": \"2023-11-14T22:13:20Z\""));
	ck_assert_ptr_nonnull(strstr(plan.steps[3].text, "error-rate: \\\"high\\\""));
	ck_assert_int_eq(plan.steps[4].kind, CF_ROLLOUT_STEP_EVENT);
	ck_assert_int_eq(cf_rollout_plan_to_json(&b, &plan), 0);
	ck_assert_ptr_nonnull(strstr(b.ptr, "{\"order\": 1, \"action\": \"shift_traffic\", \"target\": \"v3\", "
		"\"stable_weight\": 100, \"canary_weight\": 0"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"action\": \"scale_canary\", \"target\": \"v4\", \"replicas\": 0"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"order\": 5, \"action\": \"event\""));
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"incident\": {\"service\": \"churn\""));
	cf_buf_dispose(&b);
	ck_assert_str_eq(cf_rollout_step_name(CF_ROLLOUT_STEP_INCIDENT), "incident");
	ck_assert_int_eq(cf_rollout_plan_build(&plan, "churn", "v3", "v4", NULL, 0), 0);
	ck_assert_ptr_nonnull(strstr(plan.steps[2].text, "rollback requested"));
	ck_assert_int_eq(cf_rollout_plan_build(&plan, "", "v3", "v4", NULL, 0), CF_EINVAL);
	assert_msg("service");
	ck_assert_int_eq(cf_rollout_plan_build(&plan, "s", "v3", "v4", NULL, NAN), CF_EINVAL);
	ck_assert_int_eq(cf_rollout_plan_to_json(NULL, &plan), CF_EINVAL);
}
END_TEST

START_TEST(test_decision_to_plan)
{
	cf_rollout_policy *p = NULL;
	cf_rollout_decision d;
	cf_rollout_plan plan;
	ck_assert_int_eq(cf_rollout_policy_preset(&p, NULL, "seed", NULL), 0);
	ck_assert_int_eq(cf_rollout_policy_observe(p, "burn_rate", 100, 20), 0);
	ck_assert_int_eq(cf_rollout_policy_decide(&d, p, 100), 0);
	ck_assert_int_eq(d.action, CF_ROLLOUT_ROLLBACK);
	ck_assert_int_eq(cf_rollout_plan_build(&plan, "svc", "v1", "v2", d.explanation, 100), 0);
	ck_assert_ptr_nonnull(strstr(plan.steps[4].text, "burn-rate: burn_rate > 14.4"));
	cf_rollout_policy_free(p);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rollout");
	TCase *tc;

	tc = tcase_create("Rule policy");
	tcase_add_test(tc, test_seed_error_rate_for);
	tcase_add_test(tc, test_seed_immediate_and_severity);
	tcase_add_test(tc, test_policy_gap_resets);
	tcase_add_test(tc, test_policy_custom);
	suite_add_tcase(s, tc);
	tc = tcase_create("Analysis runs");
	tcase_add_test(tc, test_condition_grammar);
	tcase_add_test(tc, test_analysis_evaluate_result);
	tcase_add_test(tc, test_analysis_failure_limit);
	tcase_add_test(tc, test_analysis_default_limits_and_count);
	tcase_add_test(tc, test_analysis_consecutive_errors);
	tcase_add_test(tc, test_analysis_inconclusive_and_success_limit);
	suite_add_tcase(s, tc);
	tc = tcase_create("Judge");
	tcase_add_test(tc, test_mann_whitney_scipy);
	tcase_add_test(tc, test_judge);
	tcase_add_test(tc, test_judge_edges);
	suite_add_tcase(s, tc);
	tc = tcase_create("Circuit breaker");
	tcase_add_test(tc, test_breaker_ejection_growth);
	tcase_add_test(tc, test_breaker_max_ejection_percent);
	tcase_add_test(tc, test_retry_and_timeout);
	suite_add_tcase(s, tc);
	tc = tcase_create("Rollback plan");
	tcase_add_test(tc, test_rollback_plan);
	tcase_add_test(tc, test_decision_to_plan);
	suite_add_tcase(s, tc);
	tc = tcase_create("Bad input");
	tcase_add_test(tc, test_policy_bad_input);
	tcase_add_test(tc, test_analysis_bad_input);
	tcase_add_test(tc, test_options_versions);
	suite_add_tcase(s, tc);
	return cf_check_run(s);
}
