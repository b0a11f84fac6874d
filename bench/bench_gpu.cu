// GPU ceilings measured on the card the GPU check runs on: plain cuBLAS SGEMM at the sizes the training
// benchmark uses (so achieved TFLOP/s can be reported as a fraction of it) and host<->device copy bandwidth.
// Prints a JSON object on stdout. Usage: bench_gpu [repeats]
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <cublas_v2.h>
#include <cuda_runtime.h>

#define CK(x) do { cudaError_t e_ = (x); if (e_ != cudaSuccess) { \
	std::fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #x, cudaGetErrorString(e_)); std::exit(1); } } while (0)
#define CB(x) do { cublasStatus_t s_ = (x); if (s_ != CUBLAS_STATUS_SUCCESS) { \
	std::fprintf(stderr, "%s:%d: %s: cuBLAS status %d\n", __FILE__, __LINE__, #x, (int)s_); std::exit(1); } } while (0)

static double sgemm_tflops(cublasHandle_t h, int m, int n, int k, int reps, bool tf32)
{
	float *a, *b, *c, alpha = 1.0f, beta = 0.0f;
	cudaEvent_t t0, t1;
	float ms = 0;

	CK(cudaMalloc(&a, sizeof(float) * (size_t)m * k));
	CK(cudaMalloc(&b, sizeof(float) * (size_t)k * n));
	CK(cudaMalloc(&c, sizeof(float) * (size_t)m * n));
	CK(cudaMemset(a, 0, sizeof(float) * (size_t)m * k));
	CK(cudaMemset(b, 0, sizeof(float) * (size_t)k * n));
	CB(cublasSetMathMode(h, tf32 ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
	CB(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m, b, k, &beta, c, m)); // warm-up
	CK(cudaEventCreate(&t0));
	CK(cudaEventCreate(&t1));
	CK(cudaEventRecord(t0));
	for (int i = 0; i < reps; i++)
		CB(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, m, n, k, &alpha, a, m, b, k, &beta, c, m));
	CK(cudaEventRecord(t1));
	CK(cudaEventSynchronize(t1));
	CK(cudaEventElapsedTime(&ms, t0, t1));
	CK(cudaFree(a));
	CK(cudaFree(b));
	CK(cudaFree(c));
	return 2.0 * m * n * (double)k * reps / (ms * 1e-3) / 1e12;
}

static double copy_gbps(size_t bytes, bool to_device, int reps)
{
	void *host, *dev;
	cudaEvent_t t0, t1;
	float ms = 0;

	CK(cudaMallocHost(&host, bytes));
	CK(cudaMalloc(&dev, bytes));
	CK(cudaEventCreate(&t0));
	CK(cudaEventCreate(&t1));
	CK(cudaEventRecord(t0));
	for (int i = 0; i < reps; i++)
		CK(cudaMemcpy(to_device ? dev : host, to_device ? host : dev, bytes,
			to_device ? cudaMemcpyHostToDevice : cudaMemcpyDeviceToHost));
	CK(cudaEventRecord(t1));
	CK(cudaEventSynchronize(t1));
	CK(cudaEventElapsedTime(&ms, t0, t1));
	CK(cudaFreeHost(host));
	CK(cudaFree(dev));
	return (double)bytes * reps / (ms * 1e-3) / 1e9;
}

int main(int argc, char **argv)
{
	int reps = argc > 1 ? std::atoi(argv[1]) : 20;
	cudaDeviceProp p;
	cublasHandle_t h;
	struct { int m, n, k; const char *what; } sizes[] = {
		{ 4096, 4096, 4096, "square 4096" },
		{ 1024, 4096, 1024, "MLP hidden layer: 1024x1024 weights, batch 4096" },
		{ 1024, 4096, 256, "MLP input layer: 256 -> 1024, batch 4096" },
	};

	CK(cudaGetDeviceProperties(&p, 0));
	CB(cublasCreate(&h));
	std::printf("{\n  \"device\": \"%s\",\n  \"compute_capability\": \"%d.%d\",\n  \"sgemm\": [\n", p.name, p.major,
		p.minor);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		double fp32 = sgemm_tflops(h, sizes[i].m, sizes[i].n, sizes[i].k, reps, false);
		double tf32 = sgemm_tflops(h, sizes[i].m, sizes[i].n, sizes[i].k, reps, true);
		std::printf("    {\"m\": %d, \"n\": %d, \"k\": %d, \"what\": \"%s\", \"fp32_tflops\": %.2f, "
			"\"tf32_tflops\": %.2f}%s\n", sizes[i].m, sizes[i].n, sizes[i].k, sizes[i].what, fp32, tf32,
			i + 1 < sizeof(sizes) / sizeof(sizes[0]) ? "," : "");
	}
	std::printf("  ],\n  \"h2d_gbps\": %.1f,\n  \"d2h_gbps\": %.1f\n}\n", copy_gbps(256u << 20, true, 10),
		copy_gbps(256u << 20, false, 10));
	CB(cublasDestroy(h));
	return 0;
}
