import { fromXml, many, toXml } from "./xml";

/** A libvirt network, as the stack config describes it. */
export interface NetworkSpec {
    name: string;
    /** nat: routed out through the host; isolated: host-only (seed 000's privatenet); bridge: an existing host bridge. */
    mode: "nat" | "isolated" | "bridge";
    bridge: string;
    /** The host's address on the network with its prefix, e.g. 10.0.0.1/24 (nat and isolated). */
    address?: string;
    dhcp?: { start: string; end: string; hosts?: DhcpHost[] };
}

export interface DhcpHost { mac: string; ip: string; name?: string }

const ip4 = () => require("ipaddr.js") as typeof import("ipaddr.js");

export function renderNetworkXml(spec: NetworkSpec): string {
    const ipaddr = ip4();
    const network: Record<string, unknown> = { name: spec.name };
    if (spec.mode === "bridge") {
        network.forward = { "@mode": "bridge" };
        network.bridge = { "@name": spec.bridge };
        return toXml({ network });
    }
    if (spec.mode === "nat") network.forward = { "@mode": "nat" };
    network.bridge = { "@name": spec.bridge, "@stp": "on", "@delay": "0" };
    if (spec.address) {
        const [addr, prefix] = ipaddr.parseCIDR(spec.address);
        const ip: Record<string, unknown> = {
            "@address": addr.toString(),
            "@netmask": ipaddr.IPv4.subnetMaskFromPrefixLength(prefix).toString(),
        };
        if (spec.dhcp) {
            ip.dhcp = {
                range: { "@start": spec.dhcp.start, "@end": spec.dhcp.end },
                ...(spec.dhcp.hosts?.length ? { host: spec.dhcp.hosts.map((h) => ({ "@mac": h.mac.toLowerCase(), ...(h.name ? { "@name": h.name } : {}), "@ip": h.ip })) } : {}),
            };
        }
        network.ip = ip;
    }
    return toXml({ network });
}

/** What of a defined network matters to us, read back from `virsh net-dumpxml`. */
export function parseNetworkXml(xml: string): NetworkSpec {
    const ipaddr = ip4();
    const n = fromXml(xml).network ?? {};
    const forward = n.forward?.["@mode"];
    const mode: NetworkSpec["mode"] = forward === "bridge" ? "bridge" : forward === "nat" ? "nat" : "isolated";
    const spec: NetworkSpec = { name: String(n.name), mode, bridge: n.bridge?.["@name"] ?? "" };
    const ip = many(n.ip)[0];
    if (ip && mode !== "bridge") {
        const prefix = ip["@prefix"] ?? ipaddr.IPv4.parse(ip["@netmask"]).prefixLengthFromSubnetMask();
        spec.address = `${ip["@address"]}/${prefix}`;
        if (ip.dhcp) {
            const range = many(ip.dhcp.range)[0];
            const hosts = many(ip.dhcp.host).map((h: Record<string, string>) => ({ mac: h["@mac"].toLowerCase(), ip: h["@ip"], ...(h["@name"] ? { name: h["@name"] } : {}) }));
            spec.dhcp = { start: range?.["@start"], end: range?.["@end"], ...(hosts.length ? { hosts } : {}) };
        }
    }
    return spec;
}

/** The spec as libvirt would give it back, so that it compares equal to `parseNetworkXml`. */
export function normalizeNetwork(spec: NetworkSpec): NetworkSpec {
    return parseNetworkXml(renderNetworkXml(spec));
}
