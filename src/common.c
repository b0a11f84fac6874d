/* Error records, version and feature queries. */
#include "common.h"

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
