// lab.sh verify's runner: reads the lab's `tempest` output (a secret: the
// controller's login) on stdin, never from its command line, and runs
// Tempest there (scripts/verify/tempestRun.ts).
//   node scripts/verify.js RECORDS_DIR STACK [--regex R | TEST_ID...] < output.json
"use strict";
require("./pulumi-cli/typescript-loader").register();
const { regexOf, verify } = require("./verify/tempestRun");

const [recordsDir, stack, ...rest] = process.argv.slice(2);
let regex;
if (rest[0] === "--regex") {
    if (!rest[1]) throw new Error("verify: --regex needs a pattern");
    regex = rest[1];
} else {
    regex = regexOf(rest);
}
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", () => {
    const target = JSON.parse(input);
    verify(target, { regex, recordsDir, stack }).then((code) => process.exit(code), (err) => {
        console.error(`verify: ${err.message}`);
        process.exit(1);
    });
});
