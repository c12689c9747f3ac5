import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { gone, resourceKind } from "./kit";
import { virsh } from "./libvirtNetwork";
import { renderDomainXml } from "../render/domain";
import { waitForSsh } from "./sshWait";
import { renderMetaData, renderNetworkConfig, renderUserData, VmNic } from "../render/cloudInit";

/** A libvirt guest booted from a base image with a NoCloud seed (seed 000's makevms.sh). */
export interface CloudInitVmInputs {
    /** The libvirt host. */
    connection: ConnectionArgs;
    name: string;
    /** kvm when the host accelerates, qemu (TCG) otherwise: chosen from the host's facts. */
    type: "kvm" | "qemu";
    memoryMiB: number;
    vcpus: number;
    cpuMode?: "host-passthrough" | "host-model";
    /** The verified base image on the host. */
    baseImage: string;
    /** Direct kernel boot, for images without a boot loader. */
    kernel?: { kernel: string; initrd?: string; cmdline?: string };
    diskGiB: number;
    /** Extra empty disks (seed 000's Cinder disk on the storage VM), vdc onwards. */
    extraDisks: Array<{ name: string; sizeGiB: number }>;
    nics: Array<VmNic & { network?: string; bridge?: string }>;
    /** Where the VM's files go on the host: <dir>/<name>/. */
    dir: string;
    user: string;
    /** Public keys that may log in as `user`. */
    authorizedKeys: string[];
    /** The VM's SSH host key (secret), pinned before first boot. */
    hostKey: { privateKey: string; publicKey: string };
    /** How to reach the VM once it is up, to know that it is (its management address, through the host). */
    ssh: ConnectionArgs;
    bootTimeout?: number;
}

export interface CloudInitVmOutputs extends CloudInitVmInputs {
    running: boolean;
    autostart: boolean;
}

const vmDir = (i: CloudInitVmInputs) => `${i.dir}/${i.name}`;
/** The guest's name for the k-th extra disk: after the system disk (vda) and the seed (vdb). */
export function extraDiskTarget(k: number): string {
    return `vd${"abcdefghijklmnopqrstuvwxyz"[k + 2]}`;
}

function domainXml(i: CloudInitVmInputs, uuid?: string): string {
    const d = vmDir(i);
    return renderDomainXml({
        name: i.name, uuid, type: i.type, memoryMiB: i.memoryMiB, vcpus: i.vcpus, cpuMode: i.cpuMode,
        kernel: i.kernel,
        disks: [
            { path: `${d}/disk.qcow2`, format: "qcow2", target: "vda" },
            // A read-only virtio disk: the cloud kernel does not see a SATA cdrom (TESTBED.md).
            { path: `${d}/seed.iso`, format: "raw", target: "vdb", readonly: true },
            ...i.extraDisks.map((x, k) => ({ path: `${d}/${x.name}.qcow2`, format: "qcow2" as const, target: extraDiskTarget(k) })),
        ],
        nics: i.nics.map((n) => ({ mac: n.mac, network: n.network, bridge: n.bridge })),
        consoleLog: `${d}/console.log`,
    });
}

interface DomState { exists: boolean; running: boolean; autostart: boolean; uuid?: string }

async function domState(t: Transport, name: string): Promise<DomState> {
    const out = await run(t, `look up VM ${name}`, [
        `if ${virsh("dominfo", name)} >/dev/null 2>&1; then`,
        `  ${virsh("domstate", name)}`,
        `  ${virsh("dominfo", name)} | awk -F': *' '/^(Autostart|UUID)/ {print $2}'`,
        `else echo absent; fi`,
    ].join("\n"));
    const [state, uuid, auto] = out.trim().split("\n");
    if (state === "absent") return { exists: false, running: false, autostart: false };
    return { exists: true, running: state === "running", autostart: auto === "enable", uuid };
}

/** Disks and seed; the seed's documents (the host key among them) arrive on stdin, base64 per line. */
async function prepareDisks(t: Transport, i: CloudInitVmInputs): Promise<void> {
    const d = vmDir(i);
    const docs = [
        renderUserData({ hostname: i.name, user: i.user, authorizedKeys: i.authorizedKeys, hostKey: i.hostKey }),
        renderMetaData(`${i.name}-${i.hostKey.publicKey.split(" ")[1].slice(-12)}`, i.name),
        renderNetworkConfig(i.nics),
    ].map((doc) => Buffer.from(doc).toString("base64")).join("\n") + "\n";
    await run(t, `prepare disks of ${i.name}`, [
        "set -e",
        sh`mkdir -p ${d}`,
        sh`[ -f ${d + "/disk.qcow2"} ] || qemu-img create -q -f qcow2 -b ${i.baseImage} -F qcow2 ${d + "/disk.qcow2"} ${i.diskGiB + "G"}`,
        ...i.extraDisks.map((x) => sh`[ -f ${`${d}/${x.name}.qcow2`} ] || qemu-img create -q -f qcow2 ${`${d}/${x.name}.qcow2`} ${x.sizeGiB + "G"}`),
        sh`seed=$(mktemp -d ${d + "/seed.XXXXXX"})`,
        `trap 'rm -rf "$seed"' EXIT`,
        `IFS= read -r ud; IFS= read -r md; IFS= read -r nc`,
        `printf '%s' "$ud" | base64 -d > "$seed/user-data"`,
        `printf '%s' "$md" | base64 -d > "$seed/meta-data"`,
        `printf '%s' "$nc" | base64 -d > "$seed/network-config"`,
        sh`genisoimage -quiet -output ${d + "/seed.iso.part"} -volid cidata -joliet -rock "$seed/user-data" "$seed/meta-data" "$seed/network-config"`,
        sh`chmod 0600 ${d + "/seed.iso.part"} && mv ${d + "/seed.iso.part"} ${d + "/seed.iso"}`,
        sh`: > ${d + "/console.log"}`,
    ].join("\n"), { stdin: docs });
}

function stopGracefully(name: string): string {
    return [
        `${virsh("shutdown", name)} >/dev/null 2>&1 || true`,
        `for i in $(seq 1 60); do [ "$(${virsh("domstate", name)} 2>/dev/null)" = "shut off" ] && break; sleep 1; done`,
        `[ "$(${virsh("domstate", name)} 2>/dev/null)" = "shut off" ] || ${virsh("destroy", name)} >/dev/null`,
    ].join("\n");
}

/** Defines the domain when it is new or its definition changed (then restarts it), and starts it when stopped. */
async function defineAndStart(t: Transport, i: CloudInitVmInputs, redefine: boolean): Promise<void> {
    const s = await domState(t, i.name);
    const steps = ["set -e"];
    if (!s.exists || redefine) {
        // A clean shutdown keeps what the guest had not written yet; the power is cut only
        // when the guest does not stop within a minute.
        if (s.running) steps.push(stopGracefully(i.name));
        steps.push(`${virsh("define", "/dev/stdin")} >/dev/null`);
    }
    if (!s.autostart) steps.push(`${virsh("autostart", i.name)} >/dev/null`);
    if (!s.running || redefine) steps.push(`${virsh("start", i.name)} >/dev/null`);
    if (steps.length > 1) await run(t, `define and start ${i.name}`, steps.join("\n"), { stdin: domainXml(i, s.uuid) });
}

/**
 * cloud-init writes this at the end of its last stage of each boot, in /run (so never left from
 * an earlier boot). Until then sshd may still be restarted under a login (the config stage
 * restarts it after setting password logins off).
 */
const CLOUD_INIT_DONE = "/run/cloud-init/result.json";

/** Waits for SSH and cloud-init's last stage, or fails with the VM's last console lines. */
async function waitForVm(i: CloudInitVmInputs): Promise<void> {
    const timeout = i.bootTimeout ?? 300;
    await waitForSsh(i.ssh, timeout, async (last) => {
        const consoleTail = await withHost(i.connection, (t) => run(t, "read console", sh`tail -n 15 ${vmDir(i) + "/console.log"}`, { check: false }));
        return `VM ${i.name} did not answer SSH on ${i.ssh.address} with cloud-init done within ${timeout} s (${last}); last console lines:\n${consoleTail}`;
    }, { what: "cloud-init", check: sh`test -e ${CLOUD_INIT_DONE}` });
}

const cloudInitVm = resourceKind<CloudInitVmInputs, CloudInitVmOutputs>({
    kind: "CloudInitVM",
    outputs: ["running", "autostart"],
    secrets: ["connection", "hostKey", "ssh"],
    timeouts: { create: "20m", update: "20m" },
    changes: {
        replace: ["name", "baseImage", "kernel", "diskGiB", "extraDisks", "nics", "dir", "user", "authorizedKeys", "hostKey"],
        update: ["type", "memoryMiB", "vcpus", "cpuMode", "ssh", "bootTimeout"],
        drifted: (olds) => !olds.running || !olds.autostart,
    },
    async check(_olds: CloudInitVmInputs, news: CloudInitVmInputs) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (typeof news.name === "string" && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(news.name)) failures.push({ property: "name", reason: "must be a lowercase host name" });
        for (const p of ["memoryMiB", "vcpus", "diskGiB"] as const) {
            if (typeof news[p] === "number" && !(news[p] > 0)) failures.push({ property: p, reason: "must be positive" });
        }
        return { inputs: news, failures };
    },
    async create(inputs: CloudInitVmInputs) {
        await withHost(inputs.connection, async (t) => {
            await prepareDisks(t, inputs);
            await defineAndStart(t, inputs, false);
        });
        await waitForVm(inputs);
        return { id: `${inputs.connection.name}:vm:${inputs.name}`, outs: { ...inputs, running: true, autostart: true } };
    },
    async update(_id: string, olds: CloudInitVmOutputs, news: CloudInitVmInputs) {
        const resized = olds.memoryMiB !== news.memoryMiB || olds.vcpus !== news.vcpus || olds.cpuMode !== news.cpuMode || olds.type !== news.type;
        await withHost(news.connection, (t) => defineAndStart(t, news, resized));
        await waitForVm(news);
        return { outs: { ...news, running: true, autostart: true } };
    },
    async delete(_id: string, olds: CloudInitVmOutputs) {
        await withHost(olds.connection, async (t) => {
            const s = await domState(t, olds.name);
            const steps = ["set -e"];
            if (s.running) steps.push(`${virsh("destroy", olds.name)} >/dev/null`);
            if (s.exists) steps.push(`${virsh("undefine", olds.name)} >/dev/null`);
            steps.push(sh`rm -rf ${vmDir(olds)}`);
            await run(t, `remove VM ${olds.name}`, steps.join("\n"));
        });
    },
    async read(id: string, props: CloudInitVmOutputs) {
        return withHost(props.connection, async (t) => {
            const s = await domState(t, props.name);
            if (!s.exists) return gone();
            return { id, props: { ...props, running: s.running, autostart: s.autostart } };
        });
    },
});

export const cloudInitVmProvider = cloudInitVm.provider;

export const CloudInitVmResource = cloudInitVm.Resource;
export type CloudInitVmResource = InstanceType<typeof CloudInitVmResource>;
