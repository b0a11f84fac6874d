"""cogniforge.metrics: the Python API (names and keywords as scikit-learn, warnings, string labels, dtypes,
zero-copy inputs, errors). Values are checked against hand-computed results; tests/python/test_metrics_sklearn.py
checks parity with scikit-learn itself."""

import math
import warnings

import pytest

np = pytest.importorskip("numpy")

import cogniforge
from cogniforge import metrics as m


def test_exported():
    for name in ("accuracy_score", "balanced_accuracy_score", "precision_score", "recall_score", "f1_score",
                 "fbeta_score", "matthews_corrcoef", "roc_auc_score", "roc_curve", "average_precision_score",
                 "precision_recall_curve", "log_loss", "brier_score_loss", "confusion_matrix",
                 "calibration_curve", "expected_calibration_error", "precision_recall_fscore_support"):
        assert callable(getattr(cogniforge.metrics, name)), name
    assert issubclass(m.UndefinedMetricWarning, UserWarning)


def test_roc_auc_hand_computed():
    y = [0, 0, 1, 1]
    s = [0.1, 0.4, 0.35, 0.8]
    assert m.roc_auc_score(y, s) == pytest.approx(0.75, abs=1e-15)
    assert m.roc_auc_score(np.array(y), np.array(s, dtype=np.float32)) == pytest.approx(0.75)
    assert m.roc_auc_score(y, s, max_fpr=0.5) == pytest.approx(2 / 3)
    assert m.roc_auc_score([0, 1, 0, 1], [0.5] * 4) == 0.5
    fpr, tpr, thr = m.roc_curve(y, s)
    np.testing.assert_allclose(fpr, [0, 0, 0.5, 0.5, 1])
    np.testing.assert_allclose(tpr, [0, 0.5, 0.5, 1, 1])
    assert math.isinf(thr[0]) and list(thr[1:]) == [0.8, 0.4, 0.35, 0.1]


def test_roc_auc_one_class_is_nan_with_warning():
    with pytest.warns(m.UndefinedMetricWarning, match="Only one class"):
        assert math.isnan(m.roc_auc_score([1, 1, 1], [0.1, 0.2, 0.3]))


def test_roc_curve_without_negatives_warns():
    with pytest.warns(m.UndefinedMetricWarning, match="No negative samples"):
        fpr, tpr, _ = m.roc_curve([1, 1], [0.2, 0.3])
    assert np.all(np.isnan(fpr)) and not np.any(np.isnan(tpr))


def test_pos_label_required_for_other_labels():
    with pytest.raises(ValueError, match="pos_label"):
        m.roc_curve([2, 3, 2], [0.1, 0.2, 0.3])
    fpr, tpr, _ = m.roc_curve([2, 3, 2], [0.1, 0.2, 0.3], pos_label=3)
    assert tpr[-1] == 1.0


def test_average_precision_and_curve():
    y = [0, 0, 1, 1]
    s = [0.1, 0.4, 0.35, 0.8]
    assert m.average_precision_score(y, s) == pytest.approx(0.8333333333333333)
    p, r, t = m.precision_recall_curve(y, s)
    np.testing.assert_allclose(p, [0.5, 2 / 3, 0.5, 1, 1])
    np.testing.assert_allclose(r, [1, 1, 0.5, 0.5, 0])
    np.testing.assert_allclose(t, [0.1, 0.35, 0.4, 0.8])
    with pytest.warns(m.UndefinedMetricWarning):
        assert m.average_precision_score([0, 0], [0.1, 0.2]) == 0.0


def test_string_labels():
    yt = np.array(["cat", "dog", "cat", "dog"])
    yp = np.array(["cat", "cat", "cat", "dog"])
    assert m.accuracy_score(yt, yp) == 0.75
    assert m.f1_score(yt, yp, pos_label="dog") == pytest.approx(2 / 3)
    assert m.precision_score(yt, yp, pos_label="cat") == pytest.approx(2 / 3)
    cm = m.confusion_matrix(yt, yp, labels=["dog", "cat", "emu"])
    assert cm.dtype == np.int64
    assert cm.tolist() == [[1, 1, 0], [0, 2, 0], [0, 0, 0]]
    assert m.roc_auc_score(["a", "b", "a", "b"], [0.1, 0.9, 0.2, 0.8]) == 1.0
    assert m.log_loss(["ham", "spam"], [0.2, 0.9]) == pytest.approx(-(math.log(0.8) + math.log(0.9)) / 2)


def test_prf_average_none_and_support():
    p, r, f, s = m.precision_recall_fscore_support([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1])
    np.testing.assert_allclose(f, [0.8, 0, 0])
    assert s.dtype == np.int64 and s.tolist() == [2, 2, 2]
    assert m.f1_score([0, 1, 2, 0, 1, 2], [0, 2, 1, 0, 0, 1], average="macro") == pytest.approx(0.26666666666666666)
    assert m.fbeta_score([0, 1, 1], [0, 1, 0], beta=2) == pytest.approx(5 / 9)


def test_zero_division():
    with pytest.warns(m.UndefinedMetricWarning, match="Precision is ill-defined"):
        assert m.precision_score([1, 0], [0, 0]) == 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert m.precision_score([1, 0], [0, 0], zero_division=1) == 1.0
        assert math.isnan(m.precision_score([1, 0], [0, 0], zero_division=np.nan))
        # NaN labels are left out of the macro average
        assert m.recall_score([0, 0], [0, 1], labels=[0, 1], average="macro", zero_division=np.nan) == 0.5
    with pytest.raises(ValueError):
        m.f1_score([0, 1], [0, 1], zero_division="sometimes")


def test_binary_average_errors():
    with pytest.raises(ValueError):
        m.f1_score([0, 1, 2], [0, 1, 2])
    with pytest.raises(ValueError):
        m.f1_score([0, 2], [0, 2])  # pos_label 1 is not a label
    with pytest.raises(cogniforge.InvalidArgumentError):
        m.f1_score([0, 1, 2], [0, 1, 2])


def test_weights():
    y = [0, 1, 1, 1]
    s = [0.3, 0.2, 0.9, 0.0]
    assert m.roc_auc_score(y, s, sample_weight=[1, 2, 1, 0]) == pytest.approx(1 / 3)
    assert m.accuracy_score([0, 1], [0, 0], sample_weight=[3, 1]) == 0.75
    assert m.accuracy_score([0, 1], [0, 0], sample_weight=[3, 1], normalize=False) == 3.0
    with pytest.raises(ValueError):
        m.accuracy_score([0, 1], [0, 0], sample_weight=[0, 0])
    with pytest.raises(ValueError):
        m.accuracy_score([0, 1], [0, 0], sample_weight=[1, -1])
    with pytest.raises(ValueError):
        m.accuracy_score([0, 1], [0, 0], sample_weight=[1, 1, 1])


def test_errors():
    with pytest.raises(ValueError, match="empty"):
        m.roc_auc_score([], [])
    with pytest.raises(ValueError, match="NaN"):
        m.roc_auc_score([0, 1], [0.1, float("nan")])
    with pytest.raises(ValueError):
        m.roc_auc_score([0, 1], [0.1])
    with pytest.raises(ValueError):
        m.log_loss([1, 1], [0.5, 0.5])  # one label without labels=
    with pytest.raises(ValueError):
        m.brier_score_loss([0, 1], [0.5, 1.5])


def test_log_loss_extremes():
    assert 0 < m.log_loss([0, 1], [0.0, 1.0]) < 1e-15
    assert m.log_loss([0, 1], [1.0, 0.0]) == pytest.approx(-math.log(np.finfo(np.float64).eps))
    # float32 input: float32 epsilon, as scikit-learn's eps="auto"
    assert m.log_loss([0, 1], np.array([1.0, 0.0], dtype=np.float32)) == pytest.approx(
        -math.log(np.finfo(np.float32).eps), rel=1e-6)
    assert m.log_loss([0, 1, 2], [[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.1, 0.8]]) == pytest.approx(
        -(math.log(0.8) + math.log(0.7) + math.log(0.8)) / 3)


def test_calibration():
    y = [0, 0, 0, 0, 1, 1, 1, 1, 1]
    p = [0.1, 0.2, 0.3, 0.4, 0.65, 0.7, 0.8, 0.9, 1.0]
    pt, pp = m.calibration_curve(y, p, n_bins=3)
    np.testing.assert_allclose(pt, [0, 0.5, 1])
    np.testing.assert_allclose(pp, [0.2, 0.525, 0.85])
    assert m.expected_calibration_error(y, p, n_bins=3) == pytest.approx(1.25 / 9)
    pt, pp = m.calibration_curve(y, p, n_bins=3, sample_weight=[1] * 8 + [0])
    np.testing.assert_allclose(pp[-1], (0.7 + 0.8 + 0.9) / 3)
    with pytest.raises(ValueError):
        m.calibration_curve(y, p, strategy="median")


def test_multiclass_roc_auc_ovr():
    y = [0, 1, 2, 2]
    s = np.array([[0.8, 0.1, 0.1], [0.2, 0.7, 0.1], [0.1, 0.2, 0.7], [0.3, 0.3, 0.4]])
    assert m.roc_auc_score(y, s, multi_class="ovr") == 1.0
    with pytest.raises(ValueError):
        m.roc_auc_score(y, s)


def test_inputs_are_not_copied_when_they_fit():
    y = np.array([0, 1, 0, 1], dtype=np.int64)
    s = np.array([0.1, 0.9, 0.2, 0.8], dtype=np.float32)
    enc = m._Labels(y)
    assert enc.codes[0] is y
    assert m._scores(s) is s
    assert m.roc_auc_score(y[::-1].copy(), s) == 0.0  # non-trivial inputs still work
    assert m.roc_auc_score(y.astype(bool), s) == 1.0
    assert m.roc_auc_score(list(y), list(s)) == 1.0


def test_balanced_accuracy_and_mcc():
    assert m.balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1]) == pytest.approx(0.625)
    assert m.balanced_accuracy_score([0, 1, 0, 0, 1, 0], [0, 1, 0, 0, 0, 1], adjusted=True) == pytest.approx(0.25)
    assert m.matthews_corrcoef([1, 1, 1, -1], [1, -1, 1, 1]) == pytest.approx(-1 / 3)
    assert m.matthews_corrcoef([1, 1], [1, 1]) == 0.0
