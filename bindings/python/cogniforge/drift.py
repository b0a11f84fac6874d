"""Data and prediction drift (cogniforge/drift.h), with Evidently's tests and defaults: two-sample
Kolmogorov-Smirnov, chi-square, two-proportion z-test, normed Wasserstein, Jensen-Shannon and PSI, per column
and over mergeable reference profiles. NaN values are dropped; an empty sample raises
:class:`cogniforge.InvalidArgumentError`. See docs/drift.md.
"""

import json
import threading

from . import raw as _raw
from ._common import HandleOwner
from ._stats import check_no_csv_options, feed, split_csv_kwargs
from ._table import as_table, is_path
from .slo import _doubles

__all__ = ["psi", "ks", "wasserstein", "jensen_shannon", "jensen_shannon_distance", "chisquare", "ztest",
           "detect", "Profile", "compare", "METHODS", "default_threshold"]

#: Method names (cf_drift_method_name) -> ids.
METHODS = {_raw.cf_drift_method_name(i): i for i in range(7)}


def _method_id(method):
    if method is None:
        return 0
    if isinstance(method, str):
        return _raw.cf_drift_method_from_name(method)
    return int(method)


def default_threshold(method):
    """The method's default threshold (0.05 for p-value tests, 0.1 for distances)."""
    return _raw.cf_drift_method_default_threshold(_method_id(method))


def ks(ref, cur):
    """Two-sample Kolmogorov-Smirnov test: (D, two-sided p-value), as scipy.stats.ks_2samp."""
    stat, p = _raw.cf_drift_ks(_doubles(ref, "ref"), _doubles(cur, "cur"))
    return stat, p


def wasserstein(ref, cur):
    """Normed Wasserstein distance: W1(ref, cur) / std(ref) (Evidently's wasserstein_distance_norm)."""
    return _raw.cf_drift_wasserstein_norm(_doubles(ref, "ref"), _doubles(cur, "cur"))


def psi(ref, cur, categorical=False):
    """Population stability index (Evidently's bins; categorical: one bin per value)."""
    return _raw.cf_drift_psi(_doubles(ref, "ref"), _doubles(cur, "cur"), int(bool(categorical)))


def jensen_shannon(ref, cur, categorical=False):
    """Jensen-Shannon distance between the samples' histograms (Evidently's bins)."""
    return _raw.cf_drift_jensen_shannon(_doubles(ref, "ref"), _doubles(cur, "cur"), int(bool(categorical)))


def jensen_shannon_distance(p, q):
    """Jensen-Shannon distance of two distributions (scipy.spatial.distance.jensenshannon, natural log)."""
    p, q = _doubles(p, "p"), _doubles(q, "q")
    if len(p) != len(q):
        raise ValueError(f"p and q must have the same length ({len(p)} != {len(q)})")
    return _raw.cf_py_drift_jensen_shannon_dist(p, q)


def chisquare(f_obs, f_exp):
    """Chi-square goodness of fit: (chi2, p-value) with k - 1 degrees of freedom, as scipy.stats.chisquare."""
    f_obs, f_exp = _doubles(f_obs, "f_obs"), _doubles(f_exp, "f_exp")
    if len(f_obs) != len(f_exp):
        raise ValueError(f"f_obs and f_exp must have the same length ({len(f_obs)} != {len(f_exp)})")
    stat, p = _raw.cf_py_drift_chisquare(f_obs, f_exp)
    return stat, p


def ztest(ref_k, ref_n, cur_k, cur_n):
    """Two-proportion z-test (pooled): (z, two-sided p-value) for ref_k of ref_n against cur_k of cur_n."""
    stat, p = _raw.cf_drift_ztest(int(ref_k), int(ref_n), int(cur_k), int(cur_n))
    return stat, p


def _opts(method=None, threshold=None, drift_share=None, exact_max=None, kll_k=None):
    opts = {"method": _method_id(method)}
    if threshold is not None:
        opts["threshold"] = float(threshold)
    if drift_share is not None:
        opts["drift_share"] = float(drift_share)
    if exact_max is not None:
        opts["exact_max"] = int(exact_max)
    if kll_k is not None:
        opts["kll_k"] = int(kll_k)
    return opts


def detect(ref, cur, method="auto", threshold=None, categorical=None):
    """Drift of one column: a dict (method, statistic, p_value, score, threshold, drifted, n_ref, n_cur,
    n_unique, categorical, ...). ``method="auto"`` picks Evidently's test; ``categorical=True``: the values are
    category codes (chi-square / z-test / Jensen-Shannon, one bin per value) rather than numbers."""
    cat = int(bool(categorical))
    return _raw.cf_drift_detect(_doubles(ref, "ref"), _doubles(cur, "cur"), cat, _opts(method, threshold))


_PROFILE_OPTIONS = ("method", "threshold", "drift_share", "exact_max", "kll_k")


class Profile(HandleOwner):
    """A mergeable reference profile (cf_drift_profile) of a dataset: exact value counts per column while small,
    KLL sketches beyond ``exact_max`` distinct values. Serialise with :meth:`to_bytes`."""

    _closed_name = "drift.Profile"
    _handle = None

    def __init__(self, *, exact_max=None, kll_k=None):
        self._lock = threading.Lock()
        self._handle = _raw.cf_drift_profile_create(None, _opts(exact_max=exact_max, kll_k=kll_k))

    @classmethod
    def _adopt(cls, handle):
        self = cls.__new__(cls)
        self._lock = threading.Lock()
        self._handle = handle
        return self

    @classmethod
    def from_data(cls, data, **kwargs):
        """A profile of ``data``: a CSV path (streamed, with the CSV keyword arguments of read_csv), a Table or
        a mapping of column name -> array-like; ``exact_max`` and ``kll_k`` set the profile options."""
        csv, opts = split_csv_kwargs(kwargs, ("exact_max", "kll_k"))
        return feed(cls(**opts), data, csv)

    def update(self, data):
        """Add a chunk of rows (a Table or a mapping of arrays). Returns self."""
        table, owned = as_table(data)
        try:
            with self._lock:
                _raw.cf_drift_profile_update(self._checked(), table._checked())
        finally:
            if owned:
                table.close()
        return self

    def merge(self, other):
        """Merge ``other`` (same schema and options) into this profile. Returns self."""
        if not isinstance(other, Profile):
            raise TypeError(f"can only merge a cogniforge.drift.Profile, not {type(other).__name__}")
        if other is self:
            raise ValueError("cannot merge a Profile into itself")
        first, second = sorted((self, other), key=id)
        with first._lock, second._lock:
            _raw.cf_drift_profile_merge(self._checked(), other._checked())
        return self

    @property
    def num_rows(self):
        with self._lock:
            return _raw.cf_drift_profile_num_rows(self._checked())

    @property
    def num_columns(self):
        with self._lock:
            return _raw.cf_drift_profile_num_columns(self._checked())

    def to_bytes(self):
        """The profile as msgpack, for :meth:`from_bytes`."""
        with self._lock:
            return _raw.cf_drift_profile_to_msgpack(self._checked())

    @classmethod
    def from_bytes(cls, data):
        """A profile from :meth:`to_bytes` output. Raises FormatError / VersionError."""
        return cls._adopt(_raw.cf_drift_profile_from_msgpack(None, data))

    def __reduce__(self):
        return (Profile.from_bytes, (self.to_bytes(),))

    def close(self):
        """Free the profile (idempotent)."""
        if self._handle is not None:
            with self._lock:
                handle, self._handle = self._handle, None
                if handle is not None:
                    _raw.cf_drift_profile_free(handle)


def compare(profile, current, method="auto", threshold=None, drift_share=None, **csv):
    """Compare current data (a Table, a mapping of arrays, or a CSV path read whole with the CSV keyword
    arguments) with a reference :class:`Profile`: a dict with ``columns`` (per column as :func:`detect`, with
    ``column``), ``drifted`` (count), ``share`` and ``dataset_drift``."""
    if not isinstance(profile, Profile):
        raise TypeError(f"profile must be a cogniforge.drift.Profile, not {type(profile).__name__}")
    if is_path(current):
        from ._csv import read_csv
        table, owned = read_csv(current, **csv), True
    else:
        check_no_csv_options(current, csv)
        table, owned = as_table(current)
    try:
        with profile._lock:
            report = _raw.cf_drift_compare(profile._checked(), table._checked(),
                                           _opts(method, threshold, drift_share))
    finally:
        if owned:
            table.close()
    try:
        n = _raw.cf_drift_report_num_columns(report)
        return {
            "columns": [_raw.cf_drift_report_column(report, i) for i in range(n)],
            "drifted": _raw.cf_drift_report_num_drifted(report),
            "share": _raw.cf_drift_report_share(report),
            "dataset_drift": bool(_raw.cf_drift_report_dataset_drift(report)),
            "json": json.loads(_raw.cf_drift_report_to_json(report)),
        }
    finally:
        _raw.cf_drift_report_free(report)
