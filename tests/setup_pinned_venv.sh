#!/bin/sh
# Create (or reuse) a Python virtual environment holding an exactly pinned package set (shared by
# tests/ge/setup_venv.sh and tests/fairlearn/setup_venv.sh).
#
#   sh tests/setup_pinned_venv.sh NAME VENV_DIR PIN_FILE PROBE
#
# NAME     short name: the stamp file is VENV_DIR/.cogniforge-NAME-stamp, the copied pin list
#          VENV_DIR/requirements-NAME.txt
# PIN_FILE the complete resolved package set, one `package==version` a line
# PROBE    Python code that imports the packages the caller needs and prints their versions; it must
#          succeed for an existing venv to be reused, and it reports what a fresh install got
#
# The base interpreter is $PINNED_VENV_PYTHON (default Debian's /usr/bin/python3; python3-venv is in the
# Makefile's TEST_DEPS). Idempotent: when VENV_DIR already holds the pinned set (the stamp's content equals
# the pin list) and PROBE runs, nothing is installed. Otherwise the venv is (re)created and the pins are
# installed with --no-deps: the list is the complete resolved set, so a pip that resolved again could not
# pull newer transitive packages; `pip check` afterwards proves the set is consistent.
set -eu

if [ $# -ne 4 ] || [ -z "$1" ] || [ -z "$2" ] || [ -z "$3" ]; then
	echo "usage: $0 NAME VENV_DIR PIN_FILE PROBE" >&2
	exit 2
fi
NAME=$1
VENV=$2
PIN_FILE=$3
PROBE=$4
PY=${PINNED_VENV_PYTHON:-/usr/bin/python3}
TAG="setup_venv ($NAME)"

if [ ! -f "$PIN_FILE" ]; then
	echo "$TAG: pin list $PIN_FILE not found" >&2
	exit 1
fi
PINS=$(cat "$PIN_FILE")
STAMP=$VENV/.cogniforge-$NAME-stamp

if [ -x "$VENV/bin/python" ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$PINS" ] &&
	"$VENV/bin/python" -c "$PROBE" >/dev/null 2>&1; then
	echo "$TAG: $VENV already has $(head -n 1 "$PIN_FILE") (pinned set unchanged)"
	exit 0
fi

if [ ! -x "$PY" ]; then
	echo "$TAG: $PY not found (apt-get install python3 python3-venv)" >&2
	exit 1
fi

start=$(date +%s)
# Only ever delete a previous venv (pyvenv.cfg) or an empty directory, never an arbitrary path.
if [ -e "$VENV" ]; then
	if [ -f "$VENV/pyvenv.cfg" ] || [ -z "$(ls -A "$VENV" 2>/dev/null)" ]; then
		rm -rf "$VENV"
	else
		echo "$TAG: $VENV exists and is not a venv; refusing to replace it" >&2
		exit 1
	fi
fi
if ! "$PY" -m venv "$VENV"; then
	echo "$TAG: '$PY -m venv' failed: is python3-venv installed? (make test-deps)" >&2
	exit 1
fi
REQ=$VENV/requirements-$NAME.txt
printf '%s\n' "$PINS" >"$REQ"
"$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --quiet --no-deps -r "$REQ"
"$VENV/bin/python" -m pip check --disable-pip-version-check
printf '%s: ' "$TAG"
"$VENV/bin/python" -c "$PROBE"
printf '%s' "$PINS" >"$STAMP"
echo "$TAG: installed in $(( $(date +%s) - start )) s"
