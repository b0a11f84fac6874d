/* The device interface: the only way library code reaches CUDA (cuda/ implements it when built). */
#ifndef CF_SRC_DEVICE_H
#define CF_SRC_DEVICE_H

#include <stddef.h>

#include "cf_config.h"
#include "cogniforge/common.h"


typedef struct cf__cuda_versions {
	int runtime; /* cudaRuntimeGetVersion, e.g. 13000 */
	int driver;  /* cudaDriverGetVersion; 0 without a driver */
	int cublas;  /* cublasGetVersion-style, e.g. 130100; 0 when unknown */
	size_t cudnn; /* cudnnGetVersion, e.g. 91300 */
} cf__cuda_versions;

/* Usable CUDA devices; 0 without CUDA support, driver or device. Never fails. */
int cf__device_cuda_count(void);

#if CF_HAVE_CUDA
/* Implemented in cuda/device.cu. Each returns 0 or a negative CF_E* code and records the error. */
int cf__cuda_device_count(void);
int cf__cuda_device_info(cf_cuda_device_info *out, int ordinal);
int cf__cuda_versions_get(cf__cuda_versions *out);
int cf__cuda_set_device(int ordinal);
/* y = a*x + y on the device for n floats (host buffers in and out): the backend's smoke kernel. */
int cf__cuda_saxpy(float *y, const float *x, float a, size_t n);
#endif

#endif
