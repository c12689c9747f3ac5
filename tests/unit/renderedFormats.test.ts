import { renderDomainXml } from "../../render/domain";
import { renderNetworkXml } from "../../render/libvirtNetwork";
import { renderInstanceUserData, renderMetaData, renderNetworkConfig, renderUserData } from "../../render/cloudInit";
import { renderIfcfg, renderIfupdown, renderNetplan } from "../../render/bridge";
import { renderCollectdConf, renderPrometheusConfig } from "../../render/monitoring";
import { renderHorizonSettings } from "../../render/horizonSettings";
import { KEYSTONE_ENTITY_PY } from "../../render/keystoneEntity";
import { patchIni } from "../../render/ini";
import { databaseUrl, osloLiterals, transportUrl } from "../../render/osloValues";
import { renderTempestConf } from "../../render/tempestConf";

// Every format the lab writes to a host, pinned byte for byte: a change to
// any of them (a disk bus, a cloud-init key, a quoting rule) shows up here
// as a snapshot diff to review, not only on a host. The lxc container config
// is pinned in lxcConfig.test.ts.

const AWKWARD = `it's "q"; $(id) $HOME @/ #x`;

describe("libvirt XML", () => {
    it("domain: disks, NICs on a network and a bridge, direct kernel boot, serial log", () => {
        expect(renderDomainXml({
            name: "controller", uuid: "0b6f3c1e-8c7a-4d5e-9f00-1234567890ab", type: "qemu", memoryMiB: 8192, vcpus: 2,
            cpuMode: "host-passthrough",
            disks: [{ path: "/var/lib/libvirt/images/controller.qcow2", format: "qcow2", target: "vda" },
                { path: "/var/lib/libvirt/images/controller-seed.img", format: "raw", target: "vdb", readonly: true }],
            nics: [{ mac: "02:00:00:00:00:01", network: "olabnat" }, { mac: "02:00:00:00:00:02", bridge: "br0" }],
            kernel: { kernel: "/boot/vmlinuz", initrd: "/boot/initrd.img", cmdline: "console=ttyS0 root=/dev/vda1" },
            boot: ["hd", "network"],
            consoleLog: "/var/log/libvirt/qemu/controller-console.log",
        })).toMatchSnapshot();
    });

    it("domain: kvm with host-passthrough", () => {
        expect(renderDomainXml({
            name: "kvm1", type: "kvm", memoryMiB: 16384, vcpus: 4, cpuMode: "host-passthrough",
            disks: [{ path: "/var/lib/libvirt/images/kvm1.qcow2", format: "qcow2", target: "vda" }],
            nics: [{ mac: "02:00:00:00:01:01", network: "olabpriv" }], consoleLog: "/var/log/kvm1.log",
        })).toMatchSnapshot();
    });

    it("networks: nat with DHCP hosts, isolated, and a host bridge", () => {
        expect(renderNetworkXml({
            name: "olabnat", mode: "nat", bridge: "virbr-olab", address: "10.0.0.1/24",
            dhcp: { start: "10.0.0.100", end: "10.0.0.200", hosts: [{ mac: "02:AA:00:00:00:01", ip: "10.0.0.4", name: "controller" }] },
        })).toMatchSnapshot();
        expect(renderNetworkXml({ name: "olabpriv", mode: "isolated", bridge: "virbr-priv", address: "10.10.10.1/24" })).toMatchSnapshot();
        expect(renderNetworkXml({ name: "olabpub", mode: "bridge", bridge: "br0" })).toMatchSnapshot();
    });
});

describe("cloud-init NoCloud seed", () => {
    it("user-data, meta-data and network-config", () => {
        expect(renderUserData({
            hostname: "controller", user: "debian", authorizedKeys: ["ssh-ed25519 AAAAC3Nza lab@operator"],
            hostKey: { privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n", publicKey: "ssh-ed25519 AAAAhostkey controller" },
            packages: ["qemu-guest-agent"],
        })).toMatchSnapshot();
        expect(renderMetaData("olab-controller-1", "controller")).toMatchSnapshot();
        expect(renderNetworkConfig([
            { mac: "02:00:00:00:00:01", addresses: ["10.0.0.4/24"], gateway: "10.0.0.1", nameservers: ["10.0.0.1"] },
            { mac: "02:00:00:00:00:02" },
            { mac: "02:00:00:00:00:03", dhcp: false },
        ])).toMatchSnapshot();
    });

    it("a server's user data in the lab's OpenStack: its host key only", () => {
        expect(renderInstanceUserData({
            privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA=\n-----END OPENSSH PRIVATE KEY-----\n",
            publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX demo-inst1 host key (openstack-lab)",
        })).toMatchSnapshot();
    });
});

describe("bridge persistence", () => {
    const br0 = { name: "br0", nic: "eno2", mac: "52:54:00:12:34:56", addresses: ["10.32.45.216/24"], gateway: "10.32.45.1" };

    it("netplan, ifupdown and ifcfg for seed 000's br0, and a bridge with no NIC", () => {
        expect(renderNetplan(br0)).toMatchSnapshot();
        expect(renderIfupdown(br0)).toMatchSnapshot();
        expect(renderIfcfg(br0)).toMatchSnapshot();
        expect(renderNetplan({ name: "br-ex" })).toMatchSnapshot();
        expect(renderIfupdown({ name: "br-ex" })).toMatchSnapshot();
        expect(renderIfcfg({ name: "br-ex" })).toMatchSnapshot();
    });
});

describe("monitoring", () => {
    it("collectd.conf with and without the virt plugin, and prometheus.yml", () => {
        expect(renderCollectdConf({ hostname: AWKWARD, intervalSeconds: 10, virt: true })).toMatchSnapshot();
        expect(renderCollectdConf({ hostname: "gateway", intervalSeconds: 10, virt: false })).toMatchSnapshot();
        expect(renderPrometheusConfig([{ node: "ctl", address: "10.0.0.4" }, { node: "cmp", address: "fd00::5" }], 15)).toMatchSnapshot();
    });
});

describe("OpenStack's own files", () => {
    it("Horizon's local_settings.d file", () => {
        expect(renderHorizonSettings({
            keystoneHost: "10.0.0.4", authUrl: "http://10.0.0.4:5000/v3/", allowedHosts: ["*", AWKWARD], timeZone: "Europe/Berlin",
        })).toMatchSnapshot();
    });

    it("the Keystone entity script", () => {
        expect(KEYSTONE_ENTITY_PY).toMatchSnapshot();
    });

    it("an oslo.config file patched with secrets, URLs and a new section", () => {
        const stock = "[DEFAULT]\n#debug = false\n#transport_url = <None>\n\n[database]\n#connection = <None>\n";
        const settings = osloLiterals({
            DEFAULT: { debug: "true", transport_url: transportUrl("10.0.0.4", AWKWARD) },
            database: { connection: databaseUrl("nova", "n'v\"db;$(id)", "10.0.0.4", "nova") },
            keystone_authtoken: { password: AWKWARD, auth_type: "password" },
        });
        expect(patchIni(stock, settings)).toMatchSnapshot();
    });

    it("tempest.conf for one compute node without a storage node, and for two with one", () => {
        const spec = {
            authUrl: "http://10.0.0.4:5000/v3", region: "RegionOne", adminPassword: AWKWARD,
            imageRef: "5f0c6a1e-0000-4000-8000-000000000001", flavorRef: "6a1e5f0c-0000-4000-8000-000000000002",
            network: "demo-net", services: { cinder: false, horizon: true }, dashboardUrl: "http://10.0.0.4/horizon/", computeNodes: 1, buildTimeout: 900,
            workspace: "/var/lib/openstack-lab/tempest",
        };
        expect(renderTempestConf(spec)).toMatchSnapshot();
        expect(renderTempestConf({ ...spec, services: { cinder: true, horizon: false }, dashboardUrl: undefined, computeNodes: 2 })).toMatchSnapshot();
    });
});
