import type { ConnectionArgs, ExecOptions, ExecResult, Transport } from "./types";
import { q } from "./quote";
import { fingerprint, hostError } from "./errors";

// Packages are required inside functions: the engine serializes providers
// with what they capture, and node-ssh cannot be serialized (TESTBED.md).

export interface SshSession {
    transport: Transport;
    close(): void;
    /** A TCP stream to address:port opened from this host (for jumping). */
    forward(address: string, port: number): Promise<import("stream").Duplex>;
}

/** Commands in flight on one connection; below sshd's default MaxSessions of 10. */
const MAX_SESSIONS = 6;

/** Opens an SSH session that accepts only the pinned host key, through a jump host when asked. */
export async function openSsh(args: ConnectionArgs): Promise<SshSession> {
    const { NodeSSH } = require("node-ssh") as typeof import("node-ssh");
    if (!args.hostKey) {
        throw hostError(args, "no pinned host key (hostKey); refusing to connect without one");
    }
    if (!args.privateKey) {
        throw hostError(args, "no private key (privateKey) to log in with");
    }
    const pinned = Buffer.from(args.hostKey.trim().split(/\s+/)[1] ?? "", "base64");
    let offered: Buffer | undefined;
    const ssh = new NodeSSH();
    let hop: SshSession | undefined;
    let sock: import("stream").Duplex | undefined;
    if (args.via) {
        hop = await openSsh(args.via);
        try {
            sock = await hop.forward(args.address, args.port ?? 22);
        } catch (err) {
            hop.close();
            throw hostError(args, `unreachable through ${args.via.name}: ${(err as Error).message}`);
        }
    }
    try {
        await ssh.connect({
            sock,
            host: args.address,
            port: args.port ?? 22,
            username: args.user ?? "root",
            privateKey: args.privateKey,
            readyTimeout: (args.timeout ?? 20) * 1000,
            hostVerifier: (key: Buffer) => {
                offered = key;
                return key.equals(pinned);
            },
        });
    } catch (err) {
        ssh.dispose();
        hop?.close();
        throw sshConnectError(args, err, pinned, offered);
    }
    const asRoot = (args.user ?? "root") === "root";
    // sshd refuses more than MaxSessions (10 by default) sessions on one
    // connection, and a refresh reads every resource of a host at once.
    const slots = { free: MAX_SESSIONS, waiting: [] as Array<() => void> };
    const acquire = (): Promise<void> => {
        if (slots.free > 0) {
            slots.free--;
            return Promise.resolve();
        }
        return new Promise((resolve) => slots.waiting.push(resolve));
    };
    const release = (): void => {
        const next = slots.waiting.shift();
        if (next) next();
        else slots.free++;
    };
    const transport: Transport = {
        name: args.name,
        async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
            const command = asRoot ? `sh -c ${q(script)}` : `sudo -n -- sh -c ${q(script)}`;
            let r;
            await acquire();
            try {
                for (let attempt = 1; ; attempt++) {
                    try {
                        const out = opts.onOutput;
                        r = await ssh.execCommand(command, {
                            stdin: opts.stdin, noTrim: true,
                            ...(out ? { onStdout: (d: Buffer) => out(d.toString()), onStderr: (d: Buffer) => out(d.toString()) } : {}),
                        });
                        break;
                    } catch (err) {
                        // sshd counts a session until its close is through, a moment after
                        // the command ended: a refused open ran nothing and is tried again.
                        const refused = /Channel open failure/.test((err as Error).message);
                        if (!refused || attempt >= 20) throw hostError(args, `connection lost: ${(err as Error).message}`);
                        await new Promise((res) => setTimeout(res, 50 * attempt));
                    }
                }
            } finally {
                release();
            }
            return { stdout: r.stdout, stderr: r.stderr, code: r.code ?? -1 };
        },
    };
    return {
        transport,
        close: () => {
            // The host may be gone already (a stopped node): the goodbye then fails to write, harmlessly.
            ssh.connection?.on("error", () => undefined);
            try {
                ssh.dispose();
            } catch {
                // As above.
            }
            hop?.close();
        },
        forward: (address, port) => new Promise((resolve, reject) => {
            const client = ssh.connection;
            if (!client) return reject(new Error("not connected"));
            forwardWithin(client, address, port, args.timeout ?? 20).then(resolve, reject);
        }),
    };
}

/**
 * A forwarded channel through the jump host. The channel-open reply may never
 * come (the jump host dropped, the target's ARP unanswered): after `seconds`
 * it fails, and a channel that opens later is closed, not leaked.
 */
function forwardWithin(client: NonNullable<import("node-ssh").NodeSSH["connection"]>, address: string, port: number, seconds: number): Promise<import("stream").Duplex> {
    return new Promise((resolve, reject) => {
        let done = false;
        let timer: NodeJS.Timeout | undefined = undefined;
        const onClose = (): void => settle(new Error("jump host connection closed"));
        function settle(err: Error | undefined, stream?: import("stream").Duplex): void {
            if (done) {
                stream?.destroy();
                return;
            }
            done = true;
            clearTimeout(timer);
            client.off("close", onClose);
            if (err) reject(err);
            else resolve(stream!);
        }
        timer = setTimeout(() => settle(new Error(`no answer from ${address}:${port} within ${seconds}s`)), seconds * 1000);
        client.once("close", onClose);
        client.forwardOut("127.0.0.1", 0, address, port, (err: Error | undefined, stream: import("stream").Duplex) => settle(err, stream));
    });
}

function sshConnectError(args: ConnectionArgs, err: unknown, pinned: Buffer, offered?: Buffer): Error {
    const e = err as Error & { code?: string; level?: string };
    if (offered && !offered.equals(pinned)) {
        return hostError(args,
            `host key mismatch: pinned ${fingerprint(pinned)}, host offered ${fingerprint(offered)}; ` +
            `if the host was rebuilt, update its hostKey in the stack config`);
    }
    if (e.level === "client-authentication") {
        return hostError(args, `authentication failed for user ${args.user ?? "root"} with the configured private key`);
    }
    if (e.level === "client-timeout" || /Timed out/i.test(e.message)) {
        return hostError(args, `unreachable: no SSH handshake within ${args.timeout ?? 20}s`);
    }
    if (e.code && /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|ENOTFOUND|ECONNRESET)$/.test(e.code)) {
        return hostError(args, `unreachable: ${e.code}`);
    }
    return hostError(args, `SSH connection failed: ${e.message.split("\n")[0]}`);
}
