/* The CUDA backend through the device interface. Exits 77 (meson: SKIP) without CUDA support or a device. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "device.h"
#include "check_runner.h"

#if CF_HAVE_CUDA

START_TEST(test_device_info)
{
	cf_cuda_device_info info;

	ck_assert_int_eq(cf_cuda_device_info_get(&info, 0), CF_OK);
	ck_assert_int_gt((int)strlen(info.name), 0);
	ck_assert_uint_gt(info.total_memory, 0);
	ck_assert_int_ge(info.compute_major, 7); /* CUDA 13 supports sm_75 and newer */
	ck_assert_int_gt(info.multiprocessors, 0);
	ck_assert_int_eq(cf_cuda_device_info_get(&info, -1), CF_ENOTFOUND);
}
END_TEST

START_TEST(test_library_versions)
{
	cf__cuda_versions v;

	ck_assert_int_eq(cf__cuda()->versions(&v), CF_OK);
	fprintf(stderr, "cudart %d, driver %d, cublas %d, cudnn %zu\n", v.runtime, v.driver, v.cublas, v.cudnn);
	ck_assert_int_ge(v.runtime, 13000);
	ck_assert_int_ge(v.driver, v.runtime); /* a driver older than the runtime cannot run our kernels */
	ck_assert_int_gt(v.cublas, 0);
	ck_assert_uint_ge(v.cudnn, 90000);
}
END_TEST

START_TEST(test_context_on_cuda)
{
	cf_context_options o = CF_CONTEXT_OPTIONS_INIT;
	cf_context *ctx = NULL;

	o.device = CF_DEVICE_CUDA;
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_OK);
	ck_assert_int_eq(cf_context_device(ctx), CF_DEVICE_CUDA);
	cf_context_free(ctx);
	o.device = CF_DEVICE_AUTO;
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_OK);
	ck_assert_int_eq(cf_context_device(ctx), CF_DEVICE_CUDA);
	cf_context_free(ctx);
}
END_TEST

START_TEST(test_saxpy_matches_cpu)
{
	const size_t n = (1u << 24) + 3; /* more than one grid-stride pass, odd tail */
	float *x = malloc(n * sizeof(float)), *y = malloc(n * sizeof(float));
	size_t i;

	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(y);
	for (i = 0; i < n; i++) {
		x[i] = (float)(i % 1000) * 0.001f;
		y[i] = (float)(i % 7);
	}
	ck_assert_int_eq(cf__cuda()->saxpy(y, x, 2.5f, n), CF_OK);
	for (i = 0; i < n; i++) {
		float expect = 2.5f * ((float)(i % 1000) * 0.001f) + (float)(i % 7);
		ck_assert_msg(fabsf(y[i] - expect) <= 1e-6f * fabsf(expect) + 1e-6f, "y[%zu] = %g, want %g", i,
			(double)y[i], (double)expect);
	}
	ck_assert_int_eq(cf__cuda()->saxpy(y, x, 1.0f, 0), CF_OK);
	free(x);
	free(y);
}
END_TEST

#endif /* CF_HAVE_CUDA */

int main(void)
{
#if !CF_HAVE_CUDA
	fprintf(stderr, "check_cuda: built without CUDA: skipping\n");
	return 77;
#else
	Suite *s;
	TCase *tc;

	if (cf_cuda_device_count() == 0) {
		fprintf(stderr, "check_cuda: no CUDA device, driver or backend (%s): skipping\n",
			cf_cuda_backend_error()[0] ? cf_cuda_backend_error() : "backend loaded");
		return 77;
	}
	s = suite_create("cuda");
	tc = tcase_create("Device backend");
	tcase_add_test(tc, test_device_info);
	tcase_add_test(tc, test_library_versions);
	tcase_add_test(tc, test_context_on_cuda);
	tcase_add_test(tc, test_saxpy_matches_cpu);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return cf_check_run(s);
#endif
}
