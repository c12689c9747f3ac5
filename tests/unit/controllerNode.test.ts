import { parseLab } from "../../config/load";

import { registered } from "../helpers/mockGraph";

import { ControllerNode } from "../../components/ControllerNode";

// Building a graph under mocks takes seconds when the machine is busy.
jest.setTimeout(60_000);

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
const passwords = { admin: "admin-pw-1", demo: "demo-pw-12", rabbit: "rabbit-pw-1", keystoneDb: "ks-db-pw-1", glanceDb: "gl-db-pw-1", glance: "glance-pw-1",
    placementDb: "pl-db-pw-1", placement: "placement-pw-1", novaDb: "nv-db-pw-1", nova: "nova-pw-1", neutronDb: "ne-db-pw-1", neutron: "neutron-pw-1", metadataSecret: "md-secret-1",
    cinderDb: "ci-db-pw-1", cinder: "cinder-pw-1", heatDb: "he-db-pw-1", heat: "heat-pw-1", heatDomainAdmin: "heat-dom-pw-1",
};

async function build(family: "debian" | "rhel", controller: Record<string, unknown> = {}) {
    registered.length = 0;
    const lab = parseLab({ hosts: [{ name: "ctl", address: "10.0.0.11", hostKey: KEY, family }], controller: { host: "ctl", ...controller } });
    const node = new ControllerNode("ctl-controller", {
        config: lab.controller!, connection: { name: "ctl", address: "10.0.0.11" }, family, address: "10.0.0.11", passwords,
    });
    await new Promise((resolve) => node.adminrc.apply(resolve));
    await new Promise((r) => setTimeout(r, 50));
    const byType = (t: string) => registered.filter((r) => r.type.endsWith(`:${t}`));
    return { node, byType };
}

describe("ControllerNode graph", () => {
    it("installs Debian's base services and Keystone and configures them key by key", async () => {
        const { byType } = await build("debian", { services: ["keystone"] });
        expect(byType("Packages").flatMap((p) => p.inputs.names)).toEqual(
            ["mariadb-server", "python3-pymysql", "rabbitmq-server", "memcached", "python3-memcache", "keystone", "python3-openstackclient"]);
        expect(byType("Service").map((s) => s.inputs.name).sort()).toEqual(["keystone", "mariadb", "memcached", "rabbitmq-server"]);
        const ini = Object.fromEntries(byType("IniFile").map((f) => [f.inputs.path, f.inputs]));
        expect(ini["/etc/mysql/mariadb.conf.d/99-openstack.cnf"].settings.mysqld["bind-address"]).toBe("10.0.0.11");
        expect(ini["/etc/keystone/keystone.conf"].settings.token).toEqual({ provider: "fernet" });
        expect(ini["/etc/keystone/keystone.conf"].secretSettings.database.connection).toBe("mysql+pymysql://keystone:ks-db-pw-1@10.0.0.11/keystone");
        expect(byType("MysqlDatabase").map((d) => [d.inputs.database, d.inputs.hosts])).toEqual([["keystone", ["localhost", "%"]]]);
        expect(byType("RabbitmqUser").map((u) => u.inputs.name)).toEqual(["openstack"]);
        expect(byType("HostCommand").map((c) => c.inputs.description).sort()).toEqual([
            "Keystone project demo", "Keystone project service", "Keystone user demo",
            "keystone-manage bootstrap", "keystone-manage db_sync", "keystone-manage fernet_setup and credential_setup",
        ]);
        // keystone-manage runs as root in the keys step: the log it shares with Keystone stays Keystone's.
        const keys = byType("HostCommand").find((c) => c.inputs.description === "keystone-manage fernet_setup and credential_setup")!.inputs.script;
        expect(keys.split(" && ").slice(0, 2)).toEqual([
            "{ [ -e /var/log/keystone/keystone.log ] || install -o keystone -g keystone -m 0640 /dev/null /var/log/keystone/keystone.log; }",
            "{ [ \"$(stat -c %u /var/log/keystone/keystone.log)\" != 0 ] || chown keystone\\:keystone /var/log/keystone/keystone.log; }",
        ]);
    });

    it("installs the Keystone entity program once, and its steps run it rather than carry it", async () => {
        const { byType } = await build("debian");
        const { KEYSTONE_ENTITY_PY } = await import("../../render/keystoneEntity");
        const programs = byType("RemoteFile").filter((f) => f.inputs.path === "/usr/local/lib/openstack-lab-keystone-entity.py");
        expect(programs.map((f) => [f.name, f.inputs.content === KEYSTONE_ENTITY_PY, f.inputs.mode])).toEqual([["ctl-controller-keystone-entity-program", true, "0644"]]);
        const steps = byType("HostCommand").filter((c) => /openstack-lab-keystone-entity\.py/.test(`${c.inputs.script}${c.inputs.check}`));
        expect(steps.length).toBeGreaterThan(15);
        // The state holds each step's inputs twice (inputs and outputs): a copy of the program in each made it 2.5 MB.
        for (const c of byType("HostCommand")) expect(JSON.stringify(c.inputs)).not.toContain("keystoneauth1");
    });

    it("passes passwords on stdin only, never in a script", async () => {
        const { byType } = await build("debian");
        for (const c of byType("HostCommand")) {
            for (const pw of Object.values(passwords)) {
                expect([c.inputs.script, c.inputs.check, c.inputs.undo].join("\n")).not.toContain(pw);
            }
        }
        expect(byType("HostCommand").find((c) => c.inputs.description === "Keystone user demo")!.inputs.stdin).toBe("admin-pw-1\ndemo-pw-12\n");
    });

    it("adds Glance with its database, Keystone user, catalog entry, file store and migration", async () => {
        const { byType } = await build("debian", { services: ["keystone", "glance"] });
        expect(byType("Packages").flatMap((p) => p.inputs.names)).toContain("glance");
        expect(byType("MysqlDatabase").map((d) => d.inputs.database).sort()).toEqual(["glance", "keystone"]);
        const conf = byType("IniFile").find((f) => f.inputs.path === "/etc/glance/glance-api.conf")!.inputs;
        expect(conf.settings.glance_store).toEqual({ stores: "file,http", default_store: "file", filesystem_store_datadir: "/var/lib/glance/images/" });
        expect(conf.settings.keystone_authtoken).toMatchObject({ username: "glance", project_name: "service", auth_url: "http://10.0.0.11:5000" });
        expect(conf.secretSettings).toEqual({
            database: { connection: "mysql+pymysql://glance:gl-db-pw-1@10.0.0.11/glance" },
            keystone_authtoken: { password: "glance-pw-1" },
        });
        const catalog = byType("HostCommand").find((c) => c.inputs.description === "Keystone service and endpoints of glance")!.inputs;
        const { parse } = require("shell-quote") as { parse(s: string): string[] };
        const words = parse(catalog.script);
        // python3, the entity program's path, then its arguments.
        const at = words.indexOf("python3") + 2;
        expect(words[at - 1]).toBe("/usr/local/lib/openstack-lab-keystone-entity.py");
        expect(words.slice(at, at + 8)).toEqual(
            ["http://10.0.0.11:5000/v3/", "ensure", "service", "glance", "image", "OpenStack Image", "http://10.0.0.11:9292", "RegionOne"]);
        expect(byType("Service").map((s) => s.inputs.name)).toContain("glance-api");
        expect(byType("HostCommand").map((c) => c.inputs.description)).toContain("glance-manage db_sync");
    });

    it("uses the RHEL family's names and paths", async () => {
        const { byType } = await build("rhel");
        expect(byType("Packages").flatMap((p) => p.inputs.names)).toContain("openstack-keystone");
        expect(byType("IniFile").map((f) => f.inputs.path)).toContain("/etc/my.cnf.d/openstack.cnf");
        expect(byType("Service").map((s) => s.inputs.name)).toContain("httpd");
        // Keystone, Placement and Horizon share httpd there: one resource each, all with distinct names.
        const names = registered.map((r) => `${r.type}::${r.name}`);
        expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    });

    it("adds the stack's Keystone keys to the lab's and restarts Keystone when they change", async () => {
        const restartOn = async (config: Record<string, unknown>) => {
            const { byType } = await build("debian", { config });
            const conf = byType("IniFile").find((f) => f.inputs.path === "/etc/keystone/keystone.conf")!;
            return { token: conf.inputs.settings.token, restart: byType("Service").find((s) => s.inputs.name === "keystone")!.inputs.restartOn };
        };
        const plain = await restartOn({});
        const changed = await restartOn({ keystone: { token: { expiration: "7200" } } });
        expect(changed.token).toEqual({ provider: "fernet", expiration: "7200" });
        expect(changed.restart).not.toBe(plain.restart);
    });

    it("gives Nova its three databases, cells, and the other services' credentials as secret keys", async () => {
        const { byType } = await build("debian");
        const dbs = byType("MysqlDatabase").map((d) => `${d.inputs.database}:${d.inputs.user}`).sort();
        expect(dbs).toEqual(["cinder:cinder", "glance:glance", "heat:heat", "keystone:keystone", "neutron:neutron", "nova:nova", "nova_api:nova", "nova_cell0:nova", "placement:placement"]);
        const nova = byType("IniFile").find((f) => f.inputs.path === "/etc/nova/nova.conf")!.inputs;
        expect(nova.secretSettings).toEqual({
            api_database: { connection: "mysql+pymysql://nova:nv-db-pw-1@10.0.0.11/nova_api" },
            database: { connection: "mysql+pymysql://nova:nv-db-pw-1@10.0.0.11/nova" },
            keystone_authtoken: { password: "nova-pw-1" },
            DEFAULT: { transport_url: "rabbit://openstack:rabbit-pw-1@10.0.0.11:5672/" },
            placement: { password: "placement-pw-1" },
            neutron: { password: "neutron-pw-1", metadata_proxy_shared_secret: "md-secret-1" },
        });
        // No password in the plain keys.
        expect(JSON.stringify(nova.settings)).not.toMatch(/pw-1|secret-1/);
        expect(nova.settings.placement).toMatchObject({ username: "placement", auth_url: "http://10.0.0.11:5000", region_name: "RegionOne" });
        const steps = byType("HostCommand").map((c) => c.inputs.description);
        expect(steps).toEqual(expect.arrayContaining([
            "nova-manage api_db sync", "nova-manage cell_v2 map_cell0", "nova-manage cell_v2 create_cell --name=cell1 --verbose", "nova-manage db sync",
            "placement-manage db sync",
        ]));
        expect(steps.some((d) => /^neutron-db-manage .*ml2_conf\.ini upgrade head$/.test(d))).toBe(true);
        const uwsgi = byType("IniFile").filter((f) => f.inputs.path.endsWith("-uwsgi.ini"));
        expect(uwsgi.map((f) => f.inputs.path).sort()).toEqual([
            "/etc/cinder/cinder-api-uwsgi.ini", "/etc/heat/heat-api-cfn-uwsgi.ini", "/etc/heat/heat-api-uwsgi.ini", "/etc/keystone/keystone-uwsgi.ini",
            "/etc/neutron/neutron-api-uwsgi.ini", "/etc/nova/nova-api-metadata-uwsgi.ini", "/etc/nova/nova-api-uwsgi.ini", "/etc/placement/placement-api-uwsgi.ini"]);
        expect(uwsgi.every((f) => f.inputs.settings.uwsgi.processes === "2")).toBe(true);
        // uwsgi's http-socket closes each connection after its response: every API says so, so no client reuses one.
        expect(uwsgi.every((f) => f.inputs.settings.uwsgi["add-header"] === "Connection: close")).toBe(true);
        // Placement, Nova and Neutron run one thread per worker (eventlet's hub hangs across threads).
        expect(uwsgi.filter((f) => f.inputs.settings.uwsgi.threads).map((f) => [f.inputs.path, f.inputs.settings.uwsgi.threads]).sort()).toEqual([
            ["/etc/neutron/neutron-api-uwsgi.ini", "1"], ["/etc/nova/nova-api-metadata-uwsgi.ini", "1"], ["/etc/nova/nova-api-uwsgi.ini", "1"], ["/etc/placement/placement-api-uwsgi.ini", "1"]]);
    });

    it("configures ML2/linuxbridge and the agents, each restarted only by the files it reads", async () => {
        const restarts = async (config: Record<string, unknown>) => {
            const { byType } = await build("debian", { config, network: { providerInterface: "br100" } });
            return { byType, units: Object.fromEntries(byType("Service").map((s) => [s.inputs.name, s.inputs.restartOn])) };
        };
        const plain = await restarts({});
        const ini = Object.fromEntries(plain.byType("IniFile").map((f) => [f.inputs.path, f.inputs]));
        expect(ini["/etc/neutron/plugins/ml2/ml2_conf.ini"].settings.ml2.mechanism_drivers).toBe("linuxbridge,l2population");
        expect(ini["/etc/neutron/plugins/ml2/linuxbridge_agent.ini"].settings.linux_bridge.physical_interface_mappings).toBe("provider:br100");
        expect(ini["/etc/neutron/plugins/ml2/linuxbridge_agent.ini"].settings.vxlan.local_ip).toBe("10.0.0.11");
        expect(ini["/etc/neutron/metadata_agent.ini"].secretSettings).toEqual({ DEFAULT: { metadata_proxy_shared_secret: "md-secret-1" } });
        expect(ini["/etc/neutron/neutron.conf"].settings.DEFAULT).toMatchObject({ core_plugin: "ml2", service_plugins: "router" });

        const agents = ["neutron-linuxbridge-agent", "neutron-dhcp-agent", "neutron-l3-agent", "neutron-metadata-agent"];
        const changed = (a: Record<string, string>, b: Record<string, string>) => Object.keys(a).filter((u) => a[u] !== b[u]).sort();
        const novaKey = await restarts({ nova: { DEFAULT: { cpu_allocation_ratio: "4.0" } } });
        expect(changed(plain.units, novaKey.units)).toEqual(["nova-api", "nova-api-metadata", "nova-conductor", "nova-novncproxy", "nova-scheduler"]);
        const neutronKey = await restarts({ neutron: { DEFAULT: { global_physnet_mtu: "1450" } } });
        expect(changed(plain.units, neutronKey.units)).toEqual(["neutron-api", ...agents, "neutron-rpc-server"].sort());
        const ml2Key = await restarts({ neutron: { ml2_type_vxlan: { vni_ranges: "1:2000" } } });
        expect(changed(plain.units, ml2Key.units)).toEqual(["neutron-api", "neutron-linuxbridge-agent", "neutron-rpc-server"]);
        const ml2File = ml2Key.byType("IniFile").find((f) => f.inputs.path.endsWith("/ml2_conf.ini"))!.inputs.settings;
        expect(ml2File.ml2_type_vxlan).toEqual({ vni_ranges: "1:2000" });
        expect(ml2Key.byType("IniFile").find((f) => f.inputs.path === "/etc/neutron/neutron.conf")!.inputs.settings.ml2_type_vxlan).toBeUndefined();
    }, 60_000);

    it("adds Cinder's API and Heat with its stack domain, two catalog entries and secret keys", async () => {
        const { byType } = await build("debian");
        const steps = byType("HostCommand").map((c) => c.inputs.description);
        expect(steps).toEqual(expect.arrayContaining([
            "cinder-manage db sync", "heat-manage db_sync", "Keystone domain heat", "Keystone user heat_domain_admin",
            "Keystone role heat_stack_owner", "Keystone role heat_stack_user",
            "Keystone service and endpoints of heat", "Keystone service and endpoints of heat-cfn", "Keystone service and endpoints of cinder",
        ]));
        const heat = byType("IniFile").find((f) => f.inputs.path === "/etc/heat/heat.conf")!.inputs;
        expect(heat.settings.DEFAULT).toMatchObject({ stack_domain_admin: "heat_domain_admin", stack_user_domain_name: "heat" });
        expect(heat.secretSettings.DEFAULT.stack_domain_admin_password).toBe("heat-dom-pw-1");
        expect(heat.secretSettings.trustee.password).toBe("heat-pw-1");
        expect(JSON.stringify(heat.settings)).not.toContain("pw-1");
        const domainAdmin = byType("HostCommand").find((c) => c.inputs.description === "Keystone user heat_domain_admin")!.inputs;
        expect(domainAdmin.stdin).toBe("admin-pw-1\nheat-dom-pw-1\n");
        const units = byType("Service").map((s) => s.inputs.name);
        expect(units).toEqual(expect.arrayContaining(["cinder-api", "cinder-scheduler", "heat-api", "heat-api-cfn", "heat-engine", "apache2"]));
    });

    it("writes Horizon's settings to a file of its own and restarts apache2 when they change", async () => {
        const one = async (dashboard?: Record<string, unknown>) => {
            const { byType, node } = await build("debian", dashboard ? { dashboard } : {});
            const file = byType("RemoteFile").find((f) => f.inputs.path === "/etc/openstack-dashboard/local_settings.d/_90_openstack_lab.py")!.inputs;
            return { file, node, restart: byType("Service").find((s) => s.inputs.name === "apache2")!.inputs.restartOn };
        };
        const plain = await one();
        expect(plain.file.content).toContain('OPENSTACK_KEYSTONE_URL = "http://10.0.0.11:5000/v3"\n');
        expect(plain.file.content).toContain('ALLOWED_HOSTS = ["*"]\n');
        expect(plain.file.content).toContain("OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT = True\n");
        expect(plain.node.dashboardUrl).toBe("http://10.0.0.11/horizon/");
        const changed = await one({ allowedHosts: ["lab.example", "10.0.0.11"], timeZone: "Europe/Berlin" });
        expect(changed.file.content).toContain('ALLOWED_HOSTS = ["lab.example","10.0.0.11"]\n');
        expect(changed.file.content).toContain('TIME_ZONE = "Europe/Berlin"\n');
        expect(changed.restart).not.toBe(plain.restart);
    }, 60_000);

    it("opens the ports of the services it deploys only when the stack asks, after installing iptables", async () => {
        expect((await build("debian")).byType("FirewallPorts")).toEqual([]);
        const { byType } = await build("debian", { services: ["keystone", "glance"], firewall: true });
        const [fw] = byType("FirewallPorts");
        expect(fw.inputs.role).toBe("controller");
        expect(fw.inputs.rules.map((r: any) => `${r.port}/${r.protocol}`)).toEqual(["3306/tcp", "5672/tcp", "5000/tcp", "9292/tcp"]);
        expect(byType("Packages").find((p) => p.name === "ctl-controller-firewall-packages")!.inputs.names).toEqual(["iptables"]);
        const rhel = await build("rhel", { firewall: true });
        expect(rhel.byType("Packages").find((p) => p.name === "ctl-controller-firewall-packages")).toBeUndefined();
        expect(rhel.byType("FirewallPorts")[0].inputs.rules.map((r: any) => r.port)).toEqual(expect.arrayContaining(["8774", "9696", "4789", "80"]));
    });

    it("writes passwords that hold URL and oslo.config syntax so that each service reads them back as set", async () => {
        const awkward = { ...passwords, keystoneDb: "k$y/:?#& 1", novaDb: "n'v\"db;$(id)", nova: "'nova-pw'", rabbit: "r@b$it:/#" };
        registered.length = 0;
        const lab = parseLab({ hosts: [{ name: "ctl", address: "10.0.0.11", hostKey: KEY }], controller: { host: "ctl", services: ["keystone", "glance", "placement", "nova", "neutron"] } });
        const node = new ControllerNode("ctl-controller", { config: lab.controller!, connection: { name: "ctl", address: "10.0.0.11" }, family: "debian", address: "10.0.0.11", passwords: awkward });
        await new Promise((resolve) => node.adminrc.apply(resolve));
        await new Promise((r) => setTimeout(r, 50));
        const ini = Object.fromEntries(registered.filter((r) => r.type.endsWith(":IniFile")).map((f) => [f.inputs.path, f.inputs.secretSettings]));
        expect(ini["/etc/keystone/keystone.conf"].database.connection).toBe("mysql+pymysql://keystone:k$$y/:?#& 1@10.0.0.11/keystone");
        expect(ini["/etc/nova/nova.conf"].database.connection).toBe(`mysql+pymysql://nova:n'v"db;$$(id)@10.0.0.11/nova`);
        expect(ini["/etc/nova/nova.conf"].keystone_authtoken.password).toBe(`"'nova-pw'"`);
        expect(ini["/etc/nova/nova.conf"].DEFAULT.transport_url).toBe("rabbit://openstack:r%40b%24it%3A%2F%23@10.0.0.11:5672/");
    });
});
