#!/bin/sh
# The GPU check, in two halves because the device machine has no Debian -dev packages (../shared/gpu-recipe.md):
#
#   sh bench/gpu_check.sh prepare   here: build build-gpu/ with CUDA for sm_90 (H100/H200) and copy the Debian
#                                   runtime libraries the binaries need into .devlibs/ (CUDA libs excluded)
#   sh bench/gpu_check.sh           on the device (via the device tool, carrying build-gpu and .devlibs): runs
#                                   the GPU tests and GPU benchmarks, writes logs and results.json to $OUT,
#                                   prints a short table last. Budget: well under 5 minutes.
#
# Device call: run(command="sh bench/gpu_check.sh", carry=["build-gpu", ".devlibs"], timeout_s=420)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-gpu"
libs="$root/.devlibs"

if [ "${1:-}" = "prepare" ]; then
	set -e
	cd "$root"
	[ -f "$build/build.ninja" ] || meson setup "$build" -Dcuda=enabled -Dcuda-arch=90 -Dbuildtype=release \
		-Dpython=disabled -Dgo=disabled -Ddefault_library=both
	ninja -C "$build"
	rm -rf "$libs"
	mkdir -p "$libs"
	for bin in "$build"/src/libcogniforge.so "$build"/src/libcogniforge-cuda.so "$build"/tools/cogniforge \
		"$build"/tests/check_cuda "$build"/tests/check_common "$build"/tests/check_context "$build"/bench/bench_gpu; do
		ldd "$bin" | awk '$3 ~ /^\// {print $3}'
	done | sort -u | grep -vE '/(libc|libm|libdl|libpthread|librt|libgcc_s|libstdc\+\+)\.so|/libcuda|/libcudart|/libcudnn|/libcublas|/libnv|/work/' |
		while read -r lib; do cp -L "$lib" "$libs/"; done
	du -sh "$build" "$libs"
	echo "prepared: carry build-gpu and .devlibs (64 MiB limit in all)"
	exit 0
fi

out=${OUT:-$root/gpu-out}
mkdir -p "$out"
log="$out/gpu_check.log"
exec 3>&1
exec >"$log" 2>&1
cudalibs=$(find / \( -name 'libcudnn.so.9*' -o -name 'libcublas.so.13*' -o -name 'libcublasLt.so.13*' \) \
	-not -path '/proc/*' 2>/dev/null | xargs -r -n1 dirname | sort -u | paste -sd: -)
export LD_LIBRARY_PATH="$build/src:$libs:${cudalibs}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# check_cuda links the static library, so it cannot find the backend beside libcogniforge.so: name it.
export COGNIFORGE_CUDA_BACKEND="$build/src/libcogniforge-cuda.so.0"
echo "LD_LIBRARY_PATH=$LD_LIBRARY_PATH"
nvidia-smi -L
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.sm --format=csv

status=0
run() { # name, command...
	name=$1
	shift
	t0=$(date +%s)
	"$@" >"$out/$name.log" 2>&1
	rc=$?
	echo "$name: exit $rc in $(( $(date +%s) - t0 )) s"
	[ "$rc" -eq 0 ] || { status=1; tail -n 20 "$out/$name.log"; }
	printf '%-14s %s\n' "$name" "$([ "$rc" -eq 0 ] && echo ok || echo "FAILED (exit $rc)")" >>"$out/summary.txt"
}
: >"$out/summary.txt"
run version "$build/tools/cogniforge" version --json
run check_common env CK_VERBOSITY=verbose "$build/tests/check_common"
run check_cuda env CK_VERBOSITY=verbose "$build/tests/check_cuda"
run bench_gpu "$build/bench/bench_gpu" 20
cp "$out/bench_gpu.log" "$out/results.json" 2>/dev/null || true

exec 1>&3
cat "$out/summary.txt"
grep -E '"(device|fp32_tflops|h2d_gbps)"' "$out/bench_gpu.log" 2>/dev/null | head -n 8
grep -E '^[0-9]+%|cudart' "$out"/check_cuda.log 2>/dev/null
echo "gpu_check: logs in $out (exit $status)"
exit $status
