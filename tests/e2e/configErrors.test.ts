import * as fs from "fs";
import * as path from "path";
import { TestStack } from "../helpers/pulumiCli";

// Bad stack config fails `pulumi preview` with the keys named, before any
// host is contacted (the hosts below do not exist).

let stack: TestStack;

beforeAll(() => {
    stack = new TestStack();
}, 120_000);

afterAll(() => stack?.dispose(), 120_000);

describe("invalid stack config through the pulumi CLI", () => {
    it("names every offending key and runs no command", () => {
        stack.writeConfig(`config:
  openstack-lab:hosts:
    - name: host
      address: 10.241.250.250
      hostKey: ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX
  openstack-lab:sshPrivateKey: not-used
  openstack-lab:networks:
    - {name: privatenet, mode: isolated, bridge: privatebr0, address: 10.0.0.1/24}
    - {name: other, mode: isolated, bridge: otherbr0, address: 10.0.0.128/25}
  openstack-lab:images:
    - {name: debian, path: /images/debian.qcow2, sha256: ${"a".repeat(64)}}
  openstack-lab:vms:
    - name: controller
      role: controller
      image: debian
      vcpus: 1
      memoryMiB: 1024
      diskGiB: 4
      nics: [{network: nowhere}, {network: privatenet, ip: 10.0.1.4, mac: "02:00:00:00:00:01"}]
    - name: kvm1
      role: compute
      image: debian
      vcpus: 1
      memoryMiB: 1024
      diskGiB: 4
      nics: [{network: privatenet, ip: 10.0.0.5, mac: "02:00:00:00:00:01"}]
`);
        const log = path.join(stack.dir, "commands.log");
        const r = stack.op("preview", [], { env: { OPENSTACK_LAB_COMMAND_LOG: log } });
        expect(r.code).not.toBe(0);
        expect(r.output).toContain("openstack-lab:networks[1].address: 10.0.0.128/25 overlaps networks[0]");
        expect(r.output).toContain("openstack-lab:vms[0].nics[0].network: unknown network nowhere");
        expect(r.output).toContain("openstack-lab:vms[0].nics[1].ip: 10.0.1.4 is outside network privatenet");
        expect(r.output).toContain("openstack-lab:vms[1].nics[0].mac: duplicate MAC 02:00:00:00:00:01");
        expect(fs.existsSync(log)).toBe(false);
    }, 120_000);

    it("refuses a key of the namespace that nothing reads, a misspelt one", () => {
        stack.writeConfig(`config:
  openstack-lab:hosts:
    - {name: host, address: local}
  openstack-lab:firstInstanse:
    image: {url: http://10.241.250.250/cirros.img}
`);
        const r = stack.op("preview", []);
        expect(r.code).not.toBe(0);
        expect(r.output).toMatch(/openstack-lab:firstInstanse: unknown key \(known: hosts, .*firstInstance/);
    }, 120_000);
});
