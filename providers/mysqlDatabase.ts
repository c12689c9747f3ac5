import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { resourceKind } from "./kit";

/**
 * A MariaDB/MySQL database and the user a service reaches it with, granted
 * everything on it from every host in `hosts` (seed 003: localhost and %).
 * SQL travels on stdin as the server's root over its local socket, so the
 * password never reaches a command line.
 */
export interface MysqlDatabaseInputs {
    connection: ConnectionArgs;
    database: string;
    user: string;
    password: string;
    hosts: string[];
}

export interface MysqlDatabaseOutputs extends MysqlDatabaseInputs {
    /** Whether the database was there before us: if so, destroy leaves it. */
    existedBefore: boolean;
    /** What was found on the server when last read. */
    exists: boolean;
    usersPresent: string[];
    passwordWorks: boolean;
}

const IDENT = /^[a-z_][a-z0-9_]{0,63}$/;
const HOST = /^[A-Za-z0-9.%_:\-]+$/;

/** A string literal for SQL: backslashes and quotes escaped. */
const lit = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

const mysql = "mysql --batch --skip-column-names";

async function inspect(t: Transport, i: MysqlDatabaseInputs): Promise<{ exists: boolean; usersPresent: string[]; passwordWorks: boolean }> {
    const out = await run(t, `inspect database ${i.database}`, mysql, {
        stdin: `SELECT CONCAT('db ', COUNT(*)) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${lit(i.database)};\n` +
            `SELECT CONCAT('host ', Host) FROM mysql.user WHERE User = ${lit(i.user)};\n`,
    });
    const lines = out.split("\n");
    const exists = lines.includes("db 1");
    const usersPresent = lines.filter((l) => l.startsWith("host ")).map((l) => l.slice(5)).sort();
    // The password is checked by logging in with it, over the local socket:
    // the server may listen only on the lab address, which this does not know.
    const login = await t.exec(`IFS= read -r MYSQL_PWD; export MYSQL_PWD; ${mysql} ` + sh`-u ${i.user} -e ${"SELECT 1"} ${i.database}`, { stdin: i.password + "\n" });
    return { exists, usersPresent, passwordWorks: login.code === 0 };
}

function grantSql(i: MysqlDatabaseInputs): string {
    const lines = [`CREATE DATABASE IF NOT EXISTS \`${i.database}\`;`];
    for (const h of i.hosts) {
        const who = `${lit(i.user)}@${lit(h)}`;
        lines.push(`CREATE USER IF NOT EXISTS ${who} IDENTIFIED BY ${lit(i.password)};`,
            `ALTER USER ${who} IDENTIFIED BY ${lit(i.password)};`,
            `GRANT ALL PRIVILEGES ON \`${i.database}\`.* TO ${who};`);
    }
    return lines.join("\n") + "\nFLUSH PRIVILEGES;\n";
}

const mysqlDatabase = resourceKind<MysqlDatabaseInputs, MysqlDatabaseOutputs>({
    kind: "MysqlDatabase",
    outputs: ["existedBefore", "exists", "usersPresent", "passwordWorks"],
    secrets: ["connection", "password"],
    changes: {
        replace: ["database"],
        update: ["user", "password", "hosts"],
        drifted: (olds, news) => !olds.exists || !olds.passwordWorks || news.hosts.some((h) => !olds.usersPresent.includes(h)),
    },
    async check(_olds: MysqlDatabaseInputs, news: MysqlDatabaseInputs) {
        const failures = [];
        if (!IDENT.test(news.database)) failures.push({ property: "database", reason: `invalid database name ${JSON.stringify(news.database)}` });
        if (!IDENT.test(news.user)) failures.push({ property: "user", reason: `invalid user name ${JSON.stringify(news.user)}` });
        for (const h of news.hosts ?? []) {
            if (!HOST.test(h)) failures.push({ property: "hosts", reason: `invalid host ${JSON.stringify(h)}` });
        }
        return { inputs: news, failures };
    },
    async create(inputs: MysqlDatabaseInputs) {
        return withHost(inputs.connection, async (t) => {
            const before = await inspect(t, inputs);
            await run(t, `create database ${inputs.database}`, mysql, { stdin: grantSql(inputs) });
            const after = await inspect(t, inputs);
            return { id: `${inputs.connection.name}:${inputs.database}`, outs: { ...inputs, existedBefore: before.exists, ...after } };
        });
    },
    async update(_id: string, olds: MysqlDatabaseOutputs, news: MysqlDatabaseInputs) {
        return withHost(news.connection, async (t) => {
            const gone = olds.hosts.filter((h) => !news.hosts.includes(h)).concat(olds.user !== news.user ? olds.hosts : []);
            const drop = gone.map((h) => `DROP USER IF EXISTS ${lit(olds.user)}@${lit(h)};`).join("\n");
            await run(t, `update database ${news.database}`, mysql, { stdin: drop + "\n" + grantSql(news) });
            return { outs: { ...news, existedBefore: olds.existedBefore, ...(await inspect(t, news)) } };
        });
    },
    async delete(_id: string, olds: MysqlDatabaseOutputs) {
        await withHost(olds.connection, async (t) => {
            // The server may have gone with its package already.
            const up = await t.exec(`${mysql} -e 'SELECT 1'`);
            if (up.code !== 0) return;
            const sql = olds.hosts.map((h) => `DROP USER IF EXISTS ${lit(olds.user)}@${lit(h)};`);
            if (!olds.existedBefore) sql.push(`DROP DATABASE IF EXISTS \`${olds.database}\`;`);
            await run(t, `drop database ${olds.database}`, mysql, { stdin: sql.join("\n") + "\n" });
        });
    },
    async read(id: string, props: MysqlDatabaseOutputs) {
        return withHost(props.connection, async (t) => ({ id, props: { ...props, ...(await inspect(t, props)) } }));
    },
});

export const mysqlDatabaseProvider = mysqlDatabase.provider;

export const MysqlDatabase = mysqlDatabase.Resource;
export type MysqlDatabase = InstanceType<typeof MysqlDatabase>;
