import type { ConnectionArgs, ExecOptions, ExecResult, Transport } from "./types";
import { q } from "./quote";
import { fingerprint, hostError } from "./errors";

// Packages are required inside functions: the engine serializes providers
// with what they capture, and node-ssh cannot be serialized (TESTBED.md).

/** Opens an SSH session that accepts only the pinned host key. */
export async function openSsh(args: ConnectionArgs): Promise<{ transport: Transport; close(): void }> {
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
    try {
        await ssh.connect({
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
        throw sshConnectError(args, err, pinned, offered);
    }
    const asRoot = (args.user ?? "root") === "root";
    const transport: Transport = {
        name: args.name,
        async exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
            const command = asRoot ? `sh -c ${q(script)}` : `sudo -n -- sh -c ${q(script)}`;
            let r;
            try {
                r = await ssh.execCommand(command, { stdin: opts.stdin, noTrim: true });
            } catch (err) {
                throw hostError(args, `connection lost: ${(err as Error).message}`);
            }
            return { stdout: r.stdout, stderr: r.stderr, code: r.code ?? -1 };
        },
    };
    return { transport, close: () => ssh.dispose() };
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
