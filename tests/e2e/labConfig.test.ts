import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { copyProject } from "../helpers/projectCopy";

// `lab.sh config` with the real pulumi CLI: what is set in a lab home stays
// there (salt, secrets, `--path` values), whatever the stack file holds, and
// a file that does not parse stops the script before it changes anything.

const STACK = "cfgtest";
let scratch: string;
let proj: string;
let home: string;

// Pulumi's YAML writer puts the closing quote of this string at column 0,
// which strict parsers reject: the lab home must not depend on reading that.
const STACK_FILE = `config:
  openstack-lab:hosts:
    - name: h1
      files:
        /etc/motd:
          content: 'line one

            line two # not a comment

            '
`;

function lab(args: string[], input = ""): { code: number; stdout: string; stderr: string } {
    const r = spawnSync("bash", [path.join(proj, "scripts/lab.sh"), ...args], {
        cwd: scratch, input, encoding: "utf8", env: { ...process.env, OPENSTACK_LAB_HOME: home, PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "" },
    });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function labOk(args: string[], input = ""): string {
    const r = lab(args, input);
    if (r.code !== 0) throw new Error(`lab.sh ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
}

const saved = () => path.join(home, `${STACK}.secrets.yaml`);
const get = (key: string, ...flags: string[]) => labOk(["config", STACK, "get", ...flags, key]).replace(/\n$/, "");
/** Every file of the lab home but the passphrase, as one text. */
const homeText = () => spawnSync("bash", ["-c", 'find "$1" -type f ! -name passphrase -exec cat {} +', "-", home], { encoding: "utf8" }).stdout;

const KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA 'quoted' \"double\"\n-----END OPENSSH PRIVATE KEY-----\n";
const ADMIN = `a'b"c;d$(touch /tmp/olab-pwned)e$f@g/h#i`;

beforeAll(() => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), "olab-config-"));
    proj = path.join(scratch, "proj");
    home = path.join(scratch, "home");
    copyProject(proj, { files: ["Pulumi.yaml", "package.json", "scripts"] });
    fs.writeFileSync(path.join(proj, `Pulumi.${STACK}.yaml`), STACK_FILE);
}, 120_000);

afterAll(() => {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

describe("lab.sh config", () => {
    it("keeps the salt and every secret set, with --path too, beside a stack file that pulumi rewrites oddly", () => {
        labOk(["config", STACK, "set", "--secret", "openstack-lab:sshPrivateKey"], KEY);
        labOk(["config", STACK, "set", "--secret", "--path", "openstack-lab:passwords.admin"], ADMIN);
        labOk(["config", STACK, "set", "--secret", "--path", "openstack-lab:passwords.demo"], "second");
        const file = fs.readFileSync(saved(), "utf8");
        expect(file).toMatch(/^encryptionsalt: v1:/m);
        expect(get("openstack-lab:sshPrivateKey")).toBe(KEY.replace(/\n$/, ""));
        expect(get("openstack-lab:passwords.admin", "--path")).toBe(ADMIN);
        expect(get("openstack-lab:passwords.demo", "--path")).toBe("second");
        // The lab definition reaches pulumi as written.
        expect(JSON.parse(get("openstack-lab:hosts[0].files", "--path"))).toEqual({ "/etc/motd": { content: "line one\nline two # not a comment\n" } });
        expect(fs.existsSync("/tmp/olab-pwned")).toBe(false);
        for (const plain of ["b3BlbnNzaC1rZXktdjEAAAAA", "touch /tmp/olab-pwned", "second"]) expect(homeText()).not.toContain(plain);
    });

    it("stops on a stack file that does not parse, naming it, and changes nothing", () => {
        const stackFile = path.join(proj, `Pulumi.${STACK}.yaml`);
        const before = fs.readFileSync(saved(), "utf8");
        fs.writeFileSync(stackFile, "config:\n  openstack-lab:hosts: [\n");
        try {
            const r = lab(["config", STACK, "get", "openstack-lab:sshPrivateKey"]);
            expect(r.code).not.toBe(0);
            expect(r.stderr).toMatch(new RegExp(`Pulumi\\.${STACK}\\.yaml is not valid YAML, so nothing was changed`));
            expect(fs.readFileSync(saved(), "utf8")).toBe(before);
        } finally {
            fs.writeFileSync(stackFile, STACK_FILE);
        }
        expect(get("openstack-lab:sshPrivateKey")).toBe(KEY.replace(/\n$/, ""));
    });

    it("stops on a lab home file that does not parse, and leaves it as it is", () => {
        const before = fs.readFileSync(saved(), "utf8");
        fs.writeFileSync(saved(), before + "  : [\n");
        try {
            const r = lab(["config", STACK, "get", "openstack-lab:sshPrivateKey"]);
            expect(r.code).not.toBe(0);
            expect(r.stderr).toContain(`${saved()} is not valid YAML, so nothing was changed`);
            expect(fs.readFileSync(saved(), "utf8")).toBe(before + "  : [\n");
        } finally {
            fs.writeFileSync(saved(), before);
        }
    });

    it("refuses a value marked secure where the state would hold it in plain text, and lets it be removed", () => {
        labOk(["config", STACK, "set", "--secret", "--path", "openstack-lab:hosts[0].name"], "h1");
        const r = lab(["config", STACK, "get", "openstack-lab:sshPrivateKey"]);
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain("openstack-lab:hosts[0].name: marked secure where the lab would keep it in plain text in its state, so nothing was changed");
        labOk(["config", STACK, "rm", "--path", "openstack-lab:hosts[0].name"]);
        // Where the program keeps it secret, it may be secure.
        labOk(["config", STACK, "set", "--secret", "--path", 'openstack-lab:hosts[0].files["/etc/motd"].content'], "secret motd");
        expect(get('openstack-lab:hosts[0].files["/etc/motd"].content', "--path")).toBe("secret motd");
        labOk(["config", STACK, "rm", "--path", 'openstack-lab:hosts[0].files["/etc/motd"].content']);
        expect(JSON.parse(get("openstack-lab:hosts[0].files", "--path"))).toEqual({ "/etc/motd": { content: "line one\nline two # not a comment\n" } });
    });

    it("moves a lab home saved in the earlier format onto this one, keeping the old file", () => {
        const now = require("yaml").parse(fs.readFileSync(saved(), "utf8"));
        const earlier = require("yaml").stringify({ encryptionsalt: now.encryptionsalt, secrets: now.config });
        fs.writeFileSync(saved(), earlier);
        expect(get("openstack-lab:passwords.admin", "--path")).toBe(ADMIN);
        expect(fs.readFileSync(`${saved()}.before-config-format`, "utf8")).toBe(earlier);
        expect(fs.readFileSync(saved(), "utf8")).toMatch(/^config:/m);
        labOk(["config", STACK, "set", "--secret", "--path", "openstack-lab:passwords.demo"], "third");
        expect(get("openstack-lab:passwords.admin", "--path")).toBe(ADMIN);
        expect(get("openstack-lab:passwords.demo", "--path")).toBe("third");
    });

    it("says when a value set in the lab home replaces one the stack file sets", () => {
        fs.writeFileSync(path.join(proj, `Pulumi.${STACK}.yaml`), STACK_FILE + "  openstack-lab:packageSource: cache\n");
        labOk(["config", STACK, "set", "openstack-lab:packageSource", "distribution"]);
        const r = lab(["config", STACK, "get", "openstack-lab:packageSource"]);
        expect(r.stdout).toBe("distribution\n");
        expect(r.stderr).toContain(`openstack-lab:packageSource: the value set in ${saved()} replaces the one in Pulumi.${STACK}.yaml`);
    });
});
