// Moves a stack whose state was written before the provider shims onto them:
// each resource that recorded its provider's whole code gets its kind's shim
// (providers/thin.ts) in place of that code, through `pulumi stack export`
// and `import`, with the state from before kept in a file beside the lab.
//
// Why not leave it to the next `up`: that moves such a resource with an
// update, and the engine cannot run a dynamic provider's update in a preview,
// so the preview before it takes what only an update returns (a key pair's
// public key, a container's login) as unknown, and shows everything built on
// it as a possible replacement. Once moved here, the preview compares real
// values, and the `up` has nothing to move.
//
//   node scripts/state-onto-shims.js STACK KEEP_DIR
// with pulumi on PATH and the stack's backend in the environment. lab.sh runs
// it through before-pulumi.js when the backend check finds such a resource.
"use strict";
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

class Stop extends Error {}

const PREFIX = "pulumi-nodejs:dynamic/openstack-lab:";
const root = path.resolve(__dirname, "..");

/** The shims' mark, read from providers/thin.ts without loading TypeScript. */
function thinMark() {
    const m = fs.readFileSync(path.join(root, "providers", "thin.ts"), "utf8").match(/export const THIN_MARK = ("[^"]+");/);
    if (!m) throw new Error("scripts/state-onto-shims.js: providers/thin.ts has no THIN_MARK");
    return JSON.parse(m[1]);
}

/** Resources of a deployment whose recorded provider is its own code, not a shim. */
function carryingOwnCode(deployment) {
    const dynamic = (deployment?.resources ?? []).filter((r) => r.type?.startsWith(PREFIX));
    // Read only when there is something to look at: a stack with no resource needs no providers/.
    const mark = dynamic.length ? thinMark() : undefined;
    return dynamic.filter((r) => [r.inputs?.__provider, r.outputs?.__provider].some((p) => typeof p === "string" && !p.includes(mark)));
}

/** The Pulumi state's mark of a secret value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/**
 * A deployment's text with each resource's provider left out: what a move must
 * not change. Secrets count by place only: an import encrypts them again.
 */
const withoutProviders = (deployment) => JSON.stringify(deployment, (k, v) =>
    k === "__provider" ? undefined : v && typeof v === "object" && SECRET_SIG in v ? "[secret]" : v);

function pulumi(args, opts = {}) {
    try {
        return execFileSync("pulumi", args, { encoding: "utf8", maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "pipe"], ...opts });
    } catch (e) {
        throw new Stop(`\`pulumi ${args.slice(0, 2).join(" ")}\` failed: ${String(e.stderr || e.message).trim()}`);
    }
}

/** Moves STACK onto the shims; returns what it said, or nothing when there was nothing to move. */
function run([stack, keepDir]) {
    if (!stack || !keepDir) throw new Stop("usage: state-onto-shims.js STACK KEEP_DIR");
    const exported = pulumi(["stack", "export", "--stack", stack]);
    const state = JSON.parse(exported);
    const old = carryingOwnCode(state.deployment);
    if (old.length === 0) return undefined;

    require(path.join(root, "providers", "entry.js")).registerTypeScript();
    const { shimText } = require(path.join(root, "providers", "thin"));
    const { providers } = require(path.join(root, "providers", "registry"));
    const mark = thinMark();
    const unknown = new Set();
    let moved = 0;
    for (const r of old) {
        const kind = r.type.slice(PREFIX.length);
        // A kind this checkout no longer has keeps its own code: that code can still delete it.
        if (!providers[kind]) {
            unknown.add(kind);
            continue;
        }
        for (const props of [r.inputs, r.outputs]) {
            if (props && typeof props.__provider === "string" && !props.__provider.includes(mark)) props.__provider = shimText(kind);
        }
        moved++;
    }
    if (moved === 0) return `the state records ${old.length} resources with their own provider code, of kinds this checkout lacks (${[...unknown].join(", ")}); left as they are`;
    if (withoutProviders(state.deployment) !== withoutProviders(JSON.parse(exported).deployment)) {
        throw new Stop("moving the state onto the provider shims would change more than the providers; nothing was changed");
    }

    fs.mkdirSync(keepDir, { recursive: true, mode: 0o700 });
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    const before = path.join(keepDir, `${stack}-before-shims-${stamp}.json`);
    const after = path.join(keepDir, `${stack}-onto-shims-${stamp}.json`);
    fs.writeFileSync(before, exported, { mode: 0o600, flag: "wx" });
    fs.writeFileSync(after, JSON.stringify(state, null, 4), { mode: 0o600, flag: "wx" });
    pulumi(["stack", "import", "--stack", stack, "--file", after]);
    fs.unlinkSync(after);

    const now = JSON.parse(pulumi(["stack", "export", "--stack", stack])).deployment;
    const left = carryingOwnCode(now).filter((r) => providers[r.type.slice(PREFIX.length)]);
    const wanted = new Map(state.deployment.resources.map((r) => [r.urn, withoutProviders(r)]));
    const differs = now.resources.find((r) => wanted.get(r.urn) !== withoutProviders(r));
    if (left.length > 0 || differs || now.resources.length !== wanted.size) {
        const what = left.length > 0 ? `${left.length} resources still carry their own code`
            : differs ? `${differs.urn} differs` : `${now.resources.length} resources, not ${wanted.size}`;
        throw new Stop(`the state after \`pulumi stack import\` is not what was imported (${what}); ` +
            `the state from before is in ${before}: \`pulumi stack import --stack ${stack} --file ${before}\` puts it back`);
    }
    return `moved ${moved} resources recorded with their own provider code onto the provider shims, with nothing else changed` +
        (unknown.size ? ` (left ${old.length - moved} of kinds this checkout lacks: ${[...unknown].join(", ")})` : "") +
        `; the state from before is kept in ${before}`;
}

module.exports = { run, carryingOwnCode, Stop };

if (require.main === module) {
    try {
        const said = run(process.argv.slice(2));
        if (said) console.error(`state-onto-shims: ${said}`);
    } catch (e) {
        if (!(e instanceof Stop)) throw e;
        console.error(`state-onto-shims: ${e.message}`);
        process.exit(1);
    }
}
