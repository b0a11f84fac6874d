package cogniforge

/*
#include <cogniforge/cogniforge.h>
*/
import "C"

import (
	"runtime"
	"strconv"
	"sync"
)

// Device selects the compute device of a Context.
type Device int

// Devices, mirroring cf_device.
const (
	DeviceAuto Device = C.CF_DEVICE_AUTO // a CUDA device when one is usable, else the CPU
	DeviceCPU  Device = C.CF_DEVICE_CPU
	DeviceCUDA Device = C.CF_DEVICE_CUDA // NewContext fails with ErrUnsupported when no CUDA device is usable
)

func (d Device) String() string {
	switch d {
	case DeviceAuto:
		return "auto"
	case DeviceCPU:
		return "cpu"
	case DeviceCUDA:
		return "cuda"
	default:
		return "Device(" + strconv.Itoa(int(d)) + ")"
	}
}

// ContextOptions are the options of NewContext. The zero value selects the library defaults.
type ContextOptions struct {
	Device      Device // DeviceAuto (default), DeviceCPU or DeviceCUDA
	DeviceIndex int    // CUDA device ordinal, default 0
	Threads     int    // CPU worker threads; 0 = the number of online cores
}

// Context is a library context: allocator, log sink and compute device.
//
// As in C, a Context is meant to be used by one goroutine at a time. Close is safe to call from any
// goroutine and more than once; the C context is freed once Close has been called and every Reader
// opened on it has been closed.
type Context struct {
	mu     sync.Mutex
	ptr    *C.cf_context
	users  int  // open Readers and calls in progress that use ptr
	closed bool // Close was called; free ptr when users drops to 0
}

// NewContext creates a context. opts may be nil for the defaults.
func NewContext(opts *ContextOptions) (*Context, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()

	var copts C.cf_context_options
	if rc := C.cf_context_options_init(&copts, C.CF_CONTEXT_OPTIONS_VERSION); rc < 0 {
		return nil, makeError(rc)
	}
	if opts != nil {
		copts.device = C.cf_device(opts.Device)
		copts.device_index = C.int(opts.DeviceIndex)
		copts.threads = C.int(opts.Threads)
	}
	var c *C.cf_context
	if rc := C.cf_context_create(&c, &copts); rc < 0 {
		return nil, makeError(rc)
	}
	ctx := &Context{ptr: c}
	runtime.SetFinalizer(ctx, (*Context).Close)
	return ctx, nil
}

// Close releases the context. It is idempotent and always returns nil. If Readers opened on the context
// are still open, the C context is freed when the last of them is closed.
func (x *Context) Close() error {
	if x == nil {
		return nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	runtime.SetFinalizer(x, nil)
	x.freeLocked()
	return nil
}

func (x *Context) freeLocked() {
	if x.closed && x.users == 0 && x.ptr != nil {
		C.cf_context_free(x.ptr)
		x.ptr = nil
	}
}

// acquire returns the C context for a call or a Reader and keeps it alive until release. A nil *Context
// gives a NULL cf_context (the C library's defaults); a closed one gives ErrInvalid.
func (x *Context) acquire() (*C.cf_context, error) {
	if x == nil {
		return nil, nil
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil, newError(ErrInvalid, "use of a closed cogniforge.Context")
	}
	x.users++
	return x.ptr, nil
}

func (x *Context) release() {
	if x == nil {
		return
	}
	x.mu.Lock()
	x.users--
	x.freeLocked()
	x.mu.Unlock()
}

// Device is the device the context resolved to: DeviceCPU or DeviceCUDA, never DeviceAuto.
// After Close it returns DeviceCPU.
func (x *Context) Device() Device {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return DeviceCPU
	}
	d := Device(C.cf_context_device(x.ptr))
	runtime.KeepAlive(x)
	return d
}

// Threads is the number of CPU worker threads the context uses (at least 1). After Close it returns 1.
func (x *Context) Threads() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return 1
	}
	n := int(C.cf_context_threads(x.ptr))
	runtime.KeepAlive(x)
	return n
}
