import type { ConnectionArgs, ExecOptions, ExecResult, Transport } from "./types";

/** Runs commands on this machine, through sudo when not root. */
export function openLocal(args: ConnectionArgs): { transport: Transport; close(): void } {
    const transport: Transport = {
        name: args.name,
        exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
            const { spawn } = require("child_process") as typeof import("child_process");
            // Node gives a child a socket for stdin, which open("/dev/stdin") refuses (virsh define
            // /dev/stdin): cat turns it into the pipe that an SSH session's command gets.
            const wrapped = ["sh", "-c", 'cat | sh -c "$1"', "sh", script];
            const argv = process.getuid && process.getuid() === 0
                ? [wrapped[0], wrapped.slice(1)] as const
                : ["sudo", ["-n", "--", ...wrapped]] as const;
            return new Promise((resolve, reject) => {
                const child = spawn(argv[0], [...argv[1]], { stdio: ["pipe", "pipe", "pipe"] });
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (d: Buffer) => {
                    stdout += d.toString();
                    opts.onOutput?.(d.toString());
                });
                child.stderr.on("data", (d: Buffer) => {
                    stderr += d.toString();
                    opts.onOutput?.(d.toString());
                });
                child.on("error", reject);
                // A command that exits without reading its stdin is not an error.
                child.stdin.on("error", () => undefined);
                child.on("close", (code: number | null) => resolve({ stdout, stderr, code: code ?? -1 }));
                child.stdin.end(opts.stdin ?? "");
            });
        },
    };
    return { transport, close: () => undefined };
}
