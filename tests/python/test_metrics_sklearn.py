"""Parity of cogniforge.metrics with scikit-learn: one test per case of tests/sklearn/check_sklearn_parity.py
(random and adversarial inputs; relative difference <= 1e-12, NaN where scikit-learn gives NaN). scikit-learn
(python3-sklearn) is a test dependency; the tests skip without it."""

import importlib.util
import os

import pytest

pytest.importorskip("numpy")
pytest.importorskip("sklearn")

_path = os.path.join(os.path.dirname(__file__), "..", "sklearn", "check_sklearn_parity.py")
_spec = importlib.util.spec_from_file_location("check_sklearn_parity", _path)
parity = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(parity)

CASES = parity.cases()


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_parity(case):
    parity.run_case(case)


def test_case_count():
    assert len(CASES) > 1000
