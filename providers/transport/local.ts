import type { ConnectionArgs, ExecOptions, ExecResult, Transport } from "./types";

/** Runs commands on this machine, through sudo when not root. */
export function openLocal(args: ConnectionArgs): { transport: Transport; close(): void } {
    const transport: Transport = {
        name: args.name,
        exec(script: string, opts: ExecOptions = {}): Promise<ExecResult> {
            const { spawn } = require("child_process") as typeof import("child_process");
            const argv = process.getuid && process.getuid() === 0
                ? ["sh", ["-c", script]] as const
                : ["sudo", ["-n", "--", "sh", "-c", script]] as const;
            return new Promise((resolve, reject) => {
                const child = spawn(argv[0], [...argv[1]], { stdio: ["pipe", "pipe", "pipe"] });
                let stdout = "";
                let stderr = "";
                child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
                child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
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
