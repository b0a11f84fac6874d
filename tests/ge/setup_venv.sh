#!/bin/sh
# Create (or reuse) the Python virtual environment that runs Great Expectations for the GX parity test.
#
#   sh tests/ge/setup_venv.sh VENV_DIR
#
# Idempotent: when VENV_DIR already holds the pinned set (stamp file VENV_DIR/.cogniforge-ge-stamp whose
# content equals tests/ge/requirements.txt), nothing is installed. Otherwise the venv is (re)created with
# Debian's /usr/bin/python3 (or $GE_BASE_PYTHON) and the pinned packages are installed from PyPI by
# tests/setup_pinned_venv.sh. A fresh install takes about 16 s on the 2-core CI machine (wheels only,
# nothing is compiled).
#
# Every package of the resolved set is pinned (tests/ge/requirements.txt), not only great_expectations, so
# the GX verdicts the parity test compares against cannot drift with a new pandas/numpy release. pandas is
# deliberately held at 2.3.x: pandas 3 changes how string columns are typed (dtype "str" instead of
# "object"), which changes GX's answers to expect_column_values_to_be_of_type / _in_type_list (see
# tests/ge/README.md).
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 VENV_DIR" >&2
	exit 2
fi
here=$(dirname "$0")
PINNED_VENV_PYTHON=${GE_BASE_PYTHON:-/usr/bin/python3} exec sh "$here/../setup_pinned_venv.sh" ge "$1" \
	"$here/requirements.txt" \
	'import great_expectations as gx, pandas as pd; print("great_expectations", gx.__version__, "pandas", pd.__version__)'
