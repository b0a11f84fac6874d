package cogniforge

/*
#include <stdlib.h>
#include <cogniforge/cogniforge.h>

static cf_validate_options cfgo_validate_defaults(void) { cf_validate_options o = CF_VALIDATE_OPTIONS_INIT; return o; }
*/
import "C"

import (
	"encoding/json"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// Spelling selects the Great Expectations JSON spelling of a suite or a result.
type Spelling int

// Spellings, mirroring cf_ge_spelling.
const (
	SpellingAuto Spelling = C.CF_GE_SPELLING_AUTO // the spelling the suite was written in
	SpellingV0   Spelling = C.CF_GE_SPELLING_V0   // 0.x: expectation_suite_name, expectation_type, evaluation_parameters
	SpellingV1   Spelling = C.CF_GE_SPELLING_V1   // 1.x: name, type, suite_parameters
)

func (s Spelling) String() string {
	switch s {
	case SpellingAuto:
		return "auto"
	case SpellingV0:
		return "v0"
	case SpellingV1:
		return "v1"
	}
	return "Spelling(" + strconv.Itoa(int(s)) + ")"
}

func (s Spelling) toC() (C.cf_ge_spelling, error) {
	switch s {
	case SpellingAuto, SpellingV0, SpellingV1:
		return C.cf_ge_spelling(s), nil
	}
	return 0, newError(ErrInvalid, "unknown spelling %d", int(s))
}

// Suite is a parsed expectation suite (Great Expectations JSON, 0.x or 1.x spelling): the C cf_suite.
//
// The C library does not promise that a suite may be used by several threads at once, so the calls that use
// one Suite (validations with it, JSON) are serialised by a mutex: to validate in parallel, give each
// goroutine its own Suite (ParseSuite of the same text). Close is idempotent and safe from any goroutine; a
// Suite closed while a Validation uses it is freed when that Validation is closed.
type Suite struct {
	op    sync.Mutex // held during every C call that uses the suite
	obj   cobj[C.cf_suite]
	ctx   *Context
	name  string
	types []string
}

// LoadSuite loads a suite from a JSON file. Errors: ErrNotFound/ErrIO for the file; ErrFormat for malformed
// JSON (line and column named) or a malformed suite (the expectation and kwarg named).
func LoadSuite(path string) (*Suite, error) { return loadSuite(nil, path) }

func loadSuite(ctx *Context, path string) (*Suite, error) {
	cpath, err := cString(path, "path")
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cpath))
	return newSuite(ctx, func(out **C.cf_suite, c *C.cf_context) C.int { return C.cf_suite_load(out, c, cpath) })
}

// ParseSuite parses a suite from its JSON text; name (may be "") names the text in error messages.
func ParseSuite(text []byte, name string) (*Suite, error) {
	var cname *C.char
	if name != "" {
		var err error
		if cname, err = cString(name, "source name"); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(cname))
	}
	var p *C.char
	if len(text) > 0 {
		p = (*C.char)(unsafe.Pointer(&text[0])) // read during the call only
	}
	return newSuite(nil, func(out **C.cf_suite, c *C.cf_context) C.int {
		return C.cf_suite_parse(out, c, p, C.size_t(len(text)), cname)
	})
}

func newSuite(ctx *Context, load func(**C.cf_suite, *C.cf_context) C.int) (*Suite, error) {
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var p *C.cf_suite
	if rc := load(&p, c); rc < 0 {
		err := makeError(rc)
		ctx.release()
		return nil, err
	}
	s := &Suite{ctx: ctx, name: C.GoString(C.cf_suite_name(p))}
	s.obj.ptr = p
	s.types = make([]string, int(C.cf_suite_size(p)))
	for i := range s.types {
		s.types[i] = goStringOrEmpty(C.cf_suite_expectation_type(p, C.size_t(i)))
	}
	runtime.SetFinalizer(s, (*Suite).Close)
	return s, nil
}

// Name is the suite's name.
func (s *Suite) Name() string { return s.name }

// Len is the number of expectations.
func (s *Suite) Len() int { return len(s.types) }

// ExpectationType is the type of expectation i (e.g. "expect_column_values_to_not_be_null"); "" when out of
// range.
func (s *Suite) ExpectationType(i int) string {
	if i < 0 || i >= len(s.types) {
		return ""
	}
	return s.types[i]
}

// JSON writes the suite as GX JSON in the given spelling (SpellingAuto: the one it was written in).
func (s *Suite) JSON(spelling Spelling) ([]byte, error) {
	sp, err := spelling.toC()
	if err != nil {
		return nil, err
	}
	p, err := s.acquire()
	if err != nil {
		return nil, err
	}
	defer s.release()
	s.op.Lock()
	defer s.op.Unlock()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var b C.cf_buf
	if rc := C.cf_suite_to_json(&b, p, sp); rc < 0 {
		return nil, makeError(rc)
	}
	return takeBuf(&b), nil
}

func (s *Suite) acquire() (*C.cf_suite, error) {
	if s == nil {
		return nil, newError(ErrInvalid, "nil *cogniforge.Suite")
	}
	return s.obj.acquire("Suite")
}

func (s *Suite) release() { s.obj.release(s.free) }

// Close frees the suite (or, while a Validation uses it, lets that Validation's Close free it). It is
// idempotent and always returns nil.
func (s *Suite) Close() error {
	if s == nil {
		return nil
	}
	s.obj.closeOwner(s, s.free)
	return nil
}

func (s *Suite) free(p *C.cf_suite) {
	C.cf_suite_free(p)
	s.ctx.release()
	s.ctx = nil
}

// ValidateOptions are the options of a validation. A nil *ValidateOptions, like the zero value, selects the
// defaults.
type ValidateOptions struct {
	Now                    time.Time      // the time now() returns in $PARAMETER expressions; zero: the clock
	SkipUnknown            bool           // report unknown expectation types as skipped (the run then fails) instead of an error
	ResultFormat           string         // "BOOLEAN_ONLY", "BASIC", "SUMMARY" (default when "") or "COMPLETE", any case
	Parameters             map[string]any // suite parameters (JSON-encoded), overriding the suite's own
	Spelling               Spelling       // spelling of the result JSON; SpellingAuto follows the suite
	PartialUnexpectedCount int            // length of partial_unexpected_list: 0 the default (20), negative none
}

var resultFormats = map[string]C.cf_result_format{
	"BOOLEAN_ONLY": C.CF_RESULT_FORMAT_BOOLEAN_ONLY,
	"BASIC":        C.CF_RESULT_FORMAT_BASIC,
	"SUMMARY":      C.CF_RESULT_FORMAT_SUMMARY,
	"COMPLETE":     C.CF_RESULT_FORMAT_COMPLETE,
}

// validateOptions is a cf_validate_options (a Go allocation of its own, see csvOptions) and the C memory it
// points at.
type validateOptions struct {
	c      *C.cf_validate_options
	params *C.char
}

func (o *validateOptions) free() {
	if o.params != nil {
		C.free(unsafe.Pointer(o.params))
		o.params = nil
	}
}

func newValidateOptions(o *ValidateOptions) (*validateOptions, error) {
	vo := &validateOptions{c: new(C.cf_validate_options)}
	*vo.c = C.cfgo_validate_defaults()
	if o == nil {
		return vo, nil
	}
	if !o.Now.IsZero() {
		vo.c.now_us = C.int64_t(o.Now.UnixMicro())
	}
	if o.SkipUnknown {
		vo.c.skip_unknown = 1
	}
	if o.ResultFormat != "" {
		f, ok := resultFormats[strings.ToUpper(o.ResultFormat)]
		if !ok {
			return nil, newError(ErrInvalid, "ValidateOptions.ResultFormat: %q is not BOOLEAN_ONLY, BASIC, SUMMARY "+
				"or COMPLETE", o.ResultFormat)
		}
		vo.c.result_format = f
	}
	sp, err := o.Spelling.toC()
	if err != nil {
		return nil, err
	}
	vo.c.spelling = sp
	switch {
	case o.PartialUnexpectedCount > 0:
		vo.c.partial_unexpected_count = C.size_t(o.PartialUnexpectedCount)
	case o.PartialUnexpectedCount < 0:
		vo.c.partial_unexpected_count = 0
	}
	if o.Parameters != nil {
		js, err := json.Marshal(o.Parameters)
		if err != nil {
			return nil, newError(ErrInvalid, "ValidateOptions.Parameters: %v", err)
		}
		if vo.params, err = cString(string(js), "ValidateOptions.Parameters"); err != nil {
			return nil, err
		}
		vo.c.parameters_json = vo.params
	}
	return vo, nil
}

// ExpectationResult is the outcome of one expectation.
type ExpectationResult struct {
	Type             string // expectation type
	Column           string // the `column` kwarg, "" when none
	Success          bool
	Skipped          bool   // an unknown type, skipped under SkipUnknown
	RaisedException  bool   // e.g. a column the data lacks
	ExceptionMessage string // set when RaisedException or Skipped
	ElementCount     uint64 // map expectations: rows
	MissingCount     uint64 // map expectations: null rows
	UnexpectedCount  uint64 // map expectations: unexpected values
	// ObservedValue is the numeric observed value of an aggregate expectation; nil when there is none or it
	// is not a number (see Observed).
	ObservedValue *float64
	// Observed is the observed value as JSON (numbers, strings, lists), as in the result JSON; nil when the
	// expectation reports none.
	Observed json.RawMessage
}

// ValidationResult is the outcome of a validation: the summary, every expectation's result, and the Great
// Expectations validation-result JSON and JUnit XML (both rendered when the validation finished, so the
// result holds no C memory).
type ValidationResult struct {
	Success      bool // every evaluated expectation passed and none was skipped
	Evaluated    int
	Successful   int
	Unsuccessful int
	Skipped      int
	Rows         uint64 // rows validated
	Results      []ExpectationResult
	JSON         []byte // GX ExpectationSuiteValidationResult JSON
	junit        []byte
}

// JUnit is the JUnit XML report: one testsuite named after the suite, one testcase per expectation.
func (r *ValidationResult) JUnit() ([]byte, error) {
	if r == nil || r.junit == nil {
		return nil, newError(ErrInvalid, "ValidationResult has no JUnit report")
	}
	return append([]byte(nil), r.junit...), nil
}

// newResult reads a finished validation into Go memory (on a locked OS thread).
func newResult(v *C.cf_validation) (*ValidationResult, error) {
	var sum C.cf_validation_summary
	if rc := C.cf_validation_get_summary(&sum, v); rc < 0 {
		return nil, makeError(rc)
	}
	r := &ValidationResult{Success: sum.success != 0, Evaluated: int(sum.evaluated),
		Successful: int(sum.successful), Unsuccessful: int(sum.unsuccessful), Skipped: int(sum.skipped),
		Rows: uint64(sum.rows)}
	n := int(C.cf_validation_result_count(v))
	r.Results = make([]ExpectationResult, n)
	needObserved := false
	for i := range r.Results {
		var e C.cf_expectation_result
		if rc := C.cf_validation_result(&e, v, C.size_t(i)); rc < 0 {
			return nil, makeError(rc)
		}
		er := ExpectationResult{Type: goStringOrEmpty(e._type), Column: goStringOrEmpty(e.column),
			Success: e.success != 0, Skipped: e.skipped != 0, RaisedException: e.raised_exception != 0,
			ExceptionMessage: goStringOrEmpty(e.exception_message), ElementCount: uint64(e.element_count),
			MissingCount: uint64(e.missing_count), UnexpectedCount: uint64(e.unexpected_count)}
		if e.has_observed_value != 0 {
			if x := float64(e.observed_value); !math.IsNaN(x) {
				er.ObservedValue = &x
			}
		}
		if e.observed_json != nil {
			er.Observed = json.RawMessage(C.GoString(e.observed_json))
		} else if e.has_observed_value != 0 {
			needObserved = true
		}
		r.Results[i] = er
	}
	var b C.cf_buf
	if rc := C.cf_validation_to_json(&b, v); rc < 0 {
		return nil, makeError(rc)
	}
	r.JSON = takeBuf(&b)
	if rc := C.cf_validation_to_junit(&b, v); rc < 0 {
		return nil, makeError(rc)
	}
	r.junit = takeBuf(&b)
	if needObserved {
		r.fillObserved()
	}
	return r, nil
}

// fillObserved sets Observed, where the C record has an observed value but no observed_json, from the
// result JSON's results[i].result.observed_value (the C library writes the JSON in any case).
func (r *ValidationResult) fillObserved() {
	var doc struct {
		Results []struct {
			Result struct {
				Observed json.RawMessage `json:"observed_value"`
			} `json:"result"`
		} `json:"results"`
	}
	if json.Unmarshal(r.JSON, &doc) != nil || len(doc.Results) != len(r.Results) {
		return
	}
	for i := range r.Results {
		if r.Results[i].Observed == nil && len(doc.Results[i].Result.Observed) > 0 {
			r.Results[i].Observed = doc.Results[i].Result.Observed
		}
	}
}

// runValidation runs a one-call C validation with ctx and suite in use, converts opts, reads the result and
// frees the C validation.
func runValidation(ctx *Context, suite *Suite, opts *ValidateOptions,
	run func(out **C.cf_validation, c *C.cf_context, s *C.cf_suite, o *C.cf_validate_options) error,
) (*ValidationResult, error) {
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	defer ctx.release()
	sp, err := suite.acquire()
	if err != nil {
		return nil, err
	}
	defer suite.release()
	vo, err := newValidateOptions(opts)
	if err != nil {
		return nil, err
	}
	defer vo.free()
	suite.op.Lock()
	defer suite.op.Unlock()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var v *C.cf_validation
	if err := run(&v, c, sp, vo.c); err != nil {
		return nil, err
	}
	defer C.cf_validation_free(v)
	return newResult(v)
}

// Validate streams a CSV file (compressed or not) through a suite file in bounded memory: the C
// cf_validate_csv. ctx, csv and opts may be nil for the defaults. A failed expectation is not an error: it is
// reported in the result. Errors are those of LoadSuite, OpenCSV/CSVReader.Next (bad input: ErrFormat naming
// file, line and column) and of the options (ErrInvalid, e.g. an unknown expectation type without
// SkipUnknown).
func Validate(ctx *Context, dataPath, suitePath string, csv *CSVOptions, opts *ValidateOptions) (*ValidationResult, error) {
	suite, err := loadSuite(ctx, suitePath)
	if err != nil {
		return nil, err
	}
	defer suite.Close()
	cpath, err := cString(dataPath, "path")
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cpath))
	return runValidation(ctx, suite, opts, func(out **C.cf_validation, c *C.cf_context, s *C.cf_suite,
		o *C.cf_validate_options) error {
		co, err := newCSVOptions(csv) // here, on the locked thread: cf_csv_options_init may fail
		if err != nil {
			return err
		}
		defer co.free()
		return check(C.cf_validate_csv(out, c, s, cpath, co.c, o))
	})
}

// ValidateTable validates a table with a suite. ctx and opts may be nil.
func ValidateTable(ctx *Context, table *Table, suite *Suite, opts *ValidateOptions) (*ValidationResult, error) {
	return runValidation(ctx, suite, opts, func(out **C.cf_validation, c *C.cf_context, s *C.cf_suite,
		o *C.cf_validate_options) error {
		tp, err := table.use()
		if err != nil {
			return err
		}
		defer table.done()
		return check(C.cf_validate_table(out, c, s, tp, o))
	})
}

// ValidateStats evaluates a suite on (merged) statistics instead of rows: table-level and aggregate
// expectations are evaluated, row-level ones that need the values are reported as skipped with the reason
// (so the run does not succeed). ctx and opts may be nil.
func ValidateStats(ctx *Context, stats *Stats, suite *Suite, opts *ValidateOptions) (*ValidationResult, error) {
	if stats == nil {
		return nil, newError(ErrInvalid, "nil *cogniforge.Stats")
	}
	stats.op.Lock()
	defer stats.op.Unlock()
	stp, err := stats.obj.acquire("Stats")
	if err != nil {
		return nil, err
	}
	defer stats.obj.release(stats.free)
	return runValidation(ctx, suite, opts, func(out **C.cf_validation, c *C.cf_context, s *C.cf_suite,
		o *C.cf_validate_options) error {
		return check(C.cf_validate_stats(out, c, s, stp, o))
	})
}

// Validation is a validation fed chunk by chunk (for example the tables of a CSVReader), in bounded memory.
// It keeps its Suite and Context alive until Close. It is meant for one goroutine at a time; Close is
// idempotent.
type Validation struct {
	op     sync.Mutex
	obj    cobj[C.cf_validation]
	ctx    *Context
	suite  *Suite
	result *ValidationResult
}

// NewValidation starts a validation of suite; ctx and opts may be nil. Parameters are resolved here, so a bad
// $PARAMETER expression or an unknown expectation type (without SkipUnknown) is an ErrInvalid now.
func NewValidation(ctx *Context, suite *Suite, opts *ValidateOptions) (*Validation, error) {
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	sp, err := suite.acquire()
	if err != nil {
		ctx.release()
		return nil, err
	}
	vo, err := newValidateOptions(opts)
	if err != nil {
		suite.release()
		ctx.release()
		return nil, err
	}
	defer vo.free()
	suite.op.Lock()
	defer suite.op.Unlock()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var p *C.cf_validation
	if rc := C.cf_validation_begin(&p, c, sp, vo.c); rc < 0 {
		err := makeError(rc)
		suite.release()
		ctx.release()
		return nil, err
	}
	v := &Validation{ctx: ctx, suite: suite}
	v.obj.ptr = p
	runtime.SetFinalizer(v, (*Validation).Close)
	return v, nil
}

// Update feeds a chunk of rows. Every chunk must have the columns (names and types) of the first
// (ErrInvalid otherwise); after Finish, Update is an ErrInvalid.
func (v *Validation) Update(t *Table) error {
	if v == nil {
		return newError(ErrInvalid, "nil *cogniforge.Validation")
	}
	v.op.Lock()
	defer v.op.Unlock()
	p, err := v.obj.acquire("Validation")
	if err != nil {
		return err
	}
	defer v.obj.release(v.free)
	v.suite.op.Lock() // the validation reads its suite
	defer v.suite.op.Unlock()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	tp, err := t.use()
	if err != nil {
		return err
	}
	defer t.done()
	if rc := C.cf_validation_update(p, tp); rc < 0 {
		return makeError(rc)
	}
	return nil
}

// Finish computes the verdicts and returns the result; calling it again returns the same result.
func (v *Validation) Finish() (*ValidationResult, error) {
	if v == nil {
		return nil, newError(ErrInvalid, "nil *cogniforge.Validation")
	}
	v.op.Lock()
	defer v.op.Unlock()
	if v.result != nil {
		return v.result, nil
	}
	p, err := v.obj.acquire("Validation")
	if err != nil {
		return nil, err
	}
	defer v.obj.release(v.free)
	v.suite.op.Lock()
	defer v.suite.op.Unlock()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if rc := C.cf_validation_finish(p); rc < 0 {
		return nil, makeError(rc)
	}
	r, err := newResult(p)
	if err != nil {
		return nil, err
	}
	v.result = r
	return r, nil
}

// Close frees the validation and releases its Suite and Context. It is idempotent and always returns nil.
func (v *Validation) Close() error {
	if v == nil {
		return nil
	}
	v.obj.closeOwner(v, v.free)
	return nil
}

func (v *Validation) free(p *C.cf_validation) {
	C.cf_validation_free(p)
	v.suite.release()
	v.suite = nil
	v.ctx.release()
	v.ctx = nil
}
