import * as pulumi from "@pulumi/pulumi";
import type { ControllerConfig, PasswordName } from "../config/controllerSchema";
import { IniFile } from "../providers/iniFile";
import { Packages } from "../providers/packages";
import { RabbitmqUser } from "../providers/rabbitmqUser";
import { Service } from "../providers/service";
import type { ConnectionArgs } from "../providers/transport";
import { renderOpenrc } from "../render/openrc";
import { Family, mariadbSettings, RELEASES } from "./openstackPackages";
import { digest, keystoneEntityStep, openstackApiService } from "./apiService";
import { transportUrl } from "../render/osloValues";
import { BASE_PORTS, firewallFor } from "./firewallRules";
import { SERVICES } from "./services";
import type { ServiceBuild, ServiceModel } from "./services/declaration";
import { buildKeystone, keystone as keystoneService } from "./services/keystone";

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
        const modelOf = <M extends ServiceModel>(svc: { models: Record<string, Record<Family, M>> }) => svc.models[c.release][args.family];
        const child = (dependsOn: pulumi.Input<pulumi.Resource>[] = []) => ({ parent: this, dependsOn });
        this.authUrl = `http://${address}:5000/v3/`;
        this.address = address;
        const password = (n: string) => {
            if (!(n in passwords)) throw new Error(`a service asked for password ${n}, which no service declares (components/services/)`);
            return passwords[n];
        };

        // Base services (seed 003: MySQL, the message broker, memcached).
        const basePackages = new Packages(`${name}-base-packages`, { connection, names: [...m.mariadb.packages, ...m.rabbitmq.packages, ...m.memcached.packages] }, child());
        const dbSettings = mariadbSettings(address);
        const dbConf = new IniFile(`${name}-mariadb-conf`, {
            connection, path: m.mariadb.configFile, settings: dbSettings, mode: "0644",
        }, child([basePackages]));
        const db = m.mariadb.units.map((u) => new Service(`${name}-service-${u}`, { connection, name: u, restartOn: digest(dbSettings) }, child([dbConf])));
        const broker = m.rabbitmq.units.map((u) => new Service(`${name}-service-${u}`, { connection, name: u }, child([basePackages])));
        const cache = m.memcached.units.map((u) => new Service(`${name}-service-${u}`, { connection, name: u }, child([basePackages])));
        new RabbitmqUser(`${name}-rabbit-openstack`, { connection, name: "openstack", password: password("rabbit") }, child(broker));

        const keystone = buildKeystone({
            connection, model: modelOf(keystoneService), address, authUrl: this.authUrl, region: c.region, apiWorkers: c.apiWorkers,
            extra: c.config.keystone ?? {}, dbPassword: password("keystoneDb"), adminPassword: password("admin"),
            base: { packages: basePackages, db, cache }, prefix: name, parent: this,
        });
        const { bootstrap } = keystone;

        // Seed 003's projects and its demo user.
        const admin = pulumi.interpolate`${passwords.admin}\n`;
        const entity = { connection, authUrl: this.authUrl };
        const projects = [["service", "Service Project"], ["demo", "Demo Project"]].map(([p, d]) => keystoneEntityStep(`${name}-project-${p}`, {
            ...entity, description: `Keystone project ${p}`, argv: ["project", p, d], stdin: admin,
        }, child([bootstrap])));
        const demo = keystoneEntityStep(`${name}-user-demo`, {
            ...entity, description: "Keystone user demo", argv: ["user", "demo", "demo", "member"],
            stdin: pulumi.interpolate`${passwords.admin}\n${passwords.demo}\n`,
        }, child(projects));

        // The other services of seed 000's controller role (components/services/), in the order they call each other.
        const after = [...projects, demo, ...broker];
        const deployed = new Map<string, pulumi.Resource[]>([["keystone", keystone.units]]);
        const build: Omit<ServiceBuild<ServiceModel>, "model" | "extra"> = {
            connection, config: c, address, authUrl: this.authUrl, region: c.region, password, after, bootstrap, prefix: name, parent: this,
            transportUrl: pulumi.output(passwords.rabbit).apply((pw) => transportUrl(address, pw)),
            unitsOf: (names) => names.flatMap((n) => deployed.get(n) ?? []),
            api: (s) => openstackApiService({
                connection, address, authUrl: this.authUrl, region: c.region, adminPassword: passwords.admin, after, parent: this, prefix: name, ...s,
            }),
            uwsgi: (files, threads) => (files ? { uwsgi: { files, processes: c.apiWorkers, threads } } : {}),
            entity: (resourceName, a, deps) => keystoneEntityStep(resourceName, { ...entity, ...a }, child(deps)),
        };
        for (const svc of SERVICES) {
            if (!svc.build || !c.services.includes(svc.name)) continue;
            const built = svc.build({ ...build, model: modelOf(svc), extra: (c.config as Record<string, Record<string, Record<string, string>>>)[svc.name] ?? {} });
            deployed.set(svc.name, built.units);
            if (svc.serves === "compute") this.computeServices.push(...built.units);
            if (svc.serves === "volume") this.volumeServices.push(...built.units);
            if (built.dashboardPath) this.dashboardUrl = `http://${address}${built.dashboardPath}`;
        }
        if (c.firewall) {
            const ports = Object.fromEntries(SERVICES.map((svc) => [svc.name, svc.ports]));
            const rules = [...BASE_PORTS, ...c.services.flatMap((svc) => ports[svc] ?? [])];
            firewallFor(name, "controller", { connection, family: args.family, rules }, child([basePackages]));
        }

        this.adminrc = pulumi.secret(rc(this.authUrl, "admin", "admin", passwords.admin));
        this.demorc = pulumi.secret(rc(this.authUrl, "demo", "demo", passwords.demo));
        this.registerOutputs({ authUrl: this.authUrl });
    }
}

/** An rc file for the lab's client (render/openrc.ts). */
function rc(url: string, user: string, project: string, password: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.output(password).apply((p) => renderOpenrc(url, user, project, p));
}
