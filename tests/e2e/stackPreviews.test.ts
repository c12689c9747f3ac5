import * as fs from "fs";
import * as path from "path";
import { parse, stringify } from "yaml";
import { TestHost, TestHosts } from "../helpers/testHosts";
import { TestStack } from "../helpers/pulumiCli";

// The stack files of both seeds' labs, previewed through the real pulumi CLI
// with namespace hosts standing in for their machines (seed 000's host;
// seed 003's cn43, cn44 and cn45). Preview plans the whole lab (VMs,
// controller, compute nodes) and runs no command on any host.

let hosts: TestHosts;

beforeAll(() => {
    hosts = TestHosts.start(3);
}, 600_000);

afterAll(() => hosts?.stop(), 600_000);

/** The stack file with its hosts pointed at the test hosts, in order. */
function standIn(stack: string, standIns: TestHost[]): string {
    const file = parse(fs.readFileSync(path.join(__dirname, "../..", `Pulumi.${stack}.yaml`), "utf8"));
    file.config["openstack-lab:hosts"].forEach((h: Record<string, unknown>, i: number) => {
        Object.assign(h, { address: standIns[i].address, hostKey: standIns[i].hostKey, user: "root" });
    });
    return stringify(file);
}

function previewOf(stack: string, standIns: TestHost[]): { output: string; commands: string } {
    const s = new TestStack();
    try {
        s.writeConfig(standIn(stack, standIns));
        s.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
        const log = path.join(s.dir, "commands.log");
        const r = s.op("preview", [], { env: { OPENSTACK_LAB_COMMAND_LOG: log } });
        if (r.code !== 0) throw new Error(r.output);
        return { output: r.stdout, commands: fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "" };
    } finally {
        s.dispose();
    }
}

/** A resource name pattern; STACK- stands for the test stack's own name, which the lab's resources begin with. */
const stackNamed = (name: string) => name.replace(/^STACK-/, "t[0-9a-f]{8}-");

describe("stack files under pulumi preview", () => {
    it("dev plans seed 000's VMs, the controller on its VM, three compute nodes, the storage node, the gateway and its monitoring, touching nothing", () => {
        const { output, commands } = previewOf("dev", hosts.hosts.slice(0, 1));
        for (const name of ["gateway", "storage", "controller", "kvm1", "kvm2", "controller-controller", "kvm1-compute", "kvm2-compute", "host-compute", "storage-storage", "host-patch-0", "gateway-gateway", "STACK-monitoring"]) {
            expect(output).toMatch(new RegExp(`\\+ +openstack-lab:[a-z]+:[A-Za-z]+ +${stackNamed(name)} +create`));
        }
        expect(output).toMatch(/\+ \d{3,} to create/);
        expect(commands).toBe("");
    }, 900_000);

    it("alice plans seed 003's head node, its two compute nodes and the first instance, touching nothing", () => {
        const { output, commands } = previewOf("alice", hosts.hosts);
        for (const name of ["cn43", "cn44", "cn45", "cn43-controller", "cn44-compute", "cn45-compute", "STACK-first-instance"]) {
            expect(output).toMatch(new RegExp(`\\+ +openstack-lab:[a-z]+:[A-Za-z]+ +${stackNamed(name)} +create`));
        }
        expect(commands).toBe("");
    }, 900_000);
});
