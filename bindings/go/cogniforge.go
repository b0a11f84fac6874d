// Package cogniforge is the Go binding of the cogniforge C library.
//
// The package links the C library through pkg-config ("cogniforge"); point PKG_CONFIG_PATH at the
// directory holding cogniforge.pc (or, in a meson build tree, meson-uninstalled/) before building.
//
// Every C failure becomes an *Error carrying the C error code and the library's message, read on the
// OS thread that made the failing call. Objects that own C memory (Context, Reader) have an explicit,
// idempotent Close; a finalizer frees them too, but only as a safety net.
package cogniforge

/*
#cgo pkg-config: cogniforge
#include <cogniforge/cogniforge.h>

#if !defined(CF_VERSION_NUMBER) || CF_VERSION_NUMBER < 100
#error "the cogniforge Go binding needs the cogniforge C headers >= 0.1.0"
#endif

static const char *cfgo_header_version(void) { return CF_VERSION_STRING; }
*/
import "C"

// HeaderVersionNumber is CF_VERSION_NUMBER from the C headers the binding was compiled against
// (MAJOR*10000 + MINOR*100 + PATCH). Compare it with VersionNumber to detect a header/library mismatch.
const HeaderVersionNumber = int(C.CF_VERSION_NUMBER)

// HeaderVersion is CF_VERSION_STRING from the C headers the binding was compiled against.
func HeaderVersion() string { return C.GoString(C.cfgo_header_version()) }

// Version is the version string of the C library loaded at run time, e.g. "0.1.0".
func Version() string { return C.GoString(C.cf_version()) }

// VersionNumber is the run-time library version as MAJOR*10000 + MINOR*100 + PATCH.
func VersionNumber() int { return int(C.cf_version_number()) }

// Feature bits reported by Features.
const (
	FeatureThreads uint = C.CF_FEATURE_THREADS // thread-local error records (always set)
	FeatureCUDA    uint = C.CF_FEATURE_CUDA    // built with the CUDA backend (a device may still be absent)
	FeatureZstd    uint = C.CF_FEATURE_ZSTD    // zstd-compressed input
	FeatureGzip    uint = C.CF_FEATURE_GZIP    // gzip-compressed input
)

// Features is a bitmask of Feature* constants describing how the C library was built.
func Features() uint { return uint(C.cf_features()) }

// HasFeature reports whether all bits of f are set in Features().
func HasFeature(f uint) bool { return Features()&f == f }
