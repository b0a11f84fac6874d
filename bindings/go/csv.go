package cogniforge

/*
#include <stdlib.h>
#include <string.h>
#include <cogniforge/cogniforge.h>
*/
import "C"

import (
	"io"
	"runtime"
	"sync"
	"unsafe"
)

// InferAllRows, as CSVOptions.InferRows, samples the whole input to infer column types (the file is read
// twice; not possible for standard input).
const InferAllRows = -1

// CSVOptions are the options of the CSV reader (OpenCSV, ReadCSV, Validate). The zero value, like a nil
// *CSVOptions, selects the library defaults: a header row, ',' separated, '"' quoted, NA tokens "", "NA" and
// "?", types inferred from the first 10000 rows, chunks of 65536 rows.
//
// Zero means "the default" in every numeric field. In particular InferRows 0 is the library default of
// 10000 rows (not C's infer_rows 0, which means the whole input): ask for the whole input with InferAllRows.
type CSVOptions struct {
	NoHeader         bool         // the first row is data; Names is then required
	Names            []string     // column names; with a header, they replace the file's (the count must match)
	Delimiter        rune         // field separator, an ASCII character; 0: ','
	Quote            rune         // quote character, an ASCII character; 0: '"'
	SkipInitialSpace bool         // skip spaces after a delimiter (the Adult files' ", ")
	NAValues         []string     // tokens read as null: nil gives the default "", "NA", "?"; non-nil and empty: none
	Types            []ColumnType // explicit schema, one type per column in file order; nil: infer
	InferRows        int          // rows sampled to infer types: 0 the default (10000), InferAllRows the whole input
	ChunkRows        int          // rows per chunk from CSVReader.Next; 0: the default (65536)
	MaxFieldBytes    int          // longest field accepted (longer is ErrFormat); 0: the default (16 MiB)
	SourceName       string       // name of the input in error messages; "": the path
}

// csvOptions is a cf_csv_options and the C memory its pointers refer to. The C struct is a Go allocation of
// its own: cgo checks the whole allocation an argument points into for Go pointers.
type csvOptions struct {
	c      *C.cf_csv_options
	names  *cStringArray
	na     *cStringArray
	types  unsafe.Pointer
	source *C.char
}

func (o *csvOptions) free() {
	o.names.free()
	o.na.free()
	if o.types != nil {
		C.free(o.types)
	}
	if o.source != nil {
		C.free(unsafe.Pointer(o.source))
	}
}

func asciiOption(r rune, what string) (C.char, error) {
	if r < 0 || r > 127 {
		return 0, newError(ErrInvalid, "CSVOptions.%s: %q is not an ASCII character", what, r)
	}
	return C.char(r), nil
}

// newCSVOptions converts o (nil: the defaults) to C. Call it on a locked OS thread; free the result.
func newCSVOptions(o *CSVOptions) (*csvOptions, error) {
	co := &csvOptions{c: new(C.cf_csv_options)}
	if rc := C.cf_csv_options_init(co.c, C.CF_CSV_OPTIONS_VERSION); rc < 0 {
		return nil, makeError(rc)
	}
	if o == nil {
		return co, nil
	}
	var err error
	fail := func(e error) (*csvOptions, error) {
		co.free()
		return nil, e
	}
	if o.Delimiter != 0 {
		if co.c.delimiter, err = asciiOption(o.Delimiter, "Delimiter"); err != nil {
			return fail(err)
		}
	}
	if o.Quote != 0 {
		if co.c.quote, err = asciiOption(o.Quote, "Quote"); err != nil {
			return fail(err)
		}
	}
	if o.NoHeader {
		co.c.header = 0
	}
	if o.SkipInitialSpace {
		co.c.skip_initial_space = 1
	}
	switch {
	case o.InferRows == InferAllRows:
		co.c.infer_rows = 0
	case o.InferRows > 0:
		co.c.infer_rows = C.size_t(o.InferRows)
	case o.InferRows < 0:
		return fail(newError(ErrInvalid, "CSVOptions.InferRows: %d (use a positive count, 0 for the default or "+
			"InferAllRows)", o.InferRows))
	}
	switch {
	case o.ChunkRows > 0:
		co.c.chunk_rows = C.size_t(o.ChunkRows)
	case o.ChunkRows < 0:
		return fail(newError(ErrInvalid, "CSVOptions.ChunkRows: %d is negative", o.ChunkRows))
	}
	switch {
	case o.MaxFieldBytes > 0:
		co.c.max_field_bytes = C.size_t(o.MaxFieldBytes)
	case o.MaxFieldBytes < 0:
		return fail(newError(ErrInvalid, "CSVOptions.MaxFieldBytes: %d is negative", o.MaxFieldBytes))
	}
	if o.Names != nil {
		if co.names, err = newCStringArray(o.Names, "CSVOptions.Names: column name"); err != nil {
			return fail(err)
		}
		co.c.names = co.names.arr
		co.c.names_count = C.size_t(len(o.Names))
	}
	if o.NAValues != nil {
		if co.na, err = newCStringArray(o.NAValues, "CSVOptions.NAValues: token"); err != nil {
			return fail(err)
		}
		co.c.na_values = co.na.arr
		co.c.na_count = C.size_t(len(o.NAValues))
	}
	if o.Types != nil {
		co.types = cZalloc(len(o.Types) * int(unsafe.Sizeof(C.cf_type(0))))
		ts := unsafe.Slice((*C.cf_type)(co.types), len(o.Types))
		for i, t := range o.Types {
			ts[i] = C.cf_type(t)
		}
		co.c.types = (*C.cf_type)(co.types)
		co.c.types_count = C.size_t(len(o.Types))
	}
	if o.SourceName != "" {
		if co.source, err = cString(o.SourceName, "CSVOptions.SourceName"); err != nil {
			return fail(err)
		}
		co.c.source_name = co.source
	}
	return co, nil
}

// CSVReader streams a CSV file as tables of up to CSVOptions.ChunkRows rows (the C cf_csv_reader). It is
// meant to be used by one goroutine at a time; Close may be called more than once, from any goroutine.
type CSVReader struct {
	op   sync.Mutex // serialises Next
	obj  cobj[C.cf_csv_reader]
	ctx  *Context
	data unsafe.Pointer // OpenCSVBytes: the C copy of the input
	cols []ColumnInfo
}

// OpenCSV opens a CSV file (gzip, zstd, xz or bzip2 compressed or not; "-" is standard input) and settles its
// schema: it reads the header and the type-inference sample, which the first chunks still return. ctx and
// opts may be nil for the defaults. Errors: ErrNotFound/ErrIO for the file, ErrFormat for malformed input (the
// message names the source, line and column), ErrInvalid for bad options.
func OpenCSV(ctx *Context, path string, opts *CSVOptions) (*CSVReader, error) {
	cpath, err := cString(path, "path")
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cpath))
	return openCSV(ctx, opts, nil, func(out **C.cf_csv_reader, c *C.cf_context, o *C.cf_csv_options) C.int {
		return C.cf_csv_open(out, c, cpath, o)
	})
}

// OpenCSVBytes is OpenCSV over CSV text in memory. The text is copied into C memory (the reader reads it
// after the call returns), freed on Close.
func OpenCSVBytes(ctx *Context, data []byte, opts *CSVOptions) (*CSVReader, error) {
	p := cZalloc(len(data))
	if len(data) > 0 {
		copy(unsafe.Slice((*byte)(p), len(data)), data)
	}
	r, err := openCSV(ctx, opts, p, func(out **C.cf_csv_reader, c *C.cf_context, o *C.cf_csv_options) C.int {
		return C.cf_csv_open_memory(out, c, p, C.size_t(len(data)), o)
	})
	if err != nil {
		C.free(p)
	}
	return r, err
}

func openCSV(ctx *Context, opts *CSVOptions, data unsafe.Pointer,
	open func(**C.cf_csv_reader, *C.cf_context, *C.cf_csv_options) C.int) (*CSVReader, error) {
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	co, err := newCSVOptions(opts)
	if err != nil {
		ctx.release()
		return nil, err
	}
	defer co.free()
	var p *C.cf_csv_reader
	if rc := open(&p, c, co.c); rc < 0 {
		err := makeError(rc)
		ctx.release()
		return nil, err
	}
	r := &CSVReader{ctx: ctx, data: data}
	r.obj.ptr = p
	n := int(C.cf_csv_num_columns(p))
	r.cols = make([]ColumnInfo, n)
	for i := range r.cols {
		r.cols[i] = ColumnInfo{Name: C.GoString(C.cf_csv_column_name(p, C.size_t(i))),
			Type: ColumnType(C.cf_csv_column_type(p, C.size_t(i)))}
	}
	runtime.SetFinalizer(r, (*CSVReader).Close)
	return r, nil
}

// Columns lists the columns' names and their types (given or inferred).
func (r *CSVReader) Columns() []ColumnInfo { return append([]ColumnInfo(nil), r.cols...) }

// Next reads the next chunk of rows as a Table that the caller owns and must Close. At the end of the input
// it returns io.EOF. Malformed input is an *Error with code ErrFormat naming the source, line and column;
// after an error the reader is unusable (Next repeats the error).
func (r *CSVReader) Next() (*Table, error) {
	if r == nil {
		return nil, newError(ErrInvalid, "nil *cogniforge.CSVReader")
	}
	var out *Table
	err := r.obj.with(&r.op, "CSVReader", r.free, func(p *C.cf_csv_reader) error {
		var t *C.cf_table
		if err := check(C.cf_csv_next(&t, p)); err != nil {
			return err
		}
		if t == nil {
			return io.EOF
		}
		r.ctx.retain() // the chunk uses the reader's context allocator, which the reader keeps alive meanwhile
		out = wrapTable(t, r.ctx)
		return nil
	})
	return out, err
}

// RowsRead is the number of data rows returned so far (0 after Close).
func (r *CSVReader) RowsRead() int64 {
	r.op.Lock()
	defer r.op.Unlock()
	p, err := r.obj.acquire("CSVReader")
	if err != nil {
		return 0
	}
	defer r.obj.release(r.free)
	return int64(C.cf_csv_rows_read(p))
}

// Close frees the reader and closes its file. Tables it returned stay valid. It is idempotent and always
// returns nil.
func (r *CSVReader) Close() error {
	if r == nil {
		return nil
	}
	r.obj.closeOwner(r, r.free)
	return nil
}

func (r *CSVReader) free(p *C.cf_csv_reader) {
	C.cf_csv_free(p)
	if r.data != nil {
		C.free(r.data)
		r.data = nil
	}
	r.ctx.release()
	r.ctx = nil
}

// ReadCSV reads a whole CSV file into one Table (string dictionaries span the whole file). ctx and opts may be
// nil; errors are those of OpenCSV and CSVReader.Next.
func ReadCSV(ctx *Context, path string, opts *CSVOptions) (*Table, error) {
	cpath, err := cString(path, "path")
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cpath))
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	co, err := newCSVOptions(opts)
	if err != nil {
		ctx.release()
		return nil, err
	}
	defer co.free()
	var t *C.cf_table
	if rc := C.cf_csv_read_all(&t, c, cpath, co.c); rc < 0 {
		err := makeError(rc)
		ctx.release()
		return nil, err
	}
	return wrapTable(t, ctx), nil
}
