"""Service level objectives (cogniforge/slo.h): error budgets, burn rates, multiwindow multi-burn-rate alerts,
a streaming evaluator, Prometheus ``histogram_quantile``, Sloth rules and a DDSketch-style quantile sketch.

Objectives are ratios in (0, 1) (0.999 for 99.9%); times and durations are seconds, or Prometheus duration
strings ("5m", "1h30m", "30d") wherever a duration is accepted. Invalid arguments raise
:class:`cogniforge.InvalidArgumentError` with the library's message. See docs/slo.md.
"""

import math
import numbers
import os
import threading

from . import raw as _raw
from ._buffers import _np
from ._common import HandleOwner

__all__ = [
    "error_budget", "burn_rate", "time_to_exhaustion", "budget_consumed", "error_budget_remaining",
    "detection_time", "reset_time", "parse_duration", "histogram_quantile", "histogram_good", "policy",
    "validate_policy", "SLO", "Sketch", "rules", "check", "spec_info", "PRESETS",
]

#: The policy presets of cf_slo_policy_preset().
PRESETS = ("google-30d", "google-28d", "pyrra-28d")

_SEVERITY = {"page": _raw.CF_SLO_PAGE, "ticket": _raw.CF_SLO_TICKET}
_OPS = {">=": _raw.CF_SLO_GE, ">": _raw.CF_SLO_GT, "<=": _raw.CF_SLO_LE, "<": _raw.CF_SLO_LT}


def parse_duration(value):
    """Seconds from a number (returned as float) or a Prometheus duration string ("5m", "1h30m", "500ms")."""
    if isinstance(value, str):
        return _raw.cf_slo_parse_duration(value)
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"a duration must be seconds or a string such as '5m', not {type(value).__name__}")
    return float(value)


def error_budget(objective):
    """The error budget 1 - objective."""
    return _raw.cf_slo_error_budget(float(objective))


def burn_rate(error_ratio, objective):
    """error_ratio / (1 - objective): 1 spends exactly the whole budget in one period."""
    return _raw.cf_slo_burn_rate(float(error_ratio), float(objective))


def time_to_exhaustion(burn_rate, period, budget_remaining=1.0):
    """Seconds until the budget is spent at a constant ``burn_rate``: budget_remaining × period / burn_rate
    (+inf at burn rate 0, 0 when nothing remains)."""
    return _raw.cf_slo_time_to_exhaustion(float(burn_rate), parse_duration(period), float(budget_remaining))


def budget_consumed(burn_rate, window, period):
    """Share of the period's budget spent by burning at ``burn_rate`` for ``window``: burn × window / period."""
    return _raw.cf_slo_budget_consumed(float(burn_rate), parse_duration(window), parse_duration(period))


def error_budget_remaining(error_ratio, objective):
    """1 - (error_ratio / (1 - objective)): the share of the budget left after a period at ``error_ratio``
    (negative when overspent)."""
    return 1.0 - burn_rate(error_ratio, objective)


def detection_time(error_ratio, objective, burn_threshold, window):
    """Seconds until a burn-rate alert over ``window`` fires for an outage at ``error_ratio`` (+inf: never)."""
    return _raw.cf_slo_detection_time(float(error_ratio), float(objective), float(burn_threshold),
                                      parse_duration(window))


def reset_time(error_ratio, objective, burn_threshold, window, duration=math.inf):
    """Seconds an alert keeps firing after an incident of ``duration`` at ``error_ratio`` ends."""
    return _raw.cf_slo_reset_time(float(error_ratio), float(objective), float(burn_threshold),
                                  parse_duration(window), parse_duration(duration))


def _doubles(values, what):
    """A contiguous float64 array (numpy, or array.array without it) from any array-like."""
    np = _np()
    if np is not None:
        v = np.ascontiguousarray(np.asarray(values, dtype=np.float64))
        if v.ndim != 1:
            raise ValueError(f"{what} must be one-dimensional")
        return v
    from array import array
    return array("d", [float(x) for x in values])


def _histogram_args(les, counts):
    les, counts = _doubles(les, "les"), _doubles(counts, "counts")
    if len(les) != len(counts):
        raise ValueError(f"les and counts must have the same length ({len(les)} != {len(counts)})")
    return les, counts


def histogram_quantile(q, les, counts):
    """Prometheus ``histogram_quantile(q, ...)`` over classic buckets: ``les`` upper bounds (may include inf,
    any order), ``counts`` cumulative counts. NaN for too few buckets or no observations."""
    les, counts = _histogram_args(les, counts)
    return _raw.cf_py_slo_histogram_quantile(float(q), les, counts)


def histogram_good(threshold, les, counts):
    """Good events of a latency SLO: the cumulative count of the bucket whose le equals ``threshold``.

    Raises:
        NotFoundError: no bucket has that le.
    """
    les, counts = _histogram_args(les, counts)
    return _raw.cf_py_slo_histogram_good(float(threshold), les, counts)


def policy(name="google-30d"):
    """A preset policy as a list of window dicts (burn_rate, long_s, short_s, severity "page"/"ticket").

    Raises:
        NotFoundError: unknown preset (the message lists the known ones).
    """
    return _raw.cf_slo_policy_preset(name)


def _policy_tuples(windows):
    """A policy (list of dicts or (burn_rate, long, short, severity) tuples) as cf_slo_window tuples."""
    if isinstance(windows, str):
        windows = policy(windows)
    out = []
    for w in windows:
        if isinstance(w, dict):
            unknown = set(w) - {"burn_rate", "long_s", "short_s", "long", "short", "severity"}
            if unknown:
                raise TypeError(f"unknown window keys: {', '.join(sorted(unknown))}")
            br, lw, sw, sev = (w["burn_rate"], w.get("long_s", w.get("long")), w.get("short_s", w.get("short")),
                               w.get("severity", "page"))
        else:
            br, lw, sw, sev = w
        if isinstance(sev, str):
            if sev not in _SEVERITY:
                raise ValueError(f"severity must be 'page' or 'ticket', not {sev!r}")
            sev = _SEVERITY[sev]
        out.append((float(br), parse_duration(lw), parse_duration(sw), int(sev)))
    return out


def validate_policy(windows, objective, period="30d"):
    """Check a policy against an objective and period (e.g. a pair that can never fire).

    Raises:
        InvalidArgumentError: naming the offending pair.
    """
    _raw.cf_slo_policy_validate(_policy_tuples(windows), float(objective), parse_duration(period))


class SLO(HandleOwner):
    """A streaming SLO evaluator (cf_slo) with fixed memory.

    ``SLO(objective=0.999, period="30d", policy="google-30d", resolution="1s")``; ``policy`` is a preset name or
    a list of windows (see :func:`policy`). Time slices: ``kind="timeslices"`` with ``slice``, ``op`` (">=",
    ">", "<=", "<"), ``threshold``, ``slice_target`` and ``missing_slices_bad``; feed them with
    :meth:`add_gauge`. An SLO object serialises its own calls with a lock.
    """

    _closed_name = "SLO"
    _handle = None

    def __init__(self, objective=0.999, period="30d", policy="google-30d", resolution=1.0, *, kind="events",
                 slice=60.0, op=">=", threshold=0.0, slice_target=1.0, missing_slices_bad=False):
        opts = {"objective": float(objective), "period_s": parse_duration(period),
                "resolution_s": parse_duration(resolution), "slice_s": parse_duration(slice),
                "threshold": float(threshold), "slice_target": float(slice_target),
                "missing_slices_bad": bool(missing_slices_bad)}
        if kind not in ("events", "timeslices"):
            raise ValueError(f"kind must be 'events' or 'timeslices', not {kind!r}")
        opts["kind"] = _raw.CF_SLO_EVENTS if kind == "events" else _raw.CF_SLO_TIMESLICES
        if op not in _OPS:
            raise ValueError(f"op must be one of {', '.join(_OPS)}, not {op!r}")
        opts["op"] = _OPS[op]
        if isinstance(policy, str):
            opts["preset"] = policy
        else:
            opts["policy"] = _policy_tuples(policy)
        self.objective = float(objective)
        self._lock = threading.Lock()
        self._handle = _raw.cf_slo_create(None, opts)

    def add(self, t, good, total):
        """Add ``good`` of ``total`` events at time ``t``. Returns self.

        Raises:
            InvalidArgumentError: good > total, NaN t, or t before the latest bucket.
        """
        with self._lock:
            _raw.cf_slo_add(self._checked(), float(t), int(good), int(total))
        return self

    def add_counters(self, t, total, errors):
        """Add cumulative Prometheus counters (requests_total, errors_total) sampled at ``t``: the first sample
        sets the baseline, a decrease is a counter reset. Returns self."""
        total, errors = int(total), int(errors)
        if errors > total:
            raise ValueError(f"errors ({errors}) exceed total ({total})")
        with self._lock:
            _raw.cf_slo_add_counters(self._checked(), float(t), total - errors, total)
        return self

    def add_gauge(self, t, value):
        """Add a gauge sample (time-slice SLOs). Returns self."""
        with self._lock:
            _raw.cf_slo_add_gauge(self._checked(), float(t), float(value))
        return self

    def ingest(self, events):
        """Add (t, good, total) samples, or (t, ok) single events (ok true = good), in time order. Returns self."""
        for e in events:
            if len(e) == 3:
                self.add(*e)
            elif len(e) == 2:
                self.add(e[0], 1 if e[1] else 0, 1)
            else:
                raise ValueError("an event must be (t, good, total) or (t, ok)")
        return self

    def evaluate(self, now):
        """The SLO's state at ``now``: a dict with period counts, error_ratio, burn_rate, budget_consumed,
        budget_remaining, time_to_exhaustion_s, page, ticket, explanation and ``windows`` (per pair: counts,
        error ratios, burn rates, threshold, firing)."""
        with self._lock:
            return _raw.cf_slo_evaluate(self._checked(), float(now))

    @property
    def memory(self):
        """Bytes of window state (fixed at creation)."""
        with self._lock:
            return _raw.cf_slo_memory(self._checked())

    def close(self):
        """Free the evaluator (idempotent)."""
        if self._handle is not None:
            with self._lock:
                handle, self._handle = self._handle, None
                if handle is not None:
                    _raw.cf_slo_free(handle)


class Sketch(HandleOwner):
    """A mergeable relative-error quantile sketch (DDSketch) of non-negative values: every quantile estimate is
    within ``alpha`` × the true value while at most ``max_bins`` buckets are used."""

    _closed_name = "Sketch"
    _handle = None

    def __init__(self, alpha=0.01, max_bins=2048):
        self._lock = threading.Lock()
        self._handle = _raw.cf_slo_sketch_create(None, float(alpha), int(max_bins))

    @classmethod
    def _adopt(cls, handle):
        self = cls.__new__(cls)
        self._lock = threading.Lock()
        self._handle = handle
        return self

    def add(self, value, count=1):
        """Add ``count`` copies of ``value`` (or every value of an iterable). Returns self."""
        if isinstance(value, numbers.Real):
            with self._lock:
                _raw.cf_slo_sketch_add(self._checked(), float(value), int(count))
        else:
            with self._lock:
                h = self._checked()
                for v in value:
                    _raw.cf_slo_sketch_add(h, float(v), int(count))
        return self

    def merge(self, other):
        """Merge ``other`` (same alpha and max_bins) into this sketch. Returns self."""
        if not isinstance(other, Sketch):
            raise TypeError(f"can only merge a cogniforge.slo.Sketch, not {type(other).__name__}")
        if other is self:
            raise ValueError("cannot merge a Sketch into itself")
        first, second = sorted((self, other), key=id)
        with first._lock, second._lock:
            _raw.cf_slo_sketch_merge(self._checked(), other._checked())
        return self

    def quantile(self, q):
        """The q-quantile estimate. Raises NotFoundError when empty."""
        with self._lock:
            return _raw.cf_slo_sketch_quantile(self._checked(), float(q))

    def count_le(self, threshold):
        """Estimated number of values <= threshold."""
        with self._lock:
            return _raw.cf_slo_sketch_count_le(self._checked(), float(threshold))

    def __len__(self):
        with self._lock:
            return _raw.cf_slo_sketch_count(self._checked())

    @property
    def count(self):
        """Values added."""
        return len(self)

    def to_bytes(self):
        """The sketch as msgpack (docs/slo.md), for :meth:`from_bytes`."""
        with self._lock:
            return _raw.cf_slo_sketch_to_msgpack(self._checked())

    @classmethod
    def from_bytes(cls, data):
        """A sketch from :meth:`to_bytes` output. Raises FormatError / VersionError."""
        return cls._adopt(_raw.cf_slo_sketch_from_msgpack(None, data))

    def __reduce__(self):
        return (Sketch.from_bytes, (self.to_bytes(),))

    def close(self):
        """Free the sketch (idempotent)."""
        if self._handle is not None:
            with self._lock:
                handle, self._handle = self._handle, None
                if handle is not None:
                    _raw.cf_slo_sketch_free(handle)


def _spec(spec):
    """A parsed cf_slo_spec from YAML text (str containing a newline or bytes) or a path."""
    if isinstance(spec, (bytes, bytearray, memoryview)):
        return _raw.cf_slo_spec_parse(None, bytes(spec), "spec")
    if isinstance(spec, str) and "\n" in spec:
        return _raw.cf_slo_spec_parse(None, spec.encode(), "spec")
    if isinstance(spec, (str, os.PathLike)):
        path = os.fspath(spec)
        with open(path, "rb") as f:
            return _raw.cf_slo_spec_parse(None, f.read(), str(path))
    raise TypeError(f"spec must be YAML text, bytes or a path, not {type(spec).__name__}")


def _rules_opts(preset, period, policy_windows, disable_alerts=False, disable_recordings=False):
    opts = {"preset": preset, "disable_alerts": disable_alerts, "disable_recordings": disable_recordings}
    if period is not None:
        opts["period_s"] = parse_duration(period)
    if policy_windows is not None:
        opts["policy"] = _policy_tuples(policy_windows)
    return opts


def spec_info(spec):
    """(service, [(slo name, objective ratio), ...]) of a Sloth ``prometheus/v1`` spec (text or path).

    Raises:
        FormatError: malformed YAML or a bad field (source:line:column).
    """
    h = _spec(spec)
    try:
        n = _raw.cf_slo_spec_count(h)
        return (_raw.cf_slo_spec_service(h),
                [(_raw.cf_slo_spec_name(h, i), _raw.cf_slo_spec_objective(h, i)) for i in range(n)])
    finally:
        _raw.cf_slo_spec_free(h)


def check(spec, preset="google-30d", period=None, policy=None):
    """Check every SLO of a Sloth spec against the policy; returns None.

    Raises:
        FormatError: the spec does not parse. InvalidArgumentError: a pair can never fire (named).
        NotFoundError: unknown preset.
    """
    h = _spec(spec)
    try:
        _raw.cf_slo_spec_check(h, _rules_opts(preset, period, policy))
    finally:
        _raw.cf_slo_spec_free(h)


def rules(spec, preset="google-30d", period=None, policy=None, disable_alerts=False, disable_recordings=False):
    """Prometheus rules (YAML str, Sloth's shape) for a Sloth ``prometheus/v1`` spec (YAML text or a path)."""
    h = _spec(spec)
    try:
        return _raw.cf_slo_rules_generate(h, _rules_opts(preset, period, policy, disable_alerts,
                                                         disable_recordings)).decode()
    finally:
        _raw.cf_slo_spec_free(h)
