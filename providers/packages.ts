import { ConnectionArgs, exclusive, q, run, sh, Transport, withHost } from "./transport";
import { resourceKind } from "./kit";
import { forgetBefore, recordedBefore } from "./hostJournal";

const idOf = (i: PackagesInputs) => `${i.connection.name}:packages:${i.names.join(",")}`;

/** Distribution packages, installed with apt or dnf as /etc/os-release says. */
export interface PackagesInputs {
    connection: ConnectionArgs;
    names: string[];
    /**
     * apt: on delete, also purge what we installed that dpkg had no trace of
     * before (its config files would stay otherwise: lxc's sysctl file), as
     * long as none of its config files was changed since. Off where a
     * package's purge would take data the lab keeps (apt-cacher-ng's cache).
     */
    purge?: boolean;
}

type Manager = "apt" | "dnf";

export interface PackagesOutputs extends PackagesInputs {
    manager: Manager;
    /** Which of `names` are installed now. */
    present: string[];
    /** Of `names`, those that were not installed before us: removed on delete. */
    installedByUs: string[];
    /** Everything our installs added (dependencies too); a dependency is removed only once nothing needs it. */
    addedWithDeps: string[];
    /** Of those, what dpkg knew nothing of before (no config files left by an earlier install): purged on delete. */
    purgeable?: string[];
}

async function detect(t: Transport): Promise<Manager> {
    const out = await run(t, "read /etc/os-release", `. /etc/os-release && echo "$ID $ID_LIKE"`);
    const ids = out.trim().split(/\s+/);
    if (ids.some((i) => ["debian", "ubuntu"].includes(i))) return "apt";
    if (ids.some((i) => ["rhel", "fedora", "centos", "rocky", "almalinux"].includes(i))) return "dnf";
    throw new Error(`host ${t.name}: unsupported distribution "${out.trim()}" (want Debian/Ubuntu or the RHEL family)`);
}

/** Every package on the host that dpkg (or rpm) has a record of, with its status: installed, config-files, ... */
async function statuses(t: Transport, manager: Manager): Promise<Map<string, string>> {
    const out = manager === "apt"
        ? await run(t, "list packages", sh`dpkg-query -W -f=${"${Package} ${db:Status-Status}\\n"}`)
        : await run(t, "list packages", `rpm -qa --qf '%{NAME} installed\\n'`);
    return new Map(out.split("\n").filter(Boolean).map((l) => l.split(" ") as [string, string]));
}

const installedIn = (known: Map<string, string>) => new Set([...known].filter(([, s]) => s === "installed").map(([p]) => p));

/** Every installed package on the host. */
async function inventory(t: Transport, manager: Manager): Promise<Set<string>> {
    return installedIn(await statuses(t, manager));
}

async function install(t: Transport, manager: Manager, names: string[]): Promise<void> {
    if (names.length === 0) return;
    if (manager === "apt") {
        // The lock timeout waits out package runs this program did not start (unattended-upgrades).
        const cmd = sh`apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=600 ${names}`;
        // Package lists may be missing or stale on a fresh host: update once and retry.
        await run(t, `install ${names.join(" ")}`,
            `export DEBIAN_FRONTEND=noninteractive; ${cmd} || { apt-get update -q && ${cmd}; }`);
    } else {
        await run(t, `install ${names.join(" ")}`, sh`dnf install -y -q ${names}`);
    }
}

/** Installs what is missing and says what that added to the host, and which of that dpkg knew nothing of. */
async function installMissing(t: Transport, manager: Manager, names: string[], known?: Map<string, string>):
    Promise<{ missing: string[]; added: string[]; fresh: string[] }> {
    known ??= await statuses(t, manager);
    const before = installedIn(known);
    const missing = names.filter((n) => !before.has(n));
    if (missing.length === 0) return { missing, added: [], fresh: [] };
    await install(t, manager, missing);
    const after = await inventory(t, manager);
    const added = [...after].filter((p) => !before.has(p)).sort();
    return { missing, added, fresh: added.filter((p) => known.get(p) !== "config-files") };
}

/**
 * Purges those of `names` that removal left with their config files, unless
 * one of those files differs from what the package shipped (someone changed
 * it: it stays, with the package's record).
 */
async function purgeUnchanged(t: Transport, names: string[]): Promise<void> {
    if (names.length === 0) return;
    const script = [
        `for p in ${names.map(q).join(" ")}; do`,
        `  [ "$(dpkg-query -W -f='\${db:Status-Status}' "$p" 2>/dev/null)" = config-files ] || continue`,
        `  changed=$(dpkg-query -W -f='\${Conffiles}\\n' "$p" | while read -r f sum _; do`,
        `    [ -n "$f" ] && [ -e "$f" ] && [ "$(md5sum < "$f" | cut -d' ' -f1)" != "$sum" ] && echo "$f"; done; true)`,
        `  [ -z "$changed" ] && dpkg --purge "$p" >/dev/null`,
        "done; true",
    ].join("\n");
    await run(t, `purge ${names.join(" ")}`, script);
}

/**
 * Removes `names`, then those of `added` that nothing needs any more (what
 * apt's autoremove would pick, limited to what we brought in).
 */
async function remove(t: Transport, manager: Manager, names: string[], added: string[], purgeable: string[] = []): Promise<void> {
    const present = await inventory(t, manager);
    const ours = names.filter((n) => present.has(n));
    if (manager === "dnf") {
        // dnf drops dependencies nothing else needs by itself (clean_requirements_on_remove).
        if (ours.length) await run(t, `remove ${ours.join(" ")}`, sh`dnf remove -y -q ${ours}`);
        return;
    }
    const env = "export DEBIAN_FRONTEND=noninteractive; ";
    if (ours.length) await run(t, `remove ${ours.join(" ")}`, env + sh`apt-get remove -y -q -o DPkg::Lock::Timeout=600 ${ours}`);
    // Packages are installed without recommends; a dependency another package merely suggests
    // (javascript-common suggests a web server) is not needed, or destroy could keep apache2.
    const plan = await run(t, "plan autoremove", env + "apt-get -s -o APT::AutoRemove::SuggestsImportant=false autoremove");
    const unneeded = new Set(plan.split("\n").filter((l) => l.startsWith("Remv ")).map((l) => l.split(" ")[1]));
    const deps = added.filter((p) => unneeded.has(p));
    if (deps.length) await run(t, "remove unneeded dependencies", env + sh`apt-get remove -y -q -o DPkg::Lock::Timeout=600 ${deps}`);
    await purgeUnchanged(t, purgeable.filter((p) => ours.includes(p) || deps.includes(p)));
}

const packages = resourceKind<PackagesInputs, PackagesOutputs>({
    kind: "Packages",
    outputs: ["manager", "present", "installedByUs", "addedWithDeps", "purgeable"],
    secrets: ["connection"],
    changes: {
        replace: [],
        update: ["names"],
        drifted: (olds, news) => !Array.isArray(news.names) || news.names.some((n) => !olds.present.includes(n)),
    },
    async check(_olds: PackagesInputs, news: PackagesInputs) {
        // During preview a computed list arrives as a placeholder, not an array.
        const bad = (Array.isArray(news.names) ? news.names : []).filter((n) => !/^[A-Za-z0-9][A-Za-z0-9+.\-_:]*$/.test(n));
        return { inputs: news, failures: bad.map((n) => ({ property: "names", reason: `invalid package name ${JSON.stringify(n)}` })) };
    },
    async create(inputs: PackagesInputs) {
        return exclusive(inputs.connection, "packages", () => withHost(inputs.connection, async (t) => {
            const manager = await detect(t);
            const known = manager === "apt"
                ? new Map(await recordedBefore(t, "packages", idOf(inputs), async () => [...await statuses(t, manager)])) : undefined;
            const { missing, added, fresh } = await installMissing(t, manager, inputs.names, known);
            const outs: PackagesOutputs = {
                ...inputs, manager, present: inputs.names, installedByUs: missing, addedWithDeps: added, purgeable: inputs.purge === false ? [] : fresh,
            };
            return { id: idOf(inputs), outs };
        }));
    },
    async update(_id: string, olds: PackagesOutputs, news: PackagesInputs) {
        return exclusive(news.connection, "packages", () => withHost(news.connection, async (t) => {
            const { missing, added, fresh } = await installMissing(t, olds.manager, news.names);
            const dropped = olds.installedByUs.filter((n) => !news.names.includes(n));
            const purgeable = news.purge === false ? [] : [...new Set([...olds.purgeable ?? [], ...fresh])].sort();
            await remove(t, olds.manager, dropped, olds.addedWithDeps, purgeable);
            const installedByUs = [...new Set([...olds.installedByUs.filter((n) => news.names.includes(n)), ...missing])];
            const addedWithDeps = [...new Set([...olds.addedWithDeps, ...added])].sort();
            return { outs: { ...news, manager: olds.manager, present: news.names, installedByUs, addedWithDeps, purgeable } };
        }));
    },
    async delete(id: string, olds: PackagesOutputs) {
        await exclusive(olds.connection, "packages", () => withHost(olds.connection, async (t) => {
            await remove(t, olds.manager, olds.installedByUs, olds.addedWithDeps ?? [], olds.purgeable ?? []);
            await forgetBefore(t, "packages", id);
        }));
    },
    async read(id: string, props: PackagesOutputs) {
        return withHost(props.connection, async (t) => {
            const now = await inventory(t, props.manager);
            return { id, props: { ...props, present: props.names.filter((n) => now.has(n)) } };
        });
    },
});

export const packagesProvider = packages.provider;

export const Packages = packages.Resource;
export type Packages = InstanceType<typeof Packages>;
