import { ConnectionArgs, q, run, Transport, withHost } from "./transport";
import { gone, resourceKind } from "./kit";
import { NetworkSpec, normalizeNetwork, parseNetworkXml, renderNetworkXml } from "../render/libvirtNetwork";

/** A libvirt network, defined, started and autostarted (seed 000 section 2). */
export interface LibvirtNetworkInputs {
    connection: ConnectionArgs;
    spec: NetworkSpec;
}

export interface LibvirtNetworkOutputs extends LibvirtNetworkInputs {
    active: boolean;
    autostart: boolean;
    /** The network of the same name that was there before (its XML), put back on delete. */
    previousXml: string | null;
    previousActive: boolean;
}

/** A virsh command line against the system libvirtd, every argument quoted. */
export function virsh(...args: string[]): string {
    return "virsh -q -c qemu:///system " + args.map((a) => q(a)).join(" ");
}

interface Found { xml: string | null; active: boolean; autostart: boolean }

async function find(t: Transport, name: string): Promise<Found> {
    const out = await run(t, `look up network ${name}`, [
        `if ${virsh("net-info", name)} >/dev/null 2>&1; then`,
        `  ${virsh("net-info", name)} | awk -F': *' '/^(Active|Autostart)/ {print $1"="$2}'`,
        `  echo ---`,
        `  ${virsh("net-dumpxml", "--inactive", name)}`,
        `else echo absent; fi`,
    ].join("\n"));
    if (out.trim() === "absent") return { xml: null, active: false, autostart: false };
    const [head, xml] = out.split("---\n");
    return { xml, active: /Active=yes/.test(head), autostart: /Autostart=yes/.test(head) };
}

async function define(t: Transport, spec: NetworkSpec, wasActive: boolean): Promise<void> {
    const n = spec.name;
    await run(t, `define network ${n}`, [
        "set -e",
        wasActive ? `${virsh("net-destroy", n)} >/dev/null` : "",
        `${virsh("net-define", "/dev/stdin")} >/dev/null`,
        `${virsh("net-start", n)} >/dev/null`,
        `${virsh("net-autostart", n)} >/dev/null`,
    ].filter(Boolean).join("\n"), { stdin: renderNetworkXml(spec) });
}

function matches(found: Found, spec: NetworkSpec): boolean {
    return found.xml !== null && JSON.stringify(parseNetworkXml(found.xml)) === JSON.stringify(normalizeNetwork(spec));
}

const libvirtNetwork = resourceKind<LibvirtNetworkInputs, LibvirtNetworkOutputs>({
    kind: "LibvirtNetwork",
    outputs: ["active", "autostart", "previousXml", "previousActive"],
    secrets: ["connection"],
    changes: {
        replace: ["spec.name"],
        update: ["spec"],
        canonical: (v: LibvirtNetworkInputs) => ({ ...v, spec: normalizeNetwork(v.spec) }),
        drifted: (olds) => !olds.active || !olds.autostart,
    },
    async create(inputs: LibvirtNetworkInputs) {
        return withHost(inputs.connection, async (t) => {
            const found = await find(t, inputs.spec.name);
            const adopt = matches(found, inputs.spec);
            if (!adopt || !found.active || !found.autostart) {
                if (adopt) {
                    await run(t, `start network ${inputs.spec.name}`, [
                        found.active ? "" : `${virsh("net-start", inputs.spec.name)} >/dev/null`,
                        `${virsh("net-autostart", inputs.spec.name)} >/dev/null`,
                    ].filter(Boolean).join("\n"));
                } else {
                    await define(t, inputs.spec, found.active);
                }
            }
            const outs: LibvirtNetworkOutputs = {
                ...inputs, active: true, autostart: true,
                previousXml: adopt ? null : found.xml, previousActive: found.active,
            };
            return { id: `${inputs.connection.name}:network:${inputs.spec.name}`, outs };
        });
    },
    async update(_id: string, olds: LibvirtNetworkOutputs, news: LibvirtNetworkInputs) {
        return withHost(news.connection, async (t) => {
            const found = await find(t, news.spec.name);
            if (!matches(found, news.spec)) await define(t, news.spec, found.active);
            else if (!found.active || !found.autostart) await define(t, news.spec, found.active);
            return { outs: { ...news, active: true, autostart: true, previousXml: olds.previousXml, previousActive: olds.previousActive } };
        });
    },
    async delete(_id: string, olds: LibvirtNetworkOutputs) {
        await withHost(olds.connection, async (t) => {
            const n = olds.spec.name;
            const found = await find(t, n);
            if (found.xml !== null) {
                await run(t, `remove network ${n}`, [
                    found.active ? `${virsh("net-destroy", n)} >/dev/null` : "",
                    `${virsh("net-undefine", n)} >/dev/null`,
                ].filter(Boolean).join("\n"));
            }
            if (olds.previousXml) {
                await run(t, `restore network ${n}`, [
                    "set -e",
                    `${virsh("net-define", "/dev/stdin")} >/dev/null`,
                    olds.previousActive ? `${virsh("net-start", n)} >/dev/null` : "",
                ].filter(Boolean).join("\n"), { stdin: olds.previousXml });
            }
        });
    },
    async read(id: string, props: LibvirtNetworkOutputs) {
        return withHost(props.connection, async (t) => {
            const found = await find(t, props.spec.name);
            // Gone: an empty id tells the engine, so refresh drops it and up defines it again.
            if (found.xml === null) return gone();
            return { id, props: { ...props, spec: parseNetworkXml(found.xml), active: found.active, autostart: found.autostart } };
        });
    },
});

export const libvirtNetworkProvider = libvirtNetwork.provider;

export const LibvirtNetworkResource = libvirtNetwork.Resource;
export type LibvirtNetworkResource = InstanceType<typeof LibvirtNetworkResource>;
