package cogniforge

/*
#include <cogniforge/cogniforge.h>
*/
import "C"

import "runtime"

// CUDADeviceCount is the number of CUDA devices usable by this process: 0 when the library was built
// without CUDA or there is no driver or device. It never fails.
func CUDADeviceCount() int { return int(C.cf_cuda_device_count()) }

// CUDABackendError says why the CUDA backend is unavailable: "" when it loaded (a device may still be
// absent), otherwise a one-line reason such as a missing libcublas.so.13. The backend loads on first use.
func CUDABackendError() string { return C.GoString(C.cf_cuda_backend_error()) }

// CUDADevice describes one CUDA device.
type CUDADevice struct {
	Ordinal         int    // the index passed to CUDADeviceInfo
	Name            string // e.g. "NVIDIA H100 80GB HBM3"
	TotalMemory     uint64 // bytes of device memory
	ComputeMajor    int    // compute capability, e.g. 9
	ComputeMinor    int    // e.g. 0
	Multiprocessors int    // streaming multiprocessors
}

// CUDADeviceInfo describes CUDA device i (0 .. CUDADeviceCount()-1). It fails with ErrUnsupported when the
// library was built without CUDA and ErrNotFound when there is no such device.
func CUDADeviceInfo(i int) (CUDADevice, error) {
	var info C.cf_cuda_device_info
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if rc := C.cf_cuda_device_info_get(&info, C.int(i)); rc < 0 {
		return CUDADevice{}, makeError(rc)
	}
	return CUDADevice{
		Ordinal:         i,
		Name:            C.GoString(&info.name[0]),
		TotalMemory:     uint64(info.total_memory),
		ComputeMajor:    int(info.compute_major),
		ComputeMinor:    int(info.compute_minor),
		Multiprocessors: int(info.multiprocessors),
	}, nil
}
