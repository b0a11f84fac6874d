#!/bin/sh
# Create (or reuse) the Python virtual environment that runs fairlearn for the live fairness parity test.
#
#   sh tests/fairlearn/setup_venv.sh VENV_DIR
#
# Idempotent: when VENV_DIR already holds the pinned set (stamp file VENV_DIR/.cogniforge-fairlearn-stamp whose
# content equals the pin list below), nothing is installed. Otherwise the venv is (re)created with Debian's
# /usr/bin/python3 (python3-venv, in the Makefile's TEST_DEPS) and the pinned packages are installed from
# PyPI. A fresh install takes about 11 s on the 2-core CI machine (wheels only, nothing is compiled).
#
# Every package of the resolved set is pinned, not only fairlearn, so the values the parity test compares
# against cannot drift with a new pandas/numpy/scikit-learn release. fairlearn 0.15.0 is the first pin: it
# has equalized_odds_* with agg= (0.11+) and equal_opportunity_* (0.11+); the stored vectors in
# fairness_fairlearn.json come from fairlearn 0.9.0.
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 VENV_DIR" >&2
	exit 2
fi
VENV=$1
PY=${FAIRLEARN_BASE_PYTHON:-/usr/bin/python3}

PINS='fairlearn==0.15.0
cloudpickle==3.1.3
joblib==1.6.0
narwhals==2.29.0
numpy==2.4.6
pandas==3.1.1
python-dateutil==4.0.0
scikit-learn==1.9.1
scipy==1.17.1
threadpoolctl==3.8.0
tzdata==2026.6'

STAMP=$VENV/.cogniforge-fairlearn-stamp

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$PINS" ] &&
	"$VENV/bin/python" -c 'import fairlearn.metrics, pandas, sklearn' >/dev/null 2>&1; then
	echo "setup_venv: $VENV already has fairlearn 0.15.0 (pinned set unchanged)"
	exit 0
fi

if [ ! -x "$PY" ]; then
	echo "setup_venv: $PY not found (apt-get install python3 python3-venv)" >&2
	exit 1
fi

start=$(date +%s)
# Only ever delete a previous venv (pyvenv.cfg) or an empty directory, never an arbitrary path.
if [ -e "$VENV" ]; then
	if [ -f "$VENV/pyvenv.cfg" ] || [ -z "$(ls -A "$VENV" 2>/dev/null)" ]; then
		rm -rf "$VENV"
	else
		echo "setup_venv: $VENV exists and is not a venv; refusing to replace it" >&2
		exit 1
	fi
fi
if ! "$PY" -m venv "$VENV"; then
	echo "setup_venv: '$PY -m venv' failed: is python3-venv installed? (make test-deps)" >&2
	exit 1
fi
REQ=$VENV/requirements-fairlearn.txt
printf '%s\n' "$PINS" >"$REQ"
# --no-deps: the list above is the complete resolved set; `pip check` afterwards proves it is consistent.
"$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --quiet --no-deps -r "$REQ"
"$VENV/bin/python" -m pip check --disable-pip-version-check
"$VENV/bin/python" -c 'import fairlearn, pandas, sklearn; print("setup_venv: fairlearn", fairlearn.__version__, "pandas", pandas.__version__, "scikit-learn", sklearn.__version__)'
printf '%s' "$PINS" >"$STAMP"
echo "setup_venv: installed in $(( $(date +%s) - start )) s"
