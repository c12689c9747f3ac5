#!/usr/bin/env bash
# Builds (once, cached) a local apt repository with Debian bookworm's
# OpenStack (Zed) control-plane packages and every dependency that the test
# hosts' root filesystem lacks, so a controller test host installs them with
# no route to any mirror: the lab reaches packages only through this
# repository, served by the tests (scripts/repo-server.js). Prints its path.
#
# Resolved in a throwaway layer over the test hosts' root filesystem, with
# the same apt options as the Packages provider, so exactly what the
# provider will ask for is here.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${OPENSTACK_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openstack-lab}
repo="$cache/openstack-repo-bookworm"
# What the lab's roles install on Debian comes from their declarations
# (scripts/debian-packages.js); beside them, what the first instance and the
# monitoring node install (components/FirstInstance.ts, Monitoring.ts), and
# lvm2 for the volume group's integration test.
roles=$(node "$here/debian-packages.js")
mapfile -t packages <<< "$roles"
packages+=(lvm2 curl prometheus collectd-core libmicrohttpd12 libprotobuf-c1 libvirt0 libxml2)
version="1 ${packages[*]}"
if [ "$(cat "$repo.ready" 2>/dev/null)" = "$version" ]; then echo "$repo"; exit 0; fi

rootfs=$("$here/host-rootfs.sh")
work=$(mktemp -d)
cleanup() {
  for m in "$work/root/etc/resolv.conf" "$work/root"; do mountpoint -q "$m" 2>/dev/null && umount "$m"; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/upper" "$work/work" "$work/root"
mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$work/upper,workdir=$work/work" "$work/root"
# This machine's Debian sources (bookworm, -updates, -security) and DNS.
cp /etc/apt/sources.list.d/*.sources "$work/root/etc/apt/sources.list.d/" 2>/dev/null || true
[ ! -f /etc/apt/sources.list ] || cp /etc/apt/sources.list "$work/root/etc/apt/sources.list"
touch "$work/root/etc/resolv.conf"
mount --bind /etc/resolv.conf "$work/root/etc/resolv.conf"
echo "openstack-repo: downloading ${#packages[@]} packages and their dependencies (once)" >&2
chroot "$work/root" apt-get update -q >&2
chroot "$work/root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --download-only \
  --no-install-recommends "${packages[@]}" >&2

rm -rf "$repo" "$repo.ready"
mkdir -p "$repo"
cp "$work/upper/var/cache/apt/archives/"*.deb "$repo/"
(cd "$repo" && dpkg-scanpackages --multiversion . /dev/null > Packages 2>/dev/null)
echo "openstack-repo: $(ls "$repo"/*.deb | wc -l) packages, $(du -sh "$repo" | cut -f1)" >&2
echo "$version" > "$repo.ready"
echo "$repo"
