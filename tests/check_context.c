/* Contexts: options structs, allocator hooks, log sink, device resolution (include/cogniforge/context.h). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cogniforge/cogniforge.h"
#include "check_runner.h"

#ifndef CF_TEST_DATA_DIR
#error "CF_TEST_DATA_DIR must name the embedded data directory"
#endif

typedef struct counting {
	long allocs;
	long frees;
	long live;
	int fail_after; /* fail the Nth allocation (1-based); 0 = never */
} counting;

static void *count_alloc(void *opaque, size_t size)
{
	counting *c = opaque;
	if (c->fail_after && c->allocs + 1 >= c->fail_after)
		return NULL;
	c->allocs++;
	c->live++;
	return malloc(size);
}

static void *count_realloc(void *opaque, void *ptr, size_t size)
{
	counting *c = opaque;
	if (ptr == NULL) {
		c->allocs++;
		c->live++;
	}
	return realloc(ptr, size);
}

static void count_free(void *opaque, void *ptr)
{
	counting *c = opaque;
	c->frees++;
	c->live--;
	free(ptr);
}

/* Options whose allocator hooks count into `c`. */
static cf_context_options counting_options(counting *c)
{
	cf_context_options o = CF_CONTEXT_OPTIONS_INIT;

	o.allocator.alloc = count_alloc;
	o.allocator.realloc = count_realloc;
	o.allocator.free = count_free;
	o.allocator.opaque = c;
	return o;
}

START_TEST(test_options_init)
{
	cf_context_options o;
	const cf_context_options init = CF_CONTEXT_OPTIONS_INIT;

	memset(&o, 0xab, sizeof(o));
	ck_assert_int_eq(cf_context_options_init(&o, CF_CONTEXT_OPTIONS_VERSION), CF_OK);
	ck_assert_uint_eq(o.version, CF_CONTEXT_OPTIONS_VERSION);
	ck_assert_int_eq(o.device, CF_DEVICE_AUTO);
	ck_assert_int_eq(o.threads, 0);
	ck_assert_int_eq(o.log_level, CF_LOG_WARN);
	ck_assert_ptr_null(o.allocator.alloc);
	ck_assert_ptr_null(o.log);
	ck_assert_int_eq(memcmp(&o.allocator, &init.allocator, sizeof(o.allocator)), 0);
	ck_assert_int_eq(o.device, init.device);

	ck_assert_int_eq(cf_context_options_init(NULL, CF_CONTEXT_OPTIONS_VERSION), CF_EINVAL);
	ck_assert_int_eq(cf_context_options_init(&o, 0), CF_EVERSION);
	ck_assert_int_eq(cf_context_options_init(&o, CF_CONTEXT_OPTIONS_VERSION + 1), CF_EVERSION);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "cf_context_options"));
}
END_TEST

START_TEST(test_create_defaults_and_free_null)
{
	cf_context *ctx = NULL;

	ck_assert_int_eq(cf_context_create(&ctx, NULL), CF_OK);
	ck_assert_ptr_nonnull(ctx);
	ck_assert_int_ge(cf_context_threads(ctx), 1);
	ck_assert(cf_context_device(ctx) == CF_DEVICE_CPU || cf_context_device(ctx) == CF_DEVICE_CUDA);
	if (cf_cuda_device_count() == 0)
		ck_assert_int_eq(cf_context_device(ctx), CF_DEVICE_CPU);
	cf_context_free(ctx);
	cf_context_free(NULL); /* a no-op */
	cf_reader_free(NULL);
}
END_TEST

START_TEST(test_bad_options_rejected)
{
	cf_context_options o = CF_CONTEXT_OPTIONS_INIT;
	cf_context *ctx = (cf_context *)&o; /* must be reset to NULL on failure */

	o.version = 42;
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_EVERSION);
	ck_assert_ptr_null(ctx);
	o.version = CF_CONTEXT_OPTIONS_VERSION;
	o.threads = -1;
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "threads"));
	o.threads = 0;
	o.device = (cf_device)7;
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_EINVAL);
	o.device = CF_DEVICE_CPU;
	o.allocator.alloc = count_alloc; /* only one of three hooks */
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_EINVAL);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "allocator"));
}
END_TEST

START_TEST(test_explicit_cpu_and_threads)
{
	cf_context_options o = CF_CONTEXT_OPTIONS_INIT;
	cf_context *ctx = NULL;

	o.device = CF_DEVICE_CPU;
	o.threads = 3;
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_OK);
	ck_assert_int_eq(cf_context_device(ctx), CF_DEVICE_CPU);
	ck_assert_int_eq(cf_context_threads(ctx), 3);
	cf_context_free(ctx);
}
END_TEST

START_TEST(test_cuda_request_without_device)
{
	cf_context_options o = CF_CONTEXT_OPTIONS_INIT;
	cf_context *ctx = NULL;
	int rc;

	o.device = CF_DEVICE_CUDA;
	o.device_index = cf_cuda_device_count(); /* one past the last device: never usable */
	rc = cf_context_create(&ctx, &o);
	ck_assert_int_eq(rc, CF_EUNSUPPORTED);
	ck_assert_ptr_null(ctx);
	ck_assert_ptr_nonnull(strstr(cf_error_last()->message, "cuda"));
}
END_TEST

START_TEST(test_allocator_hooks_used_and_balanced)
{
	counting c = { 0, 0, 0, 0 };
	cf_context_options o = counting_options(&c);
	cf_context *ctx = NULL;
	cf_file_summary s;

	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_OK);
	ck_assert_int_eq(c.allocs, 1); /* the context itself */
	ck_assert_int_eq(cf_file_summarize(&s, ctx, CF_TEST_DATA_DIR "/adult/adult.names"), CF_OK);
	ck_assert_int_gt(c.allocs, 1); /* reader and buffer came from the hooks */
	cf_context_free(ctx);
	ck_assert_int_eq(c.live, 0);
	ck_assert_int_eq(c.allocs, c.frees);
}
END_TEST

START_TEST(test_allocator_failure_is_enomem)
{
	counting c = { 0, 0, 0, 0 };
	cf_context_options o = counting_options(&c);
	cf_context *ctx = NULL;
	cf_file_summary s;
	int rc;

	c.fail_after = 1;
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_ENOMEM);
	ck_assert_ptr_null(ctx);

	/* Fail every later allocation point in turn: always a clean CF_ENOMEM, never a leak. */
	for (c.fail_after = 2; c.fail_after < 6; c.fail_after++) {
		c.allocs = c.frees = c.live = 0;
		ck_assert_int_eq(cf_context_create(&ctx, &o), CF_OK);
		rc = cf_file_summarize(&s, ctx, CF_TEST_DATA_DIR "/adult/adult.names");
		ck_assert(rc == CF_OK || rc == CF_ENOMEM);
		cf_context_free(ctx);
		ck_assert_int_eq(c.live, 0);
	}
}
END_TEST

typedef struct log_capture {
	int count;
	cf_log_level last_level;
	char last[256];
} log_capture;

static void capture_log(cf_log_level level, const char *message, void *payload)
{
	log_capture *lc = payload;
	lc->count++;
	lc->last_level = level;
	snprintf(lc->last, sizeof(lc->last), "%s", message);
}

START_TEST(test_log_sink_and_level)
{
	cf_context_options o = CF_CONTEXT_OPTIONS_INIT;
	cf_context *ctx = NULL;
	log_capture lc = { 0, CF_LOG_ERROR, "" };

	o.log = capture_log;
	o.log_payload = &lc;
	o.log_level = CF_LOG_DEBUG;
	o.device = CF_DEVICE_CPU;
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_OK);
	ck_assert_int_eq(lc.count, 1);
	ck_assert_int_eq(lc.last_level, CF_LOG_DEBUG);
	ck_assert_ptr_nonnull(strstr(lc.last, "device=cpu"));
	cf_context_free(ctx);

	lc.count = 0;
	o.log_level = CF_LOG_WARN; /* the debug line is filtered out */
	ck_assert_int_eq(cf_context_create(&ctx, &o), CF_OK);
	ck_assert_int_eq(lc.count, 0);
	cf_context_free(ctx);
}
END_TEST

static Suite *context_suite(void)
{
	Suite *s = suite_create("context");
	TCase *opts = tcase_create("Options and lifecycle");
	TCase *alloc = tcase_create("Allocator hooks");
	TCase *log = tcase_create("Logging");

	tcase_add_test(opts, test_options_init);
	tcase_add_test(opts, test_create_defaults_and_free_null);
	tcase_add_test(opts, test_bad_options_rejected);
	tcase_add_test(opts, test_explicit_cpu_and_threads);
	tcase_add_test(opts, test_cuda_request_without_device);
	tcase_add_test(alloc, test_allocator_hooks_used_and_balanced);
	tcase_add_test(alloc, test_allocator_failure_is_enomem);
	tcase_add_test(log, test_log_sink_and_level);
	suite_add_tcase(s, opts);
	suite_add_tcase(s, alloc);
	suite_add_tcase(s, log);
	return s;
}

int main(void)
{
	return cf_check_run(context_suite());
}
