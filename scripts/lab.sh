#!/usr/bin/env bash
# Runs pulumi for a lab with everything it needs set up:
#   scripts/lab.sh up [STACK] [pulumi args...]        (STACK defaults to `local`)
#   scripts/lab.sh preview|refresh|destroy [STACK] [...]
#   scripts/lab.sh status [STACK]     (refresh, then the node table: seed 003's status table)
#   scripts/lab.sh config [STACK] set --secret KEY < value   (any `pulumi config` call;
#       set and rm write this lab home's file, other calls read the composed config)
#   scripts/lab.sh output [STACK] [NAME] [--show-secrets]   (the lab's outputs: adminrc, nodes, ...)
#   scripts/lab.sh verify [STACK] [--regex R | TEST_ID...]   (Tempest on the controller, --smoke by
#       default; needs `openstack-lab:tempest` in the stack file; records go to the lab home's verify/)
# The state lives in a local file backend and secrets are encrypted with a
# passphrase generated on first use; no Pulumi account is involved.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cmd=${1:?usage: lab.sh up|preview|refresh|status|destroy|config|output|verify [STACK] [pulumi args...]}
shift
stack=local
if [ $# -gt 0 ] && [ -f "$root/Pulumi.$1.yaml" ]; then stack=$1; shift; fi
[ -f "$root/Pulumi.$stack.yaml" ] || { echo "lab.sh: no Pulumi.$stack.yaml in $root" >&2; exit 1; }

home=${OPENSTACK_LAB_HOME:-$HOME/.openstack-lab}
mkdir -p "$home/state"
chmod 0700 "$home"
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  if [ ! -s "$home/passphrase" ]; then
    (umask 077; head -c 32 /dev/urandom | base64 > "$home/passphrase")
    echo "lab.sh: generated the secrets passphrase in $home/passphrase (keep it with the state)" >&2
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$home/passphrase"
fi
export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$home/state}
export PULUMI_SKIP_UPDATE_CHECK=true

cd "$root"
[ -d node_modules/@pulumi/pulumi ] || npm ci --no-audit --no-fund
bin=$(bash scripts/pulumi-cli/bootstrap.sh)
export PATH="$bin:$PATH"
# The checkout's stack file defines the lab. This lab home's salt and the
# values set with `lab.sh config set` live in a stack config file of their own
# that only pulumi writes; they are merged into the file pulumi runs with.
effective="$home/Pulumi.$stack.yaml"
saved="$home/$stack.secrets.yaml"
writes_home=0
[ "$cmd" = config ] && case "${1:-}" in set|set-all|rm|rm-all) writes_home=1 ;; esac
config_steps=(prepare "$saved" "$home/init/Pulumi.$stack.yaml")
# Setting or removing a value needs only this home's file: so a value that makes the
# composed config invalid can always be put right.
[ "$writes_home" = 1 ] || config_steps+=(-- compose "Pulumi.$stack.yaml" "$saved" "$effective")
# Every pulumi call below names the stack, so an existing one needs no `stack select`.
backend_check=()
if [ "$PULUMI_BACKEND_URL" = "file://$home/state" ]; then
  known=0; [ -e "$home/state/.pulumi/stacks/openstack-lab/$stack.json" ] && known=1
  # A killed run may have left a lock or a cut-short file: repaired where safe, else a clear stop.
  backend_check=(backend-check "$home/state" openstack-lab "$stack" --)
  # A state written before the provider shims is moved onto them before the engine reads it.
  case "$cmd" in up|preview|refresh|status|destroy) [ "$known" = 0 ] || backend_check+=(onto-shims "$stack" "$home/kept" --) ;; esac
else
  known=0; pulumi stack select "$stack" --non-interactive >/dev/null 2>&1 && known=1
fi
if [ "$known" = 0 ]; then
  # The backend is checked before `stack init` writes to it.
  [ "${#backend_check[@]}" = 0 ] || node scripts/before-pulumi.js "${backend_check[@]}"
  backend_check=()
  # Created from a bare project directory: `stack init` in the checkout would
  # write this home's salt into the checkout's stack file.
  mkdir -p "$home/init"
  printf 'name: openstack-lab\nruntime: nodejs\n' > "$home/init/Pulumi.yaml"
  pulumi stack init "$stack" --non-interactive -C "$home/init" >/dev/null
fi
node scripts/before-pulumi.js "${backend_check[@]}" "${config_steps[@]}"
# A salt pulumi wrote into the composed file (a stack made before this home had
# one) is kept in the lab home; a home that has its salt needs no node for that.
trap 'grep -q "^encryptionsalt:" "$saved" 2>/dev/null || node scripts/before-pulumi.js adopt-salt "$effective" "$saved"' EXIT
common=(--non-interactive --stack "$stack" --config-file "$effective")
case "$cmd" in
  up)
    # With --yes the engine's preview asks no one: it only runs the program and every diff twice.
    # It stays when the caller expects no changes, so that a change fails before anything is applied.
    preview=(--skip-preview)
    for a in "$@"; do [ "$a" != --expect-no-changes ] || preview=(); done
    pulumi up --yes "${preview[@]}" "${common[@]}" "$@" ;;
  destroy) pulumi destroy --yes "${common[@]}" "$@" ;;
  # The program runs so that outputs computed from what refresh reads (the node table) follow it.
  refresh) pulumi refresh --yes --run-program "${common[@]}" "$@" ;;
  status)
    pulumi refresh --yes --run-program --skip-preview "${common[@]}" "$@" >/dev/null
    pulumi stack output statusTable --stack "$stack" ;;
  preview) pulumi preview "${common[@]}" "$@" ;;
  config)
    if [ "$writes_home" = 1 ]; then pulumi config --stack "$stack" --config-file "$saved" "$@"
    else pulumi config --stack "$stack" --config-file "$effective" "$@"; fi ;;
  output) pulumi stack output --stack "$stack" "$@" ;;
  verify)
    # The output holds the controller's login: it goes to the runner on a pipe, never on a command line.
    target=$(pulumi stack output tempest --show-secrets --json --stack "$stack" 2>/dev/null) || target=
    if [ -z "$target" ] || [ "$target" = null ]; then
      echo "lab.sh: $stack has no Tempest workspace: add \`openstack-lab:tempest: {}\` to Pulumi.$stack.yaml, then lab.sh up $stack" >&2
      exit 1
    fi
    printf '%s' "$target" | node scripts/verify.js "$home/verify" "$stack" "$@" ;;
  *) echo "lab.sh: unknown command $cmd" >&2; exit 2 ;;
esac
