#!/bin/sh
# Create (or reuse) the Python virtual environment that runs Great Expectations for the GX parity test.
#
#   sh tests/ge/setup_venv.sh VENV_DIR
#
# Idempotent: when VENV_DIR already holds the pinned set (stamp file VENV_DIR/.cogniforge-ge-stamp whose
# content equals the pin list below), nothing is installed. Otherwise the venv is (re)created with Debian's
# /usr/bin/python3 (python3-venv, in the Makefile's TEST_DEPS) and the pinned packages are installed from
# PyPI. A fresh install takes about 16 s on the 2-core CI machine (wheels only, nothing is compiled).
#
# Every package of the resolved set is pinned, not only great_expectations, so the GX verdicts the parity
# test compares against cannot drift with a new pandas/numpy release. pandas is deliberately held at 2.3.x:
# pandas 3 changes how string columns are typed (dtype "str" instead of "object"), which changes GX's
# answers to expect_column_values_to_be_of_type / _in_type_list (see tests/ge/README.md).
set -eu

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 VENV_DIR" >&2
	exit 2
fi
VENV=$1
PY=${GE_BASE_PYTHON:-/usr/bin/python3}

PINS='great_expectations==1.24.1
pandas==2.3.3
numpy==2.4.6
scipy==1.17.1
altair==6.3.0
annotated-types==0.8.0
attrs==26.1.0
certifi==2026.10.19.post1
cffi==2.1.1
charset-normalizer==3.5.3
cryptography==50.0.2
idna==3.20
Jinja2==3.1.6
jsonschema==4.26.0
jsonschema-specifications==2025.9.1
MarkupSafe==3.0.4
marshmallow==4.4.0
mistune==3.4.0
narwhals==2.29.0
packaging==26.4
pycparser==3.12
pydantic==2.14.4
pydantic_core==2.50.5
pyparsing==3.3.3
python-dateutil==4.0.0
pytz==2026.6
referencing==0.37.0
requests==2.34.2
rpds-py==2026.9.1
ruamel.yaml==0.19.1
tqdm==4.70.1
typing-inspection==0.4.5
typing_extensions==4.16.0
tzdata==2026.6
tzlocal==5.4.5
urllib3==2.8.0'

STAMP=$VENV/.cogniforge-ge-stamp

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$PINS" ] &&
	"$VENV/bin/python" -c 'import great_expectations, pandas' >/dev/null 2>&1; then
	echo "setup_venv: $VENV already has great_expectations 1.24.1 (pinned set unchanged)"
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
REQ=$VENV/requirements-ge.txt
printf '%s\n' "$PINS" >"$REQ"
# --no-deps: the list above is the complete resolved set; a pip that resolved again could pull newer
# transitive packages. `pip check` afterwards proves the set is consistent.
"$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --quiet --no-deps -r "$REQ"
"$VENV/bin/python" -m pip check --disable-pip-version-check
"$VENV/bin/python" -c 'import great_expectations as gx, pandas as pd; print("setup_venv: great_expectations", gx.__version__, "pandas", pd.__version__)'
printf '%s' "$PINS" >"$STAMP"
echo "setup_venv: installed in $(( $(date +%s) - start )) s"
