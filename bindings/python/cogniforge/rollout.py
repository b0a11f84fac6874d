"""Automated rollout decisions (cogniforge/rollout.h): Prometheus-style rule policies (alert / retrain /
rollback), Argo Rollouts analysis runs, the Mann-Whitney U test and rollback plans. See docs/rollout.md.

Not wrapped yet: the circuit breaker and the request simulator.
"""

import json
import threading

from . import raw as _raw
from ._common import HandleOwner
from .slo import _doubles

__all__ = ["Policy", "Analysis", "mann_whitney", "judge", "rollback_plan", "ACTIONS", "PHASES"]

#: Action ids -> names ("none", "alert", "retrain", "rollback").
ACTIONS = {i: _raw.cf_rollout_action_name(i) for i in range(4)}
_ACTION_IDS = {v: k for k, v in ACTIONS.items()}
#: Phase ids -> names (Argo's: "Pending", "Running", "Successful", "Failed", "Error", "Inconclusive").
PHASES = {i: _raw.cf_rollout_phase_name(i) for i in range(6)}
_CMP = {">": _raw.CF_ROLLOUT_GT, ">=": _raw.CF_ROLLOUT_GE, "<": _raw.CF_ROLLOUT_LT, "<=": _raw.CF_ROLLOUT_LE}
_STATES = ("inactive", "pending", "firing")


def _rule_tuple(rule):
    if not isinstance(rule, dict):
        raise TypeError(f"a rule must be a dict, not {type(rule).__name__}")
    unknown = set(rule) - {"name", "metric", "cmp", "threshold", "for_s", "action"}
    if unknown:
        raise TypeError(f"unknown rule keys: {', '.join(sorted(unknown))}")
    cmp = rule.get("cmp", ">")
    if cmp not in _CMP:
        raise ValueError(f"cmp must be one of {', '.join(_CMP)}, not {cmp!r}")
    action = rule.get("action", "alert")
    if isinstance(action, str):
        if action not in _ACTION_IDS:
            raise ValueError(f"action must be one of {', '.join(_ACTION_IDS)}, not {action!r}")
        action = _ACTION_IDS[action]
    return (str(rule.get("name", rule["metric"])), str(rule["metric"]), _CMP[cmp], float(rule["threshold"]),
            float(rule.get("for_s", 0.0)), int(action))


class Policy(HandleOwner):
    """A rule policy (cf_rollout_policy). ``Policy(rules)`` with rules as dicts (name, metric, cmp ">"/">="/"<"/
    "<=", threshold, for_s, action "alert"/"retrain"/"rollback"), or :meth:`preset` ("seed");
    ``staleness_s`` (default 300) is Prometheus' lookback delta."""

    _closed_name = "rollout.Policy"
    _handle = None

    def __init__(self, rules, staleness_s=None):
        opts = None if staleness_s is None else {"staleness_s": float(staleness_s)}
        self._lock = threading.Lock()
        self._handle = _raw.cf_rollout_policy_create(None, [_rule_tuple(r) for r in rules], opts)

    @classmethod
    def preset(cls, name="seed", staleness_s=None):
        """A preset policy ("seed": error-rate, latency-p95, burn-rate, drift). NotFoundError when unknown."""
        self = cls.__new__(cls)
        self._lock = threading.Lock()
        opts = None if staleness_s is None else {"staleness_s": float(staleness_s)}
        self._handle = _raw.cf_rollout_policy_preset(None, name, opts)
        return self

    def __len__(self):
        with self._lock:
            return _raw.cf_rollout_policy_rule_count(self._checked())

    def observe(self, metric, t, value):
        """Record an observation of ``metric`` at time ``t`` (non-decreasing). Returns self."""
        with self._lock:
            _raw.cf_rollout_policy_observe(self._checked(), metric, float(t), float(value))
        return self

    def decide(self, now):
        """The decision at ``now``: dict with ``decision`` ("none", "alert", "retrain", "rollback"), ``action``
        (its id), ``firing``, ``pending`` and ``explanation`` (one line per firing rule)."""
        with self._lock:
            d = _raw.cf_rollout_policy_decide(self._checked(), float(now))
        d["decision"] = ACTIONS[d["action"]]
        return d

    def rule_state(self, index):
        """(state "inactive"/"pending"/"firing", active_since) of rule ``index``."""
        with self._lock:
            state, since = _raw.cf_rollout_policy_rule_state_get(self._checked(), int(index))
        return _STATES[state], since

    def close(self):
        """Free the policy (idempotent)."""
        if self._handle is not None:
            with self._lock:
                handle, self._handle = self._handle, None
                if handle is not None:
                    _raw.cf_rollout_policy_free(handle)


_METRIC_KEYS = {"name": "name", "successCondition": "success_condition", "success_condition": "success_condition",
                "failureCondition": "failure_condition", "failure_condition": "failure_condition",
                "count": "count", "failureLimit": "failure_limit", "failure_limit": "failure_limit",
                "inconclusiveLimit": "inconclusive_limit", "inconclusive_limit": "inconclusive_limit",
                "consecutiveErrorLimit": "consecutive_error_limit",
                "consecutive_error_limit": "consecutive_error_limit",
                "consecutiveSuccessLimit": "consecutive_success_limit",
                "consecutive_success_limit": "consecutive_success_limit"}


def _metric_tuple(metric):
    m = {"success_condition": None, "failure_condition": None, "count": 1, "failure_limit": 0,
         "inconclusive_limit": 0, "consecutive_error_limit": 4, "consecutive_success_limit": 0}
    for key, value in metric.items():
        if key not in _METRIC_KEYS:
            raise TypeError(f"unknown analysis metric key {key!r}")
        m[_METRIC_KEYS[key]] = value
    if "name" not in m:
        raise ValueError("an analysis metric needs a name")
    return (str(m["name"]), m["success_condition"], m["failure_condition"], int(m["count"]),
            int(m["failure_limit"]), int(m["inconclusive_limit"]), int(m["consecutive_error_limit"]),
            int(m["consecutive_success_limit"]))


class Analysis(HandleOwner):
    """An Argo Rollouts AnalysisRun (cf_rollout_analysis). ``metrics``: dicts with name, successCondition,
    failureCondition (e.g. "result >= 0.95"), count (default 1; 0 = unbounded), failureLimit (0),
    inconclusiveLimit (0), consecutiveErrorLimit (4), consecutiveSuccessLimit (0); snake_case keys work too."""

    _closed_name = "rollout.Analysis"
    _handle = None

    def __init__(self, metrics):
        metrics = list(metrics)
        self._names = [str(m.get("name")) for m in metrics]
        self._lock = threading.Lock()
        self._handle = _raw.cf_rollout_analysis_create(None, [_metric_tuple(m) for m in metrics])

    def _index(self, name):
        if isinstance(name, int):
            return name
        try:
            return self._names.index(name)
        except ValueError:
            raise KeyError(f"no analysis metric named {name!r}") from None

    def measure(self, name, value):
        """Record a measurement of metric ``name`` (or index); returns the measurement's phase name
        ("Successful", "Failed" or "Inconclusive")."""
        with self._lock:
            return PHASES[_raw.cf_rollout_analysis_measure(self._checked(), self._index(name), float(value))]

    def error(self, name):
        """Record a failed measurement (provider error) of metric ``name``. Returns self."""
        with self._lock:
            _raw.cf_rollout_analysis_error(self._checked(), self._index(name))
        return self

    def terminate(self):
        """Terminate the run (running metrics become Successful). Returns self."""
        with self._lock:
            _raw.cf_rollout_analysis_terminate(self._checked())
        return self

    @property
    def phase(self):
        """The run's phase name (the worst metric phase)."""
        with self._lock:
            return PHASES[_raw.cf_rollout_analysis_phase(self._checked())]

    def metric_phase(self, name):
        with self._lock:
            return PHASES[_raw.cf_rollout_analysis_metric_phase(self._checked(), self._index(name))]

    def counts(self, name):
        """Measurement counts of metric ``name``: count, successful, failed, inconclusive, error,
        consecutive_error, consecutive_success."""
        with self._lock:
            return _raw.cf_rollout_analysis_metric_counts(self._checked(), self._index(name))

    def close(self):
        """Free the run (idempotent)."""
        if self._handle is not None:
            with self._lock:
                handle, self._handle = self._handle, None
                if handle is not None:
                    _raw.cf_rollout_analysis_free(handle)


def mann_whitney(a, b):
    """Mann-Whitney U test: (U of ``a``, two-sided asymptotic p-value) with tie and continuity correction, as
    scipy.stats.mannwhitneyu(a, b, method="asymptotic")."""
    u, _z, p = _raw.cf_rollout_mann_whitney(_doubles(a, "a"), _doubles(b, "b"))
    return u, p


_DIRECTIONS = {"either": _raw.CF_ROLLOUT_EITHER, "increase": _raw.CF_ROLLOUT_INCREASE,
               "decrease": _raw.CF_ROLLOUT_DECREASE}
_CLASSES = {_raw.CF_ROLLOUT_PASS: "Pass", _raw.CF_ROLLOUT_HIGH: "High", _raw.CF_ROLLOUT_LOW: "Low",
            _raw.CF_ROLLOUT_NODATA: "Nodata"}
_VERDICTS = {_raw.CF_ROLLOUT_VERDICT_PASS: "PASS", _raw.CF_ROLLOUT_VERDICT_MARGINAL: "MARGINAL",
             _raw.CF_ROLLOUT_VERDICT_FAIL: "FAIL"}
_JUDGE_OPTIONS = ("tolerance", "conf_level", "allowed_increase", "allowed_decrease", "pass_threshold",
                  "marginal_threshold")


def judge(metrics, **options):
    """Kayenta-style canary judgement. ``metrics``: dicts with name, control and experiment (float samples),
    direction ("either", "increase", "decrease"; default "either"), weight (default 1) and critical (False).
    Options: tolerance (0.25), conf_level (0.98), allowed_increase / allowed_decrease (1.0), pass_threshold
    (90), marginal_threshold (75). Returns {"score", "verdict" ("PASS"/"MARGINAL"/"FAIL"), "metrics": [per
    metric: name, classification ("Pass"/"High"/"Low"/"Nodata"), estimate, ci_lower, ci_upper, mean_ratio,
    p_value]}."""
    unknown = set(options) - set(_JUDGE_OPTIONS)
    if unknown:
        raise TypeError(f"unknown judge options: {', '.join(sorted(unknown))}")
    rows = []
    for m in metrics:
        extra = set(m) - {"name", "control", "experiment", "direction", "weight", "critical"}
        if extra:
            raise TypeError(f"unknown judge metric keys: {', '.join(sorted(extra))}")
        direction = m.get("direction", "either")
        if direction not in _DIRECTIONS:
            raise ValueError(f"direction must be one of {', '.join(_DIRECTIONS)}, not {direction!r}")
        rows.append((str(m["name"]), _doubles(m["control"], "control"), _doubles(m["experiment"], "experiment"),
                     _DIRECTIONS[direction], float(m.get("weight", 1.0)), bool(m.get("critical", False))))
    opts = {k: float(v) for k, v in options.items()} or None
    score, verdict, results = _raw.cf_rollout_judge(rows, opts)
    for r in results:
        r["classification"] = _CLASSES[r["classification"]]
    return {"score": score, "verdict": _VERDICTS[verdict], "metrics": results}


def rollback_plan(service, stable, canary, reason, t):
    """The five-step rollback plan (shift traffic, scale canary, alert, incident, event) as a dict
    (cf_rollout_plan_to_json)."""
    return json.loads(_raw.cf_py_rollout_plan_json(service, stable, canary, reason, float(t)))
