#!/bin/sh
# Create (or reuse) the Python virtual environment that runs fairlearn for the live fairness parity test.
#
#   sh tests/fairlearn/setup_venv.sh VENV_DIR
#
# Idempotent: when VENV_DIR already holds the pinned set (stamp file VENV_DIR/.cogniforge-fairlearn-stamp
# whose content equals tests/fairlearn/requirements.txt), nothing is installed. Otherwise the venv is
# (re)created with Debian's /usr/bin/python3 (or $FAIRLEARN_BASE_PYTHON) and the pinned packages are
# installed from PyPI by tests/setup_pinned_venv.sh. A fresh install takes about 11 s on the 2-core CI
# machine (wheels only, nothing is compiled).
#
# Every package of the resolved set is pinned (tests/fairlearn/requirements.txt), not only fairlearn, so
# the values the parity test compares against cannot drift with a new pandas/numpy/scikit-learn release.
# fairlearn 0.15.0 is the first pin: it has equalized_odds_* with agg= (0.11+) and equal_opportunity_*
# (0.11+); the stored vectors in fairness_fairlearn.json come from fairlearn 0.9.0.
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 VENV_DIR" >&2
	exit 2
fi
here=$(dirname "$0")
PINNED_VENV_PYTHON=${FAIRLEARN_BASE_PYTHON:-/usr/bin/python3} exec sh "$here/../setup_pinned_venv.sh" fairlearn "$1" \
	"$here/requirements.txt" \
	'import fairlearn, fairlearn.metrics, pandas, sklearn; print("fairlearn", fairlearn.__version__, "pandas", pandas.__version__, "scikit-learn", sklearn.__version__)'
