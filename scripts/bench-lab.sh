#!/usr/bin/env bash
# Benchmark: the README's first command from scratch. Brings the `local` lab
# up in a lab home of its own, then five no-op ups, then destroy, and prints the
# wall time of each step, the phases of `up` (host, nodes, controller, compute,
# first instance) and the slowest steps of `up` and `destroy`, from the
# engine's event logs. Whether the run was cold or warm is the package cache's
# size before it (apt-cacher-ng keeps its cache across labs).
# As root, on a machine where no `local` lab is up.
#   OPENSTACK_LAB_BENCH_KEEP=DIR  keeps the event logs and each step's output there
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
if lxc-info -n controller >/dev/null 2>&1 || lxc-info -n compute >/dev/null 2>&1; then
  echo "bench-lab: a controller or compute container exists already (another local lab?): destroy it first" >&2
  exit 1
fi
work=$(mktemp -d)
export OPENSTACK_LAB_HOME="$work/home"
destroyed=0
finish() {
  if [ -n "${OPENSTACK_LAB_BENCH_KEEP:-}" ]; then
    mkdir -p "$OPENSTACK_LAB_BENCH_KEEP"
    cp "$work"/*.out "$work"/*.events "$OPENSTACK_LAB_BENCH_KEEP"/ 2>/dev/null || true
  fi
  # The lab home holds the state of what is still up: never removed before destroy has succeeded.
  if [ "$destroyed" = 1 ]; then
    rm -rf "$work"
  else
    echo "bench-lab: the lab may still be up; its state is kept in $OPENSTACK_LAB_HOME (OPENSTACK_LAB_HOME=$OPENSTACK_LAB_HOME npm run lab:destroy)" >&2
  fi
}
trap finish EXIT
cache=$(du -sm /var/cache/apt-cacher-ng 2>/dev/null | cut -f1 || echo 0)
echo "bench-lab: package cache before: ${cache:-0} MiB ($([ "${cache:-0}" -gt 100 ] && echo warm || echo cold))"
timed() {  # label, then the command
  local label=$1 t0; shift
  t0=$(date +%s.%N)
  "$@" > "$work/$label.out" 2>&1 || { tail -n 40 "$work/$label.out" >&2; echo "bench-lab: $label failed" >&2; exit 1; }
  awk -v l="$label" -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%-12s %7.1f s\n", l, b - a }'
}
# pulumi registers --event-log only with its debug commands on (without it: "unknown flag").
export PULUMI_DEBUG_COMMANDS=true
timed up bash scripts/lab.sh up local --event-log "$work/up.events"
node scripts/bench-phases.js "$work/up.events" --slowest 8
# What an operator runs again (lab.sh skips the engine's preview); it must have changed nothing.
# The first right after the up, then four more: one run is too noisy a figure on two cores.
for i in 1 2 3 4 5; do
  timed "no-op-up-$i" bash scripts/lab.sh up local | tee -a "$work/no-op-times"
  grep -Eq '^Resources:$' "$work/no-op-up-$i.out" && ! grep -Eq '^ +[-+~]+ ?[0-9]+ (created|updated|deleted|replaced)' "$work/no-op-up-$i.out" \
    || { tail -n 20 "$work/no-op-up-$i.out" >&2; echo "bench-lab: no-op up $i changed something" >&2; exit 1; }
done
sort -n -k2 "$work/no-op-times" | awk 'NR == 3 { printf "%-12s %7.1f s\n", "no-op median", $2 }'
echo "state        $(du -k "$OPENSTACK_LAB_HOME/state/.pulumi/stacks/openstack-lab/local.json" | cut -f1) KiB"
timed destroy bash scripts/lab.sh destroy local --event-log "$work/destroy.events"
node scripts/bench-phases.js "$work/destroy.events" --slowest 8 --steps-only
destroyed=1
