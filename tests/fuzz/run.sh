#!/bin/sh
# Runs every libFuzzer target in BUILD_DIR/tests/fuzz (fuzz_*) for SECONDS each, seeded from
# tests/fuzz/corpus/<target>/ when it exists (read-only; new inputs go to a scratch corpus). Fails on the first
# crash, leak or sanitizer report; the reproducer is kept in BUILD_DIR. Fails too when no target was built.
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS
set -eu
build=$(cd "$1" && pwd)
seconds=$2
here=$(cd "$(dirname "$0")" && pwd)
ran=0
for exe in "$build"/tests/fuzz/fuzz_*; do
	[ -f "$exe" ] && [ -x "$exe" ] || continue
	name=$(basename "$exe")
	scratch="$build/fuzz-corpus/$name"
	mkdir -p "$scratch" "$build/fuzz-artifacts"
	# libFuzzer refuses a corpus directory that does not exist, so pass the seeds only when there are some.
	seeds=
	[ -d "$here/corpus/$name" ] && seeds="$here/corpus/$name"
	echo "fuzz: $name for ${seconds}s"
	"$exe" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$build/fuzz-artifacts/$name-" "$scratch" $seeds 2>"$build/$name.log" ||
		{ tail -n 40 "$build/$name.log"; echo "fuzz: $name FAILED (reproducer in $build/fuzz-artifacts/)"; exit 1; }
	# A missing stats line must not stop the loop (set -e) before the other targets have run.
	grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$build/$name.log" | sed "s/^/fuzz: $name /" || true
	ran=$((ran + 1))
done
[ "$ran" -gt 0 ] || { echo "fuzz: no fuzz_* target in $build/tests/fuzz (configure with -Dfuzz=true)"; exit 1; }
echo "fuzz: $ran targets, ${seconds}s each, no failure"
