#!/usr/bin/env bash
# Installs the Debian packages the integration and e2e suites need, when any
# is missing (a fresh machine): debootstrap builds the test hosts' and guests'
# root filesystems; openssh-client/-server: checks, keys and the libvirt
# host's sshd; dpkg-dev: the test hosts' local apt repository;
# iproute2/util-linux: namespaces; libvirt, QEMU, qemu-utils, genisoimage,
# dnsmasq: the VM tests' libvirt host; e2fsprogs: guest disks; ping: reaching
# what a lab makes.
set -euo pipefail
packages=(
  debootstrap openssh-client openssh-server dpkg-dev iproute2 util-linux ca-certificates
  libvirt-daemon-system libvirt-clients qemu-system-x86 qemu-utils genisoimage dnsmasq-base e2fsprogs iputils-ping
)
missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "test-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >&2
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
