import { z } from "zod";

// System containers as lab nodes (LXC): systemd as PID 1 in a root
// filesystem of its own, NICs on the lab's bridges. They run at native speed
// where a VM would run under TCG, so a machine without usable KVM still runs
// a whole cloud. And the package cache their installs go through.

const name = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a lowercase name (letters, digits, -)");
const ifName = z.string().regex(/^[A-Za-z0-9_.\-]{1,15}$/, "must be an interface name of 1-15 letters, digits, _ . -");
const ipv4 = z.ipv4({ error: "must be an IPv4 address" });
const mac = z.string().regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, "must be a MAC address like 02:00:00:00:00:01 (two hex digits per byte)");
const absolutePath = z.string().regex(/^\/[A-Za-z0-9_.\-\/]*$/, "must be an absolute path of letters, digits, _ . - /");

export const containerNicSchema = z.object({
    /** A networks[] entry: the NIC is a veth pair on its bridge. */
    network: name.optional(),
    /** Or a bridge on the host by name (one of hosts[].bridges, or one made outside the lab). */
    bridge: ifName.optional(),
    mac: mac.optional(),
    /** A static address (without prefix: the network's is used, else /24). */
    ip: ipv4.optional(),
    gateway: ipv4.optional(),
}).strict().superRefine((n, ctx) => {
    if (!n.network === !n.bridge) ctx.addIssue({ code: "custom", path: ["network"], message: "give exactly one of network and bridge" });
});

/** The Debian releases debootstrap builds a base for, the distribution codename. */
export const containerReleases = ["bookworm"] as const;

export const containerSchema = z.object({
    name,
    /** The physical host it runs on (default: the lab's first host). */
    host: name.optional(),
    /** A base root filesystem built on the host once, shared by every container of that release (an overlay each). */
    release: z.enum(containerReleases, { error: `must be one of ${containerReleases.join(", ")}` }).default("bookworm"),
    /** CPU limit, in cores (a CFS quota: the container may run on any core). */
    cpus: z.number().min(0.1).max(256).default(1),
    memoryMiB: z.number().int().min(256),
    nics: z.array(containerNicSchema).min(1, "a container needs at least one NIC"),
    /** Host directories bound into the container (read-only unless said), e.g. images for Glance. */
    mounts: z.array(z.object({ source: absolutePath, target: absolutePath, readOnly: z.boolean().default(true) }).strict()).default([]),
    /** Started with the host (lxc.start.auto). */
    autostart: z.boolean().default(true),
    /** Seconds to wait for SSH after start. */
    bootTimeout: z.number().int().min(5).default(120),
}).strict();

/** apt-cacher-ng on a lab host: nodes install through it, so a second build downloads nothing. */
export const packageCacheSchema = z.object({
    /** The physical host it runs on (default: the lab's first host). */
    host: name.optional(),
    port: z.number().int().min(1).max(65535).default(3142),
}).strict();

export type ContainerConfig = z.infer<typeof containerSchema>;
export type ContainerNicConfig = z.infer<typeof containerNicSchema>;
export type PackageCacheConfig = z.infer<typeof packageCacheSchema>;
