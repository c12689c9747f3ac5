#!/usr/bin/env bash
# Builds (once, cached) a Debian cloud-init guest image for the VM tests and
# the lab's first instance, since no cloud image can be downloaded here: a
# qcow2 disk plus the kernel and initrd it boots with directly. Prints the directory holding
#   base.qcow2  base.qcow2.sha256  vmlinuz  initrd.img
# The lab runs this same script on a host for `firstInstance.image.build`,
# with OPENSTACK_LAB_GUEST_DIR naming the directory and http_proxy its cache.
set -euo pipefail
cache=${OPENSTACK_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openstack-lab}
out=${OPENSTACK_LAB_GUEST_DIR:-$cache/guest-bookworm}
version=2  # bump when the package list or setup below changes
if [ "$(cat "$out/.ready" 2>/dev/null)" = "$version" ]; then echo "$out"; exit 0; fi

mirror=$(awk '/^URIs:/ {print $2; exit} /^deb / {print $2; exit}' /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null | head -n1)
mirror=${OPENSTACK_LAB_DEBIAN_MIRROR:-${mirror:-http://deb.debian.org/debian}}
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d "$(dirname "$out")/guest-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
root="$work/rootfs"
echo "guest-image: debootstrap bookworm with cloud-init from $mirror (a few minutes, once)" >&2
debootstrap --variant=minbase \
  --include=linux-image-cloud-amd64,systemd-sysv,cloud-init,openssh-server,ifupdown,netplan.io,iproute2,sudo,python3,python3-cffi-backend,iputils-ping,netcat-openbsd,isc-dhcp-client \
  bookworm "$root" "$mirror" >&2
# python3-cffi-backend is named because python3-cryptography depends on a
# virtual package that debootstrap does not resolve (TESTBED.md).
echo '/dev/vda / ext4 defaults 0 1' > "$root/etc/fstab"
# NoCloud for the lab's VMs (their seed ISO); OpenStack's metadata service when
# it runs as an instance, which takes its address by DHCP (isc-dhcp-client).
printf 'datasource_list: [ NoCloud, OpenStack, None ]\n' > "$root/etc/cloud/cloud.cfg.d/90-datasource.cfg"
# The program injects each VM's host key through cloud-init.
rm -f "$root"/etc/ssh/ssh_host_*
: > "$root/etc/machine-id"
cp "$root"/boot/vmlinuz-* "$out/vmlinuz"
cp "$root"/boot/initrd.img-* "$out/initrd.img"
# Only the directory goes to stdout (callers capture it); tools talk on stderr.
mkfs.ext4 -q -F -L rootfs -d "$root" "$work/disk.raw" 3G >&2
qemu-img convert -O qcow2 "$work/disk.raw" "$out/base.qcow2" >&2
(cd "$out" && sha256sum base.qcow2 > base.qcow2.sha256)
echo "$version" > "$out/.ready"
echo "$out"
