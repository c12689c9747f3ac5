import { parseLab } from "../../config/load";

import { configErrorOf, registered } from "../helpers/mockGraph";

import { ComputeNode } from "../../components/ComputeNode";

// Building a graph under mocks takes seconds when the machine is busy.
jest.setTimeout(60_000);

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
const hosts = [{ name: "ctl", address: "10.0.0.11", hostKey: KEY }, { name: "kvm1", address: "10.0.0.5", hostKey: KEY }];
const passwords = { admin: "admin-pw-1", rabbit: "rabbit-pw-1", nova: "nova-pw-1", placement: "placement-pw-1", neutron: "neutron-pw-1" };

async function build(compute: Record<string, unknown>, kvm: boolean) {
    registered.length = 0;
    const lab = parseLab({ hosts, controller: { host: "ctl" }, computes: [{ host: "kvm1", ...compute }] });
    const n = lab.computes[0];
    const node = new ComputeNode("kvm1-compute", {
        config: n, name: n.name ?? n.host, connection: { name: "kvm1", address: "10.0.0.5" }, family: "debian", address: "10.0.0.5",
        providerInterface: n.providerInterface ?? "eth1", kvmAvailable: kvm,
        controller: { connection: { name: "ctl", address: "10.0.0.11" }, address: "10.0.0.11", authUrl: "http://10.0.0.11:5000/v3/", region: "RegionOne", release: "zed", firewall: false },
        passwords, after: [],
    });
    const virtType = await new Promise<string>((resolve) => node.virtType.apply(resolve));
    await new Promise((r) => setTimeout(r, 50));
    const byType = (t: string) => registered.filter((r) => r.type.endsWith(`:${t}`));
    const ini = (path: string) => byType("IniFile").find((f) => f.inputs.path === path)!.inputs;
    return { virtType, byType, ini };
}

describe("ComputeNode graph", () => {
    it("runs qemu without KVM and kvm with it, unless the stack says", async () => {
        const tcg = await build({}, false);
        expect(tcg.virtType).toBe("qemu");
        expect(tcg.ini("/etc/nova/nova-compute.conf").settings.libvirt).toEqual({ virt_type: "qemu" });
        expect((await build({}, true)).virtType).toBe("kvm");
        expect((await build({ virtType: "qemu" }, true)).virtType).toBe("qemu");
    });

    it("configures nova.conf and the agent for its own name and address, passwords as secret keys", async () => {
        const { ini, byType } = await build({ name: "compute-a", providerInterface: "tap0" }, false);
        const nova = ini("/etc/nova/nova.conf");
        expect(nova.settings.DEFAULT).toEqual({ host: "compute-a", my_ip: "10.0.0.5" });
        expect(nova.settings.vnc).toMatchObject({ server_listen: "0.0.0.0", novncproxy_base_url: "http://10.0.0.11:6080/vnc_auto.html" });
        expect(nova.secretSettings).toEqual({
            DEFAULT: { transport_url: "rabbit://openstack:rabbit-pw-1@10.0.0.11:5672/" },
            keystone_authtoken: { password: "nova-pw-1" }, placement: { password: "placement-pw-1" }, neutron: { password: "neutron-pw-1" },
        });
        expect(JSON.stringify(nova.settings)).not.toContain("pw-1");
        const agent = ini("/etc/neutron/plugins/ml2/linuxbridge_agent.ini").settings;
        expect(agent.linux_bridge.physical_interface_mappings).toBe("provider:tap0");
        expect(agent.vxlan.local_ip).toBe("10.0.0.5");
        expect(ini("/etc/neutron/neutron.conf").settings.DEFAULT.host).toBe("compute-a");
        expect(byType("Packages")[0].inputs.names).toEqual(["nova-compute", "nova-compute-kvm", "neutron-linuxbridge-agent", "genisoimage"]);
    });

    it("registers on the controller and, on removal, takes the node off its lists after stopping its services", async () => {
        const { byType } = await build({ name: "compute-a" }, false);
        const reg = byType("HostCommand").find((c) => c.inputs.description === "register compute node compute-a")!.inputs;
        expect(reg.connection.name).toBe("ctl");
        expect(reg.script).toContain("nova-manage cell_v2 discover_hosts");
        expect(reg.undo).toMatch(/openstack compute service delete/);
        expect(reg.undo).toMatch(/openstack network agent delete/);
        expect(reg.stdin).toBe("admin-pw-1\n");
        expect([reg.script, reg.undo, reg.check].join("\n")).not.toContain("admin-pw-1");
        const kill = byType("HostCommand").find((c) => c.inputs.description.startsWith("stop compute-a's services"))!.inputs;
        expect(kill.connection.name).toBe("kvm1");
        expect(kill.undo).toBe("systemctl stop nova-compute neutron-linuxbridge-agent");
    });
});

describe("compute config", () => {
    const errorOf = (raw: Record<string, unknown>) => configErrorOf(() => parseLab(raw));

    it("names the key of a compute node without controller, host or own host", () => {
        expect(errorOf({ hosts, computes: [{ host: "kvm1" }] })).toContain("openstack-lab:computes[0]: needs openstack-lab:controller");
        expect(errorOf({ hosts, controller: { host: "ctl" }, computes: [{ host: "nowhere" }] })).toContain("openstack-lab:computes[0].host: no node named nowhere in hosts, vms or containers");
        expect(errorOf({ hosts, controller: { host: "ctl" }, computes: [{ host: "ctl" }] })).toContain("openstack-lab:computes[0].host: ctl is the controller's host");
        expect(errorOf({ hosts, controller: { host: "ctl" }, computes: [{ host: "kvm1" }, { host: "kvm1" }] })).toContain("openstack-lab:computes[1].name: duplicate compute node kvm1");
        expect(errorOf({ hosts, controller: { host: "ctl", services: ["keystone", "glance"] }, computes: [{ host: "kvm1" }] }))
            .toContain("openstack-lab:computes[0]: needs nova and neutron in openstack-lab:controller.services");
        expect(errorOf({ hosts, controller: { host: "ctl" }, computes: [{ host: "kvm1", virtType: "xen" }] })).toContain("openstack-lab:computes[0].virtType:");
    });
});
