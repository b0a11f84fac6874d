// The CUDA backend (libcogniforge-cuda.so): device discovery and the smoke kernel, reached by the core only
// through the function table that cf_cuda_backend_v1() returns (src/device.h). Errors are recorded through
// the host's error_set, so callers see the same thread-local record as on the CPU.
#include <cstdio>
#include <cstring>

#include <cublas_v2.h>
#include <cuda_runtime.h>
#include <cudnn.h>

extern "C" {
#include "device.h"
}

static const cf__cuda_host *host;

static int cuda_fail(const char *what, cudaError_t e)
{
	char msg[512];
	std::snprintf(msg, sizeof(msg), "CUDA: %s: %s (%s)", what, cudaGetErrorString(e), cudaGetErrorName(e));
	return host->error_set(CF_ERROR, msg);
}

static int device_count(void)
{
	int n = 0;
	cudaError_t e = cudaGetDeviceCount(&n);
	if (e != cudaSuccess) {
		cudaGetLastError(); // reset the runtime's last error so later calls start clean
		return cuda_fail("cudaGetDeviceCount", e);
	}
	return n;
}

static int device_info(cf_cuda_device_info *out, int ordinal)
{
	cudaDeviceProp p;
	cudaError_t e = cudaGetDeviceProperties(&p, ordinal);
	if (e != cudaSuccess)
		return cuda_fail("cudaGetDeviceProperties", e);
	std::memset(out, 0, sizeof(*out));
	std::snprintf(out->name, sizeof(out->name), "%s", p.name);
	out->total_memory = p.totalGlobalMem;
	out->compute_major = p.major;
	out->compute_minor = p.minor;
	out->multiprocessors = p.multiProcessorCount;
	return CF_OK;
}

static int versions(cf__cuda_versions *out)
{
	int major = 0, minor = 0, patch = 0;
	std::memset(out, 0, sizeof(*out));
	cudaRuntimeGetVersion(&out->runtime);
	if (cudaDriverGetVersion(&out->driver) != cudaSuccess)
		out->driver = 0;
	// cublasGetProperty and cudnnGetVersion need no device, so they also prove both libraries load.
	if (cublasGetProperty(MAJOR_VERSION, &major) == CUBLAS_STATUS_SUCCESS &&
	    cublasGetProperty(MINOR_VERSION, &minor) == CUBLAS_STATUS_SUCCESS &&
	    cublasGetProperty(PATCH_LEVEL, &patch) == CUBLAS_STATUS_SUCCESS)
		out->cublas = major * 10000 + minor * 100 + patch;
	out->cudnn = cudnnGetVersion();
	return CF_OK;
}

static int set_device(int ordinal)
{
	cudaError_t e = cudaSetDevice(ordinal);
	return e == cudaSuccess ? CF_OK : cuda_fail("cudaSetDevice", e);
}

__global__ static void saxpy_kernel(float *y, const float *x, float a, size_t n)
{
	size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
	size_t stride = (size_t)gridDim.x * blockDim.x;
	for (; i < n; i += stride)
		y[i] = a * x[i] + y[i];
}

static int saxpy(float *y, const float *x, float a, size_t n)
{
	float *dx = nullptr, *dy = nullptr;
	cudaError_t e;
	int rc = CF_OK;
	size_t bytes = n * sizeof(float);

	if (n == 0)
		return CF_OK;
	if ((e = cudaMalloc(&dx, bytes)) != cudaSuccess || (e = cudaMalloc(&dy, bytes)) != cudaSuccess) {
		rc = cuda_fail("cudaMalloc", e);
		goto done;
	}
	if ((e = cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice)) != cudaSuccess ||
	    (e = cudaMemcpy(dy, y, bytes, cudaMemcpyHostToDevice)) != cudaSuccess) {
		rc = cuda_fail("cudaMemcpy to device", e);
		goto done;
	}
	{
		unsigned int blocks = (unsigned int)((n + 255) / 256);
		if (blocks > 65535u)
			blocks = 65535u;
		saxpy_kernel<<<blocks, 256>>>(dy, dx, a, n);
	}
	if ((e = cudaGetLastError()) != cudaSuccess) {
		rc = cuda_fail("saxpy launch", e);
		goto done;
	}
	// Synchronous copy back: the caller's buffers are not touched after we return (house rule M5).
	if ((e = cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost)) != cudaSuccess)
		rc = cuda_fail("cudaMemcpy to host", e);
done:
	cudaFree(dx);
	cudaFree(dy);
	return rc;
}

static const cf__cuda_backend backend = {
	CF__CUDA_BACKEND_ABI, device_count, device_info, versions, set_device, saxpy,
};

extern "C" __attribute__((visibility("default"))) const cf__cuda_backend *cf_cuda_backend_v1(const cf__cuda_host *h)
{
	if (h == nullptr || h->abi != CF__CUDA_BACKEND_ABI)
		return nullptr;
	host = h;
	return &backend;
}
