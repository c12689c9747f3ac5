import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createScript, openStackObjectProvider, OpenStackObjectInputs, OpenStackObjectOutputs, parseObject } from "../../providers/openStackObject";
import { firstAddress } from "../../components/FirstInstance";
import { parseLab } from "../../config/load";
import { configErrorOf } from "../helpers/configError";

// The scripts run in a real bash here, with a stand-in `openstack` that
// records what it was given: what reaches the client is what the user wrote.
const HOSTILE = "it's; $(touch /tmp/olab-pwned)\n`id` \"x\"";

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-osobj-")); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs a script with a fake client: `show` finds nothing (or `found`), `create` records its words and each file it is given. */
function runWithFakeClient(script: string, stdin: string, found = false, createFails = ""): { out: string; words: string[]; files: string[]; env: string } {
    const fake = `openstack() {
  if [ "$2" = show ] || [ "$3" = show ] || [ "$4" = show ]; then ${found ? "echo '{\"id\": \"old-1\", \"status\": \"ACTIVE\"}'; return 0" : "echo 'No Flavor found for x' >&2; return 1"}; fi
  ${createFails ? `echo ${JSON.stringify(createFails)} >&2; return 1` : ""}
  for w in "$@"; do printf '%s\\0' "$w"; done >> ${dir}/words
  prev=; for w in "$@"; do if [ "$prev" = --public-key ] || [ "$prev" = --user-data ]; then cat "$w" >> ${dir}/files; printf '\\0' >> ${dir}/files; fi; prev=$w; done
  printf '%s|%s|%s' "$OS_USERNAME" "$OS_PROJECT_NAME" "$OS_PASSWORD" > ${dir}/env
  echo 'a warning first'; echo '{"id": "new-1", "name": "x"}'
}
`;
    const out = execFileSync("bash", ["-c", fake + script], { input: stdin, encoding: "utf8" });
    const read = (f: string) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f), "utf8") : "");
    return { out, words: read("words").split("\0").slice(0, -1), files: read("files").split("\0").slice(0, -1), env: read("env") };
}

const base: OpenStackObjectInputs = {
    connection: { name: "ctl", address: "10.0.0.4" }, authUrl: "http://10.0.0.4:5000/v3", user: "demo", project: "demo",
    stdin: "pw'; $(id)\n", kind: "keypair", name: HOSTILE, args: ["--type", HOSTILE],
};

describe("OpenStackObject scripts", () => {
    it("gives the client every value as one word, a file's content through a temporary file, the password through stdin", () => {
        const r = runWithFakeClient(createScript({ ...base, files: [{ flag: "--public-key", content: `ssh-ed25519 AAAA ${HOSTILE}\n` }] }), base.stdin);
        expect(r.words.slice(0, 4)).toEqual(["keypair", "create", "--type", HOSTILE]);
        expect(r.words[4]).toBe("--public-key");
        expect(r.words[6]).toBe(HOSTILE);
        expect(r.files).toEqual([`ssh-ed25519 AAAA ${HOSTILE}\n`]);
        expect(fs.existsSync(r.words[5])).toBe(false);
        expect(r.env).toBe("demo|demo|pw'; $(id)");
        expect(fs.existsSync("/tmp/olab-pwned")).toBe(false);
        expect(parseObject("keypair", r.out.slice(r.out.indexOf("{"))).objectId).toBe("new-1");
    });

    it("gives the client the rest of stdin after the password as a file, never in the script", () => {
        const userData = `#cloud-config\nssh_keys:\n  ed25519_private: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n    ${HOSTILE}\n`;
        const script = createScript({ ...base, kind: "flavor", name: "f", args: [], stdinFile: "--user-data" });
        expect(script).not.toContain("PRIVATE KEY");
        const r = runWithFakeClient(script, base.stdin + userData);
        expect(r.env).toBe("demo|demo|pw'; $(id)");
        expect(r.words.slice(0, 3)).toEqual(["flavor", "create", "--user-data"]);
        expect(r.files).toEqual([userData]);
        expect(fs.existsSync(r.words[3])).toBe(false);
    });

    it("replaces an object whose stdin file's flag changes: user data counts only at a server's first boot", async () => {
        const olds = { ...base, kind: "server" as const, objectId: "s1", status: "ACTIVE", addresses: "" };
        const d = await openStackObjectProvider.diff!("server:s1", olds, { ...base, kind: "server", stdinFile: "--user-data" });
        expect(d.replaces).toEqual(["stdinFile"]);
    });

    it("takes over an object of the same name instead of making a second one", () => {
        const r = runWithFakeClient(createScript({ ...base, kind: "flavor", name: "m1.tiny", args: ["--vcpus", "1"] }), base.stdin, true);
        expect(r.words).toEqual([]);
        expect(r.out).toContain('"old-1"');
    });

    it("takes over the rule Neutron says is already there, and fails on any other refusal", () => {
        const rule = { ...base, kind: "security group rule" as const, name: undefined, args: ["--protocol", "icmp", "sg-1"] };
        const taken = runWithFakeClient(createScript(rule), base.stdin, true,
            "ConflictException: 409: Client Error for url: http://x/v2.0/security-group-rules, Security group rule already exists. Rule id is 5d3b1c2a-0000-4000-8000-000000000001.");
        expect(taken.out).toContain('"old-1"');
        expect(() => runWithFakeClient(createScript(rule), base.stdin, true, "BadRequestException: 400: invalid protocol")).toThrow(/invalid protocol/);
    });

    it("waits for a server and prints it as it ended", () => {
        const script = createScript({ ...base, kind: "server", name: "demo-inst1", args: ["--flavor", "f"] });
        // The fake's create prints JSON; the server path asks for the id only, then shows it.
        expect(script).toMatch(/openstack server create --flavor f demo-inst1 -f value -c id/);
        expect(script).toMatch(/case "\$s" in ACTIVE\|ERROR\) break;;/);
    });

    it("reads addresses and ids the way each kind prints them", () => {
        expect(parseObject("server", JSON.stringify({ id: "s1", status: "ACTIVE", addresses: { "demo-net": ["203.0.113.26"] } })))
            .toEqual({ objectId: "s1", status: "ACTIVE", addresses: "demo-net=203.0.113.26" });
        expect(parseObject("server", JSON.stringify({ id: "s1", status: "BUILD", addresses: "demo-net=203.0.113.27" })).addresses).toBe("demo-net=203.0.113.27");
        expect(parseObject("keypair", JSON.stringify({ name: "demo-key", fingerprint: "aa" })).objectId).toBe("demo-key");
        expect(() => parseObject("flavor", "{}")).toThrow(/no id for the flavor/);
        expect(firstAddress("demo-net=203.0.113.26, 2001:db8::5")).toBe("203.0.113.26");
        expect(firstAddress("")).toBe("");
    });

    it("replaces on a changed argument, starts a server found stopped, and leaves a running one alone", async () => {
        const olds: OpenStackObjectOutputs = { ...base, kind: "server", objectId: "s1", status: "ACTIVE", addresses: "" };
        expect(await openStackObjectProvider.diff!("server:s1", olds, { ...base, kind: "server" })).toMatchObject({ changes: false, replaces: [] });
        expect(await openStackObjectProvider.diff!("server:s1", olds, { ...base, kind: "server", args: ["--flavor", "m1.small"] })).toMatchObject({ changes: true, replaces: ["args"] });
        expect(await openStackObjectProvider.diff!("server:s1", { ...olds, status: "SHUTOFF" }, { ...base, kind: "server" })).toMatchObject({ changes: true, replaces: [] });
        const check = await openStackObjectProvider.check!({}, { ...base, kind: "volume" as never });
        expect(check.failures![0].property).toBe("kind");
    });
});

describe("firstInstance config", () => {
    const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
    const hosts = [{ name: "ctl", address: "10.0.0.4", hostKey: KEY }, { name: "cmp", address: "10.0.0.5", hostKey: KEY }];
    const image = { url: "http://10.0.0.1/cirros.img" };
    const errorOf = (raw: Record<string, unknown>) => configErrorOf(() => parseLab(raw));

    it("fills seed 003's names and sizes", () => {
        const lab = parseLab({ hosts, controller: { host: "ctl" }, computes: [{ host: "cmp" }], firstInstance: { image } });
        expect(lab.firstInstance).toEqual({
            name: "demo-inst1", keyName: "demo-key",
            image: { name: "CirrOS Test Image", url: image.url, diskFormat: "qcow2" },
            flavor: { name: "m1.tiny", vcpus: 1, ramMb: 512, diskGb: 1 },
            network: { name: "demo-net", cidr: "203.0.113.24/29" },
        });
    });

    it("names the key of a missing compute node, a bad URL, a lone kernel and a host address for a network", () => {
        expect(errorOf({ hosts, controller: { host: "ctl" }, firstInstance: { image } })).toContain("openstack-lab:firstInstance: needs a compute node");
        const lab = { hosts, controller: { host: "ctl" }, computes: [{ host: "cmp" }] };
        expect(errorOf({ ...lab, firstInstance: { image: { url: "ftp://x/y" } } })).toContain("openstack-lab:firstInstance.image.url: must be an http:// or https:// URL");
        expect(errorOf({ ...lab, firstInstance: { image: { ...image, kernelUrl: "http://x/k" } } })).toContain("openstack-lab:firstInstance.image.ramdiskUrl: kernelUrl and ramdiskUrl go together");
        expect(errorOf({ ...lab, firstInstance: { image: { ...image, commandLine: "console=ttyS0" } } })).toContain("openstack-lab:firstInstance.image.commandLine: needs kernelUrl and ramdiskUrl");
        expect(errorOf({ ...lab, firstInstance: { image, network: { cidr: "203.0.113.26/29" } } })).toContain("openstack-lab:firstInstance.network.cidr: must be a network's own address");
        expect(errorOf({ ...lab, firstInstance: { image, name: "x; reboot" } })).toContain("openstack-lab:firstInstance.name");
    });

    it("takes a built image instead of a url, on a controller container only, with a disk it fits", () => {
        const containerLab = {
            hosts: [{ name: "h", address: "local" }], networks: [{ name: "n", mode: "isolated", bridge: "nbr0", address: "10.0.0.1/24" }],
            containers: [{ name: "ctl", memoryMiB: 2048, nics: [{ network: "n", ip: "10.0.0.4" }] }, { name: "cmp", memoryMiB: 2048, nics: [{ network: "n", ip: "10.0.0.5" }] }],
            controller: { host: "ctl" }, computes: [{ host: "cmp" }],
        };
        const built = { image: { build: "bookworm" }, flavor: { diskGb: 3 } };
        expect(parseLab({ ...containerLab, firstInstance: built }).firstInstance?.image).toEqual({ name: "CirrOS Test Image", build: "bookworm", diskFormat: "qcow2" });
        expect(errorOf({ ...containerLab, firstInstance: { image: {} } })).toContain("openstack-lab:firstInstance.image.url: required: the image's url, or build: bookworm");
        expect(errorOf({ ...containerLab, firstInstance: { ...built, image: { build: "bookworm", url: "http://x/y" } } })).toContain("openstack-lab:firstInstance.image.build: url and build exclude each other");
        expect(errorOf({ ...containerLab, firstInstance: { ...built, image: { build: "bookworm", sha256: "0".repeat(64) } } })).toContain("openstack-lab:firstInstance.image.sha256: comes with build");
        expect(errorOf({ ...containerLab, firstInstance: { image: { build: "bookworm" } } })).toContain("openstack-lab:firstInstance.flavor.diskGb: must be at least 3");
        expect(errorOf({ ...containerLab, firstInstance: { ...built, image: { build: "trixie" } } })).toContain("openstack-lab:firstInstance.image.build");
        // A controller on a host or VM has no mount to read a built image through.
        expect(errorOf({ hosts, controller: { host: "ctl" }, computes: [{ host: "cmp" }], firstInstance: built }))
            .toContain("openstack-lab:firstInstance.image.build: needs the controller on a container (ctl is not one)");
    });
});
