import * as pulumi from "@pulumi/pulumi";
import { HostCommand } from "../providers/hostCommand";
import { IniFile } from "../providers/iniFile";
import { MysqlDatabase } from "../providers/mysqlDatabase";
import { Packages } from "../providers/packages";
import { Service } from "../providers/service";
import type { ConnectionArgs } from "../providers/transport";
import { keystoneEntityStep as entityStep, migration } from "../render/keystoneSteps";
import type { HostStep } from "../render/hostSteps";
import { databaseUrl, osloLiterals } from "../render/osloValues";
import type { IniSections } from "./openstackPackages";

/** A Keystone entity as a resource: made on create, checked on refresh, deleted on destroy. */
export function keystoneEntityStep(
    resourceName: string,
    a: { connection: pulumi.Input<ConnectionArgs>; authUrl: string; description: string; argv: string[]; stdin: pulumi.Input<string> },
    opts: pulumi.CustomResourceOptions,
): HostCommand {
    return new HostCommand(resourceName, { connection: a.connection, ...entityStep(a.description, a.authUrl, a.argv), stdin: a.stdin }, opts);
}

/** A service's database migration as a resource (render/keystoneSteps.ts); it runs again when `triggers` change. */
export function schemaMigration(
    resourceName: string,
    a: { connection: pulumi.Input<ConnectionArgs>; database: string; user: string; command: string; triggers: pulumi.Input<string>; check?: string },
    opts: pulumi.CustomResourceOptions,
): HostCommand {
    return new HostCommand(resourceName, { connection: a.connection, ...migration(a.database, a.user, a.command, a.check), triggers: a.triggers }, opts);
}

/**
 * A uwsgi-served API's [uwsgi] keys: its workers, and `Connection: close` on
 * every response. uwsgi's http-socket closes a connection after each
 * response without saying so, and a client that reuses it gets "Connection
 * reset by peer" (Tempest's cleanup of identity tests did, from Keystone).
 * Debian sets the header for some APIs (Placement, Neutron, Cinder) and not
 * for others (Keystone, Nova, Heat).
 */
export function uwsgiSettings(processes: number, threads?: number): IniSections {
    return { uwsgi: { processes: String(processes), ...(threads ? { threads: String(threads) } : {}), "add-header": "Connection: close" } };
}

/** A digest of a file's owned keys: a change restarts the units that read it. */
export function digest(...values: pulumi.Input<unknown>[]): pulumi.Output<string> {
    return pulumi.all(values).apply((v) => {
        const { createHash } = require("crypto") as typeof import("crypto");
        return createHash("sha256").update(JSON.stringify(v)).digest("hex");
    });
}

export function mergeIni(...sources: IniSections[]): IniSections {
    const out: IniSections = {};
    for (const src of sources) {
        for (const [s, keys] of Object.entries(src)) out[s] = { ...out[s], ...keys };
    }
    return out;
}

/** One of a service's databases and the key of its main file that points there. */
export interface ServiceDatabase {
    name: string;
    /** [section, key] of the connection URL; none for nova_cell0, which nova-manage maps itself. */
    key?: [string, string];
}

/** A migration step, run in order as the service's user. */
export interface Migration {
    command: string;
    /** Resource name suffix, when the command's words do not make a short one. */
    name?: string;
    /** The database whose tables show the step is done (default: the first database). */
    database?: string;
    /** A check for steps that are more than a schema; the step runs only when it fails. */
    check?: string;
}

export interface CatalogEntry { name?: string; type: string; description: string; url: string }

export interface ApiServiceArgs {
    connection: pulumi.Input<ConnectionArgs>;
    /** The controller's address: database host and endpoint host. */
    address: string;
    authUrl: string;
    region: string;
    adminPassword: pulumi.Input<string>;
    /** Service name, also its database user, Keystone user and system user. */
    name: string;
    /** The service's catalog entries; a second one (Heat's CloudFormation API) names itself. */
    catalog: CatalogEntry | CatalogEntry[];
    packages: string[];
    units: string[];
    configFile: string;
    /** Keys the lab sets, merged with the stack's extra keys for this service. */
    settings: IniSections;
    /** Secret keys of the main file beyond the database URLs and the service password (other services' passwords). */
    secretSettings?: pulumi.Input<IniSections>;
    /** Default: one database named like the service, at [database] connection. */
    databases?: ServiceDatabase[];
    dbPassword: pulumi.Input<string>;
    servicePassword: pulumi.Input<string>;
    migrations: Migration[];
    /** Other files the service's units read (Neutron's ml2_conf.ini), written before the migrations. */
    files?: { id: string; path: string; settings: IniSections }[];
    /** Steps between the packages and the units (Debian's console proxy selection). */
    setup?: (HostStep & { id: string })[];
    /** Debian runs the APIs under uwsgi: their ini files, the workers each may start and, where set, their threads. */
    uwsgi?: { files: string[]; processes: number; threads?: number };
    /** What must exist first: the base services and Keystone's bootstrap and service project. */
    after: pulumi.Resource[];
    parent: pulumi.Resource;
    /** Resource names start with it (the controller's name). */
    prefix: string;
}

export interface ApiService {
    packages: Packages;
    /** The main file; other units that read it (Neutron's agents) restart on `fileDigest`. */
    conf: IniFile;
    fileDigest: pulumi.Output<string>;
    units: Service[];
}

/**
 * What every OpenStack API service of seed 000's roles needs: its databases
 * and their user, a Keystone user with the admin role on `service`, a catalog
 * entry with its three endpoints, its packages, its INI file with the
 * database and keystone_authtoken keys, the migrations, and its units,
 * restarted only when its files change.
 */
export function openstackApiService(a: ApiServiceArgs): ApiService {
    const { connection, name } = a;
    const opts = (dependsOn: pulumi.Input<pulumi.Resource>[]) => ({ parent: a.parent, dependsOn });
    const prefix = `${a.prefix}-${name}`;
    const databases = a.databases ?? [{ name, key: ["database", "connection"] }];
    const dbs = databases.map((d) => new MysqlDatabase(databases.length === 1 ? `${prefix}-db` : `${prefix}-db-${d.name}`, {
        connection, database: d.name, user: name, password: a.dbPassword, hosts: ["localhost", "%"],
    }, opts(a.after)));
    const packages = new Packages(`${prefix}-packages`, { connection, names: a.packages }, opts(a.after));
    // The Keystone entries depend on the packages so that destroy removes them
    // first: removing packages disturbs the API on the same host.
    const user = keystoneEntityStep(`${prefix}-keystone-user`, {
        connection, authUrl: a.authUrl, description: `Keystone user ${name}`, argv: ["user", name, "service", "admin"],
        stdin: pulumi.interpolate`${a.adminPassword}\n${a.servicePassword}\n`,
    }, opts([...a.after, packages]));
    const entries = Array.isArray(a.catalog) ? a.catalog : [a.catalog];
    const catalog = entries.map((e, i) => keystoneEntityStep(i === 0 ? `${prefix}-catalog` : `${prefix}-catalog-${e.name}`, {
        connection, authUrl: a.authUrl, description: `Keystone service and endpoints of ${e.name ?? name}`,
        argv: ["service", e.name ?? name, e.type, e.description, e.url, a.region],
        stdin: pulumi.interpolate`${a.adminPassword}\n`,
    }, opts([...a.after, packages])));
    const secrets = pulumi.all([a.dbPassword, a.servicePassword, a.secretSettings ?? {}]).apply(([dbPw, svcPw, extra]) => {
        const urls: IniSections = {};
        for (const d of databases) {
            if (d.key) urls[d.key[0]] = { ...urls[d.key[0]], [d.key[1]]: databaseUrl(name, dbPw, a.address, d.name) };
        }
        return osloLiterals(mergeIni(urls, { keystone_authtoken: { password: svcPw } }, extra as IniSections));
    });
    const settings = mergeIni({ keystone_authtoken: authtokenSettings(a.authUrl, name, a.region) }, a.settings);
    const conf = new IniFile(`${prefix}-conf`, { connection, path: a.configFile, settings, secretSettings: secrets }, opts([packages]));
    const files = (a.files ?? []).map((f) => new IniFile(`${prefix}-${f.id}`, { connection, path: f.path, settings: f.settings }, opts([packages])));
    const workerSettings = a.uwsgi ? uwsgiSettings(a.uwsgi.processes, a.uwsgi.threads) : undefined;
    const workers = (a.uwsgi?.files ?? []).map((path) => new IniFile(`${prefix}-uwsgi-${path.replace(/^.*\/|-uwsgi\.ini$/g, "")}`, {
        connection, path, settings: workerSettings!,
    }, opts([packages])));
    const setup = (a.setup ?? []).map((st) => new HostCommand(`${prefix}-${st.id}`, {
        connection, description: st.description, script: st.script, check: st.check,
    }, opts([packages])));
    let last: pulumi.Resource[] = [...dbs, conf, ...files];
    for (const m of a.migrations) {
        last = [schemaMigration(`${prefix}-${m.name ?? migrationName(m.command)}`, {
            connection, database: m.database ?? databases[0].name, user: name, command: m.command, check: m.check, triggers: digest(secrets),
        }, opts(last))];
    }
    const fileDigest = digest(settings, secrets);
    const restartOn = a.files || a.uwsgi ? digest(fileDigest, a.files ?? [], a.uwsgi ?? {}, workerSettings ?? {}) : fileDigest;
    const units = a.units.map((u) => new Service(`${prefix}-service-${u}`, {
        connection, name: u, restartOn,
    }, opts([...last, user, ...catalog, ...workers, ...setup])));
    return { packages, conf, fileDigest, units };
}

/** Seed 000's keystone_authtoken block, the same in every service. */
export function authtokenSettings(authUrl: string, username: string, region: string): Record<string, string> {
    const base = authUrl.replace(/\/v3\/$/, "");
    return {
        www_authenticate_uri: base,
        auth_url: base,
        memcached_servers: "127.0.0.1:11211",
        auth_type: "password",
        project_domain_name: "Default",
        user_domain_name: "Default",
        project_name: "service",
        username,
        region_name: region,
    };
}

/** `glance-manage db_sync` => `db-sync`, `nova-manage cell_v2 map_cell0` => `cell-v2-map-cell0`. */
function migrationName(command: string): string {
    return command.split(" ").slice(1).filter((w) => !w.startsWith("-")).join("-").replace(/_/g, "-");
}
