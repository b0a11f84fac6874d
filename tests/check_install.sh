#!/bin/sh
# Install into a temporary prefix, then build and run a consumer the way users do:
#   cc consumer.c $(pkg-config --cflags --libs cogniforge)
# Also imports the Python package from the installed tree when the binding was built.
# Usage: check_install.sh BUILD_DIR SOURCE_DIR
set -eu
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
dest=$(mktemp -d /tmp/cf-install.XXXXXX)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >"$dest/install.log" 2>&1 ||
	{ cat "$dest/install.log" >&2; echo "FAIL: meson install" >&2; exit 1; }

pc=$(find "$dest" -name cogniforge.pc | head -n 1)
[ -n "$pc" ] || { echo "FAIL: cogniforge.pc was not installed" >&2; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
# The .pc names the configured prefix; point it at where destdir put the files.
prefix=$(sed -n 's/^prefix=//p' "$pc" | head -n 1)
PC="pkg-config --define-variable=prefix=$dest$prefix"
version=$($PC --modversion cogniforge)
expect=$(sed -n "s/^ *version: '\([0-9.]*\)'.*/\1/p" "$src/meson.build" | head -n 1)
[ "$version" = "$expect" ] || { echo "FAIL: pkg-config --modversion gave '$version', want '$expect'" >&2; exit 1; }

cat >"$dest/consumer.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <cogniforge/cogniforge.h>
#if !CF_VERSION_CHECK(0, 1, 0)
#error "cogniforge too old"
#endif
int main(void)
{
	unsigned char d[CF_SHA256_SIZE];
	char hex[65];
	if (strcmp(cf_version(), CF_VERSION_STRING) != 0) { fprintf(stderr, "header/library mismatch\n"); return 1; }
	if (cf_sha256(d, sizeof d, "abc", 3) != CF_OK || cf_hex_encode(hex, sizeof hex, d, sizeof d) != CF_OK) {
		fprintf(stderr, "%s\n", cf_error_last()->message);
		return 1;
	}
	printf("%s %s\n", cf_version(), hex);
	return 0;
}
C
cc -std=c99 -Wall -Werror -o "$dest/consumer" "$dest/consumer.c" $($PC --cflags --libs cogniforge)
libdir=$($PC --variable=libdir cogniforge)
out=$(LD_LIBRARY_PATH="$libdir" "$dest/consumer")
case "$out" in
"$version ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ;;
*) echo "FAIL: consumer printed '$out'" >&2; exit 1 ;;
esac
# The static library is installed too and links with --static.
cc -std=c99 -o "$dest/consumer-static" "$dest/consumer.c" $($PC --cflags cogniforge) \
	"$libdir/libcogniforge.a" $($PC --libs --static cogniforge | sed 's/-lcogniforge//')
[ "$("$dest/consumer-static")" = "$out" ] || { echo "FAIL: static consumer" >&2; exit 1; }

# The CLI is installed and runs.
cli=$(find "$dest" -path '*/bin/cogniforge' -type f | head -n 1)
[ -n "$cli" ] || { echo "FAIL: the cogniforge CLI was not installed" >&2; exit 1; }
LD_LIBRARY_PATH="$libdir" "$cli" version --json | grep -q "\"version\": \"$version\"" ||
	{ echo "FAIL: installed CLI does not report $version" >&2; exit 1; }

pkgdir=$(find "$dest" -type d -name cogniforge -path '*-packages/*' | head -n 1)
if [ -n "$pkgdir" ]; then
	pyver=$(cd / && PYTHONPATH=$(dirname "$pkgdir") LD_LIBRARY_PATH="$libdir" /usr/bin/python3 -c \
		'import cogniforge, sys; sys.stdout.write(cogniforge.__version__)')
	[ "$pyver" = "$version" ] || { echo "FAIL: installed Python package reports '$pyver'" >&2; exit 1; }
	echo "ok: python import from the install prefix ($pkgdir)"
fi
echo "ok: pkg-config $version, shared and static consumers link and run"
