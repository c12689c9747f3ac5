import { configErrorOf } from "../helpers/configError";
import { parseLab, parsePasswords } from "../../config/load";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
const hosts = [{ name: "ctl", address: "10.0.0.11", hostKey: KEY }, { name: "named", address: "ctl.lab.example", hostKey: KEY }];

const errorOf = configErrorOf;

describe("controller and package source config", () => {
    it("defaults to Zed, RegionOne and the whole control plane", () => {
        const lab = parseLab({ hosts, controller: { host: "ctl" } });
        expect(lab.controller).toEqual({
            host: "ctl", release: "zed", region: "RegionOne", services: ["keystone", "glance", "placement", "nova", "neutron", "cinder", "heat", "horizon"], config: {},
            network: { providerInterface: "eth1" }, apiWorkers: 2, dashboard: { allowedHosts: ["*"], timeZone: "UTC" }, firewall: false,
        });
        expect(lab.packageSource).toEqual({ apt: [] });
    });

    it("names the controller's host when it is not in hosts", () => {
        expect(errorOf(() => parseLab({ hosts, controller: { host: "nowhere" } }))).toContain("openstack-lab:controller.host: no node named nowhere in hosts, vms or containers");
    });

    it("asks for an address when the host has only a name", () => {
        expect(errorOf(() => parseLab({ hosts, controller: { host: "named" } }))).toContain("openstack-lab:controller.address: required");
        expect(parseLab({ hosts, controller: { host: "named", address: "10.0.0.12" } }).controller?.address).toBe("10.0.0.12");
    });

    it("rejects a release, a service and an INI key it does not know, by key", () => {
        const msg = errorOf(() => parseLab({ hosts, controller: { host: "ctl", release: "icehouse", services: ["qpid"], config: { keystone: { token: { "bad key": "1" } } } } }));
        expect(msg).toContain("openstack-lab:controller.release:");
        expect(msg).toContain("openstack-lab:controller.services[0]:");
        expect(msg).toContain(`openstack-lab:controller.config.keystone.token["bad key"]: an INI key name is letters, digits, _ . and -`);
    });

    it("names a service whose dependency is not deployed, and a bad provider interface", () => {
        const msg = errorOf(() => parseLab({ hosts, controller: { host: "ctl", services: ["keystone", "nova", "neutron"], network: { providerInterface: "eth1; reboot" } } }));
        expect(msg).toContain("openstack-lab:controller.services: nova needs glance in the same list");
        expect(msg).toContain("openstack-lab:controller.services: nova needs placement in the same list");
        expect(msg).not.toContain("neutron needs");
        expect(msg).toContain("openstack-lab:controller.network.providerInterface:");
        expect(parseLab({ hosts, controller: { host: "ctl", services: ["keystone", "glance", "placement"] } }).controller?.services).toHaveLength(3);
    });

    it("takes sources.list lines and an http proxy, and names bad ones", () => {
        const ok = parseLab({ hosts, packageSource: { apt: ["deb [trusted=yes] http://10.0.0.1:8080/ ./"], proxy: "http://10.0.0.1:3142" } });
        expect(ok.packageSource.proxy).toBe("http://10.0.0.1:3142");
        const msg = errorOf(() => parseLab({ hosts, packageSource: { apt: ["http://mirror/debian bookworm main"], proxy: "http://x/\";rm -rf /" } }));
        expect(msg).toContain("openstack-lab:packageSource.apt[0]:");
        expect(msg).toContain("openstack-lab:packageSource.proxy:");
    });
});

describe("parsePasswords", () => {
    it("takes the passwords a stack sets and leaves the others to be generated", () => {
        expect(parsePasswords(JSON.stringify({ admin: "a-long-secret" }))).toEqual({ admin: "a-long-secret" });
        expect(parsePasswords(undefined)).toEqual({});
    });

    it("names a short or unknown password key without printing the value", () => {
        const msg = errorOf(() => parsePasswords(JSON.stringify({ admin: "short", novaa: "whatever-long" })));
        expect(msg).toContain("openstack-lab:passwords.admin: must be at least 8 characters");
        expect(msg).toContain("openstack-lab:passwords");
        expect(msg).not.toContain("short\"");
        expect(msg).not.toContain("whatever-long");
    });

    it("takes any one-line service password, a database password without @ or %, and a RabbitMQ one without /, naming the key only", () => {
        const awkward = `a'b"c;d$(id)e$f@g/h#i%j k`;
        expect(parsePasswords(JSON.stringify({ admin: awkward, rabbit: awkward.replace("/", ":"), novaDb: "n'v\"db;$(id)/:?#" }))).toMatchObject({ admin: awkward });
        expect(errorOf(() => parsePasswords(JSON.stringify({ rabbit: "r@b$it:/#;x%" })))).toContain("openstack-lab:passwords.rabbit: must not hold /: oslo.messaging passes it to kombu unescaped");
        const msg = errorOf(() => parsePasswords(JSON.stringify({ keystoneDb: "with@at-sign", novaDb: "100%-sure" })));
        expect(msg).toContain("openstack-lab:passwords.keystoneDb: must not hold @ or %: the database URL cannot carry them");
        expect(msg).toContain("openstack-lab:passwords.novaDb: must not hold @ or %");
        expect(msg).not.toContain("with@at-sign");
        expect(errorOf(() => parsePasswords(JSON.stringify({ admin: "two\nlines-here" })))).toContain("openstack-lab:passwords.admin: must be one line");
    });
});
