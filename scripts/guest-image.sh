#!/usr/bin/env bash
# Builds (once, cached) a Debian cloud-init guest image for the VM tests and
# the lab's first instance, since no cloud image can be downloaded here: a
# qcow2 disk plus the kernel and initrd it boots with directly. Prints the directory holding
#   base.qcow2  base.qcow2.sha256  vmlinuz  initrd.img
# The lab runs this same script on a host for `firstInstance.image.build`,
# with OPENSTACK_LAB_GUEST_DIR naming the directory and http_proxy its cache.
#
#   guest-image.sh [NAME PACKAGE... [-- UNIT...]]
# With a NAME, the image (guest-bookworm-NAME) also has PACKAGE... installed,
# natively in a chroot: a lab node's role packages for the VM lab, whose
# installs would take many times as long under TCG. The UNITs are left
# disabled: the lab enables and starts them once it has configured them, and
# started at boot with the packages' defaults they would only fail and
# restart, which under TCG costs minutes each.
set -euo pipefail
cache=${OPENSTACK_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openstack-lab}
name=${1:-}
packages=() units=() after_dashes=0
for a in "${@:2}"; do
  if [ "$a" = -- ]; then after_dashes=1; elif [ "$after_dashes" = 1 ]; then units+=("$a"); else packages+=("$a"); fi
done
if [ -n "$name" ]; then
  case $name in *[!a-z0-9-]*) echo "guest-image: image name '$name': only a-z, 0-9 and '-'" >&2; exit 2;; esac
  [ ${#packages[@]} -gt 0 ] || { echo "guest-image: image $name names no packages" >&2; exit 2; }
fi
out=${OPENSTACK_LAB_GUEST_DIR:-$cache/guest-bookworm${name:+-$name}}
version=2  # bump when the package list or setup below changes
# A node image is rebuilt when its package or unit list changes.
[ -z "$name" ] || version="$version $(printf '%s\n' "${packages[@]}" -- "${units[@]}" | sha256sum | cut -c1-16)"
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
if [ -n "$name" ]; then
  echo "guest-image: installing ${#packages[@]} packages into the $name image (natively, once)" >&2
  # A mount namespace of its own: /proc, /sys and /dev leave with it even on a failure.
  # policy-rc.d keeps the packages' services from starting in the chroot;
  # they start when the VM boots, as after an install on a running node.
  unshare -m --propagation private bash -euo pipefail -c '
    root=$1; shift
    mount -t proc proc "$root/proc"; mount -t sysfs sys "$root/sys"; mount --rbind /dev "$root/dev"
    printf "#!/bin/sh\nexit 101\n" > "$root/usr/sbin/policy-rc.d"; chmod 755 "$root/usr/sbin/policy-rc.d"
    chroot "$root" apt-get update -q
    DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold "$@"
    rm "$root/usr/sbin/policy-rc.d"
    chroot "$root" apt-get clean
  ' node-image "$root" "${packages[@]}" >&2
  present=()
  for u in "${units[@]}"; do
    if [ -e "$root/lib/systemd/system/$u.service" ]; then present+=("$u"); else echo "guest-image: no unit $u in the $name image" >&2; fi
  done
  [ ${#present[@]} -eq 0 ] || chroot "$root" systemctl disable "${present[@]}" >&2
fi
# The program injects each VM's host key through cloud-init.
rm -f "$root"/etc/ssh/ssh_host_*
: > "$root/etc/machine-id"
cp "$root"/boot/vmlinuz-* "$out/vmlinuz"
cp "$root"/boot/initrd.img-* "$out/initrd.img"
# Only the directory goes to stdout (callers capture it); tools talk on stderr.
size=$(( $(du -sm "$root" | cut -f1) / 1024 + 2 ))
mkfs.ext4 -q -F -L rootfs -d "$root" "$work/disk.raw" "$(( size > 3 ? size : 3 ))G" >&2
qemu-img convert -O qcow2 "$work/disk.raw" "$out/base.qcow2" >&2
(cd "$out" && sha256sum base.qcow2 > base.qcow2.sha256)
echo "$version" > "$out/.ready"
echo "$out"
