package cogniforge

import (
	"encoding/json"
	"math"
	"testing"
)

var (
	fairY    = []uint8{1, 1, 0, 0, 1, 1, 1, 0}
	fairP    = []uint8{1, 0, 1, 0, 1, 1, 0, 0}
	fairSex  = []string{"f", "f", "f", "f", "m", "m", "m", "m"}
	fairRace = []string{"a", "b", "a", "b", "a", "a", "a", "a"}
)

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*(1+math.Abs(b)) }

func TestFairnessEvaluate(t *testing.T) {
	d := &FairnessData{YTrue: fairY, YPred: fairP, Features: []SensitiveFeature{FeatureFromStrings("sex", fairSex)}}
	r, err := EvaluateFairness(nil, d, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.NumGroups() != 2 || r.Features()[0] != "sex" {
		t.Fatalf("groups %d features %v", r.NumGroups(), r.Features())
	}
	g, _ := r.Group(1)
	if g.Labels[0] != "m" || g.Count != 4 || g.TP != 2 || g.FN != 1 {
		t.Errorf("group m: %+v", g)
	}
	if v, why, _ := r.Value(1, TruePositiveRate); !near(v, 2.0/3) || why != Defined {
		t.Errorf("TPR m %v %v", v, why)
	}
	if v, _, _ := r.Value(Overall, TruePositiveRate); !near(v, 0.6) {
		t.Errorf("overall TPR %v", v)
	}
	if v, why, _ := r.Value(0, GroupROCAUC); !math.IsNaN(v) || why != NoScores {
		t.Errorf("AUC without scores %v %v", v, why)
	}
	if d, _ := r.Difference(TruePositiveRate, BetweenGroups); !near(d.Value, 1.0/6) || d.GroupMin != 0 || d.GroupMax != 1 {
		t.Errorf("TPR difference %+v", d)
	}
	if d, _ := r.Ratio(TruePositiveRate, ToOverall); !near(d.Value, 0.5/0.6) {
		t.Errorf("TPR ratio to overall %+v", d)
	}
	if d, _ := r.EqualizedOdds(BetweenGroups, WorstCase, false); !near(d.Value, 0.5) {
		t.Errorf("EO %+v", d)
	}
	if d, _ := r.EqualizedOdds(BetweenGroups, Mean, true); !near(d.Value, 0.375) {
		t.Errorf("EO ratio mean %+v", d)
	}
	if d, _ := r.DisparateImpact(r.GroupIndex("m")); !near(d.Value, 1) {
		t.Errorf("DI %+v", d)
	}
	if d, _ := r.AverageOddsDifference(1); !near(d.Value, 0.5*(0.5+0.5-2.0/3)) {
		t.Errorf("AOD %+v", d)
	}
	if d, _ := r.Privileged(FalsePositiveRate, 1, true); !math.IsNaN(d.Value) || d.Reason != ZeroDivisor {
		t.Errorf("FPR ratio vs privileged %+v", d)
	}
	js, err := r.JSON()
	var doc map[string]any
	if err != nil || json.Unmarshal(js, &doc) != nil || doc["disparities"] == nil {
		t.Errorf("JSON: %v", err)
	}
	if TruePositiveRate.String() != "true_positive_rate" || NoPositives.String() != "no positives" {
		t.Error("names")
	}
}

func TestFairnessUndefinedAndIntersections(t *testing.T) {
	d := &FairnessData{YTrue: fairY, YPred: fairP, Features: []SensitiveFeature{
		FeatureFromStrings("sex", fairSex), FeatureFromStrings("race", fairRace)}}
	r, err := EvaluateFairness(nil, d, &FairnessOptions{Threshold: 0.5, AUCBins: 0, ScoreMax: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.NumGroups() != 4 {
		t.Fatalf("groups %d", r.NumGroups())
	}
	mb := r.GroupIndex("m", "b")
	if v, why, _ := r.Value(mb, SelectionRate); !math.IsNaN(v) || why != EmptyGroup {
		t.Errorf("empty intersection %v %v", v, why)
	}
	fb := r.GroupIndex("f", "b")
	if v, why, _ := r.Value(fb, PositivePredictiveValue); !math.IsNaN(v) && why != Defined {
		t.Errorf("PPV f,b %v %v", v, why)
	}
	dd, _ := r.Difference(SelectionRate, BetweenGroups)
	if dd.GroupsUndefined != 1 || dd.GroupsCompared != 3 {
		t.Errorf("%+v", dd)
	}
	// bad input: a code out of range, mismatched lengths
	bad := &FairnessData{YTrue: fairY, YPred: fairP, Features: []SensitiveFeature{{Name: "sex",
		Codes: []int32{0, 0, 0, 0, 1, 1, 1, 5}, Labels: []string{"f", "m"}}}}
	if _, err := EvaluateFairness(nil, bad, nil); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("bad code: %v", err)
	}
	short := &FairnessData{YTrue: fairY, YPred: fairP[:3], Features: []SensitiveFeature{FeatureFromStrings("sex", fairSex)}}
	if _, err := EvaluateFairness(nil, short, nil); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("short: %v", err)
	}
}

func TestFairnessAccumulatorShards(t *testing.T) {
	n := 3500
	y := make([]uint8, n)
	s := make([]float64, n)
	sex := make([]string, n)
	race := make([]string, n)
	x := uint64(9)
	for i := 0; i < n; i++ {
		x = x*6364136223846793005 + 1442695040888963407
		y[i] = uint8(x >> 63)
		s[i] = math.Min(1, 0.3*float64(y[i])+0.7*float64(x>>11&0xffff)/65536)
		sex[i] = []string{"f", "m"}[x>>20&1]
		race[i] = []string{"a", "b", "c"}[(x>>30)%3]
	}
	chunk := func(a, b int) *FairnessData {
		return &FairnessData{YTrue: y[a:b], Scores: s[a:b], Features: []SensitiveFeature{
			FeatureFromStrings("sex", sex[a:b]), FeatureFromStrings("race", race[a:b])}}
	}
	one, err := NewFairnessAccumulator(nil, []string{"sex", "race"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer one.Close()
	if err := one.Update(chunk(0, n)); err != nil {
		t.Fatal(err)
	}
	merged, _ := NewFairnessAccumulator(nil, []string{"sex", "race"}, nil)
	defer merged.Close()
	for k := 0; k < 7; k++ {
		shard, _ := NewFairnessAccumulator(nil, []string{"sex", "race"}, nil)
		if err := shard.Update(chunk(k*n/7, (k+1)*n/7)); err != nil {
			t.Fatal(err)
		}
		b, _ := shard.MarshalBinary()
		back, err := UnmarshalFairness(nil, b)
		if err != nil {
			t.Fatal(err)
		}
		if err := merged.Merge(back); err != nil {
			t.Fatal(err)
		}
		back.Close()
		shard.Close()
	}
	b1, _ := one.MarshalBinary()
	b2, _ := merged.MarshalBinary()
	if string(b1) != string(b2) || merged.NumRows() != uint64(n) {
		t.Fatalf("merged shards differ from one pass (rows %d)", merged.NumRows())
	}
	if _, err := UnmarshalFairness(nil, b1[:len(b1)-1]); !IsErrorCode(err, ErrFormat) {
		t.Errorf("truncated: %v", err)
	}
	rep, err := merged.Report("race")
	if err != nil {
		t.Fatal(err)
	}
	defer rep.Close()
	exact, err := EvaluateFairness(nil, &FairnessData{YTrue: y, Scores: s, Features: []SensitiveFeature{
		FeatureFromStrings("race", race)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer exact.Close()
	for i := 0; i < rep.NumGroups(); i++ {
		g, _ := rep.Group(i)
		a, _, _ := rep.Value(i, GroupROCAUC)
		e, _, _ := exact.Value(exact.GroupIndex(g.Labels...), GroupROCAUC)
		if math.Abs(a-e) > g.AUCError+1e-12 {
			t.Errorf("group %v: histogram AUC %v, exact %v, bound %v", g.Labels, a, e, g.AUCError)
		}
	}
	if _, err := rep.Group(99); !IsErrorCode(err, ErrInvalid) {
		t.Errorf("group out of range: %v", err)
	}
	if _, err := merged.Report("nope"); !IsErrorCode(err, ErrNotFound) {
		t.Errorf("unknown feature: %v", err)
	}
}
