import * as pulumi from "@pulumi/pulumi";
import { HostCommand } from "../providers/hostCommand";
import { IniFile } from "../providers/iniFile";
import { MysqlDatabase } from "../providers/mysqlDatabase";
import { Packages } from "../providers/packages";
import { Service } from "../providers/service";
import { q, sh, type ConnectionArgs } from "../providers/transport";
import { KEYSTONE_ENTITY_PY } from "../render/keystoneEntity";
import type { IniSections } from "./openstackPackages";

/** A Keystone entity made through the admin API on the controller (render/keystoneEntity.ts). */
export function keystoneEntity(action: "ensure" | "check" | "delete", url: string, argv: string[]): string {
    const cmd = `python3 -c ${q(KEYSTONE_ENTITY_PY)} ${[url, action, ...argv].map((a) => q(a)).join(" ")}`;
    if (action === "check") return cmd;
    // Changes are retried: Keystone's uwsgi may drop a connection while it
    // restarts or while packages beside it change. Stdin (the passwords) is
    // kept in a variable and fed again by printf, a builtin: no command line.
    return `in=$(cat); for i in 1 2 3 4 5; do printf '%s\n' "$in" | ${cmd} && exit 0; sleep 3; done; exit 1`;
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

export interface ApiServiceArgs {
    connection: pulumi.Input<ConnectionArgs>;
    /** The controller's address: database host and endpoint host. */
    address: string;
    authUrl: string;
    region: string;
    adminPassword: pulumi.Input<string>;
    /** Service name, also its database, database user, Keystone user and system user. */
    name: string;
    catalog: { type: string; description: string; url: string };
    packages: string[];
    units: string[];
    configFile: string;
    /** Keys the lab sets, merged with the stack's extra keys for this service. */
    settings: IniSections;
    dbPassword: pulumi.Input<string>;
    servicePassword: pulumi.Input<string>;
    /** The database migration, run as the service's user (e.g. `glance-manage db_sync`). */
    dbSync: string;
    /** What must exist first: the base services and Keystone's bootstrap and service project. */
    after: pulumi.Resource[];
    parent: pulumi.Resource;
    /** Resource names start with it (the controller's name). */
    prefix: string;
}

/**
 * What every OpenStack API service of seed 000's roles needs: a database
 * and its user, a Keystone user with the admin role on `service`, a catalog
 * entry with its three endpoints, its packages, its INI file with the
 * database and keystone_authtoken keys, the migration, and its units,
 * restarted only when its file changes.
 */
export function openstackApiService(a: ApiServiceArgs): { units: Service[] } {
    const { connection, name } = a;
    const opts = (dependsOn: pulumi.Input<pulumi.Resource>[]) => ({ parent: a.parent, dependsOn });
    const prefix = `${a.prefix}-${name}`;
    const db = new MysqlDatabase(`${prefix}-db`, {
        connection, database: name, user: name, password: a.dbPassword, hosts: ["localhost", "%"],
    }, opts(a.after));
    const admin = pulumi.interpolate`${a.adminPassword}\n`;
    const packages = new Packages(`${prefix}-packages`, { connection, names: a.packages }, opts(a.after));
    // The Keystone entries depend on the packages so that destroy removes them
    // first: removing packages disturbs the API on the same host.
    const user = new HostCommand(`${prefix}-keystone-user`, {
        connection, description: `Keystone user ${name}`,
        script: keystoneEntity("ensure", a.authUrl, ["user", name, "service", "admin"]),
        check: keystoneEntity("check", a.authUrl, ["user", name, "service", "admin"]),
        undo: keystoneEntity("delete", a.authUrl, ["user", name, "service", "admin"]),
        stdin: pulumi.interpolate`${a.adminPassword}\n${a.servicePassword}\n`,
    }, opts([...a.after, packages]));
    const catalogArgs = ["service", name, a.catalog.type, a.catalog.description, a.catalog.url, a.region];
    const catalog = new HostCommand(`${prefix}-catalog`, {
        connection, description: `Keystone service and endpoints of ${name}`,
        script: keystoneEntity("ensure", a.authUrl, catalogArgs),
        check: keystoneEntity("check", a.authUrl, catalogArgs),
        undo: keystoneEntity("delete", a.authUrl, catalogArgs),
        stdin: admin,
    }, opts([...a.after, packages]));
    const secrets = pulumi.all([a.dbPassword, a.servicePassword]).apply(([dbPw, svcPw]) => ({
        database: { connection: `mysql+pymysql://${name}:${dbPw}@${a.address}/${name}` },
        keystone_authtoken: { password: svcPw },
    }));
    const settings = mergeIni({
        keystone_authtoken: {
            www_authenticate_uri: a.authUrl.replace(/\/v3\/$/, ""),
            auth_url: a.authUrl.replace(/\/v3\/$/, ""),
            memcached_servers: "127.0.0.1:11211",
            auth_type: "password",
            project_domain_name: "Default",
            user_domain_name: "Default",
            project_name: "service",
            username: name,
            region_name: a.region,
        },
    }, a.settings);
    const conf = new IniFile(`${prefix}-conf`, { connection, path: a.configFile, settings, secretSettings: secrets }, opts([packages]));
    const sync = new HostCommand(`${prefix}-db-sync`, {
        connection, description: a.dbSync,
        script: sh`su -s /bin/sh -c ${a.dbSync} ${name}`,
        check: sh`[ "$(mysql --batch --skip-column-names -e ${`SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${name}'`})" -gt 0 ]`,
        triggers: digest(secrets),
    }, opts([db, conf]));
    const units = a.units.map((u) => new Service(`${prefix}-service-${u}`, {
        connection, name: u, restartOn: digest(settings, secrets),
    }, opts([sync, user, catalog])));
    return { units };
}
