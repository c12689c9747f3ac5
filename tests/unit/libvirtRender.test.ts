import * as YAML from "yaml";
import { normalizeNetwork, parseNetworkXml, renderNetworkXml } from "../../render/libvirtNetwork";
import { renderDomainXml, stableMac } from "../../render/domain";
import { renderMetaData, renderNetworkConfig, renderUserData } from "../../render/cloudInit";

describe("libvirt network XML", () => {
    it("renders seed 000's isolated privatenet on privatebr0", () => {
        const xml = renderNetworkXml({ name: "privatenet", mode: "isolated", bridge: "privatebr0", address: "10.0.0.1/24" });
        expect(xml).toContain("<name>privatenet</name>");
        expect(xml).toContain('<bridge name="privatebr0" stp="on" delay="0"/>');
        expect(xml).toContain('<ip address="10.0.0.1" netmask="255.255.255.0"/>');
        expect(xml).not.toContain("<forward");
    });

    it("renders NAT with a DHCP range and static hosts, and reads back what libvirt adds around it", () => {
        const spec = { name: "default", mode: "nat" as const, bridge: "virbr0", address: "192.168.122.1/24",
            dhcp: { start: "192.168.122.2", end: "192.168.122.254", hosts: [{ mac: "02:AA:00:00:00:01", ip: "192.168.122.10", name: "gw" }] } };
        const xml = renderNetworkXml(spec);
        expect(xml).toContain('<forward mode="nat"/>');
        expect(xml).toContain('<host mac="02:aa:00:00:00:01" name="gw" ip="192.168.122.10"/>');
        // virsh net-dumpxml adds a uuid, a MAC and a prefix form; the parsed spec is what we compare.
        const dumped = `<network><name>default</name><uuid>1</uuid><forward mode='nat'><nat><port start='1024' end='65535'/></nat></forward>
            <bridge name='virbr0' stp='on' delay='0'/><mac address='52:54:00:1:2:3'/><ip address='192.168.122.1' prefix='24'>
            <dhcp><range start='192.168.122.2' end='192.168.122.254'/><host mac='02:aa:00:00:00:01' name='gw' ip='192.168.122.10'/></dhcp></ip></network>`;
        expect(parseNetworkXml(dumped)).toEqual(normalizeNetwork(spec));
    });

    it("renders a network on an existing host bridge", () => {
        const xml = renderNetworkXml({ name: "public", mode: "bridge", bridge: "br0" });
        expect(xml).toContain('<forward mode="bridge"/>');
        expect(parseNetworkXml(xml)).toEqual({ name: "public", mode: "bridge", bridge: "br0" });
    });
});

describe("domain XML", () => {
    it("has every disk, NIC with its MAC, the kernel and the console file", () => {
        const xml = renderDomainXml({
            name: "controller", type: "qemu", memoryMiB: 2048, vcpus: 2,
            disks: [{ path: "/v/controller.qcow2", format: "qcow2", target: "vda" }, { path: "/v/seed.iso", format: "raw", target: "vdb", readonly: true }],
            nics: [{ mac: "02:00:00:00:00:01", network: "default" }, { mac: "02:00:00:00:00:02", bridge: "br0" }],
            kernel: { kernel: "/v/vmlinuz", initrd: "/v/initrd.img", cmdline: "root=/dev/vda console=ttyS0" },
            consoleLog: "/v/controller.log",
        });
        expect(xml).toMatch(/<domain type="qemu">/);
        expect(xml).toContain('<memory unit="MiB">2048</memory>');
        expect(xml).toContain('<source file="/v/seed.iso"/>');
        expect(xml).toContain("<readonly/>");
        expect(xml).toContain('<source network="default"/>');
        expect(xml).toContain('<source bridge="br0"/>');
        expect(xml).toContain("<cmdline>root=/dev/vda console=ttyS0</cmdline>");
        expect(xml).toContain('<source path="/v/controller.log"/>');
        expect(xml).not.toContain("<cpu");
    });

    it("passes the host CPU through only under KVM", () => {
        const base = { name: "kvm1", memoryMiB: 1, vcpus: 1, disks: [], nics: [], consoleLog: "/c", cpuMode: "host-passthrough" as const };
        expect(renderDomainXml({ ...base, type: "kvm" })).toContain('<cpu mode="host-passthrough"/>');
        expect(renderDomainXml({ ...base, type: "qemu" })).not.toContain("<cpu");
    });
});

describe("stableMac", () => {
    it("is locally administered, zero-padded and stable", () => {
        const mac = stableMac("lab", "controller", 0);
        expect(mac).toMatch(/^02(:[0-9a-f]{2}){5}$/);
        expect(stableMac("lab", "controller", 0)).toBe(mac);
        expect(stableMac("lab", "controller", 1)).not.toBe(mac);
    });
});

describe("cloud-init seed", () => {
    it("pins the generated host key and gives the user the key and sudo", () => {
        const ud = renderUserData({ hostname: "kvm1", user: "lab", authorizedKeys: ["ssh-ed25519 AAAA user"],
            hostKey: { privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n", publicKey: "ssh-ed25519 BBBB kvm1" } });
        expect(ud.startsWith("#cloud-config\n")).toBe(true);
        const doc = YAML.parse(ud);
        expect(doc.ssh_keys.ed25519_public).toBe("ssh-ed25519 BBBB kvm1");
        expect(doc.ssh_keys.ed25519_private).toContain("BEGIN OPENSSH PRIVATE KEY");
        expect(doc.ssh_genkeytypes).toEqual([]);
        expect(doc.users[0]).toMatchObject({ name: "lab", sudo: "ALL=(ALL) NOPASSWD:ALL", ssh_authorized_keys: ["ssh-ed25519 AAAA user"] });
        expect(YAML.parse(renderMetaData("i-1", "kvm1"))).toEqual({ "instance-id": "i-1", "local-hostname": "kvm1" });
    });

    it("matches NICs by MAC: DHCP on the NAT NIC, a static address on the management NIC", () => {
        const doc = YAML.parse(renderNetworkConfig([{ mac: "02:00:00:00:00:01" }, { mac: "02:00:00:00:00:02", addresses: ["10.0.0.4/24"] }]));
        expect(doc).toEqual({ version: 1, config: [
            { type: "physical", name: "nic0", mac_address: "02:00:00:00:00:01", subnets: [{ type: "dhcp4" }] },
            { type: "physical", name: "nic1", mac_address: "02:00:00:00:00:02", subnets: [{ type: "static", address: "10.0.0.4/24" }] },
        ] });
    });

    it("brings a bare segment's NIC up with no address and no DHCP", () => {
        // `manual`: ifupdown brings it up (`auto`), with no address and no DHCP client.
        const doc = YAML.parse(renderNetworkConfig([{ mac: "02:00:00:00:00:03", dhcp: false }]));
        expect(doc.config[0]).toEqual({ type: "physical", name: "nic0", mac_address: "02:00:00:00:00:03", subnets: [{ type: "manual" }] });
    });

    it("writes a MAC that YAML 1.1 (cloud-init's PyYAML) would read as a base-60 number as a string", () => {
        const text = renderNetworkConfig([{ mac: "52:54:00:12:34:56", dhcp: false }]);
        expect(YAML.parse("mac: 52:54:00:12:34:56", { version: "1.1" }).mac).toBe(41135085296); // what an unquoted one becomes, as PyYAML reads it too
        expect(YAML.parse(text, { version: "1.1" }).config[0].mac_address).toBe("52:54:00:12:34:56");
    });

    it("puts the gateway and name servers on a NIC's first address only", () => {
        const doc = YAML.parse(renderNetworkConfig([{ mac: "02:00:00:00:00:0A", addresses: ["10.0.0.4/24", "10.0.1.4/24"], gateway: "10.0.0.1", nameservers: ["10.0.0.1"] }]));
        expect(doc.config[0]).toEqual({ type: "physical", name: "nic0", mac_address: "02:00:00:00:00:0a", subnets: [
            { type: "static", address: "10.0.0.4/24", gateway: "10.0.0.1", dns_nameservers: ["10.0.0.1"] },
            { type: "static", address: "10.0.1.4/24" },
        ] });
    });
});
