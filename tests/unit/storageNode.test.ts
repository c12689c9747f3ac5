import { execFileSync } from "child_process";
import { parseLab } from "../../config/load";

import { configErrorOf, registered } from "../helpers/mockGraph";

import { StorageNode } from "../../components/StorageNode";
import { ComputeNode } from "../../components/ComputeNode";

// Building a graph under mocks takes seconds when the machine is busy.
jest.setTimeout(60_000);

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
const hosts = [{ name: "ctl", address: "10.0.0.11", hostKey: KEY }, { name: "stor", address: "10.0.0.3", hostKey: KEY }];
const passwords = { admin: "admin-pw-1", rabbit: "rabbit-pw-1", cinderDb: "cinder-db-pw-1", cinder: "cinder-pw-1" };
const controller = { connection: { name: "ctl", address: "10.0.0.11" }, address: "10.0.0.11", authUrl: "http://10.0.0.11:5000/v3/", region: "RegionOne", release: "zed" as const, firewall: false };

async function build(storage: Record<string, unknown>, family: "debian" | "rhel" = "debian", firewall = false) {
    registered.length = 0;
    const lab = parseLab({ hosts, controller: { host: "ctl" }, storage: { host: "stor", devices: ["/dev/sdb"], ...storage } });
    const s = lab.storage!;
    const node = new StorageNode("stor-storage", {
        config: s, name: s.name ?? s.host, connection: { name: "stor", address: "10.0.0.3" }, family, address: s.address ?? "10.0.0.3",
        devices: s.devices!, controller: { ...controller, firewall }, passwords, after: [],
    });
    await new Promise((r) => setTimeout(r, 50));
    const byType = (t: string) => registered.filter((r) => r.type.endsWith(`:${t}`));
    return { node, byType, ini: byType("IniFile")[0]?.inputs };
}

describe("StorageNode graph", () => {
    it("puts seed 000's LVM backend in cinder.conf, passwords as secret keys", async () => {
        const { ini, byType } = await build({ address: "10.0.0.30" });
        expect(ini.path).toBe("/etc/cinder/cinder.conf");
        expect(ini.settings.DEFAULT).toMatchObject({ host: "stor", my_ip: "10.0.0.30", enabled_backends: "lvm", glance_api_servers: "http://10.0.0.11:9292" });
        expect(ini.settings.lvm).toMatchObject({
            volume_driver: "cinder.volume.drivers.lvm.LVMVolumeDriver", volume_group: "cinder-volumes",
            target_protocol: "iscsi", target_helper: "tgtadm", target_ip_address: "10.0.0.30",
        });
        expect(ini.secretSettings).toEqual({
            DEFAULT: { transport_url: "rabbit://openstack:rabbit-pw-1@10.0.0.11:5672/" },
            database: { connection: "mysql+pymysql://cinder:cinder-db-pw-1@10.0.0.11/cinder" },
            keystone_authtoken: { password: "cinder-pw-1" },
        });
        expect(JSON.stringify(ini.settings)).not.toContain("pw-1");
        expect(byType("VolumeGroup")[0].inputs).toMatchObject({ name: "cinder-volumes", devices: ["/dev/sdb"] });
        expect(byType("Packages")[0].inputs.names).toEqual(["cinder-volume", "tgt"]);
        expect(byType("Service").map((s) => s.inputs.name)).toEqual(["tgt", "cinder-volume"]);
    });

    it("uses RDO's names and the LIO target on the RHEL family, and extra keys from the stack", async () => {
        const { ini, byType } = await build({ volumeGroup: "vg0", config: { lvm: { lvm_type: "thin" } } }, "rhel");
        expect(ini.settings.lvm).toMatchObject({ target_helper: "lioadm", volume_group: "vg0", lvm_type: "thin" });
        expect(byType("Service").map((s) => s.inputs.name)).toEqual(["target", "openstack-cinder-volume"]);
    });

    it("registers as <name>@lvm on the controller and, on removal, stops cinder-volume before the controller forgets it", async () => {
        const { node, byType } = await build({ name: "block-1" });
        expect(node.serviceHost).toBe("block-1@lvm");
        const reg = byType("HostCommand").find((c) => c.inputs.description === "register storage node block-1@lvm")!.inputs;
        expect(reg.connection.name).toBe("ctl");
        // shell-quote escapes the @; bash reads the words back as they were.
        const words = (script: string) => execFileSync("bash", ["-c", `set -- ${script}; printf '%s\\n' "$@"`], { encoding: "utf8" }).split("\n").filter(Boolean);
        expect(reg.script).toContain("openstack volume service list --service cinder-volume --host ");
        expect(words(reg.script.split("do ")[1].split(" |")[0])).toEqual(["openstack", "volume", "service", "list", "--service", "cinder-volume", "--host", "block-1@lvm", "-f", "value", "-c", "State"]);
        expect(words(reg.undo)).toEqual(["su", "-s", "/bin/sh", "-c", "cinder-manage service remove cinder-volume block-1\\@lvm", "cinder"]);
        expect(words(words(reg.undo)[4])).toEqual(["cinder-manage", "service", "remove", "cinder-volume", "block-1@lvm"]);
        expect(reg.stdin).toBe("admin-pw-1\n");
        expect([reg.script, reg.undo, reg.check].join("\n")).not.toContain("admin-pw-1");
        const kill = byType("HostCommand").find((c) => c.inputs.description.startsWith("stop block-1@lvm"))!.inputs;
        expect(kill.connection.name).toBe("stor");
        expect(kill.undo).toBe("systemctl stop cinder-volume");
    });

    it("opens the iSCSI port when the lab keeps a firewall", async () => {
        const { byType } = await build({}, "debian", true);
        expect(byType("FirewallPorts")[0].inputs).toMatchObject({ role: "storage", rules: [{ port: "3260", protocol: "tcp" }] });
        expect((await build({})).byType("FirewallPorts")).toEqual([]);
    });
});

describe("compute nodes of a lab with storage", () => {
    it("run iscsid to attach its volumes", async () => {
        registered.length = 0;
        const lab = parseLab({ hosts: [...hosts, { name: "kvm1", address: "10.0.0.5", hostKey: KEY }], controller: { host: "ctl" }, computes: [{ host: "kvm1" }] });
        for (const iscsi of [true, false]) {
            new ComputeNode(`kvm1-${iscsi}`, {
                config: lab.computes[0], name: "kvm1", connection: { name: "kvm1", address: "10.0.0.5" }, family: "debian", address: "10.0.0.5",
                providerInterface: "eth1", kvmAvailable: false, controller,
                passwords: { admin: "a", rabbit: "r", nova: "n", placement: "p", neutron: "q" }, after: [], iscsi,
            });
        }
        await new Promise((r) => setTimeout(r, 50));
        const iscsid = registered.filter((r) => r.type.endsWith(":Service") && r.inputs.name === "iscsid").map((r) => r.name);
        expect(iscsid).toEqual(["kvm1-true-service-iscsid"]);
        expect(registered.find((r) => r.name === "kvm1-true-iscsi-packages")!.inputs.names).toEqual(["open-iscsi"]);
    });
});

describe("storage config", () => {
    const errorOf = (raw: Record<string, unknown>) => configErrorOf(() => parseLab(raw));

    it("names the key of a storage node without controller, Cinder, host, disks or own host", () => {
        expect(errorOf({ hosts, storage: { host: "stor", devices: ["/dev/sdb"] } })).toContain("openstack-lab:storage: needs openstack-lab:controller");
        expect(errorOf({ hosts, controller: { host: "ctl", services: ["keystone", "glance"] }, storage: { host: "stor", devices: ["/dev/sdb"] } }))
            .toContain("openstack-lab:storage: needs cinder in openstack-lab:controller.services");
        expect(errorOf({ hosts, controller: { host: "ctl" }, storage: { host: "nowhere", devices: ["/dev/sdb"] } })).toContain("openstack-lab:storage.host: no node named nowhere in hosts, vms or containers");
        expect(errorOf({ hosts, controller: { host: "ctl" }, storage: { host: "ctl", devices: ["/dev/sdb"] } })).toContain("openstack-lab:storage.host: ctl is the controller's host");
        expect(errorOf({ hosts, controller: { host: "ctl" }, storage: { host: "stor" } })).toContain("openstack-lab:storage.devices: required on a hosts[] entry");
        expect(errorOf({ hosts, controller: { host: "ctl" }, storage: { host: "stor", devices: ["/dev/sdb", "/dev/sdb"] } })).toContain("openstack-lab:storage.devices[1]: /dev/sdb is listed twice");
        expect(errorOf({ hosts, controller: { host: "ctl" }, storage: { host: "stor", devices: ["sdb; rm -rf /"] } })).toContain("openstack-lab:storage.devices[0]: must be a block device path");
        expect(errorOf({ hosts, controller: { host: "ctl" }, storage: { host: "stor", devices: ["/dev/sdb"], volumeGroup: "a'b" } })).toContain("openstack-lab:storage.volumeGroup: must be an LVM name");
    });

    it("takes a VM's extra disks as the default, and wants disks on a VM without them", () => {
        const lab = {
            hosts: [{ name: "host", address: "local" }],
            networks: [{ name: "privatenet", mode: "isolated", bridge: "privatebr0", address: "10.0.0.1/24" }],
            images: [{ name: "img", path: "/var/lib/img.qcow2", sha256: "0".repeat(64) }],
            controller: { host: "ctl" },
        };
        const vm = (name: string, ip: string, extra: unknown[]) => ({ name, role: "generic", image: "img", vcpus: 1, memoryMiB: 512, diskGiB: 4, extraDisks: extra, nics: [{ network: "privatenet", ip }] });
        expect(parseLab({ ...lab, vms: [vm("ctl", "10.0.0.4", []), vm("storage", "10.0.0.3", [{ name: "cinder", sizeGiB: 20 }])], storage: { host: "storage" } }).storage!.devices).toBeUndefined();
        expect(errorOf({ ...lab, vms: [vm("ctl", "10.0.0.4", []), vm("storage", "10.0.0.3", [])], storage: { host: "storage" } }))
            .toContain("openstack-lab:storage.devices: required: VM storage has no extraDisks to default to");
    });
});
