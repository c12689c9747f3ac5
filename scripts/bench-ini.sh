#!/usr/bin/env bash
# Benchmark: 40 INI keys on one test host with the IniFile provider, with
# Ansible's ini_file (one task per key) and with crudini over SSH per key.
# Prints wall times and ratios. Needs root (it starts a test host) and
# installs Debian's ansible package when it is missing.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ -d node_modules/@pulumi/pulumi ] || npm ci --no-audit --no-fund
if ! ansible-doc community.general.ini_file >/dev/null 2>&1; then
  echo "bench-ini: installing Debian's ansible (for community.general.ini_file)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ansible >&2
fi
work=$(mktemp -d)
out="$root/bin/bench"
trap 'bash scripts/testhosts.sh stop "$work/hosts" >/dev/null 2>&1; rm -rf "$work" "$out"' EXIT
bash scripts/testhosts.sh start "$work/hosts" 1
npx tsc -p tsconfig.json --outDir "$out" >/dev/null
node "$out/tests/bench/iniBench.js" "$work/hosts"
