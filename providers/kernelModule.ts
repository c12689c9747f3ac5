import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { readRemoteFile, RemoteFileState, restoreRemoteFile, writeRemoteFile } from "./hostfs";
import { resourceKind } from "./kit";

/**
 * A kernel module loaded now and at boot (/etc/modules-load.d replaces the
 * seed's /etc/modules), with its options in /etc/modprobe.d.
 */
export interface KernelModuleInputs {
    connection: ConnectionArgs;
    name: string;
    /** Module options, e.g. { nested: "1" } for kvm_intel. */
    options?: Record<string, string>;
    /**
     * A path that exists once the module's function is there. Built-in
     * modules without parameters (br_netfilter in many cloud kernels) show in
     * neither /sys/module nor /proc/modules; /proc/sys/net/bridge tells.
     */
    presentPath?: string;
}

export interface KernelModuleOutputs extends KernelModuleInputs {
    loaded: boolean;
    /** True when the module is loaded with other option values than asked: they apply after a reload or reboot. */
    reloadNeeded: boolean;
    loadedByUs: boolean;
    previous: { loadFile: RemoteFileState; optionsFile: RemoteFileState };
}

const loadFile = (m: string) => `/etc/modules-load.d/${m}.conf`;
const optionsFile = (m: string) => `/etc/modprobe.d/${m}.conf`;
const optionsLine = (m: string, o: Record<string, string>) =>
    `options ${m} ${Object.entries(o).map(([k, v]) => `${k}=${v}`).join(" ")}\n`;

/** Loaded (or built into the kernel), and the current value of each asked option. */
async function probe(t: Transport, i: KernelModuleInputs): Promise<{ loaded: boolean; params: Record<string, string> }> {
    const names = Object.keys(i.options ?? {});
    const conditions = [
        ...(i.presentPath ? [sh`[ -e ${i.presentPath} ]`] : []),
        sh`[ -d /sys/module/${i.name} ]`,
        sh`grep -q ${"^" + i.name + " "} /proc/modules 2>/dev/null`,
        sh`grep -q ${"/" + i.name + ".ko"} "/lib/modules/$(uname -r)/modules.builtin" 2>/dev/null`,
    ];
    const script = [
        `if ${conditions.join(" || ")}; then echo loaded; else echo absent; fi`,
        ...names.map((p) => sh`printf '%s=%s\n' ${p} "$(cat /sys/module/${i.name}/parameters/${p} 2>/dev/null)"`),
    ].join("\n");
    const lines = (await run(t, `probe module ${i.name}`, script)).split("\n");
    const params: Record<string, string> = {};
    for (const l of lines.slice(1)) {
        const eq = l.indexOf("=");
        if (eq > 0) params[l.slice(0, eq)] = l.slice(eq + 1);
    }
    return { loaded: lines[0] === "loaded", params };
}

/** Kernel parameters print booleans as Y/N; options are usually written 1/0. */
const sameParam = (actual: string, wanted: string) =>
    actual === wanted || (actual === "Y" && wanted === "1") || (actual === "N" && wanted === "0");

async function apply(i: KernelModuleInputs) {
    return withHost(i.connection, async (t) => {
        const state = await probe(t, i);
        // Load first: a module the kernel cannot load must leave no file behind.
        let loadedByUs = false;
        if (!state.loaded) {
            await run(t, `load module ${i.name}`, sh`modprobe ${i.name}`);
            loadedByUs = true;
        }
        const load = await readRemoteFile(t, loadFile(i.name));
        const opts = await readRemoteFile(t, optionsFile(i.name));
        if (load.content !== `${i.name}\n`) await writeRemoteFile(t, loadFile(i.name), `${i.name}\n`, { mode: "0644" });
        if (i.options && Object.keys(i.options).length) {
            const line = optionsLine(i.name, i.options);
            if (opts.content !== line) await writeRemoteFile(t, optionsFile(i.name), line, { mode: "0644" });
        }
        const after = loadedByUs ? await probe(t, i) : state;
        const reloadNeeded = Object.entries(i.options ?? {}).some(([k, v]) => !sameParam(after.params[k] ?? "", v));
        return { loaded: true, loadedByUs, reloadNeeded, previous: { loadFile: load, optionsFile: opts } };
    });
}

const kernelModule = resourceKind<KernelModuleInputs, KernelModuleOutputs>({
    kind: "KernelModule",
    outputs: ["loaded", "reloadNeeded", "loadedByUs", "previous"],
    secrets: ["connection"],
    changes: {
        replace: ["name"],
        update: ["options"],
        drifted: (olds) => !olds.loaded,
    },
    async check(_olds: KernelModuleInputs, news: KernelModuleInputs) {
        const failures = /^[A-Za-z0-9_\-]+$/.test(news.name) ? [] : [{ property: "name", reason: `kernel module name ${JSON.stringify(news.name)} is invalid` }];
        if (news.presentPath !== undefined && !news.presentPath.startsWith("/")) failures.push({ property: "presentPath", reason: "must be an absolute path" });
        for (const [k, v] of Object.entries(news.options ?? {})) {
            if (!/^[A-Za-z0-9_]+$/.test(k) || !/^[A-Za-z0-9_,.\-]+$/.test(v)) failures.push({ property: "options", reason: `module option ${k}=${v} is invalid` });
        }
        return { inputs: news, failures };
    },
    async create(inputs: KernelModuleInputs) {
        const r = await apply(inputs);
        return { id: `${inputs.connection.name}:${inputs.name}`, outs: { ...inputs, ...r } };
    },
    async update(_id: string, olds: KernelModuleOutputs, news: KernelModuleInputs) {
        const r = await apply(news);
        return { outs: { ...news, ...r, loadedByUs: olds.loadedByUs || r.loadedByUs, previous: olds.previous } };
    },
    async delete(_id: string, olds: KernelModuleOutputs) {
        await withHost(olds.connection, async (t) => {
            for (const [path, before] of [[loadFile(olds.name), olds.previous.loadFile], [optionsFile(olds.name), olds.previous.optionsFile]] as const) {
                await restoreRemoteFile(t, path, before);
            }
            // A module in use (kvm with guests running) stays loaded; that is not an error.
            if (olds.loadedByUs) await t.exec(sh`modprobe -r ${olds.name}`);
        });
    },
    async read(id: string, props: KernelModuleOutputs) {
        return withHost(props.connection, async (t) => {
            const state = await probe(t, props);
            const load = await readRemoteFile(t, loadFile(props.name));
            const reloadNeeded = Object.entries(props.options ?? {}).some(([k, v]) => !sameParam(state.params[k] ?? "", v));
            // A missing persistence file shows as loaded=false so that `up` writes it again.
            return { id, props: { ...props, loaded: state.loaded && load.exists, reloadNeeded } };
        });
    },
});

export const kernelModuleProvider = kernelModule.provider;

export const KernelModule = kernelModule.Resource;
export type KernelModule = InstanceType<typeof KernelModule>;
