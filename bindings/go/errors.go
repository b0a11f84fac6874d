package cogniforge

/*
#include <cogniforge/cogniforge.h>
*/
import "C"

import (
	"errors"
	"fmt"
)

// ErrorCode is a C cf_error_code. Values are stable and mirror the C enum.
//
// An ErrorCode is itself an error, so errors.Is(err, cogniforge.ErrNotFound) works for any *Error.
type ErrorCode int

// The failure codes of cf_error_code.
const (
	ErrGeneric     ErrorCode = C.CF_ERROR        // generic or internal failure
	ErrInvalid     ErrorCode = C.CF_EINVAL       // invalid argument or options (a caller bug)
	ErrNoMemory    ErrorCode = C.CF_ENOMEM       // an allocation failed
	ErrIO          ErrorCode = C.CF_EIO          // reading or writing a file failed
	ErrFormat      ErrorCode = C.CF_EFORMAT      // malformed input data
	ErrNotFound    ErrorCode = C.CF_ENOTFOUND    // a named file, object or key does not exist
	ErrUnsupported ErrorCode = C.CF_EUNSUPPORTED // the feature is not built in or not available (e.g. CUDA)
	ErrVersion     ErrorCode = C.CF_EVERSION     // an options struct or file has an unknown version
)

// String is the C name of the code, e.g. "CF_ENOTFOUND"; "CF_UNKNOWN" for codes the library does not know.
func (c ErrorCode) String() string { return C.GoString(C.cf_error_code_name(C.int(c))) }

// Error makes an ErrorCode usable as an errors.Is target.
func (c ErrorCode) Error() string { return "cogniforge: " + c.String() }

// Error is a failure reported by the C library.
type Error struct {
	Code    ErrorCode // the code the C function returned
	Message string    // cf_error_last()->message, read on the failing thread; names the file, field, etc.
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "cogniforge: " + e.Code.String()
	}
	return fmt.Sprintf("cogniforge: %s (%s)", e.Message, e.Code.String())
}

// Is reports whether target is the ErrorCode of e, so that errors.Is(err, ErrFormat) works.
func (e *Error) Is(target error) bool {
	c, ok := target.(ErrorCode)
	return ok && c == e.Code
}

// IsErrorCode reports whether err is, or wraps, an *Error with the given code.
func IsErrorCode(err error, code ErrorCode) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == code
}

// makeError builds an *Error from a negative return code and the thread-local error record. The caller
// must have called runtime.LockOSThread before the failing C call, and call this before any other C call.
func makeError(rc C.int) error {
	e := &Error{Code: ErrorCode(rc)}
	if last := C.cf_error_last(); last != nil && last.code == rc {
		e.Message = C.GoString(last.message)
	}
	return e
}

// newError builds an *Error for a failure detected on the Go side.
func newError(code ErrorCode, format string, args ...interface{}) error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
