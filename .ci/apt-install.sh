#!/bin/sh
# Install the named Debian packages that are not installed yet; a no-op (no network) when all are present.
set -eu
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "apt-install: missing Debian packages:$missing (run as root, or install them)" >&2
	exit 1
fi
echo "apt-install: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
