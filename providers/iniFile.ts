import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, withHost } from "./transport";
import { missingDirectories, readRemoteFile, removeEmptyDirectories, removeRemoteFile, writeRemoteFile } from "./hostfs";
import { IniRestore, originalOf, restoreFrom } from "./iniRestore";
import { forgetBefore, recordedBefore } from "./hostJournal";

const idOf = (i: { connection: ConnectionArgs; path: string }) => `${i.connection.name}:${i.path}`;
import { resourceKind } from "./kit";
import { asList, IniSettings, IniSnapshot, missingSections, patchIni, readIniKeys, validateIniSettings } from "../render/ini";

/** Keys of one INI file owned by this resource; other lines are left alone. */
export interface IniFileInputs {
    connection: ConnectionArgs;
    path: string;
    settings: IniSettings;
    /** Keys whose values are secrets (passwords, connection URLs). */
    secretSettings?: IniSettings;
    /** Used only when the file has to be created. */
    mode?: string;
    owner?: string;
    group?: string;
}

export interface IniFileOutputs extends IniFileInputs {
    /** What each owned key was before we set it (null: absent), restored on delete. */
    previous: IniSnapshot;
    createdFile: boolean;
    createdSections: string[];
    /** The file as we found it, while nothing else changes it (absent in state written before). */
    restore?: IniRestore;
    /** Directories made for a file we created, removed with it when empty. */
    createdDirs?: string[];
}

function merged(i: IniFileInputs): IniSettings {
    const out: IniSettings = {};
    for (const src of [i.settings ?? {}, i.secretSettings ?? {}]) {
        for (const [section, keys] of Object.entries(src)) {
            for (const [key, value] of Object.entries(keys)) {
                if (out[section]?.[key] !== undefined) {
                    throw new Error(`${i.path}: [${section}] ${key} is in both settings and secretSettings`);
                }
                (out[section] ??= {})[key] = value;
            }
        }
    }
    return out;
}

function keysOf(s: IniSettings | IniSnapshot): Record<string, string[]> {
    return Object.fromEntries(Object.entries(s).map(([sec, keys]) => [sec, Object.keys(keys)]));
}

/** Keys of `a` that `b` does not have. */
function without(a: IniSnapshot, b: IniSettings): IniSnapshot {
    const out: IniSnapshot = {};
    for (const [sec, keys] of Object.entries(a)) {
        for (const [key, v] of Object.entries(keys)) {
            if (b[sec]?.[key] === undefined) (out[sec] ??= {})[key] = v;
        }
    }
    return out;
}

/** Settings in the form they are compared in: sections and keys in order, a missing key as no value. */
function canonicalSettings(s: IniSettings | undefined): Record<string, Record<string, string[]>> {
    const out: Record<string, Record<string, string[]>> = {};
    for (const section of Object.keys(s ?? {}).sort()) {
        for (const key of Object.keys(s![section]).sort()) {
            const values = asList(s![section][key]);
            if (values.length) (out[section] ??= {})[key] = values;
        }
    }
    return out;
}

/** Splits what is on the host back into the plain and the secret part. */
function split(actual: IniSnapshot, like: IniFileInputs): Pick<IniFileInputs, "settings" | "secretSettings"> {
    const pick = (shape: IniSettings | undefined) => {
        const out: IniSettings = {};
        for (const [sec, keys] of Object.entries(shape ?? {})) {
            out[sec] = {};
            for (const key of Object.keys(keys)) out[sec][key] = actual[sec]?.[key] as string;
        }
        return out;
    };
    return { settings: pick(like.settings), ...(like.secretSettings ? { secretSettings: pick(like.secretSettings) } : {}) };
}

const iniFile = resourceKind<IniFileInputs, IniFileOutputs>({
    kind: "IniFile",
    outputs: ["previous", "createdFile", "createdSections", "restore", "createdDirs"],
    secrets: ["previous", "connection", "restore"],
    changes: {
        replace: ["path"],
        update: ["settings", "secretSettings"],
        canonical: (v: IniFileInputs) => ({ ...v, settings: canonicalSettings(v.settings), secretSettings: canonicalSettings(v.secretSettings) }),
    },
    async check(_olds: IniFileInputs, news: IniFileInputs) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        for (const prop of ["settings", "secretSettings"] as const) {
            // During preview a computed value arrives as a placeholder string.
            if (typeof news[prop] !== "object") continue;
            try {
                validateIniSettings(news[prop] ?? {}, `${news.path} ${prop}`);
            } catch (e) {
                failures.push({ property: prop, reason: (e as Error).message });
            }
        }
        return { inputs: news, failures };
    },


    async create(inputs: IniFileInputs) {
        const want = merged(inputs);
        return withHost(inputs.connection, async (t) => {
            const file = await readRemoteFile(t, inputs.path);
            const text = file.exists ? file.content : null;
            // What was there before any earlier, interrupted try (hostJournal.ts); the edit goes on what is there now.
            const found = await recordedBefore(t, "ini", idOf(inputs), async () => ({
                text, createdDirs: file.exists ? [] : await missingDirectories(t, inputs.path),
            }));
            const previous = readIniKeys(found.text, keysOf(want));
            const createdSections = missingSections(found.text, Object.keys(want));
            const next = patchIni(text, want);
            if (!file.exists || next !== text) {
                await writeRemoteFile(t, inputs.path, next,
                    file.exists ? {} : { mode: inputs.mode ?? "0640", owner: inputs.owner, group: inputs.group });
            }
            const outs: IniFileOutputs = {
                ...inputs, previous, createdFile: found.text === null, createdSections, restore: restoreFrom(next, found.text ?? ""), createdDirs: found.createdDirs,
            };
            return { id: idOf(inputs), outs };
        });
    },

    async update(_id: string, olds: IniFileOutputs, news: IniFileInputs) {
        const want = merged(news);
        return withHost(news.connection, async (t) => {
            const file = await readRemoteFile(t, news.path);
            const text = file.exists ? file.content : null;
            // Keys no longer managed get back what they had before us.
            const released = without(olds.previous, want);
            const fresh = readIniKeys(text, keysOf(want));
            const previous: IniSnapshot = {};
            for (const [sec, keys] of Object.entries(fresh)) {
                for (const [key, v] of Object.entries(keys)) {
                    const old = olds.previous[sec];
                    (previous[sec] ??= {})[key] = old && key in old ? old[key] : v;
                }
            }
            const createdSections = [...new Set([...olds.createdSections, ...missingSections(text, Object.keys(want))])];
            const changes: IniSnapshot = { ...released };
            for (const [sec, keys] of Object.entries(want)) changes[sec] = { ...(changes[sec] ?? {}), ...keys };
            const stillOurs = createdSections.filter((s) => !want[s]);
            const next = patchIni(text, changes, stillOurs);
            // The text as first found survives an update while the file holds only what we wrote.
            const original = text === null ? undefined : originalOf(text, olds.restore);
            const createdDirs = file.exists ? olds.createdDirs ?? [] : await missingDirectories(t, news.path);
            if (!file.exists || next !== text) {
                await writeRemoteFile(t, news.path, next,
                    file.exists ? {} : { mode: news.mode ?? "0640", owner: news.owner, group: news.group });
            }
            const outs: IniFileOutputs = {
                ...news, previous, createdFile: olds.createdFile || !file.exists,
                createdSections: createdSections.filter((s) => want[s]),
                // The engine takes no undefined values: without a known original the key is left out.
                ...(original === undefined ? {} : { restore: restoreFrom(next, original) }), createdDirs,
            };
            return { outs };
        });
    },

    async delete(_id: string, olds: IniFileOutputs) {
        await withHost(olds.connection, async (t) => {
            await forgetBefore(t, "ini", idOf(olds));
            const file = await readRemoteFile(t, olds.path);
            if (!file.exists) return;
            // Byte for byte when the file holds exactly what we left; else each key gets its value back.
            const original = originalOf(file.content, olds.restore);
            const next = original ?? patchIni(file.content, olds.previous, olds.createdSections);
            if (olds.createdFile && (original !== undefined || next.trim() === "")) {
                await removeRemoteFile(t, olds.path);
                await removeEmptyDirectories(t, olds.createdDirs ?? []);
            } else if (next !== file.content) {
                await writeRemoteFile(t, olds.path, next);
            }
        });
    },

    async read(id: string, props: IniFileOutputs) {
        return withHost(props.connection, async (t) => {
            const file = await readRemoteFile(t, props.path);
            const actual = readIniKeys(file.exists ? file.content : null, keysOf(merged(props)));
            return { id, props: { ...props, ...split(actual, props) } };
        });
    },
});

export const iniFileProvider = iniFile.provider;

export const IniFile = iniFile.Resource;
export type IniFile = InstanceType<typeof IniFile>;
