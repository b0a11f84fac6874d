#!/bin/sh
# Runs .ci/run (and make pipeline) in a freshly debootstrapped Debian 12 chroot: catches packages that this
# machine has by hand but `make deps`/`make deps-test` would not install. Not part of CI (it downloads a base
# system); run it as root before changing the dependency lists. No CUDA toolkit inside: the no-CUDA path.
# Usage: .ci/fresh-debian.sh [WORK_DIR]   (default /tmp/cf-fresh; reuses the base system if present)
set -eu
top=$(git rev-parse --show-toplevel)
work=${1:-/tmp/cf-fresh}
root="$work/root"
command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap
[ -x "$root/bin/bash" ] || debootstrap --variant=minbase --include=make,git,ca-certificates bookworm "$root" \
	http://deb.debian.org/debian
cp /etc/resolv.conf "$root/etc/resolv.conf"
rm -rf "$root/src/cogniforge"
mkdir -p "$root/src"
git clone -q "$top" "$root/src/cogniforge"
mount -t proc proc "$root/proc"
mount --rbind /dev "$root/dev"
mount --rbind /sys "$root/sys"
trap 'umount -l "$root/proc" "$root/dev" "$root/sys" 2>/dev/null || true' EXIT
chroot "$root" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root CI=true \
	bash -c 'cd /src/cogniforge && bash .ci/run && make pipeline'
