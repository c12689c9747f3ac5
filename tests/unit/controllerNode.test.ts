import * as pulumi from "@pulumi/pulumi";
import { parseLab } from "../../config/load";

interface Registered { type: string; name: string; inputs: Record<string, any> }
const registered: Registered[] = [];

pulumi.runtime.setMocks({
    newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: args.inputs };
    },
    call: () => ({}),
}, "openstack-lab", "unit", false);

// Imported after setMocks so that the resources register with the mocks.
import { ControllerNode } from "../../components/ControllerNode";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
const passwords = { admin: "admin-pw-1", demo: "demo-pw-12", rabbit: "rabbit-pw-1", keystoneDb: "ks-db-pw-1", glanceDb: "gl-db-pw-1", glance: "glance-pw-1" };

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
        const { byType } = await build("debian");
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
        const at = words.indexOf("python3") + 3;
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
});
