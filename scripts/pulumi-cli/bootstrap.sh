#!/usr/bin/env bash
# Prints a directory holding `pulumi`, `pulumi-language-nodejs` and
# `pulumi-resource-pulumi-nodejs`, ready to be put first on PATH.
#
# A `pulumi` already on PATH is used as it is. Otherwise the CLI is built
# from Go modules (the Pulumi installers cannot download on lab machines)
# into a cache keyed by version, and the cache is reused while the version
# matches. Progress goes to stderr; only the directory goes to stdout.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
version=$(awk '$1 == "github.com/pulumi/pulumi/pkg/v3" { print $2 }' "$here/go.mod")
[ -n "$version" ] || { echo "bootstrap: no github.com/pulumi/pulumi/pkg/v3 in $here/go.mod" >&2; exit 1; }

# Read without starting node (a fifth of a second of every lab.sh run here).
sdk=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p;T;q' "$here/../../node_modules/@pulumi/pulumi/package.json" 2>/dev/null || true)
if [ -n "$sdk" ] && [ "v$sdk" != "$version" ]; then
  echo "bootstrap: @pulumi/pulumi is $sdk but scripts/pulumi-cli/go.mod pins $version; keep them equal" >&2
  exit 1
fi

if [ "${OPENSTACK_LAB_BUILD_PULUMI:-}" != 1 ] && existing=$(command -v pulumi 2>/dev/null); then
  dir=$(dirname "$existing")
  # The dynamic-provider launcher may not be beside a pulumi someone
  # installed; ours is harmless to add after it.
  if [ ! -x "$dir/pulumi-resource-pulumi-nodejs" ]; then
    echo "$dir:$here"
  else
    echo "$dir"
  fi
  exit 0
fi

cache=${OPENSTACK_LAB_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/openstack-lab}
bin="$cache/pulumi-$version/bin"
# Each part is rebuilt only when what it is built from changes: the CLI takes
# minutes, the language host seconds, and the launcher is a copy.
cli_from=$(cat "$here/go.mod" "$here/go.sum" | sha256sum | cut -d' ' -f1)
host_from=$(cat "$here/go.mod" "$here/go.sum" "$here/langhost/main.go" | sha256sum | cut -d' ' -f1)
current() { [ -x "$bin/$1" ] && [ "$(cat "$bin/.$1.from" 2>/dev/null)" = "$2" ]; }
mkdir -p "$bin"
cmp -s "$here/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs" ||
  install -m 0755 "$here/pulumi-resource-pulumi-nodejs" "$bin/pulumi-resource-pulumi-nodejs"
if current pulumi "$cli_from" && current pulumi-language-nodejs "$host_from"; then
  echo "$bin"
  exit 0
fi
# Go's own installer puts it in /usr/local/go, which is not always on PATH.
command -v go >/dev/null || { [ -x /usr/local/go/bin/go ] && PATH="$PATH:/usr/local/go/bin"; }
command -v go >/dev/null || { echo "bootstrap: Go is needed to build the Pulumi CLI $version (apt-get install golang or /usr/local/go)" >&2; exit 1; }
cd "$here"
# go.sum in this directory pins every module hash; the public checksum
# database does not know some Pulumi module versions, so it is not asked
# about them.
export GONOSUMDB="github.com/pulumi/*" GOFLAGS=-mod=readonly
if ! current pulumi "$cli_from"; then
  echo "bootstrap: building the Pulumi CLI $version from Go modules into $bin (several minutes, once)" >&2
  go build -trimpath -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$version" -o "$bin/pulumi" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  echo "$cli_from" > "$bin/.pulumi.from"
  echo "bootstrap: built $("$bin/pulumi" version)" >&2
fi
if ! current pulumi-language-nodejs "$host_from"; then
  echo "bootstrap: building the Node.js language host into $bin" >&2
  go build -trimpath -ldflags "-X main.Version=${version#v}" -o "$bin/pulumi-language-nodejs" ./langhost
  echo "$host_from" > "$bin/.pulumi-language-nodejs.from"
fi
echo "$bin"
