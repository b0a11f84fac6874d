package cogniforge

/*
#include <stdlib.h>
#include <string.h>
#include <cogniforge/cogniforge.h>

static cf_metrics_options cfgo_metrics_defaults(void) { cf_metrics_options o = CF_METRICS_OPTIONS_INIT; return o; }
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// MetricFlags are the cf_metric_flag bits: why a returned metric is undefined (NaN or the ZeroDivision value)
// or was adjusted. A flag is never an error: errors are returned as *Error.
type MetricFlags uint

// The bits of MetricFlags.
const (
	FlagUndefinedNoPositives  MetricFlags = C.CF_METRIC_UNDEFINED_NO_POSITIVES  // y_true has no positive row
	FlagUndefinedNoNegatives  MetricFlags = C.CF_METRIC_UNDEFINED_NO_NEGATIVES  // y_true has no negative row
	FlagUndefinedPrecision    MetricFlags = C.CF_METRIC_UNDEFINED_PRECISION     // tp + fp = 0 for some label
	FlagUndefinedRecall       MetricFlags = C.CF_METRIC_UNDEFINED_RECALL        // tp + fn = 0 for some label
	FlagUndefinedFScore       MetricFlags = C.CF_METRIC_UNDEFINED_FSCORE        // tp + fp + fn = 0 for some label
	FlagUndefinedZeroDivision MetricFlags = C.CF_METRIC_UNDEFINED_ZERO_DIVISION // another denominator was 0
	FlagClipped               MetricFlags = C.CF_METRIC_CLIPPED                 // log loss clipped a probability
	FlagEmptyBins             MetricFlags = C.CF_METRIC_EMPTY_BINS              // calibration left out empty bins
)

// Average selects how per-label precision, recall and F are combined (scikit-learn's average).
type Average int

// The averages.
const (
	AverageBinary   Average = C.CF_AVERAGE_BINARY   // only PosLabel
	AverageMicro    Average = C.CF_AVERAGE_MICRO    // counts summed over labels first
	AverageMacro    Average = C.CF_AVERAGE_MACRO    // unweighted mean over labels
	AverageWeighted Average = C.CF_AVERAGE_WEIGHTED // mean weighted by support
)

// Normalize is the confusion-matrix normalisation.
type Normalize int

// The normalisations.
const (
	NormalizeNone Normalize = C.CF_NORMALIZE_NONE
	NormalizeTrue Normalize = C.CF_NORMALIZE_TRUE // rows sum to 1
	NormalizePred Normalize = C.CF_NORMALIZE_PRED // columns sum to 1
	NormalizeAll  Normalize = C.CF_NORMALIZE_ALL  // the matrix sums to 1
)

// CalibrationStrategy chooses the calibration bin edges.
type CalibrationStrategy int

// The strategies.
const (
	CalibrationUniform  CalibrationStrategy = C.CF_CALIBRATION_UNIFORM  // equal-width bins over [0, 1]
	CalibrationQuantile CalibrationStrategy = C.CF_CALIBRATION_QUANTILE // edges at quantiles of the probabilities
)

// MetricsOptions are the options of the metric functions; each reads only the fields it needs. A nil
// *MetricsOptions, and zero fields, select the library defaults (scikit-learn's).
type MetricsOptions struct {
	Average          Average             // precision/recall/F; zero: AverageBinary
	PosLabel         *int64              // the positive class; nil: 1
	Labels           []int64             // labels to report, in order; nil: sorted distinct labels of the data
	ZeroDivision     float64             // value of a 0/0 precision, recall or F: 0 (default), 1 or math.NaN()
	Beta             *float64            // F-beta's beta; nil: 1
	Count            bool                // accuracy: weighted count instead of fraction; log loss: sum, not mean
	Normalize        Normalize           // confusion matrix normalisation
	Adjusted         bool                // balanced accuracy: chance maps to 0
	MaxFPR           float64             // ROC AUC: standardised partial AUC up to this FPR; 0: the full area
	KeepIntermediate bool                // ROC curve: keep collinear points
	NBins            int                 // calibration bins; 0: 5
	Strategy         CalibrationStrategy // calibration edges
	Eps              float64             // log loss clipping; 0: machine epsilon of float64
}

// Curve is a ROC, precision-recall or calibration curve (see cf_curve in metrics.h): X is FPR, precision or
// the fraction of positives; Y is TPR, recall or the mean probability; Thresholds are the ROC thresholds
// (decreasing, the first +Inf), the PR thresholds (increasing, one fewer than the points) or the calibration
// bin edges; Counts is the weight per calibration bin (nil otherwise).
type Curve struct {
	X, Y, Thresholds, Counts []float64
}

// PerLabelScores are precision, recall, F and support per label (scikit-learn's average=None).
type PerLabelScores struct {
	Labels                             []int64
	Precision, Recall, FScore, Support []float64
	Flags                              []MetricFlags
}

// Score is a score element type the ranking metrics read without conversion.
type Score interface{ ~float32 | ~float64 }

// cMetricsOptions converts opts; free releases the C copy of Labels.
func cMetricsOptions(opts *MetricsOptions) (co C.cf_metrics_options, free func(), err error) {
	co = C.cfgo_metrics_defaults()
	free = func() {}
	if opts == nil {
		return co, free, nil
	}
	co.average = C.cf_average(opts.Average)
	if opts.PosLabel != nil {
		co.pos_label = C.int64_t(*opts.PosLabel)
	}
	co.zero_division = C.double(opts.ZeroDivision)
	if opts.Beta != nil {
		co.beta = C.double(*opts.Beta)
	}
	if opts.Count {
		co.normalize = 0
	}
	co.cm_normalize = C.cf_normalize(opts.Normalize)
	if opts.Adjusted {
		co.adjusted = 1
	}
	if opts.MaxFPR != 0 {
		co.max_fpr = C.double(opts.MaxFPR)
	}
	if opts.KeepIntermediate {
		co.drop_intermediate = 0
	}
	if opts.NBins < 0 {
		return co, free, newError(ErrInvalid, "MetricsOptions.NBins: %d is negative", opts.NBins)
	}
	if opts.NBins > 0 {
		co.n_bins = C.size_t(opts.NBins)
	}
	co.strategy = C.cf_calibration_strategy(opts.Strategy)
	co.eps = C.double(opts.Eps)
	if opts.Labels != nil {
		if len(opts.Labels) == 0 {
			return co, free, newError(ErrInvalid, "MetricsOptions.Labels: an empty list of labels")
		}
		// C memory: a Go pointer may not be stored in memory handed to C (Go 1.19 has no runtime.Pinner)
		size := C.size_t(len(opts.Labels)) * C.size_t(unsafe.Sizeof(C.int64_t(0)))
		p := C.malloc(size)
		if p == nil {
			return co, free, newError(ErrNoMemory, "MetricsOptions.Labels: out of memory")
		}
		C.memcpy(p, unsafe.Pointer(&opts.Labels[0]), size)
		co.labels = (*C.int64_t)(p)
		co.labels_count = C.size_t(len(opts.Labels))
		free = func() { C.free(p) }
	}
	return co, free, nil
}

// rows checks the lengths of the row arrays and returns their C pointers (nil for empty or absent ones).
func rows(yTrue []int64, other int, weights []float64) (n C.size_t, w *C.double, err error) {
	if other != len(yTrue) {
		return 0, nil, newError(ErrInvalid, "the arrays have different lengths (%d and %d)", len(yTrue), other)
	}
	if weights != nil {
		if len(weights) != len(yTrue) {
			return 0, nil, newError(ErrInvalid, "sampleWeight has %d elements, yTrue %d", len(weights), len(yTrue))
		}
		if len(weights) > 0 {
			w = (*C.double)(unsafe.Pointer(&weights[0]))
		}
	}
	return C.size_t(len(yTrue)), w, nil
}

func int64Ptr(s []int64) *C.int64_t {
	if len(s) == 0 {
		return nil
	}
	return (*C.int64_t)(unsafe.Pointer(&s[0]))
}

func float64Ptr(s []float64) *C.double {
	if len(s) == 0 {
		return nil
	}
	return (*C.double)(unsafe.Pointer(&s[0]))
}

func scorePtr[S Score](s []S) (unsafe.Pointer, C.cf_score_type) {
	var zero S
	t := C.cf_score_type(C.CF_SCORE_FLOAT64)
	if unsafe.Sizeof(zero) == 4 {
		t = C.CF_SCORE_FLOAT32
	}
	if len(s) == 0 {
		return nil, t
	}
	return unsafe.Pointer(&s[0]), t
}

// labelCall runs a (yTrue, yPred, weights) metric with the options converted, on a locked OS thread.
func labelCall(yTrue, yPred []int64, weights []float64, opts *MetricsOptions,
	call func(yt, yp *C.int64_t, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int) error {
	n, w, err := rows(yTrue, len(yPred), weights)
	if err != nil {
		return err
	}
	co, free, err := cMetricsOptions(opts)
	if err != nil {
		return err
	}
	defer free()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if rc := call(int64Ptr(yTrue), int64Ptr(yPred), w, n, &co); rc < 0 {
		return makeError(rc)
	}
	runtime.KeepAlive(yTrue)
	runtime.KeepAlive(yPred)
	runtime.KeepAlive(weights)
	return nil
}

// AccuracyScore is the weighted fraction (opts.Count: the weighted count) of rows with yPred == yTrue.
func AccuracyScore(yTrue, yPred []int64, sampleWeight []float64, opts *MetricsOptions) (float64, error) {
	var v C.double
	err := labelCall(yTrue, yPred, sampleWeight, opts, func(yt, yp *C.int64_t, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_accuracy_score(&v, yt, yp, w, n, o)
	})
	return float64(v), err
}

// BalancedAccuracyScore is the mean recall over the labels present in yTrue (opts.Adjusted: chance is 0).
func BalancedAccuracyScore(yTrue, yPred []int64, sampleWeight []float64, opts *MetricsOptions) (float64, MetricFlags, error) {
	var v C.double
	var f C.uint
	err := labelCall(yTrue, yPred, sampleWeight, opts, func(yt, yp *C.int64_t, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_balanced_accuracy_score(&v, &f, yt, yp, w, n, o)
	})
	return float64(v), MetricFlags(f), err
}

// MatthewsCorrCoef is the Matthews correlation coefficient (0 with FlagUndefinedZeroDivision when undefined).
func MatthewsCorrCoef(yTrue, yPred []int64, sampleWeight []float64) (float64, MetricFlags, error) {
	var v C.double
	var f C.uint
	err := labelCall(yTrue, yPred, sampleWeight, nil, func(yt, yp *C.int64_t, w *C.double, n C.size_t, _ *C.cf_metrics_options) C.int {
		return C.cf_matthews_corrcoef(&v, &f, yt, yp, w, n)
	})
	return float64(v), MetricFlags(f), err
}

// MetricsLabels are the labels the classification metrics report: opts.Labels, or the sorted distinct values
// of yTrue and yPred (yPred may be nil).
func MetricsLabels(yTrue, yPred []int64, opts *MetricsOptions) ([]int64, error) {
	if yPred != nil && len(yPred) != len(yTrue) {
		return nil, newError(ErrInvalid, "the arrays have different lengths (%d and %d)", len(yTrue), len(yPred))
	}
	co, free, err := cMetricsOptions(opts)
	if err != nil {
		return nil, err
	}
	defer free()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var k C.size_t
	if rc := C.cf_metrics_labels(nil, 0, &k, int64Ptr(yTrue), int64Ptr(yPred), C.size_t(len(yTrue)), &co); rc < 0 {
		return nil, makeError(rc)
	}
	out := make([]int64, int(k))
	if k > 0 {
		if rc := C.cf_metrics_labels(int64Ptr(out), k, &k, int64Ptr(yTrue), int64Ptr(yPred), C.size_t(len(yTrue)), &co); rc < 0 {
			return nil, makeError(rc)
		}
	}
	runtime.KeepAlive(yTrue)
	runtime.KeepAlive(yPred)
	return out, nil
}

// ConfusionMatrix returns the K x K matrix (row-major: rows true labels, columns predicted) and its labels.
func ConfusionMatrix(yTrue, yPred []int64, sampleWeight []float64, opts *MetricsOptions) ([]float64, []int64, MetricFlags, error) {
	labels, err := MetricsLabels(yTrue, yPred, opts)
	if err != nil {
		return nil, nil, 0, err
	}
	k := len(labels)
	out := make([]float64, k*k)
	var f C.uint
	err = labelCall(yTrue, yPred, sampleWeight, opts, func(yt, yp *C.int64_t, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_confusion_matrix(float64Ptr(out), C.size_t(len(out)), &f, yt, yp, w, n, o)
	})
	if err != nil {
		return nil, nil, 0, err
	}
	return out, labels, MetricFlags(f), nil
}

// PrecisionRecallFScore returns precision, recall and F-beta averaged by opts.Average.
func PrecisionRecallFScore(yTrue, yPred []int64, sampleWeight []float64, opts *MetricsOptions) (precision, recall, fscore float64, flags MetricFlags, err error) {
	var p, r, fs C.double
	var f C.uint
	err = labelCall(yTrue, yPred, sampleWeight, opts, func(yt, yp *C.int64_t, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_precision_recall_fscore(&p, &r, &fs, &f, yt, yp, w, n, o)
	})
	return float64(p), float64(r), float64(fs), MetricFlags(f), err
}

// PrecisionScore is tp / (tp + fp), averaged by opts.Average.
func PrecisionScore(yTrue, yPred []int64, sampleWeight []float64, opts *MetricsOptions) (float64, MetricFlags, error) {
	p, _, _, f, err := PrecisionRecallFScore(yTrue, yPred, sampleWeight, opts)
	return p, f & (FlagUndefinedPrecision | FlagUndefinedZeroDivision), err
}

// RecallScore is tp / (tp + fn), averaged by opts.Average.
func RecallScore(yTrue, yPred []int64, sampleWeight []float64, opts *MetricsOptions) (float64, MetricFlags, error) {
	_, r, _, f, err := PrecisionRecallFScore(yTrue, yPred, sampleWeight, opts)
	return r, f & (FlagUndefinedRecall | FlagUndefinedZeroDivision), err
}

// FBetaScore is (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp), averaged by opts.Average (opts.Beta is ignored).
func FBetaScore(yTrue, yPred []int64, beta float64, sampleWeight []float64, opts *MetricsOptions) (float64, MetricFlags, error) {
	o := MetricsOptions{}
	if opts != nil {
		o = *opts
	}
	o.Beta = &beta
	_, _, fs, f, err := PrecisionRecallFScore(yTrue, yPred, sampleWeight, &o)
	return fs, f & (FlagUndefinedFScore | FlagUndefinedZeroDivision), err
}

// F1Score is 2 tp / (2 tp + fp + fn), averaged by opts.Average.
func F1Score(yTrue, yPred []int64, sampleWeight []float64, opts *MetricsOptions) (float64, MetricFlags, error) {
	return FBetaScore(yTrue, yPred, 1, sampleWeight, opts)
}

// PrecisionRecallFScoreSupport returns the scores of every label (opts.Average is ignored).
func PrecisionRecallFScoreSupport(yTrue, yPred []int64, sampleWeight []float64, opts *MetricsOptions) (*PerLabelScores, MetricFlags, error) {
	labels, err := MetricsLabels(yTrue, yPred, opts)
	if err != nil {
		return nil, 0, err
	}
	k := len(labels)
	res := &PerLabelScores{Labels: labels, Precision: make([]float64, k), Recall: make([]float64, k),
		FScore: make([]float64, k), Support: make([]float64, k), Flags: make([]MetricFlags, k)}
	lf := make([]C.uint, k+1)
	var f C.uint
	err = labelCall(yTrue, yPred, sampleWeight, opts, func(yt, yp *C.int64_t, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_precision_recall_fscore_support(float64Ptr(res.Precision), float64Ptr(res.Recall),
			float64Ptr(res.FScore), float64Ptr(res.Support), &lf[0], C.size_t(k), &f, yt, yp, w, n, o)
	})
	if err != nil {
		return nil, 0, err
	}
	for i := 0; i < k; i++ {
		res.Flags[i] = MetricFlags(lf[i])
	}
	return res, MetricFlags(f), nil
}

// rankCall runs a ranking metric on a locked OS thread.
func rankCall[S Score](yTrue []int64, yScore []S, weights []float64, opts *MetricsOptions,
	call func(yt *C.int64_t, s unsafe.Pointer, t C.cf_score_type, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int) error {
	n, w, err := rows(yTrue, len(yScore), weights)
	if err != nil {
		return err
	}
	co, free, err := cMetricsOptions(opts)
	if err != nil {
		return err
	}
	defer free()
	s, t := scorePtr(yScore)
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if rc := call(int64Ptr(yTrue), s, t, w, n, &co); rc < 0 {
		return makeError(rc)
	}
	runtime.KeepAlive(yTrue)
	runtime.KeepAlive(yScore)
	runtime.KeepAlive(weights)
	return nil
}

// curveFromC copies a C curve into Go slices and disposes it.
func curveFromC(c *C.cf_curve) *Curve {
	defer C.cf_curve_dispose(c)
	cp := func(p *C.double, n C.size_t) []float64 {
		if p == nil {
			return nil
		}
		out := make([]float64, int(n))
		copy(out, unsafe.Slice((*float64)(unsafe.Pointer(p)), int(n)))
		return out
	}
	return &Curve{X: cp(c.x, c.size), Y: cp(c.y, c.size), Thresholds: cp(c.thresholds, c.thresholds_size),
		Counts: cp(c.counts, c.size)}
}

// RocAucScore is the binary ROC AUC (positive: opts.PosLabel), ties counted one half; opts.MaxFPR gives the
// McClish-standardised partial AUC. NaN with a flag without positives or negatives. float32 scores are read
// in place.
func RocAucScore[S Score](yTrue []int64, yScore []S, sampleWeight []float64, opts *MetricsOptions) (float64, MetricFlags, error) {
	var v C.double
	var f C.uint
	err := rankCall(yTrue, yScore, sampleWeight, opts, func(yt *C.int64_t, s unsafe.Pointer, t C.cf_score_type, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_roc_auc_score(&v, &f, yt, s, t, w, n, o)
	})
	return float64(v), MetricFlags(f), err
}

// RocCurve returns FPR (X), TPR (Y) and decreasing thresholds, the first point (0, 0) at +Inf.
func RocCurve[S Score](yTrue []int64, yScore []S, sampleWeight []float64, opts *MetricsOptions) (*Curve, MetricFlags, error) {
	var c C.cf_curve
	var f C.uint
	err := rankCall(yTrue, yScore, sampleWeight, opts, func(yt *C.int64_t, s unsafe.Pointer, t C.cf_score_type, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_roc_curve(&c, &f, yt, s, t, w, n, o)
	})
	if err != nil {
		return nil, 0, err
	}
	return curveFromC(&c), MetricFlags(f), nil
}

// AveragePrecisionScore is the step sum of (R_k - R_{k-1}) P_k (0 with a flag without positives).
func AveragePrecisionScore[S Score](yTrue []int64, yScore []S, sampleWeight []float64, opts *MetricsOptions) (float64, MetricFlags, error) {
	var v C.double
	var f C.uint
	err := rankCall(yTrue, yScore, sampleWeight, opts, func(yt *C.int64_t, s unsafe.Pointer, t C.cf_score_type, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_average_precision_score(&v, &f, yt, s, t, w, n, o)
	})
	return float64(v), MetricFlags(f), err
}

// PrecisionRecallCurve returns precision (X), recall (Y) and increasing thresholds, as scikit-learn.
func PrecisionRecallCurve[S Score](yTrue []int64, yScore []S, sampleWeight []float64, opts *MetricsOptions) (*Curve, MetricFlags, error) {
	var c C.cf_curve
	var f C.uint
	err := rankCall(yTrue, yScore, sampleWeight, opts, func(yt *C.int64_t, s unsafe.Pointer, t C.cf_score_type, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_precision_recall_curve(&c, &f, yt, s, t, w, n, o)
	})
	if err != nil {
		return nil, 0, err
	}
	return curveFromC(&c), MetricFlags(f), nil
}

// probCall runs a (yTrue, yProb, weights) metric.
func probCall(yTrue []int64, yProb []float64, perRow int, weights []float64, opts *MetricsOptions,
	call func(yt *C.int64_t, p *C.double, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int) error {
	if perRow < 1 || len(yProb) != perRow*len(yTrue) {
		return newError(ErrInvalid, "yProb has %d values for %d rows of %d", len(yProb), len(yTrue), perRow)
	}
	n, w, err := rows(yTrue, len(yTrue), weights)
	if err != nil {
		return err
	}
	co, free, err := cMetricsOptions(opts)
	if err != nil {
		return err
	}
	defer free()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	if rc := call(int64Ptr(yTrue), float64Ptr(yProb), w, n, &co); rc < 0 {
		return makeError(rc)
	}
	runtime.KeepAlive(yTrue)
	runtime.KeepAlive(yProb)
	runtime.KeepAlive(weights)
	return nil
}

// LogLoss is the cross-entropy; yProb holds nClasses probabilities per row (nClasses 1: the probability of
// the larger of two labels), clipped to [eps, 1 - eps].
func LogLoss(yTrue []int64, yProb []float64, nClasses int, sampleWeight []float64, opts *MetricsOptions) (float64, MetricFlags, error) {
	var v C.double
	var f C.uint
	err := probCall(yTrue, yProb, nClasses, sampleWeight, opts, func(yt *C.int64_t, p *C.double, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_log_loss(&v, &f, yt, p, C.size_t(nClasses), w, n, o)
	})
	return float64(v), MetricFlags(f), err
}

// BrierScoreLoss is the mean squared difference between yProb and yTrue == opts.PosLabel.
func BrierScoreLoss(yTrue []int64, yProb []float64, sampleWeight []float64, opts *MetricsOptions) (float64, error) {
	var v C.double
	err := probCall(yTrue, yProb, 1, sampleWeight, opts, func(yt *C.int64_t, p *C.double, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_brier_score_loss(&v, yt, p, w, n, o)
	})
	return float64(v), err
}

// CalibrationCurve returns, per non-empty bin, the fraction of positives (X), the mean probability (Y) and
// the weight (Counts); Thresholds are the bin edges.
func CalibrationCurve(yTrue []int64, yProb []float64, sampleWeight []float64, opts *MetricsOptions) (*Curve, MetricFlags, error) {
	var c C.cf_curve
	var f C.uint
	err := probCall(yTrue, yProb, 1, sampleWeight, opts, func(yt *C.int64_t, p *C.double, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_calibration_curve(&c, &f, yt, p, w, n, o)
	})
	if err != nil {
		return nil, 0, err
	}
	return curveFromC(&c), MetricFlags(f), nil
}

// ExpectedCalibrationError is the bin-weighted mean |fraction of positives - mean probability|.
func ExpectedCalibrationError(yTrue []int64, yProb []float64, sampleWeight []float64, opts *MetricsOptions) (float64, MetricFlags, error) {
	var v C.double
	var f C.uint
	err := probCall(yTrue, yProb, 1, sampleWeight, opts, func(yt *C.int64_t, p *C.double, w *C.double, n C.size_t, o *C.cf_metrics_options) C.int {
		return C.cf_expected_calibration_error(&v, &f, yt, p, w, n, o)
	})
	return float64(v), MetricFlags(f), err
}
