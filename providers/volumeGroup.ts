import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { resourceKind } from "./kit";

/**
 * An LVM volume group over whole disks (seed 000's `cinder-volumes` on the
 * storage VM's extra disk). A disk that holds anything (a filesystem, a
 * partition table, another group's label) is refused, never wiped; destroy
 * refuses a group that still holds logical volumes (Cinder's volumes).
 */
export interface VolumeGroupInputs {
    connection: ConnectionArgs;
    name: string;
    devices: string[];
}

export interface VolumeGroupOutputs extends VolumeGroupInputs {
    /** Whether this resource made the group, and so removes it. */
    created: boolean;
    /** Devices this resource labelled as physical volumes, which it unlabels again. */
    labelled: string[];
    /** The devices as the kernel names them (symlinks resolved), as LVM lists them. */
    realDevices: string[];
    /** The group's physical volumes when last read; null when the group is missing. */
    physicalVolumes: string[] | null;
}

interface DeviceState { given: string; real: string; block: boolean; signature: string }
interface GroupState { devices: DeviceState[]; pvs: Map<string, string>; exists: boolean; volumes: string[] }

// LVM warns about inherited descriptors on every call when run over SSH.
const LVM_ENV = "export LVM_SUPPRESS_FD_WARNINGS=1";

async function probe(t: Transport, name: string, devices: string[]): Promise<GroupState> {
    const script = [
        LVM_ENV,
        ...devices.map((d) => sh`r=$(readlink -f ${d} || echo ${d}); if [ -b "$r" ]; then b=1; else b=0; fi; ` +
            sh`s=$(blkid -p -o value -s TYPE "$r" 2>/dev/null || true); [ -n "$s" ] || s=$(blkid -p -o value -s PTTYPE "$r" 2>/dev/null || true); ` +
            sh`printf 'dev|%s|%s|%s|%s\n' ${d} "$r" "$b" "$s"`),
        "pvs --noheadings -o pv_name,vg_name --separator '|' 2>/dev/null | sed 's/^ *//; s/^/pv|/'",
        sh`if vgs ${name} >/dev/null 2>&1; then echo 'vg|1'; lvs --noheadings -o lv_name ${name} 2>/dev/null | sed 's/^ *//; s/^/lv|/'; else echo 'vg|0'; fi`,
    ].join("\n");
    const out = await run(t, `read volume group ${name}`, script);
    const state: GroupState = { devices: [], pvs: new Map(), exists: false, volumes: [] };
    for (const line of out.split("\n")) {
        const f = line.split("|");
        if (f[0] === "dev") state.devices.push({ given: f[1], real: f[2], block: f[3] === "1", signature: f[4] ?? "" });
        else if (f[0] === "pv" && f[1]) state.pvs.set(f[1].trim(), (f[2] ?? "").trim());
        else if (f[0] === "vg") state.exists = f[1] === "1";
        else if (f[0] === "lv" && f[1]) state.volumes.push(f[1].trim());
    }
    return state;
}

const groupMembers = (s: GroupState, name: string) => [...s.pvs].filter(([, vg]) => vg === name).map(([pv]) => pv).sort();

/** Makes the group or brings it to exactly `devices`; returns what it made. */
async function apply(t: Transport, i: VolumeGroupInputs, before?: VolumeGroupOutputs): Promise<Omit<VolumeGroupOutputs, keyof VolumeGroupInputs>> {
    const state = await probe(t, i.name, i.devices);
    const toLabel: string[] = [];
    for (const d of state.devices) {
        if (!d.block) throw new Error(`host ${t.name}: volume group ${i.name}: ${d.given} is not a block device`);
        const vg = state.pvs.get(d.real);
        if (vg !== undefined && vg !== "" && vg !== i.name) {
            throw new Error(`host ${t.name}: volume group ${i.name}: ${d.given} already belongs to volume group ${vg}`);
        }
        if (vg === undefined) {
            if (d.signature) {
                throw new Error(`host ${t.name}: volume group ${i.name}: ${d.given} holds ${d.signature} data; it is not touched (wipe it by hand if that data can go)`);
            }
            toLabel.push(d.real);
        }
    }
    const wanted = state.devices.map((d) => d.real);
    const members = groupMembers(state, i.name);
    const missing = wanted.filter((d) => !members.includes(d));
    const extra = members.filter((d) => !wanted.includes(d));
    const steps = [LVM_ENV];
    if (toLabel.length) steps.push(sh`pvcreate --quiet ${toLabel}`);
    if (!state.exists) steps.push(sh`vgcreate --quiet ${i.name} ${wanted}`);
    else if (missing.length) steps.push(sh`vgextend --quiet ${i.name} ${missing}`);
    // vgreduce refuses a disk that still holds a volume's extents; that error is shown as it is.
    if (state.exists && extra.length) steps.push(sh`vgreduce --quiet ${i.name} ${extra}`);
    const unlabel = extra.filter((d) => before?.labelled.includes(d));
    if (unlabel.length) steps.push(sh`pvremove --quiet ${unlabel}`);
    if (steps.length > 1) await run(t, `set up volume group ${i.name}`, steps.join("\n"));
    const labelled = [...new Set([...(before?.labelled ?? []).filter((d) => !unlabel.includes(d)), ...toLabel])];
    return { created: (before?.created ?? false) || !state.exists, labelled, realDevices: [...wanted].sort(), physicalVolumes: [...wanted].sort() };
}

const volumeGroup = resourceKind<VolumeGroupInputs, VolumeGroupOutputs>({
    kind: "VolumeGroup",
    outputs: ["created", "labelled", "realDevices", "physicalVolumes"],
    secrets: ["connection"],
    changes: {
        replace: ["name"],
        update: ["devices"],
        canonical: (v: VolumeGroupInputs) => ({ ...v, devices: [...v.devices].sort() }),
        drifted: (olds) => JSON.stringify(olds.physicalVolumes) !== JSON.stringify(olds.realDevices),
    },
    async check(_olds: VolumeGroupInputs, news: VolumeGroupInputs) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (!/^[A-Za-z0-9+_.][A-Za-z0-9+_.\-]*$/.test(news.name ?? "")) failures.push({ property: "name", reason: `volume group name ${JSON.stringify(news.name)} is invalid` });
        if (!Array.isArray(news.devices) || news.devices.length === 0) failures.push({ property: "devices", reason: "needs at least one device" });
        for (const d of news.devices ?? []) {
            if (!/^\/dev\/[^\s\0]+$/.test(d)) failures.push({ property: "devices", reason: `${JSON.stringify(d)} is not a device path under /dev` });
        }
        return { inputs: news, failures };
    },
    async create(inputs: VolumeGroupInputs) {
        const outs = await withHost(inputs.connection, (t) => apply(t, inputs));
        return { id: `${inputs.connection.name}:${inputs.name}`, outs: { ...inputs, ...outs } };
    },
    async update(_id: string, olds: VolumeGroupOutputs, news: VolumeGroupInputs) {
        const outs = await withHost(news.connection, (t) => apply(t, news, olds));
        return { outs: { ...news, ...outs } };
    },
    async delete(_id: string, olds: VolumeGroupOutputs) {
        await withHost(olds.connection, async (t) => {
            const state = await probe(t, olds.name, olds.devices);
            const members = groupMembers(state, olds.name);
            const steps = [LVM_ENV];
            let unlabel: string[];
            if (olds.created && state.exists) {
                if (state.volumes.length) {
                    throw new Error(`host ${t.name}: volume group ${olds.name} still holds logical volumes ${state.volumes.join(", ")}; ` +
                        "delete the volumes (openstack volume delete) or remove them by hand, then run destroy again");
                }
                steps.push(sh`vgremove --quiet ${olds.name}`);
                unlabel = olds.labelled.filter((d) => state.pvs.has(d));
            } else if (state.exists) {
                // An adopted group keeps its own disks; only the ones added here leave it.
                unlabel = members.filter((d) => olds.labelled.includes(d));
                if (unlabel.length) steps.push(sh`vgreduce --quiet ${olds.name} ${unlabel}`);
            } else {
                unlabel = olds.labelled.filter((d) => state.pvs.get(d) === "");
            }
            if (unlabel.length) steps.push(sh`pvremove --quiet ${unlabel}`);
            if (steps.length > 1) await run(t, `remove volume group ${olds.name}`, steps.join("\n"));
        });
    },
    async read(id: string, props: VolumeGroupOutputs) {
        return withHost(props.connection, async (t) => {
            const state = await probe(t, props.name, props.devices);
            return { id, props: { ...props, physicalVolumes: state.exists ? groupMembers(state, props.name) : null } };
        });
    },
});

export const volumeGroupProvider = volumeGroup.provider;

export const VolumeGroup = volumeGroup.Resource;
export type VolumeGroup = InstanceType<typeof VolumeGroup>;
