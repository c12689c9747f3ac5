import * as YAML from "yaml";
import { persistencePath, renderIfcfg, renderIfupdown, renderNetplan } from "../../render/bridge";

// Seed 000's br0: on eno2, with eno2's MAC, 10.32.45.216/24, gateway .254.
const BR0 = { name: "br0", nic: "eno2", mac: "e0:db:55:20:e4:ed", addresses: ["10.32.45.216/24"], gateway: "10.32.45.254" };

describe("bridge persistence", () => {
    it("writes seed 000's br0 for ifupdown as the runbook does", () => {
        expect(renderIfupdown(BR0)).toBe([
            "iface eno2 inet manual", "", "auto br0", "iface br0 inet static", "    address 10.32.45.216/24",
            "    gateway 10.32.45.254", "    hwaddress ether e0:db:55:20:e4:ed", "    bridge_ports eno2", "    bridge_stp off", "    bridge_fd 0", "",
        ].join("\n"));
        expect(persistencePath("ifupdown", "br0")).toBe("/etc/network/interfaces.d/openstack-lab-br0");
    });

    it("writes it for netplan", () => {
        expect(YAML.parse(renderNetplan(BR0))).toEqual({ network: { version: 2,
            ethernets: { eno2: { dhcp4: false } },
            bridges: { br0: { interfaces: ["eno2"], dhcp4: false, addresses: ["10.32.45.216/24"], macaddress: "e0:db:55:20:e4:ed",
                routes: [{ to: "default", via: "10.32.45.254" }], parameters: { stp: false, "forward-delay": 0 } } } } });
    });

    it("writes ifcfg files for the RHEL family, the NIC pointing at its bridge", () => {
        const r = renderIfcfg(BR0);
        expect(r.bridge).toContain("TYPE=Bridge\n");
        expect(r.bridge).toContain("IPADDR=10.32.45.216\nPREFIX=24\n");
        expect(r.nic).toBe("DEVICE=eno2\nONBOOT=yes\nBRIDGE=br0\n");
    });

    it("makes a bridge with no NIC or address for a host-only segment", () => {
        expect(renderIfupdown({ name: "privatebr0" })).toContain("iface privatebr0 inet manual\n    bridge_ports none\n");
    });
});
