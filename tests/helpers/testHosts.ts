import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

export interface TestHost {
    name: string;
    address: string;
    port: number;
    hostKey: string;
}

/** System-container hosts from scripts/testhosts.sh, stopped by PID afterwards. */
export class TestHosts {
    readonly dir: string;
    readonly hosts: TestHost[];
    readonly privateKey: string;
    readonly keyFile: string;

    private constructor(dir: string) {
        this.dir = dir;
        this.hosts = JSON.parse(fs.readFileSync(path.join(dir, "hosts.json"), "utf8"));
        this.keyFile = path.join(dir, "id_ed25519");
        this.privateKey = fs.readFileSync(this.keyFile, "utf8");
    }

    static start(count: number): TestHosts {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-hosts-"));
        try {
            execFileSync("bash", [path.join(ROOT, "scripts/testhosts.sh"), "start", dir, String(count)], { stdio: ["ignore", "inherit", "inherit"] });
        } catch (e) {
            TestHosts.stopDir(dir);
            throw e;
        }
        return new TestHosts(dir);
    }

    private static stopDir(dir: string): void {
        execFileSync("bash", [path.join(ROOT, "scripts/testhosts.sh"), "stop", dir], { stdio: ["ignore", "inherit", "inherit"] });
        fs.rmSync(dir, { recursive: true, force: true });
    }

    stop(): void {
        TestHosts.stopDir(this.dir);
    }

    /**
     * Runs a shell script on a host with the system ssh client and the pinned
     * known_hosts: checks go through a path independent of the code under test.
     */
    ssh(host: TestHost, script: string, user = "root"): string {
        return execFileSync("ssh", [
            "-q", "-i", this.keyFile, "-o", `UserKnownHostsFile=${path.join(this.dir, "known_hosts")}`,
            "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", `${user}@${host.address}`, "sh", "-s",
        ], { input: script, encoding: "utf8" });
    }
}
