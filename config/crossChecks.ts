import type { z } from "zod";
import type { ImageConfig, NetworkConfig, VethConfig, VmConfig } from "./vmSchema";
import type { ContainerConfig } from "./containerSchema";

// Checks that span several entries of a lab: names that must exist, CIDRs
// that must not overlap, addresses that must be unique and inside their
// network. Each problem is reported at the key that has it.

interface LabParts {
    hosts: Array<{ name: string }>;
    networks: NetworkConfig[];
    images: ImageConfig[];
    vms: VmConfig[];
    containers: ContainerConfig[];
    vethPatches: VethConfig[];
}

type Ctx = z.RefinementCtx;
const issue = (ctx: Ctx, path: Array<string | number>, message: string) => ctx.addIssue({ code: "custom", path, message });

function ip4() {
    return require("ipaddr.js") as typeof import("ipaddr.js");
}

function duplicates<T>(items: T[], key: (t: T) => string, ctx: Ctx, path: (i: number) => Array<string | number>, what: string): void {
    const seen = new Map<string, number>();
    items.forEach((it, i) => {
        const k = key(it);
        const first = seen.get(k);
        if (first !== undefined) issue(ctx, path(i), `duplicate ${what} ${k} (also at index ${first})`);
        else seen.set(k, i);
    });
}

export function crossCheck(lab: LabParts, ctx: Ctx): void {
    const ipaddr = ip4();
    const hosts = new Set(lab.hosts.map((h) => h.name));
    const defaultHost = lab.hosts[0]?.name;
    const hostOf = (h: string | undefined) => h ?? defaultHost;

    duplicates(lab.networks, (n) => n.name, ctx, (i) => ["networks", i, "name"], "network name");
    duplicates(lab.images, (n) => n.name, ctx, (i) => ["images", i, "name"], "image name");
    duplicates(lab.vms, (n) => n.name, ctx, (i) => ["vms", i, "name"], "VM name");
    // A node's name is how roles refer to it: one name, one node, whatever its kind.
    const nodeNames = new Map<string, string>([
        ...lab.hosts.map((h, i) => [h.name, `hosts[${i}]`] as [string, string]),
        ...lab.vms.map((v, i) => [v.name, `vms[${i}]`] as [string, string]),
    ]);
    lab.containers.forEach((c, i) => {
        const other = nodeNames.get(c.name);
        if (other) issue(ctx, ["containers", i, "name"], `duplicate node name ${c.name} (also ${other})`);
        else nodeNames.set(c.name, `containers[${i}]`);
    });

    const ranges = lab.networks.map((n) => {
        if (!n.address) return undefined;
        try {
            return ipaddr.IPv4.parseCIDR(n.address);
        } catch {
            return undefined;
        }
    });
    lab.networks.forEach((n, i) => {
        if (n.host && !hosts.has(n.host)) issue(ctx, ["networks", i, "host"], `unknown host ${n.host}`);
        if (n.address && !ranges[i]) issue(ctx, ["networks", i, "address"], `invalid CIDR ${n.address}`);
        const r = ranges[i];
        if (!r) return;
        for (let j = 0; j < i; j++) {
            const o = ranges[j];
            if (!o || hostOf(lab.networks[j].host) !== hostOf(n.host)) continue;
            if (r[0].match(o) || o[0].match(r)) issue(ctx, ["networks", i, "address"], `${n.address} overlaps networks[${j}] (${lab.networks[j].name}, ${lab.networks[j].address})`);
        }
        if (n.dhcp) {
            for (const end of ["start", "end"] as const) {
                if (ipaddr.isValid(n.dhcp[end]) && !ipaddr.IPv4.parse(n.dhcp[end]).match(r)) issue(ctx, ["networks", i, "dhcp", end], `${n.dhcp[end]} is outside ${n.address}`);
            }
            (n.dhcp.hosts ?? []).forEach((h, k) => {
                if (ipaddr.isValid(h.ip) && !ipaddr.IPv4.parse(h.ip).match(r)) issue(ctx, ["networks", i, "dhcp", "hosts", k, "ip"], `${h.ip} is outside ${n.address}`);
            });
        }
    });

    const networks = new Map(lab.networks.map((n, i) => [n.name, i]));
    const images = new Set(lab.images.map((i) => i.name));
    const ips = new Map<string, string>();
    const macs = new Map<string, string>();
    const nodes: Array<{ kind: "vms" | "containers"; what: string; entry: VmConfig | ContainerConfig }> = [
        ...lab.vms.map((entry) => ({ kind: "vms" as const, what: "VM", entry })),
        ...lab.containers.map((entry) => ({ kind: "containers" as const, what: "container", entry })),
    ];
    const indexIn = { vms: 0, containers: 0 };
    for (const { kind, what, entry: node } of nodes) {
        const v = indexIn[kind]++;
        if (node.host && !hosts.has(node.host)) issue(ctx, [kind, v, "host"], `unknown host ${node.host}`);
        if (kind === "vms" && !images.has((node as VmConfig).image)) issue(ctx, [kind, v, "image"], `unknown image ${(node as VmConfig).image}`);
        node.nics.forEach((nic, k) => {
            const at = [kind, v, "nics", k];
            if (!nic.network) return;
            const ni = networks.get(nic.network);
            if (ni === undefined) {
                issue(ctx, [...at, "network"], `unknown network ${nic.network}`);
                return;
            }
            const net = lab.networks[ni];
            if (hostOf(net.host) !== hostOf(node.host)) issue(ctx, [...at, "network"], `network ${net.name} is on host ${hostOf(net.host)}, the ${what} on ${hostOf(node.host)}`);
            if (nic.ip) {
                const r = ranges[ni];
                if (r && ipaddr.isValid(nic.ip)) {
                    const a = ipaddr.IPv4.parse(nic.ip);
                    if (!a.match(r)) issue(ctx, [...at, "ip"], `${nic.ip} is outside network ${net.name} (${net.address})`);
                    else if (nic.ip === r[0].toString()) issue(ctx, [...at, "ip"], `${nic.ip} is the host's own address on ${net.name}`);
                }
                const key = `${net.name}/${nic.ip}`;
                const other = ips.get(key);
                if (other) issue(ctx, [...at, "ip"], `duplicate IP ${nic.ip} on ${net.name} (also ${other})`);
                else ips.set(key, `${kind}[${v}].nics[${k}]`);
            }
        });
        node.nics.forEach((nic, k) => {
            if (!nic.mac) return;
            const m = nic.mac.toLowerCase();
            const other = macs.get(m);
            if (other) issue(ctx, [kind, v, "nics", k, "mac"], `duplicate MAC ${nic.mac} (also ${other})`);
            else macs.set(m, `${kind}[${v}].nics[${k}]`);
        });
    }

    lab.vethPatches.forEach((p, i) => {
        if (p.host && !hosts.has(p.host)) issue(ctx, ["vethPatches", i, "host"], `unknown host ${p.host}`);
    });
}
