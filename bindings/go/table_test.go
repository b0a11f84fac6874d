package cogniforge

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unsafe"
)

func mustTable(t *testing.T, ctx *Context) *Table {
	t.Helper()
	tbl, err := NewTable(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tbl.Close() })
	return tbl
}

func TestColumnTypes(t *testing.T) {
	for typ, name := range map[ColumnType]string{TypeFloat64: "float64", TypeInt64: "int64", TypeBool: "bool",
		TypeString: "string", TypeTimestamp: "timestamp", ColumnType(0): "ColumnType(0)"} {
		if typ.String() != name {
			t.Errorf("%d.String() = %q, want %q", int(typ), typ.String(), name)
		}
	}
	for name, want := range map[string]ColumnType{"double": TypeFloat64, "INT": TypeInt64, "boolean": TypeBool,
		"category": TypeString, "datetime": TypeTimestamp, "string": TypeString} {
		if got, err := ParseColumnType(name); err != nil || got != want {
			t.Errorf("ParseColumnType(%q) = %v, %v; want %v", name, got, err, want)
		}
	}
	_, err := ParseColumnType("complex128")
	var e *Error
	if !errors.As(err, &e) || e.Code != ErrInvalid || !strings.Contains(e.Message, "complex128") {
		t.Fatalf("ParseColumnType(complex128) error = %v, want ErrInvalid naming it", err)
	}
}

func TestTableFromGoValues(t *testing.T) {
	tbl := mustTable(t, nil)
	t0 := time.Date(2024, 5, 1, 12, 30, 0, 123456000, time.UTC)
	if err := tbl.AddFloat64("x", []float64{1.5, math.NaN(), 3, -4}, []bool{true, true, false, true}); err != nil {
		t.Fatal(err)
	}
	if err := tbl.AddInt64("n", []int64{1, 2, 3, math.MaxInt64}, nil); err != nil {
		t.Fatal(err)
	}
	if err := tbl.AddBool("b", []bool{true, false, true, false}, []bool{true, true, true, false}); err != nil {
		t.Fatal(err)
	}
	if err := tbl.AddTime("ts", []time.Time{t0, t0.Add(time.Hour), {}, t0.Add(-time.Hour)},
		[]bool{true, true, false, true}); err != nil {
		t.Fatal(err)
	}
	if err := tbl.AddStrings("s", []string{"héllo", "", "x", "héllo"}, []bool{true, true, true, false}); err != nil {
		t.Fatal(err)
	}
	if tbl.NumRows() != 4 || tbl.NumColumns() != 5 {
		t.Fatalf("NumRows %d NumColumns %d", tbl.NumRows(), tbl.NumColumns())
	}
	want := []ColumnInfo{{"x", TypeFloat64}, {"n", TypeInt64}, {"b", TypeBool}, {"ts", TypeTimestamp}, {"s", TypeString}}
	if got := tbl.Columns(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Columns() = %v", got)
	}
	if got := tbl.ColumnNames(); !reflect.DeepEqual(got, []string{"x", "n", "b", "ts", "s"}) {
		t.Fatalf("ColumnNames() = %v", got)
	}

	x, xv, err := tbl.Float64Column("x")
	if err != nil || x[0] != 1.5 || !math.IsNaN(x[1]) || x[3] != -4 || !reflect.DeepEqual(xv, []bool{true, false, false, true}) {
		t.Fatalf("Float64Column = %v %v %v", x, xv, err)
	}
	n, nv, err := tbl.Int64Column("n")
	if err != nil || !reflect.DeepEqual(n, []int64{1, 2, 3, math.MaxInt64}) || !reflect.DeepEqual(nv, []bool{true, true, true, true}) {
		t.Fatalf("Int64Column = %v %v %v", n, nv, err)
	}
	b, bv, err := tbl.BoolColumn("b")
	if err != nil || !reflect.DeepEqual(b[:3], []bool{true, false, true}) || !reflect.DeepEqual(bv, []bool{true, true, true, false}) {
		t.Fatalf("BoolColumn = %v %v %v", b, bv, err)
	}
	ts, tv, err := tbl.TimeColumn("ts")
	if err != nil || !ts[0].Equal(t0.Truncate(time.Microsecond)) || !ts[3].Equal(t0.Add(-time.Hour)) || !ts[2].IsZero() ||
		!reflect.DeepEqual(tv, []bool{true, true, false, true}) {
		t.Fatalf("TimeColumn = %v %v %v", ts, tv, err)
	}
	us, _, err := tbl.TimestampColumn("ts")
	if err != nil || us[0] != t0.UnixMicro() {
		t.Fatalf("TimestampColumn = %v %v", us, err)
	}
	s, sv, err := tbl.StringColumn("s")
	if err != nil || !reflect.DeepEqual(s, []string{"héllo", "", "x", ""}) || !reflect.DeepEqual(sv, []bool{true, true, true, false}) {
		t.Fatalf("StringColumn = %q %v %v", s, sv, err)
	}
	for name, want := range map[string]int{"x": 2, "n": 0, "b": 1, "ts": 1, "s": 1} {
		if got, err := tbl.NullCount(name); err != nil || got != want {
			t.Errorf("NullCount(%s) = %d, %v; want %d", name, got, err, want)
		}
	}
	if typ, err := tbl.ColumnType("ts"); err != nil || typ != TypeTimestamp {
		t.Errorf("ColumnType(ts) = %v, %v", typ, err)
	}

	// Wrong type, missing column.
	if _, _, err := tbl.Int64Column("x"); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("Int64Column(float column): %v, want ErrInvalid", err)
	}
	if _, _, err := tbl.Float64Column("nope"); !IsErrorCode(err, ErrNotFound) || !strings.Contains(err.Error(), "nope") {
		t.Errorf("Float64Column(missing): %v, want ErrNotFound naming it", err)
	}
}

func TestTableAddErrors(t *testing.T) {
	tbl := mustTable(t, nil)
	if err := tbl.AddInt64("a", []int64{1, 2, 3}, nil); err != nil {
		t.Fatal(err)
	}
	cases := map[string]error{
		"duplicate":     tbl.AddInt64("a", []int64{1, 2, 3}, nil),
		"length":        tbl.AddFloat64("b", []float64{1, 2}, nil),
		"empty name":    tbl.AddBool("", []bool{true, true, true}, nil),
		"valid length":  tbl.AddFloat64("c", []float64{1, 2, 3}, []bool{true}),
		"nul in value":  tbl.AddStrings("d", []string{"a", "b\x00c", "e"}, nil),
		"bad utf8":      tbl.AddStrings("e", []string{"a", "b", "\xff"}, nil),
		"nul in name":   tbl.AddInt64("f\x00", []int64{1, 2, 3}, nil),
		"zero-copy len": func() error { _, err := tbl.AddFloat64Column("g", 7); return err }(),
		"negative len":  func() error { _, err := tbl.AddInt64Column("h", -1); return err }(),
	}
	for what, err := range cases {
		var e *Error
		if !errors.As(err, &e) || e.Code != ErrInvalid || e.Message == "" {
			t.Errorf("%s: error = %v, want *Error ErrInvalid", what, err)
		}
	}
	if !strings.Contains(cases["duplicate"].Error(), "'a'") || !strings.Contains(cases["bad utf8"].Error(), "row 2") {
		t.Errorf("messages do not name the column or row: %v / %v", cases["duplicate"], cases["bad utf8"])
	}
	// The failed adds left the table as it was; an invalid value among null rows is not looked at.
	if err := tbl.AddStrings("s", []string{"ok", "\xff", "ok"}, []bool{true, false, true}); err != nil {
		t.Fatal(err)
	}
	if got := tbl.ColumnNames(); !reflect.DeepEqual(got, []string{"a", "s"}) || tbl.NumRows() != 3 {
		t.Fatalf("after failed adds: %v, %d rows", got, tbl.NumRows())
	}
}

// The zero-copy constructors hand C memory to Go: the table's column is the very array the slice shows, and
// what the caller writes before the first use is what the library reads.
func TestTableZeroCopyColumns(t *testing.T) {
	ctx, err := NewContext(&ContextOptions{Device: DeviceCPU})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	tbl := mustTable(t, ctx)
	const n = 100000
	f, err := tbl.AddFloat64Column("f", n)
	if err != nil {
		t.Fatal(err)
	}
	i64, err := tbl.AddInt64Column("i", n)
	if err != nil {
		t.Fatal(err)
	}
	bs, err := tbl.AddBoolColumn("b", n)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := tbl.AddTimestampColumn("t", n)
	if err != nil {
		t.Fatal(err)
	}
	if err := tbl.AddStrings("s", make([]string, n), nil); err != nil { // a copied column between zero-copy ones
		t.Fatal(err)
	}
	if len(f) != n || cap(f) != n || f[n-1] != 0 || i64[0] != 0 || bs[7] {
		t.Fatalf("new zero-copy columns are not zeroed slices of %d", n)
	}
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	var sum float64
	for k := 0; k < n; k++ {
		f[k] = float64(k) / 2
		sum += f[k]
		i64[k] = int64(k) - 50
		bs[k] = k%3 == 0
		ts[k] = base + int64(k)*1e6
	}
	f[10] = math.NaN() // null, as pandas reads it
	sum -= 5

	// Same memory: the C column's values pointer is the slice's first element.
	for name, p := range map[string]unsafe.Pointer{"f": unsafe.Pointer(&f[0]), "i": unsafe.Pointer(&i64[0]),
		"b": unsafe.Pointer(&bs[0]), "t": unsafe.Pointer(&ts[0])} {
		got, err := tbl.columnValues(name)
		if err != nil || got != p {
			t.Fatalf("column %s values at %p, slice at %p (%v): copied", name, got, p, err)
		}
	}
	if nulls, err := tbl.NullCount("f"); err != nil || nulls != 1 {
		t.Fatalf("NullCount(f) = %d, %v; want 1 (the NaN written after AddFloat64Column)", nulls, err)
	}
	st, err := NewStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Update(tbl); err != nil {
		t.Fatal(err)
	}
	cf, _ := st.Column(0)
	ci, _ := st.Column(1)
	cb, _ := st.Column(2)
	ct, _ := st.Column(3)
	if cf.NullCount != 1 || cf.Sum != sum || cf.Max != float64(n-1)/2 {
		t.Errorf("float stats %+v, want sum %v", cf, sum)
	}
	if ci.MinInt != -50 || ci.MaxInt != n-51 || cb.Sum != float64((n+2)/3) || ct.MinInt != base || ct.MaxInt != base+(n-1)*1e6 {
		t.Errorf("stats: int %d..%d, bool sum %v, time %d..%d", ci.MinInt, ci.MaxInt, cb.Sum, ct.MinInt, ct.MaxInt)
	}
	got, valid, err := tbl.Float64Column("f")
	if err != nil || got[3] != 1.5 || valid[10] || !valid[11] {
		t.Fatalf("Float64Column after fill: %v %v %v", got[:12], valid[:12], err)
	}
	// Adding a column once the table is built, then using it again.
	extra, err := tbl.AddFloat64Column("late", n)
	if err != nil {
		t.Fatal(err)
	}
	extra[n-1] = 42
	if v, _, err := tbl.Float64Column("late"); err != nil || v[n-1] != 42 || tbl.NumColumns() != 6 {
		t.Fatalf("late column: %v, %d columns", err, tbl.NumColumns())
	}
	ctx.Close() // the table keeps the context alive
	if tbl.NumRows() != n {
		t.Fatalf("NumRows after closing the context = %d", tbl.NumRows())
	}
}

func TestTableEmptyAndClosed(t *testing.T) {
	tbl := mustTable(t, nil)
	if tbl.NumRows() != 0 || tbl.NumColumns() != 0 || len(tbl.Columns()) != 0 {
		t.Fatal("a new table is not empty")
	}
	if _, err := tbl.AddFloat64Column("zero", 0); err != nil {
		t.Fatal(err)
	}
	if err := tbl.AddStrings("zs", nil, nil); err != nil {
		t.Fatal(err)
	}
	if v, valid, err := tbl.Float64Column("zero"); err != nil || len(v) != 0 || len(valid) != 0 || tbl.NumColumns() != 2 {
		t.Fatalf("empty column: %v %v %v", v, valid, err)
	}
	if err := tbl.Close(); err != nil {
		t.Fatal(err)
	}
	if err := tbl.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := tbl.Float64Column("zero"); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("read after Close: %v", err)
	}
	if err := tbl.AddInt64("n", nil, nil); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("add after Close: %v", err)
	}
	if tbl.NumRows() != 0 || tbl.Columns() != nil {
		t.Fatal("accessors after Close")
	}
	var nilTable *Table
	if err := nilTable.Close(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := nilTable.Int64Column("a"); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("nil table: %v", err)
	}
}

const csvSample = `id,name,score,ok,when
1,alice,1.5,true,2024-01-01T00:00:00Z
2,"bob, the ""builder""",NA,false,2024-01-02 12:00:00
3,,2.25,,
4,"multi
line",-1e3,true,2024-01-03
5,eve,0,false,2024-01-04T05:06:07Z
6,mallory,7,TRUE,2024-02-29
7,trent,8.5,False,2024-03-01
`

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readAllChunks(t *testing.T, r *CSVReader) []*Table {
	t.Helper()
	var chunks []*Table
	for {
		c, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		chunks = append(chunks, c)
	}
	if c, err := r.Next(); c != nil || err != io.EOF {
		t.Fatalf("Next after the end = %v, %v", c, err)
	}
	return chunks
}

// columnsOf reads every column of tables (concatenated) as strings, for comparisons.
func columnsOf(t *testing.T, tables ...*Table) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, tbl := range tables {
		for _, c := range tbl.Columns() {
			var vals []string
			var valid []bool
			var err error
			switch c.Type {
			case TypeString:
				vals, valid, err = tbl.StringColumn(c.Name)
			case TypeFloat64:
				var f []float64
				f, valid, err = tbl.Float64Column(c.Name)
				for _, x := range f {
					vals = append(vals, strconv.FormatFloat(x, 'g', -1, 64))
				}
			case TypeInt64, TypeTimestamp:
				var n []int64
				n, valid, err = tbl.int64s(c.Name, c.Type)
				for _, x := range n {
					vals = append(vals, strconv.FormatInt(x, 10))
				}
			case TypeBool:
				var b []bool
				b, valid, err = tbl.BoolColumn(c.Name)
				for _, x := range b {
					vals = append(vals, map[bool]string{true: "T", false: "F"}[x])
				}
			}
			if err != nil {
				t.Fatal(err)
			}
			for i := range vals {
				if !valid[i] {
					vals[i] = "<null>"
				}
			}
			out[c.Name] = append(out[c.Name], vals...)
		}
	}
	return out
}

func TestCSVStreamingMatchesReadCSV(t *testing.T) {
	path := writeFile(t, "sample.csv", csvSample)
	whole, err := ReadCSV(nil, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	wantCols := []ColumnInfo{{"id", TypeInt64}, {"name", TypeString}, {"score", TypeFloat64}, {"ok", TypeBool},
		{"when", TypeTimestamp}}
	if got := whole.Columns(); !reflect.DeepEqual(got, wantCols) || whole.NumRows() != 7 {
		t.Fatalf("ReadCSV columns %v, %d rows", got, whole.NumRows())
	}
	names, _, _ := whole.StringColumn("name")
	if names[1] != `bob, the "builder"` || names[3] != "multi\nline" {
		t.Fatalf("quoted fields: %q", names)
	}
	for _, chunkRows := range []int{1, 2, 3, 7, 100} {
		r, err := OpenCSV(nil, path, &CSVOptions{ChunkRows: chunkRows, InferRows: InferAllRows})
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Columns(); !reflect.DeepEqual(got, wantCols) {
			t.Fatalf("reader columns %v", got)
		}
		chunks := readAllChunks(t, r)
		if want := (7 + chunkRows - 1) / chunkRows; len(chunks) != want {
			t.Errorf("chunk rows %d: %d chunks, want %d", chunkRows, len(chunks), want)
		}
		for _, c := range chunks[:len(chunks)-1] {
			if c.NumRows() != chunkRows {
				t.Errorf("chunk of %d rows, want %d", c.NumRows(), chunkRows)
			}
		}
		if r.RowsRead() != 7 {
			t.Errorf("RowsRead = %d", r.RowsRead())
		}
		if got, want := columnsOf(t, chunks...), columnsOf(t, whole); !reflect.DeepEqual(got, want) {
			t.Fatalf("chunk rows %d: streamed %v\nwhole %v", chunkRows, got, want)
		}
		r.Close()
		r.Close()
		if _, err := r.Next(); !IsErrorCode(err, ErrInvalid) {
			t.Fatalf("Next after Close: %v", err)
		}
		// Chunks outlive their reader.
		if chunks[0].NumRows() == 0 {
			t.Fatal("chunk emptied by the reader's Close")
		}
	}
	// From memory, with the same result.
	r, err := OpenCSVBytes(nil, []byte(csvSample), &CSVOptions{ChunkRows: 4})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if got, want := columnsOf(t, readAllChunks(t, r)...), columnsOf(t, whole); !reflect.DeepEqual(got, want) {
		t.Fatalf("OpenCSVBytes: %v\nwant %v", got, want)
	}
}

func TestCSVOptions(t *testing.T) {
	text := "1; x ;NULL\n2; ? ;3\n"
	opts := &CSVOptions{NoHeader: true, Names: []string{"a", "b", "c"}, Delimiter: ';', SkipInitialSpace: true,
		NAValues: []string{"NULL"}, Types: []ColumnType{TypeInt64, TypeString, TypeFloat64}, SourceName: "mem.csv"}
	r, err := OpenCSVBytes(nil, []byte(text), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := columnsOf(t, readAllChunks(t, r)...)
	want := map[string][]string{"a": {"1", "2"}, "b": {"x ", "? "}, "c": {"<null>", "3"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	// NAValues non-nil and empty: no NA token at all, so "" and "NA" are strings.
	r2, err := OpenCSVBytes(nil, []byte("s\nNA\n\"\"\nx\n"), &CSVOptions{NAValues: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	defer r2.Close()
	if got := columnsOf(t, readAllChunks(t, r2)...); !reflect.DeepEqual(got["s"], []string{"NA", "", "x"}) {
		t.Fatalf("no NA tokens: %q", got["s"])
	}
	// Default NA tokens.
	r3, err := OpenCSVBytes(nil, []byte("s\nNA\n?\nx\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r3.Close()
	if got := columnsOf(t, readAllChunks(t, r3)...); !reflect.DeepEqual(got["s"], []string{"<null>", "<null>", "x"}) {
		t.Fatalf("default NA tokens: %q", got["s"])
	}

	for what, o := range map[string]*CSVOptions{
		"delimiter not ASCII": {Delimiter: 'é'},
		"delimiter newline":   {Delimiter: '\n'},
		"infer rows":          {InferRows: -2},
		"chunk rows":          {ChunkRows: -1},
		"no names":            {NoHeader: true},
		"nul in name":         {NoHeader: true, Names: []string{"a\x00"}},
		"types count":         {NoHeader: true, Names: []string{"a"}, Types: []ColumnType{TypeInt64, TypeInt64}},
	} {
		r, err := OpenCSVBytes(nil, []byte("1\n"), o)
		if err == nil {
			r.Close()
		}
		if !IsErrorCode(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", what, err)
		}
	}
}

func TestCSVErrors(t *testing.T) {
	ragged := "a,b,c\n1,2,3\n4,5,6\n7,8\n"
	path := writeFile(t, "ragged.csv", ragged)
	_, err := ReadCSV(nil, path, nil)
	var e *Error
	if !errors.As(err, &e) || e.Code != ErrFormat {
		t.Fatalf("ReadCSV(ragged) = %v, want *Error ErrFormat", err)
	}
	if !strings.Contains(e.Message, path) || !strings.Contains(e.Message, ":4") {
		t.Errorf("message %q does not name %s and line 4", e.Message, path)
	}
	// Streaming: the error comes from the chunk holding the bad row, and repeats.
	r, err := OpenCSV(nil, path, &CSVOptions{ChunkRows: 1, InferRows: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var rows int
	for {
		c, err := r.Next()
		if err != nil {
			if !IsErrorCode(err, ErrFormat) || !strings.Contains(err.Error(), ":4") {
				t.Fatalf("Next: %v, want ErrFormat at line 4", err)
			}
			if _, err2 := r.Next(); !IsErrorCode(err2, ErrFormat) {
				t.Fatalf("Next after an error: %v", err2)
			}
			break
		}
		rows += c.NumRows()
		c.Close()
	}
	if rows != 2 {
		t.Errorf("%d rows before the error, want 2", rows)
	}
	// A value that does not parse as its given type names the column.
	typed, err := OpenCSVBytes(nil, []byte("n\n1\nabc\n"), &CSVOptions{Types: []ColumnType{TypeInt64}, SourceName: "typed.csv"})
	if err == nil { // with explicit types, the rows are parsed by Next
		defer typed.Close()
		_, err = typed.Next()
	}
	if !IsErrorCode(err, ErrFormat) || !strings.Contains(err.Error(), "typed.csv:3") || !strings.Contains(err.Error(), "'n'") {
		t.Errorf("type error = %v", err)
	}
	if _, err := OpenCSV(nil, filepath.Join(t.TempDir(), "missing.csv"), nil); !IsErrorCode(err, ErrNotFound) {
		t.Errorf("missing file: %v", err)
	}
}

func TestAdultCSV(t *testing.T) {
	tbl, err := ReadCSV(nil, adultTrain, adultCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Close()
	if tbl.NumRows() != 32561 || !reflect.DeepEqual(tbl.ColumnNames(), adultNames) {
		t.Fatalf("%d rows, columns %v", tbl.NumRows(), tbl.ColumnNames())
	}
	if typ, _ := tbl.ColumnType("age"); typ != TypeInt64 {
		t.Errorf("age is %v", typ)
	}
	wc, valid, err := tbl.StringColumn("workclass")
	if err != nil || wc[0] != "State-gov" {
		t.Fatalf("workclass[0] = %q, %v", wc[0], err)
	}
	var nulls int
	for _, v := range valid {
		if !v {
			nulls++
		}
	}
	if n, _ := tbl.NullCount("workclass"); n != nulls || nulls != 1836 {
		t.Errorf("workclass nulls: %d by validity, %d by NullCount, want 1836", nulls, n)
	}
}

// Tables may be read from several goroutines at once, and closed while in use elsewhere.
func TestTableConcurrentReads(t *testing.T) {
	tbl, err := NewTable(nil)
	if err != nil {
		t.Fatal(err)
	}
	vals := make([]float64, 1000)
	for i := range vals {
		vals[i] = float64(i)
	}
	if err := tbl.AddFloat64("v", vals, nil); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				v, _, err := tbl.Float64Column("v")
				if err != nil {
					if !IsErrorCode(err, ErrInvalid) { // closed meanwhile
						t.Error(err)
					}
					return
				}
				if v[999] != 999 {
					t.Error("bad value")
					return
				}
				runtime.Gosched()
			}
		}()
	}
	tbl.Close()
	wg.Wait()
}
