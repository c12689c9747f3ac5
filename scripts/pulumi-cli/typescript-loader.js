// Runs the project's TypeScript in both Node processes of a pulumi run: the
// program (Pulumi.yaml's nodeargs) and the dynamic-provider process
// (providers/entry.js). Each file is transpiled the way ts-node transpiles it
// (TypeScript's transpileModule with tsconfig.json's options, no type check:
// `npm test` runs tsc), and the result is kept in a cache keyed by the file's
// path and text, tsconfig.json, the TypeScript version and this file.
// TypeScript itself is loaded only to transpile a file the cache lacks:
// loading it is half a second of each process's start on a two-core machine,
// and a no-op `up` starts two.
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const Module = require("module");
const path = require("path");

const root = path.resolve(__dirname, "..", "..");
const tsconfig = path.join(root, "tsconfig.json");
const cacheDir = path.join(root, "node_modules", ".cache", "openstack-lab-typescript");

let ts;
let options;
let salt;
/** Transpiled text by file name, for the source maps of stack traces. */
const transpiled = new Map();

function typescriptPath(file) {
    try {
        return require.resolve(file, { paths: [root] });
    } catch {
        throw new Error(`scripts/pulumi-cli/typescript-loader.js: TypeScript is not installed in ${root}/node_modules (the program runs from it): run npm ci`);
    }
}

/** What a cached file depends on besides its own text and path. */
function settings() {
    if (salt !== undefined) return salt;
    const tsVersion = JSON.parse(fs.readFileSync(typescriptPath("typescript/package.json"), "utf8")).version;
    // This file's own text: a change to how it transpiles makes every entry stale.
    salt = `${fs.readFileSync(__filename, "utf8")}\0${tsVersion}\0${fs.readFileSync(tsconfig, "utf8")}`;
    return salt;
}

function transpile(source, filename) {
    if (!ts) {
        ts = require(typescriptPath("typescript"));
        const read = ts.readConfigFile(tsconfig, ts.sys.readFile);
        if (read.error) throw new Error(`tsconfig.json: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
        options = {
            ...ts.parseJsonConfigFileContent(read.config, ts.sys, root).options,
            // The map goes into the text, which is all this process has of it.
            sourceMap: false, inlineSourceMap: true, inlineSources: true, declaration: false, noEmit: false,
        };
    }
    const out = ts.transpileModule(source, { compilerOptions: options, fileName: filename, reportDiagnostics: true });
    const errors = (out.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length) {
        throw new SyntaxError(ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" }));
    }
    return out.outputText;
}

function load(module, filename) {
    const source = fs.readFileSync(filename, "utf8");
    const key = crypto.createHash("sha256").update(settings()).update("\0").update(filename).update("\0").update(source).digest("hex");
    const cached = path.join(cacheDir, `${key}.js`);
    let code;
    try {
        code = fs.readFileSync(cached, "utf8");
    } catch {
        code = transpile(source, filename);
        try {
            // Written whole or not at all: two processes may transpile the same file at once.
            fs.mkdirSync(cacheDir, { recursive: true });
            const tmp = `${cached}.${process.pid}`;
            fs.writeFileSync(tmp, code);
            fs.renameSync(tmp, cached);
        } catch {
            // A cache that cannot be written only costs the next start the transpile again.
        }
    }
    transpiled.set(filename, code);
    module._compile(code, filename);
}

let registered = false;
/** Makes `require` of a .ts file in this process run it; once per process. */
function register() {
    if (registered) return;
    registered = true;
    Module._extensions[".ts"] = load;
    require(require.resolve("source-map-support", { paths: [root, path.join(root, "node_modules", "@pulumi", "pulumi")] })).install({
        environment: "node",
        retrieveFile: (file) => transpiled.get(file) ?? null,
    });
}

module.exports = { register };
