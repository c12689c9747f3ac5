import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { readRemoteFile, RemoteFileState, restoreRemoteFile, writeRemoteFile } from "./hostfs";
import { resourceKind } from "./kit";
import { BridgeSpec, Persistence, persistencePath, renderIfcfg, renderIfupdown, renderNetplan } from "../render/bridge";

/** A Linux bridge on a host, live now and persisted for boot (seed 000 section 2). */
export interface BridgeInputs {
    connection: ConnectionArgs;
    spec: BridgeSpec;
    /** auto: netplan, ifupdown or ifcfg, whichever the host uses. */
    persist: Persistence | "auto";
}

export interface BridgeOutputs extends BridgeInputs {
    /** Which system the bridge was persisted with. */
    persistedWith: Persistence;
    /** The bridge's enslaved ports and addresses, as the host has them. */
    ports: string[];
    exists: boolean;
    existedBefore: boolean;
    previous: Record<string, RemoteFileState>;
}

async function detect(t: Transport): Promise<Persistence> {
    const out = await run(t, "detect network configuration", [
        `if command -v netplan >/dev/null 2>&1 && [ -d /etc/netplan ]; then echo netplan`,
        `elif [ -d /etc/sysconfig/network-scripts ]; then echo ifcfg`,
        `elif [ -f /etc/network/interfaces ]; then echo ifupdown`,
        `else echo none; fi`,
    ].join("\n"));
    const kind = out.trim();
    if (kind === "none") throw new Error(`host ${t.name}: no netplan, ifupdown or ifcfg to persist a bridge with; set persist explicitly`);
    return kind as Persistence;
}

function files(kind: Persistence, b: BridgeSpec): Record<string, string> {
    if (kind === "netplan") return { [persistencePath(kind, b.name)]: renderNetplan(b) };
    if (kind === "ifupdown") return { [persistencePath(kind, b.name)]: renderIfupdown(b) };
    const r = renderIfcfg(b);
    return { [persistencePath(kind, b.name)]: r.bridge, ...(r.nic && b.nic ? { [`/etc/sysconfig/network-scripts/ifcfg-${b.nic}`]: r.nic } : {}) };
}

async function inspect(t: Transport, name: string): Promise<{ exists: boolean; ports: string[] }> {
    const out = await run(t, `inspect ${name}`,
        sh`if [ -d /sys/class/net/${name}/bridge ]; then echo yes; ls /sys/class/net/${name}/brif; else echo no; fi`);
    const [head, ...ports] = out.trim().split("\n");
    return { exists: head === "yes", ports: ports.filter(Boolean).sort() };
}

async function live(t: Transport, b: BridgeSpec): Promise<void> {
    await run(t, `bring up ${b.name}`, [
        "set -e",
        sh`[ -d /sys/class/net/${b.name}/bridge ] || ip link add name ${b.name} type bridge stp_state 0 forward_delay 0`,
        b.mac ? sh`ip link set ${b.name} address ${b.mac}` : "",
        b.nic ? sh`ip link set ${b.nic} master ${b.name} up` : "",
        ...(b.addresses ?? []).map((a) => sh`ip addr replace ${a} dev ${b.name}`),
        sh`ip link set ${b.name} up`,
        b.gateway ? sh`ip route replace default via ${b.gateway} dev ${b.name}` : "",
    ].filter(Boolean).join("\n"));
}

async function apply(i: BridgeInputs): Promise<Omit<BridgeOutputs, keyof BridgeInputs>> {
    return withHost(i.connection, async (t) => {
        const kind = i.persist === "auto" ? await detect(t) : i.persist;
        const before = await inspect(t, i.spec.name);
        const previous: Record<string, RemoteFileState> = {};
        for (const [path, content] of Object.entries(files(kind, i.spec))) {
            previous[path] = await readRemoteFile(t, path);
            if (previous[path].content !== content || !previous[path].exists) {
                await writeRemoteFile(t, path, content, { mode: kind === "netplan" ? "0600" : "0644" });
            }
        }
        await live(t, i.spec);
        const after = await inspect(t, i.spec.name);
        return { persistedWith: kind, ports: after.ports, exists: after.exists, existedBefore: before.exists, previous };
    });
}

const bridge = resourceKind<BridgeInputs, BridgeOutputs>({
    kind: "Bridge",
    outputs: ["persistedWith", "ports", "exists", "existedBefore", "previous"],
    secrets: ["connection"],
    changes: {
        replace: ["spec.name"],
        update: ["spec", "persist"],
        drifted: (olds) => !olds.exists || (olds.spec.nic !== undefined && !olds.ports.includes(olds.spec.nic)),
    },
    async check(_olds: BridgeInputs, news: BridgeInputs) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        const s = news.spec;
        if (s && typeof s === "object") {
            for (const n of [s.name, s.nic].filter((x): x is string => typeof x === "string")) {
                if (!/^[A-Za-z0-9_.\-]{1,15}$/.test(n)) failures.push({ property: "spec", reason: `interface name ${JSON.stringify(n)} must be 1-15 letters, digits, _ . -` });
            }
        }
        return { inputs: news, failures };
    },
    async create(inputs: BridgeInputs) {
        const r = await apply(inputs);
        return { id: `${inputs.connection.name}:bridge:${inputs.spec.name}`, outs: { ...inputs, ...r } };
    },
    async update(_id: string, olds: BridgeOutputs, news: BridgeInputs) {
        const r = await apply(news);
        return { outs: { ...news, ...r, existedBefore: olds.existedBefore, previous: { ...r.previous, ...olds.previous } } };
    },
    async delete(_id: string, olds: BridgeOutputs) {
        await withHost(olds.connection, async (t) => {
            for (const [path, before] of Object.entries(olds.previous)) {
                await restoreRemoteFile(t, path, before);
            }
            if (!olds.existedBefore) {
                await run(t, `remove ${olds.spec.name}`, sh`if [ -e /sys/class/net/${olds.spec.name} ]; then ip link del ${olds.spec.name}; fi`);
            }
        });
    },
    async read(id: string, props: BridgeOutputs) {
        const now = await withHost(props.connection, (t) => inspect(t, props.spec.name));
        return { id, props: { ...props, exists: now.exists, ports: now.ports } };
    },
});

export const bridgeProvider = bridge.provider;

export const Bridge = bridge.Resource;
export type Bridge = InstanceType<typeof Bridge>;
