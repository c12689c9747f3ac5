import { parseLab } from "../../config/load";
import { configErrorOf } from "../helpers/configError";
import { natGatewayProvider, parsePresent } from "../../providers/natGateway";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
const hosts = [{ name: "gw", address: "10.0.0.2", hostKey: KEY }];
const errorOf = (raw: Record<string, unknown>) => configErrorOf(() => parseLab(raw));

describe("gateway config", () => {
    it("takes seed 000's gateway: a node, its way out and the networks it routes", () => {
        const lab = parseLab({ hosts, gateway: { host: "gw", outInterface: "ens5", sources: ["10.0.0.0/24", "203.0.113.0/28"] } });
        expect(lab.gateway).toEqual({ host: "gw", outInterface: "ens5", sources: ["10.0.0.0/24", "203.0.113.0/28"] });
    });

    it("names the key of an unknown node, a bad network, a host address for a network and a bad interface", () => {
        expect(errorOf({ hosts, gateway: { host: "nowhere", outInterface: "ens5", sources: ["10.0.0.0/24"] } }))
            .toContain("openstack-lab:gateway.host: no node named nowhere in hosts, vms or containers");
        expect(errorOf({ hosts, gateway: { host: "gw", outInterface: "ens5", sources: ["10.0.0/24"] } })).toContain("openstack-lab:gateway.sources[0]");
        expect(errorOf({ hosts, gateway: { host: "gw", outInterface: "ens5", sources: ["10.0.0.0/24", "10.0.0.5/24"] } }))
            .toContain("openstack-lab:gateway.sources[1]: must be a network's own address with its prefix, like 10.0.0.0/24");
        expect(errorOf({ hosts, gateway: { host: "gw", outInterface: "ens5; reboot", sources: ["10.0.0.0/24"] } })).toContain("openstack-lab:gateway.outInterface");
        expect(errorOf({ hosts, gateway: { host: "gw", outInterface: "ens5", sources: [] } })).toContain("openstack-lab:gateway.sources: needs at least one network");
    });
});

describe("NatGateway", () => {
    it("refuses bad networks and interfaces before touching the host", async () => {
        const r = await natGatewayProvider.check!({}, { connection: { name: "gw", address: "10.0.0.2" }, sources: ["10.0.0.0/24", "10.0.0.1/24", "$(id)/8"], outInterface: "a b" });
        expect(r.failures!.map((f) => f.reason)).toEqual([
            'invalid network "10.0.0.1/24": an IPv4 network like 10.0.0.0/24',
            'invalid network "$(id)/8": an IPv4 network like 10.0.0.0/24',
            'invalid interface "a b"',
        ]);
    });

    it("reads back its rules for its own interface only, a /32 without its mask as iptables prints it", () => {
        const out = [
            "-N OLAB-NAT", "-A OLAB-NAT -s 10.0.0.0/24 -o ens5 -m comment --comment openstack-lab -j MASQUERADE",
            "-A OLAB-NAT -s 10.9.0.0/24 -o ens9 -m comment --comment openstack-lab -j MASQUERADE",
            "-N OLAB-FORWARD", "-A OLAB-FORWARD -s 192.0.2.7/32 -o ens5 -j ACCEPT",
            "-A OLAB-FORWARD -d 10.0.0.0/24 -i ens5 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", "jump nat",
        ].join("\n");
        expect(parsePresent(out, "ens5")).toEqual(["forward 192.0.2.7/32", "jump nat", "nat 10.0.0.0/24", "return 10.0.0.0/24"]);
    });
});
