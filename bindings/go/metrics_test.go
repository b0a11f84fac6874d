package cogniforge

import (
	"errors"
	"math"
	"testing"
)

func metricNear(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.17g, want %.17g", name, got, want)
	}
}

func TestMetricsRanking(t *testing.T) {
	y := []int64{0, 0, 1, 1}
	s := []float64{0.1, 0.4, 0.35, 0.8}
	v, f, err := RocAucScore(y, s, nil, nil)
	if err != nil || f != 0 {
		t.Fatal(err, f)
	}
	metricNear(t, "auc", v, 0.75)
	v, _, err = RocAucScore(y, []float32{0.1, 0.4, 0.35, 0.8}, nil, &MetricsOptions{MaxFPR: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	metricNear(t, "auc max_fpr", v, 2.0/3.0)
	v, _, _ = AveragePrecisionScore(y, s, nil, nil)
	metricNear(t, "ap", v, 0.8333333333333333)
	c, _, err := RocCurve(y, s, nil, nil)
	if err != nil || len(c.X) != 5 || !math.IsInf(c.Thresholds[0], 1) || c.Counts != nil {
		t.Fatalf("roc curve %+v %v", c, err)
	}
	pr, _, err := PrecisionRecallCurve(y, s, nil, nil)
	if err != nil || len(pr.X) != 5 || len(pr.Thresholds) != 4 {
		t.Fatalf("pr curve %+v %v", pr, err)
	}
	// one class: NaN and a flag, not an error
	v, f, err = RocAucScore([]int64{1, 1}, []float64{0.1, 0.2}, nil, nil)
	if err != nil || !math.IsNaN(v) || f != FlagUndefinedNoNegatives {
		t.Fatalf("one class: %v %v %v", v, f, err)
	}
	// weights with a zero
	v, _, _ = RocAucScore([]int64{0, 1, 1, 1}, []float64{0.3, 0.2, 0.9, 0}, []float64{1, 2, 1, 0}, nil)
	metricNear(t, "weighted auc", v, 1.0/3.0)
}

func TestMetricsErrors(t *testing.T) {
	_, _, err := RocAucScore([]int64{}, []float64{}, nil, nil)
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("empty input: %v", err)
	}
	_, _, err = RocAucScore([]int64{0, 1}, []float64{0.1, math.NaN()}, nil, nil)
	if !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("NaN: %v", err)
	}
	_, _, err = RocAucScore([]int64{0, 1}, []float64{0.1}, nil, nil)
	if !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("lengths: %v", err)
	}
	_, _, err = F1Score([]int64{0, 1, 2}, []int64{0, 1, 2}, nil, nil)
	if !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("binary with three labels: %v", err)
	}
	_, err = AccuracyScore([]int64{0, 1}, []int64{0, 1}, []float64{0, 0}, nil)
	if !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("zero weights: %v", err)
	}
	_, _, err = LogLoss([]int64{1, 1}, []float64{0.5, 0.5}, 1, nil, nil)
	if !IsErrorCode(err, ErrInvalid) {
		t.Fatalf("one label: %v", err)
	}
}

func TestMetricsLabels(t *testing.T) {
	yt := []int64{0, 1, 2, 0, 1, 2}
	yp := []int64{0, 2, 1, 0, 0, 1}
	v, _, err := F1Score(yt, yp, nil, &MetricsOptions{Average: AverageMacro})
	if err != nil {
		t.Fatal(err)
	}
	metricNear(t, "f1 macro", v, 0.26666666666666666)
	v, _, _ = PrecisionScore(yt, yp, nil, &MetricsOptions{Average: AverageMicro})
	metricNear(t, "precision micro", v, 1.0/3.0)
	per, _, err := PrecisionRecallFScoreSupport(yt, yp, nil, &MetricsOptions{Labels: []int64{0, 1, 2, 9}, ZeroDivision: 1})
	if err != nil || len(per.Labels) != 4 {
		t.Fatal(err, per)
	}
	metricNear(t, "f label 0", per.FScore[0], 0.8)
	metricNear(t, "f label 9", per.FScore[3], 1.0)
	if per.Flags[3]&FlagUndefinedRecall == 0 || per.Support[3] != 0 {
		t.Errorf("label 9: %+v", per)
	}
	cm, labels, _, err := ConfusionMatrix([]int64{2, 0, 2, 2, 0, 1}, []int64{0, 0, 2, 2, 0, 2}, nil, nil)
	if err != nil || len(labels) != 3 {
		t.Fatal(err)
	}
	want := []float64{2, 0, 0, 0, 0, 1, 1, 0, 2}
	for i := range want {
		metricNear(t, "cm", cm[i], want[i])
	}
	acc, _ := AccuracyScore([]int64{0, 2, 1, 3}, []int64{0, 1, 2, 3}, nil, nil)
	metricNear(t, "accuracy", acc, 0.5)
	acc, _ = AccuracyScore([]int64{0, 2, 1, 3}, []int64{0, 1, 2, 3}, nil, &MetricsOptions{Count: true})
	metricNear(t, "accuracy count", acc, 2)
	b, _, _ := BalancedAccuracyScore([]int64{0, 1, 0, 0, 1, 0}, []int64{0, 1, 0, 0, 0, 1}, nil, nil)
	metricNear(t, "balanced", b, 0.625)
	m, _, _ := MatthewsCorrCoef([]int64{1, 1, 1, -1}, []int64{1, -1, 1, 1}, nil)
	metricNear(t, "mcc", m, -1.0/3.0)
	p, f, _ := PrecisionScore([]int64{1, 0}, []int64{0, 0}, nil, nil)
	if p != 0 || f != FlagUndefinedPrecision {
		t.Errorf("zero division: %v %v", p, f)
	}
	one := int64(0)
	r, _, _ := RecallScore([]int64{1, 0}, []int64{0, 0}, nil, &MetricsOptions{PosLabel: &one})
	metricNear(t, "recall pos 0", r, 1)
}

func TestMetricsProbabilistic(t *testing.T) {
	v, _, err := LogLoss([]int64{1, 0, 0, 1}, []float64{.1, .9, .9, .1, .8, .2, .35, .65}, 2, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	metricNear(t, "log loss", v, 0.21616187468057912)
	v, f, _ := LogLoss([]int64{0, 1}, []float64{1, 0}, 1, nil, nil)
	metricNear(t, "log loss clipped", v, -math.Log(0x1p-52))
	if f != FlagClipped {
		t.Errorf("flags %v", f)
	}
	bs, err := BrierScoreLoss([]int64{0, 1, 1, 0}, []float64{0.1, 0.9, 0.8, 0.3}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	metricNear(t, "brier", bs, 0.0375)
	y := []int64{0, 0, 0, 0, 1, 1, 1, 1, 1}
	p := []float64{0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0}
	c, _, err := CalibrationCurve(y, p, nil, &MetricsOptions{NBins: 3})
	if err != nil || len(c.X) != 3 || len(c.Thresholds) != 4 {
		t.Fatal(err, c)
	}
	metricNear(t, "prob_pred[1]", c.Y[1], 0.525)
	e, _, _ := ExpectedCalibrationError(y, p, nil, &MetricsOptions{NBins: 3})
	metricNear(t, "ece", e, 1.25/9)
}
