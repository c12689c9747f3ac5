import { missingSections, patchIni, readIniKeys, sameValue, validateIniSettings } from "../../render/ini";

const NOVA = `# nova.conf shipped by the package
[DEFAULT]
# The IP address of this host
#my_ip = <host_ipv4>
debug = false

[database]
#connection = <None>

[glance]
api_servers = http://old:9292
`;

describe("patchIni", () => {
    it("keeps comments and unrelated lines, puts a new key after its commented default", () => {
        const out = patchIni(NOVA, { DEFAULT: { my_ip: "10.0.0.4" }, database: { connection: "mysql+pymysql://nova:pw@ctl/nova" } });
        expect(out).toBe(`# nova.conf shipped by the package
[DEFAULT]
# The IP address of this host
#my_ip = <host_ipv4>
my_ip = 10.0.0.4
debug = false

[database]
#connection = <None>
connection = mysql+pymysql://nova:pw@ctl/nova

[glance]
api_servers = http://old:9292
`);
    });

    it("replaces a value in place and leaves the file alone when it is already right", () => {
        const out = patchIni(NOVA, { glance: { api_servers: "http://ctl:9292" } });
        expect(out).toContain("api_servers = http://ctl:9292\n");
        expect(out).not.toContain("old:9292");
        expect(patchIni(NOVA, { DEFAULT: { debug: "false" } })).toBe(NOVA);
    });

    it("appends a missing section at the end and can drop it again", () => {
        const added = patchIni(NOVA, { oslo_concurrency: { lock_path: "/var/lib/nova/tmp" } });
        expect(added.endsWith("\n[oslo_concurrency]\nlock_path = /var/lib/nova/tmp\n")).toBe(true);
        expect(patchIni(added, { oslo_concurrency: { lock_path: null } }, ["oslo_concurrency"])).toBe(NOVA);
    });

    it("writes repeated keys for a list and trims or extends an existing list", () => {
        const text = "[filter]\nenabled = a\nenabled = b\nenabled = c\nother = 1\n";
        expect(patchIni(text, { filter: { enabled: ["x", "y"] } })).toBe("[filter]\nenabled = x\nenabled = y\nother = 1\n");
        expect(patchIni(text, { filter: { enabled: ["a", "b", "c", "d"] } })).toBe("[filter]\nenabled = a\nenabled = b\nenabled = c\nenabled = d\nother = 1\n");
        expect(readIniKeys(text, { filter: ["enabled"] })).toEqual({ filter: { enabled: ["a", "b", "c"] } });
    });

    it("keeps '=' and '%' inside values", () => {
        const value = "rabbit://openstack:p%40ss=word@ctl:5672/?a=b";
        const out = patchIni("", { DEFAULT: { transport_url: value } });
        expect(out).toBe(`[DEFAULT]\ntransport_url = ${value}\n`);
        expect(readIniKeys(out, { DEFAULT: ["transport_url"] }).DEFAULT.transport_url).toBe(value);
    });

    it("removes a key with its continuation lines", () => {
        const text = "[a]\nlong = one\n  two\n  three\nkeep = 1\n";
        expect(readIniKeys(text, { a: ["long"] }).a.long).toBe("one\ntwo\nthree");
        expect(patchIni(text, { a: { long: null } })).toBe("[a]\nkeep = 1\n");
    });

    it("treats sections as case-sensitive and [DEFAULT] as a section like the others", () => {
        const text = "[default]\nx = 1\n[DEFAULT]\nx = 2\n";
        expect(readIniKeys(text, { DEFAULT: ["x"], default: ["x"] })).toEqual({ DEFAULT: { x: "2" }, default: { x: "1" } });
    });

    it("restores exactly: set then put back what was there gives the original text", () => {
        const want = { DEFAULT: { debug: "true", my_ip: "10.0.0.4" }, api: { auth_strategy: "keystone" } };
        const keys = { DEFAULT: ["debug", "my_ip"], api: ["auth_strategy"] };
        const previous = readIniKeys(NOVA, keys);
        const created = missingSections(NOVA, Object.keys(want));
        const patched = patchIni(NOVA, want);
        expect(patched).not.toBe(NOVA);
        expect(patchIni(patched, previous, created)).toBe(NOVA);
    });

    it("creates a file from nothing", () => {
        expect(patchIni(null, { DEFAULT: { a: "1" } })).toBe("[DEFAULT]\na = 1\n");
        expect(patchIni("[DEFAULT]\na = 1\n", { DEFAULT: { a: null } }, ["DEFAULT"])).toBe("");
    });
});

describe("sameValue", () => {
    it("equates a value with a one-element list and tells lists apart by order", () => {
        expect(sameValue("a", ["a"])).toBe(true);
        expect(sameValue(["a", "b"], ["b", "a"])).toBe(false);
        expect(sameValue(null, undefined)).toBe(true);
        expect(sameValue(null, "")).toBe(false);
    });
});

describe("validateIniSettings", () => {
    it("names the key whose value has a newline", () => {
        expect(() => validateIniSettings({ database: { connection: "a\nb" } }, "/etc/nova/nova.conf"))
            .toThrow("/etc/nova/nova.conf: [database] connection: an INI value must be one line (a list repeats the key)");
    });
    it("rejects a key name that would not read back", () => {
        expect(() => validateIniSettings({ s: { "a b": "1" } }, "f")).toThrow("f: [s] a b: an INI key name is letters, digits, _ . and -");
        expect(() => validateIniSettings({ "a]b": { k: "1" } }, "f")).toThrow('f: [a]b]: an INI section name must be one line without "]"');
    });
});
