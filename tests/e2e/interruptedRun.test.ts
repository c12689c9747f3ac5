import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TestHost, TestHosts } from "../helpers/testHosts";
import { copyProject, oneHostLab } from "../helpers/projectCopy";

// `lab.sh up` killed with SIGKILL in the middle, as a lab operator's
// terminal or machine might: the next `lab.sh up` finds what the run left
// (its lock, a cut-short metadata file), repairs it, converges, and
// destroy still leaves the host as it was. What is not safe to repair stops
// with words and changes nothing.

const STACK = "killtest";
let hosts: TestHosts;
let h1: TestHost;
let scratch: string;
let proj: string;
let home: string;

const stateFile = () => path.join(home, `state/.pulumi/stacks/openstack-lab/${STACK}.json`);
const lockDir = () => path.join(home, `state/.pulumi/locks/organization/openstack-lab/${STACK}`);
const locks = () => (fs.existsSync(lockDir()) ? fs.readdirSync(lockDir()).filter((f) => f.endsWith(".json")) : []);

function lab(args: string[]): { code: number; output: string } {
    const r = spawnSync("bash", [path.join(proj, "scripts/lab.sh"), args[0], STACK, ...args.slice(1)], {
        encoding: "utf8", env: { ...process.env, OPENSTACK_LAB_HOME: home }, maxBuffer: 64 << 20,
    });
    return { code: r.status ?? -1, output: r.stdout + r.stderr };
}

function labOk(args: string[]): string {
    const r = lab(args);
    if (r.code !== 0) throw new Error(`lab.sh ${args.join(" ")} failed (${r.code}):\n${r.output.slice(-4000)}`);
    return r.output;
}

/** Starts `lab.sh up` and kills its pulumi with SIGKILL once `when` shows in the output; resolves with the output. */
function upKilledAt(when: RegExp): Promise<string> {
    return new Promise((resolve, reject) => {
        const child = spawn("bash", [path.join(proj, "scripts/lab.sh"), "up", STACK], { env: { ...process.env, OPENSTACK_LAB_HOME: home } });
        let out = "";
        let killed = false;
        const onData = (d: Buffer) => {
            out += d.toString();
            if (killed || !when.test(out)) return;
            // lab.sh's own child: the pulumi this test started, ended by its PID.
            const pid = spawnSync("pgrep", ["-P", String(child.pid), "-x", "pulumi"], { encoding: "utf8" }).stdout.trim();
            if (!pid) return;
            killed = true;
            process.kill(Number(pid), "SIGKILL");
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("exit", () => (killed ? resolve(out) : reject(new Error(`lab.sh up ended before ${when}:\n${out.slice(-3000)}`))));
    });
}

const hostState = () => hosts.ssh(h1, "cat /etc/olab/motd 2>/dev/null; grep -s my_ip /etc/olab/nova.conf; " +
    "dpkg-query -W -f='${db:Status-Status}\\n' olab-test-extra 2>/dev/null | grep -x installed; ls /var/lib/openstack-lab 2>/dev/null; sysctl -n net.ipv4.conf.all.rp_filter");

beforeAll(() => {
    hosts = TestHosts.start(1);
    [h1] = hosts.hosts;
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "olab-killed-"));
    proj = path.join(scratch, "proj");
    home = path.join(scratch, "home");
    copyProject(proj);
    fs.writeFileSync(path.join(proj, `Pulumi.${STACK}.yaml`), oneHostLab(h1, ["olab-test-extra"]));
    fs.writeFileSync(path.join(scratch, "key"), hosts.privateKey);
    const set = spawnSync("bash", [path.join(proj, "scripts/lab.sh"), "config", STACK, "set", "--secret", "openstack-lab:sshPrivateKey"], {
        input: hosts.privateKey, encoding: "utf8", env: { ...process.env, OPENSTACK_LAB_HOME: home },
    });
    if (set.status !== 0) throw new Error(set.stderr);
}, 300_000);

afterAll(() => {
    try {
        if (home && fs.existsSync(stateFile())) lab(["destroy"]);
    } finally {
        hosts?.stop();
        if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    }
}, 600_000);

describe("an interrupted lab.sh up", () => {
    const before: { host?: string } = {};

    it("killed while its packages install, is resumed by the next up, which says what it repaired", async () => {
        before.host = hostState();
        await upKilledAt(/Packages h1-packages creating/);
        expect(locks()).toHaveLength(1);
        const again = labOk(["up"]);
        expect(again).toMatch(/lab\.sh: a lock left by a run that ended without unlocking \(pid \d+, since [^)]+, is gone\): moved /);
        expect(locks()).toEqual([]);
        expect(lab(["preview", "--expect-no-changes"]).code).toBe(0);
        expect(hosts.ssh(h1, "cat /etc/olab/motd; dpkg-query -W -f='${Status}\\n' olab-test-extra")).toBe("a lab\ninstall ok installed\n");
    }, 900_000);

    it("killed while it changes a file, with the stack's metadata cut short, is resumed too", async () => {
        fs.writeFileSync(path.join(proj, `Pulumi.${STACK}.yaml`), fs.readFileSync(path.join(proj, `Pulumi.${STACK}.yaml`), "utf8").replace("a lab\\n", "a changed lab\\n"));
        await upKilledAt(/RemoteFile h1-file-\/etc\/olab\/motd updating/);
        // What a kill at the wrong moment leaves (pulumi/pulumi#2801): the checkpoint's metadata file empty.
        fs.writeFileSync(`${stateFile()}.attrs`, "");
        const again = labOk(["up"]);
        expect(again).toContain(`lab.sh: ${STACK}.json.attrs is empty (a run was killed while writing it); pulumi reads the file without it: moved`);
        expect(lab(["preview", "--expect-no-changes"]).code).toBe(0);
        expect(hosts.ssh(h1, "cat /etc/olab/motd")).toBe("a changed lab\n");
    }, 900_000);

    it("stops with words and changes nothing where repair is not safe", () => {
        const lock = path.join(lockDir(), "11111111-2222-3333-4444-555555555555.json");
        fs.mkdirSync(lockDir(), { recursive: true });
        fs.writeFileSync(lock, JSON.stringify({ pid: 4242, username: "root", hostname: "another-machine", timestamp: "2026-01-01T00:00:00Z" }));
        const r = lab(["up"]);
        expect(r.code).not.toBe(0);
        expect(r.output).toContain("lab.sh: the stack is locked by pulumi on another-machine (pid 4242, since 2026-01-01T00:00:00Z)");
        expect(fs.existsSync(lock)).toBe(true);
        fs.rmSync(lock);

        const checkpoint = fs.readFileSync(stateFile());
        fs.writeFileSync(stateFile(), checkpoint.subarray(0, 100));
        try {
            const broken = lab(["preview"]);
            expect(broken.code).not.toBe(0);
            expect(broken.output).toMatch(new RegExp(`lab\\.sh: the checkpoint \\.pulumi/stacks/openstack-lab/${STACK}\\.json cannot be read \\(100 bytes\\); \\.pulumi/stacks/openstack-lab/${STACK}\\.json\\.bak can`));
            expect(fs.readFileSync(stateFile()).length).toBe(100);
        } finally {
            fs.writeFileSync(stateFile(), checkpoint);
        }
    }, 300_000);

    it("leaves the host as it was on destroy", () => {
        const out = labOk(["destroy"]);
        expect(out).toMatch(/deleted/);
        expect(hostState()).toBe(before.host);
    }, 600_000);
});
