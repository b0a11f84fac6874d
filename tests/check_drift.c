/* drift module tests: hand-computed values of each test, Evidently's default choice, NaN and empty input,
 * profiles (exactness, merge, msgpack round trip and malformed input) and comparisons. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

#define TOL 1e-12

/* ---- method names ---- */
START_TEST(test_method_names)
{
	cf_drift_method m;
	ck_assert_str_eq(cf_drift_method_name(CF_DRIFT_KS), "ks");
	ck_assert_str_eq(cf_drift_method_name(CF_DRIFT_ZTEST), "z");
	ck_assert_str_eq(cf_drift_method_name((cf_drift_method)42), "unknown");
	ck_assert_int_eq(cf_drift_method_from_name(&m, "PSI"), 0);
	ck_assert_int_eq(m, CF_DRIFT_PSI);
	ck_assert_int_eq(cf_drift_method_from_name(&m, "wasserstein_distance_norm"), 0);
	ck_assert_int_eq(m, CF_DRIFT_WASSERSTEIN);
	ck_assert_int_eq(cf_drift_method_from_name(&m, "hellinger"), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "unknown drift method 'hellinger'"));
	ck_assert_double_eq(cf_drift_method_default_threshold(CF_DRIFT_KS), 0.05);
	ck_assert_double_eq(cf_drift_method_default_threshold(CF_DRIFT_JENSENSHANNON), 0.1);
}
END_TEST

/* ---- pure functions, hand-computed ---- */
START_TEST(test_ks_hand)
{
	double r[] = { 1, 2, 3 }, c[] = { 4, 5, 6 }, d, p;
	ck_assert_int_eq(cf_drift_ks(&d, &p, r, 3, c, 3), 0);
	ck_assert_double_eq(d, 1.0);
	ck_assert_double_eq_tol(p, 0.1, TOL); /* 2 * (3/4 * 2/5 * 1/6) */
	double r2[] = { 1, 2, 3, 4 }, c2[] = { 1, 2, 3, 4 };
	ck_assert_int_eq(cf_drift_ks(&d, &p, r2, 4, c2, 4), 0);
	ck_assert_double_eq(d, 0.0);
	ck_assert_double_eq(p, 1.0);
	/* NaN is dropped */
	double r3[] = { 1, NAN, 2, 3 };
	ck_assert_int_eq(cf_drift_ks(&d, &p, r3, 4, c, 3), 0);
	ck_assert_double_eq(d, 1.0);
	ck_assert_double_eq_tol(p, 0.1, TOL);
}
END_TEST

START_TEST(test_wasserstein_hand)
{
	double r[] = { 0, 1 }, c[] = { 1, 2 }, w;
	ck_assert_int_eq(cf_drift_wasserstein_norm(&w, r, 2, c, 2), 0);
	ck_assert_double_eq_tol(w, 2.0, TOL); /* W = 1, std(ref) = 0.5 */
	double k[] = { 5, 5, 5 }, k2[] = { 5, 5, 6 };
	ck_assert_int_eq(cf_drift_wasserstein_norm(&w, k, 3, k2, 3), 0);
	ck_assert_double_eq_tol(w, (1.0 / 3) / 0.001, 1e-9); /* constant reference: std floor 0.001 */
}
END_TEST

START_TEST(test_psi_js_hand)
{
	double r[] = { 0, 0, 1, 1 }, c[] = { 0, 0, 0, 1 }, v;
	ck_assert_int_eq(cf_drift_psi(&v, r, 4, c, 4, 1), 0);
	ck_assert_double_eq_tol(v, 0.25 * log(3.0), TOL);
	double p[] = { 1, 0 }, q[] = { 0, 1 };
	ck_assert_int_eq(cf_drift_jensen_shannon_dist(&v, p, q, 2), 0);
	ck_assert_double_eq_tol(v, sqrt(log(2.0)), TOL);
	ck_assert_int_eq(cf_drift_jensen_shannon_dist(&v, p, p, 2), 0);
	ck_assert_double_eq_tol(v, 0.0, TOL);
	/* disjoint categories: PSI uses the 0.0001 filling */
	double a[] = { 1, 1 }, b[] = { 2, 2 };
	ck_assert_int_eq(cf_drift_psi(&v, a, 2, b, 2, 1), 0);
	ck_assert_double_eq_tol(v, 2 * (1 - 0.0001) * log(1 / 0.0001), 1e-9);
	ck_assert_int_eq(cf_drift_jensen_shannon(&v, a, 2, b, 2, 1), 0);
	ck_assert_double_eq_tol(v, sqrt(log(2.0)), TOL);
	double neg[] = { -1, 1 };
	ck_assert_int_eq(cf_drift_jensen_shannon_dist(&v, neg, q, 2), CF_EINVAL);
}
END_TEST

START_TEST(test_psi_sturges)
{
	/* 0..29 against 0..29 shifted: > 20 distinct reference values, so sturges edges over 60 values:
	 * ceil(log2 60 + 1) = 7 equal bins on [0, 39]. Identical samples give 0. */
	double r[30], c[30], v;
	for (int i = 0; i < 30; i++) {
		r[i] = i;
		c[i] = i;
	}
	ck_assert_int_eq(cf_drift_psi(&v, r, 30, c, 30, 0), 0);
	ck_assert_double_eq_tol(v, 0.0, TOL);
	for (int i = 0; i < 30; i++)
		c[i] = i + 10;
	ck_assert_int_eq(cf_drift_psi(&v, r, 30, c, 30, 0), 0);
	ck_assert(v > 0.1);
}
END_TEST

START_TEST(test_chisquare_igamc)
{
	double o[] = { 10, 20, 30 }, e[] = { 20, 20, 20 }, s, p;
	ck_assert_int_eq(cf_drift_chisquare(&s, &p, o, e, 3), 0);
	ck_assert_double_eq_tol(s, 10.0, TOL);
	ck_assert_double_eq_tol(p, exp(-5.0), 1e-15); /* Q(1, 5) */
	ck_assert_double_eq_tol(cf_drift_igamc(1.0, 2.0), exp(-2.0), 1e-15);
	ck_assert_double_eq_tol(cf_drift_igamc(0.5, 1.0), erfc(1.0), 1e-15);
	ck_assert(isnan(cf_drift_igamc(0.0, 1.0)));
	ck_assert_double_eq(cf_drift_igamc(2.0, INFINITY), 0.0);
	double e0[] = { 0, 30, 30 };
	ck_assert_int_eq(cf_drift_chisquare(&s, &p, o, e0, 3), 0);
	ck_assert(isinf(s));
	ck_assert_double_eq(p, 0.0);
	double bad[] = { -1, 1, 1 };
	ck_assert_int_eq(cf_drift_chisquare(&s, &p, bad, e, 3), CF_EINVAL);
	ck_assert_int_eq(cf_drift_chisquare(&s, &p, o, e, 0), CF_EINVAL);
}
END_TEST

START_TEST(test_ztest_hand)
{
	double z, p;
	ck_assert_int_eq(cf_drift_ztest(&z, &p, 50, 100, 50, 100), 0);
	ck_assert_double_eq(z, 0.0);
	ck_assert_double_eq_tol(p, 1.0, TOL);
	ck_assert_int_eq(cf_drift_ztest(&z, &p, 0, 10, 0, 20), 0); /* same single value: p = 1 */
	ck_assert_double_eq(p, 1.0);
	/* p1 = 0.3, p2 = 0.5, P = 0.4: z = -0.2 / sqrt(0.24 * 0.02) */
	ck_assert_int_eq(cf_drift_ztest(&z, &p, 30, 100, 50, 100), 0);
	ck_assert_double_eq_tol(z, -0.2 / sqrt(0.24 * 0.02), 1e-12);
	ck_assert_double_eq_tol(p, erfc(fabs(z) / sqrt(2.0)), 1e-12);
	ck_assert_int_eq(cf_drift_ztest(&z, &p, 5, 4, 1, 1), CF_EINVAL);
	ck_assert_int_eq(cf_drift_ztest(&z, &p, 0, 0, 1, 1), CF_EINVAL);
}
END_TEST

START_TEST(test_empty_and_nan)
{
	double r[] = { NAN, NAN }, c[] = { 1, 2 }, d, p;
	ck_assert_int_eq(cf_drift_ks(&d, &p, r, 2, c, 2), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "reference sample is empty"));
	ck_assert_int_eq(cf_drift_ks(&d, &p, c, 2, c, 0), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "current sample is empty"));
	ck_assert_int_eq(cf_drift_wasserstein_norm(&d, c, 2, NULL, 1), CF_EINVAL);
	cf_drift_result res;
	double inf[] = { INFINITY, -INFINITY };
	ck_assert_int_eq(cf_drift_detect(&res, inf, 2, c, 2, 0, NULL), CF_EINVAL);
}
END_TEST

/* ---- detection: Evidently's default test choice ---- */
START_TEST(test_detect_defaults)
{
	enum { N = 2000 };
	static double r[N], c[N];
	cf_drift_result res;
	for (int i = 0; i < N; i++) {
		r[i] = i % 100;
		c[i] = i % 100;
	}
	/* <= 1000 reference rows */
	ck_assert_int_eq(cf_drift_detect(&res, r, 1000, c, 1000, 0, NULL), 0);
	ck_assert_int_eq(res.method, CF_DRIFT_KS);
	ck_assert_str_eq(res.method_name, "ks");
	ck_assert_int_eq(res.drifted, 0);
	ck_assert_int_eq((int)res.n_unique, 100);
	ck_assert_double_eq(res.threshold, 0.05);
	double three[] = { 0, 1, 2, 0, 1, 2 }, two[] = { 0, 1, 0, 1 };
	ck_assert_int_eq(cf_drift_detect(&res, three, 6, three, 6, 0, NULL), 0);
	ck_assert_int_eq(res.method, CF_DRIFT_CHISQUARE);
	ck_assert_double_eq_tol(res.p_value, 1.0, TOL);
	ck_assert_int_eq(cf_drift_detect(&res, two, 4, two, 4, 1, NULL), 0);
	ck_assert_int_eq(res.method, CF_DRIFT_ZTEST);
	ck_assert_int_eq(cf_drift_detect(&res, r, 10, c, 10, 1, NULL), 0); /* categorical with 10 values */
	ck_assert_int_eq(res.method, CF_DRIFT_CHISQUARE);
	/* > 1000 reference rows */
	ck_assert_int_eq(cf_drift_detect(&res, r, N, c, N, 0, NULL), 0);
	ck_assert_int_eq(res.method, CF_DRIFT_WASSERSTEIN);
	ck_assert_double_eq_tol(res.score, 0.0, TOL);
	ck_assert(isnan(res.p_value));
	ck_assert_double_eq(res.threshold, 0.1);
	ck_assert_int_eq(cf_drift_detect(&res, r, N, c, N, 1, NULL), 0);
	ck_assert_int_eq(res.method, CF_DRIFT_JENSENSHANNON);
	for (int i = 0; i < N; i++)
		c[i] = i % 100 + 10;
	ck_assert_int_eq(cf_drift_detect(&res, r, N, c, N, 0, NULL), 0);
	ck_assert_int_eq(res.drifted, 1);
	ck_assert_double_eq_tol(res.score, 10.0 / sqrt((100.0 * 100 - 1) / 12), 1e-9);
	/* override and threshold */
	cf_drift_options o = CF_DRIFT_OPTIONS_INIT;
	o.method = CF_DRIFT_PSI;
	o.threshold = 100;
	ck_assert_int_eq(cf_drift_detect(&res, r, N, c, N, 0, &o), 0);
	ck_assert_int_eq(res.method, CF_DRIFT_PSI);
	ck_assert_double_eq(res.threshold, 100);
	ck_assert_int_eq(res.drifted, 0);
	o.method = (cf_drift_method)99;
	ck_assert_int_eq(cf_drift_detect(&res, r, N, c, N, 0, &o), CF_EINVAL);
	o = (cf_drift_options)CF_DRIFT_OPTIONS_INIT;
	o.version = 7;
	ck_assert_int_eq(cf_drift_detect(&res, r, N, c, N, 0, &o), CF_EVERSION);
}
END_TEST

/* ---- profiles ---- */
static cf_table *make_table(const double *x, const int64_t *k, const char *const *s, const uint8_t *b, size_t n)
{
	cf_table *t;
	ck_assert_int_eq(cf_table_create(&t, NULL), 0);
	cf_column_view v = { "x", CF_TYPE_FLOAT64, n, x, NULL, 0, NULL, 0 };
	ck_assert_int_eq(cf_table_add_column(t, &v, CF_TABLE_COPY), 0);
	cf_column_view vk = { "k", CF_TYPE_INT64, n, k, NULL, 0, NULL, 0 };
	ck_assert_int_eq(cf_table_add_column(t, &vk, CF_TABLE_COPY), 0);
	ck_assert_int_eq(cf_table_add_strings(t, "s", s, n), 0);
	cf_column_view vb = { "b", CF_TYPE_BOOL, n, b, NULL, 0, NULL, 0 };
	ck_assert_int_eq(cf_table_add_column(t, &vb, CF_TABLE_COPY), 0);
	return t;
}

enum { PN = 3000 };
static double px[PN], pcx[PN];
static int64_t pk[PN];
static const char *ps[PN];
static uint8_t pb[PN];
static const char *const cats[] = { "red", "green", "blue", "cyan" };

static void fill(double shift, int cat_shift)
{
	uint64_t st = 12345;
	for (int i = 0; i < PN; i++) {
		st = st * 6364136223846793005ULL + 1442695040888963407ULL;
		double u = (double)(st >> 11) / 9007199254740992.0;
		px[i] = (i % 50 == 7) ? NAN : u * 10 + shift;
		pk[i] = i % 5;
		ps[i] = i % 31 == 0 ? NULL : (cat_shift && i % 3 == 0) ? cats[0] : cats[i % 4];
		pb[i] = (uint8_t)(i % 2);
	}
}

START_TEST(test_profile_compare)
{
	cf_drift_profile *p;
	cf_drift_report *rep;
	cf_drift_result res, direct;
	fill(0, 0);
	cf_table *ref = make_table(px, pk, ps, pb, PN);
	ck_assert_int_eq(cf_drift_profile_create(&p, NULL, NULL), 0);
	ck_assert_int_eq(cf_drift_profile_update(p, ref), 0);
	ck_assert_int_eq((int)cf_drift_profile_num_rows(p), PN);
	ck_assert_int_eq((int)cf_drift_profile_num_columns(p), 4);
	ck_assert_int_eq(cf_drift_profile_column_exact(p, 0), 1);
	memcpy(pcx, px, sizeof px);
	ck_assert_int_eq(cf_drift_compare(&rep, p, ref, NULL), 0);
	ck_assert_int_eq((int)cf_drift_report_num_columns(rep), 4);
	ck_assert_int_eq((int)cf_drift_report_num_drifted(rep), 0);
	ck_assert_int_eq(cf_drift_report_dataset_drift(rep), 0);
	ck_assert_int_eq(cf_drift_report_column(&res, rep, 0), 0);
	ck_assert_str_eq(res.column, "x");
	ck_assert_int_eq(res.method, CF_DRIFT_WASSERSTEIN);
	ck_assert_int_eq(res.exact, 1);
	ck_assert_int_eq((int)res.n_ref, PN - PN / 50);
	ck_assert_int_eq(cf_drift_report_column(&res, rep, 1), 0);
	ck_assert_int_eq(res.method, CF_DRIFT_JENSENSHANNON); /* numeric with 5 values */
	ck_assert_int_eq(cf_drift_report_column(&res, rep, 2), 0);
	ck_assert_int_eq(res.method, CF_DRIFT_JENSENSHANNON);
	ck_assert_int_eq(res.categorical, 1);
	ck_assert_int_eq(cf_drift_report_column(&res, rep, 4), CF_EINVAL);
	cf_drift_report_free(rep);

	/* shifted current: x and s drift, k and b do not -> share 0.5, dataset drift (inclusive) */
	fill(3, 1);
	cf_table *cur = make_table(px, pk, ps, pb, PN);
	ck_assert_int_eq(cf_drift_compare(&rep, p, cur, NULL), 0);
	ck_assert_int_eq((int)cf_drift_report_num_drifted(rep), 2);
	ck_assert_double_eq(cf_drift_report_share(rep), 0.5);
	ck_assert_int_eq(cf_drift_report_dataset_drift(rep), 1);
	/* the profile gives exactly what the arrays give */
	ck_assert_int_eq(cf_drift_report_column(&res, rep, 0), 0);
	ck_assert_int_eq(cf_drift_detect(&direct, pcx, PN, px, PN, 0, NULL), 0);
	ck_assert_double_eq_tol(res.score, direct.score, 1e-12); /* the moments differ only by rounding */
	ck_assert_int_eq(res.drifted, 1);
	cf_drift_report_free(rep);
	cf_drift_options o = CF_DRIFT_OPTIONS_INIT;
	o.method = CF_DRIFT_KS;
	ck_assert_int_eq(cf_drift_compare(&rep, p, cur, &o), 0);
	ck_assert_int_eq(cf_drift_report_column(&res, rep, 0), 0);
	o.method = CF_DRIFT_KS;
	ck_assert_int_eq(cf_drift_detect(&direct, pcx, PN, px, PN, 0, &o), 0);
	ck_assert_double_eq(res.statistic, direct.statistic);
	ck_assert_double_eq(res.p_value, direct.p_value);
	cf_drift_report_free(rep);
	cf_table_free(cur);
	cf_table_free(ref);
	cf_drift_profile_free(p);
}
END_TEST

START_TEST(test_profile_merge_msgpack)
{
	cf_drift_profile *whole, *a, *b, *back;
	cf_drift_report *r1, *r2;
	cf_buf buf = CF_BUF_INIT, buf2 = CF_BUF_INIT;
	fill(0, 0);
	cf_table *all = make_table(px, pk, ps, pb, PN);
	cf_table *h1 = make_table(px, pk, ps, pb, PN / 2);
	cf_table *h2 = make_table(px + PN / 2, pk + PN / 2, ps + PN / 2, pb + PN / 2, PN - PN / 2);
	ck_assert_int_eq(cf_drift_profile_create(&whole, NULL, NULL), 0);
	ck_assert_int_eq(cf_drift_profile_update(whole, all), 0);
	ck_assert_int_eq(cf_drift_profile_create(&a, NULL, NULL), 0);
	ck_assert_int_eq(cf_drift_profile_create(&b, NULL, NULL), 0);
	ck_assert_int_eq(cf_drift_profile_update(a, h1), 0);
	ck_assert_int_eq(cf_drift_profile_update(b, h2), 0);
	ck_assert_int_eq(cf_drift_profile_merge(a, b), 0);
	ck_assert_int_eq((int)cf_drift_profile_num_rows(a), PN);
	ck_assert_int_eq(cf_drift_profile_to_msgpack(&buf, a), 0);
	ck_assert_int_eq(cf_drift_profile_from_msgpack(&back, NULL, buf.ptr, buf.size), 0);
	ck_assert_int_eq(cf_drift_profile_to_msgpack(&buf2, back), 0);
	ck_assert_uint_eq(buf.size, buf2.size);
	ck_assert(memcmp(buf.ptr, buf2.ptr, buf.size) == 0);
	fill(1, 1);
	cf_table *cur = make_table(px, pk, ps, pb, PN);
	ck_assert_int_eq(cf_drift_compare(&r1, whole, cur, NULL), 0);
	ck_assert_int_eq(cf_drift_compare(&r2, back, cur, NULL), 0);
	for (size_t i = 0; i < 4; i++) {
		cf_drift_result x, y;
		ck_assert_int_eq(cf_drift_report_column(&x, r1, i), 0);
		ck_assert_int_eq(cf_drift_report_column(&y, r2, i), 0);
		ck_assert_int_eq(x.method, y.method);
		ck_assert_double_eq_tol(x.score, y.score, 1e-12);
		ck_assert_int_eq(x.drifted, y.drifted);
	}
	cf_drift_report_free(r1);
	cf_drift_report_free(r2);

	/* every truncation is a clean CF_EFORMAT */
	for (size_t len = 0; len < buf.size; len++) {
		cf_drift_profile *t = NULL;
		ck_assert_int_eq(cf_drift_profile_from_msgpack(&t, NULL, buf.ptr, len), CF_EFORMAT);
		ck_assert_ptr_null(t);
	}
	/* single-byte corruptions never crash and either load or fail with CF_EFORMAT */
	for (size_t i = 0; i < buf.size; i += 7) {
		cf_drift_profile *t = NULL;
		char save = buf.ptr[i];
		buf.ptr[i] = (char)(save ^ 0x5A);
		int rc = cf_drift_profile_from_msgpack(&t, NULL, buf.ptr, buf.size);
		ck_assert(rc == 0 || rc == CF_EFORMAT || rc == CF_EVERSION);
		cf_drift_profile_free(t);
		buf.ptr[i] = save;
	}
	{
		cf_drift_profile *t = NULL;
		ck_assert_int_eq(cf_drift_profile_from_msgpack(&t, NULL, "\x92\xa3" "abc\x01", 6), CF_EFORMAT);
		ck_assert_ptr_null(t);
	}
	/* a newer version */
	{
		cf_drift_profile *t = NULL;
		char hdr[64];
		size_t n = 0;
		hdr[n++] = (char)0x95;
		hdr[n++] = (char)(0xA0 | 24);
		memcpy(hdr + n, "cogniforge.drift_profile", 24);
		n += 24;
		hdr[n++] = 9;
		ck_assert_int_eq(cf_drift_profile_from_msgpack(&t, NULL, hdr, n), CF_EVERSION);
	}
	cf_buf_dispose(&buf);
	cf_buf_dispose(&buf2);
	cf_drift_profile_free(back);
	cf_drift_profile_free(a);
	cf_drift_profile_free(b);
	cf_drift_profile_free(whole);
	cf_table_free(all);
	cf_table_free(h1);
	cf_table_free(h2);
	cf_table_free(cur);
}
END_TEST

START_TEST(test_profile_sketch)
{
	/* exact_max 32: the float column (3000 distinct values) falls back to the KLL sketch */
	cf_drift_options o = CF_DRIFT_OPTIONS_INIT;
	cf_drift_profile *p, *back;
	cf_drift_report *rep;
	cf_drift_result res, direct;
	cf_buf buf = CF_BUF_INIT;
	o.exact_max = 32;
	o.kll_k = 200;
	fill(0, 0);
	memcpy(pcx, px, sizeof px);
	cf_table *ref = make_table(px, pk, ps, pb, PN);
	ck_assert_int_eq(cf_drift_profile_create(&p, NULL, &o), 0);
	ck_assert_int_eq(cf_drift_profile_update(p, ref), 0);
	ck_assert_int_eq(cf_drift_profile_column_exact(p, 0), 0);
	ck_assert_int_eq(cf_drift_profile_column_exact(p, 1), 1);
	ck_assert_int_eq(cf_drift_profile_to_msgpack(&buf, p), 0);
	ck_assert_int_eq(cf_drift_profile_from_msgpack(&back, NULL, buf.ptr, buf.size), 0);
	fill(0.5, 0);
	cf_table *cur = make_table(px, pk, ps, pb, PN);
	ck_assert_int_eq(cf_drift_compare(&rep, back, cur, NULL), 0);
	ck_assert_int_eq(cf_drift_report_column(&res, rep, 0), 0);
	ck_assert_int_eq(res.exact, 0);
	ck_assert_int_eq(res.method, CF_DRIFT_WASSERSTEIN);
	ck_assert_int_eq(cf_drift_detect(&direct, pcx, PN, px, PN, 0, NULL), 0);
	ck_assert_double_eq_tol(res.score, direct.score, 0.02); /* within the sketch's rank error */
	cf_drift_report_free(rep);
	cf_drift_options ko = CF_DRIFT_OPTIONS_INIT;
	ko.method = CF_DRIFT_KS;
	ck_assert_int_eq(cf_drift_compare(&rep, back, cur, &ko), 0);
	ck_assert_int_eq(cf_drift_report_column(&res, rep, 0), 0);
	ck_assert_int_eq(cf_drift_detect(&direct, pcx, PN, px, PN, 0, &ko), 0);
	ck_assert_double_eq_tol(res.statistic, direct.statistic, 0.02);
	cf_drift_report_free(rep);
	/* options must agree to merge */
	cf_drift_profile *q;
	ck_assert_int_eq(cf_drift_profile_create(&q, NULL, NULL), 0);
	ck_assert_int_eq(cf_drift_profile_merge(q, p), CF_EINVAL);
	cf_drift_profile_free(q);
	cf_buf_dispose(&buf);
	cf_drift_profile_free(back);
	cf_drift_profile_free(p);
	cf_table_free(ref);
	cf_table_free(cur);
}
END_TEST

START_TEST(test_profile_errors)
{
	cf_drift_profile *p;
	cf_drift_report *rep;
	cf_table *t, *u;
	double x[] = { 1, 2, 3 }, nan3[] = { NAN, NAN, NAN };
	ck_assert_int_eq(cf_drift_profile_create(&p, NULL, NULL), 0);
	ck_assert_int_eq(cf_table_create(&t, NULL), 0);
	cf_column_view v = { "x", CF_TYPE_FLOAT64, 3, x, NULL, 0, NULL, 0 };
	ck_assert_int_eq(cf_table_add_column(t, &v, CF_TABLE_BORROW), 0);
	ck_assert_int_eq(cf_drift_profile_update(p, t), 0);
	/* a column missing from the current table */
	ck_assert_int_eq(cf_table_create(&u, NULL), 0);
	cf_column_view w = { "y", CF_TYPE_FLOAT64, 3, x, NULL, 0, NULL, 0 };
	ck_assert_int_eq(cf_table_add_column(u, &w, CF_TABLE_BORROW), 0);
	ck_assert_int_eq(cf_drift_compare(&rep, p, u, NULL), CF_ENOTFOUND);
	ck_assert_int_eq(cf_drift_profile_update(p, u), CF_EINVAL);
	cf_table_free(u);
	/* a type mismatch */
	ck_assert_int_eq(cf_table_create(&u, NULL), 0);
	const char *s[] = { "a", "b", "c" };
	ck_assert_int_eq(cf_table_add_strings(u, "x", s, 3), 0);
	ck_assert_int_eq(cf_drift_compare(&rep, p, u, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "'x' is string"));
	cf_table_free(u);
	/* an all-NaN current column */
	ck_assert_int_eq(cf_table_create(&u, NULL), 0);
	cf_column_view n = { "x", CF_TYPE_FLOAT64, 3, nan3, NULL, 0, NULL, 0 };
	ck_assert_int_eq(cf_table_add_column(u, &n, CF_TABLE_BORROW), 0);
	ck_assert_int_eq(cf_drift_compare(&rep, p, u, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "no values in the current table"));
	cf_drift_profile_free(p);
	/* an all-NaN reference column */
	ck_assert_int_eq(cf_drift_profile_create(&p, NULL, NULL), 0);
	ck_assert_int_eq(cf_drift_profile_update(p, u), 0);
	ck_assert_int_eq(cf_drift_compare(&rep, p, t, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "no values in the reference"));
	/* an empty profile round-trips */
	cf_drift_profile *e, *back;
	cf_buf buf = CF_BUF_INIT;
	ck_assert_int_eq(cf_drift_profile_create(&e, NULL, NULL), 0);
	ck_assert_int_eq(cf_drift_profile_to_msgpack(&buf, e), 0);
	ck_assert_int_eq(cf_drift_profile_from_msgpack(&back, NULL, buf.ptr, buf.size), 0);
	ck_assert_int_eq((int)cf_drift_profile_num_columns(back), 0);
	ck_assert_int_eq(cf_drift_compare(&rep, back, t, NULL), 0);
	ck_assert_int_eq((int)cf_drift_report_num_columns(rep), 0);
	ck_assert_int_eq(cf_drift_report_dataset_drift(rep), 0);
	cf_drift_report_free(rep);
	cf_buf_dispose(&buf);
	cf_drift_profile_free(back);
	cf_drift_profile_free(e);
	cf_drift_profile_free(p);
	cf_drift_profile_free(NULL);
	cf_drift_report_free(NULL);
	cf_table_free(u);
	cf_table_free(t);
	cf_drift_options o;
	ck_assert_int_eq(cf_drift_options_init(&o, 2), CF_EVERSION);
	ck_assert_int_eq(cf_drift_options_init(&o, CF_DRIFT_OPTIONS_VERSION), 0);
	o.exact_max = 3;
	ck_assert_int_eq(cf_drift_profile_create(&p, NULL, &o), CF_EINVAL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("drift");
	TCase *tc = tcase_create("tests");
	tcase_add_test(tc, test_method_names);
	tcase_add_test(tc, test_ks_hand);
	tcase_add_test(tc, test_wasserstein_hand);
	tcase_add_test(tc, test_psi_js_hand);
	tcase_add_test(tc, test_psi_sturges);
	tcase_add_test(tc, test_chisquare_igamc);
	tcase_add_test(tc, test_ztest_hand);
	tcase_add_test(tc, test_empty_and_nan);
	suite_add_tcase(s, tc);
	TCase *td = tcase_create("detect");
	tcase_add_test(td, test_detect_defaults);
	suite_add_tcase(s, td);
	TCase *tp = tcase_create("profile");
	tcase_add_test(tp, test_profile_compare);
	tcase_add_test(tp, test_profile_merge_msgpack);
	tcase_add_test(tp, test_profile_sketch);
	tcase_add_test(tp, test_profile_errors);
	suite_add_tcase(s, tp);
	return cf_check_run(s);
}
