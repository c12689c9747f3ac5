import { z } from "zod";

// The VM layer of a lab: libvirt networks, base images, VMs, veth patches.

const name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a lowercase name (letters, digits, -)");
const ifName = z.string().regex(/^[A-Za-z0-9_.\-]{1,15}$/, "must be an interface name of 1-15 letters, digits, _ . -");
const cidr = z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, "must be an IPv4 address with prefix, like 10.0.0.1/24");
const ipv4 = z.ipv4({ error: "must be an IPv4 address" });
const mac = z.string().regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, "must be a MAC address like 02:00:00:00:00:01 (two hex digits per byte)");

export const roles = ["gateway", "storage", "controller", "compute", "generic"] as const;

export const networkSchema = z.object({
    name,
    /** The physical host it lives on (default: the lab's first host). */
    host: name.optional(),
    mode: z.enum(["nat", "isolated", "bridge"]),
    bridge: ifName,
    /** The host's address on the network, e.g. 10.0.0.1/24 (nat and isolated). */
    address: cidr.optional(),
    dhcp: z.object({
        start: ipv4,
        end: ipv4,
        /** Fixed leases, as seed 000 fixes its VMs' MACs for stable DHCP addresses. */
        hosts: z.array(z.object({ mac, ip: ipv4, name: name.optional() }).strict()).optional(),
    }).strict().optional(),
}).strict().superRefine((n, ctx) => {
    // An isolated network without an address is a bare segment (a flat provider network's).
    if (n.mode === "nat" && !n.address) ctx.addIssue({ code: "custom", path: ["address"], message: "a nat network needs the host's address, like 10.0.0.1/24" });
    if (n.mode === "isolated" && n.dhcp && !n.address) ctx.addIssue({ code: "custom", path: ["dhcp"], message: "DHCP needs the host's address on the network, like 10.0.0.1/24" });
    if (n.mode === "bridge" && (n.address || n.dhcp)) ctx.addIssue({ code: "custom", path: ["mode"], message: "a bridge network takes no address or dhcp: they belong to the host bridge" });
});

export const imageSchema = z.object({
    name,
    /** A file on the libvirt host, or a URL to download once per host. */
    path: z.string().regex(/^\//, "must be an absolute path").optional(),
    url: z.url().optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be the image's SHA-256: 64 lowercase hex digits"),
    /** Direct kernel boot, for images without a boot loader. */
    kernel: z.object({ kernel: z.string(), initrd: z.string().optional(), cmdline: z.string().optional() }).strict().optional(),
}).strict().superRefine((i, ctx) => {
    if (!i.path === !i.url) ctx.addIssue({ code: "custom", path: ["path"], message: "give exactly one of path and url" });
});

export const vmNicSchema = z.object({
    network: name,
    mac: mac.optional(),
    /** A static address on the network (without prefix: the network's is used); DHCP when absent. */
    ip: ipv4.optional(),
    gateway: ipv4.optional(),
    nameservers: z.array(ipv4).optional(),
}).strict();

export const vmSchema = z.object({
    name,
    role: z.enum(roles, { error: `must be one of ${roles.join(", ")}` }),
    host: name.optional(),
    image: name,
    vcpus: z.number().int().min(1).max(64),
    memoryMiB: z.number().int().min(256),
    diskGiB: z.number().int().min(1),
    cpuMode: z.enum(["host-passthrough", "host-model"]).optional(),
    extraDisks: z.array(z.object({ name, sizeGiB: z.number().int().min(1) }).strict()).default([]),
    nics: z.array(vmNicSchema).min(1, "a VM needs at least one NIC"),
    /** The user cloud-init creates, with the VM's generated key. */
    user: z.string().regex(/^[a-z_][a-z0-9_-]*$/).default("lab"),
    /** Seconds to wait for SSH after boot. */
    bootTimeout: z.number().int().min(10).default(600),
}).strict().superRefine((v, ctx) => {
    // The lab reaches each VM over SSH at a static address of its own.
    if (v.nics.length && !v.nics.some((n) => n.ip)) ctx.addIssue({ code: "custom", path: ["nics"], message: "a VM needs a NIC with a static ip: the lab reaches it there over SSH" });
});

export const vethSchema = z.object({
    host: name.optional(),
    names: z.tuple([ifName, ifName]),
    sides: z.tuple([
        z.object({ bridge: ifName.optional(), bridgeOf: ifName.optional() }).strict(),
        z.object({ bridge: ifName.optional(), bridgeOf: ifName.optional() }).strict(),
    ]),
}).strict().superRefine((v, ctx) => {
    v.sides.forEach((s, i) => {
        if (!s.bridge === !s.bridgeOf) ctx.addIssue({ code: "custom", path: ["sides", i], message: "give exactly one of bridge and bridgeOf" });
    });
});

export type NetworkConfig = z.infer<typeof networkSchema>;
export type ImageConfig = z.infer<typeof imageSchema>;
export type VmConfig = z.infer<typeof vmSchema>;
export type VethConfig = z.infer<typeof vethSchema>;
