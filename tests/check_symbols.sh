#!/bin/sh
# The shared library exports only cf_-prefixed symbols (house rule X2), and exports the API we expect.
# Usage: check_symbols.sh LIBRARY.so            (the library: cf_ API only, no cf__ internals)
#        check_symbols.sh PLUGIN.so SYMBOL...  (a plugin: exactly these symbols)
set -eu
lib=$1
shift
syms=$(nm -D --defined-only "$lib" | awk '$2 ~ /^[TDBRVWiu]$/ {print $3}' | sed 's/@.*//' | sort -u)
total=$(printf '%s\n' "$syms" | grep -c . || true)
if [ $# -gt 0 ]; then
	want=$(printf '%s\n' "$@" | sort -u)
	if [ "$syms" != "$want" ]; then
		echo "FAIL: $lib exports:" >&2
		printf '  %s\n' $syms >&2
		echo "want exactly: $*" >&2
		exit 1
	fi
	echo "ok: $lib exports exactly: $*"
	exit 0
fi
leaked=$(printf '%s\n' "$syms" | grep -v '^cf_' || true)
if [ -n "$leaked" ]; then
	echo "FAIL: $lib exports symbols without the cf_ prefix:" >&2
	printf '  %s\n' $leaked >&2
	exit 1
fi
internal=$(printf '%s\n' "$syms" | grep '^cf__' || true)
if [ -n "$internal" ]; then
	echo "FAIL: $lib exports internal cf__ helpers:" >&2
	printf '  %s\n' $internal >&2
	exit 1
fi
for want in cf_version cf_error_last cf_features cf_cuda_device_count cf_context_create cf_context_free; do
	printf '%s\n' "$syms" | grep -qx "$want" || { echo "FAIL: $lib does not export $want" >&2; exit 1; }
done
echo "ok: $total exported symbols, all cf_-prefixed"
