import type { ConnectionArgs } from "./types";

// dpkg and rpm take one transaction at a time per host, and a package
// resource's before/after inventory is only right if nothing else installs
// in between. Several resources of one deployment run at once in one
// process, each with its own deserialized copy of this module, so the
// queues live on globalThis like the connection pool.
const LOCKS_KEY = "__openstackLabHostLocks";

function queues(): Map<string, Promise<unknown>> {
    const g = globalThis as unknown as Record<string, Map<string, Promise<unknown>>>;
    return (g[LOCKS_KEY] ??= new Map());
}

/** Runs `fn` after every earlier holder of the same lock on the same host has finished. */
export async function exclusive<T>(conn: ConnectionArgs, lock: string, fn: () => Promise<T>): Promise<T> {
    const key = `${conn.name}|${conn.address}|${conn.port ?? 22}|${lock}`;
    const all = queues();
    const before = all.get(key) ?? Promise.resolve();
    const mine = before.then(fn, fn);
    const settled = mine.then(() => undefined, () => undefined);
    all.set(key, settled);
    settled.then(() => {
        if (all.get(key) === settled) all.delete(key);
    });
    return mine;
}
