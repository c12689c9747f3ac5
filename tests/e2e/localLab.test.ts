import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONTAINER_BASE_DIR } from "../../components/Lab";
import { lxcContainerProvider } from "../../providers/lxcContainer";
import { sshKeyPairProvider } from "../../providers/sshKeyPair";
import { THIN_MARK } from "../../providers/thin";
import { q } from "../../providers/transport/quote";
import { AWKWARD_PASSWORDS, expectPasswordsOutOf } from "../helpers/labPasswords";
import { controllerUnits } from "../helpers/controllerUnits";

// The README's first command, for real, on this machine: the embedded
// `local` lab (this machine as the physical host, seed 000's privatenet, a
// controller and a compute node as LXC containers, every package through
// apt-cacher-ng here) comes up as a cloud with seed 003's first instance,
// passes Tempest's smoke tests, takes a key
// change, survives a container stopped and a keypair deleted by hand, and
// destroy puts the machine back. The lab home adds what an operator would
// with `lab.sh config set`: Tempest, seed 000's monitoring and passwords
// holding URL, shell and oslo.config syntax. This is CI's one OpenStack
// (scripts/test.sh): it checks what the controller e2e checks on the
// test's own hosts, except the storage node and a compute node's removal.

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

/** `lab.sh config ARGS` in the test's lab home: what an operator adds to the checkout's stack file. */
function labConfig(args: string[], input?: string): void {
    const r = spawnSync("bash", [path.join(ROOT, "scripts/lab.sh"), "config", ...args], {
        cwd: ROOT, encoding: "utf8", env: { ...process.env, OPENSTACK_LAB_HOME: home }, input,
    });
    if (r.status !== 0) throw new Error(`lab.sh config ${args.join(" ")}: ${r.stderr}`);
}

/** The controller's units, whose MainPIDs say what a change restarted. */
const UNITS = [...controllerUnits(), "prometheus", "collectd"];
// systemctl puts a blank line between units.
const mainPids = () => inside("controller", `systemctl show -p MainPID --value ${UNITS.join(" ")}`).split("\n").filter(Boolean);

/** The state file as the engine wrote it. */
const stateText = () => fs.readFileSync(path.join(home, "state/.pulumi/stacks/openstack-lab/local.json"), "utf8");

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

/** The openstack client on the controller with the lab's admin (or demo) credentials; polls until `until` matches. */
function openstack(args: string, until?: RegExp, rcName = "adminrc"): string {
    const rc = output(rcName);
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
    // The test hosts' own links (scripts/testhosts.sh, scripts/virthost.sh) come and go with the tests in the other lane (scripts/test.sh).
    const testHostLink = /^olab(\d+-[hs]\d+|hub\d+|seg\d+|vh\d+(-p)?)$/;
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
    labConfig(["set", "--path", "openstack-lab:tempest.concurrency", "2"]);
    labConfig(["set", "--path", "openstack-lab:monitoring.host", "controller"]);
    labConfig(["set", "--path", "openstack-lab:monitoring.interval", "5"]);
    labConfig(["set", "--path", "openstack-lab:monitoring.nodes[0].host", "controller"]);
    labConfig(["set", "--path", "openstack-lab:monitoring.nodes[1].host", "compute"]);
    labConfig(["set", "--path", "openstack-lab:monitoring.nodes[1].virt", "true"]);
    for (const [k, v] of Object.entries(AWKWARD_PASSWORDS)) labConfig(["set", "--secret", "--path", `openstack-lab:passwords.${k}`], v);
}, 600_000);

afterAll(() => {
    // No home of its own (beforeAll stopped): nothing of this test's to destroy, and without one
    // lab.sh would take the default home, which may be the operator's own lab.
    if (!home) return;
    // The lab home holds the state: kept (and named) when destroy fails, so nothing made is orphaned.
    const r = lab("lab:destroy");
    if (r.code === 0) fs.rmSync(home, { recursive: true, force: true });
    else console.log(`destroy failed; the lab's state is kept in ${home}`);
}, 900_000);

/** libvirtd processes in this machine's own mount namespace (the VM tests' libvirtd runs in one of its own). */
function machineLibvirtd(): string[] {
    const own = fs.readlinkSync("/proc/self/ns/mnt");
    const pids = (spawnSync("pgrep", ["-x", "libvirtd"], { encoding: "utf8" }).stdout ?? "").split("\n").filter(Boolean);
    return pids.filter((pid) => {
        try {
            return fs.readlinkSync(`/proc/${pid}/ns/mnt`) === own;
        } catch {
            return false; // ended meanwhile
        }
    });
}

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
        expect(inside("controller", `systemctl is-active ${UNITS.join(" ")}`)).toBe("active\n".repeat(UNITS.length));
        expect(lines(openstack("compute service list -f value -c Binary -c Host -c State", /nova-compute compute up/)))
            .toEqual(["nova-compute compute up", "nova-conductor controller up", "nova-scheduler controller up"]);
        // The client prints columns in its own order (Host, Alive, Binary), whatever order -c names them in.
        const agents = lines(openstack("network agent list -f value -c Host -c Binary -c Alive", /compute True neutron-linuxbridge-agent/));
        expect(agents).toEqual(["compute True neutron-linuxbridge-agent", ...["dhcp", "l3", "linuxbridge", "metadata"].map((a) => `controller True neutron-${a}-agent`)].sort());
        expect(inside("controller", "nova-manage cell_v2 list_cells 2>/dev/null | grep -oE ' cell[01] ' | sort | tr -d ' '")).toBe("cell0\ncell1\n");
        expect(openstack("volume service list -f value -c Binary -c State", /cinder-scheduler up/)).toBe("cinder-scheduler up\n");
        // Each heat-engine worker keeps a row of its own: a live one is required.
        expect(lines(openstack("orchestration service list -f value -c Binary -c Status", /heat-engine up/))).toContain("heat-engine up");
        expect(JSON.parse(output("nodes")).map((r: { node: string; status: string }) => `${r.node} ${r.status}`)).toEqual(["controller up", "compute up"]);
        // The container's login key is an output and a secret, and its host key is the one it offers.
        const containers = JSON.parse(output("containers")) as Array<{ vm: string; hostKey: string }>;
        const offered = inside("controller", "cut -d' ' -f1,2 /etc/ssh/ssh_host_ed25519_key.pub").trim();
        expect(containers.find((c) => c.vm === "controller")?.hostKey.split(" ").slice(0, 2).join(" ")).toBe(offered);
    }, 2_400_000);

    it("removes a container whose create fails, which the state would not hold for destroy", async () => {
        const key = (await sshKeyPairProvider.create!({ comment: "olab-failcreate" })).outs as { privateKey: string; publicKey: string };
        const name = "olab-failcreate";
        const create = lxcContainerProvider.create!({
            connection: { name: "local", address: "local" }, name, lxcPath: "/var/lib/lxc",
            spec: { base: `${CONTAINER_BASE_DIR}/bookworm/rootfs`, nics: [], cpus: 1, memoryMiB: 512, mounts: [], autostart: false },
            hostKey: key, authorizedKeys: [key.publicKey], etcHosts: "127.0.0.1 localhost\n",
            // Nothing answers SSH there: the container starts, then the wait for it fails.
            ssh: { name, address: "127.0.0.1", port: 9, user: "root", privateKey: key.privateKey, hostKey: key.publicKey },
            bootTimeout: 5,
        });
        await expect(create).rejects.toThrow(/did not answer SSH[\s\S]*stopped and removed/);
        expect(fs.existsSync(`/var/lib/lxc/${name}`)).toBe(false);
        expect(spawnSync("lxc-info", ["-n", name, "-s"], { encoding: "utf8" }).status).not.toBe(0);
    }, 300_000);

    it("issues tokens to admin and demo, refuses a wrong password with HTTP 401 and serves Horizon's login page", () => {
        expect(openstack("token issue -f value -c id")).toMatch(/^\S+\n$/);
        expect(openstack("token issue -f value -c project_id", undefined, "demorc")).toMatch(/^[0-9a-f]{32}\n$/);
        const wrong = output("adminrc").replace(/^export OS_PASSWORD=.*$/m, "export OS_PASSWORD='wrong; $(id)'");
        expect(inside("controller", `${wrong}\nopenstack token issue 2>&1; echo "exit=$?"`)).toMatch(/HTTP 401[\s\S]*exit=1\n$/);
        expect(lines(openstack("endpoint list -f value -c 'Service Type' -c Interface"))).toEqual(
            ["cloudformation", "compute", "identity", "image", "network", "orchestration", "placement", "volumev3"].flatMap((t) => ["admin", "internal", "public"].map((i) => `${t} ${i}`)));
        expect(lines(openstack("project list -f value -c Name"))).toEqual(["admin", "demo", "service"]);
        const dashboard = output("dashboardUrl");
        expect(dashboard).toBe("http://10.0.0.4/horizon/");
        const page = inside("controller", `python3 -c 'import sys,urllib.request; r=urllib.request.urlopen(sys.argv[1]); print(r.status); print(r.read().decode())' ${dashboard}auth/login/`);
        expect(page.split("\n")[0]).toBe("200");
        // The domain field shows only because the lab turns multi-domain support on.
        expect(page).toContain("id_domain");
    });

    it("keeps the passwords and keys out of plain state", () => {
        const state = stateText();
        expectPasswordsOutOf(state, output("adminrc"));
        const key = output("firstInstanceKey");
        expect(key).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
        expect(state).not.toContain(key.split("\n")[1]);
        // Nor any other private key: the containers' login and host keys, the instance's host key in its user data.
        expect(state).not.toContain("PRIVATE KEY");
    });

    it("runs seed 003's first instance on the compute container, answering ping and SSH with its pinned host key on the provider network", () => {
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
        // SSH as the image's default user with the demo keypair's key, the host key pinned from the
        // stack's output: the instance had it in its user data before its first boot.
        const hostKey = output("firstInstanceHostKey").split(" ").slice(0, 2).join(" ");
        expect(hostKey).toMatch(/^ssh-ed25519 AAAA/);
        // The private key reaches the controller on stdin, never on a command line.
        execFileSync("lxc-attach", ["-n", "controller", "--", "sh", "-c", "umask 077; mkdir -p /root/.olab-e2e; cat > /root/.olab-e2e/id"], { input: output("firstInstanceKey") + "\n" });
        inside("controller", `echo ${q(`${first.address} ${hostKey}`)} > /root/.olab-e2e/known_hosts`);
        const ssh = `${ns} ssh -i /root/.olab-e2e/id -o UserKnownHostsFile=/root/.olab-e2e/known_hosts -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 debian@${first.address} hostname`;
        // Under TCG sshd answers minutes after ping; a wrong host key fails at once and says so.
        const login = inside("controller", `for i in $(seq 1 100); do out=$(${ssh} 2>&1) && { printf '%s\\n' "$out"; exit 0; }; ` +
            `case "$out" in *"Host key verification failed"*|*"REMOTE HOST IDENTIFICATION"*) break;; esac; sleep 5; done; printf 'no login: %s\\n' "$out"`);
        expect(login).toBe("demo-inst1\n");
    }, 1_800_000);

    it("collects both containers' metrics, the instance's among them, into Prometheus (seed 000's monitoring)", () => {
        const url = output("prometheusUrl");
        expect(url).toBe("http://10.0.0.4:9090/");
        // Prometheus' HTTP API, asked on the controller until both targets have been scraped.
        const ask = (api: string, expr: string) => `python3 -c 'import sys,urllib.request,urllib.parse; print(urllib.request.urlopen(sys.argv[1] + sys.argv[2] + urllib.parse.quote(sys.argv[3])).read().decode())' ${url} ${api} '${expr}'`;
        const query = (expr: string) => JSON.parse(inside("controller", `for i in $(seq 1 30); do out=$(${ask("api/v1/query?query=", expr)}); ` +
            `printf '%s' "$out" | grep -q '"node":"compute"' && printf '%s' "$out" | grep -q '"node":"controller"' && break; sleep 2; done; printf '%s' "$out"`)).data.result as Array<{ metric: Record<string, string>; value: [number, string] }>;
        expect(query('up{job="collectd"}').map((r) => `${r.metric.node} ${r.value[1]}`).sort()).toEqual(["compute 1", "controller 1"]);
        expect(query("collectd_load_shortterm").map((r) => r.metric.node).sort()).toEqual(["compute", "controller"]);
        // The virt plugin on the compute container reads the instance's libvirt domain.
        const domain = inside("compute", "virsh list --name").trim();
        expect(domain).toMatch(/^instance-/);
        // Its domain list is read again every minute (collectd's RefreshInterval), so a new domain may take that long to show.
        const virt = JSON.parse(inside("controller", `for i in $(seq 1 40); do out=$(${ask("api/v1/series?match[]=", '{__name__=~"collectd_virt_.+",node="compute"}')}); ` +
            `printf '%s' "$out" | grep -q ${q(domain)} && break; sleep 3; done; printf '%s' "$out"`)).data as Array<Record<string, string>>;
        expect(virt.some((x) => Object.values(x).some((v) => v.includes(domain)))).toBe(true);
    }, 300_000);

    it("passes Tempest's smoke tests (lab.sh verify's default), and the lab is unchanged after", () => {
        // The servers its compute and scenario tests boot are ACTIVE in seconds here (no SSH into them: README), so the whole set fits CI.
        const r = lab("lab:verify");
        console.log(r.output.slice(r.output.indexOf("| service")));
        for (const service of ["identity", "image", "network", "compute", "scenario"]) {
            expect(r.output).toMatch(new RegExp(`^\\| ${service} +\\| +[1-9]\\d* \\| +0 \\|`, "m"));
        }
        expect(r.output).toMatch(/^\| total +\| +\d+ \| +0 \|/m);
        expect(r.code).toBe(0);
        // The records are kept in the lab home.
        expect(fs.readdirSync(path.join(home, "verify")).filter((f) => f.endsWith(".subunit")).length).toBe(1);
        // Tempest's own projects and users are gone with the run.
        expect(lines(openstack("project list -f value -c Name"))).toEqual(["admin", "demo", "service"]);
    }, 1_800_000);

    it("changes nothing and restarts nothing on a second up", () => {
        const pids = mainPids();
        // What an operator runs: lab.sh's up without the engine's preview.
        const started = Date.now();
        const plain = labOk("lab:up");
        console.log(`local lab no-op up: ${((Date.now() - started) / 1000).toFixed(1)} s; state ${(stateText().length / 1024).toFixed(0)} KiB`);
        expect(plain).toMatch(/Resources:\n\s+\d+ unchanged\n\n/);
        // And with the preview that fails a change before it is applied.
        const out = labOk("lab:up", "--", "--expect-no-changes");
        expect(out).toMatch(/\d+ unchanged/);
        expect(mainPids()).toEqual(pids);
        // What the engine recorded per resource: a shim (providers/thin.ts), not the provider's code.
        const state = JSON.parse(stateText());
        const dynamic = state.checkpoint.latest.resources.filter((r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic"));
        expect(dynamic.length).toBeGreaterThan(50);
        for (const r of dynamic) {
            expect(String(r.outputs.__provider)).toContain(THIN_MARK);
            expect(String(r.outputs.__provider).length).toBeLessThan(2048);
        }
    }, 600_000);

    it("changes one Keystone key and restarts Keystone only", () => {
        const pids = mainPids();
        const before = UNITS.map((u, i) => [u, pids[i]]);
        // oslo.config values are strings in the schema; --path alone would store a number.
        labConfig(["set", "--path", "--type", "string", "openstack-lab:controller.config.keystone.token.expiration", "7200"]);
        const out = labOk("lab:up", "--", "--diff");
        expect(out).toMatch(/expiration/);
        // The file and the unit that reads it, nothing else.
        expect(out).toMatch(/~ 2 updated/);
        expect(inside("controller", "sed -n '/^\\[token\\]/,/^\\[/p' /etc/keystone/keystone.conf | grep -E '^(provider|expiration) ' | sort")).toBe("expiration = 7200\nprovider = fernet\n");
        const after = mainPids();
        expect(before.filter(([, pid], i) => after[i] !== pid).map(([u]) => u)).toEqual(["keystone"]);
        expect(openstack("token issue -f value -c expires")).toMatch(/^\S+\n$/);
    }, 600_000);

    it("finds the compute container stopped and the keypair deleted by hand on refresh; up brings both back", () => {
        expect(openstack("keypair delete demo-key; echo deleted", undefined, "demorc")).toBe("deleted\n");
        execFileSync("lxc-stop", ["-n", "compute"]);
        labOk("lab:refresh");
        const r = lab("lab:preview", "--", "--expect-no-changes");
        expect(r.code).not.toBe(0);
        expect(r.output).toMatch(/compute-lxc/);
        expect(r.output).toMatch(/first-instance-keypair/);
        labOk("lab:up");
        expect(execFileSync("lxc-info", ["-n", "compute", "-s", "-H"], { encoding: "utf8" })).toBe("RUNNING\n");
        expect(openstack("compute service list --service nova-compute -f value -c Host -c State", /^compute up$/)).toBe("compute up\n");
        expect(openstack("keypair show demo-key -f value -c name", undefined, "demorc")).toBe("demo-key\n");
    }, 900_000);

    it("leaves the machine as it was on destroy", () => {
        labOk("lab:destroy");
        expect(machineState()).toBe(before);
        // apt-get remove keeps a package's conffiles; the file the lab wrote there is gone.
        expect(fs.existsSync("/etc/apt-cacher-ng/zz_openstack-lab.conf")).toBe(false);
        expect(machineLibvirtd()).toEqual([]);
        expect(spawnSync("pgrep", ["-x", "apt-cacher-ng"]).status).not.toBe(0);
    }, 900_000);
});
