import { TestHost, TestHosts } from "../helpers/testHosts";
import { TestStack } from "../helpers/pulumiCli";

// A value the stack file marks secure stays a Pulumi secret into the state,
// wherever the schema accepts one: nothing of it in plain text in the
// state, the engine's output or its diff; and a secure value where the lab
// could not keep it secret fails before any host is touched.

let hosts: TestHosts;
let h1: TestHost;
let stack: TestStack;

const INI_SECRET = `s3cr'et;$(touch /tmp/olab-pwned)#1@x/y`;
// pulumi config set takes a value from stdin without its last newline.
const FILE_SECRET = "tok\"en-@/$2\nsecond line; $(id)";
/** Each secret as the plain text itself and as JSON writes it. */
const forms = (s: string) => [s, JSON.stringify(s).slice(1, -1), ...s.split("\n").filter((l) => l.length > 6)];

function configure(): void {
    stack.writeConfig(`config:
  openstack-lab:hosts:
    - name: h1
      address: ${h1.address}
      hostKey: ${h1.hostKey}
      packages: []
      services: []
      files:
        /etc/olab/token:
          content: placeholder
          mode: "0600"
      ini:
        /etc/olab/app.conf:
          DEFAULT:
            debug: "true"
`);
    stack.setSecret("openstack-lab:sshPrivateKey", hosts.privateKey);
    stack.setSecret('openstack-lab:hosts[0].ini["/etc/olab/app.conf"].DEFAULT.password', INI_SECRET, { path: true });
    stack.setSecret('openstack-lab:hosts[0].files["/etc/olab/token"].content', FILE_SECRET, { path: true });
}

beforeAll(() => {
    hosts = TestHosts.start(1);
    [h1] = hosts.hosts;
    stack = new TestStack();
    configure();
}, 300_000);

afterAll(() => {
    try {
        stack?.dispose();
    } finally {
        hosts?.stop();
    }
}, 300_000);

describe("secure values in the stack file", () => {
    it("reach the host as set and stay secrets in the state, the output and the diff", () => {
        const up = stack.op("up", ["--diff"], { check: true });
        expect(hosts.ssh(h1, "cat /etc/olab/token")).toBe(FILE_SECRET);
        expect(hosts.ssh(h1, "grep -E '^(debug|password)' /etc/olab/app.conf")).toBe(`debug = true\npassword = ${INI_SECRET}\n`);
        expect(hosts.ssh(h1, "test -e /tmp/olab-pwned && echo ran || echo no")).toBe("no\n");
        const preview = stack.op("preview", ["--diff"], { check: true });
        const state = stack.exportState();
        for (const text of [up.output, preview.output, state]) {
            for (const f of [...forms(INI_SECRET), ...forms(FILE_SECRET)]) expect(text).not.toContain(f);
        }
        // Their shape is there, their values are ciphertext.
        expect(state).toMatch(/"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270"/);
    }, 600_000);

    it("refuses a secure value the lab would keep in plain text, naming the key, before any host", () => {
        stack.setSecret("openstack-lab:packageSource.apt[0]", "deb http://10.241.250.250/debian bookworm main", { path: true });
        try {
            const r = stack.op("preview");
            expect(r.code).not.toBe(0);
            expect(r.output).toContain("openstack-lab:packageSource: holds a secure value, which would reach the state in plain text");
        } finally {
            configure();
        }
    }, 300_000);
});
