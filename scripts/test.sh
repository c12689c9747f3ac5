#!/usr/bin/env bash
# The project's tests: type check, then unit, integration and e2e suites.
# Integration and e2e start their own hosts (network namespaces, system
# containers), so this runs as root; they run one file at a time.
#   scripts/test.sh [jest args...]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
[ "$(id -u)" = 0 ] || { echo "test.sh: the integration and e2e suites create namespaces: run as root" >&2; exit 1; }
[ -d node_modules/@pulumi/pulumi ] || npm ci --no-audit --no-fund
echo "== type check" >&2
npx tsc -p tsconfig.json --noEmit
# Unit tests need neither hosts nor images; anything else may.
only_unit=0
if [ $# -gt 0 ]; then
  only_unit=1
  for a in "$@"; do case "$a" in tests/unit*|-*) ;; *) only_unit=0 ;; esac; done
fi
if [ "$only_unit" = 0 ]; then
  echo "== Debian packages the test hosts need" >&2
  bash scripts/test-deps.sh
  echo "== pulumi CLI" >&2
  bash scripts/pulumi-cli/bootstrap.sh >/dev/null
  echo "== host root filesystem" >&2
  bash scripts/host-rootfs.sh >/dev/null
  echo "== OpenStack package repository (the controller test's only package source)" >&2
  bash scripts/openstack-repo.sh >/dev/null
fi
report=$(mktemp)
trap 'rm -f "$report"' EXIT
status=0
npx jest --runInBand --verbose --json --outputFile="$report" "$@" || status=$?
# A closing line any CI can read, whatever the runner.
node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped`);' "$report"
exit "$status"
