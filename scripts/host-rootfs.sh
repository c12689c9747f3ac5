#!/usr/bin/env bash
# Builds (once, cached) the Debian root filesystem that test hosts boot as
# system containers: systemd, sshd, sudo, crudini and python3 (for the INI
# benchmark), kmod, procps, ping (to reach what a lab makes). Prints its path.
set -euo pipefail
cache=${OPENSTACK_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openstack-lab}
root="$cache/host-rootfs-bookworm"
version=7  # bump when the package list or setup below changes
if [ "$(cat "$root.ready" 2>/dev/null)" = "$version" ]; then echo "$root"; exit 0; fi

mirror=$(awk '/^URIs:/ {print $2; exit} /^deb / {print $2; exit}' /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list 2>/dev/null | head -n1)
mirror=${OPENSTACK_LAB_DEBIAN_MIRROR:-${mirror:-http://deb.debian.org/debian}}
rm -rf "$root" "$root.ready"
echo "host-rootfs: debootstrap bookworm from $mirror into $root (about two minutes, once)" >&2
debootstrap --variant=minbase \
  --include=systemd-sysv,openssh-server,sudo,python3,iproute2,kmod,procps,dbus,crudini,iptables,iputils-ping \
  bookworm "$root" "$mirror" >&2
# Test hosts reach packages only from a repository the tests serve locally.
rm -f "$root"/etc/apt/sources.list "$root"/etc/apt/sources.list.d/*
rm -f "$root"/etc/ssh/ssh_host_*
chroot "$root" useradd -m -s /bin/bash lab
echo 'lab ALL=(ALL) NOPASSWD: ALL' > "$root/etc/sudoers.d/lab"
chmod 0440 "$root/etc/sudoers.d/lab"
# A unit cannot get a user namespace of its own in these containers, so
# hardening that asks for one (Debian's prometheus.service: PrivateUsers)
# would fail the unit at start; every service here runs without it.
mkdir -p "$root/etc/systemd/system/service.d"
printf '[Service]\nPrivateUsers=no\n' > "$root/etc/systemd/system/service.d/50-olab-container.conf"
# libvirt gives each QEMU a private /dev (a mount namespace) by default, in
# which QEMU finds no PTY in these containers and fails to start; a compute
# node here runs QEMU in the host's /dev. Installing libvirt keeps this file
# (Packages installs with --force-confold).
mkdir -p "$root/etc/libvirt"
printf '# openstack-lab test host: no private /dev for QEMU in a container\nnamespaces = []\n' > "$root/etc/libvirt/qemu.conf"
# Units that have no use in a container and slow its boot.
for u in systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer; do
  chroot "$root" systemctl mask "$u" >/dev/null 2>&1 || true
done
echo "$version" > "$root.ready"
echo "$root"
