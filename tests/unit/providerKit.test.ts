import "../helpers/mockGraph";
import * as pulumi from "@pulumi/pulumi";
import { ofType } from "../helpers/mockGraph";
import { changeOf, resourceKind } from "../../providers/kit";
import { GeneratedPassword } from "../../providers/generatedPassword";
import { Sysctl } from "../../providers/sysctl";

// One description per resource kind (providers/kit.ts): how its diff tells an
// edit from a move, an in-place change and drift, and what its class registers.

interface In { connection: { name: string; address: string; user?: string }; name: string; spec: { name: string; size: number }; tags: string[] }
interface Out extends In { running: boolean; secret: string }

const conn = { name: "h1", address: "10.0.0.2" };
const news: In = { connection: conn, name: "a", spec: { name: "br0", size: 1 }, tags: ["x", "y"] };
const olds: Out = { ...news, running: true, secret: "s" };
const rules = {
    replace: ["name", "spec.name"],
    update: ["spec", "tags"],
    canonical: (v: In) => ({ ...v, tags: [...v.tags].sort() }),
    drifted: (o: Out) => !o.running,
};

describe("changeOf", () => {
    it("reports nothing when nothing changed, or only what the canonical form drops", () => {
        expect(changeOf(rules, olds, news)).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
        expect(changeOf(rules, olds, { ...news, tags: ["y", "x"] }).changes).toBe(false);
    });

    it("updates in place on an update key, and replaces on a replace key or a dotted part of one", () => {
        expect(changeOf(rules, olds, { ...news, spec: { name: "br0", size: 2 } })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
        expect(changeOf(rules, olds, { ...news, name: "b" }).replaces).toEqual(["name"]);
        expect(changeOf(rules, olds, { ...news, spec: { name: "br1", size: 1 } }).replaces).toEqual(["spec.name"]);
    });

    it("replaces on a move to another host, and updates on a new way to log in to the same one", () => {
        expect(changeOf(rules, olds, { ...news, connection: { ...conn, address: "10.0.0.3" } })).toMatchObject({ changes: true, replaces: ["connection"] });
        expect(changeOf(rules, olds, { ...news, connection: { ...conn, user: "lab" } })).toMatchObject({ changes: true, replaces: [] });
    });

    it("reports a change for drift found by refresh when nothing was edited", () => {
        expect(changeOf(rules, { ...olds, running: false }, news)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    });

    it("serves kinds with no host, and kinds whose replacement may stand beside the old", () => {
        const r = { replace: ["length"], update: [], deleteBeforeReplace: false };
        expect(changeOf(r, { length: 8, value: "v" }, { length: 8 })).toEqual({ changes: false, replaces: [], deleteBeforeReplace: false });
        expect(changeOf(r, { length: 8, value: "v" }, { length: 9 })).toEqual({ changes: true, replaces: ["length"], deleteBeforeReplace: false });
    });
});

describe("resourceKind", () => {
    const kind = resourceKind<In, Out>({
        kind: "KitProbe",
        outputs: ["running", "secret"],
        secrets: ["connection", "secret"],
        changes: rules,
        async create(inputs) { return { id: inputs.name, outs: { ...inputs, running: true, secret: "made" } }; },
    });

    it("gives the engine's defaults for the methods a kind leaves out, and refuses an update it cannot make", async () => {
        expect(kind.provider.kind).toBe("KitProbe");
        expect(await kind.provider.check({}, news)).toEqual({ inputs: news });
        expect(await kind.provider.read("a", olds)).toEqual({ id: "a", props: olds });
        await expect(kind.provider.update("a", olds, news)).rejects.toThrow("KitProbe: a change to this resource can only replace it");
        expect(await kind.provider.diff("a", olds, { ...news, name: "b" })).toMatchObject({ replaces: ["name"] });
    });

    it("registers the type names the state already holds, with each output as a property", async () => {
        const probe = new kind.Resource("probe", news);
        const made = [probe, new Sysctl("fwd", { connection: conn, key: "net.ipv4.ip_forward", value: "1" }), new GeneratedPassword("pw", { length: 16 })];
        // Registered once each provider shim is serialized.
        await Promise.all(made.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
        expect(ofType("KitProbe").map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/openstack-lab:KitProbe"]);
        expect(ofType("Sysctl").map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/openstack-lab:Sysctl"]);
        expect(ofType("GeneratedPassword").map((r) => r.type)).toEqual(["pulumi-nodejs:dynamic/openstack-lab:GeneratedPassword"]);
        // Outputs not among the inputs are registered (unknown until the host answers), and the provider is the shim.
        expect(Object.keys(ofType("KitProbe")[0].inputs)).toEqual(expect.arrayContaining(["__provider", "connection", "name", "spec", "tags"]));
        expect(ofType("KitProbe")[0].inputs.__provider).toContain("openstack-lab thin provider");
        expect(pulumi.Output.isInstance(probe.running)).toBe(true);
        expect(await new Promise((resolve) => probe.name.apply(resolve))).toBe("a");
    });
});
