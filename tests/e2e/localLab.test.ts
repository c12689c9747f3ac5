import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { THIN_MARK } from "../../providers/thin";

// The README's first command, for real, on this machine: the embedded
// `local` lab (this machine as the physical host, seed 000's privatenet, a
// controller and a compute node as LXC containers, every package through
// apt-cacher-ng here) comes up as a cloud with seed 003's first instance,
// survives a container stopped by hand, and destroy puts the machine back.

const ROOT = path.resolve(__dirname, "../..");
let home: string;

function lab(...args: string[]): { code: number; output: string } {
    const r = spawnSync("npm", ["run", "--silent", ...args], {
        cwd: ROOT, encoding: "utf8", env: { ...process.env, OPENSTACK_LAB_HOME: home }, maxBuffer: 64 << 20,
    });
    return { code: r.status ?? -1, output: r.stdout + r.stderr };
}

function labOk(...args: string[]): string {
    const r = lab(...args);
    if (r.code !== 0) throw new Error(`npm run ${args.join(" ")} failed (${r.code}):\n${r.output.slice(-6000)}`);
    return r.output;
}

function output(name: string): string {
    const r = spawnSync("bash", [path.join(ROOT, "scripts/lab.sh"), "output", name, "--show-secrets"], {
        cwd: ROOT, encoding: "utf8", env: { ...process.env, OPENSTACK_LAB_HOME: home },
    });
    if (r.status !== 0) throw new Error(`lab.sh output ${name}: ${r.stderr}`);
    return r.stdout.replace(/\n$/, "");
}

/** A command inside a container, through LXC (the test does not need the container's SSH key for this). */
function inside(container: string, script: string): string {
    return execFileSync("lxc-attach", ["-n", container, "--", "sh", "-c", script], { encoding: "utf8", maxBuffer: 16 << 20 });
}

/** The openstack client on the controller with the lab's admin credentials; polls until `until` matches. */
function openstack(args: string, until?: RegExp): string {
    const rc = output("adminrc");
    const loop = until
        ? `for i in $(seq 1 60); do out=$(openstack ${args} 2>&1); printf '%s\\n' "$out" | grep -qE ${JSON.stringify(until.source)} && break; sleep 3; done; printf '%s\\n' "$out"`
        : `openstack ${args}`;
    return inside("controller", `${rc}\n${loop}`);
}

const lines = (s: string) => s.split("\n").filter(Boolean).sort();

/**
 * What destroy must give back: packages, kernel parameters, drop-in files,
 * containers and their directories, network links, iptables rules. apt-cacher-ng's
 * cache is kept on purpose (as `apt-get remove` keeps it): it is what makes the next build warm.
 */
function machineState(): string {
    const packages = execFileSync("dpkg-query", ["-W", "-f=${Package} ${db:Status-Status}\n"], { encoding: "utf8" })
        .split("\n").filter((l) => l.endsWith(" installed")).sort().join("\n");
    const sysctls = ["net/ipv4/ip_forward", "net/bridge/bridge-nf-call-iptables", "net/bridge/bridge-nf-call-ip6tables", "net/bridge/bridge-nf-call-arptables"]
        .map((k) => `${k}=${fs.existsSync(`/proc/sys/${k}`) ? fs.readFileSync(`/proc/sys/${k}`, "utf8").trim() : "absent"}`).join("\n");
    const listing = (d: string) => (fs.existsSync(d) ? fs.readdirSync(d).map((f) => `${d}/${f}`) : [`${d} absent`]);
    const files = ["/etc/sysctl.d", "/etc/modules-load.d", "/var/lib/lxc", "/var/lib/openstack-lab"].flatMap(listing).sort().join("\n");
    // The test hosts' own links (scripts/testhosts.sh) come and go with the tests in the other lane (scripts/test.sh).
    const testHostLink = /^olab(\d+-[hs]\d+|hub\d+|seg\d+)$/;
    const links = execFileSync("ip", ["-o", "link", "show"], { encoding: "utf8" }).split("\n").map((l) => l.split(":")[1]?.trim().split("@")[0])
        .filter((l) => l && !testHostLink.test(l)).sort().join("\n");
    // libvirtd adds the jumps to its own top-level chains when it first starts and leaves them when
    // it stops (empty chains); the lab's rules are the networks' rules inside them, and those must go.
    const iptables = spawnSync("iptables-save", [], { encoding: "utf8" }).stdout?.split("\n")
        .filter((l) => l.startsWith("-A") && !/^-A \S+ -j LIBVIRT_(PRT|INP|OUT|FWX|FWI|FWO)$/.test(l)).sort().join("\n") ?? "";
    return [packages, sysctls, files, links, iptables].join("\n--\n");
}

let before: string;

beforeAll(() => {
    // Another lab home's local lab (a run still going, or one left up) would be taken for the machine as it
    // was, and its containers and bridges would stand in this lab's way: stop before anything starts, saying so.
    const present = ["/var/lib/lxc/controller", "/var/lib/lxc/compute", "/sys/class/net/privatebr0", "/sys/class/net/providerbr0"].filter((p) => fs.existsSync(p));
    if (present.length) throw new Error(`this machine already has a local lab's parts (${present.join(", ")}): destroy that lab first (npm run lab:destroy with its OPENSTACK_LAB_HOME)`);
    home = fs.mkdtempSync(path.join(os.tmpdir(), "olab-home-"));
    before = machineState();
});

afterAll(() => {
    // No home of its own (beforeAll stopped): nothing of this test's to destroy, and without one
    // lab.sh would take the default home, which may be the operator's own lab.
    if (!home) return;
    // The lab home holds the state: kept (and named) when destroy fails, so nothing made is orphaned.
    const r = lab("lab:destroy");
    if (r.code === 0) fs.rmSync(home, { recursive: true, force: true });
    else console.log(`destroy failed; the lab's state is kept in ${home}`);
}, 900_000);

describe("the local lab (README's first command)", () => {
    it("brings up a controller and a compute container that the controller lists up", () => {
        const started = Date.now();
        const out = labOk("lab:up");
        console.log(`local lab up: ${((Date.now() - started) / 1000).toFixed(1)} s`);
        // A normal run warns of nothing (no undefined outputs, no stray engine warnings).
        expect(out).not.toMatch(/warning:/i);
        for (const c of ["controller", "compute"]) {
            expect(execFileSync("lxc-info", ["-n", c, "-s", "-H"], { encoding: "utf8" })).toBe("RUNNING\n");
        }
        expect(inside("compute", "cat /etc/apt/apt.conf.d/90openstack-lab-proxy")).toContain('Acquire::http::Proxy "http://10.0.0.1:3142"');
        expect(lines(openstack("compute service list -f value -c Binary -c Host -c State", /nova-compute compute up/)))
            .toEqual(["nova-compute compute up", "nova-conductor controller up", "nova-scheduler controller up"]);
        // The client prints columns in its own order (Host, Alive, Binary), whatever order -c names them in.
        expect(lines(openstack("network agent list -f value -c Host -c Binary -c Alive", /compute True neutron-linuxbridge-agent/)))
            .toContain("compute True neutron-linuxbridge-agent");
        expect(JSON.parse(output("nodes")).map((r: { node: string; status: string }) => `${r.node} ${r.status}`)).toEqual(["controller up", "compute up"]);
        // The container's login key is an output and a secret, and its host key is the one it offers.
        const containers = JSON.parse(output("containers")) as Array<{ vm: string; hostKey: string }>;
        const offered = inside("controller", "cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub").trim();
        expect(containers.find((c) => c.vm === "controller")?.hostKey.split(" ").slice(0, 2).join(" ")).toBe(offered);
    }, 2_400_000);

    // SSH into the instance is not asserted yet: under TCG here its console log did not show
    // cloud-init's host keys within 8 minutes of answering ping, and they are what pins the login.
    it("runs seed 003's first instance on the compute container, answering ping on the provider network", () => {
        const first = JSON.parse(output("firstInstance")) as { name: string; status: string; address: string };
        expect(first).toMatchObject({ name: "demo-inst1", status: "ACTIVE" });
        expect(first.address).toMatch(/^203\.0\.113\.(2[6-9]|30)$/);
        // The demo user's server: admin finds it across projects.
        const [, host] = openstack("server list --all-projects --long --name '^demo-inst1$' -f value -c ID -c Host").trim().split(" ");
        expect(host).toBe("compute");
        // From the controller's side of the provider network: the DHCP agent's namespace there.
        const net = openstack("network show demo-net -f value -c id").trim();
        const ns = `ip netns exec qdhcp-${net}`;
        expect(inside("controller", `for i in $(seq 1 100); do ${ns} ping -c 1 -W 2 ${first.address} >/dev/null 2>&1 && { echo reachable; exit 0; }; sleep 3; done; echo unreachable`)).toBe("reachable\n");
    }, 900_000);

    it("changes nothing on a second up", () => {
        const out = labOk("lab:up", "--", "--expect-no-changes");
        expect(out).toMatch(/\d+ unchanged/);
        // What the engine recorded per resource: a shim (providers/thin.ts), not the provider's code.
        const state = JSON.parse(fs.readFileSync(path.join(home, "state/.pulumi/stacks/openstack-lab/local.json"), "utf8"));
        const dynamic = state.checkpoint.latest.resources.filter((r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic"));
        expect(dynamic.length).toBeGreaterThan(50);
        for (const r of dynamic) {
            expect(String(r.outputs.__provider)).toContain(THIN_MARK);
            expect(String(r.outputs.__provider).length).toBeLessThan(2048);
        }
    }, 600_000);

    it("finds the compute container stopped by hand on refresh; up starts it and Nova lists it up again", () => {
        execFileSync("lxc-stop", ["-n", "compute"]);
        labOk("lab:refresh");
        const r = lab("lab:preview", "--", "--expect-no-changes");
        expect(r.code).not.toBe(0);
        expect(r.output).toMatch(/compute-lxc/);
        labOk("lab:up");
        expect(execFileSync("lxc-info", ["-n", "compute", "-s", "-H"], { encoding: "utf8" })).toBe("RUNNING\n");
        expect(openstack("compute service list --service nova-compute -f value -c Host -c State", /^compute up$/)).toBe("compute up\n");
    }, 900_000);

    it("leaves the machine as it was on destroy", () => {
        labOk("lab:destroy");
        expect(machineState()).toBe(before);
        // apt-get remove keeps a package's conffiles; the file the lab wrote there is gone.
        expect(fs.existsSync("/etc/apt-cacher-ng/zz_openstack-lab.conf")).toBe(false);
        expect(spawnSync("pgrep", ["-x", "libvirtd"]).status).not.toBe(0);
        expect(spawnSync("pgrep", ["-x", "apt-cacher-ng"]).status).not.toBe(0);
    }, 900_000);
});
