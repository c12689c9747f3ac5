import { z } from "zod";
import { imageSchema, networkSchema, vethSchema, vmSchema } from "./vmSchema";
import { crossCheck } from "./crossChecks";
import { controllerSchema, packageSourceSchema } from "./controllerSchema";

// The stack config, as a lab operator writes it in Pulumi.<stack>.yaml under
// the `openstack-lab:` namespace. Every field is checked here, before any
// host is touched, so that a mistake fails `pulumi preview` with its key.

const hostName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "must be a lowercase host name (letters, digits, -)");
const sshPublicKey = z.string().regex(/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+=*( .*)?$/,
    "must be a public key line like `ssh-ed25519 AAAA...` (ssh-keyscan prints it)");
const address = z.union([z.literal("local"), z.ipv4(), z.ipv6(), z.hostname().refine((s) => !/^[0-9.]+$/.test(s))], {
    error: "must be an IP address, a host name, or \"local\" for this machine",
});
const iniValue = z.union([z.string(), z.array(z.string())]);
const iniFile = z.record(z.string().min(1), z.record(z.string().regex(/^[A-Za-z0-9_.\-]+$/, "invalid INI key name"), iniValue));

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
    ini: z.record(z.string().regex(/^\/[^\0\n]*$/, "must be an absolute path"), iniFile).default({}),
}).strict().superRefine((h, ctx) => {
    if (h.address !== "local" && !h.hostKey) {
        ctx.addIssue({ code: "custom", path: ["hostKey"], message: `required for SSH host ${h.address}: pin it from \`ssh-keyscan -t ed25519 ${h.address}\`, checked out of band` });
    }
});

export const labSchema = z.object({
    hosts: z.array(physicalHostSchema).min(1, "a lab needs at least one host"),
    networks: z.array(networkSchema).default([]),
    images: z.array(imageSchema).default([]),
    vms: z.array(vmSchema).default([]),
    vethPatches: z.array(vethSchema).default([]),
    packageSource: packageSourceSchema.default({ apt: [] }),
    controller: controllerSchema.optional(),
}).superRefine((lab, ctx) => {
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
        const host = lab.hosts.find((h) => h.name === lab.controller!.host);
        if (!host) {
            ctx.addIssue({ code: "custom", path: ["controller", "host"], message: `no host named ${lab.controller.host} in hosts` });
        } else if (!lab.controller.address && !z.ipv4().safeParse(host.address).success) {
            ctx.addIssue({ code: "custom", path: ["controller", "address"], message: `required: host ${host.name} has no IPv4 address to advertise (${host.address})` });
        }
    }
});

export type LabConfig = z.infer<typeof labSchema>;
export type PhysicalHostConfig = z.infer<typeof physicalHostSchema>;
