import { configErrorOf } from "../helpers/configError";
import { parseLab } from "../../config/load";

const SHA = "a".repeat(64);
const base = () => ({
    hosts: [{ name: "host", address: "local" }],
    networks: [
        { name: "default", mode: "nat", bridge: "virbr0", address: "192.168.122.1/24", dhcp: { start: "192.168.122.2", end: "192.168.122.254" } },
        { name: "privatenet", mode: "isolated", bridge: "privatebr0", address: "10.0.0.1/24" },
        { name: "public", mode: "bridge", bridge: "br0" },
    ],
    images: [{ name: "debian", path: "/var/lib/images/debian.qcow2", sha256: SHA }],
    vms: [
        { name: "controller", role: "controller", image: "debian", vcpus: 4, memoryMiB: 16384, diskGiB: 32,
            nics: [{ network: "default" }, { network: "privatenet", ip: "10.0.0.4" }] },
        { name: "storage", role: "storage", image: "debian", vcpus: 2, memoryMiB: 4096, diskGiB: 32, extraDisks: [{ name: "cinder", sizeGiB: 200 }],
            nics: [{ network: "default" }, { network: "privatenet", ip: "10.0.0.3" }] },
    ],
});

function errorOf(mutate: (lab: any) => void): string {
    const lab = base();
    mutate(lab);
    return configErrorOf(() => parseLab(lab));
}

describe("VM layer config", () => {
    it("accepts seed 000's networks and VMs", () => {
        const lab = parseLab(base());
        expect(lab.vms[1].extraDisks).toEqual([{ name: "cinder", sizeGiB: 200 }]);
        expect(lab.vms[0].user).toBe("lab");
    });

    it("rejects overlapping CIDRs, naming the later network", () => {
        expect(errorOf((l) => l.networks[1].address = "192.168.122.129/25"))
            .toContain("openstack-lab:networks[1].address: 192.168.122.129/25 overlaps networks[0] (default, 192.168.122.1/24)");
    });

    it("rejects an IP outside its network and the host's own address", () => {
        expect(errorOf((l) => l.vms[0].nics[1].ip = "10.0.1.4")).toContain("openstack-lab:vms[0].nics[1].ip: 10.0.1.4 is outside network privatenet (10.0.0.1/24)");
        expect(errorOf((l) => l.vms[0].nics[1].ip = "10.0.0.1")).toContain("openstack-lab:vms[0].nics[1].ip: 10.0.0.1 is the host's own address on privatenet");
    });

    it("rejects a duplicate IP and a duplicate MAC", () => {
        expect(errorOf((l) => l.vms[1].nics[1].ip = "10.0.0.4")).toContain("openstack-lab:vms[1].nics[1].ip: duplicate IP 10.0.0.4 on privatenet (also vms[0].nics[1])");
        expect(errorOf((l) => {
            l.vms[0].nics[0].mac = "02:00:00:00:00:0A";
            l.vms[1].nics[0].mac = "02:00:00:00:00:0a";
        })).toContain("openstack-lab:vms[1].nics[0].mac: duplicate MAC 02:00:00:00:00:0a");
    });

    it("rejects a VM on an unknown network, an unknown image or role, and an unpadded MAC", () => {
        expect(errorOf((l) => l.vms[0].nics[0].network = "nowhere")).toContain("openstack-lab:vms[0].nics[0].network: unknown network nowhere");
        expect(errorOf((l) => l.vms[0].image = "ubuntu")).toContain("openstack-lab:vms[0].image: unknown image ubuntu");
        expect(errorOf((l) => l.vms[0].role = "database")).toContain("openstack-lab:vms[0].role: must be one of");
        expect(errorOf((l) => l.vms[0].nics[0].mac = "02:4:75:F:A9:D")).toContain("openstack-lab:vms[0].nics[0].mac: must be a MAC address");
    });

    it("rejects a VM with no static address before any component runs", () => {
        expect(errorOf((l) => { for (const n of l.vms[0].nics) delete n.ip; }))
            .toContain("openstack-lab:vms[0].nics: a VM needs a NIC with a static ip: the lab reaches it there over SSH");
    });

    it("rejects a NAT network without an address and a DHCP range outside it", () => {
        expect(errorOf((l) => delete l.networks[0].address)).toContain("openstack-lab:networks[0].address: a nat network needs");
        expect(errorOf((l) => l.networks[0].dhcp.end = "192.168.123.9")).toContain("openstack-lab:networks[0].dhcp.end: 192.168.123.9 is outside 192.168.122.1/24");
    });
});

describe("fixed DHCP leases", () => {
    it("accepts leases inside the network and names one outside it", () => {
        const lab = base();
        (lab.networks[0] as any).dhcp.hosts = [{ mac: "02:00:00:00:00:01", ip: "192.168.122.20", name: "gateway" }];
        expect(parseLab(lab).networks[0].dhcp?.hosts?.[0].ip).toBe("192.168.122.20");
        expect(errorOf((l) => l.networks[0].dhcp.hosts = [{ mac: "02:00:00:00:00:01", ip: "10.9.9.9" }]))
            .toContain("openstack-lab:networks[0].dhcp.hosts[0].ip: 10.9.9.9 is outside 192.168.122.1/24");
    });
});
