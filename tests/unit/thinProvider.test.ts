import * as pulumi from "@pulumi/pulumi";
import { dynamicType, shimText, THIN_MARK } from "../../providers/thin";
import { dispatchTo } from "../../providers/dispatch";
import { providers } from "../../providers/registry";

// Each resource's state carries its provider as the text of a module, as the
// SDK's dynamic.Resource records it; the shim must stay small and reach
// today's code.

/** Loaded as the engine's dynamic-provider process loads it (require-from-string), here with the test's require. */
function load(text: string): pulumi.dynamic.ResourceProvider {
    const exports: Record<string, () => pulumi.dynamic.ResourceProvider> = {};
    new Function("require", "exports", "module", text)(require, exports, { exports });
    return exports.handler();
}

describe("provider shims", () => {
    it.each(Object.keys(providers))("%s is under 2 KB, with the mark and no implementation", (kind) => {
        const text = shimText(kind);
        expect(text.length).toBeLessThan(2048);
        expect(text).toContain(THIN_MARK);
        expect(text).not.toMatch(/node-ssh|withHost|readRemoteFile/);
        expect(dynamicType(kind)).toBe(`pulumi-nodejs:dynamic/openstack-lab:${kind}`);
    });

    it("gives every method the engine calls, each reaching the kind's implementation in the checkout", async () => {
        const shim = load(shimText("Sysctl"));
        expect(Object.keys(shim).sort()).toEqual(["check", "create", "delete", "diff", "read", "update"]);
        const r = await shim.check!({}, { connection: { name: "h", address: "10.0.0.1" }, key: "not a key", value: "1" });
        expect(r.failures).toEqual([{ property: "key", reason: 'sysctl key "not a key" is not of the form net.ipv4.ip_forward' }]);
        expect(await shim.diff!("x", { key: "a.b", value: "1" }, { key: "a.b", value: "2" })).toMatchObject({ changes: true, replaces: [] });
        await expect(load(shimText("NoSuchKind")).create({}))
            .rejects.toThrow("providers/registry.ts has no resource kind NoSuchKind");
        await expect(load(shimText("Sysctl").split(THIN_MARK).join("openstack-lab thin provider 0")).create({}))
            .rejects.toThrow("a provider shim of another version (openstack-lab thin provider 0) is in the state");
    });

    it("refuses a kind that is not a plain name, since it is written into the text", () => {
        expect(() => shimText('x", "y')).toThrow('resource kind "x\\", \\"y" is not a plain name');
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
