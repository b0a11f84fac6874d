package cogniforge

/*
#include <cogniforge/cogniforge.h>

_Static_assert(CF_SHA256_SIZE == 32, "the Go binding assumes 32-byte SHA-256 digests");
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// SHA256 is the SHA-256 digest of data, computed by the C library (OpenSSL libcrypto).
func SHA256(data []byte) ([32]byte, error) {
	var out [32]byte
	var p unsafe.Pointer // nil for an empty slice: C accepts (NULL, 0)
	if len(data) > 0 {
		p = unsafe.Pointer(&data[0])
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rc := C.cf_sha256((*C.uchar)(unsafe.Pointer(&out[0])), C.size_t(len(out)), p, C.size_t(len(data)))
	if rc < 0 {
		return [32]byte{}, makeError(rc)
	}
	return out, nil
}
