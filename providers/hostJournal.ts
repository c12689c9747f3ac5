import { createHash } from "crypto";
import { run, sh, Transport } from "./transport";
import { readRemoteFile, writeRemoteFile } from "./hostfs";

// What a host held before a resource's create, kept on the host until the
// resource's delete. A create killed after it changed the host but before the
// engine recorded it leaves this behind; the create that runs again takes it
// instead of what it finds, which would hold the killed run's own changes as
// if they had been there before (and destroy would then keep them).

const DIR = "/var/lib/openstack-lab/journal";
const fileOf = (kind: string, id: string) => `${DIR}/${kind}-${createHash("sha256").update(id).digest("hex").slice(0, 16)}.json`;

/** The journal's record for this resource if an interrupted create left one, else `read()`'s, recorded now. */
export async function recordedBefore<T>(t: Transport, kind: string, id: string, read: () => Promise<T>): Promise<T> {
    const earlier = await readRemoteFile(t, fileOf(kind, id));
    if (earlier.exists) {
        try {
            return JSON.parse(earlier.content) as T;
        } catch {
            // Cut short by the kill before anything changed: what is there now is what was there.
        }
    }
    const now = await read();
    await writeRemoteFile(t, fileOf(kind, id), JSON.stringify(now), { mode: "0600" });
    return now;
}

/** On delete: the record goes, and the journal's directories with it once empty. */
export async function forgetBefore(t: Transport, kind: string, id: string): Promise<void> {
    await run(t, `forget ${kind} ${id}`, sh`rm -f ${fileOf(kind, id)}; rmdir ${DIR} /var/lib/openstack-lab 2>/dev/null; true`);
}
