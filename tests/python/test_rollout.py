"""cogniforge.rollout: rule policies, analysis runs, Mann-Whitney (against scipy) and rollback plans."""

import math

import pytest

import cogniforge
from cogniforge import rollout

np = pytest.importorskip("numpy")
stats = pytest.importorskip("scipy.stats")


def test_seed_preset_decisions():
    p = rollout.Policy.preset("seed")
    assert len(p) == 4
    assert p.decide(0)["decision"] == "none"
    p.observe("error_rate", 0, 0.01)              # > 0.001, for 300 s
    d = p.decide(100)
    assert d["decision"] == "none" and d["pending"] == 1 and d["firing"] == 0
    assert p.rule_state(0) == ("pending", 0.0)
    p.observe("error_rate", 250, 0.02)
    d = p.decide(300)
    assert d["decision"] == "rollback" and d["firing"] == 1
    assert "error-rate" in d["explanation"] and "rollback" in d["explanation"]
    assert p.rule_state(0)[0] == "firing"


def test_custom_rules_most_severe_wins():
    p = rollout.Policy([
        {"name": "acc", "metric": "accuracy", "cmp": "<", "threshold": 0.9, "action": "alert"},
        {"name": "drift", "metric": "drift", "cmp": ">=", "threshold": 0.2, "action": "retrain"},
    ])
    p.observe("accuracy", 0, 0.8).observe("drift", 0, 0.2)
    d = p.decide(0)
    assert d["decision"] == "retrain" and d["firing"] == 2
    p.observe("accuracy", 1, 0.95).observe("drift", 1, 0.1)  # conditions false: inactive again
    assert p.decide(1)["decision"] == "none"


def test_staleness():
    p = rollout.Policy([{"metric": "m", "threshold": 1, "action": "alert"}], staleness_s=10)
    p.observe("m", 0, 2)
    assert p.decide(5)["decision"] == "alert"
    assert p.decide(20)["decision"] == "none"   # stale series


def test_policy_errors():
    with pytest.raises(cogniforge.NotFoundError):
        rollout.Policy.preset("nope")
    p = rollout.Policy.preset("seed")
    p.observe("error_rate", 10, 0.0)
    with pytest.raises(cogniforge.InvalidArgumentError):
        p.observe("error_rate", 5, 0.0)          # time went back
    with pytest.raises(cogniforge.InvalidArgumentError):
        p.observe("error_rate", 20, math.nan)
    with pytest.raises(ValueError, match="cmp"):
        rollout.Policy([{"metric": "m", "cmp": "!=", "threshold": 1}])
    with pytest.raises(ValueError, match="action"):
        rollout.Policy([{"metric": "m", "threshold": 1, "action": "panic"}])
    with pytest.raises(cogniforge.InvalidArgumentError):
        rollout.Policy([{"metric": "m", "threshold": math.inf}])
    with pytest.raises(TypeError):
        rollout.Policy([{"metric": "m", "threshold": 1, "bogus": 2}])
    p.close()
    with pytest.raises(ValueError, match="closed"):
        p.decide(30)


def test_analysis_success_and_failure():
    a = rollout.Analysis([{"name": "success-rate", "successCondition": "result >= 0.95", "count": 3}])
    assert a.phase == "Pending"
    assert a.measure("success-rate", 0.97) == "Successful"
    assert a.phase == "Running"
    a.measure("success-rate", 0.99)
    a.measure(0, 0.96)
    assert a.phase == "Successful"
    assert a.counts("success-rate")["successful"] == 3
    with pytest.raises(cogniforge.InvalidArgumentError, match="completed"):
        a.measure("success-rate", 0.99)

    b = rollout.Analysis([{"name": "sr", "successCondition": "result >= 0.95", "count": 5, "failureLimit": 1}])
    assert b.measure("sr", 0.5) == "Failed"
    assert b.phase == "Running"             # 1 failure is within the limit
    b.measure("sr", 0.4)
    assert b.phase == "Failed"              # fail fast
    assert b.counts("sr")["failed"] == 2


def test_analysis_errors_and_inconclusive():
    a = rollout.Analysis([{"name": "lat", "success_condition": "result < 100", "failure_condition": "result > 200",
                           "count": 0}])
    assert a.measure("lat", 150) == "Inconclusive"
    assert a.phase == "Inconclusive"
    e = rollout.Analysis([{"name": "q", "count": 0}])
    for _ in range(4):
        e.error("q")
    assert e.phase == "Running"
    e.error("q")                             # the fifth error in a row
    assert e.phase == "Error"
    t = rollout.Analysis([{"name": "q", "count": 0}])
    t.measure("q", 1.0)
    t.terminate()
    assert t.phase == "Successful"
    with pytest.raises(KeyError):
        t.measure("nope", 1.0)
    with pytest.raises(cogniforge.InvalidArgumentError):
        rollout.Analysis([{"name": "x", "count": 0}]).measure("x", math.nan)
    with pytest.raises(cogniforge.Error):
        rollout.Analysis([{"name": "x", "successCondition": "result >>= 1"}])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mann_whitney_matches_scipy(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 1, 40)
    b = rng.normal(0.5, 1, 35).round(1)  # ties
    u, p = rollout.mann_whitney(a, b)
    want = stats.mannwhitneyu(a, b, alternative="two-sided", method="asymptotic")
    assert u == pytest.approx(want.statistic, rel=1e-12)
    assert p == pytest.approx(want.pvalue, rel=1e-10, abs=1e-10)


def test_mann_whitney_by_hand():
    u, p = rollout.mann_whitney([1, 2, 3], [4, 5, 6, 7])
    assert u == 0.0
    assert p == pytest.approx(stats.mannwhitneyu([1, 2, 3], [4, 5, 6, 7], method="asymptotic").pvalue,
                              rel=1e-10)
    with pytest.raises(cogniforge.InvalidArgumentError):
        rollout.mann_whitney([], [1.0])


def test_rollback_plan():
    plan = rollout.rollback_plan("checkout", "v1", "v2", "error rate 2%", 1700000000)
    steps = plan["steps"]
    assert [s["action"] for s in steps][:2] == ["shift_traffic", "scale_canary"]
    assert len(steps) == 5
    assert steps[0]["target"] == "v1" and steps[0]["stable_weight"] == 100
    assert steps[1]["target"] == "v2" and steps[1]["replicas"] == 0
    assert any("error rate 2%" in str(s) for s in steps)
    assert rollout.ACTIONS[3] == "rollback" and rollout.PHASES[2] == "Successful"


def test_judge_against_hand_computation():
    rng = np.random.default_rng(7)
    control = rng.normal(100, 5, 40)
    slow = rng.normal(130, 5, 30)
    r = rollout.judge([
        {"name": "latency", "control": control, "experiment": slow, "direction": "increase"},
        {"name": "same", "control": control, "experiment": control.copy(), "weight": 3},
    ])
    lat, same = r["metrics"]
    assert lat["name"] == "latency" and lat["classification"] == "High"
    # Hodges-Lehmann: the median of all pairwise differences experiment - control
    assert lat["estimate"] == pytest.approx(np.median(np.subtract.outer(slow, control)), rel=1e-12)
    assert lat["mean_ratio"] == pytest.approx(slow.mean() / control.mean(), rel=1e-12)
    want = stats.mannwhitneyu(slow, control, alternative="two-sided", method="asymptotic").pvalue
    assert lat["p_value"] == pytest.approx(want, rel=1e-10, abs=1e-300)
    assert lat["ci_lower"] < lat["estimate"] < lat["ci_upper"]
    assert same["classification"] == "Pass" and same["estimate"] == 0.0
    # score = 100 * weight(Pass) / weight(all) = 100 * 3 / 4
    assert r["score"] == 75.0 and r["verdict"] == "MARGINAL"
    # an increase judged with direction "decrease" passes; a critical failing metric forces 0
    assert rollout.judge([{"name": "x", "control": control, "experiment": slow, "direction": "decrease"}])[
        "verdict"] == "PASS"
    crit = rollout.judge([{"name": "x", "control": control, "experiment": slow, "critical": True},
                          {"name": "y", "control": control, "experiment": control}])
    assert crit["score"] == 0.0 and crit["verdict"] == "FAIL"
    nodata = rollout.judge([{"name": "x", "control": [math.nan], "experiment": [1.0]}])
    assert nodata["metrics"][0]["classification"] == "Nodata" and math.isnan(nodata["metrics"][0]["estimate"])


def test_judge_errors():
    with pytest.raises(ValueError, match="direction"):
        rollout.judge([{"name": "x", "control": [1.0], "experiment": [2.0], "direction": "up"}])
    with pytest.raises(TypeError):
        rollout.judge([{"name": "x", "control": [1.0], "experiment": [2.0]}], bogus=1)
    with pytest.raises(ValueError, match="1 to"):
        rollout.judge([])
    with pytest.raises(cogniforge.InvalidArgumentError):
        rollout.judge([{"name": "x", "control": [1.0, 2.0], "experiment": [2.0, 3.0]}], conf_level=2.0)
