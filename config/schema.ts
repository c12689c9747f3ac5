import { z } from "zod";
import { imageSchema, networkSchema, vethSchema, vmSchema } from "./vmSchema";
import { crossCheck } from "./crossChecks";
import { iniSections } from "./iniSchema";
import { gatewaySchema } from "./gatewaySchema";
import { controllerSchema, packageSourceSchema } from "./controllerSchema";
import { computeSchema } from "./computeSchema";
import { firstInstanceSchema } from "./instanceSchema";
import { monitoringSchema } from "./monitoringSchema";
import { tempestSchema } from "./tempestSchema";
import { storageSchema } from "./storageSchema";
import { containerSchema, packageCacheSchema } from "./containerSchema";

// The stack config, as a lab operator writes it in Pulumi.<stack>.yaml under
// the `openstack-lab:` namespace. Every field is checked here, before any
// host is touched, so that a mistake fails `pulumi preview` with its key.

const hostName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a lowercase host name (letters, digits, -)");
const sshPublicKey = z.string().regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+=*( .*)?$/,
    "must be a public key line like `ssh-ed25519 AAAA...` (ssh-keyscan prints it)");
const address = z.union([z.literal("local"), z.ipv4(), z.ipv6(), z.hostname().refine((s) => !/^[0-9.]+$/.test(s))], {
    error: "must be an IP address, a host name, or \"local\" for this machine",
});

export const nestedMode = z.enum(["check", "enable"]);

export const physicalHostSchema = z.object({
    name: hostName,
    address,
    port: z.number().int().min(1).max(65535).default(22),
    user: z.string().regex(/^[a-z_][a-z0-9_-]*$/, "must be a user name").default("root"),
    hostKey: sshPublicKey.optional(),
    /** Chooses the default package list and service names. */
    family: z.enum(["debian", "rhel"]).default("debian"),
    /** Overrides the virtualization packages of the family. */
    packages: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9+.\-_:]*$/, "invalid package name")).optional(),
    /** Overrides the services kept enabled and running (libvirtd by default). */
    services: z.array(z.string().regex(/^[A-Za-z0-9@_.:\-]+$/, "invalid unit name")).optional(),
    /** check: report whether nested KVM is on; enable: also set it in /etc/modprobe.d as seed 000 does. */
    nestedVirtualization: nestedMode.default("check"),
    /** Extra kernel parameters beyond those a lab host needs. */
    sysctls: z.record(z.string().regex(/^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)+$/, "invalid sysctl key"), z.union([z.string(), z.number()])).default({}),
    /** Linux bridges on the host, live and persisted (seed 000: br0 on eno2). */
    bridges: z.array(z.object({
        name: z.string().regex(/^[A-Za-z0-9_.\-]{1,15}$/, "must be an interface name of 1-15 letters, digits, _ . -"),
        nic: z.string().regex(/^[A-Za-z0-9_.\-]{1,15}$/, "must be an interface name").optional(),
        mac: z.string().regex(/^[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}$/, "must be a MAC address like e0:db:55:20:e4:ed").optional(),
        addresses: z.array(z.string().regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, "must be an IPv4 address with prefix")).optional(),
        gateway: z.ipv4().optional(),
        persist: z.enum(["auto", "netplan", "ifupdown", "ifcfg"]).default("auto"),
    }).strict()).default([]),
    /** Tap interfaces (seed 000 section 7: tap0). */
    taps: z.array(z.string().regex(/^[A-Za-z0-9_.\-]{1,15}$/, "must be an interface name of 1-15 letters, digits, _ . -")).default([]),
    /** Where the host keeps its VMs' disks and seeds. */
    vmDir: z.string().regex(/^\/[^\0\n]*$/, "must be an absolute path").default("/var/lib/libvirt/images/openstack-lab"),
    /** Whole files to manage on the host, by path (what was there before comes back on destroy). */
    files: z.record(z.string().regex(/^\/[^\0\n]*$/, "must be an absolute path"), z.object({
        content: z.string(),
        mode: z.string().regex(/^0?[0-7]{3,4}$/, "must be an octal mode like 0644").optional(),
        owner: z.string().regex(/^[a-z_][a-z0-9_-]*$/, "must be a user name").optional(),
        group: z.string().regex(/^[a-z_][a-z0-9_-]*$/, "must be a group name").optional(),
    }).strict()).default({}),
    /** INI keys to manage on the host, by file path. */
    ini: z.record(z.string().regex(/^\/[^\0\n]*$/, "must be an absolute path"), iniSections).default({}),
}).strict().superRefine((h, ctx) => {
    if (h.address !== "local" && !h.hostKey) {
        ctx.addIssue({ code: "custom", path: ["hostKey"], message: `required for SSH host ${h.address}: pin it from \`ssh-keyscan -t ed25519 ${h.address}\`, checked out of band` });
    }
});

const labSchemaBase = z.object({
    hosts: z.array(physicalHostSchema).min(1, "a lab needs at least one host"),
    networks: z.array(networkSchema).default([]),
    images: z.array(imageSchema).default([]),
    vms: z.array(vmSchema).default([]),
    containers: z.array(containerSchema).default([]),
    packageCache: packageCacheSchema.optional(),
    vethPatches: z.array(vethSchema).default([]),
    packageSource: packageSourceSchema.default({ apt: [] }),
    controller: controllerSchema.optional(),
    computes: z.array(computeSchema).default([]),
    gateway: gatewaySchema.optional(),
    storage: storageSchema.optional(),
    firstInstance: firstInstanceSchema.optional(),
    monitoring: monitoringSchema.optional(),
    tempest: tempestSchema.optional(),
});

/** The lab's keys under `openstack-lab:`, as the schema knows them. */
export const LAB_KEYS = Object.keys(labSchemaBase.shape) as Array<keyof typeof labSchemaBase.shape>;

export const labSchema = labSchemaBase.superRefine((lab, ctx) => {
    crossCheck(lab, ctx);
    const seen = new Map<string, number>();
    lab.hosts.forEach((h, i) => {
        const first = seen.get(h.name);
        if (first !== undefined) {
            ctx.addIssue({ code: "custom", path: ["hosts", i, "name"], message: `duplicate host name ${h.name} (also hosts[${first}])` });
        }
        seen.set(h.name, i);
    });
    if (lab.controller) {
        const target = nodeTarget(lab, lab.controller.host);
        if (!target) {
            ctx.addIssue({ code: "custom", path: ["controller", "host"], message: unknownNode(lab.controller.host) });
        } else if (!lab.controller.address && !target.address) {
            ctx.addIssue({ code: "custom", path: ["controller", "address"], message: `required: ${lab.controller.host} has no IPv4 address to advertise (${target.described})` });
        }
    }
    if (lab.packageCache?.host && !lab.hosts.some((h) => h.name === lab.packageCache!.host)) {
        ctx.addIssue({ code: "custom", path: ["packageCache", "host"], message: `unknown host ${lab.packageCache.host}` });
    }
    lab.containers.forEach((c, i) => {
        if (!c.nics.some((n) => n.ip)) ctx.addIssue({ code: "custom", path: ["containers", i, "nics"], message: `container ${c.name} needs a NIC with a static ip to be reached on` });
    });
    checkComputes(lab, ctx);
    checkStorage(lab, ctx);
    checkMonitoring(lab, ctx);
    if (lab.firstInstance) {
        const missing = ["glance", "nova", "neutron"].filter((s) => !lab.controller?.services.includes(s as never));
        if (!lab.controller) ctx.addIssue({ code: "custom", path: ["firstInstance"], message: "needs openstack-lab:controller" });
        else if (missing.length) ctx.addIssue({ code: "custom", path: ["firstInstance"], message: `needs ${missing.join(", ")} in openstack-lab:controller.services` });
        else if (lab.computes.length === 0) ctx.addIssue({ code: "custom", path: ["firstInstance"], message: "needs a compute node in openstack-lab:computes to run on" });
        else if (lab.firstInstance.image.build && !lab.containers.some((c) => c.name === lab.controller!.host)) {
            ctx.addIssue({ code: "custom", path: ["firstInstance", "image", "build"], message: `needs the controller on a container (${lab.controller.host} is not one): the image is built on the container's host and mounted into it; give url for any other controller` });
        }
    }
    // Tempest's servers boot the first instance's image and flavor, on its network.
    if (lab.tempest && !lab.firstInstance) ctx.addIssue({ code: "custom", path: ["tempest"], message: "needs openstack-lab:firstInstance (its image, flavor and network are the ones Tempest's servers use)" });
    if (lab.gateway) {
        const target = nodeTarget(lab, lab.gateway.host);
        if (!target) ctx.addIssue({ code: "custom", path: ["gateway", "host"], message: unknownNode(lab.gateway.host) });
        else if (!lab.gateway.address && !target.address) {
            ctx.addIssue({ code: "custom", path: ["gateway", "address"], message: `required: ${lab.gateway.host} has no IPv4 address to give the lab (${target.described})` });
        }
    }
});

const unknownNode = (name: string) => `no node named ${name} in hosts, vms or containers`;

/** A hosts[] entry, a VM or a container by name, with the IPv4 address it can be reached and advertised at. */
function nodeTarget(lab: z.infer<typeof labSchemaBase>, name: string): { address?: string; described: string } | undefined {
    const host = lab.hosts.find((h) => h.name === name);
    if (host) return { address: z.ipv4().safeParse(host.address).success ? host.address : undefined, described: host.address };
    const vm = lab.vms.find((v) => v.name === name);
    if (vm) return { address: vm.nics.find((n) => n.ip)?.ip, described: "a VM without a static ip" };
    const container = lab.containers.find((c) => c.name === name);
    if (container) return { address: container.nics.find((n) => n.ip)?.ip, described: "a container without a static ip" };
    return undefined;
}

/** Compute nodes need a controller with Nova and Neutron, a host of their own, and an address to advertise. */
function checkComputes(lab: z.infer<typeof labSchemaBase>, ctx: z.RefinementCtx): void {
    const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: "custom", path, message });
    const names = new Map<string, number>();
    lab.computes.forEach((c, i) => {
        const host = nodeTarget(lab, c.host);
        if (!lab.controller) issue(["computes", i], "needs openstack-lab:controller");
        else if (!lab.controller.services.includes("nova") || !lab.controller.services.includes("neutron")) {
            issue(["computes", i], "needs nova and neutron in openstack-lab:controller.services");
        }
        if (!host) issue(["computes", i, "host"], unknownNode(c.host));
        else if (lab.controller?.host === c.host) issue(["computes", i, "host"], `${c.host} is the controller's host; nova.conf and neutron.conf there belong to the controller`);
        else if (!c.address && !host.address) issue(["computes", i, "address"], `required: ${c.host} has no IPv4 address (${host.described})`);
        const name = c.name ?? c.host;
        const first = names.get(name);
        if (first !== undefined) issue(["computes", i, "name"], `duplicate compute node ${name} (also computes[${first}])`);
        else names.set(name, i);
    });
}

/**
 * The storage node needs a controller with Cinder, a host of its own (cinder.conf on the
 * controller's host is the controller's), an address for the iSCSI targets, and disks:
 * given, or a VM's extraDisks.
 */
function checkStorage(lab: z.infer<typeof labSchemaBase>, ctx: z.RefinementCtx): void {
    const s = lab.storage;
    if (!s) return;
    const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: "custom", path: ["storage", ...path], message });
    if (!lab.controller) issue([], "needs openstack-lab:controller");
    else if (!lab.controller.services.includes("cinder")) issue([], "needs cinder in openstack-lab:controller.services");
    const target = nodeTarget(lab, s.host);
    if (!target) return issue(["host"], unknownNode(s.host));
    if (lab.controller?.host === s.host) issue(["host"], `${s.host} is the controller's host; cinder.conf there belongs to the controller`);
    if (!s.address && !target.address) issue(["address"], `required: ${s.host} has no IPv4 address for the iSCSI targets (${target.described})`);
    const vm = lab.vms.find((v) => v.name === s.host);
    if (!s.devices && !vm?.extraDisks.length) {
        issue(["devices"], vm ? `required: VM ${s.host} has no extraDisks to default to` : `required on a hosts[] entry: the disks for volume group ${s.volumeGroup}`);
    }
}

/** Prometheus and each collectd node need a host or VM with an address Prometheus can reach. */
function checkMonitoring(lab: z.infer<typeof labSchemaBase>, ctx: z.RefinementCtx): void {
    const m = lab.monitoring;
    if (!m) return;
    if (!nodeTarget(lab, m.host)) ctx.addIssue({ code: "custom", path: ["monitoring", "host"], message: unknownNode(m.host) });
    const seen = new Set<string>();
    m.nodes.forEach((n, i) => {
        const target = nodeTarget(lab, n.host);
        if (!target) ctx.addIssue({ code: "custom", path: ["monitoring", "nodes", i, "host"], message: unknownNode(n.host) });
        else if (!n.address && !target.address) ctx.addIssue({ code: "custom", path: ["monitoring", "nodes", i, "address"], message: `required: ${n.host} has no IPv4 address for Prometheus to scrape (${target.described})` });
        if (seen.has(n.host)) ctx.addIssue({ code: "custom", path: ["monitoring", "nodes", i, "host"], message: `${n.host} is listed twice` });
        seen.add(n.host);
    });
}

export type LabConfig = z.infer<typeof labSchema>;
export type PhysicalHostConfig = z.infer<typeof physicalHostSchema>;
