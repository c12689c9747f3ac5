import * as pulumi from "@pulumi/pulumi";
import { readableWhenDown } from "../../providers/common";

// The engine runs each resource's provider from its serialized closure, so the wrapper
// is checked the way the engine runs it: serialized, then loaded and called.
async function serialized(provider: pulumi.dynamic.ResourceProvider): Promise<pulumi.dynamic.ResourceProvider> {
    const s = await pulumi.runtime.serializeFunction(() => provider);
    const exports: Record<string, () => pulumi.dynamic.ResourceProvider> = {};
    new Function("require", "exports", "module", s.text)(require, exports, { exports });
    return exports[s.exportName]();
}

describe("readableWhenDown", () => {
    const failing = (message: string): pulumi.dynamic.ResourceProvider => ({
        async create() { return { id: "x", outs: {} }; },
        async read() { throw new Error(message); },
    });

    it("keeps the recorded state of a resource whose node cannot be reached, after serialization", async () => {
        const p = await serialized(readableWhenDown(failing("host compute (10.0.0.5:22): unreachable: EHOSTUNREACH")));
        await expect(p.read!("id1", { a: 1 })).resolves.toEqual({ id: "id1", props: { a: 1 } });
    });

    it("fails as before on anything else", async () => {
        const p = await serialized(readableWhenDown(failing("host compute (10.0.0.5:22): host key mismatch: pinned SHA256:a")));
        await expect(p.read!("id1", { a: 1 })).rejects.toThrow(/host key mismatch/);
    });
});
