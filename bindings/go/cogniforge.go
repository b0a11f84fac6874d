// Package cogniforge is the Go binding of the cogniforge C library.
//
// The package links the C library through pkg-config ("cogniforge"); point PKG_CONFIG_PATH at the
// directory holding cogniforge.pc (or, in a meson build tree, meson-uninstalled/) before building.
//
// Every C failure becomes an *Error carrying the C error code and the library's message, read on the
// OS thread that made the failing call. Objects that own C memory (Context, Reader, Table, CSVReader, Stats,
// Suite, Validation) have an explicit, idempotent Close; a finalizer frees them too, but only as a safety
// net. An object closed while another goroutine is in a call on it, or while an object built on it still
// needs it (a Validation its Suite, any object its Context), is freed when the last of them lets go.
//
// # Data validation
//
// Validate streams a CSV file through a Great Expectations suite file; ValidateTable validates a Table built
// in Go or read with ReadCSV; ValidateStats evaluates a suite on merged Stats of many shards; a Validation is
// fed the chunks of a CSVReader one by one. Results (ValidationResult) are plain Go values holding the
// summary, each expectation's outcome, the GX result JSON and the JUnit XML.
//
// # Tables and Go memory
//
// A C table borrows the arrays of its columns until it is freed, but cgo forbids C to keep a Go pointer
// after a call returns (and Go 1.19 has no runtime.Pinner to pin Go memory). So a Table never lends Go
// memory to C. Its zero-copy constructors (AddFloat64Column, AddInt64Column, AddBoolColumn,
// AddTimestampColumn) instead allocate each column with C.malloc and return it as a Go slice made with
// unsafe.Slice over the C pointer: the caller fills the slice in place, the C table reads the same memory,
// and Table.Close frees it. Such a slice is valid only while its Table is open and reachable: keep the Table
// alive (defer t.Close()) for as long as the slice is used, and fill it before the table's first use, after
// which the data must not change. The convenience constructors (AddFloat64, AddInt64, AddBool, AddTime,
// AddStrings) copy Go slices into C memory instead, with an optional []bool of valid rows.
//
// # Zero values of options
//
// In CSVOptions, StatsOptions and ValidateOptions a zero field means the library default. Where the C
// library gives 0 a meaning of its own, the Go option says how to ask for it: CSVOptions.InferRows is 0 for
// the default sample of 10000 rows and InferAllRows (-1) for C's 0 (the whole input); a nil
// CSVOptions.NAValues gives the default NA tokens and a non-nil empty one gives none.
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
