import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TestHost, TestHosts } from "../helpers/testHosts";
import { ConnectionArgs, run, sh, withHost } from "../../providers/transport";
import { remoteFileProvider } from "../../providers/remoteFile";
import { waitForSsh } from "../../providers/sshWait";

let hosts: TestHosts;
let h1: TestHost;
let h2: TestHost;

const conn = (h: TestHost, over: Partial<ConnectionArgs> = {}): ConnectionArgs =>
    ({ name: h.name, address: h.address, port: h.port, user: "root", hostKey: h.hostKey, privateKey: hosts.privateKey, ...over });

/** The one-line message a failed connection gives. */
async function failure(c: ConnectionArgs): Promise<string> {
    try {
        await withHost(c, (t) => run(t, "noop", "true"));
    } catch (e) {
        return (e as Error).message;
    }
    throw new Error("expected the connection to fail");
}

beforeAll(() => {
    hosts = TestHosts.start(2);
    [h1, h2] = hosts.hosts;
}, 300_000);

afterAll(() => hosts?.stop(), 120_000);

describe("SSH transport against real sshd hosts", () => {
    it("runs as root, and through sudo as a plain user", async () => {
        expect(await withHost(conn(h1), (t) => run(t, "id", "id -u; whoami"))).toBe("0\nroot\n");
        expect(await withHost(conn(h2, { user: "lab" }), (t) => run(t, "id", "id -u; echo $SUDO_USER"))).toBe("0\nlab\n");
    });

    it("shares one connection between concurrent operations on a host", async () => {
        const ports = await Promise.all([1, 2, 3].map(() =>
            withHost(conn(h1), (t) => run(t, "peer", `echo "$SSH_CONNECTION" | cut -d' ' -f2`))));
        expect(new Set(ports).size).toBe(1);
    });

    it("runs more commands at once than sshd's MaxSessions allows on one connection", async () => {
        const outs = await Promise.all(Array.from({ length: 30 }, (_, i) =>
            withHost(conn(h1), (t) => run(t, `parallel ${i}`, `sleep 0.3; echo ${i} "$SSH_CONNECTION"`))));
        expect(outs.map((o) => o.split(" ")[0])).toEqual(Array.from({ length: 30 }, (_, i) => String(i)));
        expect(new Set(outs.map((o) => o.split(" ")[2])).size).toBe(1);
    });

    it("passes stdin through unchanged and keeps it out of the command sent", async () => {
        const secret = "pa'ss\"w;rd $(reboot)\nline two\n";
        const logDir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-log-"));
        const log = path.join(logDir, "commands.log");
        process.env.OPENSTACK_LAB_COMMAND_LOG = log;
        try {
            const out = await withHost(conn(h2, { user: "lab" }), (t) =>
                run(t, "stdin", "cat > /tmp/olab-secret; cat /tmp/olab-secret", { stdin: secret }));
            expect(out).toBe(secret);
            const sent = fs.readFileSync(log, "utf8");
            expect(sent).toContain("cat > /tmp/olab-secret");
            expect(sent).not.toContain("pa'ss");
        } finally {
            delete process.env.OPENSTACK_LAB_COMMAND_LOG;
            fs.rmSync(logDir, { recursive: true, force: true });
        }
    });

    it("writes a file whose path and content need quoting, and puts back what was there", async () => {
        const p = "/tmp/olab dir/it's; $(x).conf";
        const content = "a = $(id)\n`b` ; 'c'\n\"d\"\n";
        await withHost(conn(h1), (t) => run(t, "seed", sh`mkdir -p ${path.dirname(p)} && printf old > ${p}`));
        const inputs = { connection: conn(h1), path: p, content, mode: "0600" };
        const created = await remoteFileProvider.create!(inputs);
        expect(hosts.ssh(h1, `stat -c %a ${JSON.stringify(p).replace(/\$/g, "\\$").replace(/`/g, "\\`")}; cat "/tmp/olab dir/it's; \\$(x).conf"`))
            .toBe(`600\n${content}`);
        const read = await remoteFileProvider.read!(created.id, created.outs);
        expect(read.props.content).toBe(content);
        await remoteFileProvider.delete!(created.id, created.outs);
        expect(hosts.ssh(h1, `cat "/tmp/olab dir/it's; \\$(x).conf"`)).toBe("old");
    });

    it("names the host when nothing listens on its port", async () => {
        expect(await failure(conn(h1, { port: 2222 }))).toBe(`host h1 (${h1.address}:2222): unreachable: ECONNREFUSED`);
    });

    it("names the host when the private key is not accepted", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-key-"));
        execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", path.join(dir, "k")]);
        const other = fs.readFileSync(path.join(dir, "k"), "utf8");
        fs.rmSync(dir, { recursive: true });
        expect(await failure(conn(h1, { privateKey: other })))
            .toBe(`host h1 (${h1.address}:22): authentication failed for user root with the configured private key`);
    });

    it("refuses a host whose key is not the pinned one, and says both fingerprints", async () => {
        const msg = await failure(conn(h1, { hostKey: h2.hostKey }));
        expect(msg).toMatch(new RegExp(`^host h1 \\(${h1.address.replace(/\./g, "\\.")}:22\\): host key mismatch: pinned SHA256:[A-Za-z0-9+/]+, host offered SHA256:[A-Za-z0-9+/]+;`));
        const fp = execFileSync("ssh-keygen", ["-lf", "-"], { input: `${h1.address} ${h1.hostKey}\n`, encoding: "utf8" }).split(" ")[1];
        expect(msg).toContain(`host offered ${fp}`);
    });

    it("refuses to connect without a pinned host key", async () => {
        expect(await failure(conn(h1, { hostKey: undefined }))).toContain("no pinned host key");
    });

    it("waits for a node's own readiness check after SSH answers, and says what it waited for on timeout", async () => {
        const marker = `/tmp/olab-ready-${process.pid}`;
        await withHost(conn(h1), (t) => run(t, "clear marker", sh`rm -f ${marker}`));
        const started = Date.now();
        // The marker comes 3 s after the wait begins, as cloud-init's result file comes after sshd answers.
        const maker = new Promise((r) => setTimeout(r, 3000)).then(() => withHost(conn(h1), (t) => run(t, "make marker", sh`touch ${marker}`)));
        await waitForSsh(conn(h1), 30, async (last) => `gave up: ${last}`, { what: "the marker", check: sh`test -e ${marker}` });
        await maker;
        expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
        await withHost(conn(h1), (t) => run(t, "clear marker", sh`rm -f ${marker}`));
        await expect(waitForSsh(conn(h1), 2, async (last) => `gave up: ${last}`, { what: "the marker", check: sh`test -e ${marker}` }))
            .rejects.toThrow(/^gave up: host h1: wait for the marker failed \(exit 1\)/);
    }, 60_000);

    it("names the host and the step when a command fails", async () => {
        await expect(withHost(conn(h1), (t) => run(t, "read /nonexistent", "cat /nonexistent")))
            .rejects.toThrow(/^host h1: read \/nonexistent failed \(exit 1\): cat: \/nonexistent: No such file or directory$/);
    });
});
