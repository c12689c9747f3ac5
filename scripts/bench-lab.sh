#!/usr/bin/env bash
# Benchmark: the README's first command from scratch. Brings the `local` lab
# up in a lab home of its own, then a no-op up, then destroy, and prints the
# wall time of each phase (host, nodes, controller, compute, first instance)
# from the engine's event log. Whether the run was cold or warm is the package
# cache's size before it (apt-cacher-ng keeps its cache across labs).
# As root, on a machine where no `local` lab is up.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if lxc-info -n controller >/dev/null 2>&1 || lxc-info -n compute >/dev/null 2>&1; then
  echo "bench-lab: a controller or compute container exists already (another local lab?): destroy it first" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OPENSTACK_LAB_HOME="$work/home"
cache=$(du -sm /var/cache/apt-cacher-ng 2>/dev/null | cut -f1 || echo 0)
echo "bench-lab: package cache before: ${cache:-0} MiB ($([ "${cache:-0}" -gt 100 ] && echo warm || echo cold))"
timed() {  # label, then the command
  local label=$1 t0; shift
  t0=$(date +%s.%N)
  "$@" > "$work/$label.out" 2>&1 || { tail -n 40 "$work/$label.out" >&2; echo "bench-lab: $label failed" >&2; exit 1; }
  awk -v l="$label" -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%-12s %7.1f s\n", l, b - a }'
}
# pulumi registers --event-log only with its debug commands on (without it: "unknown flag").
timed up env PULUMI_DEBUG_COMMANDS=true bash scripts/lab.sh up local --event-log "$work/up.events"
node scripts/bench-phases.js "$work/up.events"
timed no-op-up bash scripts/lab.sh up local --expect-no-changes
timed destroy bash scripts/lab.sh destroy local
