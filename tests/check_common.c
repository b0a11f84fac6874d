/* Errors, versions and features (include/cogniforge/common.h). */
#include <check.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

START_TEST(test_error_last_never_null)
{
	const cf_error *e;

	cf_error_clear();
	e = cf_error_last();
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_nonnull(e->message);
	ck_assert_str_eq(e->message, "");
	ck_assert_int_eq(e->code, CF_OK);
}
END_TEST

START_TEST(test_error_recorded_and_cleared)
{
	unsigned char out[CF_SHA256_SIZE];
	int rc = cf_sha256(out, 4, "x", 1);

	ck_assert_int_eq(rc, CF_EINVAL);
	ck_assert_int_eq(cf_error_last()->code, CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "needs 32"));
	cf_error_clear();
	ck_assert_int_eq(cf_error_last()->code, CF_OK);
	ck_assert_str_eq(cf_error_last()->message, "");
}
END_TEST

START_TEST(test_null_argument_names_it)
{
	ck_assert_int_eq(cf_context_create(NULL, NULL), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "'out'"));
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "cf_context_create"));
}
END_TEST

static void *thread_fail(void *arg)
{
	cf_file_summary s;
	const char *path = arg;
	int rc = cf_file_summarize(&s, NULL, path);
	char *copy = NULL;

	if (rc == CF_ENOTFOUND && cf_error_last()->code == CF_ENOTFOUND)
		copy = strdup(cf_error_last()->message);
	return copy;
}

START_TEST(test_error_is_thread_local)
{
	pthread_t t1, t2;
	void *m1, *m2;

	cf_error_clear();
	ck_assert_int_eq(pthread_create(&t1, NULL, thread_fail, "/nonexistent/one"), 0);
	ck_assert_int_eq(pthread_create(&t2, NULL, thread_fail, "/nonexistent/two"), 0);
	ck_assert_int_eq(pthread_join(t1, &m1), 0);
	ck_assert_int_eq(pthread_join(t2, &m2), 0);
	ck_assert_ptr_nonnull(m1);
	ck_assert_ptr_nonnull(m2);
	ck_assert_ptr_nonnull(strstr(m1, "/nonexistent/one"));
	ck_assert_ptr_nonnull(strstr(m2, "/nonexistent/two"));
	/* The main thread saw neither failure. */
	ck_assert_int_eq(cf_error_last()->code, CF_OK);
	free(m1);
	free(m2);
}
END_TEST

START_TEST(test_error_code_names)
{
	ck_assert_str_eq(cf_error_code_name(CF_OK), "CF_OK");
	ck_assert_str_eq(cf_error_code_name(CF_ERROR), "CF_ERROR");
	ck_assert_str_eq(cf_error_code_name(CF_EINVAL), "CF_EINVAL");
	ck_assert_str_eq(cf_error_code_name(CF_EFORMAT), "CF_EFORMAT");
	ck_assert_str_eq(cf_error_code_name(CF_ENOTFOUND), "CF_ENOTFOUND");
	ck_assert_str_eq(cf_error_code_name(CF_EVERSION), "CF_EVERSION");
	ck_assert_str_eq(cf_error_code_name(-1000), "CF_UNKNOWN");
}
END_TEST

START_TEST(test_version_macros_match_runtime)
{
	char expect[32];

	snprintf(expect, sizeof(expect), "%d.%d.%d", CF_VERSION_MAJOR, CF_VERSION_MINOR, CF_VERSION_PATCH);
	ck_assert_str_eq(cf_version(), expect);
	ck_assert_str_eq(cf_version(), CF_VERSION_STRING);
	ck_assert_int_eq(cf_version_number(), CF_VERSION_NUMBER);
	ck_assert_int_eq(CF_VERSION_NUMBER, CF_VERSION_MAJOR * 10000 + CF_VERSION_MINOR * 100 + CF_VERSION_PATCH);
	ck_assert(CF_VERSION_CHECK(CF_VERSION_MAJOR, CF_VERSION_MINOR, CF_VERSION_PATCH));
	ck_assert(CF_VERSION_CHECK(0, 0, 1));
	ck_assert(!CF_VERSION_CHECK(CF_VERSION_MAJOR + 1, 0, 0));
	ck_assert(!CF_VERSION_CHECK(CF_VERSION_MAJOR, CF_VERSION_MINOR, CF_VERSION_PATCH + 1));
}
END_TEST

START_TEST(test_features)
{
	unsigned int f = cf_features();

	ck_assert(f & CF_FEATURE_THREADS);
	ck_assert(f & CF_FEATURE_ZSTD);
	ck_assert(f & CF_FEATURE_GZIP);
#ifdef CF_TEST_EXPECT_CUDA
	ck_assert_int_eq(!!(f & CF_FEATURE_CUDA), CF_TEST_EXPECT_CUDA);
#endif
}
END_TEST

START_TEST(test_cuda_device_count_never_fails)
{
	int n = cf_cuda_device_count();
	cf_cuda_device_info info;
	int rc;

	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(cf_cuda_device_count(), n); /* stable across calls */
	rc = cf_cuda_device_info_get(&info, n);       /* one past the end */
	if (cf_features() & CF_FEATURE_CUDA)
		ck_assert_int_eq(rc, CF_ENOTFOUND);
	else
		ck_assert_int_eq(rc, CF_EUNSUPPORTED);
	ck_assert_int_eq(cf_cuda_device_info_get(NULL, 0), CF_EINVAL);
}
END_TEST

START_TEST(test_cuda_backend_error)
{
	const char *reason = cf_cuda_backend_error();

	ck_assert_ptr_nonnull(reason);
	if (!(cf_features() & CF_FEATURE_CUDA))
		ck_assert_ptr_nonnull(strstr(reason, "without CUDA"));
	if (reason[0] != '\0')
		ck_assert_int_eq(cf_cuda_device_count(), 0);
	ck_assert_str_eq(cf_cuda_backend_error(), reason); /* loaded once: the answer does not change */
}
END_TEST

static Suite *common_suite(void)
{
	Suite *s = suite_create("common");
	TCase *errors = tcase_create("Errors");
	TCase *version = tcase_create("Version and features");

	tcase_add_test(errors, test_error_last_never_null);
	tcase_add_test(errors, test_error_recorded_and_cleared);
	tcase_add_test(errors, test_null_argument_names_it);
	tcase_add_test(errors, test_error_is_thread_local);
	tcase_add_test(errors, test_error_code_names);
	tcase_add_test(version, test_version_macros_match_runtime);
	tcase_add_test(version, test_features);
	tcase_add_test(version, test_cuda_device_count_never_fails);
	tcase_add_test(version, test_cuda_backend_error);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, version);
	return s;
}

int main(void)
{
	return cf_check_run(common_suite());
}
