/* fairness module tests: rates and every undefined reason, disparities, minimum group size, intersections,
 * weights, accumulators (shards merged through msgpack equal one pass; AUC within the histogram bound),
 * truncated and malformed msgpack. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

#define TOL 1e-12

static const char *const SEX[] = { "f", "m" };
static const char *const RACE[] = { "a", "b", "c" };

/* Eight rows of one feature:
 *   f: y 1 1 0 0  p 1 0 1 0   -> TP 1, FN 1, FP 1, TN 1
 *   m: y 1 1 1 0  p 1 1 0 0   -> TP 2, FN 1, FP 0, TN 1 */
static const uint8_t Y8[] = { 1, 1, 0, 0, 1, 1, 1, 0 };
static const uint8_t P8[] = { 1, 0, 1, 0, 1, 1, 0, 0 };
static const int32_t S8[] = { 0, 0, 0, 0, 1, 1, 1, 1 };

static cf_fairness_report *eval1(const uint8_t *y, const uint8_t *p, const double *s, const double *w,
	const int32_t *codes, const char *const *labels, size_t nlab, size_t n, const cf_fairness_options *o)
{
	cf_fairness_feature f = { "sex", codes, labels, nlab };
	cf_fairness_data d = { n, y, p, s, w, &f, 1 };
	cf_fairness_report *rep = NULL;
	int rc = cf_fairness_evaluate(&rep, NULL, &d, o);
	ck_assert_msg(rc == CF_OK, "evaluate: %s", cf_error_last()->message);
	return rep;
}

static double val(const cf_fairness_report *rep, size_t g, cf_fairness_metric m, cf_fairness_undefined *why)
{
	double v;
	cf_fairness_undefined w;
	ck_assert_int_eq(cf_fairness_report_value(&v, &w, rep, g, m), CF_OK);
	if (why)
		*why = w;
	return v;
}

#define ASSERT_NEAR(a, b) ck_assert_msg(fabs((double)(a) - (double)(b)) <= TOL * (1 + fabs((double)(b))), \
	"%.17g != %.17g", (double)(a), \
	(double)(b))

START_TEST(test_rates)
{
	cf_fairness_report *rep = eval1(Y8, P8, NULL, NULL, S8, SEX, 2, 8, NULL);
	cf_fairness_group g;

	ck_assert_uint_eq(cf_fairness_report_num_groups(rep), 2);
	ck_assert_uint_eq(cf_fairness_report_num_features(rep), 1);
	ck_assert_str_eq(cf_fairness_report_feature_name(rep, 0), "sex");
	ck_assert_ptr_null(cf_fairness_report_feature_name(rep, 1));
	ck_assert_int_eq(cf_fairness_report_group(&g, rep, 0), CF_OK);
	ck_assert_str_eq(g.labels[0], "f");
	ck_assert_uint_eq(g.count, 4);
	ck_assert_uint_eq(g.tp, 1);
	ck_assert_uint_eq(g.fp, 1);
	ck_assert_uint_eq(g.fn, 1);
	ck_assert_uint_eq(g.tn, 1);
	ck_assert_int_eq(g.excluded, 0);
	ASSERT_NEAR(val(rep, 0, CF_FAIRNESS_SELECTION_RATE, NULL), 0.5);
	ASSERT_NEAR(val(rep, 0, CF_FAIRNESS_TPR, NULL), 0.5);
	ASSERT_NEAR(val(rep, 0, CF_FAIRNESS_FPR, NULL), 0.5);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_SELECTION_RATE, NULL), 0.5);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_TPR, NULL), 2.0 / 3);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_FNR, NULL), 1.0 / 3);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_FPR, NULL), 0.0);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_TNR, NULL), 1.0);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_PPV, NULL), 1.0);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_NPV, NULL), 0.5);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_ACCURACY, NULL), 0.75);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_COUNT, NULL), 4);
	ASSERT_NEAR(val(rep, CF_FAIRNESS_OVERALL, CF_FAIRNESS_TPR, NULL), 0.6);
	ASSERT_NEAR(val(rep, CF_FAIRNESS_OVERALL, CF_FAIRNESS_PPV, NULL), 0.75);
	ASSERT_NEAR(val(rep, CF_FAIRNESS_OVERALL, CF_FAIRNESS_ACCURACY, NULL), 5.0 / 8);
	{
		cf_fairness_undefined why;
		ck_assert(isnan(val(rep, 0, CF_FAIRNESS_AUC, &why)));
		ck_assert_int_eq(why, CF_FAIRNESS_NO_SCORES);
	}
	ck_assert_int_eq(cf_fairness_report_group(&g, rep, 2), CF_EINVAL);
	ck_assert_int_eq(cf_fairness_report_group(&g, rep, CF_FAIRNESS_OVERALL), CF_OK);
	ck_assert_ptr_null(g.labels);
	ck_assert_uint_eq(g.count, 8);
	cf_fairness_report_free(rep);
}
END_TEST

START_TEST(test_disparities)
{
	cf_fairness_report *rep = eval1(Y8, P8, NULL, NULL, S8, SEX, 2, 8, NULL);
	cf_fairness_disparity d;

	/* TPR: f 0.5, m 2/3, overall 0.6; FPR: f 0.5, m 0, overall 1/3 */
	ck_assert_int_eq(cf_fairness_difference(&d, rep, CF_FAIRNESS_TPR, CF_FAIRNESS_BETWEEN_GROUPS), CF_OK);
	ASSERT_NEAR(d.value, 2.0 / 3 - 0.5);
	ck_assert_uint_eq(d.group_min, 0);
	ck_assert_uint_eq(d.group_max, 1);
	ck_assert_uint_eq(d.groups_compared, 2);
	ck_assert_int_eq(cf_fairness_difference(&d, rep, CF_FAIRNESS_TPR, CF_FAIRNESS_TO_OVERALL), CF_OK);
	ASSERT_NEAR(d.value, 0.1);
	ck_assert_int_eq(cf_fairness_ratio(&d, rep, CF_FAIRNESS_TPR, CF_FAIRNESS_BETWEEN_GROUPS), CF_OK);
	ASSERT_NEAR(d.value, 0.75);
	ck_assert_int_eq(cf_fairness_ratio(&d, rep, CF_FAIRNESS_TPR, CF_FAIRNESS_TO_OVERALL), CF_OK);
	ASSERT_NEAR(d.value, 0.5 / 0.6);
	ck_assert_int_eq(cf_fairness_equalized_odds(&d, rep, CF_FAIRNESS_BETWEEN_GROUPS, CF_FAIRNESS_WORST_CASE, 0),
		CF_OK);
	ASSERT_NEAR(d.value, 0.5);
	ck_assert_int_eq(cf_fairness_equalized_odds(&d, rep, CF_FAIRNESS_BETWEEN_GROUPS, CF_FAIRNESS_MEAN, 0), CF_OK);
	ASSERT_NEAR(d.value, (0.5 + 2.0 / 3 - 0.5) / 2);
	/* FPR ratio between groups: 0 / 0.5 = 0 */
	ck_assert_int_eq(cf_fairness_equalized_odds(&d, rep, CF_FAIRNESS_BETWEEN_GROUPS, CF_FAIRNESS_WORST_CASE, 1),
		CF_OK);
	ASSERT_NEAR(d.value, 0.0);
	ck_assert_int_eq(cf_fairness_equalized_odds(&d, rep, CF_FAIRNESS_BETWEEN_GROUPS, CF_FAIRNESS_MEAN, 1), CF_OK);
	ASSERT_NEAR(d.value, 0.375);
	ck_assert_int_eq(cf_fairness_group_extreme(&d, rep, CF_FAIRNESS_ACCURACY, 1), CF_OK);
	ASSERT_NEAR(d.value, 0.75);
	ck_assert_int_eq(cf_fairness_group_extreme(&d, rep, CF_FAIRNESS_ACCURACY, 0), CF_OK);
	ASSERT_NEAR(d.value, 0.5);
	/* AIF360, privileged m (group 1): unprivileged f */
	ck_assert_int_eq(cf_fairness_privileged(&d, rep, CF_FAIRNESS_SELECTION_RATE, 1, 1), CF_OK);
	ASSERT_NEAR(d.value, 1.0);
	ck_assert_int_eq(cf_fairness_privileged(&d, rep, CF_FAIRNESS_TPR, 1, 0), CF_OK);
	ASSERT_NEAR(d.value, 0.5 - 2.0 / 3);
	ck_assert_int_eq(cf_fairness_average_odds_difference(&d, rep, 1), CF_OK);
	ASSERT_NEAR(d.value, 0.5 * ((0.5 - 0.0) + (0.5 - 2.0 / 3)));
	ck_assert_int_eq(cf_fairness_privileged(&d, rep, CF_FAIRNESS_FPR, 1, 1), CF_OK);
	ck_assert(isnan(d.value));
	ck_assert_int_eq(d.reason, CF_FAIRNESS_ZERO_DIVISOR);
	ck_assert_int_eq(cf_fairness_privileged(&d, rep, CF_FAIRNESS_AUC, 1, 1), CF_EINVAL);
	ck_assert_int_eq(cf_fairness_privileged(&d, rep, CF_FAIRNESS_TPR, 2, 1), CF_EINVAL);
	ck_assert_int_eq(cf_fairness_difference(&d, rep, (cf_fairness_metric)99, CF_FAIRNESS_TO_OVERALL), CF_EINVAL);
	ck_assert_int_eq(cf_fairness_difference(&d, rep, CF_FAIRNESS_TPR, (cf_fairness_method)7), CF_EINVAL);
	ck_assert_int_eq(cf_fairness_equalized_odds(&d, rep, CF_FAIRNESS_TO_OVERALL, (cf_fairness_agg)5, 0), CF_EINVAL);
	cf_fairness_report_free(rep);
}
END_TEST

/* Every reason a value can be undefined. */
START_TEST(test_undefined_reasons)
{
	/* group a: only positives, all predicted positive; group b: only negatives, all predicted negative */
	static const uint8_t y[] = { 1, 1, 0, 0 }, p[] = { 1, 1, 0, 0 };
	static const int32_t c[] = { 0, 0, 1, 1 };
	static const double s[] = { 0.9, 0.8, 0.1, 0.2 };
	cf_fairness_report *rep = eval1(y, p, s, NULL, c, RACE, 3, 4, NULL);
	cf_fairness_undefined why;
	cf_fairness_disparity d;

	ck_assert_uint_eq(cf_fairness_report_num_groups(rep), 2); /* label c has no rows: not a group */
	ck_assert(isnan(val(rep, 0, CF_FAIRNESS_FPR, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_NO_NEGATIVES);
	ck_assert(isnan(val(rep, 0, CF_FAIRNESS_TNR, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_NO_NEGATIVES);
	ck_assert(isnan(val(rep, 0, CF_FAIRNESS_NPV, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_NO_PREDICTED_NEGATIVES);
	ck_assert(isnan(val(rep, 0, CF_FAIRNESS_AUC, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_NO_NEGATIVES);
	ck_assert(isnan(val(rep, 1, CF_FAIRNESS_TPR, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_NO_POSITIVES);
	ck_assert(isnan(val(rep, 1, CF_FAIRNESS_FNR, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_NO_POSITIVES);
	ck_assert(isnan(val(rep, 1, CF_FAIRNESS_PPV, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_NO_PREDICTED_POSITIVES);
	ck_assert(isnan(val(rep, 1, CF_FAIRNESS_AUC, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_NO_POSITIVES);
	ASSERT_NEAR(val(rep, CF_FAIRNESS_OVERALL, CF_FAIRNESS_AUC, &why), 1.0);
	ck_assert_int_eq(why, CF_FAIRNESS_DEFINED);
	/* fairlearn would call TPR of b 0.0 and report a TPR difference of 1.0; here b is left out */
	ck_assert_int_eq(cf_fairness_difference(&d, rep, CF_FAIRNESS_TPR, CF_FAIRNESS_BETWEEN_GROUPS), CF_OK);
	ck_assert(isnan(d.value));
	ck_assert_int_eq(d.reason, CF_FAIRNESS_TOO_FEW_GROUPS);
	ck_assert_uint_eq(d.groups_undefined, 1);
	ck_assert_uint_eq(d.groups_compared, 1);
	ck_assert_int_eq(cf_fairness_difference(&d, rep, CF_FAIRNESS_TPR, CF_FAIRNESS_TO_OVERALL), CF_OK);
	ASSERT_NEAR(d.value, 0.0);
	/* selection rate: a 1, b 0: ratio 0; between groups with max 0 -> zero divisor */
	ck_assert_int_eq(cf_fairness_ratio(&d, rep, CF_FAIRNESS_SELECTION_RATE, CF_FAIRNESS_BETWEEN_GROUPS), CF_OK);
	ASSERT_NEAR(d.value, 0.0);
	ck_assert_int_eq(cf_fairness_ratio(&d, rep, CF_FAIRNESS_FNR, CF_FAIRNESS_TO_OVERALL), CF_OK);
	ck_assert_int_eq(d.reason, CF_FAIRNESS_ZERO_DIVISOR); /* overall FNR 0 */
	ck_assert_int_eq(cf_fairness_equalized_odds(&d, rep, CF_FAIRNESS_BETWEEN_GROUPS, CF_FAIRNESS_WORST_CASE, 0),
		CF_OK);
	ck_assert(isnan(d.value));
	ck_assert_int_eq(d.reason, CF_FAIRNESS_TOO_FEW_GROUPS);
	cf_fairness_report_free(rep);

	/* zero divisor between groups: every FNR 0 */
	{
		static const uint8_t y2[] = { 1, 0, 1, 0 }, p2[] = { 1, 0, 1, 1 };
		static const int32_t c2[] = { 0, 0, 1, 1 };
		rep = eval1(y2, p2, NULL, NULL, c2, SEX, 2, 4, NULL);
		ck_assert_int_eq(cf_fairness_ratio(&d, rep, CF_FAIRNESS_FNR, CF_FAIRNESS_BETWEEN_GROUPS), CF_OK);
		ck_assert(isnan(d.value));
		ck_assert_int_eq(d.reason, CF_FAIRNESS_ZERO_DIVISOR);
		ck_assert_int_eq(cf_fairness_difference(&d, rep, CF_FAIRNESS_FNR, CF_FAIRNESS_BETWEEN_GROUPS), CF_OK);
		ASSERT_NEAR(d.value, 0.0);
		cf_fairness_report_free(rep);
	}
	/* zero weight: rows but no weight */
	{
		static const uint8_t y3[] = { 1, 0, 1, 0 }, p3[] = { 1, 0, 1, 1 };
		static const int32_t c3[] = { 0, 0, 1, 1 };
		static const double w3[] = { 0, 0, 1, 1 };
		rep = eval1(y3, p3, NULL, w3, c3, SEX, 2, 4, NULL);
		ck_assert(isnan(val(rep, 0, CF_FAIRNESS_SELECTION_RATE, &why)));
		ck_assert_int_eq(why, CF_FAIRNESS_EMPTY_GROUP);
		ck_assert(isnan(val(rep, 0, CF_FAIRNESS_ACCURACY, &why)));
		ck_assert_int_eq(why, CF_FAIRNESS_EMPTY_GROUP);
		ASSERT_NEAR(val(rep, 0, CF_FAIRNESS_COUNT, &why), 2);
		cf_fairness_report_free(rep);
	}
	ck_assert_str_eq(cf_fairness_undefined_name(CF_FAIRNESS_EMPTY_GROUP), "empty group");
	ck_assert_str_eq(cf_fairness_undefined_name(CF_FAIRNESS_NO_POSITIVES), "no positives");
	ck_assert_str_eq(cf_fairness_undefined_name((cf_fairness_undefined)77), "unknown");
}
END_TEST

/* Two features: the cartesian product, empty intersections flagged; marginal reports equal one feature. */
START_TEST(test_intersections)
{
	static const uint8_t y[] = { 1, 0, 1, 0, 1, 1, 0, 0 }, p[] = { 1, 0, 0, 1, 1, 0, 0, 1 };
	static const int32_t sex[] = { 0, 0, 0, 0, 1, 1, 1, 1 };
	static const int32_t race[] = { 0, 1, 0, 1, 0, 0, 2, 0 }; /* (m, b) and (f, c) are empty */
	cf_fairness_feature fs[2] = { { "sex", sex, SEX, 2 }, { "race", race, RACE, 3 } };
	cf_fairness_data d = { 8, y, p, NULL, NULL, fs, 2 };
	const char *names[2] = { "sex", "race" }, *by_race[1] = { "race" }, *bad[1] = { "age" };
	const char *twice[2] = { "race", "race" };
	cf_fairness *acc;
	cf_fairness_report *rep, *r1, *r2;
	cf_fairness_group g;
	cf_fairness_undefined why;
	cf_fairness_disparity dd;

	ck_assert_int_eq(cf_fairness_evaluate(&rep, NULL, &d, NULL), CF_OK);
	ck_assert_uint_eq(cf_fairness_report_num_groups(rep), 6);
	/* (f,a) (f,b) (f,c) (m,a) (m,b) (m,c) */
	ck_assert_int_eq(cf_fairness_report_group(&g, rep, 2), CF_OK);
	ck_assert_str_eq(g.labels[0], "f");
	ck_assert_str_eq(g.labels[1], "c");
	ck_assert_uint_eq(g.count, 0);
	ck_assert(isnan(val(rep, 2, CF_FAIRNESS_SELECTION_RATE, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_EMPTY_GROUP);
	ck_assert(isnan(val(rep, 2, CF_FAIRNESS_COUNT, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_EMPTY_GROUP);
	ck_assert(isnan(val(rep, 4, CF_FAIRNESS_TPR, &why)));
	ck_assert_int_eq(why, CF_FAIRNESS_EMPTY_GROUP);
	ck_assert_int_eq(cf_fairness_report_group(&g, rep, 3), CF_OK);
	ck_assert_str_eq(g.labels[0], "m");
	ck_assert_str_eq(g.labels[1], "a");
	ck_assert_uint_eq(g.count, 3);
	ASSERT_NEAR(val(rep, 3, CF_FAIRNESS_SELECTION_RATE, NULL), 2.0 / 3);
	ck_assert_int_eq(cf_fairness_difference(&dd, rep, CF_FAIRNESS_SELECTION_RATE, CF_FAIRNESS_BETWEEN_GROUPS), CF_OK);
	ck_assert_uint_eq(dd.groups_undefined, 2);
	ck_assert_uint_eq(dd.groups_compared, 4);
	ASSERT_NEAR(dd.value, 2.0 / 3); /* (f,a) 0.5, (f,b) 0.5, (m,a) 2/3, (m,c) 0 */
	cf_fairness_report_free(rep);

	/* accumulator: marginal report by race equals evaluating race alone */
	ck_assert_int_eq(cf_fairness_create(&acc, NULL, names, 2, NULL), CF_OK);
	ck_assert_int_eq(cf_fairness_update(acc, &d), CF_OK);
	ck_assert_int_eq(cf_fairness_report_create(&r1, acc, by_race, 1), CF_OK);
	{
		cf_fairness_data d1 = { 8, y, p, NULL, NULL, &fs[1], 1 };
		ck_assert_int_eq(cf_fairness_evaluate(&r2, NULL, &d1, NULL), CF_OK);
	}
	ck_assert_uint_eq(cf_fairness_report_num_groups(r1), 3);
	for (size_t i = 0; i < 3; i++)
		for (int m = 0; m < CF_FAIRNESS_AUC; m++) {
			double a = val(r1, i, (cf_fairness_metric)m, NULL), b = val(r2, i, (cf_fairness_metric)m, NULL);
			ck_assert(a == b || (isnan(a) && isnan(b)));
		}
	cf_fairness_report_free(r1);
	cf_fairness_report_free(r2);
	ck_assert_int_eq(cf_fairness_report_create(&r1, acc, bad, 1), CF_ENOTFOUND);
	ck_assert_int_eq(cf_fairness_report_create(&r1, acc, twice, 2), CF_EINVAL);
	/* the order given decides the group order */
	{
		const char *rs[2] = { "race", "sex" };
		ck_assert_int_eq(cf_fairness_report_create(&r1, acc, rs, 2), CF_OK);
		ck_assert_int_eq(cf_fairness_report_group(&g, r1, 1), CF_OK);
		ck_assert_str_eq(g.labels[0], "a");
		ck_assert_str_eq(g.labels[1], "m");
		ck_assert_uint_eq(g.count, 3);
		cf_fairness_report_free(r1);
	}
	cf_fairness_free(acc);
}
END_TEST

START_TEST(test_min_group_size)
{
	static const uint8_t y[] = { 1, 0, 1, 0, 1, 0, 1 }, p[] = { 1, 0, 1, 1, 0, 0, 0 };
	static const int32_t c[] = { 0, 0, 0, 1, 1, 1, 2 };
	cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT;
	cf_fairness_report *rep;
	cf_fairness_group g;
	cf_fairness_disparity d;

	o.min_group_size = 2;
	rep = eval1(y, p, NULL, NULL, c, RACE, 3, 7, &o);
	ck_assert_int_eq(cf_fairness_report_group(&g, rep, 2), CF_OK);
	ck_assert_int_eq(g.excluded, 1);
	ASSERT_NEAR(val(rep, 2, CF_FAIRNESS_TPR, NULL), 0.0); /* reported */
	ck_assert_int_eq(cf_fairness_difference(&d, rep, CF_FAIRNESS_SELECTION_RATE, CF_FAIRNESS_BETWEEN_GROUPS), CF_OK);
	ck_assert_uint_eq(d.groups_excluded, 1);
	ck_assert_uint_eq(d.groups_compared, 2);
	ASSERT_NEAR(d.value, 2.0 / 3 - 1.0 / 3);
	/* the overall row still has every row */
	ASSERT_NEAR(val(rep, CF_FAIRNESS_OVERALL, CF_FAIRNESS_COUNT, NULL), 7);
	/* privileged a: the unprivileged pool is b only */
	ck_assert_int_eq(cf_fairness_privileged(&d, rep, CF_FAIRNESS_SELECTION_RATE, 0, 1), CF_OK);
	ASSERT_NEAR(d.value, (1.0 / 3) / (2.0 / 3));
	ck_assert_int_eq(cf_fairness_privileged(&d, rep, CF_FAIRNESS_SELECTION_RATE, 2, 1), CF_OK);
	ck_assert_int_eq(d.reason, CF_FAIRNESS_TOO_FEW_GROUPS);
	cf_fairness_report_free(rep);
}
END_TEST

START_TEST(test_weights)
{
	static const double w[] = { 2, 1, 1, 1, 0.5, 0.5, 3, 1 };
	cf_fairness_report *rep = eval1(Y8, P8, NULL, w, S8, SEX, 2, 8, NULL);
	cf_fairness_group g;

	/* f: TP w 2, FN 1, FP 1, TN 1 */
	ASSERT_NEAR(val(rep, 0, CF_FAIRNESS_TPR, NULL), 2.0 / 3);
	ASSERT_NEAR(val(rep, 0, CF_FAIRNESS_SELECTION_RATE, NULL), 3.0 / 5);
	/* m: TP 0.5 + 0.5, FN 3, TN 1 */
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_TPR, NULL), 0.25);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_ACCURACY, NULL), 2.0 / 5);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_COUNT, NULL), 4); /* count is unweighted */
	ck_assert_int_eq(cf_fairness_report_group(&g, rep, 1), CF_OK);
	ASSERT_NEAR(g.weight, 5.0);
	ASSERT_NEAR(g.w_fn, 3.0);
	cf_fairness_report_free(rep);
}
END_TEST

START_TEST(test_threshold_and_auc)
{
	static const uint8_t y[] = { 1, 0, 1, 0, 1, 0 };
	static const double s[] = { 0.9, 0.4, 0.5, 0.5, 0.2, 0.7 };
	static const int32_t c[] = { 0, 0, 0, 0, 1, 1 };
	cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT;
	cf_fairness_report *rep = eval1(y, NULL, s, NULL, c, SEX, 2, 6, &o);
	cf_fairness_group g;

	/* ŷ = s >= 0.5: f 1 0 1 1, m 0 1 */
	ASSERT_NEAR(val(rep, 0, CF_FAIRNESS_SELECTION_RATE, NULL), 0.75);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_FPR, NULL), 1.0);
	/* f AUC: pos {0.9, 0.5}, neg {0.4, 0.5}: pairs 1 + 1 + 1 + 0.5 = 3.5 / 4 */
	ASSERT_NEAR(val(rep, 0, CF_FAIRNESS_AUC, NULL), 0.875);
	ASSERT_NEAR(val(rep, 1, CF_FAIRNESS_AUC, NULL), 0.0);
	ck_assert_int_eq(cf_fairness_report_group(&g, rep, 0), CF_OK);
	ck_assert(g.auc_error == 0.0);
	cf_fairness_report_free(rep);
}
END_TEST

START_TEST(test_bad_input)
{
	static const int32_t bad[] = { 0, 2 }, neg[] = { 0, -1 };
	static const uint8_t y[] = { 1, 0 };
	static const double nan_s[] = { 0.5, NAN }, neg_w[] = { 1, -1 };
	cf_fairness_feature f = { "sex", bad, SEX, 2 };
	cf_fairness_data d = { 2, y, y, NULL, NULL, &f, 1 };
	const char *names[2] = { "sex", "sex" };
	cf_fairness_report *rep;
	cf_fairness *acc;
	cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT;

	ck_assert_int_eq(cf_fairness_evaluate(&rep, NULL, &d, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "row 1"));
	f.codes = neg;
	ck_assert_int_eq(cf_fairness_evaluate(&rep, NULL, &d, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "null"));
	f.codes = S8;
	d.y_pred = NULL;
	ck_assert_int_eq(cf_fairness_evaluate(&rep, NULL, &d, NULL), CF_EINVAL);
	d.scores = nan_s;
	ck_assert_int_eq(cf_fairness_evaluate(&rep, NULL, &d, NULL), CF_EINVAL);
	d.scores = NULL;
	d.y_pred = y;
	d.weights = neg_w;
	ck_assert_int_eq(cf_fairness_evaluate(&rep, NULL, &d, NULL), CF_EINVAL);
	d.weights = NULL;
	ck_assert_int_eq(cf_fairness_create(&acc, NULL, names, 2, NULL), CF_EINVAL);
	ck_assert_int_eq(cf_fairness_create(&acc, NULL, names, 0, NULL), CF_EINVAL);
	o.score_max = o.score_min;
	ck_assert_int_eq(cf_fairness_create(&acc, NULL, names, 1, &o), CF_EINVAL);
	o = (cf_fairness_options)CF_FAIRNESS_OPTIONS_INIT;
	o.version = 99;
	ck_assert_int_eq(cf_fairness_create(&acc, NULL, names, 1, &o), CF_EVERSION);
	ck_assert_int_eq(cf_fairness_options_init(&o, 1), CF_OK);
	ck_assert_int_eq(o.auc_bins, 1024);
	ck_assert_int_eq(cf_fairness_create(&acc, NULL, names, 1, NULL), CF_OK);
	{
		cf_fairness_feature g = { "race", S8, SEX, 2 };
		cf_fairness_data d2 = { 2, y, y, NULL, NULL, &g, 1 };
		ck_assert_int_eq(cf_fairness_update(acc, &d2), CF_EINVAL);
	}
	/* a rejected chunk changed nothing */
	f.codes = bad;
	ck_assert_int_eq(cf_fairness_update(acc, &d), CF_EINVAL);
	ck_assert_uint_eq(cf_fairness_num_rows(acc), 0);
	cf_fairness_free(acc);
	cf_fairness_free(NULL);
	cf_fairness_report_free(NULL);
	{
		cf_fairness_metric m;
		ck_assert_int_eq(cf_fairness_metric_from_name(&m, "recall_score"), CF_OK);
		ck_assert_int_eq(m, CF_FAIRNESS_TPR);
		ck_assert_int_eq(cf_fairness_metric_from_name(&m, "false_positive_rate"), CF_OK);
		ck_assert_int_eq(m, CF_FAIRNESS_FPR);
		ck_assert_int_eq(cf_fairness_metric_from_name(&m, "nope"), CF_EINVAL);
		ck_assert_str_eq(cf_fairness_metric_name(CF_FAIRNESS_SELECTION_RATE), "selection_rate");
	}
}
END_TEST

/* ---- accumulators ----------------------------------------------------------------------------------------- */

typedef struct rowset {
	size_t n;
	uint8_t *y, *p;
	double *s, *w;
	int32_t *sex, *race;
} rowset;

static uint64_t rng_state = 42;

static double urand(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double)(rng_state >> 11) / 9007199254740992.0;
}

static rowset make_rows(size_t n, int weighted)
{
	rowset r;
	r.n = n;
	r.y = malloc(n);
	r.p = malloc(n);
	r.s = malloc(n * sizeof(double));
	r.w = weighted ? malloc(n * sizeof(double)) : NULL;
	r.sex = malloc(n * sizeof(int32_t));
	r.race = malloc(n * sizeof(int32_t));
	for (size_t i = 0; i < n; i++) {
		r.sex[i] = urand() < 0.4;
		r.race[i] = (int32_t)(urand() * 3);
		r.y[i] = urand() < 0.3 + 0.2 * r.sex[i];
		r.s[i] = fmin(1.0, fmax(0.0, 0.35 * r.y[i] + 0.65 * urand()));
		r.p[i] = r.s[i] >= 0.5;
		if (weighted)
			r.w[i] = 0.5 + (double)(int)(urand() * 4);
	}
	return r;
}

static void free_rows(rowset *r)
{
	free(r->y);
	free(r->p);
	free(r->s);
	free(r->w);
	free(r->sex);
	free(r->race);
}

/* Rows [a, b) as a chunk; shard k relabels its race dictionary (reversed) to exercise label mapping. */
static int add_rows(cf_fairness *acc, const rowset *r, size_t a, size_t b, int reversed)
{
	static const char *const race_rev[] = { "c", "b", "a" };
	int32_t *rc = malloc((b - a + 1) * sizeof(int32_t));
	cf_fairness_feature fs[2] = { { "sex", r->sex + a, SEX, 2 }, { "race", rc, reversed ? race_rev : RACE, 3 } };
	cf_fairness_data d = { b - a, r->y + a, r->p + a, r->s + a, r->w ? r->w + a : NULL, fs, 2 };
	int rv;
	for (size_t i = a; i < b; i++)
		rc[i - a] = reversed ? 2 - r->race[i] : r->race[i];
	rv = cf_fairness_update(acc, &d);
	free(rc);
	return rv;
}

static void same_counts(const cf_fairness_report *a, const cf_fairness_report *b, int exact_weights)
{
	ck_assert_uint_eq(cf_fairness_report_num_groups(a), cf_fairness_report_num_groups(b));
	for (size_t i = 0; i <= cf_fairness_report_num_groups(a); i++) {
		size_t gi = i == cf_fairness_report_num_groups(a) ? CF_FAIRNESS_OVERALL : i;
		cf_fairness_group ga, gb;
		ck_assert_int_eq(cf_fairness_report_group(&ga, a, gi), CF_OK);
		ck_assert_int_eq(cf_fairness_report_group(&gb, b, gi), CF_OK);
		for (size_t k = 0; k < ga.num_labels; k++)
			ck_assert_str_eq(ga.labels[k], gb.labels[k]);
		ck_assert_uint_eq(ga.count, gb.count);
		ck_assert_uint_eq(ga.tp, gb.tp);
		ck_assert_uint_eq(ga.fp, gb.fp);
		ck_assert_uint_eq(ga.fn, gb.fn);
		ck_assert_uint_eq(ga.tn, gb.tn);
		if (exact_weights)
			ck_assert(ga.w_tp == gb.w_tp && ga.w_fp == gb.w_fp && ga.w_fn == gb.w_fn && ga.w_tn == gb.w_tn);
		else
			ASSERT_NEAR(ga.weight, gb.weight);
	}
}

static void check_shards(int weighted)
{
	const char *names[2] = { "sex", "race" };
	rowset r = make_rows(5000, weighted);
	cf_fairness *one, *merged;
	cf_fairness_report *r1, *r2, *rx;
	cf_buf b1 = CF_BUF_INIT, b2 = CF_BUF_INIT;
	size_t cut[8] = { 0, 10, 700, 701, 1800, 3000, 4100, 5000 };

	ck_assert_int_eq(cf_fairness_create(&one, NULL, names, 2, NULL), CF_OK);
	ck_assert_int_eq(add_rows(one, &r, 0, r.n, 0), CF_OK);
	ck_assert_int_eq(cf_fairness_create(&merged, NULL, names, 2, NULL), CF_OK);
	for (int k = 0; k < 7; k++) {
		cf_fairness *shard, *back;
		cf_buf b = CF_BUF_INIT;
		ck_assert_int_eq(cf_fairness_create(&shard, NULL, names, 2, NULL), CF_OK);
		ck_assert_int_eq(add_rows(shard, &r, cut[k], cut[k + 1], k % 2), CF_OK);
		ck_assert_int_eq(cf_fairness_to_msgpack(&b, shard), CF_OK);
		ck_assert_int_eq(cf_fairness_from_msgpack(&back, NULL, b.ptr, b.size), CF_OK);
		ck_assert_int_eq(cf_fairness_merge(merged, back), CF_OK);
		cf_buf_dispose(&b);
		cf_fairness_free(back);
		cf_fairness_free(shard);
	}
	ck_assert_uint_eq(cf_fairness_num_rows(merged), r.n);
	ck_assert_int_eq(cf_fairness_report_create(&r1, one, NULL, 0), CF_OK);
	ck_assert_int_eq(cf_fairness_report_create(&r2, merged, NULL, 0), CF_OK);
	same_counts(r1, r2, !weighted);
	/* unweighted: the canonical bytes are equal too */
	ck_assert_int_eq(cf_fairness_to_msgpack(&b1, one), CF_OK);
	ck_assert_int_eq(cf_fairness_to_msgpack(&b2, merged), CF_OK);
	if (!weighted) {
		ck_assert_uint_eq(b1.size, b2.size);
		ck_assert(memcmp(b1.ptr, b2.ptr, b1.size) == 0);
	}
	/* histogram AUC within its bound of the exact one-pass AUC */
	{
		cf_fairness_feature fs[2] = { { "sex", r.sex, SEX, 2 }, { "race", r.race, RACE, 3 } };
		cf_fairness_data d = { r.n, r.y, r.p, r.s, r.w, fs, 2 };
		ck_assert_int_eq(cf_fairness_evaluate(&rx, NULL, &d, NULL), CF_OK);
		same_counts(rx, r2, !weighted);
		for (size_t i = 0; i <= cf_fairness_report_num_groups(rx); i++) {
			size_t gi = i == cf_fairness_report_num_groups(rx) ? CF_FAIRNESS_OVERALL : i;
			cf_fairness_group g;
			double exact = val(rx, gi, CF_FAIRNESS_AUC, NULL), approx = val(r2, gi, CF_FAIRNESS_AUC, NULL);
			ck_assert_int_eq(cf_fairness_report_group(&g, r2, gi), CF_OK);
			ck_assert(!isnan(exact) && !isnan(approx));
			ck_assert_msg(fabs(exact - approx) <= g.auc_error + 1e-12, "AUC %g vs %g, bound %g", exact, approx,
				g.auc_error);
			ck_assert(g.auc_error < 0.01);
			ASSERT_NEAR(approx, val(r1, gi, CF_FAIRNESS_AUC, NULL));
		}
		cf_fairness_report_free(rx);
	}
	cf_buf_dispose(&b1);
	cf_buf_dispose(&b2);
	cf_fairness_report_free(r1);
	cf_fairness_report_free(r2);
	cf_fairness_free(one);
	cf_fairness_free(merged);
	free_rows(&r);
}

START_TEST(test_shards_merge)
{
	check_shards(0);
}
END_TEST

START_TEST(test_shards_merge_weighted)
{
	check_shards(1);
}
END_TEST

START_TEST(test_merge_errors)
{
	const char *a[1] = { "sex" }, *b[1] = { "race" }, *ab[2] = { "sex", "race" };
	cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT;
	cf_fairness *x, *y, *z, *w;

	o.auc_bins = 16;
	ck_assert_int_eq(cf_fairness_create(&x, NULL, a, 1, NULL), CF_OK);
	ck_assert_int_eq(cf_fairness_create(&y, NULL, b, 1, NULL), CF_OK);
	ck_assert_int_eq(cf_fairness_create(&z, NULL, a, 1, &o), CF_OK);
	ck_assert_int_eq(cf_fairness_create(&w, NULL, ab, 2, NULL), CF_OK);
	ck_assert_int_eq(cf_fairness_merge(x, y), CF_EINVAL);
	ck_assert_int_eq(cf_fairness_merge(x, z), CF_EINVAL);
	ck_assert_int_eq(cf_fairness_merge(x, w), CF_EINVAL);
	/* self-merge doubles */
	{
		cf_fairness_feature f = { "sex", S8, SEX, 2 };
		cf_fairness_data d = { 8, Y8, P8, NULL, NULL, &f, 1 };
		ck_assert_int_eq(cf_fairness_update(x, &d), CF_OK);
		ck_assert_int_eq(cf_fairness_merge(x, x), CF_OK);
		ck_assert_uint_eq(cf_fairness_num_rows(x), 16);
	}
	cf_fairness_free(x);
	cf_fairness_free(y);
	cf_fairness_free(z);
	cf_fairness_free(w);
}
END_TEST

START_TEST(test_msgpack_prefixes)
{
	const char *names[2] = { "sex", "race" };
	cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT;
	rowset r = make_rows(300, 1);
	cf_fairness *acc, *back;
	cf_buf b = CF_BUF_INIT, b2 = CF_BUF_INIT;

	o.auc_bins = 8;
	ck_assert_int_eq(cf_fairness_create(&acc, NULL, names, 2, &o), CF_OK);
	ck_assert_int_eq(add_rows(acc, &r, 0, r.n, 0), CF_OK);
	ck_assert_int_eq(cf_fairness_to_msgpack(&b, acc), CF_OK);
	for (size_t len = 0; len < b.size; len++) {
		back = (cf_fairness *)&b;
		ck_assert_int_eq(cf_fairness_from_msgpack(&back, NULL, b.ptr, len), CF_EFORMAT);
		ck_assert_ptr_null(back);
	}
	ck_assert_int_eq(cf_fairness_from_msgpack(&back, NULL, b.ptr, b.size), CF_OK);
	ck_assert_int_eq(cf_fairness_to_msgpack(&b2, back), CF_OK);
	ck_assert_uint_eq(b.size, b2.size);
	ck_assert(memcmp(b.ptr, b2.ptr, b.size) == 0);
	cf_fairness_free(back);
	/* trailing data, wrong magic, newer version, corrupted counts */
	{
		char *t = malloc(b.size + 1);
		memcpy(t, b.ptr, b.size);
		t[b.size] = (char)0xc0;
		ck_assert_int_eq(cf_fairness_from_msgpack(&back, NULL, t, b.size + 1), CF_EFORMAT);
		memcpy(t, b.ptr, b.size);
		t[3] = 'X';
		ck_assert_int_eq(cf_fairness_from_msgpack(&back, NULL, t, b.size), CF_EFORMAT);
		memcpy(t, b.ptr, b.size);
		t[1 + 1 + strlen("cogniforge.fairness")] = 9; /* version fixint */
		ck_assert_int_eq(cf_fairness_from_msgpack(&back, NULL, t, b.size), CF_EVERSION);
		for (size_t i = 0; i < b.size; i++) {
			memcpy(t, b.ptr, b.size);
			t[i] ^= 0x5a;
			if (cf_fairness_from_msgpack(&back, NULL, t, b.size) == CF_OK)
				cf_fairness_free(back);
		}
		free(t);
	}
	ck_assert_int_eq(cf_fairness_from_msgpack(&back, NULL, NULL, 0), CF_EFORMAT);
	cf_buf_dispose(&b);
	cf_buf_dispose(&b2);
	cf_fairness_free(acc);
	free_rows(&r);
}
END_TEST

START_TEST(test_json)
{
	cf_fairness_report *rep = eval1(Y8, P8, NULL, NULL, S8, SEX, 2, 8, NULL);
	cf_buf b = CF_BUF_INIT;

	ck_assert_int_eq(cf_fairness_report_to_json(&b, rep), CF_OK);
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"demographic_parity_difference\""));
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"four_fifths_rule\""));
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"roc_auc\": null"));
	ck_assert_ptr_nonnull(strstr(b.ptr, "\"no scores\""));
	cf_buf_dispose(&b);
	cf_fairness_report_free(rep);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fairness");
	TCase *tc = tcase_create("Rates and disparities");
	TCase *ta = tcase_create("Accumulators");
	TCase *tb = tcase_create("Bad input");

	tcase_add_test(tc, test_rates);
	tcase_add_test(tc, test_disparities);
	tcase_add_test(tc, test_undefined_reasons);
	tcase_add_test(tc, test_intersections);
	tcase_add_test(tc, test_min_group_size);
	tcase_add_test(tc, test_weights);
	tcase_add_test(tc, test_threshold_and_auc);
	tcase_add_test(tc, test_json);
	tcase_add_test(ta, test_shards_merge);
	tcase_add_test(ta, test_shards_merge_weighted);
	tcase_add_test(ta, test_merge_errors);
	tcase_add_test(ta, test_msgpack_prefixes);
	tcase_add_test(tb, test_bad_input);
	suite_add_tcase(s, tc);
	suite_add_tcase(s, ta);
	suite_add_tcase(s, tb);
	return cf_check_run(s);
}
