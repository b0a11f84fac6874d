#!/usr/bin/python3
"""Parity of cogniforge.metrics with scikit-learn (Debian's python3-sklearn).

Generates random and adversarial inputs (many ties, constant scores, one class only, weights with zeros,
extreme probabilities, multiclass with 3-5 labels, string labels) and compares every metric number for number:
relative difference <= 1e-12 (absolute 1e-14 near 0), NaN where scikit-learn gives NaN. Where scikit-learn
raises for an undefined value (ROC AUC with one class), cogniforge must return NaN (docs/metrics.md).

Run directly:  PYTHONPATH=<build>/bindings/python /usr/bin/python3 tests/sklearn/check_sklearn_parity.py
or through pytest (tests/python/test_metrics_sklearn.py), which runs one test per case.
"""

import sys
import warnings

import numpy as np
import sklearn.metrics as skm
from sklearn.calibration import calibration_curve as sk_calibration_curve

from cogniforge import metrics as cfm

REL = 1e-12
ABS = 1e-14


def close(a, b):
    """Element-wise parity of scalars, arrays and tuples (NaN == NaN)."""
    if isinstance(b, tuple):
        return len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
    if b is None:
        return a is None
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        return False
    nan = np.isnan(b)
    if not np.array_equal(np.isnan(a), nan):
        return False
    a, b = a[~nan], b[~nan]
    same_inf = (a == b)
    diff = np.abs(a - b)
    with np.errstate(invalid="ignore"):
        ok = same_inf | (diff <= np.maximum(REL * np.abs(b), ABS))
    return bool(np.all(ok))


def quiet(f, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return f(*args, **kwargs)


def sk_or_nan(f, *args, **kwargs):
    """scikit-learn's value, or NaN where it raises ValueError for an undefined metric."""
    try:
        return quiet(f, *args, **kwargs)
    except ValueError:
        return float("nan")


# ---- input generators ---------------------------------------------------------------------------------------

def binary_inputs(rng):
    """(name, y_true, y_score, sample_weight) for the ranking metrics."""
    out = []
    for n in (1, 2, 7, 100, 2000):
        y = rng.integers(0, 2, n)
        out.append((f"random n={n}", y, rng.random(n), None))
        out.append((f"ties n={n}", y, np.round(rng.random(n), 1), None))
        out.append((f"int-weights n={n}", y, np.round(rng.random(n), 2), rng.integers(0, 4, n).astype(float) + (n == 1)))
    n = 500
    y = rng.integers(0, 2, n)
    out += [
        ("constant scores", y, np.full(n, 0.3), None),
        ("all positive", np.ones(n, dtype=int), rng.random(n), None),
        ("all negative", np.zeros(n, dtype=int), rng.random(n), None),
        ("perfect", y, y + rng.random(n) * 0.1, None),
        ("inverted", y, -y + rng.random(n) * 0.1, None),
        ("float32 4 decimals", y, np.round(rng.random(n), 4).astype(np.float32), None),
        ("float32 ties", y, np.round(rng.random(n), 1).astype(np.float32), None),
        ("float weights", y, np.round(rng.random(n), 2), rng.random(n)),
        ("zero weights", y, rng.random(n), np.where(rng.random(n) < 0.3, 0.0, 1.0)),
        ("zero weights kill positives", y, rng.random(n), np.where(y == 1, 0.0, 1.0) + (np.arange(n) == 0) * 0),
        ("labels -1/1", 2 * y - 1, rng.random(n), None),
        ("negative scores and zeros", y, np.round(rng.normal(size=n), 1) * (rng.random(n) < 0.8), None),
        ("signed zeros", y, np.where(rng.random(n) < 0.5, -0.0, 0.0) + (rng.random(n) < 0.2), None),
        ("huge range", y, rng.normal(size=n) * 1e300, None),
        ("many distinct (sort path)", rng.integers(0, 2, 200000), rng.random(200000), None),
        ("many distinct weighted (sort path)", rng.integers(0, 2, 100000), rng.random(100000),
         rng.integers(0, 3, 100000).astype(float)),
    ]
    return out


def label_inputs(rng):
    """(name, y_true, y_pred, sample_weight) for the label metrics."""
    out = []
    for k in (2, 3, 5):
        for n in (1, 10, 300):
            yt = rng.integers(0, k, n)
            yp = np.where(rng.random(n) < 0.6, yt, rng.integers(0, k, n))
            out.append((f"k={k} n={n}", yt, yp, None))
            out.append((f"k={k} n={n} weights", yt, yp, rng.random(n) * (rng.random(n) < 0.8) + (np.arange(n) == 0)))
    n = 200
    yt = rng.integers(0, 4, n)
    out += [
        ("pred misses a class", yt, np.minimum(yt, 2), None),
        ("true misses a class", np.minimum(yt, 2), yt, None),
        ("all one class", np.zeros(n, dtype=int), np.zeros(n, dtype=int), None),
        ("constant prediction", yt, np.full(n, 1), None),
        ("string labels", np.array(["cat", "dog", "emu"])[yt % 3], np.array(["cat", "dog", "emu"])[(yt + 1) % 3], None),
        ("sparse large labels", yt * 1000003 - 7, np.where(rng.random(n) < 0.5, yt, 3 - yt) * 1000003 - 7, None),
    ]
    return out


def binary_label_inputs(rng):
    out = []
    for n in (1, 5, 300):
        yt = rng.integers(0, 2, n)
        yp = np.where(rng.random(n) < 0.7, yt, 1 - yt)
        out.append((f"n={n}", yt, yp, None))
        out.append((f"n={n} weights", yt, yp, rng.random(n) + 0.01))
    n = 100
    yt = rng.integers(0, 2, n)
    out += [
        ("no predicted positives", yt, np.zeros(n, dtype=int), None),
        ("no true positives", np.zeros(n, dtype=int), rng.integers(0, 2, n), None),
        ("neither", np.zeros(n, dtype=int), np.zeros(n, dtype=int), None),
        ("only positives", np.ones(n, dtype=int), np.ones(n, dtype=int), None),
    ]
    return out


# ---- cases --------------------------------------------------------------------------------------------------

def cases():
    """(name, cogniforge thunk, scikit-learn thunk, kind) where kind is 'value' or 'sk_raises_nan'."""
    rng = np.random.default_rng(20240607)
    out = []

    def add(name, ours, theirs, compare=close):
        out.append((name, ours, theirs, compare))

    for name, y, s, w in binary_inputs(rng):
        n_labels = len(np.unique(y))
        add(f"roc_auc_score[{name}]", lambda y=y, s=s, w=w: quiet(cfm.roc_auc_score, y, s, sample_weight=w),
            lambda y=y, s=s, w=w: sk_or_nan(skm.roc_auc_score, y, s, sample_weight=w))
        for m in (0.1, 0.5):
            if n_labels == 2:
                add(f"roc_auc_score max_fpr={m}[{name}]",
                    lambda y=y, s=s, w=w, m=m: quiet(cfm.roc_auc_score, y, s, sample_weight=w, max_fpr=m),
                    lambda y=y, s=s, w=w, m=m: sk_or_nan(skm.roc_auc_score, y, s, sample_weight=w, max_fpr=m))
        exact_w = w is None or np.all(w == np.round(w))
        for drop in ((True, False) if exact_w else (False,)):
            add(f"roc_curve drop={drop}[{name}]",
                lambda y=y, s=s, w=w, d=drop: _roc_ours(y, s, w, d),
                lambda y=y, s=s, w=w, d=drop: _roc_theirs(y, s, w, d))
        add(f"average_precision_score[{name}]",
            lambda y=y, s=s, w=w: quiet(cfm.average_precision_score, y, s, sample_weight=w, pos_label=int(y.max())),
            lambda y=y, s=s, w=w: quiet(skm.average_precision_score, y, s, sample_weight=w, pos_label=int(y.max())))
        add(f"precision_recall_curve[{name}]",
            lambda y=y, s=s, w=w: quiet(cfm.precision_recall_curve, y, s, sample_weight=w, pos_label=int(y.max())),
            lambda y=y, s=s, w=w: tuple(quiet(skm.precision_recall_curve, y, s, sample_weight=w,
                                              pos_label=int(y.max()))))
    # string labels in the ranking metrics
    ys = np.array(["no", "yes"])[rng.integers(0, 2, 300)]
    sc = np.round(rng.random(300), 2)
    add("roc_auc_score[string labels]", lambda: cfm.roc_auc_score(ys, sc), lambda: skm.roc_auc_score(ys, sc))
    add("roc_curve[string labels]", lambda: _roc_ours(ys, sc, None, True, "yes"),
        lambda: _roc_theirs(ys, sc, None, True, "yes"))
    add("average_precision_score[string labels]", lambda: cfm.average_precision_score(ys, sc, pos_label="yes"),
        lambda: skm.average_precision_score(ys, sc, pos_label="yes"))
    # multiclass one-vs-rest ROC AUC
    for k in (3, 5):
        yt = rng.integers(0, k, 400)
        raw = np.round(rng.random((400, k)), 1) + 0.01
        prob = raw / raw.sum(axis=1, keepdims=True)
        for avg in ("macro", "weighted"):
            add(f"roc_auc_score ovr {avg} k={k}",
                lambda yt=yt, p=prob, a=avg: cfm.roc_auc_score(yt, p, multi_class="ovr", average=a),
                lambda yt=yt, p=prob, a=avg: skm.roc_auc_score(yt, p, multi_class="ovr", average=a))

    for name, yt, yp, w in label_inputs(rng):
        add(f"accuracy_score[{name}]", lambda a=yt, b=yp, w=w: cfm.accuracy_score(a, b, sample_weight=w),
            lambda a=yt, b=yp, w=w: skm.accuracy_score(a, b, sample_weight=w))
        add(f"accuracy_score count[{name}]",
            lambda a=yt, b=yp, w=w: cfm.accuracy_score(a, b, sample_weight=w, normalize=False),
            lambda a=yt, b=yp, w=w: skm.accuracy_score(a, b, sample_weight=w, normalize=False))
        for norm in (None, "true", "pred", "all"):
            add(f"confusion_matrix normalize={norm}[{name}]",
                lambda a=yt, b=yp, w=w, z=norm: cfm.confusion_matrix(a, b, sample_weight=w, normalize=z),
                lambda a=yt, b=yp, w=w, z=norm: quiet(skm.confusion_matrix, a, b, sample_weight=w, normalize=z))
        for adj in (False, True):
            add(f"balanced_accuracy_score adjusted={adj}[{name}]",
                lambda a=yt, b=yp, w=w, j=adj: quiet(cfm.balanced_accuracy_score, a, b, sample_weight=w, adjusted=j),
                lambda a=yt, b=yp, w=w, j=adj: quiet(skm.balanced_accuracy_score, a, b, sample_weight=w, adjusted=j))
        add(f"matthews_corrcoef[{name}]", lambda a=yt, b=yp, w=w: cfm.matthews_corrcoef(a, b, sample_weight=w),
            lambda a=yt, b=yp, w=w: quiet(skm.matthews_corrcoef, a, b, sample_weight=w))
        for avg in ("micro", "macro", "weighted", None):
            for zd in ("warn", 0, 1):
                for beta in (1.0, 0.5, 2.0):
                    add(f"precision_recall_fscore_support average={avg} zd={zd} beta={beta}[{name}]",
                        lambda a=yt, b=yp, w=w, v=avg, z=zd, be=beta: quiet(
                            cfm.precision_recall_fscore_support, a, b, beta=be, average=v, sample_weight=w,
                            zero_division=z),
                        lambda a=yt, b=yp, w=w, v=avg, z=zd, be=beta: tuple(quiet(
                            skm.precision_recall_fscore_support, a, b, beta=be, average=v, sample_weight=w,
                            zero_division=z)))
        # labels= with a label absent from the data, and a subset
        present = list(np.unique(np.concatenate([yt, yp])))
        extra = "zzz" if isinstance(present[0], str) else 99
        for labels in (present + [extra], present[:2], [present[-1], present[0]]):
            labels = list(dict.fromkeys(labels))  # no duplicates (cogniforge rejects them)
            for avg in ("macro", "micro", "weighted", None):
                add(f"prfs labels={labels} average={avg}[{name}]",
                    lambda a=yt, b=yp, w=w, v=avg, L=labels: quiet(
                        cfm.precision_recall_fscore_support, a, b, labels=L, average=v, sample_weight=w),
                    lambda a=yt, b=yp, w=w, v=avg, L=labels: tuple(quiet(
                        skm.precision_recall_fscore_support, a, b, labels=L, average=v, sample_weight=w)))
            add(f"confusion_matrix labels={labels}[{name}]",
                lambda a=yt, b=yp, w=w, L=labels: cfm.confusion_matrix(a, b, labels=L, sample_weight=w),
                lambda a=yt, b=yp, w=w, L=labels: skm.confusion_matrix(a, b, labels=L, sample_weight=w))

    for name, yt, yp, w in binary_label_inputs(rng):
        for zd in ("warn", 0, 1):
            for f in ("precision_score", "recall_score", "f1_score"):
                add(f"{f} zd={zd}[{name}]",
                    lambda a=yt, b=yp, w=w, z=zd, f=f: quiet(getattr(cfm, f), a, b, sample_weight=w, zero_division=z),
                    lambda a=yt, b=yp, w=w, z=zd, f=f: quiet(getattr(skm, f), a, b, sample_weight=w, zero_division=z))
            add(f"fbeta_score beta=2 zd={zd}[{name}]",
                lambda a=yt, b=yp, w=w, z=zd: quiet(cfm.fbeta_score, a, b, beta=2, sample_weight=w, zero_division=z),
                lambda a=yt, b=yp, w=w, z=zd: quiet(skm.fbeta_score, a, b, beta=2, sample_weight=w, zero_division=z))
        add(f"f1_score pos_label=0[{name}]", lambda a=yt, b=yp, w=w: quiet(cfm.f1_score, a, b, pos_label=0, sample_weight=w),
            lambda a=yt, b=yp, w=w: quiet(skm.f1_score, a, b, pos_label=0, sample_weight=w))

    # probabilistic metrics
    for n in (1, 3, 500):
        y = rng.integers(0, 2, n)
        if len(np.unique(y)) < 2:
            y[0], y[-1] = 0, 1
            if n == 1:
                continue
        for pname, p in (("random", rng.random(n)), ("extreme 0/1", rng.integers(0, 2, n).astype(float)),
                         ("near eps", np.where(rng.random(n) < 0.5, 1e-17, 1 - 1e-17)),
                         ("edges", np.round(rng.random(n) * 5) / 5)):
            w = rng.random(n) * (rng.random(n) < 0.9) + (np.arange(n) == 0)
            add(f"log_loss[{pname} n={n}]", lambda y=y, p=p: cfm.log_loss(y, p), lambda y=y, p=p: skm.log_loss(y, p))
            add(f"log_loss weights sum[{pname} n={n}]",
                lambda y=y, p=p, w=w: cfm.log_loss(y, p, sample_weight=w, normalize=False),
                lambda y=y, p=p, w=w: skm.log_loss(y, p, sample_weight=w, normalize=False))
            add(f"brier_score_loss[{pname} n={n}]", lambda y=y, p=p, w=w: cfm.brier_score_loss(y, p, sample_weight=w),
                lambda y=y, p=p, w=w: skm.brier_score_loss(y, p, sample_weight=w))
            for strategy in ("uniform", "quantile"):
                for nb in (1, 5, 10):
                    add(f"calibration_curve {strategy} n_bins={nb}[{pname} n={n}]",
                        lambda y=y, p=p, s=strategy, b=nb: cfm.calibration_curve(y, p, n_bins=b, strategy=s),
                        lambda y=y, p=p, s=strategy, b=nb: tuple(sk_calibration_curve(y, p, n_bins=b, strategy=s)))
                    add(f"expected_calibration_error {strategy} n_bins={nb}[{pname} n={n}]",
                        lambda y=y, p=p, s=strategy, b=nb: cfm.expected_calibration_error(y, p, n_bins=b, strategy=s),
                        lambda y=y, p=p, s=strategy, b=nb: _ece_reference(y, p, b, s))
    for k in (3, 4, 5):
        n = 300
        y = rng.integers(0, k, n)
        raw = rng.random((n, k)) ** 3
        raw[rng.random((n, k)) < 0.1] = 0.0
        raw[:, 0] += 1e-3
        prob = raw / raw.sum(axis=1, keepdims=True)
        add(f"log_loss multiclass k={k}", lambda y=y, p=prob: cfm.log_loss(y, p), lambda y=y, p=prob: skm.log_loss(y, p))
        labels = list(range(k + 1))
        prob2 = np.hstack([prob, np.zeros((n, 1))])
        add(f"log_loss labels with an absent class k={k}", lambda y=y, p=prob2, L=labels: cfm.log_loss(y, p, labels=L),
            lambda y=y, p=prob2, L=labels: skm.log_loss(y, p, labels=L))
    yh = np.array(["ham", "spam"])[rng.integers(0, 2, 200)]
    ps = rng.random(200)
    add("log_loss[string labels]", lambda: cfm.log_loss(yh, ps), lambda: skm.log_loss(yh, ps))
    add("brier_score_loss[string labels]", lambda: cfm.brier_score_loss(yh, ps, pos_label="spam"),
        lambda: skm.brier_score_loss(yh, ps, pos_label="spam"))
    add("log_loss[one class, labels given]", lambda: cfm.log_loss([1, 1, 1], [0.9, 0.8, 1.0], labels=[0, 1]),
        lambda: skm.log_loss([1, 1, 1], [0.9, 0.8, 1.0], labels=[0, 1]))
    return out


def _roc_ours(y, s, w, drop, pos_label=None):
    fpr, tpr, thr = quiet(cfm.roc_curve, y, s, sample_weight=w, drop_intermediate=drop,
                          pos_label=pos_label if pos_label is not None else (1 if set(np.unique(y)) <= {0, 1, -1} else None))
    assert np.isinf(thr[0]) and thr[0] > 0, "the first threshold must be +inf"
    return fpr, tpr, thr[1:]


def _roc_theirs(y, s, w, drop, pos_label=None):
    fpr, tpr, thr = quiet(skm.roc_curve, y, s, sample_weight=w, drop_intermediate=drop,
                          pos_label=pos_label if pos_label is not None else (1 if set(np.unique(y)) <= {0, 1, -1} else None))
    return fpr, tpr, thr[1:]  # scikit-learn < 1.3: thresholds[0] = max + 1; 1.3+: inf (as cogniforge)


def _ece_reference(y, p, n_bins, strategy):
    """ECE from scikit-learn's calibration_curve bins, recomputed with numpy."""
    if strategy == "quantile":
        bins = np.percentile(p, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        bins = np.linspace(0.0, 1.0, n_bins + 1)
    ids = np.searchsorted(bins[1:-1], p)
    total = np.bincount(ids, minlength=len(bins))
    sums = np.bincount(ids, weights=p, minlength=len(bins))
    trues = np.bincount(ids, weights=(y == y.max()).astype(float), minlength=len(bins))
    nz = total != 0
    prob_true, prob_pred = sk_calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    return float(np.sum(total[nz] / len(p) * np.abs(prob_true - prob_pred)))


def run_case(case):
    name, ours, theirs, compare = case
    a, b = ours(), theirs()
    if not compare(a, b):
        raise AssertionError(f"{name}: cogniforge {a!r} != scikit-learn {b!r}")


def main():
    failed = 0
    all_cases = cases()
    for case in all_cases:
        try:
            run_case(case)
        except Exception as e:  # report every case
            failed += 1
            print(f"FAIL {e}"[:2000])
    print(f"sklearn parity: {len(all_cases) - failed}/{len(all_cases)} cases agree")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
