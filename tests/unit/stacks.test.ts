import * as pulumi from "@pulumi/pulumi";
import { parseLab } from "../../config/load";

import { registered } from "../helpers/mockGraph";
import { stackLabConfig, unwrapSecrets } from "../helpers/stackFiles";
/** What each resource was declared to depend on, by name (from a transformation). */
const dependsOn = new Map<string, string[]>();
/** The resource each resource is deleted with, where it has one (from the same transformation). */
const deletedWith = new Map<string, pulumi.Resource>();

import { Lab } from "../../components/Lab";

jest.setTimeout(120_000);
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";

/** A stack file's lab config, with host keys filled in where the file leaves them to the operator. */
function stackConfig(stack: string): Record<string, any> {
    const cfg = stackLabConfig(stack);
    for (const h of cfg.hosts) h.hostKey ??= KEY;
    return cfg;
}

async function build(stack: string, edit: (cfg: Record<string, any>) => void = () => {}) {
    registered.length = 0;
    dependsOn.clear();
    deletedWith.clear();
    const raw = stackConfig(stack);
    edit(raw);
    const config = parseLab(raw);
    const record: pulumi.ResourceTransformation = (a) => {
        if (a.opts.deletedWith) deletedWith.set(a.name, a.opts.deletedWith);
        const deps = a.opts.dependsOn;
        const list = (Array.isArray(deps) ? deps : deps ? [deps] : []) as pulumi.Resource[];
        Promise.all(list.map((d) => new Promise<string>((resolve) => (d as pulumi.CustomResource).urn.apply(resolve))))
            .then((names) => dependsOn.set(a.name, names.map((n: string) => n.split("::").pop()!)));
        return undefined;
    };
    const lab = new Lab(stack, { config, privateKey: pulumi.secret("KEY-MATERIAL") }, { transformations: [record] });
    await new Promise((resolve) => (lab.controller ? lab.controller.adminrc.apply(resolve) : resolve(undefined)));
    await Promise.all(lab.computes.map((c) => new Promise((resolve) => c.virtType.apply(resolve))));
    await new Promise((r) => setTimeout(r, 200));
    // Resources of the providers, not the components of the same name; secret inputs unwrapped.
    const byType = (t: string) => registered.filter((r) => r.type.endsWith(`:${t}`) && (r.type.startsWith("pulumi-nodejs:") || !/^openstack-lab:[a-z]+:/.test(r.type)))
        .map((r) => ({ ...r, inputs: unwrapSecrets(r.inputs) }));
    return { lab, config, byType };
}

describe("stack files", () => {
    it("dev: seed 000's host, networks and five VMs, the controller on its VM, kvm1, kvm2 and the host as compute nodes", async () => {
        const { config, byType } = await build("dev");
        expect(config.vms.map((v) => [v.name, v.memoryMiB, v.vcpus, v.nics.find((n) => n.ip)!.ip])).toEqual([
            ["gateway", 2048, 2, "10.0.0.2"], ["storage", 4096, 2, "10.0.0.3"], ["controller", 16384, 4, "10.0.0.4"],
            ["kvm1", 8192, 4, "10.0.0.5"], ["kvm2", 8192, 4, "10.0.0.6"],
        ]);
        expect(byType("LibvirtNetwork").map((n) => n.name).sort()).toEqual(["host-default-net", "host-privatenet-net", "host-public-net"]);
        expect(byType("CloudInitVM").map((v) => v.name).sort()).toEqual(["controller-domain", "gateway-domain", "kvm1-domain", "kvm2-domain", "storage-domain"]);
        const components = (t: string) => registered.filter((r) => r.type === `openstack-lab:openstack:${t}`).map((r) => r.name).sort();
        expect(components("ControllerNode")).toEqual(["controller-controller"]);
        expect(components("ComputeNode")).toEqual(["host-compute", "kvm1-compute", "kvm2-compute"]);
        // The controller waits for its VM and that VM's package source; compute nodes on VMs likewise.
        expect(dependsOn.get("controller-controller")).toEqual(expect.arrayContaining(["controller", "controller-facts"]));
        expect(dependsOn.get("kvm1-compute")).toEqual(expect.arrayContaining(["kvm1", "kvm1-facts"]));
        expect(dependsOn.get("host-compute")).toEqual(["host"]);
        // The VMs' disks and the images go in the host's VM directory, which destroy removes after them once empty.
        expect(byType("HostCommand").filter((c) => c.name.endsWith("-vm-dir")).map((c) => [c.name, c.inputs.undo]))
            .toEqual([["host-vm-dir", "[ ! -d /var/lib/libvirt/images/openstack-lab ] || rmdir --ignore-fail-on-non-empty -- /var/lib/libvirt/images/openstack-lab"]]);
        for (const vm of ["gateway", "storage", "controller", "kvm1", "kvm2"]) expect(dependsOn.get(vm)).toContain("host-vm-dir");
        for (const img of byType("BaseImage")) expect(dependsOn.get(img.name)).toContain("host-vm-dir");
        // Nested KVM is on in the VMs (the mock's check says so), so kvm1 runs kvm; the host's tap0 is its provider interface.
        const computeConf = byType("IniFile").filter((f) => f.inputs.path === "/etc/nova/nova-compute.conf");
        expect(computeConf.map((f) => f.inputs.settings.libvirt.virt_type)).toEqual(["kvm", "kvm", "kvm"]);
        const agents = byType("IniFile").filter((f) => f.name.endsWith("-compute-linuxbridge-agent-conf"));
        expect(Object.fromEntries(agents.map((a) => [a.name, a.inputs.settings.linux_bridge.physical_interface_mappings]))).toEqual({
            "host-compute-linuxbridge-agent-conf": "provider:tap0", "kvm1-compute-linuxbridge-agent-conf": "provider:nic3", "kvm2-compute-linuxbridge-agent-conf": "provider:nic3",
        });
        expect(byType("VethPatch").map((v) => v.inputs.names)).toEqual([["veth-br0", "veth-tap0"]]);
        // Seed 000's gateway VM masquerades the management network out through its public NIC, once it and its package source are there.
        expect(byType("NatGateway").map((n) => [n.inputs.connection.name, n.inputs.sources, n.inputs.outInterface])).toEqual([["gateway", ["10.0.0.0/24"], "nic3"]]);
        expect(dependsOn.get("gateway-gateway")).toEqual(expect.arrayContaining(["gateway", "gateway-facts"]));
        expect(dependsOn.get("gateway-gateway-nat")).toEqual(["gateway-gateway-packages", "gateway-gateway-sysctl-net.ipv4.ip_forward"]);
        // Seed 000's metrics: Prometheus on the gateway scrapes collectd on the host (privatenet's side) and the OpenStack VMs.
        const prometheus = byType("RemoteFile").find((f) => f.inputs.path === "/etc/prometheus/prometheus.yml")!;
        expect(prometheus.inputs.connection.name).toBe("gateway");
        expect(prometheus.inputs.content).toMatch(/- 10\.0\.0\.1:9103[\s\S]*- 10\.0\.0\.4:9103[\s\S]*- 10\.0\.0\.5:9103[\s\S]*- 10\.0\.0\.6:9103/);
        const collectd = byType("RemoteFile").filter((f) => f.inputs.path === "/etc/collectd/collectd.conf");
        expect(collectd.map((f) => [f.inputs.connection.name, /LoadPlugin virt/.test(f.inputs.content)])).toEqual([["host", true], ["controller", false], ["kvm1", true], ["kvm2", true]]);
        expect(dependsOn.get("dev-monitoring-prometheus")).toEqual(expect.arrayContaining(["dev-monitoring-prometheus-config", "dev-monitoring-kvm1-collectd"]));
        expect(dependsOn.get("dev-monitoring-kvm1-collectd-conf")).toEqual(expect.arrayContaining(["kvm1", "kvm1-facts"]));
        // Seed 000's storage VM: its extra disk (vdc) holds cinder-volumes; it waits for its VM and Cinder's API on the controller.
        expect(components("StorageNode")).toEqual(["storage-storage"]);
        expect(byType("VolumeGroup").map((g) => [g.inputs.connection.name, g.inputs.name, g.inputs.devices])).toEqual([["storage", "cinder-volumes", ["/dev/vdc"]]]);
        expect(dependsOn.get("storage-storage")).toEqual(expect.arrayContaining(["storage", "storage-facts"]));
        expect(dependsOn.get("storage-storage-packages")).toEqual(expect.arrayContaining(["controller-controller-cinder-service-cinder-api", "controller-controller-cinder-service-cinder-scheduler"]));
        const cinder = byType("IniFile").find((f) => f.inputs.connection.name === "storage" && f.inputs.path === "/etc/cinder/cinder.conf")!;
        expect(cinder.inputs.settings.lvm).toMatchObject({ target_ip_address: "10.0.0.3", volume_group: "cinder-volumes" });
        // Every compute node runs iscsid for its volumes.
        expect(byType("Service").filter((u) => u.inputs.name === "iscsid").map((u) => u.inputs.connection.name).sort()).toEqual(["host", "kvm1", "kvm2"]);
        // The controller's VM is reached through the host.
        const keystone = byType("IniFile").find((f) => f.inputs.path === "/etc/keystone/keystone.conf")!;
        expect(keystone.inputs.connection.name).toBe("controller");
        expect(keystone.inputs.connection.via.name).toBe("host");
    });

    it("alice: seed 003's head node and two compute nodes of the RHEL family", async () => {
        const { byType } = await build("alice");
        expect(registered.filter((r) => r.type.endsWith(":PhysicalHost")).map((h) => h.name)).toEqual(["cn43", "cn44", "cn45"]);
        expect(registered.filter((r) => r.type === "openstack-lab:openstack:ComputeNode").map((c) => c.name)).toEqual(["cn44-compute", "cn45-compute"]);
        const packages = (host: string) => byType("Packages").filter((p) => p.inputs.connection.name === host).flatMap((p) => p.inputs.names);
        expect(packages("cn43")).toEqual(expect.arrayContaining(["openstack-keystone", "openstack-nova-api", "openstack-neutron", "mariadb-server"]));
        expect(packages("cn44")).toEqual(expect.arrayContaining(["openstack-nova-compute", "openstack-neutron-linuxbridge"]));
        expect(packages("cn44")).not.toContain("openstack-keystone");
        expect(byType("Bridge").map((b) => [b.inputs.connection.name, b.inputs.spec.name, b.inputs.persist])).toEqual([["cn43", "br100", "ifcfg"], ["cn44", "br100", "ifcfg"], ["cn45", "br100", "ifcfg"]]);
        expect(dependsOn.get("cn44-compute")).toEqual(["cn44"]);
        // Seed 003's node table: read on the head node once the controller and both compute nodes are in place.
        const [status] = byType("NodeStatus");
        expect(status.inputs.connection.name).toBe("cn43");
        expect(status.inputs.nodes).toEqual([
            { node: "cn43", type: "head" }, { node: "cn44", type: "compute", listedAs: "cn44" }, { node: "cn45", type: "compute", listedAs: "cn45" },
        ]);
        expect(dependsOn.get("alice-node-status")).toEqual(["cn43-controller", "cn44-compute", "cn45-compute"]);
        // Seed 003's first instance: made on the head node once every compute node is in place.
        expect(dependsOn.get("alice-first-instance")).toEqual(["cn43-controller", "cn44-compute", "cn45-compute"]);
        const objects = byType("OpenStackObject");
        expect(objects.map((o) => [o.inputs.kind, o.inputs.name ?? "", o.inputs.user, o.inputs.connection.name]).sort()).toEqual([
            ["image", "CirrOS Test Image", "admin", "cn43"], ["flavor", "m1.tiny", "admin", "cn43"], ["network", "demo-net", "admin", "cn43"],
            ["subnet", "demo-net-subnet", "admin", "cn43"], ["keypair", "demo-key", "demo", "cn43"], ["security group", "demo-inst1-access", "demo", "cn43"],
            ["security group rule", "", "demo", "cn43"], ["security group rule", "", "demo", "cn43"], ["server", "demo-inst1", "demo", "cn43"],
        ].sort());
        expect(dependsOn.get("alice-first-instance-server")).toEqual(expect.arrayContaining(["alice-first-instance-subnet", "alice-first-instance-keypair"]));
        expect(dependsOn.get("alice-first-instance-image")).toEqual(["alice-first-instance-fetch-image"]);
        // Its host key goes in with its user data, on stdin after the demo password (secret in the state: the e2e checks it), never in the script.
        const server = objects.find((o) => o.inputs.kind === "server")!;
        expect(server.inputs.stdinFile).toBe("--user-data");
        expect(server.inputs.stdin).toMatch(/\nssh_keys:\n  ed25519_private: alice-first-instance-host-key-private-key\n  ed25519_public: ssh-ed25519 AAAAalice-first-instance-host-key /);
        expect(byType("SshKeyPair").map((k) => k.name)).toContain("alice-first-instance-host-key");
    });

    it("local: this machine, a package cache, a controller and a compute container on privatenet and the provider segment", async () => {
        const { byType } = await build("local");
        expect(registered.filter((r) => r.type.endsWith(":PhysicalHost")).map((h) => h.name)).toEqual(["local"]);
        expect(byType("Packages").find((p) => p.name === "local-packages")?.inputs.names).toEqual(expect.arrayContaining(["lxc", "debootstrap"]));
        // Sorted: registration order follows each container's own dependencies.
        const containers = byType("LxcContainer").map((c) => c.inputs).sort((a, b) => a.name.localeCompare(b.name));
        expect(containers.map((c) => [c.name, c.spec.cpus, c.spec.memoryMiB, c.spec.nics.map((n: { link: string; address?: string }) => `${n.link}${n.address ? ` ${n.address}` : ""}`)]))
            .toEqual([["compute", 2, 4096, ["privatebr0 10.0.0.5/24", "providerbr0"]], ["controller", 2, 8192, ["privatebr0 10.0.0.4/24", "providerbr0"]]]);
        // One base for both, built through the cache; each node's apt goes through the cache on privatenet.
        expect(byType("ContainerBase").map((b) => [b.name, b.inputs.proxy])).toEqual([["local-container-base-bookworm", "http://127.0.0.1:3142"]]);
        expect(byType("RemoteFile").filter((f) => f.inputs.path === "/etc/apt/apt.conf.d/90openstack-lab-proxy").map((f) => [f.inputs.connection.name, f.inputs.content]).sort())
            .toEqual(["compute", "controller"].map((n) => [n, 'Acquire::http::Proxy "http://10.0.0.1:3142";\nAcquire::https::Proxy "http://10.0.0.1:3142";\n']));
        expect(byType("RemoteFile").find((f) => f.inputs.path === "/etc/apt-cacher-ng/zz_openstack-lab.conf")?.inputs.content).toContain("BindAddress: 127.0.0.1 10.0.0.1\n");
        // Roles on containers wait for them, their facts and their package source.
        expect(dependsOn.get("controller-controller")).toEqual(expect.arrayContaining(["controller", "controller-facts", "controller-apt-proxy"]));
        expect(dependsOn.get("compute-compute")).toEqual(expect.arrayContaining(["compute", "compute-facts", "compute-apt-proxy"]));
        // The compute node's packages install while the controller is built; its services wait for the controller's units.
        expect(dependsOn.get("compute-compute-packages")).toEqual([]);
        for (const unit of ["nova-compute", "neutron-linuxbridge-agent"]) {
            expect(dependsOn.get(`compute-compute-service-${unit}`)).toEqual(expect.arrayContaining(["controller-controller-nova-service-nova-conductor", "controller-controller-neutron-service-neutron-rpc-server"]));
        }
        // Reached directly on privatenet from this machine, with the host key generated for it.
        expect(containers.map((c) => [c.ssh.address, c.ssh.via, c.ssh.hostKey === c.hostKey.publicKey])).toEqual([["10.0.0.5", undefined, true], ["10.0.0.4", undefined, true]]);
        // The first instance's image is built on this machine through the cache, mounted into the controller only, and fetched from the mount.
        const built = byType("HostCommand").find((h) => h.name === "local-guest-image-bookworm")!;
        expect(built.inputs.script).toContain("OPENSTACK_LAB_GUEST_DIR=/var/lib/openstack-lab/guest-images/bookworm");
        expect(built.inputs.script).toContain("http_proxy=http\\://127.0.0.1\\:3142 ");
        expect(byType("Packages").find((p) => p.name === "local-packages")?.inputs.names).toEqual(expect.arrayContaining(["qemu-utils"]));
        expect(containers.map((c) => c.spec.mounts)).toEqual([[], [{ source: "/var/lib/openstack-lab/guest-images/bookworm", target: "/var/lib/openstack-lab/guest-images/bookworm", readOnly: true }]]);
        expect(dependsOn.get("controller")).toEqual(expect.arrayContaining(["local-guest-image-bookworm"]));
        expect(byType("HostCommand").find((h) => h.name === "local-first-instance-fetch-image")?.inputs.script)
            .toContain("curl -fsSL --retry 3 -o /var/lib/openstack-lab/images/Debian_12_bookworm.disk.part file\\:///var/lib/openstack-lab/guest-images/bookworm/base.qcow2 ");
    });

    it("local with VM nodes: each VM is reached directly on privatenet, its provider NIC left without an address", async () => {
        const { byType } = await build("local", (cfg) => {
            cfg.vms = cfg.containers.map((c: { name: string; nics: unknown }) => ({
                name: c.name, role: c.name, image: "debian", vcpus: 2, memoryMiB: 4096, diskGiB: 10, nics: c.nics,
            }));
            cfg.images = [{ name: "debian", path: "/srv/debian.qcow2", sha256: "0".repeat(64) }];
            cfg.controller.network.providerInterface = "nic1";
            delete cfg.containers;
            delete cfg.firstInstance;
        });
        const vms = byType("CloudInitVM").map((v) => v.inputs).sort((a, b) => a.name.localeCompare(b.name));
        expect(vms.map((v) => [v.name, v.ssh.address, v.ssh.via])).toEqual([["compute", "10.0.0.5", undefined], ["controller", "10.0.0.4", undefined]]);
        // Only privatenet's NIC has an address; the provider segment has no DHCP server to wait for.
        expect(vms[0].nics.map((n: { addresses?: string[]; dhcp?: boolean }) => [n.addresses, n.dhcp])).toEqual([[["10.0.0.5/24"], undefined], [undefined, false]]);
        const keystone = byType("IniFile").find((f) => f.inputs.path === "/etc/keystone/keystone.conf")!;
        expect([keystone.inputs.connection.name, keystone.inputs.connection.via]).toEqual(["controller", undefined]);
    });

    it("local: what runs inside a container is deleted with it; what runs on this machine is not", async () => {
        const { lab } = await build("local");
        const containerOf = new Map<pulumi.Resource, string>(lab.containers.map((c) => [c.container, c.managementAddress]));
        const dynamic = registered.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
        const inside = dynamic.filter((r) => typeof r.inputs.connection === "object" && ["controller", "compute"].includes(unwrapSecrets(r.inputs.connection).name));
        const onHost = dynamic.filter((r) => typeof r.inputs.connection === "object" && unwrapSecrets(r.inputs.connection).name === "local");
        // The controller's services, the compute node's, the first instance and its objects in OpenStack: all of them.
        expect(inside.length).toBeGreaterThan(100);
        expect(inside.filter((r) => !deletedWith.has(r.name)).map((r) => r.name)).toEqual([]);
        for (const r of inside) expect(containerOf.get(deletedWith.get(r.name)!)).toBe(unwrapSecrets(r.inputs.connection).address);
        // The containers themselves, the networks, the cache, the base: deleted as always.
        expect(onHost.map((r) => r.name)).toEqual(expect.arrayContaining(["controller-lxc", "compute-lxc", "local-package-cache-packages"]));
        expect(onHost.filter((r) => deletedWith.has(r.name)).map((r) => r.name)).toEqual([]);
    });
});
