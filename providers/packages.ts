import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { diffOf, Inputs } from "./common";

/** Distribution packages, installed with apt or dnf as /etc/os-release says. */
export interface PackagesInputs {
    connection: ConnectionArgs;
    names: string[];
}

export interface PackagesOutputs extends PackagesInputs {
    manager: "apt" | "dnf";
    /** Which of `names` are installed now. */
    present: string[];
    /** Only these are removed on delete: the rest was there before us. */
    installedByUs: string[];
}

async function detect(t: Transport): Promise<"apt" | "dnf"> {
    const out = await run(t, "read /etc/os-release", `. /etc/os-release && echo "$ID $ID_LIKE"`);
    const ids = out.trim().split(/\s+/);
    if (ids.some((i) => ["debian", "ubuntu"].includes(i))) return "apt";
    if (ids.some((i) => ["rhel", "fedora", "centos", "rocky", "almalinux"].includes(i))) return "dnf";
    throw new Error(`host ${t.name}: unsupported distribution "${out.trim()}" (want Debian/Ubuntu or the RHEL family)`);
}

async function installed(t: Transport, manager: "apt" | "dnf", names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const out = manager === "apt"
        ? await run(t, "query packages", sh`dpkg-query -W -f=${"${Package} ${db:Status-Status}\\n"} ${names} 2>/dev/null; true`)
        : await run(t, "query packages", sh`rpm -q --qf '%{NAME} installed\n' ${names} 2>/dev/null; true`);
    const have = new Set(out.split("\n").filter((l) => l.endsWith(" installed")).map((l) => l.split(" ")[0]));
    return names.filter((n) => have.has(n));
}

async function install(t: Transport, manager: "apt" | "dnf", names: string[]): Promise<void> {
    if (names.length === 0) return;
    if (manager === "apt") {
        const cmd = sh`apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold ${names}`;
        // Package lists may be missing or stale on a fresh host: update once and retry.
        await run(t, `install ${names.join(" ")}`,
            `export DEBIAN_FRONTEND=noninteractive; ${cmd} || { apt-get update -q && ${cmd}; }`);
    } else {
        await run(t, `install ${names.join(" ")}`, sh`dnf install -y -q ${names}`);
    }
}

async function remove(t: Transport, manager: "apt" | "dnf", names: string[]): Promise<void> {
    if (names.length === 0) return;
    await run(t, `remove ${names.join(" ")}`, manager === "apt"
        ? `export DEBIAN_FRONTEND=noninteractive; ` + sh`apt-get remove -y -q ${names}`
        : sh`dnf remove -y -q ${names}`);
}

export const packagesProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: PackagesInputs, news: PackagesInputs) {
        const bad = (news.names ?? []).filter((n) => !/^[A-Za-z0-9][A-Za-z0-9+.\-_:]*$/.test(n));
        return { inputs: news, failures: bad.map((n) => ({ property: "names", reason: `invalid package name ${JSON.stringify(n)}` })) };
    },
    async diff(_id: string, olds: PackagesOutputs, news: PackagesInputs) {
        const d = diffOf({ ...olds }, { ...news }, [], ["names"]);
        const missing = news.names.some((n) => !olds.present.includes(n));
        return missing && !d.changes ? { ...d, changes: true } : d;
    },
    async create(inputs: PackagesInputs) {
        return withHost(inputs.connection, async (t) => {
            const manager = await detect(t);
            const before = await installed(t, manager, inputs.names);
            const missing = inputs.names.filter((n) => !before.includes(n));
            await install(t, manager, missing);
            const outs: PackagesOutputs = { ...inputs, manager, present: inputs.names, installedByUs: missing };
            return { id: `${inputs.connection.name}:packages:${inputs.names.join(",")}`, outs };
        });
    },
    async update(_id: string, olds: PackagesOutputs, news: PackagesInputs) {
        return withHost(news.connection, async (t) => {
            const before = await installed(t, olds.manager, news.names);
            const missing = news.names.filter((n) => !before.includes(n));
            await install(t, olds.manager, missing);
            const dropped = olds.installedByUs.filter((n) => !news.names.includes(n));
            await remove(t, olds.manager, dropped);
            const installedByUs = [...new Set([...olds.installedByUs.filter((n) => news.names.includes(n)), ...missing])];
            return { outs: { ...news, manager: olds.manager, present: news.names, installedByUs } };
        });
    },
    async delete(_id: string, olds: PackagesOutputs) {
        await withHost(olds.connection, async (t) => {
            await remove(t, olds.manager, await installed(t, olds.manager, olds.installedByUs));
        });
    },
    async read(id: string, props: PackagesOutputs) {
        return withHost(props.connection, async (t) => {
            return { id, props: { ...props, present: await installed(t, props.manager, props.names) } };
        });
    },
};

export class Packages extends pulumi.dynamic.Resource {
    declare public readonly present: pulumi.Output<string[]>;
    declare public readonly manager: pulumi.Output<string>;

    constructor(name: string, args: Inputs<PackagesInputs>, opts?: pulumi.CustomResourceOptions) {
        super(packagesProvider, name, { manager: undefined, present: undefined, installedByUs: undefined, ...args },
            { ...opts, additionalSecretOutputs: ["connection"] }, "openstack-lab", "Packages");
    }
}
