package cogniforge

/*
#include <stdlib.h>
#include <string.h>
#include <cogniforge/cogniforge.h>

static cf_fairness_options cfgo_fairness_defaults(void) { cf_fairness_options o = CF_FAIRNESS_OPTIONS_INIT; return o; }

// Build the chunk on the C stack from Go slices passed as direct arguments (cgo pins them for the call; Go 1.19
// has no runtime.Pinner, so no Go pointer may be stored in memory handed to C). codes holds the features' codes
// one after another (n each); names and labels (all features' labels, nlab[k] each) are C strings.
static int cfgo_fairness_chunk(cf_fairness *acc, cf_fairness_report **rep, cf_context *ctx,
	const cf_fairness_options *opts, size_t n, const uint8_t *yt, const uint8_t *yp, const double *s,
	const double *w, size_t nf, char **names, const int32_t *codes, char **labels, const size_t *nlab)
{
	cf_fairness_feature f[16];
	cf_fairness_data d;
	size_t off = 0;

	if (nf > 16)
		nf = 17; // rejected by the library
	for (size_t k = 0; k < nf && k < 16; k++) {
		f[k].name = names[k];
		f[k].codes = codes ? codes + k * n : NULL;
		f[k].labels = (const char *const *)(labels + off);
		f[k].num_labels = nlab[k];
		off += nlab[k];
	}
	d.length = n;
	d.y_true = yt;
	d.y_pred = yp;
	d.scores = s;
	d.weights = w;
	d.features = f;
	d.num_features = nf;
	if (acc)
		return cf_fairness_update(acc, &d);
	return cf_fairness_evaluate(rep, ctx, &d, opts);
}
*/
import "C"

import (
	"math"
	"runtime"
	"sort"
	"sync"
	"unsafe"
)

// FairnessMetric is a per-group metric (cf_fairness_metric).
type FairnessMetric int

// The per-group metrics; their names (String) are fairlearn's.
const (
	SelectionRate           FairnessMetric = C.CF_FAIRNESS_SELECTION_RATE
	TruePositiveRate        FairnessMetric = C.CF_FAIRNESS_TPR
	FalsePositiveRate       FairnessMetric = C.CF_FAIRNESS_FPR
	FalseNegativeRate       FairnessMetric = C.CF_FAIRNESS_FNR
	TrueNegativeRate        FairnessMetric = C.CF_FAIRNESS_TNR
	PositivePredictiveValue FairnessMetric = C.CF_FAIRNESS_PPV
	NegativePredictiveValue FairnessMetric = C.CF_FAIRNESS_NPV
	GroupAccuracy           FairnessMetric = C.CF_FAIRNESS_ACCURACY
	GroupROCAUC             FairnessMetric = C.CF_FAIRNESS_AUC
	GroupCount              FairnessMetric = C.CF_FAIRNESS_COUNT
)

func (m FairnessMetric) String() string {
	return C.GoString(C.cf_fairness_metric_name(C.cf_fairness_metric(m)))
}

// Undefined says why a value is NaN (cf_fairness_undefined); Defined when it is not.
type Undefined int

// The reasons.
const (
	Defined              Undefined = C.CF_FAIRNESS_DEFINED
	EmptyGroup           Undefined = C.CF_FAIRNESS_EMPTY_GROUP
	NoPositives          Undefined = C.CF_FAIRNESS_NO_POSITIVES
	NoNegatives          Undefined = C.CF_FAIRNESS_NO_NEGATIVES
	NoPredictedPositives Undefined = C.CF_FAIRNESS_NO_PREDICTED_POSITIVES
	NoPredictedNegatives Undefined = C.CF_FAIRNESS_NO_PREDICTED_NEGATIVES
	NoScores             Undefined = C.CF_FAIRNESS_NO_SCORES
	ZeroDivisor          Undefined = C.CF_FAIRNESS_ZERO_DIVISOR
	TooFewGroups         Undefined = C.CF_FAIRNESS_TOO_FEW_GROUPS
)

func (u Undefined) String() string {
	return C.GoString(C.cf_fairness_undefined_name(C.cf_fairness_undefined(u)))
}

// FairnessMethod is fairlearn's `method`: BetweenGroups or ToOverall.
type FairnessMethod int

const (
	BetweenGroups FairnessMethod = C.CF_FAIRNESS_BETWEEN_GROUPS
	ToOverall     FairnessMethod = C.CF_FAIRNESS_TO_OVERALL
)

// EqualizedOddsAgg combines the TPR and FPR parts of equalized odds: WorstCase or Mean.
type EqualizedOddsAgg int

const (
	WorstCase EqualizedOddsAgg = C.CF_FAIRNESS_WORST_CASE
	Mean      EqualizedOddsAgg = C.CF_FAIRNESS_MEAN
)

// FourFifths is the four-fifths rule's threshold on disparate impact.
const FourFifths = 0.8

// Overall selects the all-rows row in FairnessReport.Value and .Group.
const Overall = -1

// FairnessOptions are the options of an accumulator and of EvaluateFairness; start from
// DefaultFairnessOptions (a nil *FairnessOptions means the defaults).
type FairnessOptions struct {
	MinGroupSize uint64  // smaller groups are reported but left out of disparities
	Threshold    float64 // ŷ = score >= Threshold when no predictions are given (default 0.5)
	AUCBins      int     // score histogram bins per group, 0 for none (default 1024)
	ScoreMin     float64 // histogram range (default [0, 1])
	ScoreMax     float64
}

// DefaultFairnessOptions returns the library defaults.
func DefaultFairnessOptions() FairnessOptions {
	o := C.cfgo_fairness_defaults()
	return FairnessOptions{MinGroupSize: uint64(o.min_group_size), Threshold: float64(o.threshold),
		AUCBins: int(o.auc_bins), ScoreMin: float64(o.score_min), ScoreMax: float64(o.score_max)}
}

func (o *FairnessOptions) c() (C.cf_fairness_options, error) {
	co := C.cfgo_fairness_defaults()
	if o == nil {
		return co, nil
	}
	if o.AUCBins < 0 {
		return co, newError(ErrInvalid, "FairnessOptions.AUCBins: %d is negative", o.AUCBins)
	}
	co.min_group_size = C.uint64_t(o.MinGroupSize)
	co.threshold = C.double(o.Threshold)
	co.auc_bins = C.uint(o.AUCBins)
	co.score_min = C.double(o.ScoreMin)
	co.score_max = C.double(o.ScoreMax)
	return co, nil
}

// SensitiveFeature is one sensitive feature: Codes index Labels (the shape of a string column).
type SensitiveFeature struct {
	Name   string
	Codes  []int32
	Labels []string
}

// FeatureFromStrings dictionary-encodes string values (labels in order of first appearance).
func FeatureFromStrings(name string, values []string) SensitiveFeature {
	f := SensitiveFeature{Name: name, Codes: make([]int32, len(values))}
	index := map[string]int32{}
	for i, v := range values {
		c, ok := index[v]
		if !ok {
			c = int32(len(f.Labels))
			index[v] = c
			f.Labels = append(f.Labels, v)
		}
		f.Codes[i] = c
	}
	return f
}

// FairnessData is a chunk of rows. YTrue and YPred hold 0 (negative) or anything else (positive); YPred may
// be nil when Scores are given (thresholded); Scores and Weights may be nil.
type FairnessData struct {
	YTrue    []uint8
	YPred    []uint8
	Scores   []float64
	Weights  []float64
	Features []SensitiveFeature
}

// call the C chunk helper with the data's slices pinned as direct arguments.
func (d *FairnessData) run(acc *C.cf_fairness, rep **C.cf_fairness_report, ctx *C.cf_context,
	opts *C.cf_fairness_options) C.int {
	n := len(d.YTrue)
	nf := len(d.Features)
	for _, s := range [][]float64{d.Scores, d.Weights} {
		if s != nil && len(s) != n {
			return -2
		}
	}
	if (d.YPred != nil && len(d.YPred) != n) || nf == 0 {
		return -2
	}
	total := 0
	for _, f := range d.Features {
		if len(f.Codes) != n {
			return -2
		}
		total += len(f.Labels)
	}
	names := (**C.char)(C.calloc(C.size_t(nf+1), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	labels := (**C.char)(C.calloc(C.size_t(total+1), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	nlab := make([]C.size_t, nf)
	nameArr := unsafe.Slice(names, nf+1)
	labArr := unsafe.Slice(labels, total+1)
	defer func() {
		for _, p := range nameArr {
			C.free(unsafe.Pointer(p))
		}
		for _, p := range labArr {
			C.free(unsafe.Pointer(p))
		}
		C.free(unsafe.Pointer(names))
		C.free(unsafe.Pointer(labels))
	}()
	off := 0
	for k, f := range d.Features {
		nameArr[k] = C.CString(f.Name)
		for _, l := range f.Labels {
			labArr[off] = C.CString(l)
			off++
		}
		nlab[k] = C.size_t(len(f.Labels))
	}
	var codes []int32
	if nf == 1 {
		codes = d.Features[0].Codes
	} else {
		codes = make([]int32, 0, nf*n)
		for _, f := range d.Features {
			codes = append(codes, f.Codes...)
		}
	}
	var yt, yp *C.uint8_t
	var s, w *C.double
	var cp *C.int32_t
	if n > 0 {
		yt = (*C.uint8_t)(unsafe.Pointer(&d.YTrue[0]))
		cp = (*C.int32_t)(unsafe.Pointer(&codes[0]))
		if d.YPred != nil {
			yp = (*C.uint8_t)(unsafe.Pointer(&d.YPred[0]))
		}
		if d.Scores != nil {
			s = (*C.double)(unsafe.Pointer(&d.Scores[0]))
		}
		if d.Weights != nil {
			w = (*C.double)(unsafe.Pointer(&d.Weights[0]))
		}
	}
	return C.cfgo_fairness_chunk(acc, rep, ctx, opts, C.size_t(n), yt, yp, s, w, C.size_t(nf), names, cp, labels,
		&nlab[0])
}

func lengthError() error {
	return newError(ErrInvalid, "fairness data: every array must have len(YTrue) rows, with at least one feature")
}

// FairnessAccumulator is a mergeable fairness accumulator (cf_fairness): per-group confusion counts and score
// histograms. Shards merge exactly (Merge, MarshalBinary / UnmarshalFairness). Its methods are serialised by
// a mutex; Close is idempotent.
type FairnessAccumulator struct {
	op  sync.Mutex
	obj cobj[C.cf_fairness]
	ctx *Context
}

// NewFairnessAccumulator creates an accumulator for the named features; ctx and opts may be nil.
func NewFairnessAccumulator(ctx *Context, features []string, opts *FairnessOptions) (*FairnessAccumulator, error) {
	co, err := opts.c()
	if err != nil {
		return nil, err
	}
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	cn := make([]*C.char, len(features)+1)
	cnames := (**C.char)(C.calloc(C.size_t(len(cn)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
	arr := unsafe.Slice(cnames, len(cn))
	for i, f := range features {
		arr[i] = C.CString(f)
	}
	defer func() {
		for _, p := range arr {
			C.free(unsafe.Pointer(p))
		}
		C.free(unsafe.Pointer(cnames))
	}()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var p *C.cf_fairness
	if rc := C.cf_fairness_create(&p, c, cnames, C.size_t(len(features)), &co); rc < 0 {
		err := makeError(rc)
		ctx.release()
		return nil, err
	}
	return wrapFairness(p, ctx), nil
}

func wrapFairness(p *C.cf_fairness, ctx *Context) *FairnessAccumulator {
	a := &FairnessAccumulator{ctx: ctx}
	a.obj.ptr = p
	runtime.SetFinalizer(a, (*FairnessAccumulator).Close)
	return a
}

// UnmarshalFairness reads an accumulator serialised by MarshalBinary (ctx may be nil). Malformed input is an
// ErrFormat, a newer format an ErrVersion.
func UnmarshalFairness(ctx *Context, data []byte) (*FairnessAccumulator, error) {
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	var d unsafe.Pointer
	if len(data) > 0 {
		d = unsafe.Pointer(&data[0])
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var p *C.cf_fairness
	if rc := C.cf_fairness_from_msgpack(&p, c, d, C.size_t(len(data))); rc < 0 {
		err := makeError(rc)
		ctx.release()
		return nil, err
	}
	return wrapFairness(p, ctx), nil
}

// Close frees the accumulator. It is idempotent and returns nil.
func (a *FairnessAccumulator) Close() error {
	if a == nil {
		return nil
	}
	a.obj.closeOwner(a, a.free)
	return nil
}

func (a *FairnessAccumulator) free(p *C.cf_fairness) {
	C.cf_fairness_free(p)
	a.ctx.release()
	a.ctx = nil
}

func (a *FairnessAccumulator) call(f func(p *C.cf_fairness) C.int) error {
	if a == nil {
		return newError(ErrInvalid, "nil *cogniforge.FairnessAccumulator")
	}
	return a.obj.with(&a.op, "FairnessAccumulator", a.free, func(p *C.cf_fairness) error {
		if rc := f(p); rc < 0 {
			if rc == -2 && C.cf_error_last().code != rc {
				return lengthError()
			}
			return makeError(rc)
		}
		return nil
	})
}

// Update adds a chunk; its features must be the accumulator's, in order. A rejected chunk changes nothing.
func (a *FairnessAccumulator) Update(d *FairnessData) error {
	return a.call(func(p *C.cf_fairness) C.int {
		C.cf_error_clear()
		return d.run(p, nil, nil, nil)
	})
}

// Merge adds src to a (labels united, counts added); src is unchanged.
func (a *FairnessAccumulator) Merge(src *FairnessAccumulator) error {
	if a == src {
		return a.call(func(p *C.cf_fairness) C.int { return C.cf_fairness_merge(p, p) })
	}
	if src == nil {
		return newError(ErrInvalid, "nil *cogniforge.FairnessAccumulator")
	}
	src.op.Lock()
	defer src.op.Unlock()
	sp, err := src.obj.acquire("FairnessAccumulator")
	if err != nil {
		return err
	}
	defer src.obj.release(src.free)
	return a.call(func(p *C.cf_fairness) C.int { return C.cf_fairness_merge(p, sp) })
}

// MarshalBinary serialises the accumulator to msgpack (docs/formats.md).
func (a *FairnessAccumulator) MarshalBinary() ([]byte, error) {
	var out []byte
	err := a.call(func(p *C.cf_fairness) C.int {
		var b C.cf_buf
		rc := C.cf_fairness_to_msgpack(&b, p)
		if rc == 0 {
			out = takeBuf(&b)
		}
		return rc
	})
	return out, err
}

// NumRows is the number of rows added.
func (a *FairnessAccumulator) NumRows() uint64 {
	var n uint64
	if a.call(func(p *C.cf_fairness) C.int { n = uint64(C.cf_fairness_num_rows(p)); return 0 }) != nil {
		return 0
	}
	return n
}

// Report is the per-group table grouped by the named features (none: all of them, intersected). AUC comes
// from the score histograms, with each group's AUCError bound.
func (a *FairnessAccumulator) Report(features ...string) (*FairnessReport, error) {
	var rep *C.cf_fairness_report
	err := a.call(func(p *C.cf_fairness) C.int {
		arr := make([]*C.char, len(features)+1)
		cp := (**C.char)(C.calloc(C.size_t(len(arr)), C.size_t(unsafe.Sizeof((*C.char)(nil)))))
		ca := unsafe.Slice(cp, len(arr))
		for i, f := range features {
			ca[i] = C.CString(f)
		}
		defer func() {
			for _, s := range ca {
				C.free(unsafe.Pointer(s))
			}
			C.free(unsafe.Pointer(cp))
		}()
		return C.cf_fairness_report_create(&rep, p, cp, C.size_t(len(features)))
	})
	if err != nil {
		return nil, err
	}
	return wrapReport(rep), nil
}

// EvaluateFairness makes the report of one chunk grouped by all its features, with exact per-group ROC AUC.
func EvaluateFairness(ctx *Context, d *FairnessData, opts *FairnessOptions) (*FairnessReport, error) {
	co, err := opts.c()
	if err != nil {
		return nil, err
	}
	c, err := ctx.acquire()
	if err != nil {
		return nil, err
	}
	defer ctx.release()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	C.cf_error_clear()
	var rep *C.cf_fairness_report
	if rc := d.run(nil, &rep, c, &co); rc < 0 {
		if rc == -2 && C.cf_error_last().code != rc {
			return nil, lengthError()
		}
		return nil, makeError(rc)
	}
	return wrapReport(rep), nil
}

// FairnessReport is a per-group table (cf_fairness_report); immutable, safe for concurrent reads.
type FairnessReport struct {
	obj cobj[C.cf_fairness_report]
}

func wrapReport(p *C.cf_fairness_report) *FairnessReport {
	r := &FairnessReport{}
	r.obj.ptr = p
	runtime.SetFinalizer(r, (*FairnessReport).Close)
	return r
}

// Close frees the report; idempotent.
func (r *FairnessReport) Close() error {
	if r == nil {
		return nil
	}
	r.obj.closeOwner(r, func(p *C.cf_fairness_report) { C.cf_fairness_report_free(p) })
	return nil
}

func (r *FairnessReport) call(f func(p *C.cf_fairness_report) C.int) error {
	if r == nil {
		return newError(ErrInvalid, "nil *cogniforge.FairnessReport")
	}
	return r.obj.with(nil, "FairnessReport", func(p *C.cf_fairness_report) { C.cf_fairness_report_free(p) },
		func(p *C.cf_fairness_report) error { return check(f(p)) })
}

// NumGroups is the number of groups (empty intersections included).
func (r *FairnessReport) NumGroups() int {
	n := 0
	r.call(func(p *C.cf_fairness_report) C.int { n = int(C.cf_fairness_report_num_groups(p)); return 0 })
	return n
}

// Features are the names of the grouping features.
func (r *FairnessReport) Features() []string {
	var out []string
	r.call(func(p *C.cf_fairness_report) C.int {
		for i := 0; i < int(C.cf_fairness_report_num_features(p)); i++ {
			out = append(out, C.GoString(C.cf_fairness_report_feature_name(p, C.size_t(i))))
		}
		return 0
	})
	return out
}

// FairnessGroup holds a group's labels and counts.
type FairnessGroup struct {
	Labels             []string // one per grouping feature; nil for Overall
	Count              uint64
	TP, FP, FN, TN     uint64
	Weight             float64
	WTP, WFP, WFN, WTN float64
	Excluded           bool    // below MinGroupSize
	AUCError           float64 // bound on |AUC - exact AUC|; NaN when the AUC is undefined
}

func groupIndex(i int) C.size_t {
	if i == Overall {
		return ^C.size_t(0) // CF_FAIRNESS_OVERALL
	}
	return C.size_t(i)
}

// Group describes group i (0..NumGroups-1, or Overall).
func (r *FairnessReport) Group(i int) (FairnessGroup, error) {
	var g FairnessGroup
	err := r.call(func(p *C.cf_fairness_report) C.int {
		var cg C.cf_fairness_group
		rc := C.cf_fairness_report_group(&cg, p, groupIndex(i))
		if rc < 0 {
			return rc
		}
		if cg.labels != nil {
			ls := unsafe.Slice(cg.labels, int(cg.num_labels))
			for _, l := range ls {
				g.Labels = append(g.Labels, C.GoString(l))
			}
		}
		g.Count, g.TP, g.FP, g.FN, g.TN = uint64(cg.count), uint64(cg.tp), uint64(cg.fp), uint64(cg.fn), uint64(cg.tn)
		g.Weight, g.WTP, g.WFP, g.WFN, g.WTN = float64(cg.weight), float64(cg.w_tp), float64(cg.w_fp),
			float64(cg.w_fn), float64(cg.w_tn)
		g.Excluded = cg.excluded != 0
		g.AUCError = float64(cg.auc_error)
		return 0
	})
	return g, err
}

// Value is a metric of group i (or Overall): NaN with the reason when undefined.
func (r *FairnessReport) Value(i int, m FairnessMetric) (float64, Undefined, error) {
	var v C.double
	var why C.cf_fairness_undefined
	err := r.call(func(p *C.cf_fairness_report) C.int {
		return C.cf_fairness_report_value(&v, &why, p, groupIndex(i), C.cf_fairness_metric(m))
	})
	return float64(v), Undefined(why), err
}

// Disparity is the result of a comparison across groups.
type Disparity struct {
	Value           float64   // NaN when undefined
	Reason          Undefined // Defined, or why Value is NaN
	GroupsCompared  int
	GroupsUndefined int // left out: value undefined
	GroupsExcluded  int // left out: below MinGroupSize
	GroupMin        int // -1 when none
	GroupMax        int
}

func disparity(d *C.cf_fairness_disparity) Disparity {
	idx := func(v C.size_t) int {
		if uint64(v) == math.MaxUint64 {
			return -1
		}
		return int(v)
	}
	return Disparity{Value: float64(d.value), Reason: Undefined(d.reason), GroupsCompared: int(d.groups_compared),
		GroupsUndefined: int(d.groups_undefined), GroupsExcluded: int(d.groups_excluded),
		GroupMin: idx(d.group_min), GroupMax: idx(d.group_max)}
}

func (r *FairnessReport) disp(f func(d *C.cf_fairness_disparity, p *C.cf_fairness_report) C.int) (Disparity, error) {
	var d C.cf_fairness_disparity
	err := r.call(func(p *C.cf_fairness_report) C.int { return f(&d, p) })
	return disparity(&d), err
}

// Difference is fairlearn's MetricFrame.difference(method).
func (r *FairnessReport) Difference(m FairnessMetric, method FairnessMethod) (Disparity, error) {
	return r.disp(func(d *C.cf_fairness_disparity, p *C.cf_fairness_report) C.int {
		return C.cf_fairness_difference(d, p, C.cf_fairness_metric(m), C.cf_fairness_method(method))
	})
}

// Ratio is fairlearn's MetricFrame.ratio(method); a zero denominator gives NaN (ZeroDivisor).
func (r *FairnessReport) Ratio(m FairnessMetric, method FairnessMethod) (Disparity, error) {
	return r.disp(func(d *C.cf_fairness_disparity, p *C.cf_fairness_report) C.int {
		return C.cf_fairness_ratio(d, p, C.cf_fairness_metric(m), C.cf_fairness_method(method))
	})
}

// GroupMin / GroupMax are the extremes over the groups compared.
func (r *FairnessReport) GroupMin(m FairnessMetric) (Disparity, error) { return r.extreme(m, 0) }

// GroupMax: see GroupMin.
func (r *FairnessReport) GroupMax(m FairnessMetric) (Disparity, error) { return r.extreme(m, 1) }

func (r *FairnessReport) extreme(m FairnessMetric, largest C.int) (Disparity, error) {
	return r.disp(func(d *C.cf_fairness_disparity, p *C.cf_fairness_report) C.int {
		return C.cf_fairness_group_extreme(d, p, C.cf_fairness_metric(m), largest)
	})
}

// EqualizedOdds combines the TPR and FPR differences (ratio false) or ratios (ratio true) by agg.
func (r *FairnessReport) EqualizedOdds(method FairnessMethod, agg EqualizedOddsAgg, ratio bool) (Disparity, error) {
	rt := C.int(0)
	if ratio {
		rt = 1
	}
	return r.disp(func(d *C.cf_fairness_disparity, p *C.cf_fairness_report) C.int {
		return C.cf_fairness_equalized_odds(d, p, C.cf_fairness_method(method), C.cf_fairness_agg(agg), rt)
	})
}

// Privileged compares the pooled unprivileged groups with group `privileged` (AIF360): f(u) - f(p), or
// f(u) / f(p) when ratio. DisparateImpact is the ratio of SelectionRate.
func (r *FairnessReport) Privileged(m FairnessMetric, privileged int, ratio bool) (Disparity, error) {
	rt := C.int(0)
	if ratio {
		rt = 1
	}
	return r.disp(func(d *C.cf_fairness_disparity, p *C.cf_fairness_report) C.int {
		return C.cf_fairness_privileged(d, p, C.cf_fairness_metric(m), C.size_t(privileged), rt)
	})
}

// DisparateImpact is SelectionRate(unprivileged) / SelectionRate(privileged); below FourFifths fails the
// four-fifths rule.
func (r *FairnessReport) DisparateImpact(privileged int) (Disparity, error) {
	return r.Privileged(SelectionRate, privileged, true)
}

// AverageOddsDifference is AIF360's ½[(FPR_u - FPR_p) + (TPR_u - TPR_p)].
func (r *FairnessReport) AverageOddsDifference(privileged int) (Disparity, error) {
	return r.disp(func(d *C.cf_fairness_disparity, p *C.cf_fairness_report) C.int {
		return C.cf_fairness_average_odds_difference(d, p, C.size_t(privileged))
	})
}

// GroupIndex finds the group with these labels (one per grouping feature); -1 when none.
func (r *FairnessReport) GroupIndex(labels ...string) int {
	for i := 0; i < r.NumGroups(); i++ {
		g, err := r.Group(i)
		if err == nil && len(g.Labels) == len(labels) {
			same := true
			for k := range labels {
				same = same && g.Labels[k] == labels[k]
			}
			if same {
				return i
			}
		}
	}
	return -1
}

// JSON renders the report (groups, rates with null + reason when undefined, disparity summary).
func (r *FairnessReport) JSON() ([]byte, error) {
	var out []byte
	err := r.call(func(p *C.cf_fairness_report) C.int {
		var b C.cf_buf
		rc := C.cf_fairness_report_to_json(&b, p)
		if rc == 0 {
			out = takeBuf(&b)
		}
		return rc
	})
	return out, err
}

// SortedLabels returns a feature's labels sorted (a convenience for building dictionaries).
func SortedLabels(values []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range values {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}
