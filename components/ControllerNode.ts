import * as pulumi from "@pulumi/pulumi";
import type { ControllerConfig } from "../config/controllerSchema";
import { HostCommand } from "../providers/hostCommand";
import { IniFile } from "../providers/iniFile";
import { MysqlDatabase } from "../providers/mysqlDatabase";
import { Packages } from "../providers/packages";
import { RabbitmqUser } from "../providers/rabbitmqUser";
import { Service } from "../providers/service";
import { q, sh, type ConnectionArgs } from "../providers/transport";
import { Family, GLANCE_SETTINGS, mariadbSettings, RELEASES } from "./openstackPackages";
import { digest, keystoneEntity as entity, mergeIni, openstackApiService } from "./apiService";

export interface ControllerPasswords {
    admin: pulumi.Input<string>;
    demo: pulumi.Input<string>;
    rabbit: pulumi.Input<string>;
    keystoneDb: pulumi.Input<string>;
    glanceDb: pulumi.Input<string>;
    glance: pulumi.Input<string>;
}

export interface ControllerNodeArgs {
    config: ControllerConfig;
    connection: pulumi.Input<ConnectionArgs>;
    family: Family;
    /** Where services listen and endpoints point. */
    address: string;
    passwords: ControllerPasswords;
}

/**
 * The control plane (seed 000's controller VM, seed 003's head node):
 * MariaDB, RabbitMQ and memcached, then Keystone with its database, fernet
 * and credential keys, bootstrap (admin, the endpoints), and seed 003's
 * `service` and `demo` projects and demo user.
 */
export class ControllerNode extends pulumi.ComponentResource {
    public readonly authUrl: string;
    public readonly adminrc: pulumi.Output<string>;
    public readonly demorc: pulumi.Output<string>;

    constructor(name: string, args: ControllerNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:openstack:ControllerNode", name, {}, opts);
        const { connection, address, passwords, config: c } = args;
        const m = RELEASES[c.release][args.family];
        const child = (dependsOn: pulumi.Input<pulumi.Resource>[] = []) => ({ parent: this, dependsOn });
        this.authUrl = `http://${address}:5000/v3/`;

        // Base services (seed 003: MySQL, the message broker, memcached).
        const basePackages = new Packages(`${name}-base-packages`, { connection, names: [...m.mariadb.packages, ...m.rabbitmq.packages, ...m.memcached.packages] }, child());
        const dbConf = new IniFile(`${name}-mariadb-conf`, {
            connection, path: m.mariadb.configFile, settings: mariadbSettings(address), mode: "0644",
        }, child([basePackages]));
        const db = m.mariadb.units.map((u) => new Service(`${name}-service-${u}`, { connection, name: u, restartOn: digest(mariadbSettings(address)) }, child([dbConf])));
        const broker = m.rabbitmq.units.map((u) => new Service(`${name}-service-${u}`, { connection, name: u }, child([basePackages])));
        const cache = m.memcached.units.map((u) => new Service(`${name}-service-${u}`, { connection, name: u }, child([basePackages])));
        new RabbitmqUser(`${name}-rabbit-openstack`, { connection, name: "openstack", password: passwords.rabbit }, child(broker));

        // Keystone (seed 000's keystone role; fernet replaces the seeds' token formats).
        const keystoneDb = new MysqlDatabase(`${name}-db-keystone`, {
            connection, database: "keystone", user: "keystone", password: passwords.keystoneDb, hosts: ["localhost", "%"],
        }, child(db));
        const keystonePackages = new Packages(`${name}-keystone-packages`, { connection, names: m.keystone.packages }, child([basePackages, ...db]));
        const keystoneSettings = mergeIni({
            token: { provider: "fernet" },
            cache: { enabled: "true", backend: "dogpile.cache.memcached", memcache_servers: "127.0.0.1:11211" },
        }, c.config.keystone ?? {});
        const keystoneSecrets = pulumi.output(passwords.keystoneDb).apply((pw) => ({
            database: { connection: `mysql+pymysql://keystone:${pw}@${address}/keystone` },
        }));
        const keystoneConf = new IniFile(`${name}-keystone-conf`, {
            connection, path: m.keystone.configFile, settings: keystoneSettings, secretSettings: keystoneSecrets,
        }, child([keystonePackages]));
        const asKeystone = (cmd: string) => sh`su -s /bin/sh -c ${cmd} ${m.keystone.user}`;
        const dbSync = new HostCommand(`${name}-keystone-db-sync`, {
            connection, description: "keystone-manage db_sync",
            script: asKeystone("keystone-manage db_sync"),
            check: sh`[ "$(mysql --batch --skip-column-names -e ${"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'keystone'"})" -gt 0 ]`,
            triggers: digest(keystoneSecrets),
        }, child([keystoneDb, keystoneConf]));
        const keyDirs = ["/etc/keystone/fernet-keys", "/etc/keystone/credential-keys"];
        const keys = new HostCommand(`${name}-keystone-keys`, {
            connection, description: "keystone-manage fernet_setup and credential_setup",
            script: [
                sh`keystone-manage fernet_setup --keystone-user ${m.keystone.user} --keystone-group ${m.keystone.user}`,
                sh`keystone-manage credential_setup --keystone-user ${m.keystone.user} --keystone-group ${m.keystone.user}`,
            ].join(" && "),
            check: keyDirs.map((d) => sh`[ -s ${d + "/0"} ]`).join(" && "),
            undo: sh`rm -rf ${keyDirs}`,
        }, child([keystonePackages]));
        const keystone = m.keystone.units.map((u) => new Service(`${name}-service-${u}`, {
            connection, name: u, restartOn: digest(keystoneSettings, keystoneSecrets),
        }, child([dbSync, keys, ...cache])));

        const adminEnv = sh`--bootstrap-admin-url ${this.authUrl} --bootstrap-internal-url ${this.authUrl} --bootstrap-public-url ${this.authUrl} --bootstrap-region-id ${c.region}`;
        // The unit is up before uwsgi answers: bootstrap talks to the database, later steps to the API.
        const waitForKeystone = sh`for i in $(seq 1 90); do python3 -c ${"import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)"} ${this.authUrl} 2>/dev/null && break; sleep 1; done`;
        const bootstrap = new HostCommand(`${name}-keystone-bootstrap`, {
            connection, description: "keystone-manage bootstrap",
            // keystone-manage reads the admin password from OS_BOOTSTRAP_PASSWORD.
            script: `IFS= read -r OS_BOOTSTRAP_PASSWORD; export OS_BOOTSTRAP_PASSWORD; ${asKeystone(`keystone-manage bootstrap ${adminEnv}`)} && ${waitForKeystone}`,
            check: entity("check", this.authUrl, ["token", "admin"]),
            stdin: pulumi.interpolate`${passwords.admin}\n`,
            triggers: digest(passwords.admin, this.authUrl, c.region),
        }, child(keystone));

        // Seed 003's projects and its demo user.
        const admin = pulumi.interpolate`${passwords.admin}\n`;
        const projects = [["service", "Service Project"], ["demo", "Demo Project"]].map(([p, d]) => new HostCommand(`${name}-project-${p}`, {
            connection, description: `Keystone project ${p}`,
            script: entity("ensure", this.authUrl, ["project", p, d]),
            check: entity("check", this.authUrl, ["project", p, d]),
            undo: entity("delete", this.authUrl, ["project", p, d]),
            stdin: admin,
        }, child([bootstrap])));
        const demo = new HostCommand(`${name}-user-demo`, {
            connection, description: "Keystone user demo",
            script: entity("ensure", this.authUrl, ["user", "demo", "demo", "member"]),
            check: entity("check", this.authUrl, ["user", "demo", "demo", "member"]),
            undo: entity("delete", this.authUrl, ["user", "demo", "demo", "member"]),
            stdin: pulumi.interpolate`${passwords.admin}\n${passwords.demo}\n`,
        }, child(projects));

        if (c.services.includes("glance")) {
            openstackApiService({
                connection, address, authUrl: this.authUrl, region: c.region, adminPassword: passwords.admin,
                name: "glance", catalog: { type: "image", description: "OpenStack Image", url: `http://${address}:9292` },
                packages: m.glance.packages, units: m.glance.units, configFile: m.glance.configFile,
                settings: mergeIni(GLANCE_SETTINGS, c.config.glance ?? {}),
                dbPassword: passwords.glanceDb, servicePassword: passwords.glance, dbSync: "glance-manage db_sync",
                after: [...projects, demo, ...broker], parent: this, prefix: name,
            });
        }

        this.adminrc = pulumi.secret(rc(this.authUrl, "admin", "admin", passwords.admin));
        this.demorc = pulumi.secret(rc(this.authUrl, "demo", "demo", passwords.demo));
        this.registerOutputs({ authUrl: this.authUrl });
    }
}


/** Seed 000's credentials/adminrc: what `source` needs for the openstack client. */
function rc(url: string, user: string, project: string, password: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`export OS_USERNAME=${user}
export OS_PASSWORD=${pulumi.output(password).apply((p) => q(p))}
export OS_PROJECT_NAME=${project}
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_AUTH_URL=${url}
export OS_IDENTITY_API_VERSION=3
`;
}

