/* The shared main() of the Check suites: run one suite, exit 0 only if nothing failed (house rule T1).
 * Output format and forking follow the CK_* environment (TAP under meson). */
#ifndef CF_TESTS_CHECK_RUNNER_H
#define CF_TESTS_CHECK_RUNNER_H

#include <check.h>
#include <stdlib.h>

#if defined(__GNUC__)
__attribute__((unused)) /* check_cuda.c skips before calling it in builds without CUDA */
#endif
static int cf_check_run(Suite *suite)
{
	SRunner *sr = srunner_create(suite);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
