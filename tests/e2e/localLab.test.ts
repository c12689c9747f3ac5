import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// The README's first command, for real, on this machine: the embedded
// `local` lab prepares it as a lab host, and destroy puts it back.

const ROOT = path.resolve(__dirname, "../..");
let home: string;

function lab(...args: string[]): { code: number; output: string } {
    const r = spawnSync("npm", ["run", "--silent", ...args], {
        cwd: ROOT, encoding: "utf8", env: { ...process.env, OPENSTACK_LAB_HOME: home }, maxBuffer: 64 << 20,
    });
    return { code: r.status ?? -1, output: r.stdout + r.stderr };
}

/** What destroy must give back: installed packages, kernel parameters, drop-in files. */
function machineState(): string {
    const packages = execFileSync("dpkg-query", ["-W", "-f=${Package} ${db:Status-Status}\n"], { encoding: "utf8" })
        .split("\n").filter((l) => l.endsWith(" installed")).sort().join("\n");
    const sysctls = ["net/ipv4/ip_forward", "net/bridge/bridge-nf-call-iptables", "net/bridge/bridge-nf-call-ip6tables", "net/bridge/bridge-nf-call-arptables"]
        .map((k) => `${k}=${fs.readFileSync(`/proc/sys/${k}`, "utf8").trim()}`).join("\n");
    const dropIns = ["/etc/sysctl.d", "/etc/modules-load.d"].flatMap((d) => fs.readdirSync(d).map((f) => `${d}/${f}`)).sort().join("\n");
    return [packages, sysctls, dropIns].join("\n--\n");
}

let before: string;

beforeAll(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), "olab-home-"));
    before = machineState();
});

afterAll(() => {
    lab("lab:destroy");
    fs.rmSync(home, { recursive: true, force: true });
}, 600_000);

describe("the local lab (README's first command)", () => {
    it("prepares this machine as a lab host", () => {
        const r = lab("lab:up");
        expect(r.output).not.toMatch(/error:/);
        expect(r.code).toBe(0);
        expect(r.output).toMatch(/host\s*:\s*"local"/);
        expect(fs.readFileSync("/proc/sys/net/ipv4/ip_forward", "utf8")).toBe("1\n");
        expect(execFileSync("dpkg-query", ["-W", "-f=${db:Status-Status}", "libvirt-daemon-system"], { encoding: "utf8" })).toBe("installed");
        // A SysV start returns before libvirtd has made its socket: give it a few seconds.
        let answer = "";
        for (let i = 0; i < 20 && !answer; i++) {
            const r = spawnSync("virsh", ["-c", "qemu:///system", "list", "--all"], { encoding: "utf8" });
            if (r.status === 0) answer = r.stdout;
            else execFileSync("sleep", ["0.5"]);
        }
        expect(answer).toMatch(/Name\s+State/);
        // The checkout's stack file stays as committed: salt and secrets live in the lab home.
        expect(fs.readFileSync(path.join(ROOT, "Pulumi.local.yaml"), "utf8")).not.toContain("encryptionsalt");
        expect(fs.readFileSync(path.join(home, "local.secrets.yaml"), "utf8")).toContain("encryptionsalt");
    }, 600_000);

    it("changes nothing on a second up", () => {
        const r = lab("lab:up", "--", "--expect-no-changes");
        expect(r.code).toBe(0);
        expect(r.output).toMatch(/\d+ unchanged/);
    }, 300_000);

    it("leaves the machine as it was on destroy", () => {
        const r = lab("lab:destroy");
        expect(r.code).toBe(0);
        expect(machineState()).toBe(before);
        expect(spawnSync("pgrep", ["-x", "libvirtd"]).status).not.toBe(0);
    }, 600_000);
});
