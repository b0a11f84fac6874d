#!/bin/sh
# `make bench`: every CPU benchmark against its peer, measured in the same run; results go to
# docs/benchmarks.md (each benchmark owns a marked section). GPU benchmarks run from bench/gpu_check.sh.
# Usage: bench/run.sh BUILD_DIR
set -eu
build=$(cd "${1:-build}" && pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/.ci/apt-install.sh" python3-zstandard zstd
/usr/bin/python3 "$root/bench/bench_io.py" "$build" "$root/docs/benchmarks.md"
echo "bench: results written to docs/benchmarks.md"
