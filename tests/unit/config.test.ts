import { configErrorOf } from "../helpers/configError";
import { parseLab, secureLabKeys } from "../../config/load";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
const host = (over: Record<string, unknown> = {}) => ({ name: "host1", address: "10.0.0.10", hostKey: KEY, ...over });

const errorOf = (raw: Record<string, unknown>) => configErrorOf(() => parseLab(raw));

describe("parseLab", () => {
    it("fills defaults for a minimal SSH host", () => {
        const lab = parseLab({ hosts: [host()] });
        expect(lab.hosts[0]).toMatchObject({ port: 22, user: "root", family: "debian", nestedVirtualization: "check", sysctls: {}, ini: {} });
    });

    it("accepts the local machine without a host key", () => {
        expect(parseLab({ hosts: [{ name: "local", address: "local" }] }).hosts[0].address).toBe("local");
    });

    it("names the key of a bad address", () => {
        expect(errorOf({ hosts: [host(), host({ name: "h2", address: "10.0.0.300" })] })).toContain("openstack-lab:hosts[1].address:");
    });

    it("requires a pinned host key for SSH hosts and says how to get one", () => {
        const msg = errorOf({ hosts: [host({ hostKey: undefined })] });
        expect(msg).toContain("openstack-lab:hosts[0].hostKey: required for SSH host 10.0.0.10");
        expect(msg).toContain("ssh-keyscan");
    });

    it("rejects a host key that is not a public key line", () => {
        expect(errorOf({ hosts: [host({ hostKey: "SHA256:abc" })] })).toContain("openstack-lab:hosts[0].hostKey:");
    });

    it("rejects duplicate host names, naming the second", () => {
        expect(errorOf({ hosts: [host(), host({ address: "10.0.0.11" })] }))
            .toContain("openstack-lab:hosts[1].name: duplicate host name host1 (also hosts[0])");
    });

    it("names unknown keys, bad sysctls, bad INI paths and a missing host list", () => {
        expect(errorOf({ hosts: [host({ adress: "x" })] })).toContain("openstack-lab:hosts[0]");
        expect(errorOf({ hosts: [host({ sysctls: { "ip_forward; rm -rf /": 1 } })] })).toContain("openstack-lab:hosts[0].sysctls");
        expect(errorOf({ hosts: [host({ ini: { "etc/nova.conf": {} } })] })).toContain("openstack-lab:hosts[0].ini");
        expect(errorOf({})).toContain("openstack-lab:hosts:");
    });

    it("names a bad INI path, section, key and value in the schema's words, as pulumi config --path writes them", () => {
        expect(errorOf({ hosts: [host({ ini: { "etc/nova.conf": {} } })] })).toContain('openstack-lab:hosts[0].ini["etc/nova.conf"]: must be an absolute path');
        const ini = (s: Record<string, unknown>) => errorOf({ hosts: [host({ ini: { "/etc/nova/nova.conf": s } })] });
        expect(ini({ DEFAULT: { "my key": "1" } })).toContain('openstack-lab:hosts[0].ini["/etc/nova/nova.conf"].DEFAULT["my key"]: an INI key name is letters, digits, _ . and -');
        expect(ini({ "a]b": { k: "1" } })).toContain('openstack-lab:hosts[0].ini["/etc/nova/nova.conf"]["a]b"]: an INI section name must be one line without "]"');
        expect(ini({ DEFAULT: { k: "one\ntwo" } })).toContain('openstack-lab:hosts[0].ini["/etc/nova/nova.conf"].DEFAULT.k: an INI value must be one line (a list repeats the key)');
        expect(errorOf({ hosts: [host()], controller: { host: "host1", config: { nova: { "x\ny": { k: "1" } } } } }))
            .toContain('openstack-lab:controller.config.nova["x\\ny"]: an INI section name must be one line without "]"');
        expect(ini({ DEFAULT: { "my key": "1" } })).not.toContain("Invalid key in record");
    });

    it("accepts secure values under hosts only, where the lab keeps them secret, and names any other key", () => {
        expect(secureLabKeys(["openstack-lab:sshPrivateKey", "openstack-lab:passwords"])).toEqual({ hosts: false });
        expect(secureLabKeys(["openstack-lab:hosts", "other:key"])).toEqual({ hosts: true });
        expect(configErrorOf(() => secureLabKeys(["openstack-lab:networks", "openstack-lab:controller"])))
            .toMatch(/openstack-lab:networks: holds a secure value, which would reach the state in plain text;[^\n]*\n  openstack-lab:controller: holds a secure value/);
    });

    it("lists every problem at once", () => {
        const msg = errorOf({ hosts: [host({ port: 0, user: "Root!" })] });
        expect(msg).toContain("hosts[0].port");
        expect(msg).toContain("hosts[0].user");
    });
});

describe("readLab", () => {
    const { readLab } = require("../../config/load") as typeof import("../../config/load");
    const values: Record<string, unknown> = { hosts: [{ name: "host", address: "local" }] };
    const config = { getObject: <T>(k: string) => values[k] as T | undefined };

    it("reads every key the schema knows and refuses one it does not, naming it", () => {
        expect(readLab(config, { "openstack-lab:hosts": "[]", "openstack-lab:sshPrivateKey": "x", "other:key": "1" }).hosts[0].name).toBe("host");
        expect(() => readLab(config, { "openstack-lab:hosts": "[]", "openstack-lab:computess": "[]" }))
            .toThrow(/openstack-lab:computess: unknown key \(known: hosts, networks, .*computes, gateway, storage, firstInstance, monitoring, tempest, sshPrivateKey, passwords\)/);
    });
});
