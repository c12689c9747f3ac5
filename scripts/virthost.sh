#!/usr/bin/env bash
# A libvirt host for the VM tests: libvirtd and virtlogd started inside a
# network namespace of their own (so the bridges, dnsmasq and NAT they make
# stay in it), with an sshd there that the program reaches like any lab host.
# Uses this machine's libvirt and QEMU packages (.ci/run installs them).
#
#   virthost.sh start DIR   DIR/host.json: name, address, port, hostKey; DIR/id_ed25519 logs in as root
#   virthost.sh stop DIR    stops exactly what `start DIR` started, and the VMs and networks left in it
set -Eeuo pipefail
log() { echo "virthost: $*" >&2; }

start() {
  local dir=$1
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
  chmod 0755 "$dir"  # QEMU (user libvirt-qemu) opens disks below it
  if pgrep -x libvirtd >/dev/null; then log "a libvirtd is already running on this machine; stop it first"; exit 1; fi
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
  mkdir -p /run/sshd /run/libvirt
  ip netns exec "$ns" /usr/sbin/virtlogd -d -p "$dir/virtlogd.pid"
  ip netns exec "$ns" /usr/sbin/libvirtd -d -p "$dir/libvirtd.pid"

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
  ip netns exec "$ns" /usr/sbin/sshd -f "$dir/sshd_config"
  echo "$addr $(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" > "$dir/known_hosts"
  printf '{"name":"virthost","address":"%s","port":22,"hostKey":"%s","netns":"%s"}\n' \
    "$addr" "$(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" "$ns" > "$dir/host.json"
  local t=0
  until virsh -q -c qemu:///system version >/dev/null 2>&1 && \
      ssh -q -i "$dir/id_ed25519" -o UserKnownHostsFile="$dir/known_hosts" -o StrictHostKeyChecking=yes -o BatchMode=yes "root@$addr" true; do
    t=$((t + 1)); [ "$t" -lt 30 ] || { log "libvirtd or sshd did not come up"; exit 1; }
    sleep 1
  done
  # What libvirt already had (the packaged `default` network): stop leaves it.
  virsh -q -c qemu:///system net-list --all --name > "$dir/networks-before"
  virsh -q -c qemu:///system list --all --name > "$dir/domains-before"
  log "libvirt host at $addr (netns $ns)"
}

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
    for d in $(virsh -q -c qemu:///system list --all --name 2>/dev/null | grep -vxF -f "$dir/domains-before"); do
      virsh -q -c qemu:///system destroy "$d" >/dev/null 2>&1 || true
      virsh -q -c qemu:///system undefine "$d" >/dev/null 2>&1 || true
    done
    for n in $(virsh -q -c qemu:///system net-list --all --name 2>/dev/null | grep -vxF -f "$dir/networks-before"); do
      virsh -q -c qemu:///system net-destroy "$n" >/dev/null 2>&1 || true
      virsh -q -c qemu:///system net-undefine "$n" >/dev/null 2>&1 || true
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
  start) trap 'log "start failed at line $LINENO: $BASH_COMMAND"' ERR; start "${2:?DIR}" ;;
  stop) stop "${2:?DIR}" ;;
  *) echo "usage: virthost.sh start DIR | stop DIR" >&2; exit 2 ;;
esac
