import type { ConnectionArgs, ExecOptions, ExecResult, Transport } from "./types";
import { openLocal } from "./local";
import { openSsh } from "./ssh";
import { hostError } from "./errors";

export type { ConnectionArgs, ExecResult, Transport } from "./types";
export { q, sh } from "./quote";
export { exclusive } from "./hostLock";

interface PoolEntry {
    open: Promise<{ transport: Transport; close(): void }>;
    users: number;
    idle?: NodeJS.Timeout;
}

// The engine runs all dynamic resources of a deployment in one process, but
// deserializes each resource's provider separately; a pool on globalThis is
// the one place they all see, so one SSH connection per host is shared.
const POOL_KEY = "__openstackLabSshPool";
const IDLE_CLOSE_MS = 3000;

function pool(): Map<string, PoolEntry> {
    const g = globalThis as unknown as Record<string, Map<string, PoolEntry>>;
    return (g[POOL_KEY] ??= new Map());
}

/** Everything that decides whether an open session may serve a request, the key by its digest. */
function poolKey(c: ConnectionArgs): string {
    const { createHash } = require("crypto") as typeof import("crypto");
    const key = createHash("sha256").update(c.privateKey ?? "").digest("hex");
    return [c.name, c.address, c.port ?? 22, c.user ?? "root", c.hostKey ?? "", key, c.via ? poolKey(c.via) : ""].join("|");
}

/**
 * Runs `fn` with a shell on the host, reusing an open connection to it.
 * Commands are appended to $OPENSTACK_LAB_COMMAND_LOG when set, so tests
 * can prove that a no-op `up` ran nothing.
 */
export async function withHost<T>(conn: ConnectionArgs, fn: (t: Transport) => Promise<T>): Promise<T> {
    const key = poolKey(conn);
    const entries = pool();
    let entry = entries.get(key);
    if (!entry) {
        const open = conn.address === "local" ? Promise.resolve(openLocal(conn)) : bounded(conn, openSsh(conn));
        entry = { open, users: 0 };
        entries.set(key, entry);
        open.catch(() => entries.delete(key));
    }
    const current = entry;
    current.users++;
    if (current.idle) clearTimeout(current.idle);
    try {
        const session = await current.open;
        return await fn(logged(session.transport));
    } finally {
        current.users--;
        if (current.users === 0) {
            current.idle = setTimeout(() => {
                if (current.users === 0 && entries.get(key) === current) {
                    entries.delete(key);
                    current.open.then((s) => s.close(), () => undefined);
                }
            }, IDLE_CLOSE_MS);
            current.idle.unref();
        }
    }
}

/**
 * A connection attempt that has not settled in twice its handshake timeout
 * fails, so a hung attempt can never stay in the pool for others to wait on.
 */
function bounded<T extends { close(): void }>(conn: ConnectionArgs, p: Promise<T>): Promise<T> {
    const limit = 2 * (conn.timeout ?? 20) * (conn.via ? 2 : 1);
    let timer: NodeJS.Timeout | undefined;
    let late = false;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
            late = true;
            reject(hostError(conn, `no SSH session within ${limit}s`));
        }, limit * 1000);
    });
    // A session that opens after we gave up on it is closed, not leaked.
    p.then((s) => late && s.close(), () => undefined);
    return Promise.race([p, expired]).finally(() => clearTimeout(timer));
}

function logged(t: Transport): Transport {
    const file = process.env.OPENSTACK_LAB_COMMAND_LOG;
    if (!file) return t;
    return {
        name: t.name,
        exec(script: string, opts?: ExecOptions): Promise<ExecResult> {
            const fs = require("fs") as typeof import("fs");
            // Scripts never hold secrets (those travel on stdin), so they can be logged.
            fs.appendFileSync(file, JSON.stringify({ host: t.name, script }) + "\n");
            return t.exec(script, opts);
        },
    };
}

/** Runs a script and fails with the host's name, the step and stderr on a non-zero exit. */
export async function run(t: Transport, step: string, script: string, opts: ExecOptions = {}): Promise<string> {
    const r = await t.exec(script, opts);
    if (r.code !== 0 && opts.check !== false) {
        const detail = failureLines(r.stderr.trim() || r.stdout.trim()).join(" | ");
        throw new Error(`host ${t.name}: ${step} failed (exit ${r.code}): ${detail}`);
    }
    return r.stdout;
}

/**
 * The last lines of a failed step's output that say why. Python tools
 * (keystone-manage, nova-manage) may end with an "Exception ignored" trace
 * from interpreter shutdown that hides the real error above it.
 */
export function failureLines(output: string): string[] {
    let lines = output.split("\n");
    const noise = lines.findIndex((l) => l.startsWith("Exception ignored in"));
    if (noise > 0) lines = lines.slice(0, noise);
    return lines.filter((l) => l.trim()).slice(-3);
}

export { hostError };
