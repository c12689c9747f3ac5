import * as pulumi from "@pulumi/pulumi";

/**
 * The provider the engine stores with each resource: a shim of about a
 * kilobyte that loads the resource kind's implementation from the checkout
 * when it runs (providers/registry.ts), instead of a serialized copy of the
 * implementation and its transport. So refresh and delete run today's code,
 * and the state does not carry the same code once per resource.
 *
 * The engine starts the dynamic-provider process in the project's directory,
 * so the checkout is found there wherever it has moved to.
 */
export function thinProvider(kind: string): pulumi.dynamic.ResourceProvider {
    return cache.get(kind) ?? cache.set(kind, makeShim(kind)).get(kind)!;
}

// One object per kind: the SDK caches a provider's serialization by object, and
// each serialization walks the closure again (seconds over a whole lab).
const cache = new Map<string, pulumi.dynamic.ResourceProvider>();

/** In every shim's serialized text: a recorded provider without it carried its own code. */
export const THIN_MARK = "openstack-lab thin provider 1";

// The serialized text holds each function's body in a wrapper of its own, so
// the shim is one-liners, and everything that may need fixing is in the code
// it loads: providers/entry.js (the TypeScript loader) and providers/dispatch.ts.
function makeShim(kind: string): pulumi.dynamic.ResourceProvider {
    const mark = THIN_MARK;
    const run = (method: string, args: unknown[]) => require(require("path").resolve("providers/entry.js")).run(mark, kind, method, args);
    return {
        check: (...a: unknown[]) => run("check", a),
        diff: (...a: unknown[]) => run("diff", a),
        create: (...a: unknown[]) => run("create", a),
        read: (...a: unknown[]) => run("read", a),
        update: (...a: unknown[]) => run("update", a),
        delete: (...a: unknown[]) => run("delete", a),
    } as pulumi.dynamic.ResourceProvider;
}
