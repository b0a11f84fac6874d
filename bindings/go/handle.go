package cogniforge

/*
#include <stdlib.h>
#include <string.h>
#include <cogniforge/cogniforge.h>
*/
import "C"

import (
	"runtime"
	"strings"
	"sync"
	"unsafe"
)

// cobj tracks a C object owned by a Go wrapper: the pointer, the calls in progress (and dependent objects,
// such as a Validation that keeps its Suite) that use it, and whether Close was called. The C object is freed
// once Close has been called and no user remains, so Close is safe while another goroutine is in a call.
type cobj[T any] struct {
	mu     sync.Mutex
	ptr    *T
	users  int
	closed bool
}

// acquire returns the pointer for a call and keeps it alive until release. what names the Go type in the
// error for a closed (or never opened) object.
func (o *cobj[T]) acquire(what string) (*T, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || o.ptr == nil {
		return nil, newError(ErrInvalid, "use of a closed cogniforge.%s", what)
	}
	o.users++
	return o.ptr, nil
}

// release ends a use begun by acquire; free frees the C object if Close was called meanwhile.
func (o *cobj[T]) release(free func(*T)) {
	o.mu.Lock()
	o.users--
	o.freeLocked(free)
	o.mu.Unlock()
}

// close marks the object closed and frees it unless it is in use. It reports whether this call closed it.
func (o *cobj[T]) close(free func(*T)) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return false
	}
	o.closed = true
	o.freeLocked(free)
	return true
}

// closeOwner is the body of a wrapper's Close: it closes o (see close) and, when this call closed it, drops
// owner's finalizer.
func (o *cobj[T]) closeOwner(owner any, free func(*T)) {
	if o.close(free) {
		runtime.SetFinalizer(owner, nil)
	}
}

// with runs f with the C pointer, holding op (unless nil) and a use of o (see acquire; what names the Go
// type), on a locked OS thread, so that f may turn a failing C call's return code into an error (check).
func (o *cobj[T]) with(op *sync.Mutex, what string, free func(*T), f func(p *T) error) error {
	if op != nil {
		op.Lock()
		defer op.Unlock()
	}
	p, err := o.acquire(what)
	if err != nil {
		return err
	}
	defer o.release(free)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	return f(p)
}

func (o *cobj[T]) freeLocked(free func(*T)) {
	if o.closed && o.users == 0 && o.ptr != nil {
		p := o.ptr
		o.ptr = nil
		free(p)
	}
}

// retain adds a user to a context that the caller already keeps alive (an open CSVReader handing its context
// to a chunk), even if Close was called on it since: the chunk's C memory comes from that context's allocator.
func (x *Context) retain() {
	if x == nil {
		return
	}
	x.mu.Lock()
	x.users++
	x.mu.Unlock()
}

// check turns a C return code into nil or an *Error; call it on the failing call's locked OS thread, before
// any other C call.
func check(rc C.int) error {
	if rc < 0 {
		return makeError(rc)
	}
	return nil
}

// takeBuf copies a cf_buf into Go memory and disposes of it.
func takeBuf(b *C.cf_buf) []byte {
	defer C.cf_buf_dispose(b)
	out := make([]byte, int(b.size))
	if b.size > 0 {
		copy(out, unsafe.Slice((*byte)(unsafe.Pointer(b.ptr)), int(b.size)))
	}
	return out
}

// cString is C.CString for strings that C reads up to a NUL: one holding a NUL byte is an ErrInvalid naming
// what it is.
func cString(s, what string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, newError(ErrInvalid, "%s %q contains a NUL byte", what, s)
	}
	return C.CString(s), nil
}

// cStringArray is a C array of C strings (all in C memory, so C may read it during a call).
type cStringArray struct {
	arr  **C.char // never NULL, even for zero strings
	strs []*C.char
}

func newCStringArray(ss []string, what string) (*cStringArray, error) {
	a := &cStringArray{strs: make([]*C.char, 0, len(ss))}
	for _, s := range ss {
		cs, err := cString(s, what)
		if err != nil {
			a.free()
			return nil, err
		}
		a.strs = append(a.strs, cs)
	}
	n := len(ss)
	if n == 0 {
		n = 1
	}
	a.arr = (**C.char)(cZalloc(n * int(unsafe.Sizeof((*C.char)(nil)))))
	copy(unsafe.Slice(a.arr, n), a.strs)
	return a, nil
}

func (a *cStringArray) free() {
	if a == nil {
		return
	}
	for _, s := range a.strs {
		C.free(unsafe.Pointer(s))
	}
	a.strs = nil
	if a.arr != nil {
		C.free(unsafe.Pointer(a.arr))
		a.arr = nil
	}
}

// cZalloc allocates size bytes (at least 1) of zeroed C memory; free it with C.free. Like cgo's C.malloc it
// never returns nil: it crashes the program when memory is exhausted.
func cZalloc(size int) unsafe.Pointer {
	if size < 1 {
		size = 1
	}
	p := C.malloc(C.size_t(size))
	C.memset(p, 0, C.size_t(size))
	return p
}

// goStringOrEmpty is C.GoString with NULL giving "".
func goStringOrEmpty(s *C.char) string {
	if s == nil {
		return ""
	}
	return C.GoString(s)
}
