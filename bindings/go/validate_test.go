package cogniforge

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

var (
	adultDir   = filepath.Join("..", "..", "data", "adult")
	adultTrain = filepath.Join(adultDir, "adult-train.csv.zst")
	adultTest  = filepath.Join(adultDir, "adult-test.csv.zst")
	adultSuite = filepath.Join(adultDir, "suite.json")
	adultNames = []string{"age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
		"occupation", "relationship", "race", "sex", "capital-gain", "capital-loss", "hours-per-week",
		"native-country", "income"}
	adultCSV = &CSVOptions{NoHeader: true, Names: adultNames, SkipInitialSpace: true}
)

// checkResultJSON parses a result's GX JSON and checks it agrees with the Go summary.
func checkResultJSON(t *testing.T, r *ValidationResult) map[string]any {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(r.JSON, &doc); err != nil {
		t.Fatalf("result JSON does not parse: %v\n%.500s", err, r.JSON)
	}
	if doc["success"] != r.Success {
		t.Errorf("JSON success %v, summary %v", doc["success"], r.Success)
	}
	stats, _ := doc["statistics"].(map[string]any)
	if stats["evaluated_expectations"] != float64(r.Evaluated) ||
		stats["successful_expectations"] != float64(r.Successful) ||
		stats["unsuccessful_expectations"] != float64(r.Unsuccessful) {
		t.Errorf("JSON statistics %v, summary %+v", stats, r)
	}
	if res, _ := doc["results"].([]any); len(res) != len(r.Results) {
		t.Errorf("JSON has %d results, Go %d", len(res), len(r.Results))
	}
	return doc
}

func checkJUnit(t *testing.T, r *ValidationResult) {
	t.Helper()
	junit, err := r.JUnit()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
		} `xml:"testsuite>testcase"`
	}
	if err := xml.Unmarshal(junit, &doc); err != nil {
		// Some writers omit the <testsuites> root: try the suite as the root.
		var alt struct {
			Cases []struct {
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		}
		if err2 := xml.Unmarshal(junit, &alt); err2 != nil {
			t.Fatalf("JUnit does not parse: %v\n%.500s", err, junit)
		}
		doc.Cases = make([]struct {
			Name    string    `xml:"name,attr"`
			Failure *struct{} `xml:"failure"`
		}, len(alt.Cases))
		for i := range alt.Cases {
			doc.Cases[i].Failure = alt.Cases[i].Failure
		}
	}
	if len(doc.Cases) != len(r.Results) {
		t.Fatalf("JUnit has %d testcases, want %d\n%.800s", len(doc.Cases), len(r.Results), junit)
	}
	failures := 0
	for _, c := range doc.Cases {
		if c.Failure != nil {
			failures++
		}
	}
	if failures != r.Unsuccessful {
		t.Errorf("JUnit has %d failures, result %d unsuccessful", failures, r.Unsuccessful)
	}
}

// summary prints a result without its JSON.
func summary(r *ValidationResult) string {
	return fmt.Sprintf("success %v evaluated %d successful %d unsuccessful %d skipped %d rows %d failed %v",
		r.Success, r.Evaluated, r.Successful, r.Unsuccessful, r.Skipped, r.Rows, failedExpectations(r))
}

func failedExpectations(r *ValidationResult) []string {
	var out []string
	for _, e := range r.Results {
		if !e.Success {
			out = append(out, e.Type+"("+e.Column+")")
		}
	}
	return out
}

func TestValidateAdultTrain(t *testing.T) {
	ctx, err := NewContext(&ContextOptions{Device: DeviceCPU})
	if err != nil {
		t.Fatal(err)
	}
	defer ctx.Close()
	r, err := Validate(ctx, adultTrain, adultSuite, adultCSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Success || r.Unsuccessful != 0 || r.Skipped != 0 {
		t.Errorf("adult train: success %v, failed %v", r.Success, failedExpectations(r))
	}
	if r.Rows != 32561 || r.Evaluated != len(r.Results) || r.Evaluated == 0 || r.Successful+r.Unsuccessful != r.Evaluated {
		t.Errorf("summary %s", summary(r))
	}
	doc := checkResultJSON(t, r)
	if doc["suite_name"] != "adult_census_income" {
		t.Errorf("suite_name %v", doc["suite_name"])
	}
	checkJUnit(t, r)
	for _, e := range r.Results {
		if e.Type == "expect_column_mean_to_be_between" && e.Column == "age" {
			if e.ObservedValue == nil || math.Abs(*e.ObservedValue-38.58) > 0.01 {
				t.Errorf("mean age observed %v (%s)", e.ObservedValue, e.Observed)
			}
		}
		if e.Type == "expect_column_values_to_not_be_null" && e.Column == "workclass" {
			if e.ElementCount != 32561 || e.UnexpectedCount != 1836 {
				t.Errorf("workclass not null: %+v", e)
			}
		}
	}
}

func TestValidateAdultTest(t *testing.T) {
	r, err := Validate(nil, adultTest, adultSuite, adultCSV, &ValidateOptions{ResultFormat: "complete"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Success || r.Rows != 16281 {
		t.Fatalf("adult test: success %v rows %d", r.Success, r.Rows)
	}
	checkResultJSON(t, r)
	checkJUnit(t, r)
	found := false
	for _, e := range r.Results {
		if e.Type == "expect_column_values_to_be_in_set" && e.Column == "income" {
			found = true
			// Every test label ends with a dot ("<=50K."), so every row is unexpected.
			if e.Success || e.UnexpectedCount != 16281 || e.ElementCount != 16281 || e.MissingCount != 0 {
				t.Errorf("income in set: %+v", e)
			}
		}
	}
	if !found {
		t.Fatal("no income in-set expectation in the result")
	}
	t.Logf("adult test fails: %v", failedExpectations(r))
}

// The same verdicts from a chunked Validation over a CSVReader as from Validate.
func TestValidationStreaming(t *testing.T) {
	suite, err := LoadSuite(adultSuite)
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	v, err := NewValidation(nil, suite, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer v.Close()
	suite.Close() // the validation keeps it alive
	opts := *adultCSV
	opts.ChunkRows = 5000
	r, err := OpenCSV(nil, adultTest, &opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	chunks := 0
	for {
		c, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Update(c); err != nil {
			t.Fatal(err)
		}
		c.Close()
		chunks++
	}
	res, err := v.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if chunks != 4 || res.Rows != 16281 {
		t.Fatalf("%d chunks, %d rows", chunks, res.Rows)
	}
	whole, err := Validate(nil, adultTest, adultSuite, adultCSV, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Results, whole.Results) || res.Success != whole.Success {
		t.Fatalf("streamed %v\nwhole %v", failedExpectations(res), failedExpectations(whole))
	}
	if again, err := v.Finish(); err != nil || again != res {
		t.Fatalf("second Finish: %v", err)
	}
	tbl := mustTable(t, nil)
	if err := v.Update(tbl); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("Update after Finish: %v", err)
	}
}

const inlineSuite = `{
  "name": "inline",
  "suite_parameters": {"low": 0},
  "expectations": [
    {"type": "expect_column_values_to_be_between",
     "kwargs": {"column": "score", "min_value": {"$PARAMETER": "low"}, "max_value": 10, "mostly": 0.8}},
    {"type": "expect_column_values_to_be_between",
     "kwargs": {"column": "score", "min_value": 0, "max_value": 10, "mostly": 0.9}},
    {"type": "expect_column_values_to_be_in_set",
     "kwargs": {"column": "sex", "value_set": ["Female", "Male"]}},
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "sex", "mostly": 0.75}},
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "age"}},
    {"type": "expect_column_max_to_be_between",
     "kwargs": {"column": "seen", "min_value": {"$PARAMETER": "now() - timedelta(hours=24)"}}},
    {"type": "expect_column_mean_to_be_between", "kwargs": {"column": "age", "min_value": 30, "max_value": 40}},
    {"type": "expect_table_row_count_to_equal", "kwargs": {"value": 10}},
    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "missing_column"}}
  ]
}`

func inlineTable(t *testing.T) *Table {
	tbl := mustTable(t, nil)
	if err := tbl.AddFloat64("score", []float64{1, 2, 3, 11, 5, 6, -1, 8, 9, math.NaN()}, nil); err != nil {
		t.Fatal(err)
	}
	sex := []string{"Male", "Female", "male", "Female", "", "Male", "Female", "Male", "x", "Male"}
	if err := tbl.AddStrings("sex", sex, []bool{true, true, true, true, false, true, true, true, true, true}); err != nil {
		t.Fatal(err)
	}
	if err := tbl.AddInt64("age", []int64{30, 31, 32, 33, 34, 35, 36, 37, 38, 39}, nil); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	seen := make([]time.Time, 10)
	for i := range seen {
		seen[i] = now.Add(-time.Duration(48-i) * time.Hour) // the latest is 39 hours old
	}
	if err := tbl.AddTime("seen", seen, nil); err != nil {
		t.Fatal(err)
	}
	return tbl
}

func TestValidateTableInline(t *testing.T) {
	suite, err := ParseSuite([]byte(inlineSuite), "inline.json")
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	if suite.Name() != "inline" || suite.Len() != 9 || suite.ExpectationType(2) != "expect_column_values_to_be_in_set" ||
		suite.ExpectationType(9) != "" {
		t.Fatalf("suite %q, %d expectations", suite.Name(), suite.Len())
	}
	tbl := inlineTable(t)
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	r, err := ValidateTable(nil, tbl, suite, &ValidateOptions{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	checkResultJSON(t, r)
	checkJUnit(t, r)
	type want struct {
		success               bool
		element, missing, unx uint64 // checked for map expectations only
	}
	// score: 11 and -1 are out of [0, 10], the NaN is null, so 7 of 9 considered rows are expected.
	wants := []want{
		{false, 10, 1, 2}, // between, mostly 0.8: 7/9 = 0.78 fails
		{false, 10, 1, 2}, // between, mostly 0.9 fails
		{false, 10, 1, 2}, // "male" and "x" are not in the set; the null row is not considered
		{true, 10, 1, 1},  // not null, mostly 0.75: 9/10
		{true, 10, 0, 0},  // age has no nulls
		{false, 0, 0, 0},  // max(seen) is 39 hours old, the bound is 24 hours
		{true, 0, 0, 0},   // mean age 34.5
		{true, 0, 0, 0},   // 10 rows
		{false, 0, 0, 0},  // missing column: raised exception
	}
	isMap := func(typ string) bool { return strings.HasPrefix(typ, "expect_column_values_") }
	if len(r.Results) != len(wants) {
		t.Fatalf("%d results", len(r.Results))
	}
	for i, w := range wants {
		e := r.Results[i]
		if e.Success != w.success || (isMap(e.Type) && i != 8 &&
			(e.ElementCount != w.element || e.MissingCount != w.missing || e.UnexpectedCount != w.unx)) {
			t.Errorf("result %d (%s %s): %+v, want %+v", i, e.Type, e.Column, e, w)
		}
	}
	if e := r.Results[6]; e.ObservedValue == nil || *e.ObservedValue != 34.5 || string(e.Observed) != "34.5" {
		t.Errorf("mean observed %v %s", e.ObservedValue, e.Observed)
	}
	if e := r.Results[7]; e.ObservedValue == nil || *e.ObservedValue != 10 || string(e.Observed) != "10" {
		t.Errorf("row count observed %v %s", e.ObservedValue, e.Observed)
	}
	if e := r.Results[5]; e.ObservedValue != nil || string(e.Observed) != `"2024-05-30T21:00:00"` {
		t.Errorf("timestamp max observed %v %s", e.ObservedValue, e.Observed)
	}
	if e := r.Results[0]; e.ObservedValue != nil || e.Observed != nil {
		t.Errorf("map expectation observed %v %s", e.ObservedValue, e.Observed)
	}
	if e := r.Results[8]; !e.RaisedException || !strings.Contains(e.ExceptionMessage, "missing_column") || e.Column != "missing_column" {
		t.Errorf("missing column result %+v", e)
	}
	if r.Success || r.Evaluated != 9 || r.Rows != 10 {
		t.Errorf("summary %s", summary(r))
	}

	// Overriding the suite parameter "low" makes -1 expected: 8/9 = 0.89 passes mostly 0.8, not 0.9.
	r2, err := ValidateTable(nil, tbl, suite, &ValidateOptions{Now: now.Add(-20 * time.Hour),
		Parameters: map[string]any{"low": -5}, ResultFormat: "BOOLEAN_ONLY"})
	if err != nil {
		t.Fatal(err)
	}
	if !r2.Results[0].Success || r2.Results[0].UnexpectedCount != 1 || r2.Results[1].Success {
		t.Errorf("with low = -5: %+v / %+v", r2.Results[0], r2.Results[1])
	}
	if !r2.Results[5].Success { // 39 hours old at now-20h is 19 hours old
		t.Errorf("freshness with a pinned Now: %+v", r2.Results[5])
	}
	if !bytes.Contains(r2.JSON, []byte(`"low"`)) {
		t.Errorf("result JSON lacks the parameter: %.300s", r2.JSON)
	}
}

func TestValidateErrors(t *testing.T) {
	dir := t.TempDir()
	// A suite with a JSON syntax error.
	bad := writeFile(t, "bad-suite.json", "{\"name\": \"x\",\n \"expectations\": [}\n")
	_, err := LoadSuite(bad)
	var e *Error
	if !errors.As(err, &e) || e.Code != ErrFormat || !strings.Contains(e.Message, "bad-suite.json") {
		t.Fatalf("LoadSuite(syntax error) = %v, want ErrFormat naming the file", err)
	}
	if _, err := ParseSuite([]byte(`{"name": "x", "expectations": [`), "inline"); !IsErrorCode(err, ErrFormat) {
		t.Fatalf("ParseSuite(truncated) = %v", err)
	}
	if _, err := ParseSuite([]byte(`{"name": "x", "expectations": [{"type": "expect_column_values_to_not_be_null",
		"kwargs": {"column": "a", "mostly": 2}}]}`), "mostly"); !IsErrorCode(err, ErrFormat) || !strings.Contains(err.Error(), "mostly") {
		t.Fatalf("ParseSuite(mostly 2) = %v", err)
	}
	if _, err := LoadSuite(filepath.Join(dir, "missing.json")); !IsErrorCode(err, ErrNotFound) {
		t.Fatalf("LoadSuite(missing) = %v", err)
	}
	if _, err := Validate(nil, adultTrain, bad, adultCSV, nil); !IsErrorCode(err, ErrFormat) {
		t.Fatalf("Validate with a bad suite: %v", err)
	}
	// A ragged row while validating names the line.
	ragged := writeFile(t, "ragged.csv", "a,b\n1,2\n3,4,5\n")
	suitePath := writeFile(t, "suite.json", `{"name": "s", "expectations": [
		{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}}]}`)
	_, err = Validate(nil, ragged, suitePath, nil, nil)
	if !IsErrorCode(err, ErrFormat) || !strings.Contains(err.Error(), "ragged.csv:3") {
		t.Fatalf("Validate(ragged) = %v, want ErrFormat at line 3", err)
	}
	if _, err := Validate(nil, filepath.Join(dir, "nope.csv"), suitePath, nil, nil); !IsErrorCode(err, ErrNotFound) {
		t.Fatalf("Validate(missing data) = %v", err)
	}
	// Options.
	if _, err := Validate(nil, ragged, suitePath, &CSVOptions{Delimiter: '€'}, nil); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("bad CSV options: %v", err)
	}
	if _, err := Validate(nil, ragged, suitePath, nil, &ValidateOptions{ResultFormat: "VERBOSE"}); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("bad result format: %v", err)
	}
	if _, err := Validate(nil, ragged, suitePath, nil, &ValidateOptions{Parameters: map[string]any{"f": func() {}}}); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("unencodable parameters: %v", err)
	}
	// Unknown expectation types: an error, or a skip that fails the run.
	unknown, err := ParseSuite([]byte(`{"name": "u", "expectations": [
		{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "a"}},
		{"type": "expect_column_kl_divergence_to_be_less_than", "kwargs": {"column": "a"}}]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	defer unknown.Close()
	tbl := mustTable(t, nil)
	if err := tbl.AddInt64("a", []int64{1, 2}, nil); err != nil {
		t.Fatal(err)
	}
	_, err = ValidateTable(nil, tbl, unknown, nil)
	if !IsErrorCode(err, ErrInvalid) || !strings.Contains(err.Error(), "kl_divergence") {
		t.Fatalf("unknown type: %v", err)
	}
	r, err := ValidateTable(nil, tbl, unknown, &ValidateOptions{SkipUnknown: true})
	if err != nil {
		t.Fatal(err)
	}
	if r.Success || r.Skipped != 1 || !r.Results[1].Skipped || r.Results[1].ExceptionMessage == "" || !r.Results[0].Success {
		t.Fatalf("skip unknown: %s %+v", summary(r), r.Results)
	}
	// A bad $PARAMETER fails when the validation begins.
	badParam, err := ParseSuite([]byte(`{"name": "p", "expectations": [{"type": "expect_table_row_count_to_equal",
		"kwargs": {"value": {"$PARAMETER": "no_such_parameter"}}}]}`), "")
	if err != nil {
		t.Fatal(err)
	}
	defer badParam.Close()
	if _, err := NewValidation(nil, badParam, nil); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("unresolvable parameter: %v", err)
	}
	if _, err := ValidateTable(nil, tbl, nil, nil); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("nil suite: %v", err)
	}
	if _, err := ValidateTable(nil, nil, badParam, nil); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("nil table: %v", err)
	}
}

func TestSuiteJSONSpellings(t *testing.T) {
	suite, err := LoadSuite(adultSuite)
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	v0, err := suite.JSON(SpellingV0)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(v0, []byte(`"expectation_suite_name"`)) || !bytes.Contains(v0, []byte(`"expectation_type"`)) {
		t.Fatalf("0.x spelling: %.300s", v0)
	}
	again, err := ParseSuite(v0, "v0")
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if again.Name() != suite.Name() || again.Len() != suite.Len() {
		t.Fatalf("round trip: %q %d", again.Name(), again.Len())
	}
	v1, err := again.JSON(SpellingV1)
	if err != nil {
		t.Fatal(err)
	}
	auto, err := suite.JSON(SpellingAuto)
	if err != nil || !bytes.Contains(v1, []byte(`"type"`)) || !json.Valid(auto) {
		t.Fatalf("1.x spelling: %v", err)
	}
	if _, err := suite.JSON(Spelling(9)); !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("unknown spelling: %v", err)
	}
}

// adultStats computes statistics of the Adult training data in chunks of chunkRows rows, one Stats per chunk.
func adultChunkStats(t *testing.T, chunkRows int) []*Stats {
	t.Helper()
	opts := *adultCSV
	opts.ChunkRows = chunkRows
	r, err := OpenCSV(nil, adultTrain, &opts)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []*Stats
	for {
		c, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewStats(nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if err := s.Update(c); err != nil {
			t.Fatal(err)
		}
		c.Close()
		out = append(out, s)
	}
}

func allColumns(t *testing.T, s *Stats) []ColumnStats {
	t.Helper()
	cols := make([]ColumnStats, s.NumColumns())
	for i := range cols {
		var err error
		if cols[i], err = s.Column(i); err != nil {
			t.Fatal(err)
		}
	}
	return cols
}

func closeTo(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// compareExact checks the exact fields of two column statistics: equal, floating-point sums up to rounding.
func compareExact(t *testing.T, what string, a, b ColumnStats) {
	t.Helper()
	if a.Name != b.Name || a.Type != b.Type || a.Count != b.Count || a.NullCount != b.NullCount ||
		a.MinInt != b.MinInt || a.MaxInt != b.MaxInt || a.MinLength != b.MinLength || a.MaxLength != b.MaxLength ||
		a.MinString != b.MinString || a.MaxString != b.MaxString || a.DistinctExact != b.DistinctExact ||
		!closeTo(a.Min, b.Min) || !closeTo(a.Max, b.Max) {
		t.Errorf("%s %s: exact fields differ:\n%+v\n%+v", what, a.Name, a, b)
		return
	}
	if !closeTo(a.Sum, b.Sum) || !closeTo(a.Mean, b.Mean) || !closeTo(a.M2, b.M2) {
		t.Errorf("%s %s: sum/mean/m2 %v %v %v vs %v %v %v", what, a.Name, a.Sum, a.Mean, a.M2, b.Sum, b.Mean, b.M2)
	}
	if a.DistinctExact && (a.Distinct != b.Distinct || !reflect.DeepEqual(valuesOf(a), valuesOf(b))) {
		t.Errorf("%s %s: exact value counts differ (%d and %d values)", what, a.Name, len(a.Values), len(b.Values))
	}
}

func TestStatsMergeEqualsWhole(t *testing.T) {
	halves := adultChunkStats(t, 16281) // two chunks: 16281 + 16280 rows
	if len(halves) != 2 {
		t.Fatalf("%d chunks", len(halves))
	}
	whole, err := NewStats(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer whole.Close()
	tbl, err := ReadCSV(nil, adultTrain, adultCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Close()
	if err := whole.Update(tbl); err != nil {
		t.Fatal(err)
	}
	merged := halves[0]
	if err := merged.Merge(halves[1]); err != nil {
		t.Fatal(err)
	}
	if merged.NumRows() != 32561 || whole.NumRows() != 32561 || halves[1].NumRows() != 16280 {
		t.Fatalf("rows: merged %d whole %d second half %d", merged.NumRows(), whole.NumRows(), halves[1].NumRows())
	}
	mc, wc := allColumns(t, merged), allColumns(t, whole)
	if len(mc) != 15 || len(wc) != 15 {
		t.Fatalf("%d and %d columns", len(mc), len(wc))
	}
	for i := range mc {
		compareExact(t, "merged vs whole", mc[i], wc[i])
	}
	age, _ := whole.ColumnIndex("age")
	if a := wc[age]; a.MinInt != 17 || a.MaxInt != 90 || a.NullCount != 0 || math.Abs(a.Mean-38.5816) > 1e-3 || a.Stddev() < 13 || a.Stddev() > 14 {
		t.Errorf("age stats %+v (stddev %v)", a, a.Stddev())
	}
	sex, _ := whole.ColumnIndex("sex")
	if s := wc[sex]; !s.DistinctExact || s.Distinct != 2 || len(s.Values) != 2 || s.Values[0].String != "Male" ||
		s.Values[0].Count+s.Values[1].Count != 32561 || s.MinString != "Female" || s.MaxLength != 6 {
		t.Errorf("sex stats %+v", s)
	}
	// Quantiles agree within the sketch's rank error.
	eps := whole.QuantileRankError()
	if eps <= 0 || eps > 0.05 {
		t.Fatalf("rank error %v", eps)
	}
	for _, q := range []float64{0, 0.25, 0.5, 0.9, 1} {
		a, err1 := merged.Quantile(age, q)
		b, err2 := whole.Quantile(age, q)
		if err1 != nil || err2 != nil || math.Abs(a-b) > 3 {
			t.Errorf("age q%v: merged %v whole %v (%v %v)", q, a, b, err1, err2)
		}
	}
	if _, err := whole.Quantile(sex, 0.5); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("quantile of a string column: %v", err)
	}
	if _, err := whole.Quantile(age, 1.5); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("quantile 1.5: %v", err)
	}
	if _, err := whole.Column(15); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("Column(15): %v", err)
	}
	if _, err := whole.ColumnIndex("nope"); !IsErrorCode(err, ErrNotFound) {
		t.Errorf("ColumnIndex(nope): %v", err)
	}
	// Merging a different schema, or different options, is an ErrInvalid.
	other, err := NewStats(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	small := mustTable(t, nil)
	if err := small.AddInt64("x", []int64{1}, nil); err != nil {
		t.Fatal(err)
	}
	if err := other.Update(small); err != nil {
		t.Fatal(err)
	}
	if err := whole.Merge(other); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("merge of another schema: %v", err)
	}
	if err := other.Update(tbl); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("update with another schema: %v", err)
	}
	diff, err := NewStatsWithOptions(nil, &StatsOptions{KLLK: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer diff.Close()
	if err := diff.Merge(whole); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("merge with other options: %v", err)
	}
	if _, err := NewStatsWithOptions(nil, &StatsOptions{HLLPrecision: 30}); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("HLLPrecision 30: %v", err)
	}
	// Self-merge doubles.
	if err := other.Merge(other); err != nil || other.NumRows() != 2 {
		t.Errorf("self merge: %v, %d rows", err, other.NumRows())
	}
}

func TestStatsMsgpackRoundTrip(t *testing.T) {
	parts := adultChunkStats(t, 10000)
	s := parts[0]
	for _, p := range parts[1:] {
		if err := s.Merge(p); err != nil {
			t.Fatal(err)
		}
	}
	data, err := s.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalStats(data)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if back.NumRows() != 32561 || back.NumColumns() != 15 {
		t.Fatalf("round trip: %d rows %d columns", back.NumRows(), back.NumColumns())
	}
	a, b := allColumns(t, s), allColumns(t, back)
	if !reflect.DeepEqual(mapNaN(a), mapNaN(b)) {
		t.Fatalf("columns differ after the round trip")
	}
	for col := range a {
		if a[col].Type == TypeString {
			continue
		}
		for _, q := range []float64{0.1, 0.5, 0.99} {
			x, _ := s.Quantile(col, q)
			y, _ := back.Quantile(col, q)
			if x != y {
				t.Errorf("column %d q%v: %v vs %v", col, q, x, y)
			}
		}
	}
	again, err := back.MarshalBinary()
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("second serialisation differs (%v)", err)
	}
	js, err := back.JSON()
	if err != nil || !json.Valid(js) || !bytes.Contains(js, []byte(`"native-country"`)) {
		t.Fatalf("JSON: %v %.200s", err, js)
	}
	// Damaged input.
	_, err = UnmarshalStats(data[:len(data)/2])
	var e *Error
	if !errors.As(err, &e) || e.Code != ErrFormat || e.Message == "" {
		t.Fatalf("truncated msgpack: %v", err)
	}
	if _, err := UnmarshalStats(nil); !IsErrorCode(err, ErrFormat) {
		t.Fatalf("empty msgpack: %v", err)
	}
	if _, err := UnmarshalStats(append(append([]byte(nil), data...), 0xc0)); !IsErrorCode(err, ErrFormat) {
		t.Fatalf("trailing data: %v", err)
	}
}

// valuesOf is a column's value counts with NaN numbers (string columns) made comparable.
func valuesOf(c ColumnStats) []ValueCount {
	return mapNaN([]ColumnStats{c})[0].Values
}

// mapNaN replaces NaN fields (unequal to themselves) so that DeepEqual can compare column statistics.
func mapNaN(cols []ColumnStats) []ColumnStats {
	out := append([]ColumnStats(nil), cols...)
	fix := func(f *float64) {
		if math.IsNaN(*f) {
			*f = -12345
		}
	}
	for i := range out {
		c := &out[i]
		for _, f := range []*float64{&c.Min, &c.Max, &c.Sum, &c.Mean, &c.M2, &c.Distinct} {
			fix(f)
		}
		c.Values = append([]ValueCount(nil), c.Values...)
		for k := range c.Values {
			fix(&c.Values[k].Number)
		}
	}
	return out
}

func TestValidateStatsAndProfile(t *testing.T) {
	parts := adultChunkStats(t, 20000)
	s := parts[0]
	if err := s.Merge(parts[1]); err != nil {
		t.Fatal(err)
	}
	suite, err := ParseSuite([]byte(`{"name": "agg", "expectations": [
		{"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 30000, "max_value": 40000}},
		{"type": "expect_column_mean_to_be_between", "kwargs": {"column": "age", "min_value": 35, "max_value": 42}},
		{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "workclass", "mostly": 0.94}},
		{"type": "expect_column_values_to_be_in_set", "kwargs": {"column": "income", "value_set": ["<=50K", ">50K"]}},
		{"type": "expect_column_pair_values_a_to_be_greater_than_b",
		 "kwargs": {"column_A": "age", "column_B": "education-num"}}
	]}`), "agg")
	if err != nil {
		t.Fatal(err)
	}
	defer suite.Close()
	r, err := ValidateStats(nil, s, suite, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkResultJSON(t, r)
	for i := 0; i < 4; i++ {
		if e := r.Results[i]; !e.Success || e.Skipped {
			t.Errorf("aggregate expectation %d on statistics: %+v", i, e)
		}
	}
	if e := r.Results[4]; !e.Skipped || e.ExceptionMessage == "" {
		t.Errorf("a pair expectation on statistics should be skipped: %+v", e)
	}
	if r.Success || r.Skipped != 1 || r.Rows != 32561 {
		t.Errorf("summary %s", summary(r))
	}

	// A profiled suite passes on the data it was profiled from.
	js, err := Profile(s, "adult_profile")
	if err != nil {
		t.Fatal(err)
	}
	prof, err := ParseSuite(js, "profile")
	if err != nil {
		t.Fatalf("profiled suite does not parse: %v\n%.500s", err, js)
	}
	defer prof.Close()
	if prof.Name() != "adult_profile" || prof.Len() < 15 {
		t.Fatalf("profile %q with %d expectations", prof.Name(), prof.Len())
	}
	tbl, err := ReadCSV(nil, adultTrain, adultCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Close()
	pr, err := ValidateTable(nil, tbl, prof, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !pr.Success {
		t.Errorf("profiled suite fails on its own data: %v", failedExpectations(pr))
	}
	if def, err := Profile(s, ""); err != nil || !bytes.Contains(def, []byte(`"profiled"`)) {
		t.Errorf("default profile name: %v", err)
	}
}

// Every handle's Close is idempotent, works on nil, and use after Close is an ErrInvalid.
func TestCloseTwice(t *testing.T) {
	ctx, err := NewContext(nil)
	if err != nil {
		t.Fatal(err)
	}
	tbl, _ := NewTable(ctx)
	if err := tbl.AddInt64("a", []int64{1, 2}, nil); err != nil {
		t.Fatal(err)
	}
	st, _ := NewStats(ctx)
	suite, _ := ParseSuite([]byte(`{"name": "s", "expectations": []}`), "")
	val, err := NewValidation(ctx, suite, nil)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := OpenCSVBytes(ctx, []byte("a\n1\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	chunk, err := rd.Next()
	if err != nil {
		t.Fatal(err)
	}
	ctx.Close() // everything above keeps it alive
	if err := st.Update(tbl); err != nil {
		t.Fatal(err)
	}
	if err := val.Update(chunk); err != nil {
		t.Fatal(err)
	}
	closers := []io.Closer{tbl, st, suite, val, rd, chunk, ctx}
	for round := 0; round < 2; round++ {
		for _, c := range closers {
			if err := c.Close(); err != nil {
				t.Fatalf("%T Close round %d: %v", c, round, err)
			}
		}
	}
	for _, c := range []io.Closer{(*Table)(nil), (*Stats)(nil), (*Suite)(nil), (*Validation)(nil), (*CSVReader)(nil)} {
		if err := c.Close(); err != nil {
			t.Fatalf("nil %T Close: %v", c, err)
		}
	}
	checks := map[string]error{
		"stats update": st.Update(chunk),
		"stats merge":  st.Merge(st),
		"validation":   val.Update(chunk),
		"reader":       func() error { _, err := rd.Next(); return err }(),
		"suite json":   func() error { _, err := suite.JSON(SpellingAuto); return err }(),
		"table":        func() error { _, _, err := tbl.Int64Column("a"); return err }(),
		"marshal":      func() error { _, err := st.MarshalBinary(); return err }(),
		"validate":     func() error { _, err := ValidateTable(nil, chunk, suite, nil); return err }(),
		"new table":    func() error { _, err := NewTable(ctx); return err }(),
	}
	for what, err := range checks {
		if !IsErrorCode(err, ErrInvalid) {
			t.Errorf("%s after Close: %v, want ErrInvalid", what, err)
		}
	}
	if st.NumRows() != 0 || st.NumColumns() != 0 || !math.IsNaN(st.QuantileRankError()) || rd.RowsRead() != 0 {
		t.Error("accessors after Close")
	}
}

// Unreferenced handles are freed by finalizers, dependents first.
func TestDataFinalizers(t *testing.T) {
	for i := 0; i < 50; i++ {
		ctx, _ := NewContext(&ContextOptions{Device: DeviceCPU})
		tbl, _ := NewTable(ctx)
		vals, _ := tbl.AddFloat64Column("v", 100)
		vals[0] = 1
		st, _ := NewStats(ctx)
		_ = st.Update(tbl)
		suite, _ := ParseSuite([]byte(`{"name": "s", "expectations": [
			{"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "v"}}]}`), "")
		v, _ := NewValidation(ctx, suite, nil)
		_ = v.Update(tbl)
		rd, _ := OpenCSVBytes(ctx, []byte("a\n1\n"), nil)
		_, _ = rd.Next()
	}
	runtime.GC()
	runtime.GC()
	runtime.GC()
}

// Validations of one table run in parallel goroutines, with one shared suite (serialised) and with one suite
// per goroutine, and agree.
func TestValidateConcurrent(t *testing.T) {
	tbl, err := ReadCSV(nil, adultTest, adultCSV)
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Close()
	shared, err := LoadSuite(adultSuite)
	if err != nil {
		t.Fatal(err)
	}
	defer shared.Close()
	want, err := ValidateTable(nil, tbl, shared, nil)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 16)
	for g := 0; g < 8; g++ {
		go func(g int) {
			suite := shared
			if g%2 == 1 {
				own, err := LoadSuite(adultSuite)
				if err != nil {
					errs <- err
					return
				}
				defer own.Close()
				suite = own
			}
			ctx, err := NewContext(&ContextOptions{Device: DeviceCPU})
			if err != nil {
				errs <- err
				return
			}
			defer ctx.Close()
			r, err := ValidateTable(ctx, tbl, suite, nil)
			if err == nil && !reflect.DeepEqual(r.Results, want.Results) {
				err = fmt.Errorf("goroutine %d: %s, want %s", g, summary(r), summary(want))
			}
			errs <- err
		}(g)
	}
	for g := 0; g < 8; g++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
