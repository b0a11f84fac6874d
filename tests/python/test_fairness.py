"""cogniforge.fairness: the Python API (fairlearn-shaped functions, MetricFrame, accumulators)."""

import math
import pickle

import pytest

import cogniforge
from cogniforge import fairness as F

np = pytest.importorskip("numpy")

YT = [1, 1, 0, 0, 1, 1, 1, 0]
YP = [1, 0, 1, 0, 1, 1, 0, 0]
SEX = ["f", "f", "f", "f", "m", "m", "m", "m"]


def test_base_rates():
    assert F.selection_rate(YT, YP) == 0.5
    assert F.true_positive_rate(YT, YP) == 0.6
    assert F.false_positive_rate(YT, YP) == pytest.approx(1 / 3)
    assert F.true_negative_rate(YT, YP) == pytest.approx(2 / 3)
    assert F.false_negative_rate(YT, YP) == pytest.approx(0.4)
    assert F.positive_predictive_value(YT, YP) == 0.75
    assert F.count(YT, YP) == 8
    assert math.isnan(F.true_positive_rate([0, 0], [1, 0]))  # fairlearn: 0.0
    assert F.selection_rate(YT, YP, sample_weight=[2, 1, 1, 1, 1, 1, 1, 1]) == pytest.approx(5 / 9)
    with pytest.raises(ValueError):
        F.selection_rate([], [])


def test_disparities():
    kw = dict(sensitive_features=SEX)
    assert F.demographic_parity_difference(YT, YP, **kw) == 0.0
    assert F.demographic_parity_ratio(YT, YP, **kw) == 1.0
    assert F.equal_opportunity_difference(YT, YP, **kw) == pytest.approx(2 / 3 - 0.5)
    assert F.equal_opportunity_ratio(YT, YP, **kw) == pytest.approx(0.75)
    assert F.equalized_odds_difference(YT, YP, **kw) == pytest.approx(0.5)
    assert F.equalized_odds_difference(YT, YP, agg="mean", **kw) == pytest.approx((0.5 + 1 / 6) / 2)
    assert F.equalized_odds_ratio(YT, YP, **kw) == 0.0
    assert F.equalized_odds_ratio(YT, YP, agg="mean", **kw) == pytest.approx(0.375)
    assert F.equalized_odds_difference(YT, YP, method="to_overall", **kw) == pytest.approx(1 / 3)
    assert F.predictive_parity_difference(YT, YP, **kw) == pytest.approx(0.5)
    assert F.predictive_parity_ratio(YT, YP, **kw) == pytest.approx(0.5)
    assert F.disparate_impact(YT, YP, privileged="m", **kw) == 1.0
    assert F.disparate_impact(YT, YP, **kw) == 1.0
    assert F.passes_four_fifths(0.79) is False and F.passes_four_fifths(0.8) is True
    assert F.passes_four_fifths(math.nan) is None
    assert F.average_odds_difference(YT, YP, privileged="m", **kw) == pytest.approx(0.5 * (0.5 + 0.5 - 2 / 3))
    assert F.statistical_parity_difference(YT, YP, privileged="m", **kw) == 0.0
    with pytest.raises(ValueError):
        F.equalized_odds_difference(YT, YP, agg="median", **kw)
    with pytest.raises(ValueError):
        F.demographic_parity_difference(YT, YP, method="nope", **kw)
    with pytest.raises(ValueError):
        F.disparate_impact(YT, YP, privileged="x", **kw)


def test_metric_frame_forms():
    mf = F.MetricFrame(metrics=F.true_positive_rate, y_true=YT, y_pred=YP, sensitive_features=SEX)
    assert mf.by_group == {"f": 0.5, "m": pytest.approx(2 / 3)}
    assert mf.overall == 0.6
    assert mf.difference() == pytest.approx(1 / 6)
    assert mf.ratio() == pytest.approx(0.75)
    assert mf.group_min() == 0.5
    assert mf.group_max() == pytest.approx(2 / 3)
    # a dict of metrics, numpy input, two features given as a dict: intersections
    race = np.array(["a", "b", "a", "b", "a", "a", "a", "a"])
    mf = F.MetricFrame(metrics={"sr": "selection_rate", "acc": "accuracy_score", "n": F.count},
                       y_true=np.array(YT), y_pred=np.array(YP), sensitive_features={"sex": SEX, "race": race})
    assert set(mf.by_group["sr"]) == {("f", "a"), ("f", "b"), ("m", "a"), ("m", "b")}
    assert math.isnan(mf.by_group["sr"][("m", "b")])
    assert mf.undefined()["sr"] == {("m", "b"): "empty group"}
    assert mf.by_group["n"][("m", "a")] == 4
    assert mf.overall["n"] == 8
    # a 2-D array: columns are features
    mf2 = F.MetricFrame(metrics="selection_rate", y_true=YT, y_pred=YP,
                        sensitive_features=np.stack([np.array(SEX), race], axis=1))
    assert mf2.by_group == mf.by_group["sr"] or all(
        (math.isnan(a) and math.isnan(b)) or a == b for a, b in zip(mf2.by_group.values(), mf.by_group["sr"].values()))


def test_metric_frame_python_callable_and_params():
    def weighted_error(y_true, y_pred, sample_weight):
        return sum(w for a, b, w in zip(y_true, y_pred, sample_weight) if a != b) / sum(sample_weight)

    w = [1, 2, 1, 1, 1, 1, 3, 1]
    mf = F.MetricFrame(metrics={"err": weighted_error, "tpr": F.true_positive_rate}, y_true=YT, y_pred=YP,
                       sensitive_features=SEX, sample_params={"err": {"sample_weight": w},
                                                              "tpr": {"sample_weight": w}})
    assert mf.by_group["err"]["f"] == pytest.approx(3 / 5)
    assert mf.by_group["tpr"]["f"] == pytest.approx(1 / 3)
    assert mf.by_group["tpr"]["m"] == pytest.approx(2 / 5)
    assert mf.difference()["err"] == pytest.approx(3 / 5 - 3 / 6)
    assert mf.ratio(method="to_overall")["err"] == pytest.approx((6 / 11) / (3 / 5))


def test_metric_frame_scores_auc_and_min_group_size():
    ys = [0.9, 0.4, 0.5, 0.5, 0.8, 0.7, 0.1, 0.2]
    mf = F.MetricFrame(metrics="roc_auc_score", y_true=YT, y_pred=ys, sensitive_features=SEX)
    assert mf.by_group["f"] == pytest.approx(0.5)
    assert mf.by_group["m"] == pytest.approx(2 / 3)
    sf = ["a"] * 5 + ["b"] * 2 + ["c"]
    mf = F.MetricFrame(metrics="selection_rate", y_true=YT, y_pred=YP, sensitive_features=sf, min_group_size=2)
    assert mf.by_group["c"] == 0.0  # reported
    assert mf.difference() == pytest.approx(0.6 - 0.5)  # c left out


def test_string_labels_and_pos_label():
    yt = ["yes", "no", "yes", "no"]
    yp = ["yes", "yes", "no", "no"]
    assert F.true_positive_rate(yt, yp, pos_label="yes") == 0.5
    assert F.selection_rate(yt, yp, pos_label="yes") == 0.5
    mf = F.MetricFrame(metrics="true_positive_rate", y_true=yt, y_pred=yp, sensitive_features=[1, 1, 2, 2],
                       pos_label="yes")
    assert mf.by_group == {1: 1.0, 2: 0.0}
    with pytest.raises(ValueError):
        F.MetricFrame(metrics="selection_rate", y_true=YT, y_pred=YP, sensitive_features=[None] * 8)


def test_evaluate_json():
    rep = F.evaluate(YT, sensitive_features=SEX, y_score=[0.9, 0.4, 0.5, 0.5, 0.8, 0.7, 0.1, 0.2])
    assert rep["auc"] == "exact"
    assert rep["groups"][0]["labels"] == {"sensitive_feature_0": "f"}
    assert rep["groups"][0]["roc_auc"] == pytest.approx(0.5)
    assert "demographic_parity_difference" in rep["disparities"]


def test_accumulator_merge_and_bytes():
    rng = np.random.default_rng(7)
    n = 4000
    yt = rng.integers(0, 2, n)
    ys = np.clip(0.3 * yt + 0.7 * rng.random(n), 0, 1)
    sex = rng.choice(["f", "m"], n)
    race = rng.choice(["a", "b", "c"], n)
    one = F.Accumulator(["sex", "race"])
    one.update(yt, sensitive_features={"sex": sex, "race": race}, y_score=ys)
    merged = F.Accumulator(["sex", "race"])
    for part in np.array_split(np.arange(n), 7):
        shard = F.Accumulator(["sex", "race"])
        shard.update(yt[part], sensitive_features={"sex": sex[part], "race": race[part]}, y_score=ys[part])
        merged.merge(F.Accumulator.from_bytes(shard.to_bytes()))
    assert merged.num_rows == n
    assert merged.to_bytes() == one.to_bytes()
    by_race = merged.report(["race"])
    exact = F.evaluate(yt, sensitive_features={"race": race}, y_score=ys)
    for g, e in zip(by_race["groups"], exact["groups"]):
        assert g["count"] == e["count"] and g["tp"] == e["tp"]
        assert abs(g["roc_auc"] - e["roc_auc"]) <= g["auc_error"] + 1e-12
    with pytest.raises(cogniforge.FormatError):
        F.Accumulator.from_bytes(one.to_bytes()[:-3])
    with pytest.raises(cogniforge.InvalidArgumentError):
        F.Accumulator(["sex"]).merge(one)


def test_without_numpy(monkeypatch):
    """The module works from plain lists when numpy is missing (array.array buffers)."""
    monkeypatch.setattr(F, "_np", None)
    mf = F.MetricFrame(metrics={"tpr": "true_positive_rate", "n": F.count}, y_true=YT, y_pred=YP,
                       sensitive_features={"sex": SEX, "race": ["a", "b"] * 4})
    assert mf.by_group["tpr"][("m", "a")] == 0.5
    assert mf.overall["n"] == 8
    assert F.demographic_parity_difference(YT, YP, sensitive_features=SEX, sample_weight=[1.0] * 8) == 0.0
    acc = F.Accumulator(["sex"])
    acc.update(YT, YP, sensitive_features=SEX, y_score=[0.5] * 8)
    assert acc.num_rows == 8
