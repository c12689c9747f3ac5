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
cli_pid=
# The CLI build is ours: ended by its PID (and its children's) if a step beside it fails.
trap '[ -z "$cli_pid" ] || { pkill -TERM -P "$cli_pid"; kill "$cli_pid"; } 2>/dev/null' EXIT
if [ "$only_unit" = 0 ]; then
  echo "== Debian packages the test hosts need" >&2
  bash scripts/test-deps.sh
  # The CLI's Go build is CPU-bound and the image builds mostly wait on apt and the disk:
  # side by side they take little longer than the longer of the two (a fresh machine: minutes).
  echo "== pulumi CLI, built beside the images; its lines start with 'pulumi CLI |'" >&2
  bash scripts/pulumi-cli/bootstrap.sh > /dev/null 2> >(sed -u 's/^/pulumi CLI | /' >&2) &
  cli_pid=$!
  echo "== host root filesystem" >&2
  bash scripts/host-rootfs.sh >/dev/null
  echo "== OpenStack package repository (the controller test's only package source)" >&2
  bash scripts/openstack-repo.sh >/dev/null
  echo "== guest image (the controller and VM tests boot it)" >&2
  bash scripts/guest-image.sh >/dev/null
  cli_status=0
  wait "$cli_pid" || cli_status=$?
  cli_pid=
  [ "$cli_status" = 0 ] || { echo "test.sh: building the pulumi CLI failed ($cli_status): its lines above say why" >&2; exit 1; }
  echo "== pulumi CLI ready" >&2
fi
report=$(mktemp)
side_report=$(mktemp)
side_pid=
# The side lane is ours: ended by its PID if this script ends first.
trap '[ -z "$side_pid" ] || kill "$side_pid" 2>/dev/null; rm -f "$report" "$side_report"' EXIT
status=0
jest=(node_modules/.bin/jest --runInBand --verbose --json)
if [ $# -eq 0 ]; then
  # The whole suite, one file at a time in each lane. CI runs one OpenStack: the local lab's
  # e2e (the README's first command), in a lane of its own beside the files that run none.
  # Two clouds on two cores starve each other's services, and the controller e2e (the same
  # control plane on the test's own hosts, with the storage node and a compute node joining
  # and leaving) would take CI past the hour: it runs when named,
  # `scripts/test.sh tests/e2e/controller.test.ts`. So does the same lab with VM nodes, which
  # runs under TCG here, many times slower than the containers.
  side=tests/e2e/localLab.test.ts
  named_only=(tests/e2e/controller.test.ts tests/e2e/vmLab.test.ts)
  echo "== $side runs beside the files that run no OpenStack; its lines start with 'local lab |'" >&2
  echo "== ${named_only[*]} run only when named (see scripts/test.sh)" >&2
  "${jest[@]}" --outputFile="$side_report" "$side" > >(sed -u 's/^/local lab | /') 2>&1 &
  side_pid=$!
  "${jest[@]}" --outputFile="$report" --testPathIgnorePatterns "$side" "${named_only[@]}" || status=$?
  side_status=0
  wait "$side_pid" || side_status=$?
  side_pid=
  [ "$side_status" = 0 ] || status=$side_status
  reports=("$report" "$side_report")
else
  "${jest[@]}" --outputFile="$report" "$@" || status=$?
  reports=("$report")
fi
# A closing line any CI can read, whatever the runner.
node -e 'const fs = require("fs");
  const rs = process.argv.slice(1).map((f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")); } catch { return undefined; } });
  const sum = (k) => rs.reduce((n, r) => n + (r ? r[k] : 0), 0);
  const missing = rs.filter((r) => !r).length;
  // When each file ran, in seconds from the first start: where the time went, lane by lane.
  const files = rs.flatMap((r) => (r ? r.testResults : [])).sort((a, b) => a.startTime - b.startTime);
  const t0 = files.length ? files[0].startTime : 0;
  for (const f of files) {
    const s = (t) => Math.round((t - t0) / 1000);
    console.log(`time: ${String(s(f.startTime)).padStart(5)}-${String(s(f.endTime)).padEnd(5)} s  ${require("path").relative(process.cwd(), f.name)}`);
  }
  console.log(`tests: ${sum("numPassedTests")} passed, ${sum("numFailedTests")} failed, ${sum("numPendingTests")} skipped` +
    (missing ? ` (${missing} lane(s) wrote no report)` : ""));' "${reports[@]}"
exit "$status"
