"""cogniforge.drift: the statistical tests against scipy and hand computation, detect, profiles, compare."""

import math
import pickle

import pytest

import cogniforge
from cogniforge import drift

np = pytest.importorskip("numpy")
stats = pytest.importorskip("scipy.stats")
distance = pytest.importorskip("scipy.spatial.distance")


def _samples(seed=0, shift=0.3):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 1, 300), rng.normal(shift, 1.2, 250)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_ks_matches_scipy(seed):
    ref, cur = _samples(seed)
    d, p = drift.ks(ref, cur)
    want = stats.ks_2samp(ref, cur)
    assert d == pytest.approx(want.statistic, abs=1e-12)
    assert p == pytest.approx(want.pvalue, rel=1e-10, abs=1e-10)


def test_ks_by_hand_and_lists():
    d, p = drift.ks([1, 2, 3], [4, 5, 6])
    assert d == 1.0
    assert p == pytest.approx(stats.ks_2samp([1, 2, 3], [4, 5, 6]).pvalue, abs=1e-10)  # 0.1 exactly
    d, p = drift.ks([1.0, math.nan, 2.0], [1.0, 2.0])  # NaN dropped
    assert d == 0.0 and p == 1.0


@pytest.mark.parametrize("obs,exp", [([10, 20, 30], [20, 20, 20]), ([5, 7, 9, 3], [6, 6, 6, 6]),
                                     ([100, 1], [50.5, 50.5])])
def test_chisquare_matches_scipy(obs, exp):
    chi2, p = drift.chisquare(obs, exp)
    want = stats.chisquare(obs, exp)
    assert chi2 == pytest.approx(want.statistic, rel=1e-12)
    assert p == pytest.approx(want.pvalue, rel=1e-10, abs=1e-10)


def test_chisquare_length_mismatch():
    with pytest.raises(ValueError, match="same length"):
        drift.chisquare([1, 2], [1, 2, 3])


def test_ztest_by_hand():
    z, p = drift.ztest(10, 100, 20, 100)
    pooled = 30 / 200
    want = (0.1 - 0.2) / math.sqrt(pooled * (1 - pooled) * (1 / 100 + 1 / 100))
    assert abs(z) == pytest.approx(abs(want), rel=1e-12)
    assert p == pytest.approx(2 * stats.norm.sf(abs(want)), rel=1e-10)
    with pytest.raises(cogniforge.InvalidArgumentError):
        drift.ztest(5, 0, 1, 10)


def test_wasserstein_matches_scipy():
    ref, cur = _samples(3)
    want = stats.wasserstein_distance(ref, cur) / np.std(ref)
    assert drift.wasserstein(ref, cur) == pytest.approx(want, rel=1e-9)


def test_jensen_shannon_distance_matches_scipy():
    p, q = [0.1, 0.4, 0.5], [0.3, 0.3, 0.4]
    assert drift.jensen_shannon_distance(p, q) == pytest.approx(distance.jensenshannon(p, q), rel=1e-10)
    assert drift.jensen_shannon_distance(p, p) == 0.0


def test_psi_by_hand_categorical():
    ref = [0.0] * 50 + [1.0] * 50
    cur = [0.0] * 80 + [1.0] * 20
    want = (0.8 - 0.5) * math.log(0.8 / 0.5) + (0.2 - 0.5) * math.log(0.2 / 0.5)
    assert drift.psi(ref, cur, categorical=True) == pytest.approx(want, rel=1e-9)
    assert drift.psi(ref, ref, categorical=True) == 0.0


def test_empty_sample_raises():
    with pytest.raises(cogniforge.InvalidArgumentError):
        drift.ks([], [1.0, 2.0])
    with pytest.raises(cogniforge.InvalidArgumentError):
        drift.psi([math.nan], [1.0])


def test_detect():
    ref, cur = _samples(4, shift=1.0)
    r = drift.detect(ref, cur)
    assert r["method"] == "ks" and r["drifted"] is True and r["categorical"] is False
    assert r["p_value"] == pytest.approx(stats.ks_2samp(ref, cur).pvalue, rel=1e-10, abs=1e-10)
    assert (r["n_ref"], r["n_cur"], r["threshold"]) == (300, 250, 0.05)
    r = drift.detect(ref, ref, method="psi")
    assert r["method"] == "psi" and r["drifted"] is False and math.isnan(r["p_value"])
    r = drift.detect(ref, cur, method="wasserstein", threshold=10.0)
    assert r["threshold"] == 10.0 and r["drifted"] is False
    r = drift.detect([0, 1, 1, 0] * 25, [1, 1, 1, 0] * 25, categorical=True)
    assert r["categorical"] is True and r["method"] in ("z", "chisquare")
    with pytest.raises(cogniforge.Error):
        drift.detect(ref, cur, method="nope")
    assert drift.default_threshold("ks") == 0.05 and drift.default_threshold("psi") == 0.1
    assert drift.METHODS["ks"] == 1


def test_profile_compare_and_roundtrip(tmp_path):
    rng = np.random.default_rng(5)
    ref = {"x": rng.normal(0, 1, 400), "cat": np.array(["a", "b"] * 200)}
    prof = drift.Profile.from_data(ref)
    assert prof.num_rows == 400 and prof.num_columns == 2
    same = drift.compare(prof, ref)
    assert same["drifted"] == 0 and same["dataset_drift"] is False and same["share"] == 0.0
    cur = {"x": rng.normal(2, 1, 300), "cat": np.array(["a"] * 300)}
    rep = drift.compare(prof, cur)
    cols = {c["column"]: c for c in rep["columns"]}
    assert cols["x"]["method"] == "ks" and cols["x"]["drifted"] is True
    assert cols["x"]["p_value"] == pytest.approx(stats.ks_2samp(ref["x"], cur["x"]).pvalue, rel=1e-9, abs=1e-12)
    assert cols["cat"]["drifted"] is True and cols["cat"]["categorical"] is True
    assert rep["drifted"] == 2 and rep["share"] == 1.0 and rep["dataset_drift"] is True
    assert isinstance(rep["json"], dict)
    back = drift.Profile.from_bytes(prof.to_bytes())
    assert back.num_rows == 400
    assert drift.compare(back, cur)["columns"] == rep["columns"]
    assert pickle.loads(pickle.dumps(prof)).num_rows == 400
    # merge of two halves == the whole
    a = drift.Profile.from_data({"x": ref["x"][:200], "cat": ref["cat"][:200]})
    b = drift.Profile.from_data({"x": ref["x"][200:], "cat": ref["cat"][200:]})
    a.merge(b)
    assert a.num_rows == 400
    assert drift.compare(a, cur)["columns"] == rep["columns"]
    # CSV paths
    path = tmp_path / "ref.csv"
    path.write_text("x,cat\n" + "".join(f"{x!r},{c}\n" for x, c in zip(ref["x"].tolist(), ref["cat"])))
    csv_prof = drift.Profile.from_data(path)
    assert csv_prof.num_rows == 400
    assert drift.compare(csv_prof, cur)["drifted"] == 2


def test_profile_errors():
    with pytest.raises(cogniforge.FormatError):
        drift.Profile.from_bytes(b"\x00\x01garbage")
    prof = drift.Profile.from_data({"x": np.arange(10.0)})
    with pytest.raises(TypeError):
        prof.merge(object())
    with pytest.raises(TypeError):
        drift.compare(object(), {"x": np.arange(3.0)})
    with pytest.raises(cogniforge.InvalidArgumentError):
        prof.update({"y": np.array(["a", "b"])})
    prof.close()
    with pytest.raises(ValueError, match="closed"):
        prof.num_rows
