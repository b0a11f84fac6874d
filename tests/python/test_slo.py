"""cogniforge.slo: budgets, burn rates, policies, the streaming evaluator, histograms, sketches and rules."""

import math
import pickle

import pytest

import cogniforge
from cogniforge import slo

SPEC = """version: "prometheus/v1"
service: api
slos:
  - name: availability
    objective: 99.9
    sli:
      events:
        error_query: sum(rate(http_requests_total{code="500"}[{{.window}}]))
        total_query: sum(rate(http_requests_total[{{.window}}]))
    alerting:
      name: ApiBudgetBurn
"""


def test_pure_functions_by_hand():
    assert slo.error_budget(0.999) == pytest.approx(0.001, rel=1e-12)
    assert slo.burn_rate(0.0144, 0.999) == pytest.approx(14.4, rel=1e-12)
    assert slo.burn_rate(0.0, 0.99) == 0.0
    # workbook: 14.4x over 1h of a 30-day period spends 2% of the budget
    assert slo.budget_consumed(14.4, "1h", "30d") == pytest.approx(0.02, rel=1e-12)
    assert slo.budget_consumed(14.4, 3600, 30 * 86400) == pytest.approx(0.02, rel=1e-12)
    assert slo.time_to_exhaustion(14.4, "30d") == pytest.approx(30 * 86400 / 14.4, rel=1e-12)
    assert slo.time_to_exhaustion(2.0, "30d", 0.5) == pytest.approx(0.5 * 30 * 86400 / 2.0, rel=1e-12)
    assert slo.time_to_exhaustion(0.0, "30d") == math.inf
    assert slo.time_to_exhaustion(3.0, "30d", 0.0) == 0.0
    assert slo.error_budget_remaining(0.0005, 0.999) == pytest.approx(0.5, rel=1e-12)
    assert slo.error_budget_remaining(0.002, 0.999) == pytest.approx(-1.0, rel=1e-12)


def test_detection_and_reset_time():
    # (1 - 0.999) / 1.0 * 3600 * 14.4 = 51.84 s for a full outage
    assert slo.detection_time(1.0, 0.999, 14.4, "1h") == pytest.approx(51.84, rel=1e-12)
    assert slo.detection_time(0.01, 0.999, 14.4, "1h") == math.inf  # 0.01 < 0.0144: never fires
    # reset: min(d, W) - W * 14.4 * 0.001 / 1.0 with W = 5m, d = 1h -> 300 - 4.32
    assert slo.reset_time(1.0, 0.999, 14.4, "5m", "1h") == pytest.approx(300 - 4.32, rel=1e-12)
    assert slo.reset_time(1.0, 0.999, 14.4, "5m") == pytest.approx(300 - 4.32, rel=1e-12)
    assert slo.reset_time(0.001, 0.999, 14.4, "5m", 600) == 0.0


def test_parse_duration():
    assert slo.parse_duration("1h30m") == 5400.0
    assert slo.parse_duration("500ms") == 0.5
    assert slo.parse_duration("1w") == 7 * 86400.0
    assert slo.parse_duration(12) == 12.0
    with pytest.raises(cogniforge.InvalidArgumentError):
        slo.parse_duration("5x")
    with pytest.raises(TypeError):
        slo.parse_duration(None)


@pytest.mark.parametrize("args", [(math.nan,), (1.0,), (0.0,), (-0.5,)])
def test_bad_objective_raises(args):
    with pytest.raises(cogniforge.InvalidArgumentError):
        slo.error_budget(*args)


def test_bad_error_ratio_raises():
    with pytest.raises(cogniforge.InvalidArgumentError):
        slo.burn_rate(1.5, 0.999)
    with pytest.raises(cogniforge.InvalidArgumentError):
        slo.budget_consumed(-1.0, 60, 3600)


def test_policy_presets():
    g = slo.policy("google-30d")
    assert [(w["burn_rate"], w["long_s"], w["short_s"], w["severity"]) for w in g] == [
        (14.4, 3600.0, 300.0, "page"), (6.0, 21600.0, 1800.0, "page"),
        (3.0, 86400.0, 7200.0, "ticket"), (1.0, 259200.0, 21600.0, "ticket")]
    p = slo.policy("pyrra-28d")
    assert [w["burn_rate"] for w in p] == [14.0, 7.0, 2.0, 1.0]
    assert p[3]["long_s"] == 4 * 86400.0
    with pytest.raises(cogniforge.NotFoundError, match="google-30d"):
        slo.policy("nope")


def test_validate_policy():
    slo.validate_policy("google-30d", 0.999, "30d")
    # 14.4x cannot fire at 95%: the largest burn rate is 1 / 0.05 = 20 -> fine; at 90% it is 10 -> rejected
    slo.validate_policy("google-30d", 0.95, "30d")
    with pytest.raises(cogniforge.InvalidArgumentError):
        slo.validate_policy("google-30d", 0.9, "30d")
    with pytest.raises(cogniforge.InvalidArgumentError):
        slo.validate_policy([{"burn_rate": 2, "long": "1h", "short": "2h", "severity": "page"}], 0.999)
    with pytest.raises(ValueError, match="severity"):
        slo.validate_policy([(2, "1h", "5m", "urgent")], 0.999)


def test_slo_evaluate_counts_and_firing():
    s = slo.SLO(objective=0.99, period="30d", resolution=60)
    s.add(0, 90, 100)        # error ratio 0.1 -> burn 10
    s.add(60, 100, 100)
    st = s.evaluate(120)
    assert st["period_good"] == 190 and st["period_total"] == 200
    assert st["error_ratio"] == pytest.approx(0.05, rel=1e-12)
    assert st["burn_rate"] == pytest.approx(5.0, rel=1e-12)
    assert st["budget_consumed"] == pytest.approx(5.0, rel=1e-12)
    assert st["budget_remaining"] == pytest.approx(-4.0, rel=1e-12)
    assert st["time_to_exhaustion_s"] == 0.0
    w = st["windows"]
    assert len(w) == 4
    # burn 5: below 14.4 and 6 (page), above 3 and 1 (ticket)
    assert [x["firing"] for x in w] == [False, False, True, True]
    assert w[0]["threshold"] == pytest.approx(14.4 * 0.01, rel=1e-12)
    assert st["page"] is False and st["ticket"] is True
    assert isinstance(st["explanation"], str) and st["explanation"]
    assert s.memory > 0
    s.close()
    s.close()
    with pytest.raises(ValueError, match="closed"):
        s.evaluate(200)


def test_slo_without_events_and_page():
    s = slo.SLO(objective=0.999, period="1d", policy=[{"burn_rate": 14.4, "long_s": 3600, "short_s": 300,
                                                        "severity": "page"}], resolution=1)
    st = s.evaluate(0)
    assert math.isnan(st["error_ratio"]) and st["budget_consumed"] == 0.0 and st["page"] is False
    s.ingest([(t, t % 10 != 0) for t in range(100)])   # 10% errors, burn 100
    st = s.evaluate(99)
    assert st["period_total"] == 100 and st["period_good"] == 90
    assert st["page"] is True and st["windows"][0]["firing"] is True


def test_slo_counters_and_errors():
    s = slo.SLO(objective=0.99, period="1d", policy=[(14.4, "1h", "5m", "page")])
    s.add_counters(0, 1000, 10)      # baseline only
    s.add_counters(10, 1100, 12)     # +100 requests, +2 errors
    st = s.evaluate(10)
    assert (st["period_good"], st["period_total"]) == (98, 100)
    s.add_counters(20, 50, 1)        # reset: the increase is the new value
    st = s.evaluate(20)
    assert (st["period_good"], st["period_total"]) == (147, 150)
    with pytest.raises(cogniforge.InvalidArgumentError):
        s.add(5, 1, 1)               # out of order
    with pytest.raises(cogniforge.InvalidArgumentError):
        s.add(30, 5, 1)              # good > total
    with pytest.raises(ValueError):
        s.add_counters(40, 1, 2)
    with pytest.raises(cogniforge.InvalidArgumentError):
        s.add_gauge(40, 1.0)         # an events SLO


def test_slo_bad_options():
    with pytest.raises(cogniforge.InvalidArgumentError, match="longer than the period"):
        slo.SLO(objective=0.99, period="1d")          # google-30d has a 3-day window
    with pytest.raises(cogniforge.NotFoundError):
        slo.SLO(policy="nope")
    with pytest.raises(ValueError):
        slo.SLO(kind="bogus")


def test_slo_timeslices():
    s = slo.SLO(objective=0.5, period="1d", policy=[(1.0, "1h", "5m", "ticket")], kind="timeslices", slice=60,
                op=">=", threshold=0.5)
    s.add_gauge(0, 0.9).add_gauge(60, 0.1).add_gauge(120, 0.9)
    st = s.evaluate(180)
    assert st["period_total"] == 3 and st["period_good"] == 2


def test_histogram_quantile_prometheus():
    les = [0.1, 0.5, 1.0, math.inf]
    counts = [10, 20, 30, 40]
    # rank 0.5 * 40 = 20 -> the end of bucket (0.1, 0.5]
    assert slo.histogram_quantile(0.5, les, counts) == pytest.approx(0.5, rel=1e-12)
    # rank 0.25 * 40 = 10 -> 0.1 (end of the first bucket, starting at 0)
    assert slo.histogram_quantile(0.25, les, counts) == pytest.approx(0.1, rel=1e-12)
    # rank 15 -> 0.1 + (0.5 - 0.1) * 5 / 10
    assert slo.histogram_quantile(0.375, les, counts) == pytest.approx(0.3, rel=1e-12)
    # in the +Inf bucket -> the second-highest le
    assert slo.histogram_quantile(0.99, les, counts) == 1.0
    assert slo.histogram_quantile(-1, les, counts) == -math.inf
    assert math.isnan(slo.histogram_quantile(0.5, [0.1, 0.5], [1, 2]))  # no +Inf bucket
    # unsorted input gives the same answer
    assert slo.histogram_quantile(0.375, les[::-1], counts[::-1]) == pytest.approx(0.3, rel=1e-12)
    assert slo.histogram_good(0.5, les, counts) == 20.0
    with pytest.raises(cogniforge.NotFoundError):
        slo.histogram_good(0.3, les, counts)
    with pytest.raises(ValueError, match="same length"):
        slo.histogram_quantile(0.5, les, counts[:2])


def test_sketch():
    sk = slo.Sketch(alpha=0.01)
    values = [float(v) for v in range(1, 1001)]
    sk.add(values)
    assert len(sk) == 1000 and sk.count == 1000
    for q in (0.5, 0.9, 0.99):
        exact = values[int(round(q * 999))]
        assert abs(sk.quantile(q) - exact) <= 0.01 * exact + 1.0
    assert sk.quantile(0) == 1.0 and sk.quantile(1) == 1000.0  # clamped to the exact min and max
    le = sk.count_le(500)
    assert 490 <= le <= 510
    other = slo.Sketch(alpha=0.01).add(2000.0, 10)
    sk.merge(other)
    assert len(sk) == 1010 and sk.quantile(1) == 2000.0
    back = slo.Sketch.from_bytes(sk.to_bytes())
    assert len(back) == 1010 and back.quantile(0.5) == sk.quantile(0.5)
    assert pickle.loads(pickle.dumps(sk)).quantile(0.9) == sk.quantile(0.9)
    with pytest.raises(cogniforge.InvalidArgumentError):
        sk.merge(slo.Sketch(alpha=0.05))
    with pytest.raises(cogniforge.InvalidArgumentError):
        sk.add(-1.0)
    with pytest.raises(cogniforge.NotFoundError):
        slo.Sketch().quantile(0.5)
    with pytest.raises(cogniforge.FormatError):
        slo.Sketch.from_bytes(b"\x01\x02")
    with pytest.raises(cogniforge.InvalidArgumentError):
        slo.Sketch(alpha=1.5)


def test_rules_and_check(tmp_path):
    text = slo.rules(SPEC)
    assert "sloth-slo-sli-recordings-api-availability" in text
    assert "slo:sli_error:ratio_rate5m" in text
    assert "slo:objective:ratio" in text
    assert "ApiBudgetBurn" in text
    no_alerts = slo.rules(SPEC, disable_alerts=True)
    assert "ApiBudgetBurn" not in no_alerts and "slo:objective:ratio" in no_alerts
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC)
    assert slo.rules(path) == text
    assert slo.rules(str(path), preset="pyrra-28d") != text
    assert slo.check(SPEC) is None
    assert slo.spec_info(SPEC) == ("api", [("availability", pytest.approx(0.999, rel=1e-12))])
    low = SPEC.replace("objective: 99.9", "objective: 90")
    with pytest.raises(cogniforge.InvalidArgumentError, match="availability"):
        slo.check(low)
    with pytest.raises(cogniforge.NotFoundError):
        slo.rules(SPEC, preset="nope")
    with pytest.raises(cogniforge.FormatError):
        slo.rules("version: \"prometheus/v1\"\nservice: api\nbogus: 1\n")
    with pytest.raises(TypeError):
        slo.rules(42)
