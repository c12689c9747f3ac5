import * as pulumi from "@pulumi/pulumi";
import { HostCommand } from "../../providers/hostCommand";
import { IniFile } from "../../providers/iniFile";
import { MysqlDatabase } from "../../providers/mysqlDatabase";
import { Packages } from "../../providers/packages";
import { Service } from "../../providers/service";
import { type ConnectionArgs } from "../../providers/transport";
import { databaseUrl, osloLiterals } from "../../render/osloValues";
import { digest, mergeIni, schemaMigration, uwsgiSettings } from "../apiService";
import { KEYSTONE_ENTITY_PATH, keystoneBootstrap, keystoneKeys } from "../../render/keystoneSteps";
import { KEYSTONE_ENTITY_PY } from "../../render/keystoneEntity";
import { RemoteFile } from "../../providers/remoteFile";
import type { IniSections } from "../openstackPackages";
import { declareService, tcp, type ServiceModel } from "./declaration";

export interface KeystoneModel extends ServiceModel {
    /** Its system user, which owns its keys and log. */
    user: string;
    logFile: string;
}

/** Keystone is always there: the controller builds it first (buildKeystone), and every other service after its bootstrap. */
export const keystone = declareService<KeystoneModel>({
    name: "keystone",
    summary: "Identity with fernet tokens, the admin bootstrap, seed 003's service and demo projects and demo user",
    passwords: ["keystoneDb"],
    ports: [tcp("5000", "Keystone")],
    iniConfig: true,
    models: {
        zed: {
            // Debian runs Keystone under uwsgi as its own unit.
            debian: {
                packages: ["keystone", "python3-openstackclient"], units: ["keystone"], configFile: "/etc/keystone/keystone.conf", user: "keystone", logFile: "/var/log/keystone/keystone.log",
                uwsgi: ["/etc/keystone/keystone-uwsgi.ini"],
            },
            rhel: {
                packages: ["openstack-keystone", "httpd", "python3-mod_wsgi", "python3-openstackclient"], units: ["httpd"],
                configFile: "/etc/keystone/keystone.conf", user: "keystone", logFile: "/var/log/keystone/keystone.log",
            },
        },
    },
});

export interface KeystoneBuild {
    connection: pulumi.Input<ConnectionArgs>;
    model: KeystoneModel;
    address: string;
    authUrl: string;
    region: string;
    apiWorkers: number;
    /** The stack's extra keys for keystone.conf. */
    extra: IniSections;
    dbPassword: pulumi.Input<string>;
    adminPassword: pulumi.Input<string>;
    /** The controller's base services: their packages, and the database's and memcached's units. */
    base: { packages: Packages; db: Service[]; cache: Service[] };
    prefix: string;
    parent: pulumi.Resource;
}

/**
 * Keystone (seed 000's keystone role; fernet replaces the seeds' token
 * formats): its database, keys, migration and units, then bootstrap (admin
 * and the endpoints), which everything after it waits for.
 */
export function buildKeystone(k: KeystoneBuild): { units: Service[]; bootstrap: HostCommand } {
    const { connection, model: m, address, prefix: name } = k;
    const child = (dependsOn: pulumi.Input<pulumi.Resource>[] = []) => ({ parent: k.parent, dependsOn });
    const keystoneDb = new MysqlDatabase(`${name}-db-keystone`, {
        connection, database: "keystone", user: "keystone", password: k.dbPassword, hosts: ["localhost", "%"],
    }, child(k.base.db));
    const keystonePackages = new Packages(`${name}-keystone-packages`, { connection, names: m.packages }, child([k.base.packages, ...k.base.db]));
    const keystoneSettings = mergeIni({
        token: { provider: "fernet" },
        cache: { enabled: "true", backend: "dogpile.cache.memcached", memcache_servers: "127.0.0.1:11211" },
    }, k.extra);
    const keystoneSecrets = pulumi.output(k.dbPassword).apply((pw) => osloLiterals({
        database: { connection: databaseUrl("keystone", pw, address, "keystone") },
    }));
    const keystoneConf = new IniFile(`${name}-keystone-conf`, {
        connection, path: m.configFile, settings: keystoneSettings, secretSettings: keystoneSecrets,
    }, child([keystonePackages]));
    const keys = new HostCommand(`${name}-keystone-keys`, { connection, ...keystoneKeys(m.user, m.logFile) }, child([keystonePackages]));
    // After the keys step, which makes sure the log file is Keystone's (see there).
    const dbSync = schemaMigration(`${name}-keystone-db-sync`, {
        connection, database: "keystone", user: m.user, command: "keystone-manage db_sync", triggers: digest(keystoneSecrets),
    }, child([keystoneDb, keystoneConf, keys]));
    const keystoneWorkers = uwsgiSettings(k.apiWorkers);
    const keystoneUwsgi = (m.uwsgi ?? []).map((path) => new IniFile(`${name}-keystone-uwsgi`, {
        connection, path, settings: keystoneWorkers,
    }, child([keystonePackages])));
    const units = m.units.map((u) => new Service(`${name}-service-${u}`, {
        connection, name: u, restartOn: digest(keystoneSettings, keystoneSecrets, ...(m.uwsgi ? [keystoneWorkers] : [])),
    }, child([dbSync, keys, ...k.base.cache, ...keystoneUwsgi])));

    // The program every Keystone entity step runs; they all come after bootstrap, which needs it for its check.
    const entityProgram = new RemoteFile(`${name}-keystone-entity-program`, {
        connection, path: KEYSTONE_ENTITY_PATH, content: KEYSTONE_ENTITY_PY, mode: "0644",
    }, child([keystonePackages]));
    const bootstrap = new HostCommand(`${name}-keystone-bootstrap`, {
        connection, ...keystoneBootstrap(k.authUrl, k.region, m.user),
        stdin: pulumi.interpolate`${k.adminPassword}\n`,
        triggers: digest(k.adminPassword, k.authUrl, k.region),
    }, child([...units, entityProgram]));
    return { units, bootstrap };
}
