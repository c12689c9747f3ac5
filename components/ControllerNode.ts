import * as pulumi from "@pulumi/pulumi";
import type { ControllerConfig, PasswordName } from "../config/controllerSchema";
import { HostCommand } from "../providers/hostCommand";
import { IniFile } from "../providers/iniFile";
import { MysqlDatabase } from "../providers/mysqlDatabase";
import { Packages } from "../providers/packages";
import { RabbitmqUser } from "../providers/rabbitmqUser";
import { Service } from "../providers/service";
import { q, sh, type ConnectionArgs } from "../providers/transport";
import { Family, GLANCE_SETTINGS, mariadbSettings, RELEASES } from "./openstackPackages";
import { asUser, digest, keystoneEntity, keystoneEntityStep, mergeIni, openstackApiService, schemaMigration, uwsgiSettings, type ApiServiceArgs } from "./apiService";
import { cinderSettings, novaSettings, placementSettings } from "./computeSettings";
import { databaseUrl, osloLiterals, transportUrl } from "../render/osloValues";
import { HEAT_DOMAIN, HEAT_DOMAIN_ADMIN, HEAT_ROLES, heatSettings } from "./heatSettings";
import { RemoteFile } from "../providers/remoteFile";
import { renderHorizonSettings } from "../render/horizonSettings";
import { agentSettings, ML2_SETTINGS, neutronSettings } from "./networkSettings";
import { neutronAgents } from "./neutronAgents";
import { CONTROLLER_PORTS, firewallFor } from "./firewallRules";

/** Every password and shared secret of the control plane (config/controllerSchema.ts names them). */
export type ControllerPasswords = Record<PasswordName, pulumi.Input<string>>;

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
    /** Where its services listen. */
    public readonly address: string;
    public readonly adminrc: pulumi.Output<string>;
    public readonly demorc: pulumi.Output<string>;
    public readonly dashboardUrl?: string;
    /** What compute nodes wait for: Nova's and Neutron's units. */
    public readonly computeServices: pulumi.Resource[] = [];
    /** What a storage node waits for: Cinder's API and scheduler (the volume service reports to them). */
    public readonly volumeServices: pulumi.Resource[] = [];

    constructor(name: string, args: ControllerNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:openstack:ControllerNode", name, {}, opts);
        const { connection, address, passwords, config: c } = args;
        const m = RELEASES[c.release][args.family];
        const child = (dependsOn: pulumi.Input<pulumi.Resource>[] = []) => ({ parent: this, dependsOn });
        this.authUrl = `http://${address}:5000/v3/`;
        this.address = address;

        // Base services (seed 003: MySQL, the message broker, memcached).
        const basePackages = new Packages(`${name}-base-packages`, { connection, names: [...m.mariadb.packages, ...m.rabbitmq.packages, ...m.memcached.packages] }, child());
        const dbSettings = mariadbSettings(address);
        const dbConf = new IniFile(`${name}-mariadb-conf`, {
            connection, path: m.mariadb.configFile, settings: dbSettings, mode: "0644",
        }, child([basePackages]));
        const db = m.mariadb.units.map((u) => new Service(`${name}-service-${u}`, { connection, name: u, restartOn: digest(dbSettings) }, child([dbConf])));
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
        const keystoneSecrets = pulumi.output(passwords.keystoneDb).apply((pw) => osloLiterals({
            database: { connection: databaseUrl("keystone", pw, address, "keystone") },
        }));
        const keystoneConf = new IniFile(`${name}-keystone-conf`, {
            connection, path: m.keystone.configFile, settings: keystoneSettings, secretSettings: keystoneSecrets,
        }, child([keystonePackages]));
        const keyDirs = ["/etc/keystone/fernet-keys", "/etc/keystone/credential-keys"];
        const keys = new HostCommand(`${name}-keystone-keys`, {
            connection, description: "keystone-manage fernet_setup and credential_setup",
            script: [
                // keystone-manage runs as root here and logs where Keystone does: a log file it made would be
                // root's, and Keystone (and its db_sync) could not write to it. Keystone's package usually starts it
                // on install, so that it writes the file first, but nothing makes sure of it (a host whose
                // policy-rc.d forbids starts); one an earlier run of this step left root's is given back to Keystone.
                sh`{ [ -e ${m.keystone.logFile} ] || install -o ${m.keystone.user} -g ${m.keystone.user} -m 0640 /dev/null ${m.keystone.logFile}; }`,
                sh`{ [ "$(stat -c %u ${m.keystone.logFile})" != 0 ] || chown ${`${m.keystone.user}:${m.keystone.user}`} ${m.keystone.logFile}; }`,
                sh`keystone-manage fernet_setup --keystone-user ${m.keystone.user} --keystone-group ${m.keystone.user}`,
                sh`keystone-manage credential_setup --keystone-user ${m.keystone.user} --keystone-group ${m.keystone.user}`,
            ].join(" && "),
            check: keyDirs.map((d) => sh`[ -s ${d + "/0"} ]`).join(" && "),
            undo: sh`rm -rf ${keyDirs}`,
        }, child([keystonePackages]));
        // After the keys step, which makes sure the log file is Keystone's (see there).
        const dbSync = schemaMigration(`${name}-keystone-db-sync`, {
            connection, database: "keystone", user: m.keystone.user, command: "keystone-manage db_sync", triggers: digest(keystoneSecrets),
        }, child([keystoneDb, keystoneConf, keys]));
        const keystoneWorkers = uwsgiSettings(c.apiWorkers);
        const keystoneUwsgi = (m.keystone.uwsgi ?? []).map((path) => new IniFile(`${name}-keystone-uwsgi`, {
            connection, path, settings: keystoneWorkers,
        }, child([keystonePackages])));
        const keystone = m.keystone.units.map((u) => new Service(`${name}-service-${u}`, {
            connection, name: u, restartOn: digest(keystoneSettings, keystoneSecrets, ...(m.keystone.uwsgi ? [keystoneWorkers] : [])),
        }, child([dbSync, keys, ...cache, ...keystoneUwsgi])));

        const adminEnv = sh`--bootstrap-admin-url ${this.authUrl} --bootstrap-internal-url ${this.authUrl} --bootstrap-public-url ${this.authUrl} --bootstrap-region-id ${c.region}`;
        // The unit is up before uwsgi answers: bootstrap talks to the database, later steps to the API.
        const waitForKeystone = sh`for i in $(seq 1 90); do python3 -c ${"import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)"} ${this.authUrl} 2>/dev/null && break; sleep 1; done`;
        const admin = pulumi.interpolate`${passwords.admin}\n`;
        const bootstrap = new HostCommand(`${name}-keystone-bootstrap`, {
            connection, description: "keystone-manage bootstrap",
            // keystone-manage reads the admin password from OS_BOOTSTRAP_PASSWORD.
            script: `IFS= read -r OS_BOOTSTRAP_PASSWORD; export OS_BOOTSTRAP_PASSWORD; ${asUser(`keystone-manage bootstrap ${adminEnv}`, m.keystone.user)} && ${waitForKeystone}`,
            check: keystoneEntity("check", this.authUrl, ["token", "admin"]),
            stdin: admin,
            triggers: digest(passwords.admin, this.authUrl, c.region),
        }, child(keystone));

        // Seed 003's projects and its demo user.
        const entity = { connection, authUrl: this.authUrl };
        const projects = [["service", "Service Project"], ["demo", "Demo Project"]].map(([p, d]) => keystoneEntityStep(`${name}-project-${p}`, {
            ...entity, description: `Keystone project ${p}`, argv: ["project", p, d], stdin: admin,
        }, child([bootstrap])));
        const demo = keystoneEntityStep(`${name}-user-demo`, {
            ...entity, description: "Keystone user demo", argv: ["user", "demo", "demo", "member"],
            stdin: pulumi.interpolate`${passwords.admin}\n${passwords.demo}\n`,
        }, child(projects));

        // The API services of seed 000's controller role, in the order they call each other.
        const ctx = { address, authUrl: this.authUrl, region: c.region };
        const common = {
            connection, address, authUrl: this.authUrl, region: c.region, adminPassword: passwords.admin,
            after: [...projects, demo, ...broker], parent: this as pulumi.Resource, prefix: name,
        };
        const api = (s: Omit<ApiServiceArgs, keyof typeof common> & Partial<ApiServiceArgs>) => openstackApiService({ ...common, ...s });
        const uwsgi = (files?: string[], threads?: number) => (files ? { uwsgi: { files, processes: c.apiWorkers, threads } } : {});
        const transport = pulumi.output(passwords.rabbit).apply((pw) => transportUrl(address, pw));
        const has = (s: (typeof c.services)[number]) => c.services.includes(s);
        let placed: pulumi.Resource[] = [];

        if (has("glance")) {
            const glance = api({
                name: "glance", catalog: { type: "image", description: "OpenStack Image", url: `http://${address}:9292` },
                packages: m.glance.packages, units: m.glance.units, configFile: m.glance.configFile,
                settings: mergeIni(GLANCE_SETTINGS, c.config.glance ?? {}),
                dbPassword: passwords.glanceDb, servicePassword: passwords.glance, migrations: [{ command: "glance-manage db_sync" }],
            });
            placed = glance.units;
        }
        if (has("placement")) {
            const placement = api({
                name: "placement", catalog: { type: "placement", description: "Placement API", url: `http://${address}:8778` },
                // One thread per worker, as for Neutron below: with Debian's 32, requests that arrive together
                // (nova's services starting at once) hung Placement on "cannot switch to a different thread".
                packages: m.placement.packages, units: m.placement.units, configFile: m.placement.configFile, ...uwsgi(m.placement.uwsgi, 1),
                settings: mergeIni(placementSettings(), c.config.placement ?? {}),
                databases: [{ name: "placement", key: ["placement_database", "connection"] }],
                dbPassword: passwords.placementDb, servicePassword: passwords.placement, migrations: [{ command: "placement-manage db sync" }],
            });
            placed = [...placed, ...placement.units];
        }
        if (has("nova")) {
            // Cells v2 (the seeds predate them): nova_api, cell0 and cell1, in this order.
            const cells = (cell: string) => sh`nova-manage cell_v2 list_cells | grep -q ${` ${cell} `}`;
            const nova = api({
                name: "nova", catalog: { type: "compute", description: "OpenStack Compute", url: `http://${address}:8774/v2.1` },
                // Debian gives nova-api one thread per worker already; its metadata API (32) likewise, for the same reason.
                packages: m.nova.packages, units: m.nova.units, configFile: m.nova.configFile, ...uwsgi(m.nova.uwsgi, 1),
                settings: mergeIni(novaSettings(ctx), c.config.nova ?? {}),
                secretSettings: pulumi.all([transport, passwords.placement, passwords.neutron, passwords.metadataSecret]).apply(([t, pl, ne, md]) => ({
                    DEFAULT: { transport_url: t },
                    placement: { password: pl },
                    neutron: { password: ne, metadata_proxy_shared_secret: md },
                })),
                databases: [
                    { name: "nova_api", key: ["api_database", "connection"] },
                    { name: "nova", key: ["database", "connection"] },
                    { name: "nova_cell0" },
                ],
                dbPassword: passwords.novaDb, servicePassword: passwords.nova,
                migrations: [
                    { command: "nova-manage api_db sync", database: "nova_api" },
                    { command: "nova-manage cell_v2 map_cell0", check: cells("cell0") },
                    { command: "nova-manage cell_v2 create_cell --name=cell1 --verbose", check: cells("cell1") },
                    { command: "nova-manage db sync", database: "nova" },
                ],
                after: [...common.after, ...placed],
                setup: consoleProxySwitch(m.nova.consoleProxySwitch),
            });
            this.computeServices.push(...nova.units);
        }
        if (has("neutron")) {
            // The stack's `ml2*` sections go to ml2_conf.ini, the rest to neutron.conf.
            const extra = Object.entries(c.config.neutron ?? {});
            const ml2 = mergeIni(ML2_SETTINGS, Object.fromEntries(extra.filter(([k]) => k.startsWith("ml2"))));
            const neutronConf = mergeIni(neutronSettings(ctx), Object.fromEntries(extra.filter(([k]) => !k.startsWith("ml2"))));
            const server = api({
                name: "neutron", catalog: { type: "network", description: "OpenStack Networking", url: `http://${address}:9696` },
                // Neutron's eventlet hub cannot be shared between threads: with Debian's 32 uwsgi
                // threads, creating a subnet or a rule hangs on "cannot switch to a different thread".
                packages: m.neutron.packages, units: m.neutron.units, configFile: m.neutron.configFile, ...uwsgi(m.neutron.uwsgi, 1),
                settings: neutronConf,
                secretSettings: pulumi.all([transport, passwords.nova]).apply(([t, nv]) => ({ DEFAULT: { transport_url: t }, nova: { password: nv } })),
                files: [{ id: "ml2-conf", path: m.neutron.ml2File, settings: ml2 }],
                dbPassword: passwords.neutronDb, servicePassword: passwords.neutron,
                migrations: [{
                    name: "db-upgrade",
                    command: sh`neutron-db-manage --config-file ${m.neutron.configFile} --config-file ${m.neutron.ml2File} upgrade head`,
                }],
                after: [...common.after, ...placed],
            });
            this.computeServices.push(...server.units);
            neutronAgents({
                connection, models: m.neutron.agents, prefix: name, parent: this,
                settings: agentSettings(ctx, { providerInterface: c.network.providerInterface, tunnelAddress: c.network.tunnelAddress ?? address }),
                metadataSecret: passwords.metadataSecret, neutronDigest: server.fileDigest, ml2Digest: digest(ml2),
                after: server.units,
            });
        }

        if (has("cinder")) {
            const cinder = api({
                name: "cinder", catalog: { type: "volumev3", description: "OpenStack Block Storage", url: `http://${address}:8776/v3/%(project_id)s` },
                packages: m.cinder.packages, units: m.cinder.units, configFile: m.cinder.configFile, ...uwsgi(m.cinder.uwsgi),
                settings: mergeIni(cinderSettings(ctx), c.config.cinder ?? {}),
                secretSettings: transport.apply((t) => ({ DEFAULT: { transport_url: t } })),
                dbPassword: passwords.cinderDb, servicePassword: passwords.cinder, migrations: [{ command: "cinder-manage db sync" }],
            });
            this.volumeServices.push(...cinder.units);
        }
        if (has("heat")) {
            // The stack domain, its admin and Heat's two roles come before Heat itself.
            const roles = HEAT_ROLES.map((r) => keystoneEntityStep(`${name}-role-${r}`, {
                ...entity, description: `Keystone role ${r}`, argv: ["role", r], stdin: admin,
            }, child([bootstrap])));
            const domain = keystoneEntityStep(`${name}-domain-${HEAT_DOMAIN}`, {
                ...entity, description: `Keystone domain ${HEAT_DOMAIN}`, argv: ["domain", HEAT_DOMAIN, "Stack projects and users"], stdin: admin,
            }, child([bootstrap]));
            const domainAdmin = keystoneEntityStep(`${name}-user-${HEAT_DOMAIN_ADMIN}`, {
                ...entity, description: `Keystone user ${HEAT_DOMAIN_ADMIN}`, argv: ["domainadmin", HEAT_DOMAIN_ADMIN, HEAT_DOMAIN, "admin"],
                stdin: pulumi.interpolate`${passwords.admin}\n${passwords.heatDomainAdmin}\n`,
            }, child([domain]));
            api({
                name: "heat",
                catalog: [
                    { type: "orchestration", description: "Orchestration", url: `http://${address}:8004/v1/%(tenant_id)s` },
                    { name: "heat-cfn", type: "cloudformation", description: "Orchestration (CloudFormation)", url: `http://${address}:8000/v1` },
                ],
                packages: m.heat.packages, units: m.heat.units, configFile: m.heat.configFile, ...uwsgi(m.heat.uwsgi),
                settings: mergeIni(heatSettings(ctx), c.config.heat ?? {}),
                secretSettings: pulumi.all([transport, passwords.heat, passwords.heatDomainAdmin]).apply(([t, h, d]) => ({
                    DEFAULT: { transport_url: t, stack_domain_admin_password: d },
                    trustee: { password: h },
                })),
                dbPassword: passwords.heatDb, servicePassword: passwords.heat, migrations: [{ command: "heat-manage db_sync" }],
                after: [...common.after, ...roles, domainAdmin],
            });
        }
        if (has("horizon")) {
            // Seed 000 puts Horizon on its gateway VM; here it sits beside Keystone.
            const packages = new Packages(`${name}-horizon-packages`, { connection, names: m.horizon.packages }, child(keystone));
            const content = renderHorizonSettings({ keystoneHost: address, authUrl: this.authUrl, ...c.dashboard });
            const settings = new RemoteFile(`${name}-horizon-settings`, { connection, path: m.horizon.settingsFile, content, mode: "0644" }, child([packages]));
            const sitesOff = (m.horizon.apacheSitesOff ?? []).map((site) => new HostCommand(`${name}-apache-site-${site}-off`, {
                connection, description: `a2dissite ${site}`,
                script: sh`a2dissite ${site}`,
                check: sh`[ ! -e ${`/etc/apache2/sites-enabled/${site}.conf`} ]`,
            }, child([packages])));
            // RDO serves Horizon from the httpd that also serves Keystone: its own resource, restarting httpd on its own file.
            m.horizon.units.forEach((u) => new Service(`${name}-horizon-service-${u}`, { connection, name: u, restartOn: digest(content) }, child([settings, ...sitesOff])));
        }
        this.dashboardUrl = has("horizon") ? `http://${address}${m.horizon.url}` : undefined;
        if (c.firewall) {
            const rules = ["base", ...c.services].flatMap((svc) => CONTROLLER_PORTS[svc] ?? []);
            firewallFor(name, "controller", { connection, family: args.family, rules }, child([basePackages]));
        }

        this.adminrc = pulumi.secret(rc(this.authUrl, "admin", "admin", passwords.admin));
        this.demorc = pulumi.secret(rc(this.authUrl, "demo", "demo", passwords.demo));
        this.registerOutputs({ authUrl: this.authUrl });
    }
}

/** A `KEY=value` line of a shell defaults file, set with sed and checked with grep. */
function consoleProxySwitch(sw?: { file: string; key: string; value: string }) {
    if (!sw) return [];
    const line = `${sw.key}=${sw.value}`;
    return [{
        id: "console-proxy-type", description: `${line} in ${sw.file}`,
        script: sh`sed -i ${`s/^${sw.key}=.*/${line}/`} ${sw.file}`,
        check: sh`grep -qx ${line} ${sw.file}`,
    }];
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

