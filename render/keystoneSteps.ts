import { q, sh } from "../providers/transport/quote";
import type { HostStep } from "./hostSteps";

/**
 * Where the controller keeps the Keystone entity program (render/keystoneEntity.ts):
 * one file the steps run, rather than the program in each step's script (and so
 * in the state, once per step and per script, check and undo).
 */
export const KEYSTONE_ENTITY_PATH = "/usr/local/lib/openstack-lab-keystone-entity.py";

// The controller's steps around Keystone and the services' databases: the
// entity script's invocations, Keystone's keys and bootstrap, migrations.

/** A command run as a service's system user, as the services' manage tools expect. */
export function asUser(command: string, user: string): string {
    return sh`su -s /bin/sh -c ${command} ${user}`;
}

/** A Keystone entity made, checked or deleted through the admin API on the controller, by the program at KEYSTONE_ENTITY_PATH. */
export function keystoneEntity(action: "ensure" | "check" | "delete", url: string, argv: string[]): string {
    const cmd = `python3 ${KEYSTONE_ENTITY_PATH} ${[url, action, ...argv].map((a) => q(a)).join(" ")}`;
    if (action === "check") return cmd;
    // Changes are retried: Keystone's uwsgi may drop a connection while it
    // restarts or while packages beside it change. Stdin (the passwords) is
    // kept in a variable and fed again by printf, a builtin: no command line.
    return `in=$(cat); for i in 1 2 3 4 5; do printf '%s\n' "$in" | ${cmd} && exit 0; sleep 3; done; exit 1`;
}

/** The entity as a step: made on create, checked on refresh, deleted on destroy. */
export function keystoneEntityStep(description: string, url: string, argv: string[]): HostStep {
    return { description, script: keystoneEntity("ensure", url, argv), check: keystoneEntity("check", url, argv), undo: keystoneEntity("delete", url, argv) };
}

const KEY_DIRS = ["/etc/keystone/fernet-keys", "/etc/keystone/credential-keys"];

/** fernet_setup and credential_setup, with Keystone's log file its own first. */
export function keystoneKeys(user: string, logFile: string): HostStep {
    return {
        description: "keystone-manage fernet_setup and credential_setup",
        script: [
            // keystone-manage runs as root here and logs where Keystone does: a log file it made would be
            // root's, and Keystone (and its db_sync) could not write to it. Keystone's package usually starts it
            // on install, so that it writes the file first, but nothing makes sure of it (a host whose
            // policy-rc.d forbids starts); one an earlier run of this step left root's is given back to Keystone.
            sh`{ [ -e ${logFile} ] || install -o ${user} -g ${user} -m 0640 /dev/null ${logFile}; }`,
            sh`{ [ "$(stat -c %u ${logFile})" != 0 ] || chown ${`${user}:${user}`} ${logFile}; }`,
            sh`keystone-manage fernet_setup --keystone-user ${user} --keystone-group ${user}`,
            sh`keystone-manage credential_setup --keystone-user ${user} --keystone-group ${user}`,
        ].join(" && "),
        check: KEY_DIRS.map((d) => sh`[ -s ${d + "/0"} ]`).join(" && "),
        undo: sh`rm -rf ${KEY_DIRS}`,
    };
}

/**
 * keystone-manage bootstrap (admin, the region, the identity endpoints), the
 * admin password read from stdin into OS_BOOTSTRAP_PASSWORD; then a wait until
 * the API answers (the unit is up before uwsgi serves).
 */
export function keystoneBootstrap(authUrl: string, region: string, user: string): HostStep {
    const urls = sh`--bootstrap-admin-url ${authUrl} --bootstrap-internal-url ${authUrl} --bootstrap-public-url ${authUrl} --bootstrap-region-id ${region}`;
    const wait = sh`for i in $(seq 1 90); do python3 -c ${"import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)"} ${authUrl} 2>/dev/null && break; sleep 1; done`;
    return {
        description: "keystone-manage bootstrap",
        script: `IFS= read -r OS_BOOTSTRAP_PASSWORD; export OS_BOOTSTRAP_PASSWORD; ${asUser(`keystone-manage bootstrap ${urls}`, user)} && ${wait}`,
        check: keystoneEntity("check", authUrl, ["token", "admin"]),
    };
}

/**
 * A service's database migration (`keystone-manage db_sync`) as its user,
 * checked by whether its schema has tables, or by `check` when the step is
 * more than a schema (`nova-manage cell_v2 create_cell`), which it then also
 * runs first, so that it runs only when needed.
 */
export function migration(database: string, user: string, command: string, check?: string): HostStep {
    if (!/^[a-z0-9_]+$/.test(database)) throw new Error(`migration: ${JSON.stringify(database)} is not a database name`);
    const tables = `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${database}'`;
    return {
        description: command,
        script: check ? `${check} || ${asUser(command, user)}` : asUser(command, user),
        check: check ?? sh`[ "$(mysql --batch --skip-column-names -e ${tables})" -gt 0 ]`,
    };
}
