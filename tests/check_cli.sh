#!/bin/sh
# The CLI's documented contract: --help everywhere, --json output, exit codes 0/2/3 and one-line errors.
# Usage: check_cli.sh path/to/cogniforge DATA_DIR
set -u
cli=$1
data=$2
tmp=$(mktemp -d /tmp/cf-cli.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# expect NAME WANT_RC CMD... : run, compare the exit code, keep stdout/stderr in $tmp/out, $tmp/err
expect() {
	name=$1 want=$2
	shift 2
	"$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: exit $rc, want $want" >&2
		sed 's/^/  stderr: /' "$tmp/err" >&2
	fi
}
check() {
	if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1" >&2; fi
}
one_line_stderr() {
	[ "$(wc -l <"$tmp/err")" -eq 1 ]
}

expect "help" 0 "$cli" --help
check "help lists commands and exit codes" "grep -q 'version' $tmp/out && grep -q 'internal error' $tmp/out"
expect "no args is a usage error" 2 "$cli"
expect "--version" 0 "$cli" --version
check "--version prints the version" "grep -q '^cogniforge [0-9]' $tmp/out"

expect "version" 0 "$cli" version
check "version text" "grep -q '^features:' $tmp/out && grep -q '^cuda devices: [0-9]' $tmp/out && grep -q '^cuda backend: ' $tmp/out"
expect "version --json" 0 "$cli" version --json
check "version --json is JSON with version and features" \
	"/usr/bin/python3 -c 'import json,sys; d=json.load(open(\"$tmp/out\")); assert d[\"version\"] and \"threads\" in d[\"features\"] and d[\"cuda_device_count\"] == len(d[\"cuda_devices\"]) and isinstance(d[\"cuda_backend\"][\"loaded\"], bool)'"
expect "version --help" 0 "$cli" version --help
check "version --help text" "grep -q 'Usage: cogniforge version' $tmp/out"
expect "help version" 0 "$cli" help version

expect "bad flag" 2 "$cli" version --bogus
check "bad flag: one clear line" "one_line_stderr && grep -q \"unknown option '--bogus'\" $tmp/err"
expect "bad global flag" 2 "$cli" --bogus
check "bad global flag: one line" "one_line_stderr"
expect "unknown command" 2 "$cli" frobnicate
check "unknown command: one line naming it" "one_line_stderr && grep -q frobnicate $tmp/err"
expect "stray argument" 2 "$cli" version extra

expect "data --help" 0 "$cli" data --help
expect "data without subcommand" 2 "$cli" data
expect "data summarize without files" 2 "$cli" data summarize
expect "data summarize adult" 0 "$cli" data summarize "$data/adult/adult-train.csv.zst" "$data/adult/adult-test.csv.zst"
check "data summarize rows" "grep -q '32561 rows' $tmp/out && grep -q '16281 rows' $tmp/out"
expect "data summarize --json" 0 "$cli" data summarize --json "$data/adult/adult-test.csv.zst"
check "data summarize --json fields" \
	"/usr/bin/python3 -c 'import json; d=json.load(open(\"$tmp/out\")); assert d[0][\"rows\"] == 16281 and d[0][\"compression\"] == \"zstd\" and len(d[0][\"sha256\"]) == 64'"
expect "missing file is bad input" 3 "$cli" data summarize "$tmp/nope.csv"
check "missing file: one line naming the file" "one_line_stderr && grep -q 'nope.csv' $tmp/err"
printf '\037\213\010\000garbage-garbage' >"$tmp/bad.gz"
expect "corrupt gzip is bad input" 3 "$cli" data summarize "$tmp/bad.gz"
check "corrupt gzip: one line" "one_line_stderr && grep -q 'bad.gz' $tmp/err"
printf 'a\nb\n' | "$cli" data summarize - >"$tmp/out" 2>&1
check "stdin input" "grep -q '2 rows' $tmp/out"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
