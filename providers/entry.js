// What the shims in the state load (providers/thin.ts), in JavaScript because
// it is what puts TypeScript in place: the engine's dynamic-provider process
// runs in the project's directory with nothing registered. It uses the same
// ts-node the program runs under, transpiling only (scripts/test.sh
// type-checks), once per process.
"use strict";
const path = require("path");

let dispatch;

exports.run = (mark, kind, method, args) => {
    if (!dispatch) {
        const ts = require("@pulumi/pulumi/tsutils").typeScriptRequireStrings();
        require(ts.tsnodeRequire).register({ compiler: ts.typescriptRequire, transpileOnly: true, project: path.join(__dirname, "..", "tsconfig.json") });
        dispatch = require("./registry").dispatch;
    }
    return dispatch(mark, kind, method, args);
};
