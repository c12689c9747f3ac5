import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TestHost, TestHosts } from "../helpers/testHosts";
import { TestStack } from "../helpers/pulumiCli";
import { THIN_MARK } from "../../providers/thin";
import { copyProject, oneHostLab } from "../helpers/projectCopy";

// The state holds a shim per resource (providers/thin.ts), not the provider's
// code: a lab brought up by the code from before the shims moves onto them
// (scripts/state-onto-shims.js, or its next up) without a replacement or a
// command on its host, and once on them, a provider fixed in a checkout that
// has moved runs on refresh and delete.

const ROOT = path.resolve(__dirname, "../..");
/** The last landed commit whose providers carried their own code into the state. */
const BEFORE_SHIMS = "b40c61b";
/** The last landed commit whose resource kinds were written out by hand, before providers/kit.ts. */
const BEFORE_KIT = "98d1ab4";

let hosts: TestHosts;
let h1: TestHost;
let stack: TestStack;
let scratch: string;
let commandLog: string;

const hasCommit = (commit: string) => {
    try {
        execFileSync("git", ["-C", ROOT, "cat-file", "-e", `${commit}^{commit}`], { stdio: "ignore" });
        return true;
    } catch {
        return false;
    }
};

const projectCopy = (name: string, commit?: string) => copyProject(path.join(scratch, name), { commit });

/**
 * The code from before the shims: that commit where the checkout has its history;
 * in a shallow clone, today's code with each resource given its implementation
 * itself, which is what that commit's resources recorded.
 */
function codeBeforeShims(): string {
    if (hasCommit(BEFORE_SHIMS)) return projectCopy("before-shims", BEFORE_SHIMS);
    const dir = projectCopy("before-shims");
    fs.writeFileSync(path.join(dir, "providers/thin.ts"), `import * as pulumi from "@pulumi/pulumi";
export const THIN_MARK = ${JSON.stringify(THIN_MARK)};
export class ShimResource extends pulumi.dynamic.Resource {
    constructor(kind: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        super(require("./registry").providers[kind], name, props, opts, "openstack-lab", kind);
    }
}
`);
    return dir;
}

function resources(): { type: string; inputs?: Record<string, unknown>; outputs?: Record<string, unknown> }[] {
    return JSON.parse(stack.exportState()).deployment.resources;
}

const commandsRun = () => fs.existsSync(commandLog) ? fs.readFileSync(commandLog, "utf8").trim().split("\n").filter(Boolean) : [];

beforeAll(() => {
    hosts = TestHosts.start(1);
    [h1] = hosts.hosts;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "olab-shims-"));
    stack = new TestStack();
    commandLog = path.join(stack.dir, "commands.log");
    stack.writeConfig(oneHostLab(h1));
    stack.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
}, 300_000);

afterAll(() => {
    try {
        stack?.dispose();
    } finally {
        hosts?.stop();
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    }
}, 300_000);

describe("provider shims in the state", () => {
    let created: number;

    it("a lab brought up by the code from before the shims carries that code in its state", () => {
        const old = codeBeforeShims();
        stack.op("up", [], { check: true, cwd: old });
        const dynamic = resources().filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
        created = dynamic.length;
        expect(created).toBeGreaterThan(5);
        for (const r of dynamic) expect(String(r.outputs!.__provider).length).toBeGreaterThan(10_000);
    });

    it("is moved onto the shims by scripts/state-onto-shims.js, the state from before kept; then preview and up change nothing on the host", () => {
        const keep = path.join(scratch, "kept");
        const moved = stack.exec("node", ["scripts/state-onto-shims.js", stack.name, keep], { check: true });
        expect(moved.stderr).toMatch(new RegExp(`moved ${created} resources recorded with their own provider code onto the provider shims, with nothing else changed`));
        const [kept] = fs.readdirSync(keep);
        expect(kept).toMatch(new RegExp(`^${stack.name}-before-shims-.*\\.json$`));
        expect(fs.statSync(path.join(keep, kept)).mode & 0o777).toBe(0o600);
        const before = JSON.parse(fs.readFileSync(path.join(keep, kept), "utf8")).deployment.resources;
        expect(before.filter((r: { outputs?: { __provider?: string } }) => String(r.outputs?.__provider ?? "").length > 10_000)).toHaveLength(created);
        for (const res of resources().filter((x) => x.type.startsWith("pulumi-nodejs:dynamic"))) {
            for (const props of [res.inputs!, res.outputs!]) {
                expect(String(props.__provider)).toContain(THIN_MARK);
                expect(String(props.__provider).length).toBeLessThan(2048);
            }
        }
        // Nothing is left to move: a second run says nothing and keeps nothing more.
        const again = stack.exec("node", ["scripts/state-onto-shims.js", stack.name, keep], { check: true });
        expect(again.stderr).toBe("");
        expect(fs.readdirSync(keep)).toEqual([kept]);

        // The preview compares real values: no possible replacement anywhere.
        const preview = stack.op("preview", ["--diff"], { check: true });
        expect(preview.stdout).not.toMatch(/replace|to create|to delete|\+-|-\+|\[unknown\]/);
        const up = stack.op("up", ["--diff"], { check: true, env: { OPENSTACK_LAB_COMMAND_LOG: commandLog } });
        expect(up.stdout).not.toMatch(/replace|to create|to delete|\+-|-\+/);
        expect(commandsRun()).toEqual([]);
        expect(hosts.ssh(h1, "cat /etc/olab/motd")).toBe("a lab\n");
        expect(stack.op("up", ["--expect-no-changes"], { env: { OPENSTACK_LAB_COMMAND_LOG: commandLog } }).code).toBe(0);
        expect(commandsRun()).toEqual([]);

        // Without the script (pulumi run by hand), the up itself moves each resource, with an update that runs nothing.
        stack.cli(["stack", "import", "--stack", stack.name, "--file", path.join(keep, kept)], { check: true });
        const byUp = stack.op("up", ["--diff"], { check: true, env: { OPENSTACK_LAB_COMMAND_LOG: commandLog } });
        expect(byUp.stdout).not.toMatch(/replace|to create|to delete|\+-|-\+/);
        expect(byUp.stdout).toMatch(new RegExp(`~ ${created} updated`));
        expect(commandsRun()).toEqual([]);
        expect(stack.op("up", ["--expect-no-changes"]).code).toBe(0);
    });

    it("runs a provider fixed after the resource was made on refresh and delete, from a checkout that has moved", () => {
        const moved = projectCopy("moved");
        // The fix: the file provider now leaves a mark on the host each time it reads or deletes.
        const file = path.join(moved, "providers/remoteFile.ts");
        const src = fs.readFileSync(file, "utf8");
        const fixed = src
            .replace('import { ConnectionArgs, withHost } from "./transport";', 'import { ConnectionArgs, run, withHost } from "./transport";')
            .replace(/(async read\(id: string, props: RemoteFileOutputs\) \{)/, `$1\n        await withHost(props.connection, (t) => run(t, "fixed read", \`echo read \${props.path} >> /root/olab-fixed\`));`)
            .replace(/(async delete\(_id: string, olds: RemoteFileOutputs\) \{)/, `$1\n        await withHost(olds.connection, (t) => run(t, "fixed delete", \`echo delete \${olds.path} >> /root/olab-fixed\`));`);
        expect(fixed.match(/olab-fixed/g)).toHaveLength(2);
        fs.writeFileSync(file, fixed);

        // Each file of the lab is read on refresh (by its preview, then by the refresh) and deleted on destroy.
        const files = resources().filter((r) => r.type.endsWith(":RemoteFile")).map((r) => String(r.outputs!.path)).sort();
        expect(files).toContain("/etc/olab/motd");
        const marks = () => [...new Set(hosts.ssh(h1, "cat /root/olab-fixed").split("\n").filter(Boolean))].sort();
        stack.op("refresh", [], { check: true, cwd: moved });
        expect(marks()).toEqual(files.map((f) => `read ${f}`));
        stack.op("destroy", [], { check: true, cwd: moved });
        expect(marks()).toEqual([...files.map((f) => `delete ${f}`), ...files.map((f) => `read ${f}`)].sort());
        expect(hosts.ssh(h1, "test -e /etc/olab/motd && echo left || echo gone")).toBe("gone\n");
    });
});

describe("a lab made by the code from before the provider kit", () => {
    // Only a clone with history has that code; a shallow one has nothing to compare with.
    const itWithHistory = hasCommit(BEFORE_KIT) ? it : it.skip;
    if (!hasCommit(BEFORE_KIT)) console.log(`skipped: this clone lacks commit ${BEFORE_KIT} (shallow), the code from before the provider kit`);
    let kitStack: TestStack | undefined;
    afterAll(() => kitStack?.dispose(), 300_000);

    itWithHistory("has nothing to change for today's code: the same types, inputs and diffs, and no command on the host", () => {
        kitStack = new TestStack();
        kitStack.writeConfig(oneHostLab(h1));
        kitStack.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
        kitStack.op("up", [], { check: true, cwd: projectCopy("before-kit", BEFORE_KIT) });
        const log = path.join(kitStack.dir, "commands.log");
        const r = kitStack.op("up", ["--expect-no-changes", "--diff"], { env: { OPENSTACK_LAB_COMMAND_LOG: log } });
        expect(r.code).toBe(0);
        expect(fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim() : "").toBe("");
    });
});
