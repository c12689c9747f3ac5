import { ConnectionArgs, run, sh, withHost } from "./transport";
import { readRemoteFile, RemoteFileState, restoreRemoteFile, writeRemoteFile } from "./hostfs";
import { forgetBefore, recordedBefore } from "./hostJournal";
import { resourceKind } from "./kit";

/**
 * A kernel parameter set now and persisted in /etc/sysctl.d (the modern
 * replacement for the seed's appends to /etc/sysctl.conf).
 */
export interface SysctlInputs {
    connection: ConnectionArgs;
    key: string;
    value: string;
    /** Defaults to /etc/sysctl.d/60-openstack-lab-<key>.conf. */
    file?: string;
}

export interface SysctlOutputs extends SysctlInputs {
    file: string;
    /** The value read back from the drop-in file (null when it is missing). */
    persistedValue: string | null;
    previous: { runtime: string; file: RemoteFileState };
}

const procPath = (key: string) => "/proc/sys/" + key.replace(/\./g, "/");
const defaultFile = (key: string) => `/etc/sysctl.d/60-openstack-lab-${key}.conf`;

/** Kernel values come back tab-separated for multi-value keys; compare them by words. */
const norm = (v: string | null) => (v ?? "").trim().split(/\s+/).join(" ");

function parsePersisted(content: string, key: string): string | null {
    for (const line of content.split("\n")) {
        const m = /^\s*([^#;=\s]+)\s*=\s*(.*?)\s*$/.exec(line);
        if (m && m[1] === key) return m[2];
    }
    return null;
}

async function readRuntime(t: import("./transport").Transport, key: string): Promise<string> {
    return norm(await run(t, `read sysctl ${key}`, sh`cat ${procPath(key)}`));
}

async function setRuntime(t: import("./transport").Transport, key: string, value: string): Promise<void> {
    await run(t, `set sysctl ${key}`, sh`printf '%s\n' ${value} > ${procPath(key)}`);
}

const idOf = (i: SysctlInputs) => `${i.connection.name}:${i.key}`;

async function apply(i: SysctlInputs, file: string, creating: boolean) {
    return withHost(i.connection, async (t) => {
        const runtime = await readRuntime(t, i.key);
        const f = await readRemoteFile(t, file);
        // A create killed after it set the value would otherwise take its own value for the one before.
        const before = creating ? await recordedBefore(t, "sysctl", idOf(i), async () => ({ runtime, file: f })) : { runtime, file: f };
        // The kernel is the one to refuse a value: ask it before persisting. A refusal changed nothing to remember.
        if (runtime !== norm(i.value)) {
            await setRuntime(t, i.key, i.value).catch(async (e) => {
                if (creating) await forgetBefore(t, "sysctl", idOf(i));
                throw e;
            });
        }
        const line = `${i.key} = ${i.value}\n`;
        try {
            if (!f.exists || f.content !== line) await writeRemoteFile(t, file, line, { mode: "0644" });
        } catch (e) {
            await setRuntime(t, i.key, runtime);
            throw e;
        }
        return before;
    });
}

const sysctl = resourceKind<SysctlInputs, SysctlOutputs>({
    kind: "Sysctl",
    outputs: ["file", "persistedValue", "previous"],
    secrets: ["connection"],
    changes: {
        replace: ["key", "file"],
        update: ["value"],
        canonical: (v: SysctlInputs) => ({ ...v, value: norm(v.value), file: v.file ?? defaultFile(v.key) }),
        // The drop-in file edited or removed by hand is written again.
        drifted: (olds, news) => norm(olds.persistedValue) !== norm(news.value),
    },
    async check(_olds: SysctlInputs, news: SysctlInputs) {
        const failures = /^[A-Za-z0-9_\-]+(\.[A-Za-z0-9_\-]+)+$/.test(news.key) ? []
            : [{ property: "key", reason: `sysctl key ${JSON.stringify(news.key)} is not of the form net.ipv4.ip_forward` }];
        if (/[\r\n]/.test(news.value)) failures.push({ property: "value", reason: `sysctl ${news.key}: value must be one line` });
        return { inputs: news, failures };
    },
    async create(inputs: SysctlInputs) {
        const file = inputs.file ?? defaultFile(inputs.key);
        const previous = await apply(inputs, file, true);
        const outs: SysctlOutputs = { ...inputs, file, persistedValue: inputs.value, previous };
        return { id: idOf(inputs), outs };
    },
    async update(_id: string, olds: SysctlOutputs, news: SysctlInputs) {
        const file = news.file ?? defaultFile(news.key);
        await apply(news, file, false);
        return { outs: { ...news, file, persistedValue: news.value, previous: olds.previous } };
    },
    async delete(_id: string, olds: SysctlOutputs) {
        await withHost(olds.connection, async (t) => {
            await restoreRemoteFile(t, olds.file, olds.previous.file);
            if ((await readRuntime(t, olds.key)) !== norm(olds.previous.runtime)) {
                await setRuntime(t, olds.key, olds.previous.runtime);
            }
            await forgetBefore(t, "sysctl", idOf(olds));
        });
    },
    async read(id: string, props: SysctlOutputs) {
        return withHost(props.connection, async (t) => {
            const value = await readRuntime(t, props.key);
            const f = await readRemoteFile(t, props.file);
            return { id, props: { ...props, value, persistedValue: f.exists ? parsePersisted(f.content, props.key) : null } };
        });
    },
});

export const sysctlProvider = sysctl.provider;

export const Sysctl = sysctl.Resource;
export type Sysctl = InstanceType<typeof Sysctl>;
