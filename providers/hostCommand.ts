import { ConnectionArgs, run, withHost } from "./transport";
import { resourceKind } from "./kit";

/**
 * A one-time setup step on a host that has no natural state to diff
 * (`keystone-manage db_sync`, `nova-manage cell_v2 map_cell0`). It runs on
 * create, again when `triggers` change, and again when `check` (a script
 * that exits 0 when the step's effect is in place) fails on refresh.
 */
export interface HostCommandInputs {
    connection: ConnectionArgs;
    /** What the step does, for messages and logs. */
    description: string;
    script: string;
    /** Exits 0 when the step's effect is there; refresh reruns the step when it is not. */
    check?: string;
    /** Undoes the step on destroy, when undoing is more than removing a package. */
    undo?: string;
    /** Secret data for the script's standard input (never its command line). */
    stdin?: string;
    /** Any value whose change means the step must run again. */
    triggers?: string;
}

export interface HostCommandOutputs extends HostCommandInputs {
    /** Whether `check` passed when last read (true right after running). */
    inPlace: boolean;
}

const hostCommand = resourceKind<HostCommandInputs, HostCommandOutputs>({
    kind: "HostCommand",
    outputs: ["inPlace"],
    secrets: ["connection", "stdin"],
    changes: {
        replace: [],
        update: ["script", "check", "undo", "stdin", "triggers"],
        drifted: (olds) => !olds.inPlace,
    },
    async create(inputs: HostCommandInputs) {
        await withHost(inputs.connection, (t) => run(t, inputs.description, inputs.script, { stdin: inputs.stdin }));
        return { id: `${inputs.connection.name}:${inputs.description}`, outs: { ...inputs, inPlace: true } };
    },
    async update(_id: string, _olds: HostCommandOutputs, news: HostCommandInputs) {
        await withHost(news.connection, (t) => run(t, news.description, news.script, { stdin: news.stdin }));
        return { outs: { ...news, inPlace: true } };
    },
    async delete(_id: string, olds: HostCommandOutputs) {
        if (!olds.undo) return;
        await withHost(olds.connection, (t) => run(t, `undo ${olds.description}`, olds.undo!, { stdin: olds.stdin }));
    },
    async read(id: string, props: HostCommandOutputs) {
        if (!props.check) return { id, props };
        const r = await withHost(props.connection, (t) => t.exec(props.check!, { stdin: props.stdin }));
        return { id, props: { ...props, inPlace: r.code === 0 } };
    },
});

export const hostCommandProvider = hostCommand.provider;

export const HostCommand = hostCommand.Resource;
export type HostCommand = InstanceType<typeof HostCommand>;
