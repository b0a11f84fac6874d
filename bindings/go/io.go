package cogniforge

/*
#include <stdlib.h>
#include <cogniforge/cogniforge.h>
*/
import "C"

import (
	"io"
	"runtime"
	"sync"
	"unsafe"
)

// FileSummary is what SummarizeFile found in one pass over a (possibly compressed) text file.
type FileSummary struct {
	Bytes       uint64   // decompressed size
	Lines       uint64   // newline-terminated lines, plus a final unterminated one
	BlankLines  uint64   // lines with nothing but whitespace
	Compression string   // compression found from the content: "none", "gzip", "zstd", "xz", "bzip2", "other"
	SHA256      [32]byte // SHA-256 of the decompressed bytes
	SHA256Hex   string   // the same, as lower-case hex
}

// SummarizeFile streams a file once (decompressing gzip, zstd, xz or bzip2 on the fly), counting bytes and
// lines and hashing the decompressed content. ctx may be nil for the C library's defaults. A missing file
// gives an *Error with code ErrNotFound, corrupt compressed data one with ErrFormat.
func SummarizeFile(ctx *Context, path string) (FileSummary, error) {
	c, err := ctx.acquire()
	if err != nil {
		return FileSummary{}, err
	}
	defer ctx.release()
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))

	var s C.cf_file_summary
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if rc := C.cf_file_summarize(&s, c, cpath); rc < 0 {
		return FileSummary{}, makeError(rc)
	}
	runtime.KeepAlive(ctx)
	sum := FileSummary{
		Bytes:       uint64(s.bytes),
		Lines:       uint64(s.lines),
		BlankLines:  uint64(s.blank_lines),
		Compression: C.GoString(C.cf_compression_name(s.compression)),
		SHA256Hex:   C.GoString(&s.sha256_hex[0]),
	}
	copy(sum.SHA256[:], C.GoBytes(unsafe.Pointer(&s.sha256[0]), C.int(len(sum.SHA256))))
	return sum, nil
}

// Reader streams the decompressed content of a file. It implements io.Reader and io.Closer.
// A Reader is meant to be used by one goroutine at a time; Close may be called more than once.
type Reader struct {
	mu   sync.Mutex
	ptr  *C.cf_reader
	ctx  *Context // kept reachable (and its C context alive) while the reader is open
	comp string
}

// OpenReader opens path for streaming reads; ctx may be nil for the C library's defaults. "-" is standard
// input. Close the Reader when done; the Context it was opened on stays alive until then.
func OpenReader(ctx *Context, path string) (*Reader, error) {
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	cpath := C.CString(path)
	defer C.free(unsafe.Pointer(cpath))

	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var r *C.cf_reader
	if rc := C.cf_reader_open(&r, c, cpath); rc < 0 {
		err := makeError(rc)
		ctx.release()
		return nil, err
	}
	rd := &Reader{ptr: r, ctx: ctx, comp: C.GoString(C.cf_compression_name(C.cf_reader_compression(r)))}
	runtime.SetFinalizer(rd, (*Reader).Close)
	return rd, nil
}

// Compression is the compression found on the reader's file ("none", "gzip", ...).
func (r *Reader) Compression() string { return r.comp }

// Read reads up to len(p) decompressed bytes. It returns io.EOF at the end of the input, and an *Error
// (ErrFormat for corrupt or truncated compressed data, ErrIO for read failures) otherwise.
func (r *Reader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ptr == nil {
		return 0, newError(ErrInvalid, "read from a closed cogniforge.Reader")
	}
	if len(p) == 0 {
		return 0, nil
	}
	var n C.size_t
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	rc := C.cf_reader_read(&n, r.ptr, unsafe.Pointer(&p[0]), C.size_t(len(p)))
	runtime.KeepAlive(r)
	if rc < 0 {
		return 0, makeError(rc)
	}
	if n == 0 {
		return 0, io.EOF
	}
	return int(n), nil
}

// Close frees the reader and closes its file. It is idempotent and always returns nil.
func (r *Reader) Close() error {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ptr == nil {
		return nil
	}
	runtime.SetFinalizer(r, nil)
	C.cf_reader_free(r.ptr)
	r.ptr = nil
	r.ctx.release()
	r.ctx = nil
	return nil
}

var _ io.ReadCloser = (*Reader)(nil)
