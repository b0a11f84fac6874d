/* Device selection and the loader of the CUDA backend (see device.h for why it is a separate object). */
#define _GNU_SOURCE /* dladdr */
#include "device.h"

#include <dlfcn.h>
#include <libgen.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static const cf__cuda_backend *backend;
static char load_error[512] = "not loaded";

static int host_error_set(int code, const char *message)
{
	return cf__error_set(code, "%s", message);
}

static const cf__cuda_host host = { CF__CUDA_BACKEND_ABI, host_error_set };

#if CF_HAVE_CUDA
static void *try_open(const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		const char *e = dlerror();
		snprintf(load_error, sizeof(load_error), "%.500s", e ? e : path);
	}
	return h;
}

static void load_backend(void)
{
	const char *name = "libcogniforge-cuda.so." CF__STR(CF_SOVERSION);
	const char *env = getenv("COGNIFORGE_CUDA_BACKEND");
	void *h = NULL;
	Dl_info info;
	cf__cuda_entry_fn entry;
	const cf__cuda_backend *b;

	if (env != NULL && env[0] != '\0') {
		h = try_open(env);
	} else {
		/* Beside libcogniforge itself (installed libdir, or the build tree), then the loader's search path. */
		if (dladdr((void *)&cf__cuda, &info) != 0 && info.dli_fname != NULL) {
			char buf[4096];
			char *dir;
			snprintf(buf, sizeof(buf), "%s", info.dli_fname);
			dir = dirname(buf);
			{
				char path[4096 + 64];
				snprintf(path, sizeof(path), "%s/%s", dir, name);
				h = try_open(path);
			}
		}
		if (h == NULL)
			h = try_open(name);
	}
	if (h == NULL)
		return;
	entry = (cf__cuda_entry_fn)(uintptr_t)dlsym(h, CF__CUDA_ENTRY);
	if (entry == NULL) {
		snprintf(load_error, sizeof(load_error), "CUDA backend has no %s symbol", CF__CUDA_ENTRY);
		dlclose(h);
		return;
	}
	b = entry(&host);
	if (b == NULL || b->abi != CF__CUDA_BACKEND_ABI) {
		snprintf(load_error, sizeof(load_error), "CUDA backend ABI %u, this library needs %u", b ? b->abi : 0u,
			(unsigned)CF__CUDA_BACKEND_ABI);
		dlclose(h);
		return;
	}
	load_error[0] = '\0';
	backend = b; /* the handle stays open for the life of the process */
}
#else
static void load_backend(void)
{
	(void)host;
	snprintf(load_error, sizeof(load_error), "built without CUDA (rebuild with -Dcuda=enabled)");
}
#endif

const cf__cuda_backend *cf__cuda(void)
{
	pthread_once(&load_once, load_backend);
	return backend;
}

const char *cf__cuda_load_error(void)
{
	pthread_once(&load_once, load_backend);
	return load_error;
}

int cf__device_cuda_count(void)
{
	const cf__cuda_backend *b = cf__cuda();
	int n;

	if (b == NULL)
		return 0;
	n = b->device_count();
	/* No driver is an expected state, not an error a caller should find later. */
	if (n < 0) {
		cf_error_clear();
		return 0;
	}
	return n;
}
