"""Group fairness of a binary classifier (cogniforge/fairness.h), with fairlearn's API and AIF360's definitions.

The rates (selection rate, TPR, FPR, FNR, TNR, PPV, NPV, accuracy, ROC AUC, count) are computed per group in C,
in one pass over the rows; any other metric callable is computed per group in Python, as fairlearn does.
Results are plain dicts and floats (no pandas needed).

Deliberate differences from fairlearn (docs/fairness.md):

* an undefined value is NaN, never a silent 0: a group without positives has TPR NaN (fairlearn: 0.0), and
  :meth:`MetricFrame.undefined` says why ("no positives", "empty group", ...);
* groups whose value is NaN are left out of differences and ratios (fairlearn skips only NaN rows, i.e. empty
  intersections); with fewer than two groups left, a between-groups disparity is NaN;
* a ratio whose denominator is 0 is NaN (fairlearn 0.9 raised ZeroDivisionError);
* ``min_group_size``: smaller groups are reported but left out of every disparity.

Labels: ``pos_label`` (default 1) is the positive class of y_true and y_pred; every other value is negative.
"""

import ctypes as _ctypes
import math
import numbers
from array import array

from . import raw as _raw

try:  # numpy is optional: without it, inputs are converted through Python lists
    import numpy as _np
except ImportError:  # pragma: no cover
    _np = None

__all__ = [
    "selection_rate", "true_positive_rate", "false_positive_rate", "true_negative_rate", "false_negative_rate",
    "positive_predictive_value", "negative_predictive_value", "count",
    "demographic_parity_difference", "demographic_parity_ratio", "equalized_odds_difference",
    "equalized_odds_ratio", "equal_opportunity_difference", "equal_opportunity_ratio",
    "predictive_parity_difference", "predictive_parity_ratio", "disparate_impact", "average_odds_difference",
    "statistical_parity_difference", "passes_four_fifths", "FOUR_FIFTHS", "MetricFrame", "Accumulator",
    "evaluate", "UNDEFINED_REASONS",
]

FOUR_FIFTHS = _raw.CF_FAIRNESS_FOUR_FIFTHS
_OVERALL = _ctypes.c_size_t(-1).value  # CF_FAIRNESS_OVERALL, (size_t)-1

_METRIC_IDS = {
    "selection_rate": _raw.CF_FAIRNESS_SELECTION_RATE,
    "true_positive_rate": _raw.CF_FAIRNESS_TPR, "tpr": _raw.CF_FAIRNESS_TPR, "recall": _raw.CF_FAIRNESS_TPR,
    "recall_score": _raw.CF_FAIRNESS_TPR,
    "false_positive_rate": _raw.CF_FAIRNESS_FPR, "fpr": _raw.CF_FAIRNESS_FPR,
    "false_negative_rate": _raw.CF_FAIRNESS_FNR, "fnr": _raw.CF_FAIRNESS_FNR,
    "true_negative_rate": _raw.CF_FAIRNESS_TNR, "tnr": _raw.CF_FAIRNESS_TNR,
    "positive_predictive_value": _raw.CF_FAIRNESS_PPV, "ppv": _raw.CF_FAIRNESS_PPV,
    "precision": _raw.CF_FAIRNESS_PPV, "precision_score": _raw.CF_FAIRNESS_PPV,
    "negative_predictive_value": _raw.CF_FAIRNESS_NPV, "npv": _raw.CF_FAIRNESS_NPV,
    "accuracy": _raw.CF_FAIRNESS_ACCURACY, "accuracy_score": _raw.CF_FAIRNESS_ACCURACY,
    "roc_auc": _raw.CF_FAIRNESS_AUC, "roc_auc_score": _raw.CF_FAIRNESS_AUC, "auc": _raw.CF_FAIRNESS_AUC,
    "count": _raw.CF_FAIRNESS_COUNT,
}

#: cf_fairness_undefined codes -> names ("no positives", ...).
UNDEFINED_REASONS = {code: _raw.cf_fairness_undefined_name(code) for code in range(0, 9)}

_METHODS = {"between_groups": _raw.CF_FAIRNESS_BETWEEN_GROUPS, "to_overall": _raw.CF_FAIRNESS_TO_OVERALL}
_AGGS = {"worst_case": _raw.CF_FAIRNESS_WORST_CASE, "mean": _raw.CF_FAIRNESS_MEAN}


# ---- input conversion ---------------------------------------------------------------------------------------

def _seq(values):
    """A sequence (list or numpy array) from any array-like, including pandas objects."""
    if _np is not None:
        return _np.asarray(values)
    if hasattr(values, "tolist"):
        return values.tolist()
    return list(values)


def _binary(values, pos_label, what):
    """uint8 0/1: value == pos_label."""
    if values is None:
        return None
    v = _seq(values)
    if _np is not None:
        if v.ndim != 1:
            raise ValueError(f"{what} must be one-dimensional")
        if v.dtype == _np.bool_ and (pos_label is True or pos_label == 1):
            return _np.ascontiguousarray(v.view(_np.uint8))
        return _np.ascontiguousarray(v == pos_label, dtype=_np.uint8)
    return array("B", [1 if x == pos_label else 0 for x in v])


def _floats(values, what):
    if values is None:
        return None
    if _np is not None:
        v = _np.ascontiguousarray(_np.asarray(values, dtype=_np.float64))
        if v.ndim != 1:
            raise ValueError(f"{what} must be one-dimensional")
        return v
    return array("d", [float(x) for x in _seq(values)])


def _label_strings(uniques):
    labels = [str(u) for u in uniques]
    if len(set(labels)) != len(labels) or any("\0" in s for s in labels):
        labels = [ascii(u) for u in uniques]
    return labels


def _is_categorical(values):
    """A pandas Categorical or a Series of dtype category (duck-typed: pandas is not imported)."""
    return getattr(getattr(values, "dtype", None), "name", None) == "category" and (
        hasattr(values, "cat") or (hasattr(values, "codes") and hasattr(values, "categories")))


def _factorize_native(v):
    """(int32 codes, original values) from cf_py_factorize (factorize.i) for str/bytes arrays, object arrays of
    str and lists of str, identical to numpy.unique(v, return_inverse=True); None for anything else."""
    r = _raw.cf_py_factorize(v)
    if r is None:
        return None
    buf, originals = r
    return _np.frombuffer(buf, dtype=_np.int32), originals


def _factorize_categorical(values):
    """The pandas codes and categories, without materialising the values: the used categories are factorized
    (a handful of values) and the codes mapped through them. None when it would not match the general path
    (missing values, categories other than str or integers)."""
    cat = values.cat if hasattr(values, "cat") else values
    codes = _np.asarray(cat.codes)
    categories = _np.asarray(cat.categories)
    if codes.ndim != 1 or codes.dtype.kind not in "iu" or categories.ndim != 1:
        return None
    if categories.dtype.kind not in "iuO" or (codes.size and (codes.min() < 0 or codes.max() >= categories.size)):
        return None  # NaN (code -1) raises on the general path; other kinds: leave them to it
    used = _np.flatnonzero(_np.bincount(codes, minlength=categories.size) > 0) if codes.size else \
        _np.zeros(0, dtype=_np.intp)
    sub = categories[used]
    if sub.dtype.kind == "O":
        got = _factorize_native(sub)
        if got is None:
            return None
        sub_codes, originals = got
        labels = _label_strings(originals)
    else:
        sub_codes, labels, originals = _factorize(sub)
    lut = _np.full(categories.size, -1, dtype=_np.int32)
    lut[used] = sub_codes
    return _np.ascontiguousarray(lut[codes]), labels, originals


def _factorize(values):
    """(int32 codes, C label strings, original values)."""
    if _np is not None:
        if _is_categorical(values):
            got = _factorize_categorical(values)
            if got is not None:
                return got
        elif isinstance(values, list) and values:
            got = _factorize_native(values)  # all str: what numpy.asarray then numpy.unique would give
            if got is not None:
                return got[0], _label_strings(got[1]), got[1]
    v = _seq(values)
    if _np is not None:
        if v.ndim != 1:
            raise ValueError("a sensitive feature must be one-dimensional")
        if v.dtype.kind in "USO":
            got = _factorize_native(v)  # O(n) hashing in C; None: not plain str/bytes, take numpy's path
            if got is not None:
                return got[0], _label_strings(got[1]), got[1]
        if v.dtype.kind in "biu" and v.size:
            lo, hi = int(v.min()), int(v.max())
            if hi - lo < (1 << 22):  # small integer range: O(n) through a lookup table, no sort
                shifted = (v - lo).astype(_np.intp, copy=False)
                present = _np.bincount(shifted, minlength=hi - lo + 1) > 0
                table = _np.cumsum(present, dtype=_np.int64) - 1
                codes = _np.ascontiguousarray(table[shifted], dtype=_np.int32)
                originals = (_np.flatnonzero(present) + lo).tolist()
                return codes, _label_strings(originals), originals
        try:
            uniques, inverse = _np.unique(v, return_inverse=True)
            codes = _np.ascontiguousarray(inverse.reshape(-1), dtype=_np.int32)
            originals = uniques.tolist()
        except TypeError:  # mixed types: keep first-seen order
            index, codes_l = {}, []
            for x in v.tolist():
                codes_l.append(index.setdefault(x, len(index)))
            codes = _np.asarray(codes_l, dtype=_np.int32)
            originals = list(index)
        for x in originals:
            if x is None or (isinstance(x, float) and math.isnan(x)):
                raise ValueError("sensitive features must not hold missing values (None/NaN); map them to a "
                                 "label of their own")
        return codes, _label_strings(originals), originals
    index, codes_l = {}, []
    for x in v:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            raise ValueError("sensitive features must not hold missing values (None/NaN)")
        codes_l.append(index.setdefault(x, len(index)))
    originals = list(index)
    return array("i", codes_l), _label_strings(originals), originals


def _features(sensitive_features):
    """[(name, values)] from an array-like, a dict, a DataFrame-like or a 2-D array."""
    sf = sensitive_features
    if sf is None:
        raise ValueError("sensitive_features is required")
    if isinstance(sf, dict):
        return [(str(k), v) for k, v in sf.items()]
    if hasattr(sf, "columns") and hasattr(sf, "__getitem__") and not hasattr(sf, "dtype"):
        return [(str(c), sf[c]) for c in sf.columns]
    name = getattr(sf, "name", None)
    if _np is not None:
        if _is_categorical(sf) and getattr(sf, "ndim", 1) == 1:  # keep the codes: no materialised strings
            return [(str(name) if name is not None else "sensitive_feature_0", sf)]
        arr = _np.asarray(sf)
        if arr.ndim == 2:
            return [(f"sensitive_feature_{i}", arr[:, i]) for i in range(arr.shape[1])]
        return [(str(name) if name is not None else "sensitive_feature_0", arr)]
    first = next(iter(sf), None)
    if isinstance(first, (list, tuple)):
        cols = list(zip(*sf))
        return [(f"sensitive_feature_{i}", list(c)) for i, c in enumerate(cols)]
    return [(str(name) if name is not None else "sensitive_feature_0", list(sf))]


class _Prepared:
    """Factorized sensitive features: names, codes, C labels, originals; plus the per-row group index."""

    def __init__(self, sensitive_features, n=None):
        feats = _features(sensitive_features)
        names = [name for name, _ in feats]
        if len(set(names)) != len(names):
            raise ValueError(f"sensitive feature names must be distinct: {names}")
        self.names = names
        self.codes, self.labels, self.originals = [], [], []
        for _, values in feats:
            c, lab, orig = _factorize(values)
            if n is not None and len(c) != n:
                raise ValueError(f"sensitive feature has {len(c)} rows, y_true {n}")
            self.codes.append(c)
            self.labels.append(lab)
            self.originals.append(orig)
        self.back = [dict(zip(lab, orig)) for lab, orig in zip(self.labels, self.originals)]

    def c_features(self):
        return [(name, codes, labels) for name, codes, labels in zip(self.names, self.codes, self.labels)]

    def key(self, c_labels):
        orig = tuple(self.back[k][s] for k, s in enumerate(c_labels))
        return orig[0] if len(orig) == 1 else orig


# ---- the C report ------------------------------------------------------------------------------------------

class _Report:
    """A cf_fairness_report: groups keyed by original values."""

    def __init__(self, handle, prepared):
        self._h = handle
        self.prepared = prepared
        n = _raw.cf_fairness_report_num_groups(handle)
        self.groups = [_raw.cf_fairness_report_group(handle, i) for i in range(n)]
        self.keys = [prepared.key(g["labels"]) for g in self.groups]
        order = list(range(n))
        try:
            order.sort(key=lambda i: self.keys[i])
        except TypeError:
            pass
        self.order = order

    def __del__(self):
        h, self._h = getattr(self, "_h", None), None
        if h is not None:
            _raw.cf_fairness_report_free(h)

    def value(self, group, metric_id):
        return _raw.cf_fairness_report_value(self._h, group, metric_id)

    def by_group(self, metric_id):
        return {self.keys[i]: self.value(i, metric_id)[0] for i in self.order}

    def reasons(self, metric_id):
        out = {}
        for i in self.order:
            v, why = self.value(i, metric_id)
            if why:
                out[self.keys[i]] = UNDEFINED_REASONS[why]
        return out

    def overall(self, metric_id):
        return self.value(_OVERALL, metric_id)[0]

    def disparity(self, metric_id, kind, method="between_groups"):
        m = _method(method)
        if kind == "difference":
            d = _raw.cf_fairness_difference(self._h, metric_id, m)
        else:
            d = _raw.cf_fairness_ratio(self._h, metric_id, m)
        return d["value"]

    def extreme(self, metric_id, largest):
        return _raw.cf_fairness_group_extreme(self._h, metric_id, 1 if largest else 0)["value"]

    def equalized_odds(self, method, agg, ratio):
        if agg not in _AGGS:
            raise ValueError(f"agg must be one of 'worst_case' or 'mean', got {agg}")
        return _raw.cf_fairness_equalized_odds(self._h, _method(method), _AGGS[agg], 1 if ratio else 0)["value"]

    def group_index(self, privileged):
        """The group whose key equals `privileged` (a value, or a tuple for several features)."""
        for i, k in enumerate(self.keys):
            if k == privileged or (not isinstance(k, tuple) and str(k) == str(privileged)):
                return i
        raise ValueError(f"privileged group {privileged!r} is not among the groups {self.keys}")

    def json(self):
        import json
        return json.loads(_raw.cf_fairness_report_to_json(self._h))


def _method(method):
    if method not in _METHODS:
        raise ValueError(f"Unrecognised method '{method}' (between_groups or to_overall)")
    return _METHODS[method]


def _evaluate(y_true, y_pred, prepared, *, sample_weight=None, y_score=None, pos_label=1, min_group_size=0,
              threshold=0.5):
    yt = _binary(y_true, pos_label, "y_true")
    yp = _binary(y_pred, pos_label, "y_pred")
    sc = _floats(y_score, "y_score")
    w = _floats(sample_weight, "sample_weight")
    opts = {"min_group_size": int(min_group_size), "threshold": float(threshold)}
    handle = _raw.cf_fairness_evaluate(None, (yt, yp, sc, w, prepared.c_features()), opts)
    return _Report(handle, prepared)


def _report(y_true, y_pred, sensitive_features, sample_weight=None, pos_label=1, min_group_size=0):
    yt = _seq(y_true)
    prepared = _Prepared(sensitive_features, len(yt))
    return _evaluate(yt, y_pred, prepared, sample_weight=sample_weight, pos_label=pos_label,
                     min_group_size=min_group_size)


def evaluate(y_true, y_pred=None, *, sensitive_features, y_score=None, sample_weight=None, pos_label=1,
             threshold=0.5, min_group_size=0):
    """The full per-group table and disparity summary as a dict (cf_fairness_report_to_json): groups with
    counts, every rate (None where undefined, with the reason under "undefined"), exact per-group ROC AUC when
    ``y_score`` is given (y_pred defaults to y_score >= threshold), and the disparities."""
    yt = _seq(y_true)
    prepared = _Prepared(sensitive_features, len(yt))
    return _evaluate(yt, y_pred, prepared, sample_weight=sample_weight, y_score=y_score, pos_label=pos_label,
                     min_group_size=min_group_size, threshold=threshold).json()


# ---- base metrics (one group: all rows) ---------------------------------------------------------------------

def _single(metric, y_true, y_pred, sample_weight, pos_label):
    yt = _seq(y_true)
    if len(yt) == 0:
        raise ValueError("empty input")
    rep = _report(yt, y_pred, {"all": [0] * len(yt)}, sample_weight, 1 if pos_label is None else pos_label)
    return rep.overall(_METRIC_IDS[metric])


def selection_rate(y_true, y_pred, *, pos_label=1, sample_weight=None):
    """Σ w [ŷ = pos_label] / Σ w (y_true is ignored)."""
    yp = _seq(y_pred)
    return _single("selection_rate", yp, yp, sample_weight, pos_label)


def true_positive_rate(y_true, y_pred, sample_weight=None, pos_label=None):
    """TP / (TP + FN); NaN without positives (fairlearn: 0.0)."""
    return _single("true_positive_rate", y_true, y_pred, sample_weight, pos_label)


def false_positive_rate(y_true, y_pred, sample_weight=None, pos_label=None):
    """FP / (FP + TN); NaN without negatives (fairlearn: 0.0)."""
    return _single("false_positive_rate", y_true, y_pred, sample_weight, pos_label)


def true_negative_rate(y_true, y_pred, sample_weight=None, pos_label=None):
    """TN / (FP + TN); NaN without negatives."""
    return _single("true_negative_rate", y_true, y_pred, sample_weight, pos_label)


def false_negative_rate(y_true, y_pred, sample_weight=None, pos_label=None):
    """FN / (TP + FN); NaN without positives."""
    return _single("false_negative_rate", y_true, y_pred, sample_weight, pos_label)


def positive_predictive_value(y_true, y_pred, sample_weight=None, pos_label=None):
    """TP / (TP + FP) (precision); NaN when nothing is predicted positive."""
    return _single("positive_predictive_value", y_true, y_pred, sample_weight, pos_label)


def negative_predictive_value(y_true, y_pred, sample_weight=None, pos_label=None):
    """TN / (TN + FN); NaN when nothing is predicted negative."""
    return _single("negative_predictive_value", y_true, y_pred, sample_weight, pos_label)


def count(y_true, y_pred):
    """The number of rows."""
    return len(_seq(y_true))


# ---- disparities ---------------------------------------------------------------------------------------------

def _disparity(metric, kind, y_true, y_pred, sensitive_features, method, sample_weight, min_group_size,
               pos_label=1):
    rep = _report(y_true, y_pred, sensitive_features, sample_weight, pos_label, min_group_size)
    return rep.disparity(_METRIC_IDS[metric], kind, method)


def demographic_parity_difference(y_true, y_pred, *, sensitive_features, method="between_groups",
                                  sample_weight=None, min_group_size=0, pos_label=1):
    """Selection-rate difference (max - min, or the largest distance to overall)."""
    return _disparity("selection_rate", "difference", y_true, y_pred, sensitive_features, method, sample_weight,
                      min_group_size, pos_label)


def demographic_parity_ratio(y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None,
                             min_group_size=0, pos_label=1):
    """Selection-rate ratio (min / max, or the smallest ratio to overall folded below 1)."""
    return _disparity("selection_rate", "ratio", y_true, y_pred, sensitive_features, method, sample_weight,
                      min_group_size, pos_label)


def equalized_odds_difference(y_true, y_pred, *, sensitive_features, method="between_groups",
                              sample_weight=None, agg="worst_case", min_group_size=0, pos_label=1):
    """The larger (agg="worst_case") or the mean (agg="mean") of the TPR and FPR differences."""
    rep = _report(y_true, y_pred, sensitive_features, sample_weight, pos_label, min_group_size)
    return rep.equalized_odds(method, agg, ratio=False)


def equalized_odds_ratio(y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None,
                         agg="worst_case", min_group_size=0, pos_label=1):
    """The smaller (agg="worst_case") or the mean (agg="mean") of the TPR and FPR ratios."""
    rep = _report(y_true, y_pred, sensitive_features, sample_weight, pos_label, min_group_size)
    return rep.equalized_odds(method, agg, ratio=True)


def equal_opportunity_difference(y_true, y_pred, *, sensitive_features, method="between_groups",
                                 sample_weight=None, min_group_size=0, pos_label=1):
    """TPR difference (fairlearn 0.11+ equal_opportunity_difference)."""
    return _disparity("true_positive_rate", "difference", y_true, y_pred, sensitive_features, method,
                      sample_weight, min_group_size, pos_label)


def equal_opportunity_ratio(y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None,
                            min_group_size=0, pos_label=1):
    """TPR ratio."""
    return _disparity("true_positive_rate", "ratio", y_true, y_pred, sensitive_features, method, sample_weight,
                      min_group_size, pos_label)


def predictive_parity_difference(y_true, y_pred, *, sensitive_features, method="between_groups",
                                 sample_weight=None, min_group_size=0, pos_label=1):
    """PPV (precision) difference across groups."""
    return _disparity("positive_predictive_value", "difference", y_true, y_pred, sensitive_features, method,
                      sample_weight, min_group_size, pos_label)


def predictive_parity_ratio(y_true, y_pred, *, sensitive_features, method="between_groups", sample_weight=None,
                            min_group_size=0, pos_label=1):
    """PPV (precision) ratio across groups."""
    return _disparity("positive_predictive_value", "ratio", y_true, y_pred, sensitive_features, method,
                      sample_weight, min_group_size, pos_label)


def _privileged(metric, ratio, y_true, y_pred, sensitive_features, privileged, sample_weight, min_group_size,
                pos_label):
    rep = _report(y_true, y_pred, sensitive_features, sample_weight, pos_label, min_group_size)
    return _raw.cf_fairness_privileged(rep._h, _METRIC_IDS[metric], rep.group_index(privileged),
                                       1 if ratio else 0)["value"]


def disparate_impact(y_true, y_pred, *, sensitive_features, privileged=None, sample_weight=None, min_group_size=0,
                     pos_label=1):
    """AIF360 disparate impact: P(ŷ=1 | unprivileged) / P(ŷ=1 | privileged), the unprivileged rows being every
    other group pooled. Without ``privileged``: the lowest over the highest group selection rate (the
    demographic parity ratio). Below :data:`FOUR_FIFTHS` (0.8) fails the four-fifths rule."""
    if privileged is None:
        return demographic_parity_ratio(y_true, y_pred, sensitive_features=sensitive_features,
                                        sample_weight=sample_weight, min_group_size=min_group_size,
                                        pos_label=pos_label)
    return _privileged("selection_rate", True, y_true, y_pred, sensitive_features, privileged, sample_weight,
                       min_group_size, pos_label)


def passes_four_fifths(value):
    """True when a disparate impact meets the four-fifths rule (>= 0.8); None when it is NaN."""
    return None if value != value else value >= FOUR_FIFTHS


def statistical_parity_difference(y_true, y_pred, *, sensitive_features, privileged, sample_weight=None,
                                  min_group_size=0, pos_label=1):
    """AIF360: P(ŷ=1 | unprivileged) - P(ŷ=1 | privileged)."""
    return _privileged("selection_rate", False, y_true, y_pred, sensitive_features, privileged, sample_weight,
                       min_group_size, pos_label)


def average_odds_difference(y_true, y_pred, *, sensitive_features, privileged, sample_weight=None,
                            min_group_size=0, pos_label=1):
    """AIF360: ½[(FPR_u - FPR_p) + (TPR_u - TPR_p)], unprivileged rows pooled."""
    rep = _report(y_true, y_pred, sensitive_features, sample_weight, pos_label, min_group_size)
    return _raw.cf_fairness_average_odds_difference(rep._h, rep.group_index(privileged))["value"]


# ---- MetricFrame ---------------------------------------------------------------------------------------------

_NATIVE_FUNCS = {}


def _native_id(metric):
    """The C metric for a name or one of our (or cogniforge.metrics') callables; None for other callables."""
    if isinstance(metric, str):
        if metric not in _METRIC_IDS:
            raise ValueError(f"unknown metric name {metric!r}; pass a callable for other metrics")
        return _METRIC_IDS[metric]
    if not _NATIVE_FUNCS:
        for name in ("selection_rate", "true_positive_rate", "false_positive_rate", "true_negative_rate",
                     "false_negative_rate", "positive_predictive_value", "negative_predictive_value", "count"):
            _NATIVE_FUNCS[id(globals()[name])] = _METRIC_IDS[name]
        try:
            from . import metrics as _m
        except ImportError:  # the metrics submodule is optional here
            _m = None
        for name, mid in (("recall_score", "recall_score"), ("precision_score", "precision_score"),
                          ("accuracy_score", "accuracy_score"), ("roc_auc_score", "roc_auc_score")):
            f = getattr(_m, name, None) if _m is not None else None
            if f is not None:
                _NATIVE_FUNCS[id(f)] = _METRIC_IDS[mid]
    return _NATIVE_FUNCS.get(id(metric))


def _nan_skipping(values):
    return [v for v in values if isinstance(v, numbers.Real) and not math.isnan(v)]


class MetricFrame:
    """fairlearn's MetricFrame without pandas: per-group values of one or several metrics.

    Args:
        metrics: a metric name ("selection_rate", "true_positive_rate", "recall_score", "roc_auc_score",
            "count", ...), a callable ``f(y_true, y_pred, **params)``, or a dict name -> either. Built-in names
            and this module's (or cogniforge.metrics') functions are computed in C; other callables per group
            in Python.
        y_true, y_pred: labels (y_pred holds scores for "roc_auc_score").
        sensitive_features: an array-like, a dict name -> array-like, a DataFrame or a 2-D array. Several
            features give their intersections (cartesian product, empty ones NaN).
        sample_params: dict metric name -> {param: per-row array} (fairlearn), or for a single metric
            {param: array}; ``sample_weight`` is a shortcut applying to every metric.
        min_group_size: groups with fewer rows are reported but left out of differences, ratios, min and max.
        pos_label: the positive class for the built-in rates.

    by_group, overall, difference(), ratio(), group_min(), group_max() return a dict keyed by metric name when
    ``metrics`` was a dict, else the single metric's value; by_group maps a group (a value, or a tuple of values
    for several features) to its value.
    """

    def __init__(self, *, metrics, y_true, y_pred, sensitive_features, control_features=None,
                 sample_params=None, sample_weight=None, min_group_size=0, pos_label=1):
        if control_features is not None:
            raise NotImplementedError("control_features are not supported")
        self._single = not isinstance(metrics, dict)
        mdict = {self._name_of(metrics): metrics} if self._single else dict(metrics)
        self._y_true = _seq(y_true)
        self._y_pred = _seq(y_pred)
        n = len(self._y_true)
        if len(self._y_pred) != n:
            raise ValueError("y_true and y_pred have different lengths")
        self._prep = _Prepared(sensitive_features, n)
        self._min = int(min_group_size)
        self._pos = pos_label
        if sample_params is not None and self._single and not any(isinstance(v, dict)
                                                                  for v in sample_params.values()):
            sample_params = {next(iter(mdict)): sample_params}
        self._params = {name: dict((sample_params or {}).get(name, {})) for name in mdict}
        if sample_weight is not None:
            for p in self._params.values():
                p.setdefault("sample_weight", sample_weight)
        self._metrics = mdict
        self._reports = {}
        self._results = {}
        self._group_rows = None
        for name, metric in mdict.items():
            self._results[name] = self._compute(name, metric)
        first = next(iter(self._results.values()))
        self._keys = list(first["by_group"])

    @staticmethod
    def _name_of(metric):
        return metric if isinstance(metric, str) else getattr(metric, "__name__", "metric")

    def _report_for(self, weights, score_metric):
        key = (id(weights) if weights is not None else None, score_metric)
        if key not in self._reports:
            if score_metric:
                self._reports[key] = _evaluate(self._y_true, None, self._prep, sample_weight=weights,
                                               y_score=self._y_pred, pos_label=self._pos,
                                               min_group_size=self._min)
            else:
                self._reports[key] = _evaluate(self._y_true, self._y_pred, self._prep, sample_weight=weights,
                                               pos_label=self._pos, min_group_size=self._min)
            self._keep = getattr(self, "_keep", []) + [weights]
        return self._reports[key]

    def _compute(self, name, metric):
        params = self._params[name]
        mid = _native_id(metric)
        if mid is not None and set(params) <= {"sample_weight"}:
            rep = self._report_for(params.get("sample_weight"), mid == _raw.CF_FAIRNESS_AUC)
            return {"native": mid, "report": rep, "by_group": rep.by_group(mid), "overall": rep.overall(mid),
                    "reasons": rep.reasons(mid)}
        if isinstance(metric, str):
            raise ValueError(f"metric {metric!r} does not take sample params {sorted(params)}")
        return self._compute_python(metric, params)

    def _rows_by_group(self):
        """Row indices per group key, in the C report's group order (empty intersections included)."""
        if self._group_rows is None:
            rep = self._report_for(None, False)
            keys = [rep.keys[i] for i in rep.order]
            pos = {k: [] for k in keys}
            codes = [c.tolist() if hasattr(c, "tolist") else list(c) for c in self._prep.codes]
            for r in range(len(self._y_true)):
                lab = tuple(self._prep.originals[k][codes[k][r]] for k in range(len(codes)))
                pos[lab[0] if len(lab) == 1 else lab].append(r)
            counts = {k: rep.groups[i]["count"] for i, k in zip(rep.order, keys)}
            self._group_rows = (keys, pos, counts)
        return self._group_rows

    def _compute_python(self, metric, params):
        keys, pos, counts = self._rows_by_group()

        def take(arr, rows):
            if _np is not None and hasattr(arr, "shape"):
                return arr[_np.asarray(rows, dtype=_np.intp)]
            return [arr[r] for r in rows]

        by_group, reasons = {}, {}
        for k in keys:
            rows = pos[k]
            if not rows:
                by_group[k] = math.nan
                reasons[k] = "empty group"
                continue
            sp = {p: take(_seq(v), rows) for p, v in params.items()}
            by_group[k] = metric(take(self._y_true, rows), take(self._y_pred, rows), **sp)
        overall = metric(self._y_true, self._y_pred, **{p: _seq(v) for p, v in params.items()})
        return {"native": None, "by_group": by_group, "overall": overall, "reasons": reasons, "counts": counts}

    def _each(self, fn):
        out = {name: fn(name, res) for name, res in self._results.items()}
        return next(iter(out.values())) if self._single else out

    @property
    def by_group(self):
        """Per-group values (NaN where undefined: see :meth:`undefined`)."""
        return self._each(lambda name, res: dict(res["by_group"]))

    @property
    def overall(self):
        """Values over all rows."""
        return self._each(lambda name, res: res["overall"])

    def undefined(self):
        """Why values are NaN: {group: reason} (per metric when metrics was a dict)."""
        return self._each(lambda name, res: dict(res["reasons"]))

    @property
    def sensitive_levels(self):
        return list(self._prep.names)

    def _eligible(self, res):
        vals = []
        for k, v in res["by_group"].items():
            n = res["counts"].get(k, 0)
            if n > 0 and n < self._min:
                continue
            vals.append(v)
        return _nan_skipping(vals)

    def _py_disparity(self, res, kind, method):
        vals = self._eligible(res)
        if method == "between_groups":
            if len(vals) < 2:
                return math.nan
            lo, hi = min(vals), max(vals)
            if kind == "difference":
                return hi - lo
            return math.nan if hi == 0 else lo / hi
        o = res["overall"]
        if not vals or not isinstance(o, numbers.Real) or math.isnan(o):
            return math.nan
        if kind == "difference":
            return max(abs(v - o) for v in vals)
        if o == 0:
            return math.nan
        return min((v / o) if v / o <= 1 else 1 / (v / o) for v in vals)

    def difference(self, method="between_groups", errors="coerce"):
        """max - min over the groups (between_groups), or the largest |group - overall| (to_overall)."""
        _method(method)

        def one(name, res):
            if res["native"] is not None:
                return res["report"].disparity(res["native"], "difference", method)
            return self._py_disparity(res, "difference", method)
        return self._each(one)

    def ratio(self, method="between_groups", errors="coerce"):
        """min / max over the groups (between_groups), or the smallest group/overall ratio folded below 1."""
        _method(method)

        def one(name, res):
            if res["native"] is not None:
                return res["report"].disparity(res["native"], "ratio", method)
            return self._py_disparity(res, "ratio", method)
        return self._each(one)

    def group_min(self, errors="raise"):
        def one(name, res):
            if res["native"] is not None:
                return res["report"].extreme(res["native"], False)
            vals = self._eligible(res)
            return min(vals) if vals else math.nan
        return self._each(one)

    def group_max(self, errors="raise"):
        def one(name, res):
            if res["native"] is not None:
                return res["report"].extreme(res["native"], True)
            vals = self._eligible(res)
            return max(vals) if vals else math.nan
        return self._each(one)


# ---- accumulators --------------------------------------------------------------------------------------------

class Accumulator:
    """A mergeable fairness accumulator (cf_fairness): per-group confusion counts and score histograms of the
    sensitive features ``names``; shards merge exactly (:meth:`merge`, :meth:`to_bytes` / :meth:`from_bytes`).

    Args:
        names: the sensitive feature names, in the order :meth:`update` gives them.
        min_group_size, threshold, auc_bins, score_min, score_max: cf_fairness_options.
    """

    _h = None

    def __init__(self, names, **options):
        opts = {k: v for k, v in options.items() if v is not None}
        self._names = [str(n) for n in names]
        self._h = _raw.cf_fairness_create(None, self._names, opts or None)

    @classmethod
    def from_bytes(cls, data):
        self = cls.__new__(cls)
        self._h = _raw.cf_fairness_from_msgpack(None, data)
        rep = _raw.cf_fairness_report_create(self._h, None)
        self._names = [_raw.cf_fairness_report_feature_name(rep, i)
                       for i in range(_raw.cf_fairness_report_num_features(rep))]
        _raw.cf_fairness_report_free(rep)
        return self

    def __del__(self):
        h, self._h = self._h, None
        if h is not None:
            _raw.cf_fairness_free(h)

    def update(self, y_true, y_pred=None, *, sensitive_features, y_score=None, sample_weight=None, pos_label=1):
        """Add rows. sensitive_features: a dict name -> array-like (or one array-like for one feature)."""
        yt = _seq(y_true)
        sf = sensitive_features if isinstance(sensitive_features, dict) else {self._names[0]: sensitive_features}
        prep = _Prepared({n: sf[n] for n in self._names}, len(yt))
        data = (_binary(yt, pos_label, "y_true"), _binary(y_pred, pos_label, "y_pred"), _floats(y_score, "y_score"),
                _floats(sample_weight, "sample_weight"), prep.c_features())
        _raw.cf_fairness_update(self._h, data)
        return self

    def merge(self, other):
        _raw.cf_fairness_merge(self._h, other._h)
        return self

    def to_bytes(self):
        return _raw.cf_fairness_to_msgpack(self._h)

    @property
    def num_rows(self):
        return _raw.cf_fairness_num_rows(self._h)

    def report(self, features=None):
        """The per-group table and disparities as a dict (JSON form); AUC from the histograms, with each
        group's ``auc_error`` bound. ``features``: the features to group by (default all)."""
        import json
        rep = _raw.cf_fairness_report_create(self._h, list(features) if features else None)
        try:
            return json.loads(_raw.cf_fairness_report_to_json(rep))
        finally:
            _raw.cf_fairness_report_free(rep)
