import * as fs from "fs";
import * as path from "path";
import { TestHost, TestHosts } from "../helpers/testHosts";
import { TestStack } from "../helpers/pulumiCli";

// The real pulumi CLI drives PhysicalHost on two system-container hosts:
// h1 as root, h2 as a user with sudo.

const ORIGINAL_NOVA = "# shipped by the package\n[DEFAULT]\n# The IP address of this host\n#my_ip = <host_ipv4>\ndebug = false\n";
// Values that would break a naive shell line; they must reach the file as data.
const TRANSPORT_URL = "rabbit://openstack:it's;$(touch /tmp/pwned)`id`\"@ctl:5672/";
const DB_URL = "mysql+pymysql://nova:p%w=d@ctl/nova";
const MOTD = "lab 'one'; $(reboot) `id`\nsecond \"line\"\n";

let hosts: TestHosts;
let stack: TestStack;
let h1: TestHost;
let h2: TestHost;
let commandLog: string;
/** The hosts' kernel parameters before the first `up`. */
const before: Record<string, string> = {};

function labConfig(over: { h1?: string; h2?: string } = {}): string {
    return `config:
  openstack-lab:hosts:
    - name: h1
      address: ${h1.address}
      hostKey: ${h1.hostKey}
      packages: [olab-test-utils]
      services: [olab-test.service]
      sysctls:
        net.ipv4.conf.all.rp_filter: 2
      files:
        /etc/olab/motd:
          content: ${JSON.stringify(MOTD)}
          mode: "0600"
        /etc/olab/issue:
          content: "replaced\\n"
      ini:
        /etc/olab/nova.conf:
          DEFAULT:
            my_ip: 10.0.0.4
            transport_url: ${JSON.stringify(TRANSPORT_URL)}
          database:
            connection: ${JSON.stringify(DB_URL)}
        /etc/olab/new.conf:
          api:
            auth_strategy: keystone
${over.h1 ?? ""}    - name: h2
      address: ${h2.address}
      user: lab
      hostKey: ${h2.hostKey}
      packages: [olab-test-utils, olab-test-extra]
      services: []
${over.h2 ?? ""}  openstack-lab:gateway:
    host: h2
    outInterface: eth0
    sources: [10.99.0.0/24]
`;
}

const SYSCTLS = ["net/ipv4/ip_forward", "net/ipv4/conf/all/rp_filter", "net/bridge/bridge-nf-call-iptables",
    "net/bridge/bridge-nf-call-ip6tables", "net/bridge/bridge-nf-call-arptables"];

function sysctlState(h: TestHost): string {
    return hosts.ssh(h, SYSCTLS.map((k) => `echo ${k}=$(cat /proc/sys/${k})`).join("\n"));
}

function commandsRun(): string[] {
    return fs.existsSync(commandLog) ? fs.readFileSync(commandLog, "utf8").trim().split("\n").filter(Boolean) : [];
}

beforeAll(() => {
    hosts = TestHosts.start(2);
    [h1, h2] = hosts.hosts;
    stack = new TestStack();
    commandLog = path.join(stack.dir, "commands.log");
    stack.writeConfig(labConfig());
    stack.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
    hosts.ssh(h1, `mkdir -p /etc/olab && printf '%s' '${ORIGINAL_NOVA}' > /etc/olab/nova.conf && printf 'written by hand\n' > /etc/olab/issue`);
    // Some bridge sysctls start at 0, so that destroy has something to put back.
    hosts.ssh(h1, "echo 0 > /proc/sys/net/bridge/bridge-nf-call-arptables");
    before.h1 = sysctlState(h1);
    before.h2 = sysctlState(h2);
}, 300_000);

afterAll(() => {
    try {
        stack?.dispose();
    } finally {
        hosts?.stop();
    }
}, 300_000);

describe("PhysicalHost through the pulumi CLI", () => {
    it("previews every resource without running a command on a host", () => {
        const r = stack.op("preview", ["--diff"], { check: true, env: { OPENSTACK_LAB_COMMAND_LOG: commandLog } });
        expect(r.stdout).toMatch(/\+ 30 to create/);
        for (const kind of ["IniFile", "RemoteFile", "Sysctl", "KernelModule", "Packages", "Service", "HostFacts", "NatGateway"]) {
            expect(r.stdout).toContain(`openstack-lab:${kind}`);
        }
        expect(r.stdout).toContain("my_ip");
        expect(commandsRun()).toEqual([]);
    });

    it("prepares both hosts on up", () => {
        stack.op("up", [], { check: true });
        expect(hosts.ssh(h1, "cat /etc/olab/nova.conf")).toBe(
            "# shipped by the package\n[DEFAULT]\n# The IP address of this host\n#my_ip = <host_ipv4>\nmy_ip = 10.0.0.4\ndebug = false\n" +
            `transport_url = ${TRANSPORT_URL}\n\n[database]\nconnection = ${DB_URL}\n`);
        expect(hosts.ssh(h1, "stat -c '%a' /etc/olab/new.conf; cat /etc/olab/new.conf")).toBe("640\n[api]\nauth_strategy = keystone\n");
        expect(hosts.ssh(h1, "test -e /tmp/pwned && echo INJECTED || echo clean")).toBe("clean\n");
        expect(hosts.ssh(h1, "stat -c %a /etc/olab/motd; cat /etc/olab/motd /etc/olab/issue")).toBe(`600\n${MOTD}replaced\n`);
        for (const h of [h1, h2]) {
            const s = sysctlState(h);
            expect(s).toContain("net/ipv4/ip_forward=1");
            expect(s).toContain("net/bridge/bridge-nf-call-arptables=1");
            expect(hosts.ssh(h, "cat /etc/sysctl.d/60-openstack-lab-net.ipv4.ip_forward.conf /etc/modules-load.d/br_netfilter.conf"))
                .toBe("net.ipv4.ip_forward = 1\nbr_netfilter\n");
        }
        expect(sysctlState(h1)).toContain("net/ipv4/conf/all/rp_filter=2");
        expect(hosts.ssh(h1, "systemctl is-enabled olab-test.service; systemctl is-active olab-test.service")).toBe("enabled\nactive\n");
        expect(hosts.ssh(h2, "dpkg-query -W -f='${Package} ${db:Status-Status}\\n' olab-test-utils olab-test-extra"))
            .toBe("olab-test-extra installed\nolab-test-utils installed\n");
        // h2 is the lab's gateway: forwarding in a file of its own, the network masqueraded out of eth0.
        expect(hosts.ssh(h2, "cat /etc/sysctl.d/61-openstack-lab-gateway.conf; iptables -t nat -S OLAB-NAT; iptables -t nat -S POSTROUTING | tail -n 1"))
            .toBe("net.ipv4.ip_forward = 1\n-N OLAB-NAT\n-A OLAB-NAT -s 10.99.0.0/24 -o eth0 -m comment --comment openstack-lab -j MASQUERADE\n-A POSTROUTING -j OLAB-NAT\n");
        expect(JSON.parse(stack.cli(["stack", "output", "gatewayAddress", "--json", "--stack", stack.name], { check: true }).stdout)).toBe(h2.address);
    });

    it("changes nothing and runs no command on a second up", () => {
        const r = stack.op("up", ["--expect-no-changes"], { env: { OPENSTACK_LAB_COMMAND_LOG: commandLog } });
        expect(r.output).not.toMatch(/error/i);
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(/30 unchanged/);
        expect(commandsRun()).toEqual([]);
    });

    it("keeps the private key and the previous values out of plain state", () => {
        const keyBody = hosts.privateKey.split("\n")[1];
        expect(stack.exportState(true)).toContain(keyBody);
        const plain = stack.exportState();
        expect(plain).not.toContain(keyBody);
        // What a file held before us may be a password: it is stored encrypted.
        const ini = JSON.parse(plain).deployment.resources.find((r: { type: string }) => r.type.endsWith(":IniFile"));
        expect(ini.outputs.previous["4dabf18193072939515e22adb298388d"]).toBe("1b47061264138c4ac30d75fd1eb44270");
    });

    it("finds a hand-edited INI key and sysctl on refresh, and up puts them back", () => {
        hosts.ssh(h1, "sed -i 's/^my_ip = .*/my_ip = 10.9.9.9/' /etc/olab/nova.conf; echo 0 > /proc/sys/net/ipv4/ip_forward");
        const r = stack.op("refresh", ["--diff"], { check: true });
        expect(r.stdout).toMatch(/~ my_ip\s*: "10\.0\.0\.4" => "10\.9\.9\.9"/);
        expect(r.stdout).toMatch(/~ value\s*: "1" => "0"/);
        expect(r.stdout).toMatch(/~ 2 updated/);
        stack.op("up", [], { check: true });
        expect(hosts.ssh(h1, "grep '^my_ip' /etc/olab/nova.conf; cat /proc/sys/net/ipv4/ip_forward")).toBe("my_ip = 10.0.0.4\n1\n");
    });

    it("finds a NAT rule deleted by hand on the gateway on refresh, and up puts it back", () => {
        hosts.ssh(h2, "iptables -D OLAB-FORWARD -s 10.99.0.0/24 -o eth0 -j ACCEPT");
        const r = stack.op("refresh", ["--diff"], { check: true });
        expect(r.stdout).toMatch(/~ 1 updated/);
        expect(r.stdout).toMatch(/~ present\s*:/);
        stack.op("up", [], { check: true });
        expect(hosts.ssh(h2, "iptables -S OLAB-FORWARD")).toContain("-A OLAB-FORWARD -s 10.99.0.0/24 -o eth0 -j ACCEPT");
        stack.op("up", ["--expect-no-changes"], { check: true });
    });

    it("changes one key in place when the stack config changes it", () => {
        stack.writeConfig(labConfig().replace("my_ip: 10.0.0.4", "my_ip: 10.0.0.44"));
        stack.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
        const r = stack.op("up", [], { check: true, env: { OPENSTACK_LAB_COMMAND_LOG: commandLog } });
        expect(r.stdout).toMatch(/~ 1 updated/);
        expect(hosts.ssh(h1, "grep '^my_ip' /etc/olab/nova.conf")).toBe("my_ip = 10.0.0.44\n");
        expect(new Set(commandsRun().map((l) => JSON.parse(l).host))).toEqual(new Set(["h1"]));
    });

    it("fails with one line naming the host when its key changed, and the next up resumes", () => {
        // h1's address now answers with a host key other than the pinned one.
        stack.writeConfig(labConfig().replace(`hostKey: ${h1.hostKey}`, `hostKey: ${h2.hostKey}`));
        stack.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
        const bad = stack.op("up");
        expect(bad.code).not.toBe(0);
        expect(bad.stdout).toMatch(new RegExp(`error: host h1 \\(${h1.address.replace(/\./g, "\\.")}:22\\): host key mismatch: pinned SHA256:\\S+, host offered SHA256:\\S+`));
        expect(JSON.parse(stack.exportState()).deployment.pending_operations ?? []).toEqual([]);
        stack.writeConfig(labConfig().replace("my_ip: 10.0.0.4", "my_ip: 10.0.0.44"));
        stack.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
        const good = stack.op("up", [], { check: true });
        expect(good.output).not.toMatch(/error/);
    });

    it("puts files, kernel parameters, packages and services back as they were on destroy", () => {
        stack.op("destroy", [], { check: true });
        expect(hosts.ssh(h1, "cat /etc/olab/nova.conf")).toBe(ORIGINAL_NOVA);
        expect(hosts.ssh(h1, "test -e /etc/olab/new.conf && echo left || echo removed")).toBe("removed\n");
        expect(hosts.ssh(h1, "test -e /etc/olab/motd && echo left || echo removed; cat /etc/olab/issue")).toBe("removed\nwritten by hand\n");
        expect(sysctlState(h1)).toBe(before.h1);
        expect(sysctlState(h2)).toBe(before.h2);
        for (const h of [h1, h2]) {
            expect(hosts.ssh(h, "ls /etc/sysctl.d /etc/modules-load.d | grep -c openstack-lab\\|br_netfilter || true")).toBe("0\n");
            expect(hosts.ssh(h, "dpkg-query -W -f='${db:Status-Status}\\n' olab-test-utils 2>/dev/null || echo absent")).not.toContain(" installed");
        }
        expect(hosts.ssh(h1, "systemctl is-active olab-test.service || true")).not.toBe("active\n");
        expect(hosts.ssh(h2, "iptables -S; iptables -t nat -S")).not.toContain("OLAB-");
    });
});
