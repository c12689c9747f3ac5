import { configErrorOf } from "../helpers/configError";
import { parseLab } from "../../config/load";

const hosts = [{ name: "local", address: "local" }];
const networks = [
    { name: "privatenet", mode: "isolated", bridge: "privatebr0", address: "10.0.0.1/24" },
    { name: "provider", mode: "isolated", bridge: "providerbr0" },
];
const ct = (name: string, ip: string, over: Record<string, unknown> = {}) => ({ name, memoryMiB: 1024, nics: [{ network: "privatenet", ip }, { network: "provider" }], ...over });
const errorOf = (raw: Record<string, unknown>) => configErrorOf(() => parseLab({ hosts, networks, ...raw }));

describe("containers in the stack config", () => {
    it("fills defaults: the first host, bookworm, one core, autostart", () => {
        const lab = parseLab({ hosts, networks, containers: [ct("controller", "10.0.0.4")], packageCache: {} });
        expect(lab.containers[0]).toMatchObject({ release: "bookworm", cpus: 1, autostart: true, mounts: [], bootTimeout: 120 });
        expect(lab.packageCache).toEqual({ port: 3142 });
    });

    it("lets a role run on a container by name", () => {
        const lab = parseLab({ hosts, networks, containers: [ct("controller", "10.0.0.4"), ct("compute", "10.0.0.5")], controller: { host: "controller" }, computes: [{ host: "compute" }] });
        expect(lab.computes[0].host).toBe("compute");
    });

    it("names the key of an unknown network", () => {
        expect(errorOf({ containers: [ct("c1", "10.0.0.4", { nics: [{ network: "nowhere", ip: "10.0.0.4" }] })] }))
            .toContain("openstack-lab:containers[0].nics[0].network: unknown network nowhere");
    });

    it("names the key of a duplicate IP, across VMs and containers alike", () => {
        expect(errorOf({ containers: [ct("c1", "10.0.0.4"), ct("c2", "10.0.0.4")] }))
            .toContain("openstack-lab:containers[1].nics[0].ip: duplicate IP 10.0.0.4 on privatenet (also containers[0].nics[0])");
    });

    it("names the key of a duplicate MAC", () => {
        const mac = "02:00:00:00:00:01";
        expect(errorOf({ containers: [ct("c1", "10.0.0.4", { nics: [{ network: "privatenet", ip: "10.0.0.4", mac }] }), ct("c2", "10.0.0.5", { nics: [{ network: "privatenet", ip: "10.0.0.5", mac }] })] }))
            .toContain("openstack-lab:containers[1].nics[0].mac: duplicate MAC 02:00:00:00:00:01 (also containers[0].nics[0])");
    });

    it("names the key of a role on an unknown node", () => {
        expect(errorOf({ containers: [ct("c1", "10.0.0.4")], controller: { host: "c1" }, computes: [{ host: "nowhere" }] }))
            .toContain("openstack-lab:computes[0].host: no node named nowhere in hosts, vms or containers");
    });

    it("refuses a container named like a host, an address outside its network, a NIC with neither network nor bridge", () => {
        expect(errorOf({ containers: [ct("local", "10.0.0.4")] })).toContain("openstack-lab:containers[0].name: duplicate node name local (also hosts[0])");
        expect(errorOf({ containers: [ct("c1", "10.1.0.4")] })).toContain("openstack-lab:containers[0].nics[0].ip: 10.1.0.4 is outside network privatenet (10.0.0.1/24)");
        expect(errorOf({ containers: [ct("c1", "10.0.0.4", { nics: [{ ip: "10.0.0.4" }] })] })).toContain("openstack-lab:containers[0].nics[0].network: give exactly one of network and bridge");
    });

    it("needs a static address to reach a container on, and a package cache on a known host", () => {
        expect(errorOf({ containers: [ct("c1", "10.0.0.4", { nics: [{ network: "provider" }] })] })).toContain("openstack-lab:containers[0].nics: container c1 needs a NIC with a static ip");
        expect(errorOf({ packageCache: { host: "elsewhere" } })).toContain("openstack-lab:packageCache.host: unknown host elsewhere");
    });

    it("refuses mount paths a shell or an fstab line would split", () => {
        expect(errorOf({ containers: [ct("c1", "10.0.0.4", { mounts: [{ source: "/a b", target: "/b" }] })] })).toContain("openstack-lab:containers[0].mounts[0].source:");
    });
});
