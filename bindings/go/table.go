package cogniforge

/*
#include <stdlib.h>
#include <string.h>
#include <cogniforge/cogniforge.h>
*/
import "C"

import (
	"math"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
	"unsafe"
)

// ColumnType is the type of a table column, mirroring the C cf_type.
type ColumnType int

// Column types. The values are those of cf_type.
const (
	TypeFloat64   ColumnType = C.CF_TYPE_FLOAT64   // float64; NaN counts as null (pandas semantics)
	TypeInt64     ColumnType = C.CF_TYPE_INT64     // int64
	TypeBool      ColumnType = C.CF_TYPE_BOOL      // bool
	TypeString    ColumnType = C.CF_TYPE_STRING    // UTF-8 string, dictionary-encoded in C
	TypeTimestamp ColumnType = C.CF_TYPE_TIMESTAMP // microseconds since the Unix epoch, UTC
)

// String is the C name of the type: "float64", "int64", "bool", "string", "timestamp"; "ColumnType(n)" for
// values the library does not know.
func (t ColumnType) String() string {
	switch t {
	case TypeFloat64, TypeInt64, TypeBool, TypeString, TypeTimestamp:
		return C.GoString(C.cf_type_name(C.cf_type(t)))
	}
	return "ColumnType(" + strconv.Itoa(int(t)) + ")"
}

// ParseColumnType parses a type name as the C library does (cf_type_from_name): the names of String plus the
// aliases "double", "float", "int", "integer", "boolean", "str", "category", "categorical" and "datetime",
// case-insensitively. An unknown name is an *Error with code ErrInvalid.
func ParseColumnType(name string) (ColumnType, error) {
	cname, err := cString(name, "column type")
	if err != nil {
		return 0, err
	}
	defer C.free(unsafe.Pointer(cname))
	var t C.cf_type
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if rc := C.cf_type_from_name(&t, cname); rc < 0 {
		return 0, makeError(rc)
	}
	return ColumnType(t), nil
}

// ColumnInfo is a column's name and type.
type ColumnInfo struct {
	Name string
	Type ColumnType
}

// pendingColumn is a column added on the Go side and not yet handed to the C table (see Table).
type pendingColumn struct {
	name     string
	typ      ColumnType
	n        int
	values   unsafe.Pointer // C memory, owned by the Table (in mem); strings: a char*[n] freed after sealing
	validity unsafe.Pointer // C memory (Arrow bitmap, in mem) or nil
	strs     []unsafe.Pointer
}

// Table is a table of typed, named columns of equal length: the C cf_table.
//
// A Table is built from Go in two ways. The copying constructors (AddFloat64, AddInt64, AddBool, AddTime,
// AddStrings) copy Go slices into C memory. The zero-copy constructors (AddFloat64Column, AddInt64Column,
// AddBoolColumn, AddTimestampColumn) allocate a column in C memory and return it as a Go slice (built with
// unsafe.Slice over the C pointer) for the caller to fill in place; the C table borrows that memory, which is
// freed when the Table is closed. Go memory cannot be lent to the C table instead: the cgo pointer rules
// forbid C to keep a Go pointer after a call returns (and Go 1.19 has no runtime.Pinner), while a cf_table
// keeps pointers to the arrays it borrows until it is freed.
//
// Columns are handed to the C table when the Table is first used (read, validated, added to statistics), in
// the order they were added; name and length errors are reported by the Add methods themselves. Fill the
// slices of zero-copy columns before that first use, and do not change them afterwards: the C table then
// treats the data as immutable (a float NaN is null; null counts are computed once). A zero-copy slice must
// not be used after Close.
//
// A Table may be read (validated, profiled, accessed) from several goroutines at once. Adding columns while
// another goroutine uses the table fails with ErrInvalid. Close is safe from any goroutine and more than once.
type Table struct {
	obj cobj[C.cf_table]
	ctx *Context // kept alive while the table is open: the table uses its allocator

	// Guarded by obj.mu.
	pending []pendingColumn
	names   map[string]struct{} // every column's name, in C or pending
	rows    int                 // rows of every column; -1 before the first column
	mem     []unsafe.Pointer    // C memory the table's columns borrow, freed after the table
	broken  error               // handing pending columns to C failed: the table is unusable
}

// NewTable creates an empty table; ctx may be nil for the C library's defaults.
func NewTable(ctx *Context) (*Table, error) {
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var p *C.cf_table
	if rc := C.cf_table_create(&p, c); rc < 0 {
		err := makeError(rc)
		ctx.release()
		return nil, err
	}
	return wrapTable(p, ctx), nil
}

// wrapTable wraps a C table; the caller has acquired (or retained) ctx for it.
func wrapTable(p *C.cf_table, ctx *Context) *Table {
	t := &Table{ctx: ctx, names: map[string]struct{}{}, rows: -1}
	t.obj.ptr = p
	n := int(C.cf_table_num_columns(p))
	for i := 0; i < n; i++ {
		t.names[C.GoString(C.cf_table_column_name(p, C.size_t(i)))] = struct{}{}
	}
	if n > 0 {
		t.rows = int(C.cf_table_num_rows(p))
	}
	runtime.SetFinalizer(t, (*Table).Close)
	return t
}

// Close frees the table and the C memory of its columns. It is idempotent and always returns nil.
func (t *Table) Close() error {
	if t == nil {
		return nil
	}
	t.obj.closeOwner(t, t.free)
	return nil
}

// free is called with obj.mu held, once.
func (t *Table) free(p *C.cf_table) {
	C.cf_table_free(p)
	for _, pc := range t.pending {
		freePendingTemp(&pc)
	}
	t.pending = nil
	for _, m := range t.mem {
		C.free(m)
	}
	t.mem = nil
	t.ctx.release()
	t.ctx = nil
}

func freePendingTemp(pc *pendingColumn) {
	for _, s := range pc.strs {
		C.free(s)
	}
	pc.strs = nil
	if pc.typ == TypeString && pc.values != nil {
		C.free(pc.values)
		pc.values = nil
	}
}

// use hands pending columns to C and returns the C table for a call; done ends the use. The caller must have
// locked its OS thread (errors are read from the thread-local record).
func (t *Table) use() (*C.cf_table, error) {
	if t == nil {
		return nil, newError(ErrInvalid, "nil *cogniforge.Table")
	}
	t.obj.mu.Lock()
	defer t.obj.mu.Unlock()
	if t.obj.closed || t.obj.ptr == nil {
		return nil, newError(ErrInvalid, "use of a closed cogniforge.Table")
	}
	if err := t.sealLocked(); err != nil {
		return nil, err
	}
	t.obj.users++
	return t.obj.ptr, nil
}

func (t *Table) done() { t.obj.release(t.free) }

// sealLocked adds the pending columns to the C table. Called with obj.mu held and no user (Add refuses to
// add columns while the table is in use), on a locked OS thread.
func (t *Table) sealLocked() error {
	if t.broken != nil {
		return t.broken
	}
	for len(t.pending) > 0 {
		pc := &t.pending[0]
		cname := C.CString(pc.name)
		var rc C.int
		if pc.typ == TypeString {
			rc = C.cf_table_add_strings(t.obj.ptr, cname, (**C.char)(pc.values), C.size_t(pc.n))
		} else {
			var v C.cf_column_view
			v.name = cname
			v._type = C.cf_type(pc.typ)
			v.length = C.size_t(pc.n)
			v.values = pc.values
			v.validity = (*C.uint8_t)(pc.validity)
			rc = C.cf_table_add_column(t.obj.ptr, &v, C.CF_TABLE_BORROW)
		}
		C.free(unsafe.Pointer(cname))
		if rc < 0 {
			t.broken = makeError(rc)
			return t.broken
		}
		freePendingTemp(pc)
		t.pending = t.pending[1:]
	}
	t.pending = nil
	return nil
}

// addPending checks a new column's name and length and queues it. alloc allocates its C memory (recorded so
// that Close frees it) once the checks have passed.
func (t *Table) addPending(name string, typ ColumnType, n int, alloc func(pc *pendingColumn) error) error {
	if t == nil {
		return newError(ErrInvalid, "nil *cogniforge.Table")
	}
	if name == "" {
		return newError(ErrInvalid, "table: a column name must not be empty")
	}
	if strings.IndexByte(name, 0) >= 0 || !utf8.ValidString(name) {
		return newError(ErrInvalid, "table: column name %q is not valid UTF-8 without NUL bytes", name)
	}
	if n < 0 {
		return newError(ErrInvalid, "table: column '%s' has a negative length %d", name, n)
	}
	t.obj.mu.Lock()
	defer t.obj.mu.Unlock()
	switch {
	case t.obj.closed || t.obj.ptr == nil:
		return newError(ErrInvalid, "use of a closed cogniforge.Table")
	case t.obj.users > 0:
		return newError(ErrInvalid, "table: cannot add column '%s' while the table is in use", name)
	case t.broken != nil:
		return t.broken
	}
	if _, dup := t.names[name]; dup {
		return newError(ErrInvalid, "table: duplicate column name '%s'", name)
	}
	if t.rows >= 0 && n != t.rows {
		return newError(ErrInvalid, "table: column '%s' has %d rows but the table has %d", name, n, t.rows)
	}
	pc := pendingColumn{name: name, typ: typ, n: n}
	if err := alloc(&pc); err != nil {
		freePendingTemp(&pc)
		if pc.typ != TypeString && pc.values != nil {
			C.free(pc.values)
		}
		if pc.validity != nil {
			C.free(pc.validity)
		}
		return err
	}
	if pc.typ != TypeString {
		t.mem = append(t.mem, pc.values)
	}
	if pc.validity != nil {
		t.mem = append(t.mem, pc.validity)
	}
	t.pending = append(t.pending, pc)
	t.names[name] = struct{}{}
	t.rows = n
	return nil
}

// addBuffer queues a zero-copy column of n zeroed values of width bytes and returns its C memory.
func (t *Table) addBuffer(name string, typ ColumnType, n, width int) (unsafe.Pointer, error) {
	var p unsafe.Pointer
	err := t.addPending(name, typ, n, func(pc *pendingColumn) error {
		pc.values = cZalloc(n * width)
		p = pc.values
		return nil
	})
	return p, err
}

// addColumnSlice queues a zero-copy column of n zeroed values of E (as C stores typ) and returns its C memory
// as a Go slice.
func addColumnSlice[E any](t *Table, name string, typ ColumnType, n int) ([]E, error) {
	var zero E
	p, err := t.addBuffer(name, typ, n, int(unsafe.Sizeof(zero)))
	if err != nil {
		return nil, err
	}
	return unsafe.Slice((*E)(p), n), nil
}

// AddFloat64Column adds a float64 column of n rows in C memory and returns it as a Go slice (initially zeros)
// for the caller to fill without a copy; a NaN is null. See Table for the rules the slice follows.
func (t *Table) AddFloat64Column(name string, n int) ([]float64, error) {
	return addColumnSlice[float64](t, name, TypeFloat64, n)
}

// AddInt64Column adds an int64 column of n rows in C memory and returns it as a Go slice to fill in place.
func (t *Table) AddInt64Column(name string, n int) ([]int64, error) {
	return addColumnSlice[int64](t, name, TypeInt64, n)
}

// AddBoolColumn adds a bool column of n rows in C memory (one byte per value, as C and Go both store bools)
// and returns it as a Go slice to fill in place.
func (t *Table) AddBoolColumn(name string, n int) ([]bool, error) {
	return addColumnSlice[bool](t, name, TypeBool, n)
}

// AddTimestampColumn adds a timestamp column of n rows in C memory and returns it as a Go slice of
// microseconds since the Unix epoch (UTC, as time.Time.UnixMicro gives) to fill in place.
func (t *Table) AddTimestampColumn(name string, n int) ([]int64, error) {
	return addColumnSlice[int64](t, name, TypeTimestamp, n)
}

// bitmap makes an Arrow validity bitmap in C memory from valid (nil: every row valid, and no bitmap).
func bitmap(name string, valid []bool, n int) (unsafe.Pointer, error) {
	if valid == nil {
		return nil, nil
	}
	if len(valid) != n {
		return nil, newError(ErrInvalid, "table: column '%s' has %d values but %d validity flags", name, n, len(valid))
	}
	all := true
	for _, v := range valid {
		all = all && v
	}
	if all {
		return nil, nil
	}
	p := cZalloc((n + 7) / 8)
	b := unsafe.Slice((*byte)(p), (n+7)/8)
	for i, v := range valid {
		if v {
			b[i>>3] |= 1 << (i & 7)
		}
	}
	return p, nil
}

// addCopy queues a copied column: fill writes the values into C memory of n*width bytes.
func (t *Table) addCopy(name string, typ ColumnType, n, width int, valid []bool, fill func(p unsafe.Pointer)) error {
	return t.addPending(name, typ, n, func(pc *pendingColumn) error {
		bm, err := bitmap(name, valid, n)
		if err != nil {
			return err
		}
		pc.validity = bm
		pc.values = cZalloc(n * width)
		fill(pc.values)
		return nil
	})
}

// AddFloat64 adds a float64 column, copying values. valid marks the rows that hold a value (nil: all do);
// a NaN is null either way.
func (t *Table) AddFloat64(name string, values []float64, valid []bool) error {
	return t.addCopy(name, TypeFloat64, len(values), 8, valid, func(p unsafe.Pointer) {
		copy(unsafe.Slice((*float64)(p), len(values)), values)
	})
}

// AddInt64 adds an int64 column, copying values; valid marks the rows that hold a value (nil: all do).
func (t *Table) AddInt64(name string, values []int64, valid []bool) error {
	return t.addCopy(name, TypeInt64, len(values), 8, valid, func(p unsafe.Pointer) {
		copy(unsafe.Slice((*int64)(p), len(values)), values)
	})
}

// AddBool adds a bool column, copying values; valid marks the rows that hold a value (nil: all do).
func (t *Table) AddBool(name string, values []bool, valid []bool) error {
	return t.addCopy(name, TypeBool, len(values), 1, valid, func(p unsafe.Pointer) {
		copy(unsafe.Slice((*bool)(p), len(values)), values)
	})
}

// AddTime adds a timestamp column (microseconds since the Unix epoch, UTC; finer precision is truncated),
// copying values; valid marks the rows that hold a value (nil: all do).
func (t *Table) AddTime(name string, values []time.Time, valid []bool) error {
	return t.addCopy(name, TypeTimestamp, len(values), 8, valid, func(p unsafe.Pointer) {
		us := unsafe.Slice((*int64)(p), len(values))
		for i, v := range values {
			us[i] = v.UnixMicro()
		}
	})
}

// AddStrings adds a string column, copying values (the C library dictionary-encodes them); valid marks the
// rows that hold a value (nil: all do). Every valid value must be UTF-8 without NUL bytes (ErrInvalid
// naming the row otherwise).
func (t *Table) AddStrings(name string, values []string, valid []bool) error {
	n := len(values)
	if valid != nil && len(valid) != n {
		return newError(ErrInvalid, "table: column '%s' has %d values but %d validity flags", name, n, len(valid))
	}
	for i, s := range values {
		if valid != nil && !valid[i] {
			continue
		}
		if strings.IndexByte(s, 0) >= 0 {
			return newError(ErrInvalid, "table: column '%s' row %d: the value contains a NUL byte", name, i)
		}
		if !utf8.ValidString(s) {
			return newError(ErrInvalid, "table: column '%s' row %d: invalid UTF-8", name, i)
		}
	}
	return t.addPending(name, TypeString, n, func(pc *pendingColumn) error {
		// One char*[n] (NULL for a null row) and one C string per valid value, freed once C has copied them.
		pc.values = cZalloc(n * int(unsafe.Sizeof((*C.char)(nil))))
		ptrs := unsafe.Slice((**C.char)(pc.values), n)
		for i, s := range values {
			if valid != nil && !valid[i] {
				continue
			}
			cs := C.CString(s)
			pc.strs = append(pc.strs, unsafe.Pointer(cs))
			ptrs[i] = cs
		}
		return nil
	})
}

// NumRows is the number of rows (0 for a table without columns, or after Close).
func (t *Table) NumRows() int {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p, err := t.use()
	if err != nil {
		return 0
	}
	defer t.done()
	return int(C.cf_table_num_rows(p))
}

// NumColumns is the number of columns (0 after Close).
func (t *Table) NumColumns() int {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p, err := t.use()
	if err != nil {
		return 0
	}
	defer t.done()
	return int(C.cf_table_num_columns(p))
}

// Columns lists the columns' names and types in order (nil after Close).
func (t *Table) Columns() []ColumnInfo {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p, err := t.use()
	if err != nil {
		return nil
	}
	defer t.done()
	n := int(C.cf_table_num_columns(p))
	out := make([]ColumnInfo, n)
	for i := range out {
		var v C.cf_column_view
		if C.cf_table_column(&v, p, C.size_t(i)) == 0 {
			out[i] = ColumnInfo{Name: C.GoString(v.name), Type: ColumnType(v._type)}
		}
	}
	return out
}

// ColumnNames lists the column names in order (nil after Close).
func (t *Table) ColumnNames() []string {
	cols := t.Columns()
	if cols == nil {
		return nil
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	return names
}

// column describes the named column for read, checking its type, and calls read with the view while the table
// is in use.
func (t *Table) column(name string, want ColumnType, read func(v *C.cf_column_view, n int)) error {
	cname, err := cString(name, "column name")
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cname))
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	p, err := t.use()
	if err != nil {
		return err
	}
	defer t.done()
	var idx C.size_t
	if rc := C.cf_table_column_index(&idx, p, cname); rc < 0 {
		return makeError(rc)
	}
	var v C.cf_column_view
	if rc := C.cf_table_column(&v, p, idx); rc < 0 {
		return makeError(rc)
	}
	if got := ColumnType(v._type); want != 0 && got != want {
		return newError(ErrInvalid, "table: column '%s' is %v, not %v", name, got, want)
	}
	read(&v, int(v.length))
	return nil
}

// validity reads the validity bitmap of a view: one bool per row (a nil bitmap means every row is valid).
func validity(v *C.cf_column_view, n int) []bool {
	valid := make([]bool, n)
	if v.validity == nil {
		for i := range valid {
			valid[i] = true
		}
		return valid
	}
	bm := unsafe.Slice((*byte)(unsafe.Pointer(v.validity)), (n+7)/8)
	for i := range valid {
		valid[i] = bm[i>>3]>>(i&7)&1 != 0
	}
	return valid
}

// NullCount is the number of null rows of the named column (ErrNotFound for a column the table lacks).
func (t *Table) NullCount(name string) (int, error) {
	var nulls int
	err := t.column(name, 0, func(v *C.cf_column_view, n int) { nulls = int(v.null_count) })
	return nulls, err
}

// ColumnType is the type of the named column (ErrNotFound for a column the table lacks).
func (t *Table) ColumnType(name string) (ColumnType, error) {
	var typ ColumnType
	err := t.column(name, 0, func(v *C.cf_column_view, n int) { typ = ColumnType(v._type) })
	return typ, err
}

// Float64Column copies a float64 column out of the table: its values and, per row, whether it holds a value
// (false for a null row, a NaN included). ErrNotFound for a missing column, ErrInvalid for another type.
func (t *Table) Float64Column(name string) ([]float64, []bool, error) {
	var vals []float64
	var valid []bool
	err := t.column(name, TypeFloat64, func(v *C.cf_column_view, n int) {
		vals = make([]float64, n)
		if n > 0 {
			copy(vals, unsafe.Slice((*float64)(v.values), n))
		}
		valid = validity(v, n)
		for i, x := range vals {
			valid[i] = valid[i] && !math.IsNaN(x)
		}
	})
	return vals, valid, err
}

// Int64Column copies an int64 column out of the table, with per-row validity.
func (t *Table) Int64Column(name string) ([]int64, []bool, error) {
	return t.int64s(name, TypeInt64)
}

// TimestampColumn copies a timestamp column out of the table as microseconds since the Unix epoch, with
// per-row validity.
func (t *Table) TimestampColumn(name string) ([]int64, []bool, error) {
	return t.int64s(name, TypeTimestamp)
}

func (t *Table) int64s(name string, typ ColumnType) ([]int64, []bool, error) {
	var vals []int64
	var valid []bool
	err := t.column(name, typ, func(v *C.cf_column_view, n int) {
		vals = make([]int64, n)
		if n > 0 {
			copy(vals, unsafe.Slice((*int64)(v.values), n))
		}
		valid = validity(v, n)
	})
	return vals, valid, err
}

// TimeColumn copies a timestamp column out of the table as UTC times, with per-row validity (a null row
// holds the zero time.Time).
func (t *Table) TimeColumn(name string) ([]time.Time, []bool, error) {
	us, valid, err := t.int64s(name, TypeTimestamp)
	if err != nil {
		return nil, nil, err
	}
	out := make([]time.Time, len(us))
	for i, u := range us {
		if valid[i] {
			out[i] = time.UnixMicro(u).UTC()
		}
	}
	return out, valid, nil
}

// BoolColumn copies a bool column out of the table, with per-row validity.
func (t *Table) BoolColumn(name string) ([]bool, []bool, error) {
	var vals, valid []bool
	err := t.column(name, TypeBool, func(v *C.cf_column_view, n int) {
		vals = make([]bool, n)
		if n > 0 {
			for i, b := range unsafe.Slice((*C.uint8_t)(v.values), n) {
				vals[i] = b != 0
			}
		}
		valid = validity(v, n)
	})
	return vals, valid, err
}

// StringColumn copies a string column out of the table, with per-row validity (a null row holds "").
func (t *Table) StringColumn(name string) ([]string, []bool, error) {
	var vals []string
	var valid []bool
	err := t.column(name, TypeString, func(v *C.cf_column_view, n int) {
		dict := make([]string, int(v.dict_size))
		if len(dict) > 0 {
			for i, s := range unsafe.Slice(v.dict, len(dict)) {
				dict[i] = C.GoString(s)
			}
		}
		vals = make([]string, n)
		valid = validity(v, n)
		if n == 0 {
			return
		}
		for i, code := range unsafe.Slice((*int32)(v.values), n) {
			if !valid[i] || code < 0 {
				valid[i] = false
				continue
			}
			vals[i] = dict[code]
		}
	})
	return vals, valid, err
}

// columnValues is the address of the named column's values array, for tests of the zero-copy path.
func (t *Table) columnValues(name string) (unsafe.Pointer, error) {
	var p unsafe.Pointer
	err := t.column(name, 0, func(v *C.cf_column_view, n int) { p = unsafe.Pointer(v.values) })
	return p, err
}
