#!/usr/bin/env bash
# A libvirt host for the VM tests: libvirtd and virtlogd started inside a
# network namespace of their own (so the bridges, dnsmasq and NAT they make
# stay in it), with an sshd there that the program reaches like any lab host.
# Uses this machine's libvirt and QEMU packages (.ci/run installs them), with
# /etc and libvirt's state layered in DIR/fs (see daemons below).
#
#   virthost.sh start DIR   DIR/host.json: name, address, port, hostKey, netns, libvirtUri;
#                           DIR/id_ed25519 logs in as root
#   virthost.sh stop DIR    stops exactly what `start DIR` started, and the VMs and networks left in it
set -Eeuo pipefail
log() { echo "virthost: $*" >&2; }

start() {
  local dir=$1
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
  chmod 0755 "$dir"  # QEMU (user libvirt-qemu) opens disks below it
  local x
  for x in $(seq 1 250); do
    ip link show "olabvh$x" >/dev/null 2>&1 || ip netns list | grep -q "^olabvirt$x\b" || break
  done
  local ns="olabvirt$x" hub="olabvh$x" addr="10.242.$x.2"
  echo "$ns" > "$dir/netns"; echo "$hub" > "$dir/hub"
  ip link add "$hub" type bridge
  ip addr add "10.242.$x.1/24" dev "$hub"
  ip link set "$hub" up
  ip netns add "$ns"
  ip link add "olabvh$x-p" type veth peer name eth0 netns "$ns"
  ip link set "olabvh$x-p" master "$hub" up
  ip -n "$ns" addr add "$addr/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$ns" link set lo up

  # QEMU runs as libvirt-qemu, in group kvm.
  if [ -e /dev/kvm ]; then chgrp kvm /dev/kvm && chmod 0660 /dev/kvm; fi
  mkdir -p /run/sshd
  rm -f "$dir/id_ed25519" "$dir/id_ed25519.pub" "$dir/host_ed25519" "$dir/host_ed25519.pub"
  ssh-keygen -q -t ed25519 -N '' -C openstack-lab-virthost -f "$dir/id_ed25519"
  ssh-keygen -q -t ed25519 -N '' -C virthost -f "$dir/host_ed25519"
  cat > "$dir/sshd_config" <<CONF
ListenAddress $addr
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/id_ed25519.pub
PermitRootLogin prohibit-password
PasswordAuthentication no
StrictModes no
AllowTcpForwarding yes
CONF
  unshare --mount --propagation private bash "$0" _daemons "$dir" "$ns"
  echo "$addr $(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" > "$dir/known_hosts"
  printf '{"name":"virthost","address":"%s","port":22,"hostKey":"%s","netns":"%s","libvirtUri":"%s"}\n' \
    "$addr" "$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" "$ns" "qemu:///system?socket=$dir/fs/run-libvirt/libvirt-sock" > "$dir/host.json"
  local t=0
  until vsh "$dir" version >/dev/null 2>&1 && \
      ssh -q -i "$dir/id_ed25519" -o UserKnownHostsFile="$dir/known_hosts" -o StrictHostKeyChecking=yes -o BatchMode=yes "root@$addr" true; do
    t=$((t + 1)); [ "$t" -lt 30 ] || { log "libvirtd or sshd did not come up"; exit 1; }
    sleep 1
  done
  # What libvirt already had (the packaged `default` network): stop leaves it.
  vsh "$dir" net-list --all --name > "$dir/networks-before"
  vsh "$dir" list --all --name > "$dir/domains-before"
  log "libvirt host at $addr (netns $ns)"
}

# Runs in a mount namespace of its own: the daemons see /etc, libvirt's state
# and its runtime directory as layers in DIR, so nothing the tests or the
# program do reaches this machine's own /etc or libvirt, and nothing this
# machine's libvirt holds (domains, networks, stale runtime files) reaches
# the tests. The copies of this namespace that `ip netns exec` makes keep
# the mounts for as long as the daemons live.
daemons() {
  local dir=$1 ns=$2 d
  for d in etc var-lib-libvirt var-cache-libvirt; do mkdir -p "$dir/fs/$d" "$dir/fs/.work-$d"; done
  mkdir -p "$dir/fs/run-libvirt" "$dir/fs/log-libvirt"
  mount -t overlay olab-etc -o "lowerdir=/etc,upperdir=$dir/fs/etc,workdir=$dir/fs/.work-etc" /etc
  mount -t overlay olab-lib -o "lowerdir=/var/lib/libvirt,upperdir=$dir/fs/var-lib-libvirt,workdir=$dir/fs/.work-var-lib-libvirt" /var/lib/libvirt
  mount -t overlay olab-cache -o "lowerdir=/var/cache/libvirt,upperdir=$dir/fs/var-cache-libvirt,workdir=$dir/fs/.work-var-cache-libvirt" /var/cache/libvirt
  mkdir -p /run/libvirt /var/log/libvirt
  mount --bind "$dir/fs/run-libvirt" /run/libvirt
  mount --bind "$dir/fs/log-libvirt" /var/log/libvirt
  # Only the packaged default network: this machine's own guests and
  # networks are hidden in the layer, not removed.
  find /etc/libvirt/qemu -maxdepth 3 \( -name '*.xml' -o -type l \) ! -path '*/networks/default.xml' ! -path '*/networks/autostart/default' -delete
  ip netns exec "$ns" /usr/sbin/virtlogd -d -p "$dir/virtlogd.pid"
  ip netns exec "$ns" /usr/sbin/libvirtd -d -p "$dir/libvirtd.pid"
  ip netns exec "$ns" /usr/sbin/sshd -f "$dir/sshd_config"
}

# virsh against the libvirtd of DIR, through its socket in DIR.
vsh() { local dir=$1; shift; virsh -q -c "qemu:///system?socket=$dir/fs/run-libvirt/libvirt-sock" "$@"; }

# The PID in FILE, if that process still runs COMMAND.
ours() {
  local file=$1 cmd=$2 pid
  [ -f "$file" ] || return 1
  pid=$(cat "$file")
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$cmd" ] && echo "$pid"
}

stop() {
  local dir=$1 pid
  [ -d "$dir" ] || return 0
  if ours "$dir/libvirtd.pid" libvirtd >/dev/null; then
    # Guests and networks the tests left behind go first.
    for d in $(vsh "$dir" list --all --name 2>/dev/null | grep -vxF -f "$dir/domains-before"); do
      vsh "$dir" destroy "$d" >/dev/null 2>&1 || true
      vsh "$dir" undefine "$d" >/dev/null 2>&1 || true
    done
    for n in $(vsh "$dir" net-list --all --name 2>/dev/null | grep -vxF -f "$dir/networks-before"); do
      vsh "$dir" net-destroy "$n" >/dev/null 2>&1 || true
      vsh "$dir" net-undefine "$n" >/dev/null 2>&1 || true
    done
  fi
  for f in sshd:sshd libvirtd:libvirtd virtlogd:virtlogd; do
    if pid=$(ours "$dir/${f%%:*}.pid" "${f##*:}"); then
      kill "$pid"
      for _ in $(seq 1 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
    fi
  done
  [ -f "$dir/netns" ] && ip netns del "$(cat "$dir/netns")" 2>/dev/null || true
  [ -f "$dir/hub" ] && ip link del "$(cat "$dir/hub")" 2>/dev/null || true
  rm -f "$dir/netns" "$dir/hub" "$dir/host.json"
  log "stopped the libvirt host of $dir"
}

case "${1:-}" in
  _daemons) daemons "${2:?DIR}" "${3:?NETNS}" ;;
  start) trap 'log "start failed at line $LINENO: $BASH_COMMAND"' ERR; start "${2:?DIR}" ;;
  stop) stop "${2:?DIR}" ;;
  *) echo "usage: virthost.sh start DIR | stop DIR" >&2; exit 2 ;;
esac
