#!/bin/sh
# `make bench`: every CPU benchmark against its peer, measured in the same run; results go to
# docs/benchmarks.md (each benchmark owns a marked section). GPU benchmarks run from bench/gpu_check.sh.
# Usage: bench/run.sh [--quick] BUILD_DIR
#   --quick: the validation benchmark runs 1x and 10x only (no 100x, 397 MB file); BENCH_VALIDATE_SIZES
#   (default "1 10 100") picks the sizes explicitly and wins over --quick. The metrics benchmark runs 1M rows
#   only under --quick (default 1M and 10M); BENCH_METRICS_ROWS picks the row counts and wins over --quick.
set -eu
quick=0
if [ "${1:-}" = "--quick" ]; then
	quick=1
	shift
fi
build=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/.ci/apt-install.sh" python3-zstandard zstd python3-pandas python3-sklearn time
/usr/bin/python3 "$root/bench/bench_io.py" "$build" "$root/docs/benchmarks.md"
if [ "$quick" = 1 ]; then
	BENCH_VALIDATE_SIZES=${BENCH_VALIDATE_SIZES:-"1 10"}
	BENCH_METRICS_ROWS=${BENCH_METRICS_ROWS:-"1000000"}
fi
BENCH_VALIDATE_SIZES=${BENCH_VALIDATE_SIZES:-"1 10 100"} \
	/usr/bin/python3 "$root/bench/bench_validate.py" "$build" "$root/docs/benchmarks.md"
BENCH_METRICS_ROWS=${BENCH_METRICS_ROWS:-"1000000 10000000"} \
	/usr/bin/python3 "$root/bench/bench_metrics.py" "$build" "$root/docs/benchmarks.md"
echo "bench: results written to docs/benchmarks.md"
