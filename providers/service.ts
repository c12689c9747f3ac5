import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { diffOf, Inputs } from "./common";

/** A systemd unit kept enabled and running, restarted when `restartOn` changes. */
export interface ServiceInputs {
    connection: ConnectionArgs;
    name: string;
    enabled?: boolean;
    running?: boolean;
    /** Any value (typically the config files' contents or hashes); a change restarts the unit. */
    restartOn?: string;
}

export interface ServiceOutputs extends ServiceInputs {
    /** What systemd says now. */
    isEnabled: boolean;
    isActive: boolean;
    previous: { enabled: boolean; active: boolean };
}

async function state(t: Transport, name: string): Promise<{ enabled: boolean; active: boolean }> {
    const out = await run(t, `query ${name}`,
        sh`printf '%s %s\n' "$(systemctl is-enabled ${name} 2>/dev/null)" "$(systemctl is-active ${name} 2>/dev/null)"`);
    const [en, act] = out.trim().split(" ");
    return { enabled: en === "enabled" || en === "static" || en === "alias", active: act === "active" || act === "activating" };
}

async function converge(t: Transport, i: ServiceInputs, restart: boolean): Promise<{ enabled: boolean; active: boolean }> {
    const before = await state(t, i.name);
    const wantEnabled = i.enabled ?? true;
    const wantRunning = i.running ?? true;
    const steps: string[] = [];
    if (wantEnabled !== before.enabled) steps.push(wantEnabled ? sh`systemctl enable ${i.name}` : sh`systemctl disable ${i.name}`);
    if (wantRunning && restart && before.active) steps.push(sh`systemctl restart ${i.name}`);
    else if (wantRunning !== before.active) steps.push(wantRunning ? sh`systemctl start ${i.name}` : sh`systemctl stop ${i.name}`);
    if (steps.length) {
        await run(t, `converge ${i.name}`, ["set -e", "systemctl daemon-reload", ...steps].join("\n"));
    }
    return before;
}

export const serviceProvider: pulumi.dynamic.ResourceProvider = {
    async check(_olds: ServiceInputs, news: ServiceInputs) {
        const ok = /^[A-Za-z0-9@_.:\-]+$/.test(news.name);
        return { inputs: news, failures: ok ? [] : [{ property: "name", reason: `invalid unit name ${JSON.stringify(news.name)}` }] };
    },
    async diff(_id: string, olds: ServiceOutputs, news: ServiceInputs) {
        const d = diffOf({ ...olds }, { ...news }, ["name"], ["enabled", "running", "restartOn"]);
        const drift = olds.isEnabled !== (news.enabled ?? true) || olds.isActive !== (news.running ?? true);
        return drift && !d.changes ? { ...d, changes: true } : d;
    },
    async create(inputs: ServiceInputs) {
        return withHost(inputs.connection, async (t) => {
            const previous = await converge(t, inputs, false);
            const outs: ServiceOutputs = { ...inputs, isEnabled: inputs.enabled ?? true, isActive: inputs.running ?? true, previous };
            return { id: `${inputs.connection.name}:${inputs.name}`, outs };
        });
    },
    async update(_id: string, olds: ServiceOutputs, news: ServiceInputs) {
        return withHost(news.connection, async (t) => {
            await converge(t, news, olds.restartOn !== news.restartOn);
            return { outs: { ...news, isEnabled: news.enabled ?? true, isActive: news.running ?? true, previous: olds.previous } };
        });
    },
    async delete(_id: string, olds: ServiceOutputs) {
        await withHost(olds.connection, async (t) => {
            const now = await state(t, olds.name);
            const steps: string[] = [];
            if (!olds.previous.active && now.active) steps.push(sh`systemctl stop ${olds.name}`);
            if (!olds.previous.enabled && now.enabled) steps.push(sh`systemctl disable ${olds.name}`);
            // The unit file may already be gone with its package; nothing left to undo then.
            if (steps.length) await t.exec(steps.join("\n"));
        });
    },
    async read(id: string, props: ServiceOutputs) {
        return withHost(props.connection, async (t) => {
            const s = await state(t, props.name);
            return { id, props: { ...props, isEnabled: s.enabled, isActive: s.active } };
        });
    },
};

export class Service extends pulumi.dynamic.Resource {
    declare public readonly isActive: pulumi.Output<boolean>;
    declare public readonly isEnabled: pulumi.Output<boolean>;

    constructor(name: string, args: Inputs<ServiceInputs>, opts?: pulumi.CustomResourceOptions) {
        super(serviceProvider, name, { isEnabled: undefined, isActive: undefined, previous: undefined, ...args },
            { ...opts, additionalSecretOutputs: ["connection"] }, "openstack-lab", "Service");
    }
}
