import * as pulumi from "@pulumi/pulumi";
import { THIN_MARK, thinProvider } from "../../providers/thin";
import { dispatchTo } from "../../providers/dispatch";
import { providers } from "../../providers/registry";

// Each resource's state carries its provider serialized the way the SDK's
// dynamic.Resource does it; the shim must stay small and reach today's code.

async function serialized(kind: string): Promise<string> {
    const p = thinProvider(kind);
    return (await pulumi.runtime.serializeFunction(() => p, { allowSecrets: true })).text;
}

/** Loaded as the engine's dynamic-provider process loads it (require-from-string), here with the test's require. */
function load(text: string): pulumi.dynamic.ResourceProvider {
    const exports: Record<string, () => pulumi.dynamic.ResourceProvider> = {};
    new Function("require", "exports", "module", text)(require, exports, { exports });
    return exports.handler();
}

describe("provider shims", () => {
    it.each(Object.keys(providers))("%s serializes to under 2 KB, with the mark and no implementation", async (kind) => {
        const text = await serialized(kind);
        expect(text.length).toBeLessThan(2048);
        expect(text).toContain(THIN_MARK);
        expect(text).not.toMatch(/node-ssh|withHost|readRemoteFile/);
    });

    it("is one object per kind, so that the SDK serializes each kind once", () => {
        expect(thinProvider("Sysctl")).toBe(thinProvider("Sysctl"));
        expect(thinProvider("Sysctl")).not.toBe(thinProvider("RemoteFile"));
    });

    it("reaches the kind's implementation in the checkout once loaded", async () => {
        const shim = load(await serialized("Sysctl"));
        const r = await shim.check!({}, { connection: { name: "h", address: "10.0.0.1" }, key: "not a key", value: "1" });
        expect(r.failures).toEqual([{ property: "key", reason: 'sysctl key "not a key" is not of the form net.ipv4.ip_forward' }]);
        await expect(load((await serialized("Sysctl")).replace(/"Sysctl"/g, '"NoSuchKind"')).create({}))
            .rejects.toThrow("providers/registry.ts has no resource kind NoSuchKind");
        await expect(load((await serialized("Sysctl")).split(THIN_MARK).join("openstack-lab thin provider 0")).create({}))
            .rejects.toThrow("a provider shim of another version (openstack-lab thin provider 0) is in the state");
    });
});

describe("dispatchTo", () => {
    const calls: string[] = [];
    const impl: pulumi.dynamic.ResourceProvider = {
        async diff(_id, olds, news) { calls.push("diff"); return { changes: olds.v !== news.v }; },
        async create() { calls.push("create"); return { id: "x", outs: {} }; },
        async update(_id, _olds, news) { calls.push("update"); return { outs: { v: news.v, updated: true } }; },
    };
    const shimText = `exports.handler = ... ${THIN_MARK} ...`;
    beforeEach(() => { calls.length = 0; });

    it("reports a change for a resource whose recorded provider carried its own code, and updates it without running the kind's update", async () => {
        const olds = { v: 1, made: "by the host", __provider: "exports.handler = __f0; // 30 KB of provider code" };
        expect(await dispatchTo(impl, "diff", ["x", olds, { v: 1, __provider: shimText }])).toEqual({ changes: true });
        expect(await dispatchTo(impl, "update", ["x", olds, { v: 1, __provider: shimText }])).toEqual({ outs: { v: 1, made: "by the host" } });
        expect(calls).toEqual(["diff", "diff"]);
    });

    it("passes diff and update through for a resource already on the shim, or with a real change", async () => {
        expect(await dispatchTo(impl, "diff", ["x", { v: 1, __provider: shimText }, { v: 1, __provider: shimText }])).toEqual({ changes: false });
        expect(await dispatchTo(impl, "update", ["x", { v: 1, __provider: "old code" }, { v: 2, __provider: shimText }])).toEqual({ outs: { v: 2, updated: true } });
        expect(calls).toEqual(["diff", "diff", "update"]);
    });

    it("gives the engine's defaults where a kind leaves a method out", async () => {
        expect(await dispatchTo(impl, "check", [{}, { v: 3 }])).toEqual({ inputs: { v: 3 } });
        expect(await dispatchTo(impl, "read", ["x", { v: 3 }])).toEqual({ id: "x", props: { v: 3 } });
        expect(await dispatchTo(impl, "delete", ["x", { v: 3 }])).toBeUndefined();
        await expect(dispatchTo(impl, "invoke", [])).rejects.toThrow("no provider method invoke");
    });
});
