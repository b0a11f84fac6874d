/* Error records, version and feature queries. */
#include "common.h"

#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "device.h"

/* A fixed buffer per thread: recording an error must never allocate (it reports allocation failures). */
#define CF__ERROR_MAX 1024

typedef struct cf__error_state {
	cf_error err;
	char buf[CF__ERROR_MAX];
} cf__error_state;

static _Thread_local cf__error_state tls_error = { { "", CF_OK }, { 0 } };

const cf_error *cf_error_last(void)
{
	if (tls_error.err.message == NULL)
		tls_error.err.message = "";
	return &tls_error.err;
}

void cf_error_clear(void)
{
	tls_error.buf[0] = '\0';
	tls_error.err.message = "";
	tls_error.err.code = CF_OK;
}

int cf__error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tls_error.buf, sizeof(tls_error.buf), fmt, ap);
	va_end(ap);
	tls_error.err.message = tls_error.buf;
	tls_error.err.code = code;
	return code;
}

int cf__error_oom(const char *what)
{
	return cf__error_set(CF_ENOMEM, "out of memory allocating %s", what ? what : "memory");
}

int cf__options_version_check(unsigned int version, unsigned int max_version, const char *type_name)
{
	if (version == 0 || version > max_version)
		return cf__error_set(CF_EVERSION, "%s: version %u is not supported (this library knows 1..%u)",
			type_name, version, max_version);
	return CF_OK;
}

const char *cf_error_code_name(int code)
{
	switch (code) {
	case CF_OK: return "CF_OK";
	case CF_ERROR: return "CF_ERROR";
	case CF_EINVAL: return "CF_EINVAL";
	case CF_ENOMEM: return "CF_ENOMEM";
	case CF_EIO: return "CF_EIO";
	case CF_EFORMAT: return "CF_EFORMAT";
	case CF_ENOTFOUND: return "CF_ENOTFOUND";
	case CF_EUNSUPPORTED: return "CF_EUNSUPPORTED";
	case CF_EVERSION: return "CF_EVERSION";
	default: return "CF_UNKNOWN";
	}
}

const char *cf_version(void)
{
	return CF_VERSION_STRING;
}

int cf_version_number(void)
{
	return CF_VERSION_NUMBER;
}

unsigned int cf_features(void)
{
	unsigned int f = CF_FEATURE_THREADS | CF_FEATURE_ZSTD | CF_FEATURE_GZIP;
#if CF_HAVE_CUDA
	f |= CF_FEATURE_CUDA;
#endif
	return f;
}

int cf_cuda_device_count(void)
{
	return cf__device_cuda_count();
}

const char *cf_cuda_backend_error(void)
{
	return cf__cuda() != NULL ? "" : cf__cuda_load_error();
}

int cf_cuda_device_info_get(cf_cuda_device_info *out, int ordinal)
{
	const cf__cuda_backend *b;
	int count;

	CF__CHECK_ARG(out);
	if ((b = cf__cuda()) == NULL)
		return cf__error_set(CF_EUNSUPPORTED, "CUDA backend unavailable: %s", cf__cuda_load_error());
	count = cf__device_cuda_count();
	if (ordinal < 0 || ordinal >= count)
		return cf__error_set(CF_ENOTFOUND, "CUDA device %d does not exist (%d usable)", ordinal, count);
	return b->device_info(out, ordinal);
}

void cf_buf_dispose(cf_buf *buf)
{
	if (buf == NULL)
		return;
	free(buf->ptr);
	buf->ptr = NULL;
	buf->size = 0;
}

/* cf_buf keeps no capacity field (it is a public plain record), so growth rounds the allocation up to a power
 * of two computed from the size: amortised O(1) appends without a hidden field. */
static size_t buf_capacity(size_t size)
{
	size_t cap = 64;
	while (cap < size + 1)
		cap *= 2;
	return cap;
}

int cf__buf_grow(cf_buf *buf, size_t extra)
{
	size_t need = buf->size + extra, cap_now = buf->ptr ? buf_capacity(buf->size) : 0;
	char *p;

	if (need < buf->size)
		return cf__error_oom("buffer (size overflow)");
	if (need + 1 <= cap_now)
		return CF_OK;
	p = realloc(buf->ptr, buf_capacity(need));
	if (p == NULL)
		return cf__error_oom("buffer");
	buf->ptr = p;
	buf->ptr[buf->size] = '\0';
	return CF_OK;
}

int cf__buf_put(cf_buf *buf, const void *data, size_t len)
{
	int rc = cf__buf_grow(buf, len);
	if (rc)
		return rc;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return CF_OK;
}

int cf__buf_puts(cf_buf *buf, const char *s)
{
	return cf__buf_put(buf, s, strlen(s));
}

int cf__buf_printf(cf_buf *buf, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return cf__error_set(CF_ERROR, "formatting failed");
	if ((size_t)n < sizeof small)
		return cf__buf_put(buf, small, (size_t)n);
	if ((rc = cf__buf_grow(buf, (size_t)n)) != 0)
		return rc;
	va_start(ap, fmt);
	vsnprintf(buf->ptr + buf->size, (size_t)n + 1, fmt, ap);
	va_end(ap);
	buf->size += (size_t)n;
	return CF_OK;
}
