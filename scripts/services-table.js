#!/usr/bin/env node
// Writes the README's table of the controller's services from their
// declarations (components/services/): `node scripts/services-table.js`.
// A unit test fails while the README's table differs from what this writes.
"use strict";
const fs = require("fs");
const path = require("path");
require("./pulumi-cli/typescript-loader").register();
const { SERVICES } = require("../components/services");
const { renderServicesTable, withServicesTable } = require("../render/servicesTable");

const readme = path.join(__dirname, "..", "README.md");
const before = fs.readFileSync(readme, "utf8");
const after = withServicesTable(before, renderServicesTable(SERVICES));
if (after === before) console.log("services-table: README.md is up to date");
else {
    fs.writeFileSync(readme, after);
    console.log("services-table: README.md's table written");
}
