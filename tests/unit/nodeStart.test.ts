import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// What both Node processes of a pulumi run load first (scripts/pulumi-cli/preload.js):
// the SDK without its serializer's dependencies until a serializer runs, and the
// project's TypeScript from a transpile cache, loading TypeScript only on a miss.
// Each case runs in a node of its own, as the engine starts them.

const ROOT = path.resolve(__dirname, "../..");
const PRELOAD = path.join(ROOT, "scripts/pulumi-cli/preload.js");
const CACHE = path.join(ROOT, "node_modules/.cache/openstack-lab-typescript");

function node(script: string, opts: { preload?: boolean } = {}): string {
    const args = [...(opts.preload === false ? [] : ["--require", PRELOAD]), "-e", script];
    return execFileSync("node", args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

const loaded = `(m) => Object.keys(require.cache).some((k) => k.includes("/node_modules/" + m + "/"))`;

describe("the serializer's dependencies, deferred", () => {
    it("are not loaded with the SDK, and are when a function is serialized", () => {
        const out = node(`
            const has = ${loaded};
            const pulumi = require("@pulumi/pulumi");
            const before = [has("typescript"), has("@npmcli/arborist")];
            const x = 42;
            pulumi.runtime.serializeFunction(() => x).then((sf) => {
                console.log(JSON.stringify({ before, after: has("typescript"), text: sf.text.includes("42") }));
            });`);
        expect(JSON.parse(out)).toEqual({ before: [false, false], after: true, text: true });
    });

    it("are loaded with the SDK without the preload: what it spares", () => {
        const out = node(`const has = ${loaded}; require("@pulumi/pulumi"); console.log(JSON.stringify([has("typescript"), has("@npmcli/arborist")]))`, { preload: false });
        expect(JSON.parse(out)).toEqual([true, true]);
    });
});

describe("the TypeScript loader", () => {
    let dir: string;
    beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-ts-")); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    const run = (file: string) => JSON.parse(node(`
        const has = ${loaded};
        const m = require(${JSON.stringify(file)});
        console.log(JSON.stringify({ value: m.value, dirname: m.dirname, typescript: has("typescript") }));`));

    it("transpiles a file once, then runs it from the cache without loading TypeScript, and again when its text changes", () => {
        const file = path.join(dir, "a.ts");
        const mark = `mark ${path.basename(dir)}`;
        fs.writeFileSync(file, `const n: number = 2;\nexport const value = \`\${n * 21}\`;\nexport const dirname = __dirname;\nexport const mark = "${mark}";\n`);
        // Other tests' processes may add entries meanwhile: this file's is the one with its mark.
        const entries = () => fs.readdirSync(CACHE).filter((f) => fs.readFileSync(path.join(CACHE, f), "utf8").includes(mark));
        expect(run(file)).toEqual({ value: "42", dirname: dir, typescript: true });
        expect(entries()).toHaveLength(1);
        expect(run(file)).toEqual({ value: "42", dirname: dir, typescript: false });
        expect(entries()).toHaveLength(1);
        fs.writeFileSync(file, "export const value: string = 'changed';\n");
        expect(run(file)).toMatchObject({ value: "changed", typescript: true });
    });

    it("stops on a syntax error, naming the file and line", () => {
        const file = path.join(dir, "bad.ts");
        fs.writeFileSync(file, "export const value = ;\n");
        expect(() => run(file)).toThrow(/bad\.ts\(1,22\): error TS1109: Expression expected/);
    });

    it("maps a stack trace to the TypeScript source's line", () => {
        const file = path.join(dir, "throws.ts");
        fs.writeFileSync(file, "import * as os from \"os\";\ntype T = { a: number };\n\nexport function f(): T { throw new Error(\"here \" + os.EOL.length); }\n");
        const out = node(`try { require(${JSON.stringify(file)}).f(); } catch (e) { console.log(e.stack.split("\\n")[1]); }`);
        expect(out).toContain(`${file}:4:`);
    });
});
