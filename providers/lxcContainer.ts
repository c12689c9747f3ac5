import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { gone, resourceKind } from "./kit";
import { LXC_MARKER, LxcConfigSpec, renderLxcConfig } from "../render/lxcConfig";
import { waitForSsh } from "./sshWait";

/**
 * A system container run by LXC (lxc-start, lxc-stop, lxc-info): systemd as
 * PID 1 in an overlay over the host's container base, NICs as veth pairs on
 * the lab's bridges, a host key the program generated and pinned, written
 * before the first start.
 */
export interface LxcContainerInputs {
    /** The host it runs on. */
    connection: ConnectionArgs;
    name: string;
    /** LXC's container directory (lxc-start -P); the container lives in <lxcPath>/<name>. */
    lxcPath: string;
    /** Everything of its config but the host's cgroup layout, which is read on the host. */
    spec: Omit<LxcConfigSpec, "cgroup" | "upper" | "name">;
    /** The container's SSH host key (secret), pinned before its first start. */
    hostKey: { privateKey: string; publicKey: string };
    authorizedKeys: string[];
    /** /etc/hosts inside: its own name on its address, for RabbitMQ and nova-compute. */
    etcHosts: string;
    /** How to reach it once it runs, to know that it does. */
    ssh: ConnectionArgs;
    bootTimeout?: number;
}

export interface LxcContainerOutputs extends LxcContainerInputs {
    cgroup: "v1" | "v2";
    running: boolean;
}

const dirOf = (i: LxcContainerInputs) => `${i.lxcPath}/${i.name}`;
const lxc = (cmd: string, i: LxcContainerInputs, ...args: string[]) => sh`${cmd} -n ${i.name} -P ${i.lxcPath} ${args}`;

function configOf(i: LxcContainerInputs, cgroup: "v1" | "v2"): string {
    return renderLxcConfig({ ...i.spec, name: i.name, upper: `${dirOf(i)}/delta0`, cgroup });
}

interface Found { exists: boolean; ours: boolean; running: boolean; cgroup: "v1" | "v2" }

async function look(t: Transport, i: LxcContainerInputs): Promise<Found> {
    const cfg = `${dirOf(i)}/config`;
    const out = await run(t, `look up container ${i.name}`, [
        `if [ "$(stat -fc %T /sys/fs/cgroup)" = cgroup2fs ]; then echo cgroup=v2; else echo cgroup=v1; fi`,
        sh`if [ -f ${cfg} ]; then echo exists=yes; head -n1 ${cfg} | grep -qxF ${LXC_MARKER} && echo ours=yes; fi`,
        `echo "state=$(${lxc("lxc-info", i, "-s", "-H")} 2>/dev/null)"`,
    ].join("\n"));
    const kv = Object.fromEntries(out.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1).trim()]));
    return { exists: kv.exists === "yes", ours: kv.ours === "yes", running: kv.state === "RUNNING", cgroup: kv.cgroup === "v2" ? "v2" : "v1" };
}

/** Refuses a container of that name that this program did not make: it is someone's. */
function refuseForeign(i: LxcContainerInputs, f: Found): void {
    if (f.exists && !f.ours) {
        throw new Error(`host ${i.connection.name}: container ${i.name} exists in ${i.lxcPath} and was not made by openstack-lab (its config lacks "${LXC_MARKER}"); rename it or choose another name`);
    }
}

/**
 * Writes the config and, unless the container runs (its layer is mounted then,
 * and overlayfs takes no writes beneath it), what it needs before it starts:
 * hostname, /etc/hosts, host key, authorized keys. The host key's private half
 * arrives on stdin.
 */
async function prepare(t: Transport, i: LxcContainerInputs, cgroup: "v1" | "v2", running: boolean): Promise<void> {
    const d = dirOf(i);
    const up = `${d}/delta0`;
    const docs = [configOf(i, cgroup), i.etcHosts, i.hostKey.privateKey, i.authorizedKeys.join("\n") + "\n"]
        .map((doc) => Buffer.from(doc).toString("base64")).join("\n") + "\n";
    await run(t, `prepare container ${i.name}`, [
        "set -e",
        sh`mkdir -p ${up}`,
        sh`chmod 0700 ${d}`,
        `IFS= read -r cfg; IFS= read -r hosts; IFS= read -r key; IFS= read -r auth`,
        sh`printf '%s' "$cfg" | base64 -d > ${d + "/config.part"}`,
        sh`mv ${d + "/config.part"} ${d + "/config"}`,
        ...(running ? [] : [
            sh`mkdir -p ${up + "/etc/ssh"} ${up + "/root/.ssh"}`,
            sh`chmod 0700 ${up + "/root/.ssh"}`,
            sh`printf '%s\n' ${i.name} > ${up + "/etc/hostname"}`,
            sh`printf '%s' "$hosts" | base64 -d > ${up + "/etc/hosts"}`,
            sh`(umask 077; printf '%s' "$key" | base64 -d > ${up + "/etc/ssh/ssh_host_ed25519_key"})`,
            sh`printf '%s\n' ${i.hostKey.publicKey} > ${up + "/etc/ssh/ssh_host_ed25519_key.pub"}`,
            sh`(umask 077; printf '%s' "$auth" | base64 -d > ${up + "/root/.ssh/authorized_keys"})`,
        ]),
    ].join("\n"), { stdin: docs });
}

async function start(t: Transport, i: LxcContainerInputs): Promise<void> {
    await run(t, `start container ${i.name}`, [
        "set -e",
        `${lxc("lxc-start", i, "-l", "WARN", "-o", `${dirOf(i)}/lxc.log`)}`,
        `${lxc("lxc-wait", i, "-s", "RUNNING", "-t", "30")}`,
    ].join("\n"));
    const timeout = i.bootTimeout ?? 120;
    await waitForSsh(i.ssh, timeout, async (last) => {
        const log = await withHost(i.connection, (h) => run(h, "read the container's log", sh`tail -n 15 ${dirOf(i) + "/lxc.log"}`, { check: false }));
        return `container ${i.name} did not answer SSH on ${i.ssh.address} within ${timeout} s (${last}); LXC's log:\n${log}`;
    });
}

/** A clean shutdown (systemd stops the services), the power cut only when that does not end within `seconds`. */
const stopScript = (i: LxcContainerInputs, seconds = 60) => `${lxc("lxc-stop", i, "-t", String(seconds))} || ${lxc("lxc-stop", i, "-k")}`;

/**
 * Stops the container when it runs; its veth pairs go with its network namespace, its directory holds its layer, config and log.
 * Its root filesystem goes next, so a shutdown gets 10 s, not a minute: the compute container, with the first instance
 * running in it, took the whole minute in one destroy of `local` (69 s of its 150 s).
 */
async function removeContainer(t: Transport, i: LxcContainerInputs, step: string): Promise<void> {
    await run(t, step, [
        "set -e",
        `state=$(${lxc("lxc-info", i, "-s", "-H")} 2>/dev/null || true)`,
        `case "$state" in ""|STOPPED) ;; *) ${stopScript(i, 10)} ;; esac`,
        sh`rm -rf ${dirOf(i)}`,
    ].join("\n"));
}

/** Limits the kernel changes live, without a restart. */
async function applyLimits(t: Transport, i: LxcContainerInputs, cgroup: "v1" | "v2"): Promise<void> {
    const quota = Math.round(i.spec.cpus * 100000);
    const settings: Array<[string, string]> = cgroup === "v1"
        ? [["memory.limit_in_bytes", `${i.spec.memoryMiB}M`], ["cpu.cfs_quota_us", String(quota)]]
        : [["memory.max", `${i.spec.memoryMiB}M`], ["cpu.max", `${quota} 100000`]];
    await run(t, `change the limits of container ${i.name}`, ["set -e", ...settings.map(([k, v]) => lxc("lxc-cgroup", i, k, v))].join("\n"));
}

const LIVE_KEYS = ["cpus", "memoryMiB", "autostart"] as const;

const lxcContainer = resourceKind<LxcContainerInputs, LxcContainerOutputs>({
    kind: "LxcContainer",
    outputs: ["cgroup", "running"],
    secrets: ["connection", "hostKey", "ssh"],
    timeouts: { create: "10m", update: "10m" },
    changes: {
        // A new base is a new root filesystem: the container is made again over it.
        replace: ["name", "lxcPath", "spec.base", "hostKey"],
        update: ["spec", "authorizedKeys", "etcHosts", "ssh", "bootTimeout"],
        drifted: (olds) => !olds.running,
    },
    async check(_olds: LxcContainerInputs, news: LxcContainerInputs) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (typeof news.name === "string" && !/^[a-z0-9][a-z0-9-]{0,62}$/.test(news.name)) failures.push({ property: "name", reason: "must be a lowercase host name" });
        return { inputs: news, failures };
    },
    async create(inputs: LxcContainerInputs) {
        const cgroup = await withHost(inputs.connection, async (t) => {
            const found = await look(t, inputs);
            refuseForeign(inputs, found);
            // A container made by an earlier, interrupted run is adopted: prepared again, started if stopped.
            try {
                await prepare(t, inputs, found.cgroup, found.running);
                if (!found.running) await start(t, inputs);
            } catch (e) {
                // A failed create records nothing in the state, so destroy would never see this container:
                // it goes now (it is ours, and nothing else of the lab can be on it yet), and the next up makes it anew.
                const why = e instanceof Error ? e.message : String(e);
                try {
                    await removeContainer(t, inputs, `remove container ${inputs.name} after its failed create`);
                } catch (cleanup) {
                    throw new Error(`${why}\n(removing the container afterwards failed too: ${cleanup instanceof Error ? cleanup.message : cleanup})`);
                }
                throw new Error(`${why}\n(the container was stopped and removed; the next up makes it again)`);
            }
            return found.cgroup;
        });
        return { id: `${inputs.connection.name}:lxc:${inputs.name}`, outs: { ...inputs, cgroup, running: true } };
    },
    async update(_id: string, olds: LxcContainerOutputs, news: LxcContainerInputs) {
        const cgroup = await withHost(news.connection, async (t) => {
            const found = await look(t, news);
            refuseForeign(news, found);
            const restart = JSON.stringify({ ...olds.spec, ...pick(LIVE_KEYS, olds.spec) }) !== JSON.stringify({ ...news.spec, ...pick(LIVE_KEYS, olds.spec) }) ||
                olds.etcHosts !== news.etcHosts || JSON.stringify(olds.authorizedKeys) !== JSON.stringify(news.authorizedKeys);
            if (found.running && restart) await run(t, `stop container ${news.name}`, stopScript(news));
            await prepare(t, news, found.cgroup, found.running && !restart);
            if (found.running && !restart) await applyLimits(t, news, found.cgroup);
            if (!found.running || restart) await start(t, news);
            return found.cgroup;
        });
        return { outs: { ...news, cgroup, running: true } };
    },
    async delete(_id: string, olds: LxcContainerOutputs) {
        await withHost(olds.connection, async (t) => {
            const found = await look(t, olds);
            if (!found.exists) return;
            refuseForeign(olds, found);
            await removeContainer(t, olds, `remove container ${olds.name}`);
        });
    },
    async read(id: string, props: LxcContainerOutputs) {
        return withHost(props.connection, async (t) => {
            const found = await look(t, props);
            if (!found.exists) return gone();
            return { id, props: { ...props, running: found.running } };
        });
    },
});

export const lxcContainerProvider = lxcContainer.provider;

function pick<K extends string>(keys: readonly K[], from: Record<string, unknown>): Record<K, unknown> {
    return Object.fromEntries(keys.map((k) => [k, from?.[k]])) as Record<K, unknown>;
}

export const LxcContainer = lxcContainer.Resource;
export type LxcContainer = InstanceType<typeof LxcContainer>;
