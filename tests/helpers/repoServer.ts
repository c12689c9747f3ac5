import { ChildProcess, execFileSync, spawn } from "child_process";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/**
 * The OpenStack package repository (scripts/openstack-repo.sh), served over
 * HTTP on an address of the test hosts' private bridge: their only package
 * source. Stopped by the PID it was started with.
 */
export class RepoServer {
    private constructor(private readonly child: ChildProcess, readonly url: string) {}

    static async start(address: string): Promise<RepoServer> {
        const dir = execFileSync("bash", [path.join(ROOT, "scripts/openstack-repo.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
        return RepoServer.serve(dir, address);
    }

    /** Any directory (the guest image for a first instance), served the same way. */
    static async serve(dir: string, address: string): Promise<RepoServer> {
        const child = spawn(process.execPath, [path.join(ROOT, "scripts/repo-server.js"), dir, address, "0"], { stdio: ["ignore", "pipe", "inherit"] });
        const port = await new Promise<number>((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /listening (\d+)/.exec(out);
                if (m) resolve(Number(m[1]));
            });
            child.on("exit", (code) => reject(new Error(`repo-server.js exited (${code}) before listening`)));
        });
        return new RepoServer(child, `http://${address}:${port}/`);
    }

    stop(): void {
        if (this.child.exitCode === null && this.child.pid) process.kill(this.child.pid);
    }
}
