import { ConnectionArgs, withHost } from "./transport";
import { readRemoteFile, RemoteFileState, restoreRemoteFile, writeRemoteFile } from "./hostfs";
import { resourceKind } from "./kit";
import { forgetBefore, recordedBefore } from "./hostJournal";

export interface RemoteFileInputs {
    connection: ConnectionArgs;
    path: string;
    /** May be a secret: it travels on stdin. */
    content: string;
    mode?: string;
    owner?: string;
    group?: string;
}

export interface RemoteFileOutputs extends RemoteFileInputs {
    /** The file as it was before we wrote it, put back on delete. */
    previous: RemoteFileState;
}

function sameAsWanted(f: RemoteFileState, i: RemoteFileInputs): boolean {
    return f.exists && f.content === i.content && (!i.mode || f.mode === i.mode.padStart(4, "0")) &&
        (!i.owner || f.owner === i.owner) && (!i.group || f.group === i.group);
}

/** Writes the file unless it is as wanted; says what was there (on a create, before any earlier try: hostJournal.ts). */
async function apply(i: RemoteFileInputs, creating: boolean): Promise<RemoteFileState> {
    return withHost(i.connection, async (t) => {
        const now = await readRemoteFile(t, i.path);
        const before = creating ? await recordedBefore(t, "file", idOf(i), async () => now) : now;
        if (!sameAsWanted(now, i)) {
            await writeRemoteFile(t, i.path, i.content, { mode: i.mode ?? (now.exists ? undefined : "0644"), owner: i.owner, group: i.group });
        }
        return before;
    });
}

const idOf = (i: RemoteFileInputs) => `${i.connection.name}:${i.path}`;

const remoteFile = resourceKind<RemoteFileInputs, RemoteFileOutputs>({
    kind: "RemoteFile",
    outputs: ["previous"],
    secrets: ["previous", "connection"],
    changes: {
        replace: ["path"],
        update: ["content", "mode", "owner", "group"],
    },
    async create(inputs: RemoteFileInputs) {
        const previous = await apply(inputs, true);
        return { id: idOf(inputs), outs: { ...inputs, previous } };
    },
    async update(_id: string, olds: RemoteFileOutputs, news: RemoteFileInputs) {
        await apply(news, false);
        return { outs: { ...news, previous: olds.previous } };
    },
    async delete(_id: string, olds: RemoteFileOutputs) {
        await withHost(olds.connection, async (t) => {
            await restoreRemoteFile(t, olds.path, olds.previous);
            await forgetBefore(t, "file", idOf(olds));
        });
    },
    async read(id: string, props: RemoteFileOutputs) {
        return withHost(props.connection, async (t) => {
            const f = await readRemoteFile(t, props.path);
            // Only what the stack asks for is compared; the engine takes no undefined values.
            const actual: Partial<RemoteFileInputs> = { content: f.exists ? f.content : (null as unknown as string) };
            if (f.exists && props.mode) actual.mode = f.mode;
            if (f.exists && props.owner) actual.owner = f.owner;
            if (f.exists && props.group) actual.group = f.group;
            return { id, props: { ...props, ...actual } };
        });
    },
});

export const remoteFileProvider = remoteFile.provider;

export const RemoteFile = remoteFile.Resource;
export type RemoteFile = InstanceType<typeof RemoteFile>;
