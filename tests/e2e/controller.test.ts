import { TestHost, TestHosts } from "../helpers/testHosts";
import { TestStack } from "../helpers/pulumiCli";
import { RepoServer } from "../helpers/repoServer";

// A controller (MariaDB, RabbitMQ, memcached, Keystone from Debian's Zed
// packages) on a system-container host whose only package source is the
// repository the test serves on the hosts' private bridge, driven through
// the real pulumi CLI and checked with python3-openstackclient on the host.

let hosts: TestHosts;
let h1: TestHost;
let repo: RepoServer;
let stack: TestStack;

function config(extra = ""): string {
    return `config:
  openstack-lab:hosts:
    - name: ctl
      address: ${h1.address}
      hostKey: ${h1.hostKey}
      packages: []
      services: []
  openstack-lab:packageSource:
    apt: ["deb [trusted=yes] ${repo.url} ./"]
  openstack-lab:controller:
    host: ctl
${extra}`;
}

function output(name: string): string {
    return JSON.parse(stack.cli(["stack", "output", name, "--json", "--show-secrets", "--stack", stack.name], { check: true }).stdout);
}

/** Runs the openstack client on the controller with an rc file's credentials. */
function openstack(rc: string, args: string): { code: number; out: string } {
    const out = hosts.ssh(h1, `${rc}\nopenstack ${args} 2>&1; echo "exit=$?"`);
    const m = /exit=(\d+)\n$/.exec(out)!;
    return { code: Number(m[1]), out: out.slice(0, m.index) };
}

const mainPid = (unit: string) => hosts.ssh(h1, `systemctl show -p MainPID --value ${unit}`).trim();

beforeAll(async () => {
    hosts = TestHosts.start(1);
    [h1] = hosts.hosts;
    repo = await RepoServer.start(h1.address.replace(/\.\d+$/, ".1"));
    stack = new TestStack();
    stack.writeConfig(config());
    stack.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
}, 600_000);

afterAll(() => {
    try {
        stack?.dispose();
    } finally {
        repo?.stop();
        hosts?.stop();
    }
}, 600_000);

describe("ControllerNode through the pulumi CLI", () => {
    it("brings up MariaDB, RabbitMQ, memcached, Keystone and Glance from the lab's repository", () => {
        const r = stack.op("up", [], { check: true });
        expect(r.stdout).toMatch(/created/);
        expect(hosts.ssh(h1, "cat /etc/apt/sources.list.d/openstack-lab.list")).toBe(`deb [trusted=yes] ${repo.url} ./\n`);
        expect(hosts.ssh(h1, "systemctl is-active mariadb rabbitmq-server memcached keystone glance-api")).toBe("active\n".repeat(5));
        expect(hosts.ssh(h1, "grep -E '^(bind-address|character-set-server)' /etc/mysql/mariadb.conf.d/99-openstack.cnf"))
            .toBe(`bind-address = ${h1.address}\ncharacter-set-server = utf8\n`);
    }, 1_800_000);

    it("issues tokens to admin and demo and refuses a wrong password with HTTP 401", () => {
        const adminrc = output("adminrc");
        expect(openstack(adminrc, "token issue -f value -c id").code).toBe(0);
        expect(openstack(output("demorc"), "token issue -f value -c project_id").code).toBe(0);
        const wrong = openstack(adminrc.replace(/^export OS_PASSWORD=.*$/m, "export OS_PASSWORD='wrong; $(id)'"), "token issue");
        expect(wrong.code).not.toBe(0);
        expect(wrong.out).toMatch(/HTTP 401/);
        const endpoints = openstack(adminrc, "endpoint list -f value -c 'Service Type' -c Interface");
        expect(endpoints.out.split("\n").filter(Boolean).sort()).toEqual(
            ["identity admin", "identity internal", "identity public", "image admin", "image internal", "image public"]);
        expect(openstack(adminrc, "project list -f value -c Name").out.split("\n").filter(Boolean).sort()).toEqual(["admin", "demo", "service"]);
    });

    it("stores an uploaded image in Glance's file store and lists it active", () => {
        const adminrc = output("adminrc");
        const created = openstack(adminrc, "image create --file /etc/os-release --disk-format raw --container-format bare olab-test -f value -c status");
        if (created.code !== 0) throw new Error(`${created.out}\nglance-api's log:\n${hosts.ssh(h1, "tail -n 30 /var/log/glance/*.log")}`);
        // The client may print the image as it was before the upload finished.
        expect(created.out).toMatch(/^(queued|saving|active)\n$/);
        const status = hosts.ssh(h1, `${adminrc}\nfor i in $(seq 1 30); do s=$(openstack image show olab-test -f value -c status); [ "$s" = active ] && break; sleep 1; done; echo "$s"`);
        expect(status).toBe("active\n");
        expect(openstack(adminrc, "image list -f value -c Name -c Status").out).toContain("olab-test active");
        expect(hosts.ssh(h1, "ls /var/lib/glance/images | wc -l").trim()).toBe("1");
    });

    it("keeps the passwords out of plain state", () => {
        const state = stack.exportState();
        const adminPassword = /^export OS_PASSWORD=(.*)$/m.exec(output("adminrc"))![1].replace(/^'|'$/g, "");
        expect(adminPassword.length).toBeGreaterThanOrEqual(24);
        expect(state).not.toContain(adminPassword);
    });

    it("changes nothing and restarts nothing on a second up", () => {
        const units = ["mariadb", "keystone", "rabbitmq-server", "glance-api"];
        const before = units.map(mainPid);
        const r = stack.op("up", ["--expect-no-changes", "--diff"]);
        if (r.code !== 0) throw new Error(r.output);
        expect(units.map(mainPid)).toEqual(before);
    }, 600_000);

    it("changes one Keystone key and restarts Keystone only", () => {
        const [db, ks, gl] = [mainPid("mariadb"), mainPid("keystone"), mainPid("glance-api")];
        stack.writeConfig(config("    config:\n      keystone:\n        token:\n          expiration: \"7200\"\n"));
        stack.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
        const r = stack.op("up", ["--diff"], { check: true });
        expect(r.stdout).toMatch(/expiration/);
        // The file and the unit that reads it, nothing else.
        expect(r.stdout).toMatch(/~ 2 updated/);
        expect(hosts.ssh(h1, "sed -n '/^\\[token\\]/,/^\\[/p' /etc/keystone/keystone.conf | grep -E '^(provider|expiration) ' | sort")).toBe("expiration = 7200\nprovider = fernet\n");
        expect(mainPid("mariadb")).toBe(db);
        expect(mainPid("glance-api")).toBe(gl);
        expect(mainPid("keystone")).not.toBe(ks);
        expect(openstack(output("adminrc"), "token issue -f value -c expires").code).toBe(0);
    }, 600_000);

    it("finds the demo user deleted by hand on refresh and makes it again on up", () => {
        const adminrc = output("adminrc");
        expect(openstack(adminrc, "user delete demo").code).toBe(0);
        const r = stack.op("refresh", ["--diff"], { check: true });
        expect(r.stdout).toMatch(/~ inPlace\s*: true => false/);
        stack.op("up", [], { check: true });
        expect(openstack(output("demorc"), "token issue -f value -c id").code).toBe(0);
    }, 600_000);

    it("removes what it installed and configured on destroy", () => {
        stack.op("destroy", [], { check: true });
        expect(hosts.ssh(h1, "for p in keystone glance mariadb-server rabbitmq-server memcached; do dpkg-query -W -f='${db:Status-Status}\\n' $p 2>/dev/null || echo gone; done"))
            .not.toMatch(/^installed$/m);
        expect(hosts.ssh(h1, "ls /etc/apt/sources.list.d/; ls /etc/keystone/fernet-keys 2>&1 | head -1")).not.toMatch(/openstack-lab|^0$/m);
    }, 900_000);
});
