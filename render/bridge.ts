// How a Linux bridge is persisted, per network configuration system. The
// live bridge is made with `ip`; these files make it come back at boot.

export interface BridgeSpec {
    name: string;
    /** A NIC enslaved to the bridge (seed 000: br0 on eno2). */
    nic?: string;
    /** The bridge's MAC (seed 000 gives br0 eno2's). */
    mac?: string;
    /** Addresses with prefix, e.g. 10.32.45.216/24. */
    addresses?: string[];
    gateway?: string;
}

export type Persistence = "netplan" | "ifupdown" | "ifcfg";

export function persistencePath(kind: Persistence, name: string): string {
    switch (kind) {
        case "netplan": return `/etc/netplan/60-openstack-lab-${name}.yaml`;
        case "ifupdown": return `/etc/network/interfaces.d/openstack-lab-${name}`;
        case "ifcfg": return `/etc/sysconfig/network-scripts/ifcfg-${name}`;
    }
}

export function renderNetplan(b: BridgeSpec): string {
    const YAML = require("yaml") as typeof import("yaml");
    const bridge: Record<string, unknown> = {
        interfaces: b.nic ? [b.nic] : [],
        dhcp4: false,
        ...(b.addresses?.length ? { addresses: b.addresses } : {}),
        ...(b.mac ? { macaddress: b.mac } : {}),
        ...(b.gateway ? { routes: [{ to: "default", via: b.gateway }] } : {}),
        parameters: { stp: false, "forward-delay": 0 },
    };
    return YAML.stringify({
        network: { version: 2, ...(b.nic ? { ethernets: { [b.nic]: { dhcp4: false } } } : {}), bridges: { [b.name]: bridge } },
    });
}

export function renderIfupdown(b: BridgeSpec): string {
    const lines = [
        ...(b.nic ? [`iface ${b.nic} inet manual`, ""] : []),
        `auto ${b.name}`,
        `iface ${b.name} inet ${b.addresses?.length ? "static" : "manual"}`,
        ...(b.addresses ?? []).map((a) => `    address ${a}`),
        ...(b.gateway ? [`    gateway ${b.gateway}`] : []),
        ...(b.mac ? [`    hwaddress ether ${b.mac}`] : []),
        `    bridge_ports ${b.nic ?? "none"}`,
        "    bridge_stp off",
        "    bridge_fd 0",
    ];
    return lines.join("\n") + "\n";
}

/** RHEL-family ifcfg files: the bridge's, and the enslaved NIC's. */
export function renderIfcfg(b: BridgeSpec): { bridge: string; nic?: string } {
    const bridge = [
        `DEVICE=${b.name}`, "TYPE=Bridge", "ONBOOT=yes", "STP=no", "DELAY=0",
        "BOOTPROTO=none",
        ...(b.addresses ?? []).flatMap((a, i) => {
            const [ip, prefix] = a.split("/");
            const n = i === 0 ? "" : String(i);
            return [`IPADDR${n}=${ip}`, `PREFIX${n}=${prefix}`];
        }),
        ...(b.gateway ? [`GATEWAY=${b.gateway}`] : []),
        ...(b.mac ? [`MACADDR=${b.mac}`] : []),
    ].join("\n") + "\n";
    return { bridge, ...(b.nic ? { nic: [`DEVICE=${b.nic}`, "ONBOOT=yes", `BRIDGE=${b.name}`].join("\n") + "\n" } : {}) };
}
