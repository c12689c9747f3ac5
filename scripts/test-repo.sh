#!/usr/bin/env bash
# Builds a small local apt repository in DIR for the test hosts, which have
# no route to any package mirror:
#   olab-test-utils  a file and a systemd unit (olab-test.service) it does not enable
#   olab-test-extra  a file and a config file (/etc/olab-test-extra.conf)
#   olab-test-needs-extra     depends on olab-test-extra
#   olab-test-suggests-extra  suggests olab-test-extra
set -euo pipefail
dir=${1:?usage: test-repo.sh DIR}
mkdir -p "$dir"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

build() {  # name description [unit] [control lines] [config file]
  local name=$1 pkg="$work/$1"
  mkdir -p "$pkg/DEBIAN" "$pkg/usr/share/$name"
  echo "installed by openstack-lab tests" > "$pkg/usr/share/$name/marker"
  if [ -n "${3:-}" ]; then
    mkdir -p "$pkg/lib/systemd/system"
    printf '[Unit]\nDescription=openstack-lab test service\n\n[Service]\nExecStart=/bin/sleep infinity\n\n[Install]\nWantedBy=multi-user.target\n' \
      > "$pkg/lib/systemd/system/$3"
  fi
  if [ -n "${5:-}" ]; then
    mkdir -p "$pkg$(dirname "$5")"
    echo "setting = shipped" > "$pkg$5"
    echo "$5" > "$pkg/DEBIAN/conffiles"
  fi
  printf 'Package: %s\nVersion: 1.0\nArchitecture: all\nMaintainer: openstack-lab <lab@localhost>\n%sDescription: %s\n' \
    "$name" "${4:-}" "$2" > "$pkg/DEBIAN/control"
  dpkg-deb --root-owner-group -b "$pkg" "$dir/${name}_1.0_all.deb" >/dev/null
}
build olab-test-utils "openstack-lab test package with a service" olab-test.service
build olab-test-extra "openstack-lab test package" "" "" /etc/olab-test-extra.conf
build olab-test-needs-extra "openstack-lab test package with a dependency" "" $'Depends: olab-test-extra\n'
build olab-test-suggests-extra "openstack-lab test package with a suggestion" "" $'Suggests: olab-test-extra\n'
(cd "$dir" && dpkg-scanpackages --multiversion . /dev/null > Packages 2>/dev/null)
