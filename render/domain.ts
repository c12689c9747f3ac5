import { toXml } from "./xml";

export interface DiskSpec {
    path: string;
    format: "qcow2" | "raw";
    /** vda, vdb, ... (virtio). */
    target: string;
    readonly?: boolean;
}

export interface NicSpec {
    mac: string;
    /** A libvirt network, or a host bridge. */
    network?: string;
    bridge?: string;
}

export interface DomainSpec {
    name: string;
    /** Given when redefining an existing domain: libvirt matches definitions by UUID. */
    uuid?: string;
    /** kvm when the host can accelerate, qemu (TCG) otherwise. */
    type: "kvm" | "qemu";
    memoryMiB: number;
    vcpus: number;
    /** host-passthrough gives guests vmx/svm for nested KVM (seed 000's kvm1, kvm2). */
    cpuMode?: "host-passthrough" | "host-model";
    disks: DiskSpec[];
    nics: NicSpec[];
    /** Direct kernel boot (images without a boot loader); otherwise the disk boots. */
    kernel?: { kernel: string; initrd?: string; cmdline?: string };
    /** Boot devices in order, e.g. ["hd", "network"]. */
    boot?: Array<"hd" | "cdrom" | "network">;
    /** Serial console written to this file. */
    consoleLog: string;
}

export function renderDomainXml(d: DomainSpec): string {
    const os: Record<string, unknown> = { type: { "@arch": "x86_64", "@machine": "pc", "#text": "hvm" } };
    if (d.kernel) {
        os.kernel = d.kernel.kernel;
        if (d.kernel.initrd) os.initrd = d.kernel.initrd;
        if (d.kernel.cmdline) os.cmdline = d.kernel.cmdline;
    }
    os.boot = (d.boot ?? ["hd"]).map((dev) => ({ "@dev": dev }));
    const domain: Record<string, unknown> = {
        "@type": d.type,
        name: d.name,
        ...(d.uuid ? { uuid: d.uuid } : {}),
        memory: { "@unit": "MiB", "#text": String(d.memoryMiB) },
        vcpu: String(d.vcpus),
        os,
        features: { acpi: "", apic: "" },
        ...(d.type === "kvm" && d.cpuMode ? { cpu: { "@mode": d.cpuMode } } : {}),
        on_poweroff: "destroy",
        on_reboot: "restart",
        on_crash: "destroy",
        devices: {
            disk: d.disks.map((k) => ({
                "@type": "file", "@device": "disk",
                driver: { "@name": "qemu", "@type": k.format },
                source: { "@file": k.path },
                target: { "@dev": k.target, "@bus": "virtio" },
                ...(k.readonly ? { readonly: "" } : {}),
            })),
            interface: d.nics.map((n) => n.bridge
                ? { "@type": "bridge", mac: { "@address": n.mac }, source: { "@bridge": n.bridge }, model: { "@type": "virtio" } }
                : { "@type": "network", mac: { "@address": n.mac }, source: { "@network": n.network }, model: { "@type": "virtio" } }),
            serial: { "@type": "file", source: { "@path": d.consoleLog }, target: { "@port": "0" } },
            rng: { "@model": "virtio", backend: { "@model": "random", "#text": "/dev/urandom" } },
        },
    };
    return toXml({ domain });
}

/**
 * A locally administered MAC (02:...), stable for a lab, VM and NIC, and
 * zero-padded (seed 000 wrote some as 02:4:75:F:A9:D).
 */
export function stableMac(...parts: Array<string | number>): string {
    const { createHash } = require("crypto") as typeof import("crypto");
    const h = createHash("sha256").update(parts.join("/")).digest();
    return ["02", ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, "0"))].join(":");
}
