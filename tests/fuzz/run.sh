#!/bin/sh
# Runs each libFuzzer target for SECONDS, seeded from tests/fuzz/corpus/<target>/ (read-only; new inputs go to
# a scratch corpus). Fails on the first crash, leak or sanitizer report; the reproducer is kept in BUILD_DIR.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS
set -eu
build=$(cd "$1" && pwd)
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
for exe in "$build"/tests/fuzz/fuzz_*; do
	[ -f "$exe" ] && [ -x "$exe" ] || continue
	name=$(basename "$exe")
	scratch="$build/fuzz-corpus/$name"
	mkdir -p "$scratch" "$build/fuzz-artifacts"
	echo "fuzz: $name for ${seconds}s"
	"$exe" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/fuzz-artifacts/$name-" "$scratch" "$here/corpus/$name" 2>"$build/$name.log" ||
		{ tail -n 40 "$build/$name.log"; echo "fuzz: $name FAILED (reproducer in $build/fuzz-artifacts/)"; exit 1; }
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/$name.log" | sed "s/^/fuzz: $name /"
done
