import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { parseLab, parsePasswords } from "../../config/load";
import { controllerServices, passwordNames } from "../../config/controllerSchema";
import { registered } from "../helpers/mockGraph";
import { configErrorOf } from "../helpers/configError";
import { ControllerNode } from "../../components/ControllerNode";
import { BASE_PASSWORDS, SERVICES } from "../../components/services";
import { packagesOf, unitsOf } from "../../components/services/declaration";
import { renderServicesTable, withServicesTable } from "../../render/servicesTable";

// Each OpenStack service is declared once (components/services/): the config's
// names, the passwords, the firewall table, the test repository's packages and
// the README's table are made from the declarations.

jest.setTimeout(60_000);
const ROOT = path.resolve(__dirname, "../..");
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
const allPasswords = () => Object.fromEntries(passwordNames.map((n) => [n, `${n}-pw-12345`]));

async function build(controller: Record<string, unknown>, passwords = allPasswords()) {
    registered.length = 0;
    const lab = parseLab({ hosts: [{ name: "ctl", address: "10.0.0.11", hostKey: KEY }], controller: { host: "ctl", ...controller } });
    const node = new ControllerNode("ctl-controller", {
        config: lab.controller!, connection: { name: "ctl", address: "10.0.0.11" }, family: "debian", address: "10.0.0.11", passwords,
    });
    await new Promise((resolve) => node.adminrc.apply(resolve));
    await new Promise((r) => setTimeout(r, 50));
    return registered.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic"));
}

describe("service declarations", () => {
    it("name the config's services and, after the controller's own, its passwords, each once", () => {
        expect(controllerServices).toEqual(["keystone", "glance", "placement", "nova", "neutron", "cinder", "heat", "horizon"]);
        expect(passwordNames.slice(0, 3)).toEqual([...BASE_PASSWORDS]);
        expect(passwordNames).toEqual(expect.arrayContaining(["keystoneDb", "novaDb", "nova", "metadataSecret", "heatDomainAdmin"]));
        expect(new Set(passwordNames).size).toBe(passwordNames.length);
        expect(parsePasswords(JSON.stringify({ heatDomainAdmin: "12345678" }))).toEqual({ heatDomainAdmin: "12345678" });
        expect(configErrorOf(() => parsePasswords(JSON.stringify({ octavia: "12345678" })))).toMatch(/openstack-lab:passwords.*octavia/s);
    });

    it("refuse a service list without what a service needs, naming the key", () => {
        expect(configErrorOf(() => parseLab({ hosts: [{ name: "ctl", address: "10.0.0.11", hostKey: KEY }], controller: { host: "ctl", services: ["keystone", "cinder"] } })))
            .toMatch(/openstack-lab:controller\.services.*cinder needs nova/s);
        expect(configErrorOf(() => parseLab({ hosts: [{ name: "ctl", address: "10.0.0.11", hostKey: KEY }], controller: { host: "ctl", config: { horizon: { a: { b: "c" } } } } })))
            .toMatch(/openstack-lab:controller\.config/);
    });

    it("give each family packages, units and a main file", () => {
        for (const s of SERVICES) {
            for (const family of ["debian", "rhel"] as const) {
                const m = s.models.zed[family];
                expect([s.name, family, m.packages.length > 0, m.units.length > 0, m.configFile.startsWith("/etc/")]).toEqual([s.name, family, true, true, true]);
            }
        }
    });

    it("stop the build when a service asks for a password no declaration names", async () => {
        const { heatDomainAdmin: _left, ...passwords } = allPasswords();
        await expect(build({}, passwords)).rejects.toThrow("a service asked for password heatDomainAdmin, which no service declares (components/services/)");
    });

    it("open the base ports and each deployed service's own on the controller's firewall", async () => {
        const resources = await build({ services: ["keystone", "glance", "horizon"], firewall: true });
        const rules = resources.find((r) => r.type.endsWith(":FirewallPorts"))!.inputs.rules;
        expect(rules.map((r: { port: string; protocol: string }) => `${r.port}/${r.protocol}`)).toEqual(["3306/tcp", "5672/tcp", "5000/tcp", "9292/tcp", "80/tcp"]);
    });

    it("are what the README's table of services says", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        // Run `node scripts/services-table.js` after changing a declaration.
        expect(withServicesTable(readme, renderServicesTable(SERVICES))).toBe(readme);
        expect(renderServicesTable(SERVICES)).toMatch(/^\| `neutron` \| .* \| `nova` \| `neutron-server` `neutron-linuxbridge-agent` `neutron-dhcp-agent` `neutron-l3-agent` `neutron-metadata-agent` \| .* \| `9696\/tcp` `4789\/udp` \| `neutronDb` `neutron` `metadataSecret` \|$/m);
        expect(() => withServicesTable("# no table here\n", "x")).toThrow("README.md lacks the services table's markers");
    });

    it("give the test repository every Debian package a role installs", () => {
        const listed = execFileSync("node", [path.join(ROOT, "scripts/debian-packages.js")], { encoding: "utf8" }).trim().split("\n");
        expect(listed).toEqual(expect.arrayContaining([...SERVICES.flatMap((s) => packagesOf(s, "zed", "debian")), "mariadb-server", "nova-compute-kvm", "genisoimage", "tgt", "open-iscsi"]));
        expect(listed).toContain("neutron-dhcp-agent");
        expect(new Set(listed).size).toBe(listed.length);
    });

    it("give each VM node image its role's packages, and the units the lab starts there", () => {
        const list = (...args: string[]) => execFileSync("node", [path.join(ROOT, "scripts/debian-packages.js"), ...args], { encoding: "utf8" }).trim().split("\n");
        const controller = list("controller");
        expect(controller).toEqual(expect.arrayContaining([...SERVICES.flatMap((s) => packagesOf(s, "zed", "debian")), "mariadb-server", "rabbitmq-server", "iptables"]));
        expect(controller).not.toContain("nova-compute");
        expect(list("compute")).toEqual(["nova-compute", "nova-compute-kvm", "neutron-linuxbridge-agent", "genisoimage", "iptables"]);
        expect(list("--units", "controller")).toEqual(expect.arrayContaining([...SERVICES.flatMap((s) => unitsOf(s, "zed", "debian")), "mariadb", "rabbitmq-server", "memcached"]));
        expect(list("--units", "compute")).toEqual(["libvirtd", "nova-compute", "neutron-linuxbridge-agent"]);
        const bad = spawnSync("node", [path.join(ROOT, "scripts/debian-packages.js"), "--units", "storage"], { encoding: "utf8" });
        expect(bad.status).toBe(2);
        expect(bad.stderr).toBe('debian-packages.js: unknown role "storage" (want controller or compute)\n');
    });
});
