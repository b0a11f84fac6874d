"""Evaluation metrics (cogniforge/metrics.h) with scikit-learn's names, arguments and results.

Every function mirrors ``sklearn.metrics`` (plus :func:`calibration_curve` from ``sklearn.calibration`` and
:func:`expected_calibration_error`): same positional order, same keywords, same return types. Inputs are numpy
arrays or sequences; labels may be integers, booleans or strings (strings and other non-integer labels are
encoded with ``numpy.unique``). int64 labels, float64 weights and float64 or float32 scores are passed to the C
library without a copy. numpy is needed to call these functions (not to import the package).

Where scikit-learn warns (``UndefinedMetricWarning``), these functions warn with :class:`UndefinedMetricWarning`
(a ``UserWarning``); ``zero_division="warn"`` returns 0 and warns. Where scikit-learn raises for a metric that is
merely undefined (ROC AUC with one class in ``y_true``), NaN is returned with a warning. docs/metrics.md lists
every difference.
"""

import warnings

from . import raw as _raw


class _LazyNumpy:
    """numpy, imported on first use: ``import cogniforge`` must work without numpy (tests/python/test_threads)."""

    def __getattr__(self, name):
        import numpy
        globals()["np"] = numpy
        return getattr(numpy, name)


np = _LazyNumpy()

__all__ = [
    "UndefinedMetricWarning",
    "accuracy_score", "balanced_accuracy_score", "confusion_matrix", "precision_recall_fscore_support",
    "precision_score", "recall_score", "f1_score", "fbeta_score", "matthews_corrcoef",
    "roc_auc_score", "roc_curve", "average_precision_score", "precision_recall_curve",
    "log_loss", "brier_score_loss", "calibration_curve", "expected_calibration_error",
    "FLAG_UNDEFINED_NO_POSITIVES", "FLAG_UNDEFINED_NO_NEGATIVES", "FLAG_UNDEFINED_PRECISION",
    "FLAG_UNDEFINED_RECALL", "FLAG_UNDEFINED_FSCORE", "FLAG_UNDEFINED_ZERO_DIVISION", "FLAG_CLIPPED",
    "FLAG_EMPTY_BINS",
]

#: cf_metric_flag bits (what made a value undefined)
FLAG_UNDEFINED_NO_POSITIVES = _raw.CF_METRIC_UNDEFINED_NO_POSITIVES
FLAG_UNDEFINED_NO_NEGATIVES = _raw.CF_METRIC_UNDEFINED_NO_NEGATIVES
FLAG_UNDEFINED_PRECISION = _raw.CF_METRIC_UNDEFINED_PRECISION
FLAG_UNDEFINED_RECALL = _raw.CF_METRIC_UNDEFINED_RECALL
FLAG_UNDEFINED_FSCORE = _raw.CF_METRIC_UNDEFINED_FSCORE
FLAG_UNDEFINED_ZERO_DIVISION = _raw.CF_METRIC_UNDEFINED_ZERO_DIVISION
FLAG_CLIPPED = _raw.CF_METRIC_CLIPPED
FLAG_EMPTY_BINS = _raw.CF_METRIC_EMPTY_BINS

_AVERAGES = {"binary": _raw.CF_AVERAGE_BINARY, "micro": _raw.CF_AVERAGE_MICRO, "macro": _raw.CF_AVERAGE_MACRO,
             "weighted": _raw.CF_AVERAGE_WEIGHTED}
_CM_NORMALIZE = {None: _raw.CF_NORMALIZE_NONE, "true": _raw.CF_NORMALIZE_TRUE, "pred": _raw.CF_NORMALIZE_PRED,
                 "all": _raw.CF_NORMALIZE_ALL}
_STRATEGIES = {"uniform": _raw.CF_CALIBRATION_UNIFORM, "quantile": _raw.CF_CALIBRATION_QUANTILE}


class UndefinedMetricWarning(UserWarning):
    """A metric is undefined for the input (0/0): the documented substitute value was returned."""


def _warn(message):
    warnings.warn(message, UndefinedMetricWarning, stacklevel=3)


# ---- input conversion ---------------------------------------------------------------------------------------

def _column(y, name):
    a = np.asarray(y)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a.ravel()
    if a.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {a.shape}")
    return a


def _is_int(a):
    return a.dtype.kind in "iub"


class _Labels:
    """Encodes label arrays as int64 codes: integer labels are their own codes, anything else is the index
    in ``classes`` (numpy.unique of every array given)."""

    def __init__(self, *arrays):
        if all(_is_int(a) for a in arrays):
            self.classes = None
            self.codes = [np.require(a, np.int64, ("C", "A")) for a in arrays]
        else:
            cols = [a.astype(object) if a.dtype.kind != b.dtype.kind else a
                    for a, b in zip(arrays, arrays[::-1])]
            try:
                self.classes = np.unique(np.concatenate(cols))
            except TypeError as e:
                raise TypeError(f"labels of mixed types cannot be ordered: {e}") from None
            self.codes = [np.searchsorted(self.classes, c).astype(np.int64) for c in cols]

    def code(self, label):
        """The code of a label; a code that matches nothing when the label does not occur."""
        if self.classes is None:
            if isinstance(label, (str, bytes)):
                return np.iinfo(np.int64).min
            return int(label)
        i = int(np.searchsorted(self.classes, label))
        if i < len(self.classes) and self.classes[i] == label:
            return i
        return -1

    def codes_for(self, labels):
        """Codes for a list of labels; labels absent from the data get fresh codes."""
        if self.classes is None:
            return [int(x) for x in labels]
        out, extra = [], len(self.classes)
        for x in labels:
            c = self.code(x)
            if c < 0:
                c, extra = extra, extra + 1
            out.append(c)
        return out

    def decode(self, codes):
        codes = np.asarray(codes)
        return codes if self.classes is None else self.classes[codes]


def _weights(sample_weight, n):
    if sample_weight is None:
        return None
    w = np.require(_column(sample_weight, "sample_weight"), np.float64, ("C", "A"))
    if w.shape[0] != n:
        raise ValueError(f"sample_weight has {w.shape[0]} elements, y_true has {n}")
    return w


def _scores(y_score, name="y_score"):
    s = _column(y_score, name)
    if s.dtype == np.float32 or s.dtype == np.float64:
        return np.require(s, s.dtype, ("C", "A"))
    return np.require(s, np.float64, ("C", "A"))


def _probs(y_prob, name="y_prob"):
    return np.require(np.asarray(y_prob), np.float64, ("C", "A"))


def _distinct(codes):
    """Sorted distinct int64 values (computed in C, no sort of the rows)."""
    return np.frombuffer(_raw.cf_py_metrics_labels((codes, None), None), dtype=np.int64)


def _binary_present(codes):
    """The labels of a y_true the C library checks to hold at most two (a multiclass one fails there): its
    minimum and maximum, found by numpy without a sort."""
    if codes.shape[0] == 0:
        return np.empty(0, dtype=np.int64)
    lo, hi = codes.min(), codes.max()
    return np.array([lo] if lo == hi else [lo, hi], dtype=np.int64)


def _pair(y_true, y_pred):
    yt, yp = _column(y_true, "y_true"), _column(y_pred, "y_pred")
    if yt.shape[0] != yp.shape[0]:
        raise ValueError(f"y_true and y_pred have different lengths ({yt.shape[0]} and {yp.shape[0]})")
    return _Labels(yt, yp)


def _zero_division(zero_division):
    if isinstance(zero_division, str):
        if zero_division != "warn":
            raise ValueError(f"zero_division must be 'warn', 0, 1 or nan, not {zero_division!r}")
        return 0.0, True
    z = float(zero_division)
    if not (z == 0.0 or z == 1.0 or np.isnan(z)):
        raise ValueError(f"zero_division must be 'warn', 0, 1 or nan, not {zero_division!r}")
    return z, False


def _pos_label_binary(enc, y_true_codes, pos_label, what):
    """scikit-learn's _check_pos_label_consistency: pos_label=None needs labels within {0, 1} or {-1, 1}."""
    if pos_label is not None:
        return enc.code(pos_label)
    present = _distinct(y_true_codes)
    if enc.classes is not None:
        values = enc.classes[present]
        if values.dtype.kind in "OUS" or not all(v in (0, 1, -1) for v in values):
            raise ValueError(f"{what}: y_true takes value in {list(values)} and pos_label is not specified: "
                             "either make y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly.")
        return enc.code(1)
    vals = set(present.tolist())
    if not (vals <= {0, 1} or vals <= {-1, 1}):
        raise ValueError(f"{what}: y_true takes value in {sorted(vals)} and pos_label is not specified: either "
                         "make y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly.")
    return 1


# ---- label metrics ------------------------------------------------------------------------------------------

def accuracy_score(y_true, y_pred, *, normalize=True, sample_weight=None):
    """Fraction (or, with ``normalize=False``, weighted count) of correct predictions."""
    enc = _pair(y_true, y_pred)
    yt, yp = enc.codes
    return _raw.cf_accuracy_score((yt, yp, _weights(sample_weight, yt.shape[0])), {"normalize": bool(normalize)})


def confusion_matrix(y_true, y_pred, *, labels=None, sample_weight=None, normalize=None):
    """Confusion matrix C[i, j]: rows true labels, columns predicted, in the order of ``labels`` (default: the
    sorted labels of both). int64 counts without weights and normalisation, float64 otherwise."""
    if normalize not in _CM_NORMALIZE:
        raise ValueError("normalize must be one of {'true', 'pred', 'all', None}")
    enc = _pair(y_true, y_pred)
    yt, yp = enc.codes
    opts = {"cm_normalize": _CM_NORMALIZE[normalize]}
    if labels is not None:
        labels = list(labels)
        if len(labels) == 0:
            raise ValueError("'labels' should contains at least one label.")
        opts["labels"] = enc.codes_for(labels)
    k = len(_label_codes(yt, yp, opts))
    raw, _flags = _raw.cf_confusion_matrix(k, (yt, yp, _weights(sample_weight, yt.shape[0])), opts)
    cm = np.frombuffer(raw, dtype=np.float64).reshape(k, k).copy()
    if sample_weight is None and normalize is None:
        cm = cm.astype(np.int64)
    return cm


def _label_codes(yt, yp, opts):
    return np.frombuffer(_raw.cf_py_metrics_labels((yt, yp), opts), dtype=np.int64)


def balanced_accuracy_score(y_true, y_pred, *, sample_weight=None, adjusted=False):
    """Mean recall over the classes of y_true (``adjusted``: chance maps to 0)."""
    enc = _pair(y_true, y_pred)
    yt, yp = enc.codes
    value, flags = _raw.cf_balanced_accuracy_score((yt, yp, _weights(sample_weight, yt.shape[0])),
                                                   {"adjusted": bool(adjusted)})
    if flags & FLAG_UNDEFINED_RECALL:
        warnings.warn("y_pred contains classes not in y_true", UserWarning, stacklevel=2)
    return value


def matthews_corrcoef(y_true, y_pred, *, sample_weight=None):
    """Matthews correlation coefficient (multiclass form); 0.0 when undefined, as scikit-learn."""
    enc = _pair(y_true, y_pred)
    yt, yp = enc.codes
    value, _flags = _raw.cf_matthews_corrcoef((yt, yp, _weights(sample_weight, yt.shape[0])))
    return value


def _prf_options(enc, yt, yp, beta, labels, pos_label, average, zero_division):
    if average is not None and average not in _AVERAGES:
        if average == "samples":
            raise ValueError("average='samples' needs multilabel input, which is not supported")
        raise ValueError(f"average has to be one of (None, 'micro', 'macro', 'weighted', 'binary'), not {average!r}")
    if beta < 0:
        raise ValueError("beta should be >=0 in the F-beta score")
    zd, warn = _zero_division(zero_division)
    opts = {"beta": float(beta), "zero_division": zd}
    if average == "binary":
        opts["average"] = _raw.CF_AVERAGE_BINARY
        opts["pos_label"] = enc.code(pos_label)
        # the C library checks that y_true and y_pred hold at most two labels, pos_label one of them
    else:
        if average is not None:
            opts["average"] = _AVERAGES[average]
        if labels is not None:
            opts["labels"] = enc.codes_for(list(labels))
    return opts, warn


def _warn_prf(flags, what):
    msgs = []
    if "precision" in what and flags & FLAG_UNDEFINED_PRECISION:
        msgs.append("Precision is ill-defined and being set to 0.0 in labels with no predicted samples.")
    if "recall" in what and flags & FLAG_UNDEFINED_RECALL:
        msgs.append("Recall is ill-defined and being set to 0.0 in labels with no true samples.")
    if "f-score" in what and flags & FLAG_UNDEFINED_FSCORE:
        msgs.append("F-score is ill-defined and being set to 0.0 in labels with no true nor predicted samples.")
    if flags & FLAG_UNDEFINED_ZERO_DIVISION:
        msgs.append("The weighted average is ill-defined: no label has any support.")
    for m in msgs:
        _warn(m + " Use `zero_division` parameter to control this behavior.")


def precision_recall_fscore_support(y_true, y_pred, *, beta=1.0, labels=None, pos_label=1, average=None,
                                    warn_for=("precision", "recall", "f-score"), sample_weight=None,
                                    zero_division="warn"):
    """Precision, recall, F-beta and support: per label (``average=None``: arrays, support included) or
    averaged (floats, support None)."""
    enc = _pair(y_true, y_pred)
    yt, yp = enc.codes
    w = _weights(sample_weight, yt.shape[0])
    opts, warn = _prf_options(enc, yt, yp, beta, labels, pos_label, average, zero_division)
    if average is None:
        k = len(_label_codes(yt, yp, opts))
        (p, r, f, s, lf), flags = _raw.cf_precision_recall_fscore_support(k, (yt, yp, w), opts)
        if warn:
            _warn_prf(flags, warn_for)
        support = np.frombuffer(s, dtype=np.float64).copy()
        if w is None:
            support = support.astype(np.int64)
        return (np.frombuffer(p, dtype=np.float64).copy(), np.frombuffer(r, dtype=np.float64).copy(),
                np.frombuffer(f, dtype=np.float64).copy(), support)
    (p, r, f), flags = _raw.cf_precision_recall_fscore((yt, yp, w), opts)
    if warn:
        _warn_prf(flags, warn_for)
    return p, r, f, None


def precision_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
                    zero_division="warn"):
    """Precision tp / (tp + fp)."""
    p, _, _, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label,
                                                 average=average, warn_for=("precision",),
                                                 sample_weight=sample_weight, zero_division=zero_division)
    return p


def recall_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
                 zero_division="warn"):
    """Recall tp / (tp + fn)."""
    _, r, _, _ = precision_recall_fscore_support(y_true, y_pred, labels=labels, pos_label=pos_label,
                                                 average=average, warn_for=("recall",),
                                                 sample_weight=sample_weight, zero_division=zero_division)
    return r


def fbeta_score(y_true, y_pred, *, beta, labels=None, pos_label=1, average="binary", sample_weight=None,
                zero_division="warn"):
    """F-beta = (1 + b^2) tp / ((1 + b^2) tp + b^2 fn + fp)."""
    _, _, f, _ = precision_recall_fscore_support(y_true, y_pred, beta=beta, labels=labels, pos_label=pos_label,
                                                 average=average, warn_for=("f-score",),
                                                 sample_weight=sample_weight, zero_division=zero_division)
    return f


def f1_score(y_true, y_pred, *, labels=None, pos_label=1, average="binary", sample_weight=None,
             zero_division="warn"):
    """F1 = 2 tp / (2 tp + fp + fn)."""
    return fbeta_score(y_true, y_pred, beta=1.0, labels=labels, pos_label=pos_label, average=average,
                       sample_weight=sample_weight, zero_division=zero_division)


# ---- ranking metrics ----------------------------------------------------------------------------------------

def _ranking(y_true, y_score, sample_weight):
    yt = _column(y_true, "y_true")
    s = _scores(y_score)
    if yt.shape[0] != s.shape[0]:
        raise ValueError(f"y_true and y_score have different lengths ({yt.shape[0]} and {s.shape[0]})")
    enc = _Labels(yt)
    return enc, enc.codes[0], s, _weights(sample_weight, yt.shape[0])


def _warn_ranking(flags):
    if flags & FLAG_UNDEFINED_NO_NEGATIVES:
        _warn("No negative samples in y_true, false positive value should be meaningless")
    if flags & FLAG_UNDEFINED_NO_POSITIVES:
        _warn("No positive samples in y_true, true positive value should be meaningless")


def roc_auc_score(y_true, y_score, *, average="macro", sample_weight=None, max_fpr=None, multi_class="raise",
                  labels=None):
    """Area under the ROC curve: binary (the larger label is positive), or multiclass one-vs-rest
    (``multi_class='ovr'``, ``average`` 'macro' or 'weighted'; y_score of shape (n, K)). ``max_fpr``: the
    McClish-standardised partial AUC (binary). One class in y_true: NaN with a warning."""
    yt = _column(y_true, "y_true")
    s = np.asarray(y_score)
    if s.ndim == 2 and s.shape[1] > 1 or (labels is not None and len(labels) > 2):
        return _roc_auc_ovr(yt, s, average, sample_weight, multi_class, labels)
    enc, codes, s, w = _ranking(yt, s, sample_weight)
    present = _binary_present(codes)  # more than two labels fail in C
    opts = {"pos_label": int(present[-1]) if len(present) == 2 else np.iinfo(np.int64).max}
    if max_fpr is not None:
        if not 0 < max_fpr <= 1:
            raise ValueError(f"Expected max_fpr in range (0, 1], got: {max_fpr!r}")
        opts["max_fpr"] = float(max_fpr)
    value, flags = _raw.cf_roc_auc_score((codes, s, w), opts)
    if len(present) < 2:
        _warn("Only one class present in y_true. ROC AUC score is not defined in that case.")
    elif flags:
        _warn_ranking(flags)
    return value


def _roc_auc_ovr(yt, s, average, sample_weight, multi_class, labels):
    if multi_class != "ovr":
        raise ValueError("multiclass ROC AUC needs multi_class='ovr' ('ovo' is not supported)")
    if average not in ("macro", "weighted"):
        raise ValueError("average must be 'macro' or 'weighted' for multiclass ROC AUC")
    if s.ndim != 2:
        raise ValueError("multiclass ROC AUC needs y_score of shape (n_samples, n_classes)")
    enc = _Labels(yt)
    classes = list(labels) if labels is not None else list(enc.decode(_distinct(enc.codes[0])))
    if len(classes) != s.shape[1]:
        raise ValueError(f"Number of classes in y_true ({len(classes)}) not equal to the number of columns in "
                         f"'y_score' ({s.shape[1]})")
    if not np.allclose(1, s.sum(axis=1)):
        raise ValueError("Target scores need to be probabilities for multiclass roc_auc, i.e. they should sum "
                         "up to 1.0 over classes")
    w = _weights(sample_weight, yt.shape[0])
    codes = enc.codes[0]
    aucs, prevalence = [], []
    for j, c in enumerate(classes):
        col = np.ascontiguousarray(s[:, j], dtype=s.dtype if s.dtype in (np.float32, np.float64) else np.float64)
        hit = codes == enc.code(c)
        value, _ = _raw.cf_roc_auc_score((hit.astype(np.int64), col, w), {"pos_label": 1})
        aucs.append(value)
        prevalence.append(float(hit.sum() if w is None else w[hit].sum()))
    aucs = np.array(aucs)
    if average == "weighted":
        return float(np.average(aucs, weights=prevalence))
    return float(np.mean(aucs))


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """(fpr, tpr, thresholds): one point per distinct score, plus (0, 0) at threshold +inf."""
    enc, codes, s, w = _ranking(y_true, y_score, sample_weight)
    pl = _pos_label_binary(enc, codes, pos_label, "roc_curve")
    curve, flags = _raw.cf_roc_curve((codes, s, w), {"pos_label": pl, "drop_intermediate": bool(drop_intermediate)})
    _warn_ranking(flags)
    return (np.frombuffer(curve["x"], dtype=np.float64).copy(), np.frombuffer(curve["y"], dtype=np.float64).copy(),
            np.frombuffer(curve["thresholds"], dtype=np.float64).copy())


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision: the step sum of (R_k - R_{k-1}) P_k over thresholds (binary)."""
    enc, codes, s, w = _ranking(y_true, y_score, sample_weight)
    present = _binary_present(codes)  # more than two labels fail in C
    pl = enc.code(pos_label)
    if len(present) == 2 and pl not in present.tolist():
        raise ValueError(f"pos_label={pos_label!r} is not a valid label. It should be one of "
                         f"{list(enc.decode(present))}")
    value, flags = _raw.cf_average_precision_score((codes, s, w), {"pos_label": pl})
    if flags & FLAG_UNDEFINED_NO_POSITIVES:
        _warn("No positive class found in y_true, recall is set to one for all thresholds.")
    return value


def precision_recall_curve(y_true, probas_pred, *, pos_label=None, sample_weight=None):
    """(precision, recall, thresholds): thresholds increasing; the last point is (1, 0)."""
    enc, codes, s, w = _ranking(y_true, probas_pred, sample_weight)
    pl = _pos_label_binary(enc, codes, pos_label, "precision_recall_curve")
    curve, flags = _raw.cf_precision_recall_curve((codes, s, w), {"pos_label": pl})
    if flags & FLAG_UNDEFINED_NO_POSITIVES:
        _warn("No positive class found in y_true, recall is set to one for all thresholds.")
    return (np.frombuffer(curve["x"], dtype=np.float64).copy(), np.frombuffer(curve["y"], dtype=np.float64).copy(),
            np.frombuffer(curve["thresholds"], dtype=np.float64).copy())


# ---- probabilistic metrics ----------------------------------------------------------------------------------

def log_loss(y_true, y_pred, *, eps="auto", normalize=True, sample_weight=None, labels=None):
    """Cross-entropy -mean(w * ln p[y]); probabilities clipped to [eps, 1 - eps] (``eps='auto'``: the machine
    epsilon of y_pred's dtype). A 1-D y_pred is the probability of the larger of two labels."""
    yt = _column(y_true, "y_true")
    p_in = np.asarray(y_pred)
    if eps == "auto":
        eps = float(np.finfo(p_in.dtype).eps) if p_in.dtype.kind == "f" else float(np.finfo(np.float64).eps)
    p = _probs(p_in, "y_pred")
    if p.ndim == 2 and p.shape[0] != yt.shape[0] or p.ndim == 1 and p.shape[0] != yt.shape[0]:
        raise ValueError(f"y_true and y_pred have different lengths ({yt.shape[0]} and {p.shape[0]})")
    enc = _Labels(yt) if labels is None else _Labels(yt, np.asarray(labels))
    codes = enc.codes[0]
    opts = {"normalize": bool(normalize), "eps": float(eps)}
    if labels is not None:
        opts["labels"] = enc.codes_for(list(labels))
    value, _flags = _raw.cf_log_loss((codes, p.reshape(-1), _weights(sample_weight, yt.shape[0])), opts)
    return value


def _binary_pos_label(enc, codes, pos_label):
    """brier_score_loss / calibration_curve: pos_label, or 1 for {0, 1} / {-1, 1}, else the larger label
    (numeric labels only)."""
    if pos_label is not None:
        return enc.code(pos_label)
    present = _distinct(codes)
    values = present if enc.classes is None else enc.classes[present]
    if values.dtype.kind in "OUS":
        raise ValueError(f"y_true takes value in {list(values)} and pos_label is not specified: either make "
                         "y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly.")
    vals = set(values.tolist())
    if vals <= {0, 1} or vals <= {-1, 1}:
        return enc.code(1)
    return int(present[-1])


def brier_score_loss(y_true, y_prob, *, sample_weight=None, pos_label=None):
    """Mean squared difference between y_prob and 1[y_true == pos_label] (binary)."""
    yt = _column(y_true, "y_true")
    p = _probs(_column(y_prob, "y_prob"))
    enc = _Labels(yt)
    codes = enc.codes[0]
    pl = _binary_pos_label(enc, codes, pos_label)
    return _raw.cf_brier_score_loss((codes, p, _weights(sample_weight, yt.shape[0])), {"pos_label": pl})


def _calibration(y_true, y_prob, pos_label, n_bins, strategy, sample_weight):
    if strategy not in _STRATEGIES:
        raise ValueError(f"Invalid entry to 'strategy' input. Strategy must be either 'quantile' or 'uniform'. "
                         f"Got {strategy!r} instead.")
    if int(n_bins) < 1:
        raise ValueError("n_bins must be at least 1")
    yt = _column(y_true, "y_true")
    p = _probs(_column(y_prob, "y_prob"))
    enc = _Labels(yt)
    codes = enc.codes[0]
    pl = _pos_label_binary(enc, codes, pos_label, "calibration_curve") if pos_label is None else enc.code(pos_label)
    opts = {"pos_label": pl, "n_bins": int(n_bins), "strategy": _STRATEGIES[strategy]}
    return (codes, p, _weights(sample_weight, yt.shape[0])), opts


def calibration_curve(y_true, y_prob, *, pos_label=None, n_bins=5, strategy="uniform", sample_weight=None):
    """(prob_true, prob_pred) over the non-empty bins (``sample_weight`` is a cogniforge extension)."""
    rows, opts = _calibration(y_true, y_prob, pos_label, n_bins, strategy, sample_weight)
    curve, _flags = _raw.cf_calibration_curve(rows, opts)
    return np.frombuffer(curve["x"], dtype=np.float64).copy(), np.frombuffer(curve["y"], dtype=np.float64).copy()


def expected_calibration_error(y_true, y_prob, *, pos_label=None, n_bins=10, strategy="uniform",
                               sample_weight=None):
    """ECE = sum over bins of (bin weight / total weight) * |prob_true - prob_pred| (calibration_curve's bins)."""
    rows, opts = _calibration(y_true, y_prob, pos_label, n_bins, strategy, sample_weight)
    value, _flags = _raw.cf_expected_calibration_error(rows, opts)
    return value
