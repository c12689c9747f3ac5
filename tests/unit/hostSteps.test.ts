import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { apacheSiteOff, fetchedFiles, guestImageBuild, labDirectory, ownedDirectory, runsDirectory, shellDefaultLine, stopOnRemoval, type HostStep } from "../../render/hostSteps";
import { computeRegistration, storageRegistration } from "../../render/registrationSteps";
import { asUser, keystoneBootstrap, keystoneEntityStep, keystoneKeys, migration } from "../../render/keystoneSteps";
import { renderOpenrc } from "../../render/openrc";

// The shell of the lab's one-off host steps (render/*Steps.ts): pinned, valid
// shell whatever the values, and, where it can run here, run.

/** Values that break shell, sed or grep when not quoted or escaped for them. */
const NASTY = `a'b"c;d$(touch /tmp/olab-pwned)e$HOME@f/g#h\\i&j|k*l.m[n]`;
const bash = (script: string, env: NodeJS.ProcessEnv = {}) => execFileSync("bash", ["-c", script], { encoding: "utf8", env: { ...process.env, ...env } });
const syntaxOk = (step: HostStep) => {
    for (const s of [step.script, step.check, step.undo]) if (s) execFileSync("bash", ["-n", "-c", s]);
};

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-steps-")); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
afterAll(() => expect(fs.existsSync("/tmp/olab-pwned")).toBe(false));

describe("host steps", () => {
    it("are pinned", () => {
        expect({
            ownedDirectory: ownedDirectory("/var/lib/nova/instances", "nova"),
            shellDefaultLine: shellDefaultLine("/etc/default/nova-consoleproxy", "NOVA_CONSOLE_PROXY_TYPE", "novnc"),
            apacheSiteOff: apacheSiteOff("default-ssl"),
            stopOnRemoval: stopOnRemoval("stop kvm1's services before it leaves the controller", ["nova-compute", "neutron-linuxbridge-agent"]),
            fetchedFiles: fetchedFiles("fetch image Debian 12", "/var/lib/openstack-lab/images", [
                { path: "/var/lib/openstack-lab/images/Debian_12.disk", url: "http://10.0.0.1:8000/base.qcow2", sha256: "ab".repeat(32) },
                { path: "/var/lib/openstack-lab/images/Debian_12.kernel", url: "http://10.0.0.1:8000/vmlinuz" },
            ]),
            labDirectory: labDirectory("the lab's VM directory", "/var/lib/libvirt/images/openstack-lab"),
            runsDirectory: runsDirectory("Tempest workspace", "/var/lib/tempest/lab/lock", ["/var/lib/tempest/lab/.stestr", "/var/lib/tempest/lab/lock"]),
            guestImageBuild: guestImageBuild({ release: "bookworm", dir: "/var/lib/openstack-lab/guest-images/bookworm", root: "/var/lib/openstack-lab/guest-images",
                script: "echo build", mirror: "http://deb.debian.org/debian", proxy: "http://10.0.0.1:3142" }),
            computeRegistration: computeRegistration("http://10.0.0.4:5000/v3/", "compute"),
            storageRegistration: storageRegistration("http://10.0.0.4:5000/v3/", "storage@lvm"),
            keystoneKeys: keystoneKeys("keystone", "/var/log/keystone/keystone.log"),
            keystoneBootstrap: { ...keystoneBootstrap("http://10.0.0.4:5000/v3/", "RegionOne", "keystone"), check: "(the entity script)" },
            migration: migration("nova_api", "nova", "nova-manage api_db sync"),
            migrationWithCheck: migration("nova", "nova", "nova-manage cell_v2 map_cell0", "nova-manage cell_v2 list_cells | grep -q ' cell0 '"),
        }).toMatchSnapshot();
    });

    it("are valid shell whatever the names, paths, URLs and hosts", () => {
        const p = `/tmp/${NASTY}\nnext`;
        for (const step of [
            ownedDirectory(p, "nova"), labDirectory(NASTY, p), shellDefaultLine(p, "KEY", NASTY), apacheSiteOff(NASTY), stopOnRemoval(NASTY, [NASTY, "x"]),
            fetchedFiles(NASTY, p, [{ path: p, url: `http://10.0.0.1/${NASTY}`, sha256: NASTY }]), runsDirectory(NASTY, p, [p]),
            guestImageBuild({ release: NASTY, dir: p, root: p, script: NASTY, mirror: NASTY, proxy: NASTY }),
            computeRegistration(`http://10.0.0.4/${NASTY}`, NASTY), storageRegistration(NASTY, NASTY), keystoneKeys(NASTY, p),
            keystoneBootstrap(NASTY, NASTY, NASTY), keystoneEntityStep(NASTY, NASTY, [NASTY, p]), migration("nova", NASTY, NASTY),
        ]) syntaxOk(step);
        // su's command and user arrive as two words, each as it is.
        expect(bash(`printf '%s|' ${asUser("printf", NASTY).replace(/^su -s \/bin\/sh -c /, "")}`)).toBe(`printf|${NASTY}|`);
    });

    it("refuse a user, variable or database name they cannot quote for their tool", () => {
        expect(() => ownedDirectory("/x", "nova;reboot")).toThrow('ownedDirectory: "nova;reboot" is not a user name');
        expect(() => shellDefaultLine("/x", "A B", "1")).toThrow('shellDefaultLine: "A B" is not a shell variable name');
        expect(() => shellDefaultLine("/x", "A", "1\n2")).toThrow("shellDefaultLine: the value of A must be one line");
        expect(() => migration("nova'; DROP DATABASE nova; --", "nova", "x")).toThrow("is not a database name");
    });

    it("set a shell defaults line to a value with sed's and grep's special characters, and check it", () => {
        const file = path.join(dir, `default ${NASTY.slice(0, 8)}`);
        fs.writeFileSync(file, "# comment\nKEY=spicehtml5\nOTHER=1\n");
        const step = shellDefaultLine(file, "KEY", NASTY);
        expect(() => bash(step.check!)).toThrow();
        bash(step.script);
        expect(fs.readFileSync(file, "utf8")).toBe(`# comment\nKEY=${NASTY}\nOTHER=1\n`);
        bash(step.check!);
        // A line that only matches as a pattern is not the line.
        fs.writeFileSync(file, `KEY=${NASTY.replace(".", "X")}\n`);
        expect(() => bash(step.check!)).toThrow();
    });

    it("make a directory its owner's, and see when it is not", () => {
        const p = path.join(dir, NASTY.slice(0, 12), "instances");
        const step = ownedDirectory(p, "root");
        expect(() => bash(step.check!)).toThrow();
        bash(step.script);
        bash(step.check!);
        expect(fs.statSync(p).mode & 0o777).toBe(0o755);
    });

    it("fetch a file only when its checksum matches, and undo removes it", () => {
        const src = path.join(dir, "img");
        fs.writeFileSync(src, "image bytes");
        const sum = execFileSync("sha256sum", [src], { encoding: "utf8" }).split(" ")[0];
        const target = path.join(dir, "out dir", `disk ${NASTY.slice(0, 6)}`);
        const step = (sha: string) => fetchedFiles("fetch", path.dirname(target), [{ path: target, url: `file://${src}`, sha256: sha }]);
        expect(() => bash(step("0".repeat(64)).script)).toThrow();
        expect(fs.existsSync(target)).toBe(false);
        expect(() => bash(step(sum).check!)).toThrow();
        bash(step(sum).script);
        expect(fs.readFileSync(target, "utf8")).toBe("image bytes");
        bash(step(sum).check!);
        bash(step(sum).undo!);
        expect(fs.existsSync(target)).toBe(false);
    });

    it("make the lab's directory, and remove it on undo only once it is empty", () => {
        const d = path.join(dir, `vms ${NASTY.slice(0, 7)}`);
        const step = labDirectory("vms", d);
        bash(step.script);
        bash(step.check!);
        fs.writeFileSync(path.join(d, "disk"), "x");
        bash(step.undo!);
        expect(fs.readdirSync(d)).toEqual(["disk"]);
        fs.rmSync(path.join(d, "disk"));
        bash(step.undo!);
        expect(fs.existsSync(d)).toBe(false);
        // Gone already: nothing to do, and no failure.
        bash(step.undo!);
    });

    it("keep a runs directory, and remove on undo only what runs left", () => {
        const ws = path.join(dir, `ws ${NASTY.slice(0, 5)}`);
        const step = runsDirectory("runs", path.join(ws, "lock"), [path.join(ws, "lock"), path.join(ws, ".stestr")]);
        bash(step.script);
        bash(step.check!);
        fs.mkdirSync(path.join(ws, ".stestr"));
        fs.writeFileSync(path.join(ws, "user-notes"), "mine");
        bash(step.undo!);
        expect(fs.readdirSync(ws)).toEqual(["user-notes"]);
    });
});

describe("openrc", () => {
    it("is pinned, and gives the shell the password as it is", () => {
        const pw = `p'w"d;$(touch /tmp/olab-pwned)$x@/#\\`;
        const rc = renderOpenrc("http://10.0.0.4:5000/v3/", "admin", "admin", pw);
        expect(renderOpenrc("http://10.0.0.4:5000/v3/", "demo", "demo", "secret")).toMatchSnapshot();
        const file = path.join(dir, "adminrc");
        fs.writeFileSync(file, rc);
        expect(bash(`. "$RC"; printf '%s|%s|%s' "$OS_USERNAME" "$OS_PASSWORD" "$OS_AUTH_URL"`, { RC: file })).toBe(`admin|${pw}|http://10.0.0.4:5000/v3/`);
    });
});
