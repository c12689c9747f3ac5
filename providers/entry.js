// What the shims in the state load (providers/thin.ts), in JavaScript because
// it is what puts TypeScript in place: the engine's dynamic-provider process
// runs in the project's directory, and a launcher other than this project's
// (scripts/pulumi-cli/pulumi-resource-pulumi-nodejs) registers nothing.
"use strict";

/** Lets this process require the project's TypeScript (also scripts/state-onto-shims.js). */
function registerTypeScript() {
    require("../scripts/pulumi-cli/typescript-loader").register();
}

let dispatch;

exports.registerTypeScript = registerTypeScript;
/** What a shim's method calls (shims recorded before `provider` below call it themselves). */
exports.run = (mark, kind, method, args) => {
    if (!dispatch) {
        registerTypeScript();
        dispatch = require("./registry").dispatch;
    }
    return dispatch(mark, kind, method, args);
};
/** What a shim's handler gives the engine: every method it may call, each through run. */
exports.provider = (mark, kind) => Object.fromEntries(["check", "diff", "create", "read", "update", "delete"]
    .map((method) => [method, (...args) => exports.run(mark, kind, method, args)]));
