/* Device selection shared by the CPU-only and CUDA builds. */
#include "device.h"

#include "common.h"

int cf__device_cuda_count(void)
{
#if CF_HAVE_CUDA
	int n = cf__cuda_device_count();
	/* A missing driver is an expected state, not an error a caller should see later. */
	if (n < 0) {
		cf_error_clear();
		return 0;
	}
	return n;
#else
	return 0;
#endif
}
