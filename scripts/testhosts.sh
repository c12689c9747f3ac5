#!/usr/bin/env bash
# Test hosts for integration and e2e tests: each is a Debian system
# container (its own network namespace, root filesystem, PID namespace and
# systemd) reachable over SSH on a private bridge that only this machine
# sees. Nothing is routed beyond it.
#
#   testhosts.sh start DIR N   start N hosts; DIR/hosts.json describes them
#   testhosts.sh stop DIR      stop exactly what `start DIR` started
#
# Each host's eth1 is on a second bridge with no address on this machine: a
# segment of their own for a lab's provider network.
#
# DIR/id_ed25519 logs in as root or as `lab` (passwordless sudo);
# DIR/known_hosts pins every host key. Each host gets apt sources for a
# local repository only (scripts/test-repo.sh).
set -Eeuo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { echo "testhosts: $*" >&2; }

start() {
  local dir=$1 n=$2
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
  [ ! -e "$dir/hosts.json" ] || { log "$dir already has hosts; stop them first"; exit 1; }
  local rootfs; rootfs=$("$here/host-rootfs.sh")
  local x
  # Two test runs may start hosts at once (scripts/test.sh runs two lanes): one picks an index at a time.
  exec 9<"$here/testhosts.sh"
  flock 9
  for x in $(seq 1 250); do
    ip link show "olabhub$x" >/dev/null 2>&1 || ip link show "olabseg$x" >/dev/null 2>&1 || ip netns list | grep -q "^olab$x-" || break
  done
  local hub="olabhub$x" net="10.241.$x"
  echo "$hub" > "$dir/hub"
  ip link add "$hub" type bridge
  ip addr add "$net.1/24" dev "$hub"
  ip link set "$hub" up
  exec 9<&-
  local segment="olabseg$x"
  echo "$segment" > "$dir/segment"
  ip link add "$segment" type bridge
  ip link set "$segment" up

  rm -f "$dir/id_ed25519" "$dir/id_ed25519.pub"
  ssh-keygen -q -t ed25519 -N '' -C openstack-lab-tests -f "$dir/id_ed25519"
  "$here/test-repo.sh" "$dir/repo"
  : > "$dir/known_hosts"

  local i json="["
  for i in $(seq 1 "$n"); do
    local name="h$i" ns="olab$x-h$i" addr="$net.$((10 + i))" hd="$dir/h$i"
    mkdir -p "$hd/upper" "$hd/work" "$hd/root"
    mount -t overlay overlay -o "lowerdir=$rootfs,upperdir=$hd/upper,workdir=$hd/work" "$hd/root"
    local r="$hd/root"
    echo "$name" > "$r/etc/hostname"
    printf '127.0.0.1 localhost\n%s %s\n' "$addr" "$name" > "$r/etc/hosts"
    ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$r/etc/ssh/ssh_host_ed25519_key"
    printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nPasswordAuthentication no\n' > "$r/etc/ssh/sshd_config.d/olab.conf"
    install -d -m 0700 "$r/root/.ssh"
    install -m 0600 "$dir/id_ed25519.pub" "$r/root/.ssh/authorized_keys"
    install -d -m 0700 -o 1000 -g 1000 "$r/home/lab/.ssh"
    install -m 0600 -o 1000 -g 1000 "$dir/id_ed25519.pub" "$r/home/lab/.ssh/authorized_keys"
    mkdir -p "$r/srv/olab-repo" && cp "$dir/repo/"* "$r/srv/olab-repo/"
    echo 'deb [trusted=yes] file:/srv/olab-repo ./' > "$r/etc/apt/sources.list"
    echo "$addr $(cut -d' ' -f1,2 "$r/etc/ssh/ssh_host_ed25519_key.pub")" >> "$dir/known_hosts"
    local hostkey; hostkey=$(cut -d' ' -f1,2 "$r/etc/ssh/ssh_host_ed25519_key.pub")
    # The container mounts the same layers again in its own mount namespace.
    umount "$r"

    ip netns add "$ns"
    echo "$ns" >> "$dir/netns"
    ip link add "olab$x-h$i" type veth peer name eth0 netns "$ns"
    ip link set "olab$x-h$i" master "$hub" up
    ip -n "$ns" addr add "$addr/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip link add "olab$x-s$i" type veth peer name eth1 netns "$ns"
    ip link set "olab$x-s$i" master "$segment" up
    ip -n "$ns" link set eth1 up
    ip -n "$ns" link set lo up

    # systemd as PID 1 of a new PID namespace; --kill-child ends the whole
    # container when the recorded unshare process is killed.
    ip netns exec "$ns" unshare --pid --fork --kill-child --mount --uts --ipc --propagation private \
      sh -c 'r=$1; mount -t overlay overlay -o "$3" "$r"; hostname "$2"; mount -t proc proc "$r/proc"; mount --rbind /sys "$r/sys"; mount --rbind /dev "$r/dev"; mount -t tmpfs tmpfs "$r/run"; exec chroot "$r" env container=other /lib/systemd/systemd' \
      container "$r" "$name" "lowerdir=$rootfs,upperdir=$hd/upper,workdir=$hd/work" > "$hd/console.log" 2>&1 < /dev/null &
    echo $! > "$hd/pid"
    json+=$([ "$i" -gt 1 ] && echo ,)$(printf '{"name":"%s","address":"%s","port":22,"hostKey":"%s","pid":%s,"netns":"%s"}' \
      "$name" "$addr" "$hostkey" "$(cat "$hd/pid")" "$ns")
    log "started $name at $addr (pid $(cat "$hd/pid"))"
  done
  echo "$json]" > "$dir/hosts.json"

  for i in $(seq 1 "$n"); do
    local addr="$net.$((10 + i))" t=0
    until ssh -q -i "$dir/id_ed25519" -o UserKnownHostsFile="$dir/known_hosts" -o StrictHostKeyChecking=yes \
        -o BatchMode=yes -o ConnectTimeout=2 "root@$addr" true 2>/dev/null; do
      t=$((t + 1))
      if [ ! -e "/proc/$(cat "$dir/h$i/pid")" ] || [ "$t" -ge 90 ]; then
        log "h$i did not come up (waited $t s); its console:"
        tail -n 20 "$dir/h$i/console.log" >&2
        exit 1
      fi
      sleep 1
    done
  done
  log "$n host(s) answer SSH"
}

stop() {
  local dir=$1 hd pid
  [ -d "$dir" ] || return 0
  for hd in "$dir"/h*/; do
    [ -f "$hd/pid" ] || continue
    pid=$(cat "$hd/pid")
    # Only the process we started: it must still be our unshare.
    if { tr '\0' ' ' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -q "^unshare .*--kill-child"; then
      # unshare ignores SIGTERM while it waits; SIGKILL takes its child (the
      # container's PID 1, through --kill-child) and so the whole container.
      kill -KILL "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
    fi
    rm -f "$hd/pid"
  done
  if [ -f "$dir/netns" ]; then
    while read -r ns; do ip netns del "$ns" 2>/dev/null || true; done < "$dir/netns"
  fi
  # A start that failed half-way may have left a root mounted here.
  for hd in "$dir"/h*/; do
    if mountpoint -q "$hd/root" 2>/dev/null; then umount -l "$hd/root"; fi
  done
  if [ -f "$dir/hub" ]; then ip link del "$(cat "$dir/hub")" 2>/dev/null || true; fi
  if [ -f "$dir/segment" ]; then ip link del "$(cat "$dir/segment")" 2>/dev/null || true; fi
  rm -f "$dir/hosts.json" "$dir/hub" "$dir/segment" "$dir/netns"
  log "stopped the hosts of $dir"
}

case "${1:-}" in
  start)
    trap 'log "start failed at line $LINENO: $BASH_COMMAND"' ERR
    start "${2:?DIR}" "${3:-1}" ;;
  stop) stop "${2:?DIR}" ;;
  *) echo "usage: testhosts.sh start DIR N | stop DIR" >&2; exit 2 ;;
esac
