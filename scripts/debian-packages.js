#!/usr/bin/env node
// The Debian packages (bookworm, Zed) the lab's roles install: the
// controller's base services and each service's declaration
// (components/services/), compute and storage nodes. One per line, for
// scripts/openstack-repo.sh, which builds the tests' package repository.
"use strict";
const path = require("path");
const ts = require("@pulumi/pulumi/tsutils").typeScriptRequireStrings();
require(ts.tsnodeRequire).register({ compiler: ts.typescriptRequire, transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
const { SERVICES } = require("../components/services");
const { packagesOf } = require("../components/services/declaration");
const { RELEASES } = require("../components/openstackPackages");

const m = RELEASES.zed.debian;
const names = [
    ...m.mariadb.packages, ...m.rabbitmq.packages, ...m.memcached.packages,
    ...SERVICES.flatMap((s) => packagesOf(s, "zed", "debian")),
    ...m.compute.packages, ...m.storage.packages, ...m.iscsi.packages,
];
process.stdout.write([...new Set(names)].join("\n") + "\n");
