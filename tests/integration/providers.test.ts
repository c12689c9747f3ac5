import { TestHost, TestHosts } from "../helpers/testHosts";
import type { ConnectionArgs } from "../../providers/transport";
import { iniFileProvider } from "../../providers/iniFile";
import { packagesProvider } from "../../providers/packages";
import { serviceProvider } from "../../providers/service";
import { kernelModuleProvider } from "../../providers/kernelModule";
import { firewallPortsProvider } from "../../providers/firewallPorts";
import { natGatewayProvider } from "../../providers/natGateway";
import { stockConfig } from "../helpers/stockConfigs";

// Provider behaviour that the PhysicalHost e2e test does not reach, called
// directly against a real system-container host.

// An apt run takes seconds, and several times that beside a lab's build in the other lane
// (scripts/test.sh): jest's 5 s default failed Packages' tests on a busy machine.
jest.setTimeout(120_000);

let hosts: TestHosts;
let h: TestHost;
let connection: ConnectionArgs;

beforeAll(() => {
    hosts = TestHosts.start(1);
    h = hosts.hosts[0];
    connection = { name: h.name, address: h.address, port: h.port, user: "root", hostKey: h.hostKey, privateKey: hosts.privateKey };
}, 300_000);

afterAll(() => hosts?.stop(), 120_000);

describe("IniFile", () => {
    const path = "/etc/olab/keystone.conf";

    it("writes secret keys beside plain ones, creates the file with the mode and owner asked, and removes it on delete", async () => {
        const inputs = {
            connection, path, mode: "0640", owner: "root", group: "lab",
            settings: { DEFAULT: { debug: "true" } },
            secretSettings: { database: { connection: "mysql+pymysql://keystone:s3cr;t$(x)@ctl/keystone" } },
        };
        const created = await iniFileProvider.create!(inputs);
        expect(hosts.ssh(h, `stat -c '%a %U %G' ${path}; cat ${path}`)).toBe(
            "640 root lab\n[DEFAULT]\ndebug = true\n\n[database]\nconnection = mysql+pymysql://keystone:s3cr;t$(x)@ctl/keystone\n");
        const read = await iniFileProvider.read!(created.id, created.outs);
        expect(read.props.secretSettings).toEqual(inputs.secretSettings);
        await iniFileProvider.delete!(created.id, created.outs);
        expect(hosts.ssh(h, `test -e ${path} && echo kept || echo gone`)).toBe("gone\n");
    });

    it("gives a key it stops managing its old value back on update", async () => {
        hosts.ssh(h, `mkdir -p /etc/olab && printf '[DEFAULT]\\nverbose = false\\n' > ${path}`);
        const v1 = { connection, path, settings: { DEFAULT: { verbose: "true", debug: "true" } } };
        const created = await iniFileProvider.create!(v1);
        const v2 = { connection, path, settings: { DEFAULT: { debug: "false" } } };
        const updated = await iniFileProvider.update!(created.id, created.outs, v2);
        expect(hosts.ssh(h, `cat ${path}`)).toBe("[DEFAULT]\nverbose = false\ndebug = false\n");
        await iniFileProvider.delete!(created.id, updated.outs!);
        expect(hosts.ssh(h, `cat ${path}`)).toBe("[DEFAULT]\nverbose = false\n");
    });

    it("puts Debian's nova.conf back byte for byte after create and update, k=v spacing and repeated keys included", async () => {
        const stock = stockConfig("nova-common", "usr/share/nova-common/nova.conf")
            .replace(/^#my_ip = .*$/m, (l) => `${l}\nmy_ip=10.9.9.9`)
            .replace(/^\[DEFAULT\]$/m, "[DEFAULT]\nenabled_apis = osapi_compute\nstate_path=/var/lib/nova") + "[DEFAULT]\nenabled_apis=metadata\n";
        const nova = "/etc/olab/nova.conf";
        // The script reaches the host on ssh's stdin: the file goes in a quoted here-document.
        expect(stock.endsWith("\n") && !stock.includes("OLAB_EOF")).toBe(true);
        hosts.ssh(h, `mkdir -p /etc/olab && cat > ${nova} <<'OLAB_EOF'\n${stock}OLAB_EOF\n`);
        expect(hosts.ssh(h, `cat ${nova}`)).toBe(stock);
        const v1 = { connection, path: nova, settings: { DEFAULT: { my_ip: "10.0.0.4", enabled_apis: "osapi_compute,metadata" }, pci: { alias: "{}" } } };
        const created = await iniFileProvider.create!(v1);
        const written = hosts.ssh(h, `cat ${nova}`);
        expect(written.split("\n").filter((l, i, all) => l === "alias = {}" && all[i - 1] === "#alias =")).toHaveLength(1);
        const v2 = { ...v1, settings: { DEFAULT: { my_ip: "10.0.0.5" }, pci: { alias: "{}" } } };
        const updated = await iniFileProvider.update!(created.id, created.outs, v2);
        expect(hosts.ssh(h, `grep -c '^enabled_apis' ${nova}`)).toBe("2\n");
        await iniFileProvider.delete!(created.id, updated.outs!);
        expect(hosts.ssh(h, `cat ${nova}`)).toBe(stock);
    }, 120_000);

    it("after an edit by hand gives each key its value back, and a file it created goes with the directories it made", async () => {
        hosts.ssh(h, `mkdir -p /etc/olab && printf '[DEFAULT]\nverbose=false\n' > ${path}`);
        const created = await iniFileProvider.create!({ connection, path, settings: { DEFAULT: { verbose: "true" } } });
        hosts.ssh(h, `echo '# an operator was here' >> ${path}`);
        await iniFileProvider.delete!(created.id, created.outs);
        expect(hosts.ssh(h, `cat ${path}`)).toBe("[DEFAULT]\nverbose = false\n# an operator was here\n");

        const deep = "/etc/olab-made/sub/dir/app.conf";
        const made = await iniFileProvider.create!({ connection, path: deep, settings: { DEFAULT: { a: "1" } } });
        expect(made.outs.createdDirs).toEqual(["/etc/olab-made/sub/dir", "/etc/olab-made/sub", "/etc/olab-made"]);
        await iniFileProvider.delete!(made.id, made.outs);
        expect(hosts.ssh(h, "test -e /etc/olab-made && echo kept || echo gone")).toBe("gone\n");
    }, 120_000);
});

/** Which of the packages dpkg has installed (a never-installed one is not listed at all). */
function installedOf(names: string): string[] {
    return hosts.ssh(h, `dpkg-query -W -f='\${Package} \${db:Status-Status}\\n' ${names} 2>/dev/null || true`)
        .split("\n").filter((l) => l.endsWith(" installed")).map((l) => l.split(" ")[0]).sort();
}

describe("Packages", () => {
    it("adds and drops names on update, removing only what it installed", async () => {
        const created = await packagesProvider.create!({ connection, names: ["olab-test-extra"] });
        expect(created.outs.installedByUs).toEqual(["olab-test-extra"]);
        const updated = await packagesProvider.update!(created.id, created.outs, { connection, names: ["olab-test-utils"] });
        expect(installedOf("olab-test-utils olab-test-extra")).toEqual(["olab-test-utils"]);
        const read = await packagesProvider.read!(created.id, updated.outs!);
        expect(read.props.present).toEqual(["olab-test-utils"]);
        await packagesProvider.delete!(created.id, updated.outs!);
        expect(installedOf("olab-test-utils olab-test-extra")).toEqual([]);
    });

    it("purges what it installed that dpkg knew nothing of, keeping config files someone changed", async () => {
        const status = () => hosts.ssh(h, "dpkg-query -W -f='${db:Status-Status}\\n' olab-test-extra 2>/dev/null || echo unknown").trim();
        const conf = () => hosts.ssh(h, "cat /etc/olab-test-extra.conf 2>/dev/null || echo absent");
        const fresh = await packagesProvider.create!({ connection, names: ["olab-test-extra"] });
        expect(fresh.outs.purgeable).toEqual(["olab-test-extra"]);
        expect(conf()).toBe("setting = shipped\n");
        await packagesProvider.delete!(fresh.id, fresh.outs);
        expect(["unknown", "not-installed"]).toContain(status());
        expect(conf()).toBe("absent\n");

        const edited = await packagesProvider.create!({ connection, names: ["olab-test-extra"] });
        hosts.ssh(h, "echo 'setting = mine' > /etc/olab-test-extra.conf");
        await packagesProvider.delete!(edited.id, edited.outs);
        expect([status(), conf()]).toEqual(["config-files", "setting = mine\n"]);

        // Installed over config files it did not make: removed only, those files stay.
        const over = await packagesProvider.create!({ connection, names: ["olab-test-extra"] });
        expect(over.outs.purgeable).toEqual([]);
        await packagesProvider.delete!(over.id, over.outs);
        expect([status(), conf()]).toEqual(["config-files", "setting = mine\n"]);
        hosts.ssh(h, "dpkg --purge olab-test-extra >/dev/null");

        const kept = await packagesProvider.create!({ connection, names: ["olab-test-extra"], purge: false });
        expect(kept.outs.purgeable).toEqual([]);
        await packagesProvider.delete!(kept.id, kept.outs);
        expect([status(), conf()]).toEqual(["config-files", "setting = shipped\n"]);
        hosts.ssh(h, "dpkg --purge olab-test-extra >/dev/null");
    }, 300_000);

    it("removes a dependency it brought in that another package only suggests", async () => {
        const created = await packagesProvider.create!({ connection, names: ["olab-test-needs-extra"] });
        expect(created.outs.addedWithDeps).toContain("olab-test-extra");
        hosts.ssh(h, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends olab-test-suggests-extra >/dev/null");
        await packagesProvider.delete!(created.id, created.outs);
        expect(installedOf("olab-test-needs-extra olab-test-extra olab-test-suggests-extra")).toEqual(["olab-test-suggests-extra"]);
        hosts.ssh(h, "DEBIAN_FRONTEND=noninteractive apt-get remove -y -q olab-test-suggests-extra >/dev/null");
    });

    it("leaves a package that was there before", async () => {
        hosts.ssh(h, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q olab-test-extra >/dev/null");
        const created = await packagesProvider.create!({ connection, names: ["olab-test-extra"] });
        expect(created.outs.installedByUs).toEqual([]);
        await packagesProvider.delete!(created.id, created.outs);
        expect(installedOf("olab-test-extra")).toEqual(["olab-test-extra"]);
    });
});

describe("Service", () => {
    const mainPid = () => hosts.ssh(h, "systemctl show -p MainPID --value olab-test.service").trim();

    it("restarts only when restartOn changes, and puts the unit back as it found it", async () => {
        hosts.ssh(h, "DEBIAN_FRONTEND=noninteractive apt-get install -y -q olab-test-utils >/dev/null");
        const v1 = { connection, name: "olab-test.service", restartOn: "config-v1" };
        const created = await serviceProvider.create!(v1);
        const pid1 = mainPid();
        expect(pid1).not.toBe("0");
        const same = await serviceProvider.update!(created.id, created.outs, { ...v1 });
        expect(mainPid()).toBe(pid1);
        const changed = await serviceProvider.update!(created.id, same.outs!, { ...v1, restartOn: "config-v2" });
        expect(mainPid()).not.toBe(pid1);
        await serviceProvider.delete!(created.id, changed.outs!);
        expect(hosts.ssh(h, "systemctl is-enabled olab-test.service; systemctl is-active olab-test.service; true")).toBe("disabled\ninactive\n");
    }, 60_000);

    it("fails a unit that crashes after starting, or exits at once, with its last journal lines", async () => {
        const unit = (name: string, exec: string) => hosts.ssh(h, `cat > /etc/systemd/system/${name} <<'UNIT'
[Service]
ExecStart=/bin/sh -c '${exec}'
Restart=on-failure
RestartSec=0.3
[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload`);
        unit("olab-crash.service", "echo loading plugins; sleep 1; echo feature x is experimental >&2; exit 1");
        unit("olab-quits.service", "exit 0");
        // Named without its suffix below, as the stack files name units; its start fails in ExecStartPre.
        hosts.ssh(h, `cat > /etc/systemd/system/olab-nostart.service <<'UNIT'
[Service]
ExecStartPre=/bin/sh -c 'echo plugin write_x: no such file >&2; exit 1'
ExecStart=/bin/sleep 60
UNIT
systemctl daemon-reload`);
        try {
            await expect(serviceProvider.create!({ connection, name: "olab-nostart" })).rejects.toThrow(/plugin write_x: no such file/);
            const crash = serviceProvider.create!({ connection, name: "olab-crash.service" });
            await expect(crash).rejects.toThrow(/olab-crash\.service did not stay up: .*restarted [1-9]\d* times/);
            await expect(crash).rejects.toThrow(/feature x is experimental/);
            await expect(serviceProvider.create!({ connection, name: "olab-quits.service" }))
                .rejects.toThrow(/olab-quits\.service did not stay up: inactive, restarted 0 times/);
        } finally {
            hosts.ssh(h, "systemctl disable --now olab-crash.service olab-quits.service olab-nostart.service 2>/dev/null; rm -f /etc/systemd/system/olab-crash.service /etc/systemd/system/olab-quits.service /etc/systemd/system/olab-nostart.service; systemctl daemon-reload");
        }
    }, 60_000);

    it("reports a unit stopped by hand on read", async () => {
        const created = await serviceProvider.create!({ connection, name: "olab-test.service" });
        hosts.ssh(h, "systemctl stop olab-test.service");
        const read = await serviceProvider.read!(created.id, created.outs);
        expect(read.props.isActive).toBe(false);
        const diff = await serviceProvider.diff!(created.id, read.props, { connection, name: "olab-test.service" });
        expect(diff.changes).toBe(true);
        await serviceProvider.delete!(created.id, created.outs);
    }, 60_000);
});

describe("KernelModule", () => {
    it("persists a built-in module and its options, and says a reload is needed when the live value differs", async () => {
        const created = await kernelModuleProvider.create!({ connection, name: "br_netfilter", presentPath: "/proc/sys/net/bridge", options: { olab_test: "1" } });
        expect(created.outs.loadedByUs).toBe(false);
        expect(created.outs.reloadNeeded).toBe(true);
        expect(hosts.ssh(h, "cat /etc/modules-load.d/br_netfilter.conf /etc/modprobe.d/br_netfilter.conf")).toBe("br_netfilter\noptions br_netfilter olab_test=1\n");
        await kernelModuleProvider.delete!(created.id, created.outs);
        expect(hosts.ssh(h, "ls /etc/modules-load.d/br_netfilter.conf /etc/modprobe.d/br_netfilter.conf 2>/dev/null | wc -l")).toBe("0\n");
    });

    it("refuses to load a module the kernel does not have, naming the host", async () => {
        await expect(kernelModuleProvider.create!({ connection, name: "olab_no_such_module" }))
            .rejects.toThrow(/^host h1: load module olab_no_such_module failed/);
        expect(hosts.ssh(h, "ls /etc/modules-load.d/olab_no_such_module.conf 2>/dev/null | wc -l")).toBe("0\n");
    });
});

describe("Sysctl", () => {
    it("persists nothing when the kernel refuses the value", async () => {
        const { sysctlProvider } = await import("../../providers/sysctl");
        // A new network namespace takes this machine's IPv4 values (a local lab beside sets ip_forward), so the value as found is the one to keep.
        const before = hosts.ssh(h, "cat /proc/sys/net/ipv4/ip_forward");
        await expect(sysctlProvider.create!({ connection, key: "net.ipv4.ip_forward", value: "not-a-number" }))
            .rejects.toThrow(/^host h1: set sysctl net\.ipv4\.ip_forward failed/);
        expect(hosts.ssh(h, "cat /proc/sys/net/ipv4/ip_forward; ls /etc/sysctl.d | grep -c openstack-lab || true")).toBe(`${before}0\n`);
    });

    it("puts back the value from before a create the engine never recorded (a killed run) once the next create is deleted", async () => {
        const { sysctlProvider } = await import("../../providers/sysctl");
        const before = hosts.ssh(h, "cat /proc/sys/net/ipv4/conf/all/rp_filter");
        const inputs = { connection, key: "net.ipv4.conf.all.rp_filter", value: before === "2\n" ? "1" : "2" };
        // The first create's outputs are lost, as with a kill before the engine wrote them.
        await sysctlProvider.create!(inputs);
        const again = await sysctlProvider.create!(inputs);
        expect(again.outs.previous.runtime).toBe(before.trim());
        await sysctlProvider.delete!(again.id, again.outs);
        expect(hosts.ssh(h, "cat /proc/sys/net/ipv4/conf/all/rp_filter; ls /etc/sysctl.d | grep -c openstack-lab; ls /var/lib/openstack-lab/journal 2>/dev/null | grep -c ^sysctl; true"))
            .toBe(`${before}0\n0\n`);
    });
});

describe("FirewallPorts", () => {
    const chain = () => hosts.ssh(h, "iptables -S OLAB-LABTEST 2>&1; iptables -C INPUT -j OLAB-LABTEST 2>/dev/null && echo jump; true");
    const tricky = "Keystone 'public'; $(id)\nnext";

    it("opens a role's ports in a chain INPUT jumps to, finds a rule deleted by hand, and closes only its own chain", async () => {
        hosts.ssh(h, "iptables -A INPUT -p tcp --dport 2222 -j ACCEPT");
        const rules = [
            { port: "5000", protocol: "tcp" as const, service: tricky },
            { port: "5900-5999", protocol: "tcp" as const, service: "VNC consoles" },
            { port: "4789", protocol: "udp" as const, service: "VXLAN" },
        ];
        const created = await firewallPortsProvider.create!({ connection, role: "labtest", rules });
        expect(created.outs.backend).toBe("iptables");
        expect(created.outs.present.sort()).toEqual(["4789/udp", "5000/tcp", "5900-5999/tcp", "jump"]);
        expect(chain()).toContain("--dport 5900:5999");
        expect(hosts.ssh(h, "iptables -S INPUT | head -n 2")).toBe("-P INPUT ACCEPT\n-A INPUT -j OLAB-LABTEST\n");

        hosts.ssh(h, "iptables -D OLAB-LABTEST -p udp -m udp --dport 4789 -m comment --comment VXLAN -j ACCEPT");
        const read = await firewallPortsProvider.read!(created.id, created.outs);
        expect(read.props.present).not.toContain("4789/udp");
        expect((await firewallPortsProvider.diff!(created.id, read.props, { connection, role: "labtest", rules })).changes).toBe(true);

        const updated = await firewallPortsProvider.update!(created.id, read.props, { connection, role: "labtest", rules: rules.slice(0, 2) });
        expect(updated.outs!.present.sort()).toEqual(["5000/tcp", "5900-5999/tcp", "jump"]);
        expect(chain()).not.toContain("4789");

        await firewallPortsProvider.delete!(created.id, updated.outs!);
        expect(hosts.ssh(h, "iptables -S")).not.toContain("OLAB-LABTEST");
        expect(hosts.ssh(h, "iptables -S INPUT")).toBe("-P INPUT ACCEPT\n-A INPUT -p tcp -m tcp --dport 2222 -j ACCEPT\n");
        hosts.ssh(h, "iptables -D INPUT -p tcp --dport 2222 -j ACCEPT");
    });

    it("refuses a bad port or role before touching the host", async () => {
        const r = await firewallPortsProvider.check!({}, { connection, role: "Bad Role", rules: [{ port: "6000-5000", protocol: "tcp", service: "x" }, { port: "70000", protocol: "tcp", service: "y" }] });
        expect(r.failures!.map((f) => f.reason)).toEqual([
            'invalid role "Bad Role"', 'invalid port "6000-5000": a port or a range like 5900-5999', 'invalid port "70000": a port or a range like 5900-5999',
        ]);
    });
});

describe("NatGateway", () => {
    const operatorRule = "-A POSTROUTING -s 192.168.50.0/24 -j MASQUERADE";

    it("masquerades the lab's networks in chains of its own, finds a rule deleted by hand, and removes only its chains", async () => {
        hosts.ssh(h, `iptables -t nat ${operatorRule}`);
        const inputs = { connection, sources: ["10.0.0.0/24", "192.0.2.7/32"], outInterface: "eth0" };
        const created = await natGatewayProvider.create!(inputs);
        expect(created.outs.present).toEqual([
            "forward 10.0.0.0/24", "forward 192.0.2.7/32", "jump forward", "jump nat", "nat 10.0.0.0/24", "nat 192.0.2.7/32", "return 10.0.0.0/24", "return 192.0.2.7/32",
        ]);
        expect(hosts.ssh(h, "iptables -t nat -S POSTROUTING")).toContain(operatorRule);
        expect(hosts.ssh(h, "iptables -S FORWARD | sed -n 2p")).toBe("-A FORWARD -j OLAB-FORWARD\n");

        hosts.ssh(h, "iptables -D OLAB-FORWARD -s 10.0.0.0/24 -o eth0 -j ACCEPT");
        const read = await natGatewayProvider.read!(created.id, created.outs);
        expect(read.props.present).not.toContain("forward 10.0.0.0/24");
        expect((await natGatewayProvider.diff!(created.id, read.props, inputs)).changes).toBe(true);

        const updated = await natGatewayProvider.update!(created.id, read.props, { ...inputs, sources: ["10.0.0.0/24"] });
        expect(updated.outs!.present).toEqual(["forward 10.0.0.0/24", "jump forward", "jump nat", "nat 10.0.0.0/24", "return 10.0.0.0/24"]);
        expect(hosts.ssh(h, "iptables -t nat -S OLAB-NAT")).not.toContain("192.0.2.7");

        await natGatewayProvider.delete!(created.id, updated.outs!);
        expect(hosts.ssh(h, "iptables -S; iptables -t nat -S")).not.toContain("OLAB-");
        expect(hosts.ssh(h, "iptables -t nat -S POSTROUTING")).toContain(operatorRule);
        hosts.ssh(h, `iptables -t nat ${operatorRule.replace("-A", "-D")}`);
    });
});
