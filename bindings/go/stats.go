package cogniforge

/*
#include <stdlib.h>
#include <cogniforge/cogniforge.h>

static cf_stats_options cfgo_stats_defaults(void) { cf_stats_options o = CF_STATS_OPTIONS_INIT; return o; }
static cf_profile_options cfgo_profile_defaults(void) { cf_profile_options o = CF_PROFILE_OPTIONS_INIT; return o; }
*/
import "C"

import (
	"math"
	"runtime"
	"sync"
	"unsafe"
)

// StatsOptions are the sketch options of NewStatsWithOptions. Zero fields select the library defaults. Two
// Stats merge only when their options are equal.
type StatsOptions struct {
	HLLPrecision     int    // HyperLogLog registers = 2^p, p in [4, 18]; 0: 14 (standard error 0.81%)
	ExactDistinctMax int    // exact value counts are kept while a column has at most this many distinct values; 0: 1000
	TopK             int    // Misra-Gries counters per column; 0: 100
	KLLK             int    // KLL quantile sketch size parameter; 0: 200 (rank error about 1.65%)
	Seed             uint64 // seed of the KLL compaction coin
}

// Stats are mergeable per-column statistics (the C cf_stats): exact counts, extremes, sums, mean and M2,
// string lengths, plus distinct-count, top-k and quantile sketches. Partial statistics of shards merge into
// those of the whole and serialise to msgpack (MarshalBinary, UnmarshalStats).
//
// The methods of a Stats are serialised by a mutex, so a Stats may be shared between goroutines. Close is
// idempotent.
type Stats struct {
	op  sync.Mutex // held during every C call on the statistics (even reads update caches in C)
	obj cobj[C.cf_stats]
	ctx *Context
}

// NewStats creates empty statistics with the default options; ctx may be nil. The first Update fixes the
// column names and types.
func NewStats(ctx *Context) (*Stats, error) { return NewStatsWithOptions(ctx, nil) }

// NewStatsWithOptions creates empty statistics; opts may be nil for the defaults. Out-of-range options are
// an ErrInvalid.
func NewStatsWithOptions(ctx *Context, opts *StatsOptions) (*Stats, error) {
	co := C.cfgo_stats_defaults()
	if opts != nil {
		for _, f := range []struct {
			v    int
			name string
		}{{opts.HLLPrecision, "HLLPrecision"}, {opts.ExactDistinctMax, "ExactDistinctMax"}, {opts.TopK, "TopK"},
			{opts.KLLK, "KLLK"}} {
			if f.v < 0 {
				return nil, newError(ErrInvalid, "StatsOptions.%s: %d is negative", f.name, f.v)
			}
		}
		if opts.HLLPrecision > 0 {
			co.hll_precision = C.uint(opts.HLLPrecision)
		}
		if opts.ExactDistinctMax > 0 {
			co.exact_distinct_max = C.size_t(opts.ExactDistinctMax)
		}
		if opts.TopK > 0 {
			co.topk = C.size_t(opts.TopK)
		}
		if opts.KLLK > 0 {
			co.kll_k = C.uint(opts.KLLK)
		}
		co.seed = C.uint64_t(opts.Seed)
	}
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var p *C.cf_stats
	if rc := C.cf_stats_create(&p, c, &co); rc < 0 {
		err := makeError(rc)
		ctx.release()
		return nil, err
	}
	return wrapStats(p, ctx), nil
}

func wrapStats(p *C.cf_stats, ctx *Context) *Stats {
	s := &Stats{ctx: ctx}
	s.obj.ptr = p
	runtime.SetFinalizer(s, (*Stats).Close)
	return s
}

// UnmarshalStats reads statistics serialised by MarshalBinary (msgpack, docs/formats.md), with the C
// library's default context. Malformed or truncated input is an ErrFormat naming what and where; a newer
// format is an ErrVersion.
func UnmarshalStats(data []byte) (*Stats, error) { return UnmarshalStatsContext(nil, data) }

// UnmarshalStatsContext is UnmarshalStats with a context (nil for the defaults).
func UnmarshalStatsContext(ctx *Context, data []byte) (*Stats, error) {
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	var d unsafe.Pointer
	if len(data) > 0 {
		d = unsafe.Pointer(&data[0]) // read during the call only
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var p *C.cf_stats
	if rc := C.cf_stats_from_msgpack(&p, c, d, C.size_t(len(data))); rc < 0 {
		err := makeError(rc)
		ctx.release()
		return nil, err
	}
	return wrapStats(p, ctx), nil
}

// Close frees the statistics. It is idempotent and always returns nil.
func (s *Stats) Close() error {
	if s == nil {
		return nil
	}
	s.obj.closeOwner(s, s.free)
	return nil
}

func (s *Stats) free(p *C.cf_stats) {
	C.cf_stats_free(p)
	s.ctx.release()
	s.ctx = nil
}

// call runs f with the C statistics, holding the mutex, on a locked OS thread; a negative return of f
// becomes an *Error.
func (s *Stats) call(f func(p *C.cf_stats) C.int) error {
	if s == nil {
		return newError(ErrInvalid, "nil *cogniforge.Stats")
	}
	return s.obj.with(&s.op, "Stats", s.free, func(p *C.cf_stats) error { return check(f(p)) })
}

// Update adds a table's rows. Every table must have the columns (names and types) of the first; otherwise
// the error is an ErrInvalid naming the difference.
func (s *Stats) Update(t *Table) error {
	if s == nil {
		return newError(ErrInvalid, "nil *cogniforge.Stats")
	}
	return s.obj.with(&s.op, "Stats", s.free, func(p *C.cf_stats) error {
		tp, err := t.use()
		if err != nil {
			return err
		}
		defer t.done()
		return check(C.cf_stats_update(p, tp))
	})
}

// Merge adds src's statistics to s, as if s had also seen src's rows (after its own). The schemas and the
// sketch options must be equal (ErrInvalid otherwise). src is unchanged; s.Merge(s) doubles s.
func (s *Stats) Merge(src *Stats) error {
	if s == nil || src == nil {
		return newError(ErrInvalid, "nil *cogniforge.Stats")
	}
	if s == src {
		return s.call(func(p *C.cf_stats) C.int { return C.cf_stats_merge(p, p) })
	}
	// Lock both in a fixed (address) order, so that a.Merge(b) and b.Merge(a) cannot deadlock.
	first, second := s, src
	if uintptr(unsafe.Pointer(src)) < uintptr(unsafe.Pointer(s)) {
		first, second = src, s
	}
	first.op.Lock()
	defer first.op.Unlock()
	second.op.Lock()
	defer second.op.Unlock()
	dp, err := s.obj.acquire("Stats")
	if err != nil {
		return err
	}
	defer s.obj.release(s.free)
	sp, err := src.obj.acquire("Stats")
	if err != nil {
		return err
	}
	defer src.obj.release(src.free)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if rc := C.cf_stats_merge(dp, sp); rc < 0 {
		return makeError(rc)
	}
	return nil
}

// MarshalBinary serialises the statistics to msgpack (docs/formats.md); UnmarshalStats reads it back.
func (s *Stats) MarshalBinary() ([]byte, error) {
	var out []byte
	err := s.call(func(p *C.cf_stats) C.int {
		var b C.cf_buf
		rc := C.cf_stats_to_msgpack(&b, p)
		if rc == 0 {
			out = takeBuf(&b)
		}
		return rc
	})
	return out, err
}

// JSON renders the statistics as human-readable JSON (every column's exact fields, distinct estimate, top-k
// and quantiles).
func (s *Stats) JSON() ([]byte, error) {
	var out []byte
	err := s.call(func(p *C.cf_stats) C.int {
		var b C.cf_buf
		rc := C.cf_stats_to_json(&b, p)
		if rc == 0 {
			out = takeBuf(&b)
		}
		return rc
	})
	return out, err
}

// NumRows is the number of rows seen (0 after Close).
func (s *Stats) NumRows() uint64 {
	var n uint64
	if s.call(func(p *C.cf_stats) C.int { n = uint64(C.cf_stats_num_rows(p)); return 0 }) != nil {
		return 0
	}
	return n
}

// NumColumns is the number of columns (0 before the first Update, and after Close).
func (s *Stats) NumColumns() int {
	var n int
	if s.call(func(p *C.cf_stats) C.int { n = int(C.cf_stats_num_columns(p)); return 0 }) != nil {
		return 0
	}
	return n
}

// ValueCount is one value of a column and its count, from the exact counts or the top-k sketch.
type ValueCount struct {
	String string  // the value of a string column
	Number float64 // the value of a numeric, bool (0/1) or timestamp (microseconds) column
	Count  uint64  // the exact count, or the Misra-Gries lower bound
	Error  uint64  // 0 when exact; otherwise the count may be up to Count + Error
}

// ColumnStats are one column's statistics.
type ColumnStats struct {
	Name             string
	Type             ColumnType
	Count            uint64       // rows
	NullCount        uint64       // null rows (NaN included)
	Min, Max         float64      // over non-null values of numeric, bool and timestamp columns; NaN if none
	MinInt, MaxInt   int64        // int64, bool and timestamp columns: the exact extremes (0 if none)
	Sum              float64      // sum of non-null values (numeric and bool columns)
	Mean             float64      // mean of non-null values; NaN if none
	M2               float64      // sum of squared deviations from the mean
	MinLength        uint64       // string columns: shortest value, in code points
	MaxLength        uint64       // string columns: longest value, in code points
	MinString        string       // string columns: byte-order minimum
	MaxString        string       // string columns: byte-order maximum
	Distinct         float64      // distinct non-null values: exact when DistinctExact, else a HyperLogLog estimate
	DistinctExact    bool         // the exact value counts are still held
	DistinctRelError float64      // standard error of the estimate; 0 when exact
	Values           []ValueCount // every value with its exact count (most frequent first), or top-k candidates
}

// Variance is the sample variance (ddof 1, as pandas) of the non-null values; NaN with fewer than two.
func (c ColumnStats) Variance() float64 {
	n := c.Count - c.NullCount
	if n < 2 {
		return math.NaN()
	}
	return c.M2 / float64(n-1)
}

// Stddev is the sample standard deviation (ddof 1) of the non-null values.
func (c ColumnStats) Stddev() float64 { return math.Sqrt(c.Variance()) }

// Column returns the statistics of column i (ErrInvalid when out of range).
func (s *Stats) Column(i int) (ColumnStats, error) {
	var cs ColumnStats
	if i < 0 {
		return cs, newError(ErrInvalid, "Stats.Column: column %d is out of range", i)
	}
	err := s.call(func(p *C.cf_stats) C.int {
		var c C.cf_column_stats
		if rc := C.cf_stats_column(&c, p, C.size_t(i)); rc < 0 {
			return rc
		}
		cs = ColumnStats{
			Name: C.GoString(c.name), Type: ColumnType(c._type), Count: uint64(c.count),
			NullCount: uint64(c.null_count), Min: float64(c.min), Max: float64(c.max),
			MinInt: int64(c.min_int), MaxInt: int64(c.max_int), Sum: float64(c.sum), Mean: float64(c.mean),
			M2: float64(c.m2), MinLength: uint64(c.min_length), MaxLength: uint64(c.max_length),
			MinString: goStringOrEmpty(c.min_string), MaxString: goStringOrEmpty(c.max_string),
			Distinct: float64(c.distinct), DistinctExact: c.distinct_exact != 0,
			DistinctRelError: float64(c.distinct_rel_error),
		}
		if n := int(c.values_count); n > 0 {
			cs.Values = make([]ValueCount, n)
			for k, v := range unsafe.Slice(c.values, n) {
				cs.Values[k] = ValueCount{String: goStringOrEmpty(v.string), Number: float64(v.number),
					Count: uint64(v.count), Error: uint64(v.error)}
			}
		}
		return 0
	})
	return cs, err
}

// ColumnIndex finds a column by name (ErrNotFound when there is none).
func (s *Stats) ColumnIndex(name string) (int, error) {
	cname, err := cString(name, "column name")
	if err != nil {
		return 0, err
	}
	defer C.free(unsafe.Pointer(cname))
	var idx C.size_t
	err = s.call(func(p *C.cf_stats) C.int { return C.cf_stats_column_index(&idx, p, cname) })
	return int(idx), err
}

// Quantile estimates the q-quantile (q in [0, 1]) of numeric, bool or timestamp column col from its KLL
// sketch (exact while the sketch has not compacted); its rank is within QuantileRankError()·n of q·n.
// ErrInvalid for a bad column or q or a string column, ErrNotFound when the column has no values.
func (s *Stats) Quantile(col int, q float64) (float64, error) {
	if col < 0 {
		return 0, newError(ErrInvalid, "Stats.Quantile: column %d is out of range", col)
	}
	var out C.double
	err := s.call(func(p *C.cf_stats) C.int { return C.cf_stats_quantile(&out, p, C.size_t(col), C.double(q)) })
	return float64(out), err
}

// QuantileRankError is the normalised rank error bound of the quantile sketch (e.g. 0.0165 for the default
// options); NaN after Close.
func (s *Stats) QuantileRankError() float64 {
	e := math.NaN()
	_ = s.call(func(p *C.cf_stats) C.int { e = float64(C.cf_stats_quantile_rank_error(p)); return 0 })
	return e
}

// Profile infers an expectation suite (Great Expectations 1.x JSON) from reference statistics: columns in
// order, types, not-null with `mostly`, ranges, value sets of low-cardinality columns, string lengths and a
// row-count band, with the C library's default tolerances. name is the suite name ("" for "profiled").
// ParseSuite loads the result.
func Profile(stats *Stats, name string) ([]byte, error) {
	var cname *C.char
	if name != "" {
		var err error
		if cname, err = cString(name, "suite name"); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(cname))
	}
	var out []byte
	err := stats.call(func(p *C.cf_stats) C.int {
		opts := C.cfgo_profile_defaults()
		opts.suite_name = cname
		var b C.cf_buf
		rc := C.cf_profile(&b, p, &opts)
		if rc == 0 {
			out = takeBuf(&b)
		}
		return rc
	})
	return out, err
}
