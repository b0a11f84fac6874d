#!/bin/sh
# Runs every test runner the project has against BUILD_DIR and prints each runner's summary, then a total.
# Exit status: non-zero if any runner failed (or a runner that must run could not).
# Usage: tests/run_all.sh BUILD_DIR
set -u
build=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
logs=$build/test-logs
mkdir -p "$logs"
status=0
total_pass=0 total_fail=0 total_skip=0
summary=

add() { # runner pass fail skip
	total_pass=$((total_pass + $2)); total_fail=$((total_fail + $3)); total_skip=$((total_skip + $4))
	summary="$summary$(printf '  %-8s %4d passed, %d failed, %d skipped' "$1" "$2" "$3" "$4")
"
}

echo "== C suites, build tests, CLI and install tests (meson test) =="
meson test -C "$build" --print-errorlogs --no-suite go >"$logs/meson.log" 2>&1
rc=$?
grep -E '^ *[0-9]+/[0-9]+ ' "$logs/meson.log"
sed -n '/^Ok:/,/^Timeout:/p' "$logs/meson.log"
[ $rc -eq 0 ] || { status=1; sed -n '/――――/,$p' "$logs/meson.log" | head -n 80; }
# Count cases, not executables: a TAP suite (the Check suites) counts its subtests.
counts=$(grep -E '^ *[0-9]+/[0-9]+ ' "$logs/meson.log" | awk '
	/ OK / { n = 1; if (match($0, /[0-9]+ subtests passed/)) n = substr($0, RSTART, RLENGTH) + 0; ok += n }
	/ (FAIL|TIMEOUT|ERROR|UNEXPECTEDPASS) / { fail += 1 }
	/ SKIP / { skip += 1 }
	END { printf "%d %d %d", ok, fail, skip }')
set -- $counts
[ $rc -eq 0 ] || [ "$2" -gt 0 ] || set -- "$1" 1 "$3"
add "C" "$1" "$2" "$3"

echo
echo "== Python binding (pytest, Debian python3) =="
if [ -d "$build/bindings/python/cogniforge" ]; then
	(cd "$root" && PYTHONPATH="$build/bindings/python" /usr/bin/python3 -m pytest tests/python -q -p no:cacheprovider) \
		>"$logs/pytest.log" 2>&1
	rc=$?
	tail -n 15 "$logs/pytest.log"
	line=$(grep -E '(passed|failed|error)' "$logs/pytest.log" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.* \([0-9][0-9]*\) passed.*/\1/p; s/^\([0-9][0-9]*\) passed.*/\1/p' | head -n1)
	f=$(echo "$line" | grep -oE '[0-9]+ (failed|error)' | awk '{s+=$1} END {print s+0}')
	s=$(echo "$line" | grep -oE '[0-9]+ skipped' | awk '{print $1}')
	[ $rc -eq 0 ] || { status=1; [ "${f:-0}" -gt 0 ] || f=1; }
	add "Python" "${p:-0}" "${f:-0}" "${s:-0}"
else
	echo "FAIL: the Python binding was not built (need swig and python3-dev)"
	status=1
	add "Python" 0 1 0
fi

echo
echo "== Go binding (go test) =="
if command -v go >/dev/null 2>&1; then
	(cd "$root/bindings/go" && PKG_CONFIG_PATH="$build/meson-uninstalled" LD_LIBRARY_PATH="$build/src" \
		GOFLAGS=-mod=mod GOPROXY=off GOCACHE="$build/go-cache" GOPATH="$build/go-path" go test -v -count=1 ./...) >"$logs/go.log" 2>&1
	rc=$?
	grep -E '^(--- |ok |FAIL|PASS)' "$logs/go.log"
	p=$(grep -c '^--- PASS' "$logs/go.log")
	f=$(grep -c '^--- FAIL' "$logs/go.log")
	s=$(grep -c '^--- SKIP' "$logs/go.log")
	[ $rc -eq 0 ] || { status=1; tail -n 30 "$logs/go.log"; [ "$f" -gt 0 ] || f=1; }
	add "Go" "$p" "$f" "$s"
else
	echo "FAIL: go is not installed"
	status=1
	add "Go" 0 1 0
fi

echo
echo "== Great Expectations parity (GX from PyPI in $build/ge-venv) =="
if sh "$root/tests/ge/setup_venv.sh" "$build/ge-venv" >"$logs/ge-venv.log" 2>&1; then
	/usr/bin/python3 "$root/tests/ge/check_ge_parity.py" --cogniforge "$build/tools/cogniforge" --venv "$build/ge-venv" \
		>"$logs/ge.log" 2>&1
	rc=$?
	cat "$logs/ge.log" | grep -E '^(\[|FAIL|ge parity)' | head -n 40
	# One test per case (data file + suite, or a profiled suite loaded back into GX).
	p=$(grep -cE '^\[[^]]*\] .* 0 mismatches' "$logs/ge.log")
	f=$(grep -cE '^FAIL' "$logs/ge.log")
	[ $rc -eq 0 ] || { status=1; tail -n 30 "$logs/ge.log"; [ "$f" -gt 0 ] || f=1; }
	add "GX" "$p" "$f" 0
else
	echo "FAIL: could not create the Great Expectations virtualenv (PyPI unreachable?); see $logs/ge-venv.log"
	tail -n 20 "$logs/ge-venv.log"
	status=1
	add "GX" 0 1 0
fi

echo
echo "== fairlearn parity (fairlearn from PyPI in $build/fairlearn-venv) =="
if sh "$root/tests/fairlearn/setup_venv.sh" "$build/fairlearn-venv" >"$logs/fairlearn-venv.log" 2>&1; then
	PYTHONPATH="$build/bindings/python" /usr/bin/python3 "$root/tests/fairlearn/check_fairlearn_parity.py" \
		--venv "$build/fairlearn-venv" >"$logs/fairlearn.log" 2>&1
	rc=$?
	grep -E '^(FAIL|fairlearn)' "$logs/fairlearn.log" | head -n 40
	# One test per random case (by_group, overall, disparities of one input compared with fairlearn).
	p=$(grep -cE '^\[[^]]*\] .* 0 mismatches' "$logs/fairlearn.log")
	f=$(grep -cE '^FAIL' "$logs/fairlearn.log")
	[ $rc -eq 0 ] || { status=1; tail -n 30 "$logs/fairlearn.log"; [ "$f" -gt 0 ] || f=1; }
	add "fairlearn" "$p" "$f" 0
else
	echo "FAIL: could not create the fairlearn virtualenv (PyPI unreachable?); see $logs/fairlearn-venv.log"
	tail -n 20 "$logs/fairlearn-venv.log"
	status=1
	add "fairlearn" 0 1 0
fi

echo
echo "== Summary (logs in $logs) =="
printf '%s' "$summary"
echo "make test: $total_pass passed, $total_fail failed, $total_skip skipped"
exit $status
