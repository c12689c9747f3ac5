import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TestStack } from "../helpers/pulumiCli";
import { RepoServer } from "../helpers/repoServer";

// The `local` lab with its nodes as VMs instead of containers (seed 000's
// shape: CloudInitVM nodes on privatenet and a bare provider segment), through
// the real pulumi CLI on this machine's own libvirt: the control plane on a
// VM, nova-compute on a second VM, the first instance ACTIVE on it. This
// machine has no usable KVM, so both VMs run under TCG and the instance under
// TCG inside one: many times slower than the containers, so on demand only, like the
// controller e2e (scripts/test.sh runs it only when named):
//   npm test -- tests/e2e/vmLab.test.ts
// A machine with KVM runs the same stack at native speed. Each node boots an
// image with its role's packages already installed (built natively by
// scripts/guest-image.sh), since installs under TCG here take about 18 times
// as long as in a container: only configuration, migrations and service
// starts run in the VMs. The nodes' Packages resources find them installed;
// the units the lab runs are left disabled until it has configured them.

const ROOT = path.resolve(__dirname, "../..");
let stack: TestStack;
let images: RepoServer | undefined;
let imageDir: string;
const ROLES = ["controller", "compute"] as const;

const shaOf = (dir: string) => fs.readFileSync(path.join(dir, "base.qcow2.sha256"), "utf8").split(" ")[0];

function image(name: string, dir: string): string {
    return `    - name: ${name}
      path: ${dir}/base.qcow2
      sha256: ${shaOf(dir)}
      kernel:
        kernel: ${dir}/vmlinuz
        initrd: ${dir}/initrd.img
        cmdline: root=/dev/vda console=ttyS0
`;
}

function config(firstInstance = ""): string {
    return `config:
  openstack-lab:hosts:
    - name: local
      address: local
      nestedVirtualization: check
  openstack-lab:networks:
    - name: privatenet
      mode: isolated
      bridge: privatebr0
      address: 10.0.0.1/24
    - name: provider
      mode: isolated
      bridge: providerbr0
  openstack-lab:packageCache: {}
  openstack-lab:images:
${ROLES.map((r) => image(`${r}-node`, path.join(imageDir, r))).join("")}  openstack-lab:vms:
    - name: controller
      role: controller
      image: controller-node
      vcpus: 2
      memoryMiB: 8192
      diskGiB: 20
      bootTimeout: 1800
      nics:
        - {network: privatenet, ip: 10.0.0.4}
        - {network: provider}
    - name: compute
      role: compute
      image: compute-node
      vcpus: 2
      memoryMiB: 4096
      diskGiB: 12
      bootTimeout: 1800
      nics:
        - {network: privatenet, ip: 10.0.0.5}
        - {network: provider}
  openstack-lab:controller:
    host: controller
    apiWorkers: 1
    network:
      providerInterface: nic1
  openstack-lab:computes:
    - host: compute
${firstInstance}`;
}

function output(name: string): string {
    return stack.cli(["stack", "output", name, "--json", "--show-secrets", "--stack", stack.name], { check: true }).stdout;
}

/** A command on a VM as its login user, through ssh with the VM's pinned host key (the stack's outputs). */
function onVm(vm: string, command: string): string {
    const row = (JSON.parse(output("vms")) as Array<{ vm: string; address: string; hostKey: string }>).find((v) => v.vm === vm)!;
    const key = (JSON.parse(output("vmLoginKeys")) as Record<string, string>)[vm];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-vmssh-"));
    try {
        fs.writeFileSync(path.join(dir, "id"), key.endsWith("\n") ? key : `${key}\n`, { mode: 0o600 });
        fs.writeFileSync(path.join(dir, "known_hosts"), `${row.address} ${row.hostKey}\n`);
        return execFileSync("ssh", ["-i", path.join(dir, "id"), "-o", `UserKnownHostsFile=${path.join(dir, "known_hosts")}`, "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", "LogLevel=ERROR", `lab@${row.address}`, command], { encoding: "utf8", maxBuffer: 16 << 20 });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The openstack client on the controller VM with the lab's admin credentials; polls until `until` matches. */
function openstack(args: string, until: RegExp): string {
    const rc = JSON.parse(output("adminrc")) as string;
    return onVm("controller", `${rc}\nfor i in $(seq 1 100); do out=$(openstack ${args} 2>&1); printf '%s\\n' "$out" | grep -qE ${JSON.stringify(until.source)} && break; sleep 6; done; printf '%s\\n' "$out"`);
}

function timed<T>(label: string, f: () => T): T {
    const t0 = Date.now();
    try {
        return f();
    } finally {
        console.log(`vm lab ${label}: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
}

beforeAll(() => {
    // The local lab uses the same bridges and addresses: one of them at a time on a machine.
    const present = ["/var/lib/lxc/controller", "/var/lib/lxc/compute", "/sys/class/net/privatebr0", "/sys/class/net/providerbr0"].filter((p) => fs.existsSync(p));
    if (present.length) throw new Error(`this machine already has a local lab's parts (${present.join(", ")}): destroy that lab first`);
    const build = (...args: string[]) => execFileSync("bash", [path.join(ROOT, "scripts/guest-image.sh"), ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    const list = (...args: string[]) => execFileSync("node", [path.join(ROOT, "scripts/debian-packages.js"), ...args], { encoding: "utf8" }).trim().split("\n");
    const built: Record<string, string> = { instance: build() };
    for (const role of ROLES) built[role] = build(`vm-${role}`, ...list(role), "--", ...list("--units", role));
    // QEMU runs as libvirt-qemu here, and the build's cache is under root's home: the files go where it can read them.
    imageDir = fs.mkdtempSync("/var/tmp/olab-vmlab-image-");
    fs.chmodSync(imageDir, 0o755);
    for (const [name, dir] of Object.entries(built)) {
        const to = name === "instance" ? imageDir : path.join(imageDir, name);
        fs.mkdirSync(to, { recursive: true, mode: 0o755 });
        for (const f of ["base.qcow2", "base.qcow2.sha256", "vmlinuz", "initrd.img"]) fs.copyFileSync(path.join(dir, f), path.join(to, f));
    }
    stack = new TestStack();
    stack.writeConfig(config());
}, 1_800_000);

afterAll(() => {
    try {
        const r = stack?.op("destroy");
        if (r && r.code !== 0) console.log(`destroy failed; the stack's state is kept in ${stack.dir}:\n${r.output.slice(-4000)}`);
        else stack?.dispose();
    } finally {
        images?.stop();
        if (imageDir) fs.rmSync(imageDir, { recursive: true, force: true });
    }
}, 1_800_000);

describe("the local lab with VM nodes under TCG", () => {
    it("brings up the control plane on a VM and nova-compute on another, which the controller lists up", () => {
        const r = timed("up (VMs, controller, compute)", () => stack.op("up"));
        if (r.code !== 0) throw new Error(r.output.slice(-8000));
        expect(r.output).not.toMatch(/warning:/i);
        for (const vm of ["controller", "compute"]) {
            expect(execFileSync("virsh", ["-c", "qemu:///system", "domstate", vm], { encoding: "utf8" }).trim()).toBe("running");
        }
        expect(execFileSync("virsh", ["-c", "qemu:///system", "dumpxml", "controller"], { encoding: "utf8" })).toMatch(/<domain type='qemu'/);
        expect(openstack("compute service list -f value -c Binary -c Host -c State", /nova-compute compute up/)).toMatch(/^nova-compute compute up$/m);
        expect(openstack("network agent list -f value -c Host -c Binary -c Alive", /compute True neutron-linuxbridge-agent/)).toMatch(/^compute True neutron-linuxbridge-agent$/m);
        expect(JSON.parse(output("nodes")).map((n: { node: string; status: string }) => `${n.node} ${n.status}`)).toEqual(["controller up", "compute up"]);
        // The provider NIC is up with no address and waits for no DHCP lease.
        expect(onVm("compute", "ip -4 -o addr show nic1 | wc -l; cat /sys/class/net/nic1/operstate")).toBe("0\nup\n");
    }, 7_200_000);

    it("runs seed 003's first instance ACTIVE on the compute VM", async () => {
        // The image is served on privatenet's host address, which exists only now that the lab made the network.
        images = await RepoServer.serve(imageDir, "10.0.0.1");
        stack.writeConfig(config(`  openstack-lab:firstInstance:
    image:
      name: Debian 12 bookworm
      url: ${images.url}base.qcow2
      sha256: ${shaOf(imageDir)}
      kernelUrl: ${images.url}vmlinuz
      ramdiskUrl: ${images.url}initrd.img
    flavor:
      diskGb: 3
`));
        const r = timed("up (first instance)", () => stack.op("up"));
        if (r.code !== 0) throw new Error(r.output.slice(-8000));
        const first = JSON.parse(output("firstInstance")) as { name: string; status: string };
        expect(first).toMatchObject({ name: "demo-inst1", status: "ACTIVE" });
        // JSON, because Zed's client prints the Host column twice in its value format.
        const rows = JSON.parse(openstack("server list --all-projects --long --name '^demo-inst1$' -f json -c Status -c Host", /"Status": "ACTIVE"/)) as Array<{ Status: string; Host: string }>;
        expect(rows.map((r) => `${r.Status} ${r.Host}`)).toEqual(["ACTIVE compute"]);
    }, 3_600_000);

    it("changes nothing on a second up", () => {
        const r = timed("no-op up", () => stack.op("up", ["--expect-no-changes"]));
        if (r.code !== 0) throw new Error(r.output.slice(-8000));
    }, 1_800_000);

    it("leaves no VM, disk or network behind on destroy", () => {
        const r = timed("destroy", () => stack.op("destroy"));
        if (r.code !== 0) throw new Error(r.output.slice(-8000));
        const virsh = (...a: string[]) => spawnSync("virsh", ["-c", "qemu:///system", ...a], { encoding: "utf8" });
        // libvirtd itself goes with the lab's packages; while it is still there it lists nothing of the lab's.
        const domains = virsh("list", "--all", "--name");
        if (domains.status === 0) expect(domains.stdout.trim()).toBe("");
        expect(fs.existsSync("/sys/class/net/privatebr0")).toBe(false);
        expect(fs.existsSync("/var/lib/libvirt/images/openstack-lab")).toBe(false);
    }, 1_800_000);
});
