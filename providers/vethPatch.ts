import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { resourceKind } from "./kit";

/**
 * A veth pair patching two bridges together (seed 000 section 8: br0 to the
 * brq-* bridge that Neutron made for tap0). A side names its bridge, or an
 * interface whose bridge it joins.
 */
export interface VethSide {
    bridge?: string;
    /** The bridge this interface is enslaved to, looked up on the host. */
    bridgeOf?: string;
}

export interface VethPatchInputs {
    connection: ConnectionArgs;
    /** Interface names (15 characters at most). */
    names: [string, string];
    sides: [VethSide, VethSide];
}

export interface VethPatchOutputs extends VethPatchInputs {
    /** The bridges each end is in now (empty when that end is missing). */
    bridges: [string, string];
}

function bridgeExpr(side: VethSide): string {
    if (side.bridge) return sh`${side.bridge}`;
    // The `master` link of an enslaved interface points at its bridge.
    return sh`"$(basename "$(readlink /sys/class/net/${side.bridgeOf ?? ""}/master)")"`;
}

async function state(t: Transport, names: [string, string]): Promise<[string, string]> {
    const out = await run(t, "inspect veth", names.map((n) =>
        sh`if [ -e /sys/class/net/${n} ]; then basename "$(readlink /sys/class/net/${n}/master 2>/dev/null)" 2>/dev/null || echo; else echo; fi`).join("\n"));
    const lines = out.split("\n");
    return [lines[0] ?? "", lines[1] ?? ""];
}

async function apply(t: Transport, i: VethPatchInputs): Promise<[string, string]> {
    const [a, b] = i.names;
    await run(t, `patch ${a}-${b}`, [
        "set -e",
        ...i.sides.map((s, k) => sh`br${k}=` + bridgeExpr(s) +
            sh`; [ -n "$br${k}" ] && [ -d "/sys/class/net/$br${k}/bridge" ] || { echo ${`side ${k + 1}: no such bridge (${s.bridge ?? "the bridge of " + s.bridgeOf})`} >&2; exit 1; }`),
        sh`[ -e /sys/class/net/${a} ] || ip link add ${a} type veth peer name ${b}`,
        sh`ip link set ${a} master "$br0" up`,
        sh`ip link set ${b} master "$br1" up`,
    ].join("\n"));
    return state(t, i.names);
}

const vethPatch = resourceKind<VethPatchInputs, VethPatchOutputs>({
    kind: "VethPatch",
    outputs: ["bridges"],
    secrets: ["connection"],
    changes: {
        replace: ["names"],
        update: ["sides"],
        drifted: (olds) => olds.bridges.some((b) => !b),
    },
    async check(_olds: VethPatchInputs, news: VethPatchInputs) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        for (const n of Array.isArray(news.names) ? news.names : []) {
            if (typeof n === "string" && !/^[A-Za-z0-9_.\-]{1,15}$/.test(n)) failures.push({ property: "names", reason: `interface name ${JSON.stringify(n)} must be 1-15 letters, digits, _ . -` });
        }
        return { inputs: news, failures };
    },
    async create(inputs: VethPatchInputs) {
        const bridges = await withHost(inputs.connection, (t) => apply(t, inputs));
        return { id: `${inputs.connection.name}:veth:${inputs.names[0]}`, outs: { ...inputs, bridges } };
    },
    async update(_id: string, _olds: VethPatchOutputs, news: VethPatchInputs) {
        const bridges = await withHost(news.connection, (t) => apply(t, news));
        return { outs: { ...news, bridges } };
    },
    async delete(_id: string, olds: VethPatchOutputs) {
        // Deleting one end removes the pair.
        await withHost(olds.connection, (t) => run(t, `remove ${olds.names[0]}`,
            sh`if [ -e /sys/class/net/${olds.names[0]} ]; then ip link del ${olds.names[0]}; fi`));
    },
    async read(id: string, props: VethPatchOutputs) {
        const bridges = await withHost(props.connection, (t) => state(t, props.names));
        return { id, props: { ...props, bridges } };
    },
});

export const vethPatchProvider = vethPatch.provider;

export const VethPatchResource = vethPatch.Resource;
export type VethPatchResource = InstanceType<typeof VethPatchResource>;
