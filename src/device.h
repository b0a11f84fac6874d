/* The device interface: the only way library code reaches CUDA.
 *
 * The CUDA backend is a separate shared object, libcogniforge-cuda.so (built from cuda/), loaded with dlopen()
 * the first time something asks for CUDA. libcogniforge itself therefore has no link-time dependency on
 * cudart, cuBLAS or cuDNN: it loads in a few milliseconds on any machine, and reports 0 devices where the
 * backend, the toolkit libraries, the driver or a GPU is missing. */
#ifndef CF_SRC_DEVICE_H
#define CF_SRC_DEVICE_H

#include <stddef.h>

#include "cf_config.h"
#include "cogniforge/common.h"

/* Bump when cf__cuda_backend changes shape; the loader refuses a backend built for another ABI. */
#define CF__CUDA_BACKEND_ABI 1
/* The one symbol the backend exports. */
#define CF__CUDA_ENTRY "cf_cuda_backend_v1"

typedef struct cf__cuda_versions {
	int runtime;  /* cudaRuntimeGetVersion, e.g. 13000 */
	int driver;   /* cudaDriverGetVersion; 0 without a driver */
	int cublas;   /* major*10000 + minor*100 + patch; 0 when unknown */
	size_t cudnn; /* cudnnGetVersion, e.g. 91300 */
} cf__cuda_versions;

/* What the core lends the backend: the backend cannot see the core's hidden symbols. */
typedef struct cf__cuda_host {
	unsigned int abi;
	int (*error_set)(int code, const char *message); /* records the thread-local error, returns code */
} cf__cuda_host;

/* The backend's functions. Each returns 0 (or a count) or a negative CF_E* code after host->error_set. */
typedef struct cf__cuda_backend {
	unsigned int abi;
	int (*device_count)(void);
	int (*device_info)(cf_cuda_device_info *out, int ordinal);
	int (*versions)(cf__cuda_versions *out);
	int (*set_device)(int ordinal);
	/* y = a*x + y for n floats in host memory: the backend's smoke kernel, copied both ways synchronously. */
	int (*saxpy)(float *y, const float *x, float a, size_t n);
} cf__cuda_backend;

typedef const cf__cuda_backend *(*cf__cuda_entry_fn)(const cf__cuda_host *host);

/* The loaded backend, or NULL (built without CUDA, or the backend or its libraries failed to load; the reason
 * is in cf__cuda_load_error()). Thread-safe; loads once. */
const cf__cuda_backend *cf__cuda(void);
const char *cf__cuda_load_error(void);

/* Usable CUDA devices; 0 without a backend, driver or device. Never fails. */
int cf__device_cuda_count(void);

#endif
