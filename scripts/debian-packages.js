#!/usr/bin/env node
// The Debian packages (bookworm, Zed) the lab's roles install: the
// controller's base services and each service's declaration
// (components/services/), compute and storage nodes. One per line, for
// scripts/openstack-repo.sh, which builds the tests' package repository.
//   debian-packages.js [--units] [controller|compute]
// With a role, only what a node of that role installs (the VM lab's node
// images, scripts/guest-image.sh); with --units, the systemd units the lab
// runs there instead of the packages.
"use strict";
require("./pulumi-cli/typescript-loader").register();
const { SERVICES } = require("../components/services");
const { packagesOf, unitsOf } = require("../components/services/declaration");
const { RELEASES } = require("../components/openstackPackages");

const m = RELEASES.zed.debian;
const roles = {
    controller: [...m.mariadb.packages, ...m.rabbitmq.packages, ...m.memcached.packages, ...SERVICES.flatMap((s) => packagesOf(s, "zed", "debian"))],
    compute: m.compute.packages,
};
// What other components install on a node of the role: iptables for its
// firewall rules, curl on the controller for the first instance's image.
const alsoOnNodes = { controller: ["iptables", "curl"], compute: ["iptables"] };
const units = {
    controller: [...m.mariadb.units, ...m.rabbitmq.units, ...m.memcached.units, ...SERVICES.flatMap((s) => unitsOf(s, "zed", "debian"))],
    compute: m.compute.units,
};
const args = process.argv.slice(2);
const wantUnits = args[0] === "--units";
const role = wantUnits ? args[1] : args[0];
if ((role !== undefined || wantUnits) && !(role in roles)) {
    process.stderr.write(`debian-packages.js: unknown role ${JSON.stringify(role)} (want ${Object.keys(roles).join(" or ")})\n`);
    process.exit(2);
}
const names = wantUnits ? units[role]
    : role ? [...roles[role], ...alsoOnNodes[role]] : [...roles.controller, ...roles.compute, ...m.storage.packages, ...m.iscsi.packages];
process.stdout.write([...new Set(names)].join("\n") + "\n");
