import { ConnectionArgs, run, withHost } from "./transport";

/**
 * Polls until a node that was just started answers SSH with its pinned key and, when `ready`
 * is given, that shell check passes there too. On timeout, fails with `why()`: what the
 * node's host can tell (console lines).
 */
export async function waitForSsh(ssh: ConnectionArgs, timeoutSec: number, why: (lastError: string) => Promise<string>, ready?: { what: string; check: string }): Promise<void> {
    const start = Date.now();
    let last = "";
    while (Date.now() - start < timeoutSec * 1000) {
        try {
            // The first boot's writes (the pinned host key above all) reach the disk before anyone
            // can cut the node's power: a key file lost that way keeps sshd down on every later boot.
            await withHost({ ...ssh, timeout: 10 }, async (t) => {
                await run(t, "wait for boot", "sync");
                if (ready) await run(t, `wait for ${ready.what}`, ready.check);
            });
            return;
        } catch (e) {
            last = (e as Error).message;
            // A wrong host key is not going to get better by waiting.
            if (/host key mismatch/.test(last)) throw e;
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(await why(last));
}
