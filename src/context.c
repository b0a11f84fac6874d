/* Contexts: allocator hooks, log sink, device resolution. */
#include "context.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "device.h"

int cf_context_options_init(cf_context_options *opts, unsigned int version)
{
	static const cf_context_options defaults = CF_CONTEXT_OPTIONS_INIT;
	int rc;

	CF__CHECK_ARG(opts);
	if ((rc = cf__options_version_check(version, CF_CONTEXT_OPTIONS_VERSION, "cf_context_options")) < 0)
		return rc;
	*opts = defaults;
	opts->version = version;
	return CF_OK;
}

static int validate_options(const cf_context_options *o)
{
	int rc;
	const cf_allocator *a = &o->allocator;
	int set = (a->alloc != NULL) + (a->realloc != NULL) + (a->free != NULL);

	if ((rc = cf__options_version_check(o->version, CF_CONTEXT_OPTIONS_VERSION, "cf_context_options")) < 0)
		return rc;
	if (set != 0 && set != 3)
		return cf__error_set(CF_EINVAL,
			"cf_context_options.allocator: set all of alloc, realloc and free, or none");
	if (o->device != CF_DEVICE_AUTO && o->device != CF_DEVICE_CPU && o->device != CF_DEVICE_CUDA)
		return cf__error_set(CF_EINVAL, "cf_context_options.device: unknown device %d", (int)o->device);
	if (o->device_index < 0)
		return cf__error_set(CF_EINVAL, "cf_context_options.device_index: %d is negative", o->device_index);
	if (o->threads < 0)
		return cf__error_set(CF_EINVAL, "cf_context_options.threads: %d is negative", o->threads);
	if ((int)o->log_level < CF_LOG_ERROR || o->log_level > CF_LOG_DEBUG)
		return cf__error_set(CF_EINVAL, "cf_context_options.log_level: unknown level %d", (int)o->log_level);
	return CF_OK;
}

/* CF_DEVICE_CPU needs nothing; CF_DEVICE_CUDA loads the backend now, so a missing GPU fails at creation;
 * CF_DEVICE_AUTO waits until something asks (cf_context_device() or a compute call), so contexts that only
 * read data never pay for loading cuBLAS and cuDNN. */
static int resolve_cuda(cf_context *ctx, int index)
{
	int count = cf__device_cuda_count(), rc;

	if (cf__cuda() == NULL)
		return cf__error_set(CF_EUNSUPPORTED, "device 'cuda' requested but the CUDA backend is unavailable: %s",
			cf__cuda_load_error());
	if (count <= index)
		return cf__error_set(CF_EUNSUPPORTED, "device 'cuda:%d' requested but %d CUDA device(s) are usable",
			index, count);
	if ((rc = cf__cuda()->set_device(index)) < 0)
		return rc;
	ctx->device = CF_DEVICE_CUDA;
	ctx->device_index = index;
	return CF_OK;
}

int cf_context_create(cf_context **out, const cf_context_options *opts)
{
	cf_context_options defaults = CF_CONTEXT_OPTIONS_INIT;
	cf_context *ctx;
	int rc;

	CF__CHECK_ARG(out);
	*out = NULL;
	if (opts == NULL)
		opts = &defaults;
	if ((rc = validate_options(opts)) < 0)
		return rc;

	if (opts->allocator.alloc != NULL)
		ctx = opts->allocator.alloc(opts->allocator.opaque, sizeof(*ctx));
	else
		ctx = malloc(sizeof(*ctx));
	if (ctx == NULL)
		return cf__error_oom("cf_context");
	memset(ctx, 0, sizeof(*ctx));
	ctx->alloc = opts->allocator;
	ctx->log = opts->log;
	ctx->log_payload = opts->log_payload;
	ctx->log_level = opts->log_level;
	ctx->device_index = opts->device_index;
	ctx->threads = opts->threads;
	if (ctx->threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		ctx->threads = n > 0 ? (int)n : 1;
	}
	ctx->device = opts->device;
	if (opts->device == CF_DEVICE_CUDA && (rc = resolve_cuda(ctx, opts->device_index)) < 0) {
		cf_context_free(ctx);
		return rc;
	}
	cf__log(ctx, CF_LOG_DEBUG, "context created: device=%s threads=%d",
		ctx->device == CF_DEVICE_CUDA ? "cuda" : ctx->device == CF_DEVICE_CPU ? "cpu" : "auto", ctx->threads);
	*out = ctx;
	return CF_OK;
}

void cf_context_free(cf_context *ctx)
{
	if (ctx == NULL)
		return;
	if (ctx->alloc.free != NULL)
		ctx->alloc.free(ctx->alloc.opaque, ctx);
	else
		free(ctx);
}

cf_device cf_context_device(cf_context *ctx)
{
	if (ctx == NULL)
		return CF_DEVICE_CPU;
	if (ctx->device == CF_DEVICE_AUTO) {
		if (cf__device_cuda_count() > ctx->device_index && resolve_cuda(ctx, ctx->device_index) == CF_OK) {
			cf__log(ctx, CF_LOG_INFO, "device auto: using cuda:%d", ctx->device_index);
		} else {
			cf_error_clear(); /* no GPU is an expected outcome of auto, not an error */
			ctx->device = CF_DEVICE_CPU;
			cf__log(ctx, CF_LOG_DEBUG, "device auto: using the CPU");
		}
	}
	return ctx->device;
}

int cf_context_threads(const cf_context *ctx)
{
	return ctx ? ctx->threads : 1;
}

void *cf__malloc(cf_context *ctx, size_t size, const char *what)
{
	void *p;

	if (size == 0)
		size = 1; /* a valid, freeable pointer, as callers expect from a successful call */
	p = (ctx && ctx->alloc.alloc) ? ctx->alloc.alloc(ctx->alloc.opaque, size) : malloc(size);
	if (p == NULL)
		cf__error_oom(what);
	return p;
}

void *cf__calloc(cf_context *ctx, size_t n, size_t size, const char *what)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size) {
		cf__error_oom(what);
		return NULL;
	}
	p = cf__malloc(ctx, n * size, what);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

void *cf__realloc(cf_context *ctx, void *ptr, size_t size, const char *what)
{
	void *p;

	if (size == 0)
		size = 1;
	p = (ctx && ctx->alloc.realloc) ? ctx->alloc.realloc(ctx->alloc.opaque, ptr, size) : realloc(ptr, size);
	if (p == NULL)
		cf__error_oom(what);
	return p;
}

void cf__free(cf_context *ctx, void *ptr)
{
	if (ptr == NULL)
		return;
	if (ctx && ctx->alloc.free)
		ctx->alloc.free(ctx->alloc.opaque, ptr);
	else
		free(ptr);
}

char *cf__strdup(cf_context *ctx, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = cf__malloc(ctx, n, "string");

	if (p != NULL)
		memcpy(p, s, n);
	return p;
}

void cf__log(const cf_context *ctx, cf_log_level level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (ctx == NULL || ctx->log == NULL || level > ctx->log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ctx->log(level, buf, ctx->log_payload);
}
