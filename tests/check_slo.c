/* slo module tests: error-budget arithmetic (SRE Workbook worked examples), policies and presets, the streaming
 * evaluator (events, counters with resets, gaps, time slices), histogram_quantile and the quantile sketch. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

#define H 3600.0
#define D 86400.0
#define P30 (30 * D)
#define EPS 1e-9

static double v_of(int (*fn)(double *, double), double x)
{
	double out = -1;
	ck_assert_int_eq(fn(&out, x), 0);
	return out;
}

static void assert_msg(const char *needle)
{
	const char *m = cf_error_last()->message;
	ck_assert_msg(strstr(m, needle) != NULL, "message '%s' lacks '%s'", m, needle);
}

/* ---- Pure functions ---- */
START_TEST(test_budget_and_burn)
{
	double v;
	ck_assert_double_eq_tol(v_of(cf_slo_error_budget, 0.999), 0.001, 1e-15);
	/* Table 5-4 (99.9%): error ratio 0.1% → burn 1, 0.2% → 2, 1% → 10, 100% → 1000. */
	ck_assert_int_eq(cf_slo_burn_rate(&v, 0.001, 0.999), 0);
	ck_assert_double_eq_tol(v, 1, 1e-9);
	ck_assert_int_eq(cf_slo_burn_rate(&v, 0.002, 0.999), 0);
	ck_assert_double_eq_tol(v, 2, 1e-9);
	ck_assert_int_eq(cf_slo_burn_rate(&v, 0.01, 0.999), 0);
	ck_assert_double_eq_tol(v, 10, 1e-9);
	ck_assert_int_eq(cf_slo_burn_rate(&v, 1, 0.999), 0);
	ck_assert_double_eq_tol(v, 1000, 1e-9);
	/* ...budget gone in 30 d, 15 d, 3 d, 43 min. */
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, 1, P30, 1), 0);
	ck_assert_double_eq_tol(v, P30, 1e-6);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, 2, P30, 1), 0);
	ck_assert_double_eq_tol(v, 15 * D, 1e-6);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, 10, P30, 1), 0);
	ck_assert_double_eq_tol(v, 3 * D, 1e-6);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, 1000, P30, 1), 0);
	ck_assert_double_eq_tol(v / 60, 43.2, 1e-9);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, 0, P30, 1), 0);
	ck_assert(isinf(v) && v > 0);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, 2, P30, 0.5), 0);
	ck_assert_double_eq_tol(v, 7.5 * D, 1e-6);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, 2, P30, -0.1), 0);
	ck_assert_double_eq(v, 0);
	/* 99.999% over 30 days: about 26 s of total outage. */
	ck_assert_int_eq(cf_slo_burn_rate(&v, 1, 0.99999), 0);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, v, P30, 1), 0);
	ck_assert_double_eq_tol(v, 25.92, 1e-6);
	/* Low traffic: one failure in 10 requests an hour is a 100× burn (a 10% ratio). */
	ck_assert_int_eq(cf_slo_burn_rate(&v, 0.1, 0.999), 0);
	ck_assert_double_eq_tol(v, 100, 1e-9);
}
END_TEST

START_TEST(test_budget_consumed)
{
	double v;
	/* Table 5-8 and the Google 4-pair policy: 2%, 5%, 10%, 10%. */
	ck_assert_int_eq(cf_slo_budget_consumed(&v, 14.4, H, P30), 0);
	ck_assert_double_eq_tol(v, 0.02, 1e-12);
	ck_assert_int_eq(cf_slo_budget_consumed(&v, 6, 6 * H, P30), 0);
	ck_assert_double_eq_tol(v, 0.05, 1e-12);
	ck_assert_int_eq(cf_slo_budget_consumed(&v, 3, D, P30), 0);
	ck_assert_double_eq_tol(v, 0.10, 1e-12);
	ck_assert_int_eq(cf_slo_budget_consumed(&v, 1, 3 * D, P30), 0);
	ck_assert_double_eq_tol(v, 0.10, 1e-12);
	/* At a 90% SLO a total outage (burn 10) spends 1/72 of the budget per hour. */
	ck_assert_int_eq(cf_slo_budget_consumed(&v, 10, H, P30), 0);
	ck_assert_double_eq_tol(v, 1.0 / 72, 1e-12);
	/* Pyrra 28d: 14× over 1h = 2.08%; 1× over 4d = 14.3%. */
	ck_assert_int_eq(cf_slo_budget_consumed(&v, 14, H, 28 * D), 0);
	ck_assert_double_eq_tol(v, 0.0208333, 1e-6);
	ck_assert_int_eq(cf_slo_budget_consumed(&v, 1, 4 * D, 28 * D), 0);
	ck_assert_double_eq_tol(v, 0.142857, 1e-6);
}
END_TEST

START_TEST(test_detection_and_reset)
{
	double v;
	/* Section 3: time to fire at 100% errors: 0.86, 2.16, 4.32, 4.32 min. */
	ck_assert_int_eq(cf_slo_detection_time(&v, 1, 0.999, 14.4, H), 0);
	ck_assert_double_eq_tol(v / 60, 0.864, 1e-9);
	ck_assert_int_eq(cf_slo_detection_time(&v, 1, 0.999, 6, 6 * H), 0);
	ck_assert_double_eq_tol(v / 60, 2.16, 1e-9);
	ck_assert_int_eq(cf_slo_detection_time(&v, 1, 0.999, 3, D), 0);
	ck_assert_double_eq_tol(v / 60, 4.32, 1e-9);
	ck_assert_int_eq(cf_slo_detection_time(&v, 1, 0.999, 1, 3 * D), 0);
	ck_assert_double_eq_tol(v / 60, 4.32, 1e-9);
	/* At 10% errors the 14.4× 1h pair fires after 8.64 min. */
	ck_assert_int_eq(cf_slo_detection_time(&v, 0.1, 0.999, 14.4, H), 0);
	ck_assert_double_eq_tol(v / 60, 8.64, 1e-9);
	/* Iteration 1: 10 min window, total outage detected in 0.6 s; iteration 2: 36 h, 2 min 10 s. */
	ck_assert_int_eq(cf_slo_detection_time(&v, 1, 0.999, 1, 600), 0);
	ck_assert_double_eq_tol(v, 0.6, 1e-9);
	ck_assert_int_eq(cf_slo_detection_time(&v, 1, 0.999, 1, 36 * H), 0);
	ck_assert_double_eq_tol(v, 129.6, 1e-9);
	/* Iteration 4: a 35× burn never trips a 36× alert. */
	ck_assert_int_eq(cf_slo_detection_time(&v, 0.035, 0.999, 36, H), 0);
	ck_assert(isinf(v));
	/* Iteration 4's reset: 58 min after a total outage. */
	ck_assert_int_eq(cf_slo_reset_time(&v, 1, 0.999, 36, H, INFINITY), 0);
	ck_assert_double_eq_tol(v / 60, 57.84, 1e-9);
	/* Iteration 6: 15% errors for 10 min; the 5 min short window clears within 5 min. */
	ck_assert_int_eq(cf_slo_reset_time(&v, 0.15, 0.999, 14.4, 300, 600), 0);
	ck_assert(v > 0 && v <= 300);
	ck_assert_double_eq_tol(v, 300 - 28.8, 1e-9);
	/* A blip too short to trip the window resets at once. */
	ck_assert_int_eq(cf_slo_reset_time(&v, 0.15, 0.999, 14.4, 300, 10), 0);
	ck_assert_double_eq(v, 0);
	ck_assert_int_eq(cf_slo_reset_time(&v, 0, 0.999, 14.4, 300, 10), 0);
	ck_assert_double_eq(v, 0);
}
END_TEST

START_TEST(test_pure_bad_input)
{
	double v, bad_obj[] = { 0, 1, -0.1, 1.5, NAN, INFINITY };
	for (size_t i = 0; i < sizeof bad_obj / sizeof *bad_obj; i++) {
		ck_assert_int_eq(cf_slo_error_budget(&v, bad_obj[i]), CF_EINVAL);
		assert_msg("outside (0, 1)");
		ck_assert_int_eq(cf_slo_burn_rate(&v, 0.1, bad_obj[i]), CF_EINVAL);
	}
	ck_assert_int_eq(cf_slo_error_budget(&v, 99.9), CF_EINVAL);
	assert_msg("0.999");
	ck_assert_int_eq(cf_slo_burn_rate(&v, 1.5, 0.999), CF_EINVAL);
	ck_assert_int_eq(cf_slo_burn_rate(&v, NAN, 0.999), CF_EINVAL);
	ck_assert_int_eq(cf_slo_burn_rate(NULL, 0.1, 0.999), CF_EINVAL);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, -1, P30, 1), CF_EINVAL);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, 1, 0, 1), CF_EINVAL);
	ck_assert_int_eq(cf_slo_time_to_exhaustion(&v, 1, P30, NAN), CF_EINVAL);
	ck_assert_int_eq(cf_slo_budget_consumed(&v, 1, -1, P30), CF_EINVAL);
	ck_assert_int_eq(cf_slo_detection_time(&v, 0.1, 0.999, 0, H), CF_EINVAL);
	ck_assert_int_eq(cf_slo_detection_time(&v, 0.1, 0.999, 1, NAN), CF_EINVAL);
	ck_assert_int_eq(cf_slo_reset_time(&v, 0.1, 0.999, 1, H, -1), CF_EINVAL);
}
END_TEST

START_TEST(test_parse_duration)
{
	double v;
	ck_assert_int_eq(cf_slo_parse_duration(&v, "5m"), 0);
	ck_assert_double_eq(v, 300);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "1h30m"), 0);
	ck_assert_double_eq(v, 5400);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "500ms"), 0);
	ck_assert_double_eq_tol(v, 0.5, 1e-12);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "30d"), 0);
	ck_assert_double_eq(v, P30);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "4w"), 0);
	ck_assert_double_eq(v, 28 * D);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "1y"), 0);
	ck_assert_double_eq(v, 365 * D);
	ck_assert_int_eq(cf_slo_parse_duration(&v, ""), CF_EINVAL);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "5x"), CF_EINVAL);
	assert_msg("unknown unit");
	ck_assert_int_eq(cf_slo_parse_duration(&v, "5"), CF_EINVAL);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "m"), CF_EINVAL);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "0s"), CF_EINVAL);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "5m1h"), CF_EINVAL);
	ck_assert_int_eq(cf_slo_parse_duration(&v, "-5m"), CF_EINVAL);
	ck_assert_int_eq(cf_slo_parse_duration(&v, NULL), CF_EINVAL);
}
END_TEST

/* ---- Policies ---- */
START_TEST(test_presets)
{
	cf_slo_policy p;
	ck_assert_int_eq(cf_slo_policy_preset(&p, "google-30d"), 0);
	ck_assert_uint_eq(p.count, 4);
	ck_assert_double_eq(p.windows[0].burn_rate, 14.4);
	ck_assert_double_eq(p.windows[0].long_s, H);
	ck_assert_double_eq(p.windows[0].short_s, 300);
	ck_assert_int_eq(p.windows[0].severity, CF_SLO_PAGE);
	ck_assert_double_eq(p.windows[1].burn_rate, 6);
	ck_assert_double_eq(p.windows[2].burn_rate, 3);
	ck_assert_double_eq(p.windows[2].long_s, D);
	ck_assert_double_eq(p.windows[2].short_s, 2 * H);
	ck_assert_int_eq(p.windows[2].severity, CF_SLO_TICKET);
	ck_assert_double_eq(p.windows[3].burn_rate, 1);
	ck_assert_double_eq(p.windows[3].long_s, 3 * D);
	ck_assert_double_eq(p.windows[3].short_s, 6 * H);
	ck_assert_int_eq(cf_slo_policy_validate(&p, 0.999, P30), 0);
	/* Sloth 28d factors. */
	ck_assert_int_eq(cf_slo_policy_preset(&p, "google-28d"), 0);
	ck_assert_double_eq_tol(p.windows[0].burn_rate, 13.44, 1e-12);
	ck_assert_double_eq_tol(p.windows[1].burn_rate, 5.6, 1e-12);
	ck_assert_double_eq_tol(p.windows[2].burn_rate, 2.8, 1e-12);
	ck_assert_double_eq_tol(p.windows[3].burn_rate, 0.93333, 1e-5);
	ck_assert_int_eq(cf_slo_policy_preset(&p, "pyrra-28d"), 0);
	ck_assert_double_eq(p.windows[0].burn_rate, 14);
	ck_assert_double_eq(p.windows[1].burn_rate, 7);
	ck_assert_double_eq(p.windows[2].burn_rate, 2);
	ck_assert_double_eq(p.windows[3].burn_rate, 1);
	ck_assert_double_eq(p.windows[3].long_s, 4 * D);
	ck_assert_int_eq(cf_slo_policy_validate(&p, 0.99, 28 * D), 0);
	ck_assert_int_eq(cf_slo_policy_preset(&p, "google-7d"), CF_ENOTFOUND);
	assert_msg("google-30d");
	ck_assert_uint_eq(p.count, 0);
}
END_TEST

START_TEST(test_policy_validate)
{
	cf_slo_policy p, q;
	ck_assert_int_eq(cf_slo_policy_preset(&p, "google-30d"), 0);
	/* A 90% SLO: the largest burn is 10, so 14.4× can never fire. */
	ck_assert_int_eq(cf_slo_policy_validate(&p, 0.9, P30), CF_EINVAL);
	assert_msg("can never fire");
	assert_msg("window 0 (1h/5m)");
	/* At 93% the max burn is 14.29: still unreachable; 1/(1-0.95) = 20 is fine. */
	ck_assert_int_eq(cf_slo_policy_validate(&p, 0.93, P30), CF_EINVAL);
	ck_assert_int_eq(cf_slo_policy_validate(&p, 0.95, P30), 0);
	/* Exactly reachable at burn 1/(1 - objective). */
	q = p;
	q.count = 1;
	q.windows[0].burn_rate = 10;
	ck_assert_int_eq(cf_slo_policy_validate(&q, 0.9, P30), 0);
	ck_assert_int_eq(cf_slo_policy_validate(&p, 1.0, P30), CF_EINVAL);
	ck_assert_int_eq(cf_slo_policy_validate(&p, NAN, P30), CF_EINVAL);
	ck_assert_int_eq(cf_slo_policy_validate(&p, 0.999, 2 * D), CF_EINVAL);  /* 3d window > 2d period */
	assert_msg("longer than the period");
	q = p;
	q.windows[1].short_s = 7 * H;
	ck_assert_int_eq(cf_slo_policy_validate(&q, 0.999, P30), CF_EINVAL);
	assert_msg("short window 7h is longer than long window 6h");
	q = p;
	q.windows[2].burn_rate = NAN;
	ck_assert_int_eq(cf_slo_policy_validate(&q, 0.999, P30), CF_EINVAL);
	q = p;
	q.windows[2].long_s = 0;
	ck_assert_int_eq(cf_slo_policy_validate(&q, 0.999, P30), CF_EINVAL);
	q = p;
	q.windows[3].severity = (cf_slo_severity)7;
	ck_assert_int_eq(cf_slo_policy_validate(&q, 0.999, P30), CF_EINVAL);
	q.count = 0;
	ck_assert_int_eq(cf_slo_policy_validate(&q, 0.999, P30), CF_EINVAL);
	q.count = CF_SLO_MAX_WINDOWS + 1;
	ck_assert_int_eq(cf_slo_policy_validate(&q, 0.999, P30), CF_EINVAL);
	ck_assert_int_eq(cf_slo_policy_validate(NULL, 0.999, P30), CF_EINVAL);
}
END_TEST

/* ---- Evaluator ---- */
static cf_slo *make(double objective, double period, double res, const cf_slo_policy *pol)
{
	cf_slo_options o = CF_SLO_OPTIONS_INIT;
	cf_slo *s = NULL;
	o.objective = objective;
	o.period_s = period;
	o.resolution_s = res;
	o.policy = pol;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), 0);
	return s;
}

START_TEST(test_options)
{
	cf_slo_options o, d = CF_SLO_OPTIONS_INIT;
	cf_slo *s = (cf_slo *)1;
	ck_assert_int_eq(cf_slo_options_init(&o, CF_SLO_OPTIONS_VERSION), 0);
	ck_assert_double_eq(o.objective, d.objective);
	ck_assert_double_eq(o.period_s, P30);
	ck_assert_str_eq(o.preset, "google-30d");
	ck_assert_double_eq(o.slice_target, 1);
	ck_assert_int_eq(cf_slo_options_init(&o, 0), CF_EVERSION);
	ck_assert_int_eq(cf_slo_options_init(&o, 99), CF_EVERSION);
	ck_assert_int_eq(cf_slo_create(&s, NULL, NULL), 0);
	ck_assert_uint_eq(cf_slo_memory(s), (size_t)(P30 + 1) * 16);
	cf_slo_free(s);
	cf_slo_free(NULL);
	o = d;
	o.version = 2;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_EVERSION);
	ck_assert_ptr_null(s);
	o = d;
	o.objective = 1;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_EINVAL);
	o.objective = 0.9;  /* google-30d cannot fire */
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_EINVAL);
	assert_msg("can never fire");
	o = d;
	o.preset = "sloth-99d";
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_ENOTFOUND);
	o = d;
	o.resolution_s = 7;  /* 5m is not a multiple of 7 s */
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_EINVAL);
	assert_msg("multiple");
	o = d;
	o.resolution_s = NAN;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_EINVAL);
	o = d;
	o.period_s = -1;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_EINVAL);
	o = d;
	o.kind = CF_SLO_TIMESLICES;
	o.slice_target = 0;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_EINVAL);
	o.slice_target = 1;
	o.threshold = NAN;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_EINVAL);
	o.threshold = 0;
	o.slice_s = 90.5;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), CF_EINVAL);
	ck_assert_int_eq(cf_slo_create(NULL, NULL, NULL), CF_EINVAL);
}
END_TEST

/* The promtool example of the reference: 100 req/min for 60 min, then 10% errors; one 14.4× 1h/5m page pair.
 * Counters are sampled every minute. */
START_TEST(test_promtool_example)
{
	cf_slo_policy pol = { 1, { { 14.4, H, 300, CF_SLO_PAGE } } };
	cf_slo *s = make(0.999, P30, 60, &pol);
	cf_slo_status st;
	uint64_t good = 0, total = 0;
	int first_fire = -1;

	for (int m = 0; m <= 120; m++) {
		if (m > 0) {
			int err = m > 60 && m <= 90;
			good += err ? 90 : 100;
			total += 100;
		}
		ck_assert_int_eq(cf_slo_add_counters(s, m * 60.0, good, total), 0);
		ck_assert_int_eq(cf_slo_evaluate(&st, s, m * 60.0), 0);
		if (m == 65)
			ck_assert_int_eq(st.page, 0);
		if (m == 75) {
			ck_assert_int_eq(st.page, 1);
			ck_assert_ptr_nonnull(strstr(st.explanation, "PAGE: page 14.4× 1h/5m"));
		}
		if (st.page && first_fire < 0)
			first_fire = m;
		if (m >= 96)
			ck_assert_int_eq(st.page, 0);  /* reset within the short window after minute 90 */
	}
	/* 8.64 min after onset: the 9th minute of errors (minute 69) is the first sample above the threshold. */
	ck_assert_int_eq(first_fire, 69);
	ck_assert_uint_eq(st.period_total, 12000);
	ck_assert_uint_eq(st.period_total - st.period_good, 300);
	ck_assert_double_eq_tol(st.error_ratio, 0.025, 1e-12);
	ck_assert_double_eq_tol(st.budget_consumed, 25, 1e-9);
	ck_assert_double_eq_tol(st.budget_remaining, -24, 1e-9);
	ck_assert_double_eq(st.time_to_exhaustion_s, 0);
	ck_assert_int_eq(st.ticket, 0);
	cf_slo_free(s);
}
END_TEST

START_TEST(test_google_policy_fires)
{
	cf_slo *s = make(0.999, P30, 1, NULL);
	cf_slo_status st;
	/* 1000 req/s, clean for 3 days, then 2% errors (burn 20) for 2 h. */
	for (int sec = 0; sec < 3 * 86400; sec += 60)
		ck_assert_int_eq(cf_slo_add(s, sec, 60000, 60000), 0);
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 3 * D - 1), 0);
	ck_assert_int_eq(st.page + st.ticket, 0);
	ck_assert_str_eq(st.explanation, "OK; 30d: 0 bad of 259200000 (error ratio 0, burn 0), budget consumed 0.00%, "
		"remaining 100.00%");
	ck_assert(isinf(st.time_to_exhaustion_s));
	for (int sec = 3 * 86400; sec < 3 * 86400 + 7200; sec++)
		ck_assert_int_eq(cf_slo_add(s, sec, 980, 1000), 0);
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 3 * D + 7199), 0);
	ck_assert_int_eq(st.page, 1);
	ck_assert_int_eq(st.windows[0].firing, 1);
	ck_assert_double_eq_tol(st.windows[0].long_error_ratio, 0.02, 1e-12);
	ck_assert_double_eq_tol(st.windows[0].long_burn_rate, 20, 1e-9);
	ck_assert_double_eq_tol(st.windows[0].short_burn_rate, 20, 1e-9);
	ck_assert_uint_eq(st.windows[0].long_total, 3600000);
	ck_assert_uint_eq(st.windows[0].short_total, 300000);
	ck_assert_int_eq(st.windows[1].firing, 1);  /* 6h: 2 h of 20× → 6.67 > 6; 30m 20 > 6 */
	ck_assert_double_eq_tol(st.windows[1].long_burn_rate, 20.0 / 3, 1e-9);
	ck_assert_int_eq(st.windows[2].firing, 0);  /* 1d: 20 × 2/24 = 1.67 < 3 */
	ck_assert_int_eq(st.ticket, 0);
	cf_slo_free(s);
}
END_TEST

START_TEST(test_exact_ratio_of_sums)
{
	cf_slo *s = make(0.999, P30, 1, NULL);
	cf_slo_status st;
	/* Uneven traffic: 1 bad of 1 in one 5-minute block, 5 bad of 9999 later. An average of 5-minute ratios
	 * would say ~0.5; the ratio of sums is 6 / 10000. */
	ck_assert_int_eq(cf_slo_add(s, 0, 0, 1), 0);
	ck_assert_int_eq(cf_slo_add(s, 600, 9994, 9999), 0);
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 700), 0);
	ck_assert_uint_eq(st.period_total, 10000);
	ck_assert_uint_eq(st.period_good, 9994);
	ck_assert_double_eq_tol(st.error_ratio, 0.0006, 1e-15);
	ck_assert_double_eq_tol(st.budget_consumed, 0.6, 1e-9);
	ck_assert_double_eq_tol(st.budget_remaining, 0.4, 1e-9);
	/* 0.4 of the budget left at burn 0.6: 0.4 × 30 d / 0.6 = 20 d. */
	ck_assert_double_eq_tol(st.time_to_exhaustion_s, 20 * D, 1e-3);
	cf_slo_free(s);
}
END_TEST

START_TEST(test_ring_wrap_and_gaps)
{
	cf_slo_policy pol = { 1, { { 1, 600, 60, CF_SLO_TICKET } } };
	cf_slo_options o = CF_SLO_OPTIONS_INIT;
	cf_slo *s;
	cf_slo_status st;
	size_t mem;
	o.period_s = H;
	o.policy = &pol;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), 0);
	mem = cf_slo_memory(s);
	ck_assert_uint_eq(mem, 3601 * 16);
	/* Three hours, one bad per second in the first two hours only. */
	for (int t = 0; t < 3 * 3600; t++)
		ck_assert_int_eq(cf_slo_add(s, t + 0.5, t < 7200 ? 9 : 10, 10), 0);
	ck_assert_uint_eq(cf_slo_memory(s), mem);  /* memory does not grow with traffic */
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 3 * H - 0.5), 0);
	ck_assert_uint_eq(st.period_total, 36000);
	ck_assert_uint_eq(st.period_good, 36000);
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 3 * H + 1800), 0);  /* half an hour later, no new data */
	ck_assert_uint_eq(st.period_total, 17990);  /* buckets (now - 1h, now]: 1799 s of data */
	/* A gap of 10 days: old buckets drop out, the window sees only new data. */
	ck_assert_int_eq(cf_slo_add(s, 10 * D, 0, 5), 0);
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 10 * D), 0);
	ck_assert_uint_eq(st.period_total, 5);
	ck_assert_uint_eq(st.windows[0].short_total, 5);
	ck_assert_int_eq(st.ticket, 1);
	/* Evaluating before the latest bucket, NaN times. */
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 10 * D - 1), CF_EINVAL);
	ck_assert_int_eq(cf_slo_evaluate(&st, s, NAN), CF_EINVAL);
	ck_assert_int_eq(cf_slo_evaluate(NULL, s, 0), CF_EINVAL);
	cf_slo_free(s);
}
END_TEST

START_TEST(test_empty_and_bad_ingest)
{
	cf_slo *s = make(0.999, P30, 60, NULL);
	cf_slo_status st;
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 1000), 0);
	ck_assert(isnan(st.error_ratio) && isnan(st.windows[0].long_error_ratio));
	ck_assert_double_eq(st.budget_remaining, 1);
	ck_assert_int_eq(st.page, 0);
	ck_assert_ptr_nonnull(strstr(st.explanation, "no events"));
	ck_assert_int_eq(cf_slo_add(s, NAN, 1, 1), CF_EINVAL);
	assert_msg("not finite");
	ck_assert_int_eq(cf_slo_add(s, INFINITY, 1, 1), CF_EINVAL);
	ck_assert_int_eq(cf_slo_add(s, 1e300, 1, 1), CF_EINVAL);
	ck_assert_int_eq(cf_slo_add(s, 100, 2, 1), CF_EINVAL);
	assert_msg("more than total");
	ck_assert_int_eq(cf_slo_add(s, 125, 1, 1), 0);
	ck_assert_int_eq(cf_slo_add(s, 121, 1, 2), 0);  /* late within the 60 s bucket [120, 180): accepted */
	ck_assert_int_eq(cf_slo_add(s, 119, 1, 1), CF_EINVAL);
	assert_msg("out of order");
	ck_assert_int_eq(cf_slo_add_gauge(s, 200, 1), CF_EINVAL);  /* events evaluator */
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 130), 0);
	ck_assert_uint_eq(st.period_total, 3);
	ck_assert_uint_eq(st.period_good, 2);
	ck_assert_int_eq(cf_slo_add(s, -1e6, 0, 1), CF_EINVAL);
	ck_assert_int_eq(cf_slo_add(NULL, 1, 0, 1), CF_EINVAL);
	cf_slo_free(s);
}
END_TEST

START_TEST(test_counters_resets)
{
	cf_slo *s = make(0.999, P30, 1, NULL);
	cf_slo_status st;
	ck_assert_int_eq(cf_slo_add_counters(s, 10, 5000, 5000), 0);   /* baseline only */
	ck_assert_int_eq(cf_slo_add_counters(s, 20, 5090, 5100), 0);   /* +90 of +100 */
	ck_assert_int_eq(cf_slo_add_counters(s, 30, 40, 50), 0);       /* both reset: +40 of +50 */
	ck_assert_int_eq(cf_slo_add_counters(s, 40, 140, 150), 0);     /* +100 of +100 */
	ck_assert_int_eq(cf_slo_add_counters(s, 50, 150, 150), CF_EINVAL); /* good +10, total +0 */
	assert_msg("good counter increased by 10");
	ck_assert_int_eq(cf_slo_add_counters(s, 35, 150, 160), CF_EINVAL);
	assert_msg("out of order");
	ck_assert_int_eq(cf_slo_add_counters(s, NAN, 150, 160), CF_EINVAL);
	ck_assert_int_eq(cf_slo_add_counters(s, 60, 140, 150), 0);     /* flat: nothing */
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 60), 0);
	ck_assert_uint_eq(st.period_total, 250);
	ck_assert_uint_eq(st.period_good, 230);
	cf_slo_free(s);
}
END_TEST

START_TEST(test_add_events)
{
	cf_slo *a = make(0.999, P30, 1, NULL), *b = make(0.999, P30, 1, NULL);
	cf_slo_status sa, sb;
	enum { N = 10000 };
	double *t = malloc(N * sizeof *t);
	uint8_t *g = malloc(N);
	for (int i = 0; i < N; i++) {
		t[i] = i * 0.37;
		g[i] = i % 97 != 0;
		ck_assert_int_eq(cf_slo_add(b, t[i], g[i], 1), 0);
	}
	ck_assert_int_eq(cf_slo_add_events(a, t, g, N), 0);
	ck_assert_int_eq(cf_slo_evaluate(&sa, a, t[N - 1]), 0);
	ck_assert_int_eq(cf_slo_evaluate(&sb, b, t[N - 1]), 0);
	ck_assert_uint_eq(sa.period_total, N);
	ck_assert_uint_eq(sa.period_good, N - 104);
	for (size_t w = 0; w < sa.window_count; w++) {
		ck_assert_uint_eq(sa.windows[w].long_good, sb.windows[w].long_good);
		ck_assert_uint_eq(sa.windows[w].short_total, sb.windows[w].short_total);
	}
	/* An unsorted batch stops at the offending event, naming it. */
	t[5000] = 1;
	cf_slo_free(a);
	a = make(0.999, P30, 1, NULL);
	ck_assert_int_eq(cf_slo_add_events(a, t, g, N), CF_EINVAL);
	assert_msg("(event 5000)");
	ck_assert_int_eq(cf_slo_evaluate(&sa, a, t[4999]), 0);
	ck_assert_uint_eq(sa.period_total, 5000);
	ck_assert_int_eq(cf_slo_add_events(a, NULL, g, 3), CF_EINVAL);
	ck_assert_int_eq(cf_slo_add_events(a, NULL, NULL, 0), 0);
	free(t);
	free(g);
	cf_slo_free(a);
	cf_slo_free(b);
}
END_TEST

START_TEST(test_timeslices)
{
	cf_slo_policy pol = { 1, { { 1, 600, 300, CF_SLO_PAGE } } };
	cf_slo_options o = CF_SLO_OPTIONS_INIT;
	cf_slo *s;
	cf_slo_status st;
	o.objective = 0.9;
	o.period_s = H;
	o.policy = &pol;
	o.kind = CF_SLO_TIMESLICES;
	o.slice_s = 60;
	o.threshold = 0.8;  /* GPU utilisation >= 80% */
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), 0);
	/* 10 minutes sampled every 10 s; minute 3 has one dip to 0.5, so it is bad with slice_target 1. */
	for (int t = 0; t < 600; t += 10)
		ck_assert_int_eq(cf_slo_add_gauge(s, t, t == 190 ? 0.5 : 0.9), 0);
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 599), 0);  /* minute 9 is still open */
	ck_assert_uint_eq(st.period_total, 9);
	ck_assert_uint_eq(st.period_good, 8);
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 600), 0);  /* minute 9 closed */
	ck_assert_uint_eq(st.period_total, 10);
	ck_assert_double_eq_tol(st.error_ratio, 0.1, 1e-12);
	ck_assert_int_eq(st.windows[0].firing, 0);  /* 5m: 0 bad of 5, not > 0.1 */
	/* A gap of 5 minutes: not counted by default. */
	ck_assert_int_eq(cf_slo_add_gauge(s, 900, 0.85), 0);
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 960), 0);
	ck_assert_uint_eq(st.period_total, 11);
	ck_assert_int_eq(cf_slo_add_gauge(s, 959, 1), CF_EINVAL);
	ck_assert_int_eq(cf_slo_add_gauge(s, 970, NAN), CF_EINVAL);
	assert_msg("NaN");
	ck_assert_int_eq(cf_slo_add(s, 970, 1, 1), CF_EINVAL);
	cf_slo_free(s);

	/* Missing slices count as bad; a slice is good when 75% of its samples are. */
	o.missing_slices_bad = 1;
	o.slice_target = 0.75;
	ck_assert_int_eq(cf_slo_create(&s, NULL, &o), 0);
	for (int t = 0; t < 60; t += 15)
		ck_assert_int_eq(cf_slo_add_gauge(s, t, t == 0 ? 0.1 : 0.9), 0);  /* 3 of 4: good */
	for (int t = 60; t < 120; t += 15)
		ck_assert_int_eq(cf_slo_add_gauge(s, t, t < 90 ? 0.1 : 0.9), 0);  /* 2 of 4: bad */
	ck_assert_int_eq(cf_slo_add_gauge(s, 400, 0.9), 0);  /* minutes 2-5 missing */
	ck_assert_int_eq(cf_slo_evaluate(&st, s, 480), 0);  /* closes minute 6 (good) and 7 (missing) */
	ck_assert_uint_eq(st.period_total, 8);
	ck_assert_uint_eq(st.period_good, 2);
	ck_assert_int_eq(st.page, 1);
	cf_slo_free(s);
}
END_TEST

/* ---- histogram_quantile ---- */
static double hq(double q, const double *les, const double *counts, size_t n)
{
	double v = -7;
	ck_assert_int_eq(cf_slo_histogram_quantile(&v, q, les, counts, n), 0);
	return v;
}

START_TEST(test_histogram_quantile)
{
	const double les[] = { 0.2, 1, INFINITY }, counts[] = { 40, 80, 100 };
	const double les_u[] = { INFINITY, 0.2, 1 }, counts_u[] = { 100, 40, 80 };
	double v;
	/* Worked example of the reference. */
	ck_assert_double_eq_tol(hq(0.25, les, counts, 3), 0.125, 1e-12);
	ck_assert_double_eq_tol(hq(0.5, les, counts, 3), 0.4, 1e-12);
	ck_assert_double_eq(hq(0.9, les, counts, 3), 1);
	ck_assert_double_eq(hq(1, les, counts, 3), 1);
	ck_assert_double_eq(hq(0, les, counts, 3), 0);
	ck_assert_double_eq_tol(hq(0.5, les_u, counts_u, 3), 0.4, 1e-12);  /* any order */
	ck_assert(isnan(hq(NAN, les, counts, 3)));
	v = hq(-0.1, les, counts, 3);
	ck_assert(isinf(v) && v < 0);
	v = hq(1.1, les, counts, 3);
	ck_assert(isinf(v) && v > 0);
	/* No +Inf bucket, fewer than 2 buckets, no observations: NaN. */
	ck_assert(isnan(hq(0.5, les, counts, 2)));
	ck_assert(isnan(hq(0.5, les + 2, counts + 2, 1)));
	ck_assert(isnan(hq(0.5, les, (const double[]){ 0, 0, 0 }, 3)));
	ck_assert(isnan(hq(0.5, NULL, NULL, 0)));
	{
		const double l2[] = { -1, 0, 1, INFINITY }, c2[] = { 5, 10, 15, 20 };
		ck_assert_double_eq(hq(0.1, l2, c2, 4), -1);  /* first bucket with le <= 0 */
		ck_assert_double_eq_tol(hq(0.4, l2, c2, 4), -0.4, 1e-12);
	}
	{
		/* Non-monotonic counts forced to the running maximum: 10, 10, 20. */
		const double l3[] = { 0.1, 0.2, INFINITY }, c3[] = { 10, 5, 20 };
		ck_assert_double_eq_tol(hq(0.5, l3, c3, 3), 0.1, 1e-12);
		ck_assert_double_eq(hq(0.75, l3, c3, 3), 0.2);
	}
	{
		/* Equal les are merged (counts added): le 1 → 40 + 40. */
		const double l4[] = { 0.2, 1, 1, INFINITY }, c4[] = { 40, 40, 40, 100 };
		ck_assert_double_eq_tol(hq(0.5, l4, c4, 4), 0.4, 1e-12);
	}
	{
		/* A float precision wobble (relative 1e-13) is ignored rather than counted. */
		const double l5[] = { 1, 2, INFINITY }, c5[] = { 100, 100 - 1e-11, 200 };
		ck_assert_double_eq_tol(hq(0.5, l5, c5, 3), 1, 1e-12);
	}
	ck_assert_int_eq(cf_slo_histogram_quantile(&v, 0.5, (const double[]){ NAN, INFINITY },
		(const double[]){ 1, 2 }, 2), CF_EINVAL);
	ck_assert_int_eq(cf_slo_histogram_quantile(&v, 0.5, les, (const double[]){ 1, NAN, 3 }, 3), CF_EINVAL);
	ck_assert_int_eq(cf_slo_histogram_quantile(&v, 0.5, NULL, counts, 3), CF_EINVAL);
	/* Latency SLO good events. */
	ck_assert_int_eq(cf_slo_histogram_good(&v, 0.2, les_u, counts_u, 3), 0);
	ck_assert_double_eq(v, 40);
	ck_assert_int_eq(cf_slo_histogram_good(&v, 0.3, les, counts, 3), CF_ENOTFOUND);
	ck_assert_int_eq(cf_slo_histogram_good(&v, NAN, les, counts, 3), CF_EINVAL);
}
END_TEST

/* ---- Sketch ---- */
static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

START_TEST(test_sketch_accuracy_and_merge)
{
	enum { N = 100000 };
	const double alpha = 0.01, qs[] = { 0, 0.01, 0.25, 0.5, 0.9, 0.99, 0.999, 1 };
	cf_slo_sketch *a, *b, *all;
	double *v = malloc(N * sizeof *v);
	cf_buf ba = CF_BUF_INIT, bb = CF_BUF_INIT;
	uint64_t state = 42, le;

	ck_assert_int_eq(cf_slo_sketch_create(&a, NULL, alpha, 2048), 0);
	ck_assert_int_eq(cf_slo_sketch_create(&b, NULL, alpha, 2048), 0);
	ck_assert_int_eq(cf_slo_sketch_create(&all, NULL, alpha, 2048), 0);
	for (int i = 0; i < N; i++) {
		state = state * 6364136223846793005ULL + 1442695040888963407ULL;
		v[i] = exp(((double)(state >> 11) / 9007199254740992.0) * 12 - 6);  /* log-uniform 0.0025..403 */
		ck_assert_int_eq(cf_slo_sketch_add(i % 2 ? a : b, v[i], 1), 0);
		ck_assert_int_eq(cf_slo_sketch_add(all, v[i], 1), 0);
	}
	ck_assert_int_eq(cf_slo_sketch_merge(a, b), 0);
	ck_assert_uint_eq(cf_slo_sketch_count(a), N);
	qsort(v, N, sizeof *v, cmp_d);
	for (size_t k = 0; k < sizeof qs / sizeof *qs; k++) {
		double est, est_all, truth = v[(size_t)floor(qs[k] * (N - 1))];
		ck_assert_int_eq(cf_slo_sketch_quantile(&est, a, qs[k]), 0);
		ck_assert_int_eq(cf_slo_sketch_quantile(&est_all, all, qs[k]), 0);
		ck_assert_double_eq(est, est_all);
		ck_assert_msg(fabs(est - truth) <= alpha * truth * (1 + 1e-9), "q %g: %g vs %g", qs[k], est, truth);
	}
	/* Merged and one-pass sketches serialise to the same bytes. */
	ck_assert_int_eq(cf_slo_sketch_to_msgpack(&ba, a), 0);
	ck_assert_int_eq(cf_slo_sketch_to_msgpack(&bb, all), 0);
	ck_assert_uint_eq(ba.size, bb.size);
	ck_assert_int_eq(memcmp(ba.ptr, bb.ptr, ba.size), 0);
	/* Latency SLO good events: values <= 1 (within alpha at the boundary). */
	ck_assert_int_eq(cf_slo_sketch_count_le(&le, a, 1.0), 0);
	{
		size_t lo = 0, hi = 0;
		while (lo < N && v[lo] <= 0.99)
			lo++;
		while (hi < N && v[hi] <= 1.01)
			hi++;
		ck_assert(le >= lo && le <= hi);
	}
	ck_assert_int_eq(cf_slo_sketch_count_le(&le, a, -1), 0);
	ck_assert_uint_eq(le, 0);
	ck_assert_int_eq(cf_slo_sketch_count_le(&le, a, NAN), CF_EINVAL);
	/* Merging with itself doubles. */
	ck_assert_int_eq(cf_slo_sketch_merge(b, b), 0);
	ck_assert_uint_eq(cf_slo_sketch_count(b), N);
	cf_buf_dispose(&ba);
	cf_buf_dispose(&bb);
	free(v);
	cf_slo_sketch_free(a);
	cf_slo_sketch_free(b);
	cf_slo_sketch_free(all);
}
END_TEST

START_TEST(test_sketch_collapse_and_zero)
{
	cf_slo_sketch *s;
	double q;
	ck_assert_int_eq(cf_slo_sketch_create(&s, NULL, 0.02, 16), 0);
	ck_assert_int_eq(cf_slo_sketch_quantile(&q, s, 0.5), CF_ENOTFOUND);
	for (int i = 1; i <= 1000000; i *= 10)
		ck_assert_int_eq(cf_slo_sketch_add(s, i, 1), 0);
	ck_assert_int_eq(cf_slo_sketch_add(s, 0, 3), 0);
	ck_assert_int_eq(cf_slo_sketch_add(s, 1e6, 0), 0);  /* count 0: nothing */
	ck_assert_uint_eq(cf_slo_sketch_count(s), 10);
	ck_assert_int_eq(cf_slo_sketch_quantile(&q, s, 0), 0);
	ck_assert_double_eq(q, 0);
	ck_assert_int_eq(cf_slo_sketch_quantile(&q, s, 1), 0);
	ck_assert_double_eq(q, 1e6);  /* clamped to the exact max */
	/* 16 bins at alpha 0.02 span a factor 1.9: lower values fold into the lowest kept bin, so the 9th value
	 * (1e5) reads high while the top keeps its accuracy. */
	ck_assert_int_eq(cf_slo_sketch_quantile(&q, s, 0.9), 0);
	ck_assert(q > 1e5 && q < 1e6);
	ck_assert_int_eq(cf_slo_sketch_add(s, 9e5, 10), 0);
	ck_assert_int_eq(cf_slo_sketch_quantile(&q, s, 0.8), 0);
	ck_assert_double_eq_tol(q, 9e5, 0.02 * 9e5);
	ck_assert_int_eq(cf_slo_sketch_quantile(&q, s, 1.5), CF_EINVAL);
	ck_assert_int_eq(cf_slo_sketch_quantile(&q, s, NAN), CF_EINVAL);
	ck_assert_int_eq(cf_slo_sketch_add(s, NAN, 1), CF_EINVAL);
	ck_assert_int_eq(cf_slo_sketch_add(s, -1, 1), CF_EINVAL);
	ck_assert_int_eq(cf_slo_sketch_add(s, INFINITY, 1), CF_EINVAL);
	cf_slo_sketch_free(s);
	cf_slo_sketch_free(NULL);
	ck_assert_int_eq(cf_slo_sketch_create(&s, NULL, 0, 2048), CF_EINVAL);
	ck_assert_int_eq(cf_slo_sketch_create(&s, NULL, 1, 2048), CF_EINVAL);
	ck_assert_int_eq(cf_slo_sketch_create(&s, NULL, 0.01, 8), CF_EINVAL);
	ck_assert_int_eq(cf_slo_sketch_create(&s, NULL, NAN, 2048), CF_EINVAL);
}
END_TEST

START_TEST(test_sketch_msgpack)
{
	cf_slo_sketch *s, *r, *other;
	cf_buf b = CF_BUF_INIT, b2 = CF_BUF_INIT;
	double q1, q2;
	ck_assert_int_eq(cf_slo_sketch_create(&s, NULL, 0.01, 64), 0);
	/* Empty round trip. */
	ck_assert_int_eq(cf_slo_sketch_to_msgpack(&b, s), 0);
	ck_assert_int_eq(cf_slo_sketch_from_msgpack(&r, NULL, b.ptr, b.size), 0);
	ck_assert_uint_eq(cf_slo_sketch_count(r), 0);
	cf_slo_sketch_free(r);
	cf_buf_dispose(&b);
	for (int i = 0; i < 1000; i++)
		ck_assert_int_eq(cf_slo_sketch_add(s, 0.001 * (i + 1) * (i + 1), 1 + i % 3), 0);
	ck_assert_int_eq(cf_slo_sketch_to_msgpack(&b, s), 0);
	ck_assert_int_eq(cf_slo_sketch_from_msgpack(&r, NULL, b.ptr, b.size), 0);
	ck_assert_uint_eq(cf_slo_sketch_count(r), cf_slo_sketch_count(s));
	ck_assert_int_eq(cf_slo_sketch_quantile(&q1, s, 0.99), 0);
	ck_assert_int_eq(cf_slo_sketch_quantile(&q2, r, 0.99), 0);
	ck_assert_double_eq(q1, q2);
	ck_assert_int_eq(cf_slo_sketch_to_msgpack(&b2, r), 0);
	ck_assert_uint_eq(b.size, b2.size);
	ck_assert_int_eq(memcmp(b.ptr, b2.ptr, b.size), 0);
	cf_slo_sketch_free(r);
	/* Every truncation fails cleanly; so do trailing bytes and a flipped count. */
	for (size_t n = 0; n < b.size; n++) {
		r = (cf_slo_sketch *)1;
		ck_assert_int_eq(cf_slo_sketch_from_msgpack(&r, NULL, b.ptr, n), CF_EFORMAT);
		ck_assert_ptr_null(r);
	}
	ck_assert_int_eq(cf_slo_sketch_from_msgpack(&r, NULL, b2.ptr, b2.size - 1), CF_EFORMAT);
	cf_buf_dispose(&b2);
	{
		char *x = malloc(b.size + 1);
		memcpy(x, b.ptr, b.size);
		x[b.size] = 0;
		ck_assert_int_eq(cf_slo_sketch_from_msgpack(&r, NULL, x, b.size + 1), CF_EFORMAT);
		assert_msg("trailing");
		x[3] = 'X';  /* magic */
		ck_assert_int_eq(cf_slo_sketch_from_msgpack(&r, NULL, x, b.size), CF_EFORMAT);
		assert_msg("magic");
		memcpy(x, b.ptr, b.size);
		x[23] = 9;  /* version (after the 1-byte array and 22-byte str headers) */
		ck_assert_int_eq(cf_slo_sketch_from_msgpack(&r, NULL, x, b.size), CF_EVERSION);
		free(x);
	}
	ck_assert_int_eq(cf_slo_sketch_from_msgpack(&r, NULL, NULL, 5), CF_EINVAL);
	/* Merging needs equal parameters. */
	ck_assert_int_eq(cf_slo_sketch_create(&other, NULL, 0.02, 64), 0);
	ck_assert_int_eq(cf_slo_sketch_merge(other, s), CF_EINVAL);
	assert_msg("differ");
	cf_slo_sketch_free(other);
	cf_buf_dispose(&b);
	cf_slo_sketch_free(s);
}
END_TEST

/* ---- Sloth specs and Prometheus rules ---- */
static const char sloth_spec[] =
	"version: \"prometheus/v1\"\n"
	"service: \"myservice\"\n"
	"labels:\n"
	"  owner: \"myteam\"\n"
	"slos:\n"
	"  - name: \"requests-availability\"\n"
	"    objective: 99.9\n"
	"    description: \"Common SLO based on availability for HTTP request responses.\"\n"
	"    sli:\n"
	"      events:\n"
	"        error_query: sum(rate(http_request_duration_seconds_count{job=\"myservice\",code=~\"(5..|429)\"}[{{.window}}]))\n"
	"        total_query: sum(rate(http_request_duration_seconds_count{job=\"myservice\"}[{{ .window }}]))\n"
	"    alerting:\n"
	"      name: MyServiceHighErrorRate\n"
	"      labels:\n"
	"        category: \"availability\"\n"
	"      annotations:\n"
	"        runbook_url: \"https://runbooks.example.com/errors\"\n"
	"      page_alert:\n"
	"        labels:\n"
	"          severity: pageteam\n"
	"      ticket_alert:\n"
	"        disable: true\n"
	"  - name: drift\n"
	"    objective: 90\n"
	"    sli:\n"
	"      raw:\n"
	"        error_ratio_query: avg(drifted{w=\"{{.window}}\"})\n"
	"    alerting:\n"
	"      name: Drift\n"
	"      page_alert:\n"
	"        disable: true\n";

START_TEST(test_spec_parse_and_rules)
{
	cf_slo_spec *spec = NULL;
	cf_slo_rules_options o;
	cf_buf out = CF_BUF_INIT;

	ck_assert_int_eq(cf_slo_spec_parse(&spec, NULL, sloth_spec, strlen(sloth_spec), "s.yaml"), 0);
	ck_assert_str_eq(cf_slo_spec_service(spec), "myservice");
	ck_assert_uint_eq(cf_slo_spec_count(spec), 2);
	ck_assert_str_eq(cf_slo_spec_name(spec, 1), "drift");
	ck_assert_double_eq_tol(cf_slo_spec_objective(spec, 0), 0.999, 1e-15);
	ck_assert(isnan(cf_slo_spec_objective(spec, 2)));
	ck_assert_ptr_null(cf_slo_spec_name(spec, 2));
	ck_assert_int_eq(cf_slo_rules_options_init(&o, CF_SLO_RULES_OPTIONS_VERSION), 0);
	/* drift at 90%: its page pairs (14.4 > 10) could never fire, but its page alert is disabled. */
	ck_assert_int_eq(cf_slo_spec_check(spec, &o), 0);
	ck_assert_int_eq(cf_slo_rules_generate(&out, spec, &o), 0);
	/* Sloth's shapes: windows of the policy plus the period, metadata, alert thresholds as Sloth prints them. */
	ck_assert_ptr_nonnull(strstr(out.ptr, "- name: sloth-slo-sli-recordings-myservice-requests-availability\n"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "  - record: slo:sli_error:ratio_rate5m\n"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "  - record: slo:sli_error:ratio_rate3d\n"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "code=~\"(5..|429)\"}[2h]"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "http_request_duration_seconds_count{job=\"myservice\"}[1d]"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "  - record: slo:sli_error:ratio_rate30d\n"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "vector(0.9990000000000001)"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "vector(1-0.9990000000000001)"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "record: slo:time_period:days\n    expr: |\n      vector(30)\n"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "record: slo:current_burn_rate:ratio"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "record: slo:period_burn_rate:ratio"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "record: slo:period_error_budget_remaining:ratio"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "max(slo:sli_error:ratio_rate5m{sloth_id=\"myservice-requests-availability\", "
		"sloth_service=\"myservice\", sloth_slo=\"requests-availability\"} > (14.4 * 0.0009999999999999432)) without "
		"(sloth_window)"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "(6 * 0.0009999999999999432)"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "      owner: myteam\n"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "      sloth_severity: page\n"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "      severity: pageteam\n"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "runbook_url: \"https://runbooks.example.com/errors\""));
	/* Disabled alerts are not written: no ticket for the first SLO, no page for drift. */
	ck_assert_ptr_null(strstr(out.ptr, "(3 * 0.0009999999999999432)"));
	ck_assert_ptr_null(strstr(out.ptr, "(14.4 * 0.1)"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "(3 * 0.1)"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "avg(drifted{w=\"6h\"})"));
	cf_buf_dispose(&out);

	/* google-28d: 28-day period and Sloth's 28d factors. */
	o.preset = "google-28d";
	ck_assert_int_eq(cf_slo_rules_generate(&out, spec, &o), 0);
	ck_assert_ptr_nonnull(strstr(out.ptr, "record: slo:sli_error:ratio_rate28d"));
	ck_assert_ptr_nonnull(strstr(out.ptr, "(13.44 * 0.0009999999999999432)"));
	cf_buf_dispose(&out);
	o.preset = "nope";
	ck_assert_int_eq(cf_slo_rules_generate(&out, spec, &o), CF_ENOTFOUND);
	cf_slo_spec_free(spec);
	cf_slo_spec_free(NULL);
}
END_TEST

static void spec_fails(const char *text, const char *needle)
{
	cf_slo_spec *spec = (cf_slo_spec *)1;
	ck_assert_int_eq(cf_slo_spec_parse(&spec, NULL, text, strlen(text), "t.yaml"), CF_EFORMAT);
	ck_assert_ptr_null(spec);
	assert_msg(needle);
}

START_TEST(test_spec_errors)
{
	const char *head = "version: prometheus/v1\nservice: s\nslos:\n  - name: a\n";
	char text[1024];
	cf_slo_spec *spec = NULL;
	cf_slo_rules_options o = CF_SLO_RULES_OPTIONS_INIT;

	snprintf(text, sizeof text, "%s    objective: 100\n    sli: {raw: {error_ratio_query: x}}\n    alerting: {name: A}\n", head);
	spec_fails(text, "t.yaml:5:16: slos[0].objective: 100 is outside (0, 100)");
	snprintf(text, sizeof text, "%s    objective: 0\n    sli: {raw: {error_ratio_query: x}}\n    alerting: {name: A}\n", head);
	spec_fails(text, "slos[0].objective: 0 is outside (0, 100)");
	snprintf(text, sizeof text, "%s    objective: abc\n", head);
	spec_fails(text, "t.yaml:5:16: slos[0].objective: 'abc' is not a number");
	snprintf(text, sizeof text, "%s    objective: 99\n    sli: {events: {error_query: x}}\n    alerting: {name: A}\n", head);
	spec_fails(text, "slos[0].sli.events: needs both error_query and total_query");
	snprintf(text, sizeof text, "%s    objective: 99\n    sli: {raw: {error_ratio_query: x}}\n", head);
	spec_fails(text, "slos[0].alerting.name: is required");
	snprintf(text, sizeof text, "%s    objective: 99\n    sli: {plugin: {id: x}}\n", head);
	spec_fails(text, "t.yaml:6:11: slos[0].sli.plugin");
	spec_fails("version: prometheus/v2\nservice: s\nslos: []\n", "t.yaml:1:10: version: 'prometheus/v2' is not supported");
	spec_fails("service: s\nslos: [1]\n", "version: is required");
	spec_fails("version: prometheus/v1\nservice: s\nslos: []\n", "t.yaml:3:7: slos: must be a non-empty list");
	spec_fails("version: [\n", "t.yaml:");
	spec_fails("", "document: is empty");

	/* A page pair that can never fire at 90% (14.4 > 1 / 0.1) is named. */
	snprintf(text, sizeof text, "%s    objective: 90\n    sli: {raw: {error_ratio_query: x}}\n    alerting: {name: A}\n", head);
	ck_assert_int_eq(cf_slo_spec_parse(&spec, NULL, text, strlen(text), "t.yaml"), 0);
	ck_assert_int_eq(cf_slo_spec_check(spec, &o), CF_EINVAL);
	assert_msg("SLO 'a' (objective 90%)");
	assert_msg("can never fire");
	o.preset = "pyrra-28d"; /* 14 > 10 as well */
	ck_assert_int_eq(cf_slo_spec_check(spec, &o), CF_EINVAL);
	cf_slo_spec_free(spec);
}
END_TEST

/* ---- Backtesting ---- */

/* 100 req/min, 10% errors for minutes 361..420, scraped every `iv` seconds for 9 h; a reset at `reset_min`. */
static size_t fast_burn(double *t, double *total, double *errors, int iv, int reset_min)
{
	double req = 0, err = 0;
	size_t n = 0;
	int k;

	for (k = 0; k <= 9 * 3600 / iv; k++) {
		double m = k * iv / 60.0;
		if (k > 0) {
			req += 100 * iv / 60;
			err += (m > 360 && m <= 420) ? 10 * iv / 60 : 0;
		}
		if (reset_min > 0 && m == reset_min)
			req = err = 0;
		t[n] = k * iv;
		total[n] = req;
		errors[n] = err;
		n++;
	}
	return n;
}

/* The page interval (any pair) of a backtest; fails when there is not exactly one. */
static cf_slo_alert_interval page_interval(const cf_slo_backtest *bt)
{
	cf_slo_alert_interval a, found = { 0 };
	size_t i, count = 0;

	for (i = 0; i < cf_slo_backtest_alert_count(bt); i++) {
		ck_assert_int_eq(cf_slo_backtest_alert(&a, bt, i), 0);
		if (a.pair == SIZE_MAX && a.window.severity == CF_SLO_PAGE) {
			found = a;
			count++;
		}
	}
	ck_assert_uint_eq(count, 1);
	return found;
}

START_TEST(test_backtest_exact)
{
	static double t[800], total[800], errors[800];
	cf_slo_backtest_options o;
	cf_slo_backtest *bt = NULL;
	cf_slo_alert_interval a;
	cf_slo_budget_point b;
	cf_buf js = CF_BUF_INIT;
	size_t n = fast_burn(t, total, errors, 60, 0), i;
	int saw_pair0 = 0;

	ck_assert_int_eq(cf_slo_backtest_options_init(&o, CF_SLO_BACKTEST_OPTIONS_VERSION), 0);
	ck_assert_int_eq(cf_slo_backtest_options_init(&o, 99), CF_EVERSION);
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, n), 0);
	ck_assert_uint_eq(cf_slo_backtest_steps(bt), 541);
	ck_assert(cf_slo_backtest_step(bt) == 60);
	ck_assert(cf_slo_backtest_paged(bt) && cf_slo_backtest_ticketed(bt));
	/* SRE Workbook: 14.4x 1h/5m fires 8.64 min after onset (minute 369); the 6x 6h/30m pair holds the page
	 * until 30m × (1 - 6 × 0.001 / 0.1) = 28.2 min after the errors stop: resolved at minute 449. */
	a = page_interval(bt);
	ck_assert(a.fired_at == 369 * 60.0);
	ck_assert(a.resolved_at == 449 * 60.0);
	for (i = 0; i < cf_slo_backtest_alert_count(bt); i++) {
		ck_assert_int_eq(cf_slo_backtest_alert(&a, bt, i), 0);
		if (a.pair == 0) {
			saw_pair0 = 1;
			ck_assert(a.window.burn_rate == 14.4 && a.fired_at == 369 * 60.0);
			ck_assert(a.resolved_at <= 425 * 60.0); /* the 5m window clears */
		}
	}
	ck_assert(saw_pair0);
	ck_assert_int_eq(cf_slo_backtest_alert(&a, bt, 99), CF_EINVAL);
	ck_assert_uint_eq(cf_slo_backtest_budget_count(bt), 541);
	ck_assert_int_eq(cf_slo_backtest_budget(&b, bt, 540), 0);
	ck_assert(b.t == 540 * 60.0 && b.total == 54000 && b.errors == 600);
	ck_assert_double_eq_tol(b.budget_consumed, 600.0 / 54000 / 0.001, 1e-9);
	ck_assert_double_eq_tol(b.budget_remaining, 1 - 600.0 / 54000 / 0.001, 1e-9);
	ck_assert_int_eq(cf_slo_backtest_to_json(&js, bt), 0);
	ck_assert(strstr(js.ptr, "\"mode\":\"exact\"") && strstr(js.ptr, "\"paged\":true"));
	ck_assert(strstr(js.ptr, "\"pair\":null,\"fired_at\":22140,\"resolved_at\":26940"));
	cf_buf_dispose(&js);
	cf_slo_backtest_free(bt);

	/* A restart of both counters mid-burn changes nothing (the increase after a reset is the new value). */
	n = fast_burn(t, total, errors, 60, 400);
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, n), 0);
	a = page_interval(bt);
	ck_assert(a.fired_at == 369 * 60.0 && a.resolved_at == 449 * 60.0);
	cf_slo_backtest_free(bt);

	/* Budget every 60 steps (and the last). */
	o.budget_every = 60;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 60), 0);
	ck_assert_uint_eq(cf_slo_backtest_budget_count(bt), 2);
	ck_assert(!cf_slo_backtest_paged(bt) && cf_slo_backtest_alert_count(bt) == 0);
	cf_slo_backtest_free(bt);
}
END_TEST

START_TEST(test_backtest_prometheus)
{
	static double t[800], total[800], errors[800];
	cf_slo_backtest_options o = CF_SLO_BACKTEST_OPTIONS_INIT;
	cf_slo_backtest *bt = NULL;
	cf_slo_alert_interval a;
	size_t n = fast_burn(t, total, errors, 45, 0);

	/* Scrapes every 45 s against 1 m evaluations: rate() extrapolates, and the page resolves a minute before
	 * the exact ratio says so. Both intervals are what promtool 2.42 computes (tests/slo/check_backtest.sh). */
	o.step_s = 60;
	o.mode = CF_SLO_BACKTEST_PROMETHEUS;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, n), 0);
	a = page_interval(bt);
	ck_assert(a.fired_at == 370 * 60.0 && a.resolved_at == 448 * 60.0);
	cf_slo_backtest_free(bt);
	o.mode = CF_SLO_BACKTEST_EXACT;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, n), 0);
	a = page_interval(bt);
	ck_assert(a.fired_at == 370 * 60.0 && a.resolved_at == 449 * 60.0);
	cf_slo_backtest_free(bt);
}
END_TEST

START_TEST(test_backtest_bad_input)
{
	double t[3] = { 0, 60, 120 }, total[3] = { 0, 10, 20 }, errors[3] = { 0, 1, 2 };
	cf_slo_backtest_options o = CF_SLO_BACKTEST_OPTIONS_INIT;
	cf_slo_backtest *bt = NULL;

	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 0), CF_EINVAL);
	t[2] = 60;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 3), CF_EINVAL);
	assert_msg("sample 2");
	t[2] = NAN;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 3), CF_EINVAL);
	t[2] = 120;
	errors[1] = NAN;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 3), CF_EINVAL);
	assert_msg("sample 1: errors");
	errors[1] = 1;
	total[0] = -1;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 3), CF_EINVAL);
	total[0] = 0;
	o.objective = 1;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 3), CF_EINVAL);
	o.objective = 0.999;
	o.preset = "nope";
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 3), CF_ENOTFOUND);
	o.preset = NULL;
	o.mode = (cf_slo_backtest_mode)7;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 3), CF_EINVAL);
	o.mode = CF_SLO_BACKTEST_EXACT;
	o.version = 9;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 3), CF_EVERSION);
	ck_assert_ptr_null(bt);
	o.version = CF_SLO_BACKTEST_OPTIONS_VERSION;
	ck_assert_int_eq(cf_slo_backtest_run(&bt, NULL, &o, t, total, errors, 3), 0);
	ck_assert(cf_slo_backtest_step(bt) == 60 && cf_slo_backtest_steps(bt) == 3);
	cf_slo_backtest_free(bt);
	cf_slo_backtest_free(NULL);
	ck_assert_uint_eq(cf_slo_backtest_alert_count(NULL), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("slo");
	TCase *tc;

	tc = tcase_create("Error budget arithmetic");
	tcase_add_test(tc, test_budget_and_burn);
	tcase_add_test(tc, test_budget_consumed);
	tcase_add_test(tc, test_detection_and_reset);
	tcase_add_test(tc, test_parse_duration);
	suite_add_tcase(s, tc);
	tc = tcase_create("Policies");
	tcase_add_test(tc, test_presets);
	tcase_add_test(tc, test_policy_validate);
	suite_add_tcase(s, tc);
	tc = tcase_create("Streaming evaluator");
	tcase_add_test(tc, test_options);
	tcase_add_test(tc, test_promtool_example);
	tcase_add_test(tc, test_google_policy_fires);
	tcase_add_test(tc, test_exact_ratio_of_sums);
	tcase_add_test(tc, test_ring_wrap_and_gaps);
	tcase_add_test(tc, test_counters_resets);
	tcase_add_test(tc, test_add_events);
	tcase_add_test(tc, test_timeslices);
	suite_add_tcase(s, tc);
	tc = tcase_create("Latency quantiles");
	tcase_add_test(tc, test_histogram_quantile);
	tcase_add_test(tc, test_sketch_accuracy_and_merge);
	tcase_add_test(tc, test_sketch_collapse_and_zero);
	tcase_add_test(tc, test_sketch_msgpack);
	suite_add_tcase(s, tc);
	tc = tcase_create("Bad input");
	tcase_add_test(tc, test_pure_bad_input);
	tcase_add_test(tc, test_empty_and_bad_ingest);
	suite_add_tcase(s, tc);
	tc = tcase_create("Sloth specs and rules");
	tcase_add_test(tc, test_spec_parse_and_rules);
	tcase_add_test(tc, test_spec_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("Backtesting");
	tcase_add_test(tc, test_backtest_exact);
	tcase_add_test(tc, test_backtest_prometheus);
	tcase_add_test(tc, test_backtest_bad_input);
	suite_add_tcase(s, tc);
	return cf_check_run(s);
}
