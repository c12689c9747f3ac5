// lab.sh's one way into backend-check.js and stack-config.js: the steps
// around a pulumi run in one node process, because each node start costs
// this machine about 0.15 s and a no-op `lab.sh up` ran four of them. Steps
// run in order and the first that stops stops the rest, as separate calls
// under `set -e` would; an empty step (a trailing `--`) is none.
//   node before-pulumi.js STEP [-- STEP ...]
//   STEP: backend-check STATE_DIR PROJECT STACK | onto-shims STACK KEEP_DIR
//       | prepare SAVED INIT | compose REPO SAVED OUT | adopt-salt EFFECTIVE SAVED
// onto-shims runs only when the backend check before it found resources that
// recorded their provider's own code (scripts/state-onto-shims.js).
"use strict";
const backend = require("./backend-check");
const ontoShims = require("./state-onto-shims");
const stackConfig = require("./stack-config");

const steps = [[]];
for (const a of process.argv.slice(2)) {
    if (a === "--") steps.push([]);
    else steps[steps.length - 1].push(a);
}
let withOwnCode;
try {
    for (const step of steps.filter((s) => s.length)) {
        if (step[0] === "backend-check") withOwnCode = backend.run(step.slice(1));
        else if (step[0] === "onto-shims") {
            const said = withOwnCode === 0 ? undefined : ontoShims.run(step.slice(1));
            if (said) console.error(`lab.sh: ${said}`);
        } else stackConfig.run(step);
    }
} catch (e) {
    if (![backend.Stop, ontoShims.Stop, stackConfig.Stop].some((t) => e instanceof t)) throw e;
    console.error(`lab.sh: ${e.message}`);
    process.exit(1);
}
