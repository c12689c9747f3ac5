import * as pulumi from "@pulumi/pulumi";
import { parseLab } from "../../config/load";

import { registered, type Registered } from "../helpers/mockGraph";

import { PhysicalHost } from "../../components/PhysicalHost";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";

function output<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => o.apply(resolve));
}

async function build(hostOverrides: Record<string, unknown>, secretValues = false): Promise<{ host: PhysicalHost; byType: (t: string) => Registered[] }> {
    registered.length = 0;
    const cfg = parseLab({ hosts: [{ name: "h1", address: "10.0.0.10", hostKey: KEY, ...hostOverrides }] }).hosts[0];
    const host = new PhysicalHost("h1", { config: cfg, privateKey: pulumi.secret("KEY-MATERIAL"), secretValues });
    await output(host.kvmAvailable);
    await new Promise((r) => setTimeout(r, 50));
    return { host, byType: (t) => registered.filter((r) => r.type.endsWith(`:${t}`)) };
}

describe("PhysicalHost graph", () => {
    it("has the seed's packages, sysctls, br_netfilter and the nested check, and no nested module by default", async () => {
        const { host, byType } = await build({});
        expect(byType("Packages")[0].inputs.names).toContain("libvirt-daemon-system");
        expect(byType("Sysctl").map((s) => [s.inputs.key, s.inputs.value]).sort()).toEqual([
            ["net.bridge.bridge-nf-call-arptables", "1"],
            ["net.bridge.bridge-nf-call-ip6tables", "1"],
            ["net.bridge.bridge-nf-call-iptables", "1"],
            ["net.ipv4.ip_forward", "1"],
        ]);
        expect(byType("KernelModule").map((m) => m.inputs.name)).toEqual(["br_netfilter"]);
        expect(byType("Service").map((s) => s.inputs.name)).toEqual(["virtlogd", "libvirtd"]);
        expect(byType("HostFacts")).toHaveLength(1);
        expect(await output(host.nestedVirtualization)).toBe(false);
    });

    it("enables nested KVM through the vendor's module options when asked", async () => {
        const { byType } = await build({ nestedVirtualization: "enable" });
        const kvm = byType("KernelModule").find((m) => m.inputs.name === "kvm_intel");
        expect(kvm?.inputs.options).toEqual({ nested: "1" });
    });

    it("uses the RHEL family's packages, the config's overrides, extra sysctls and INI files", async () => {
        expect((await build({ family: "rhel" })).byType("Packages")[0].inputs.names).toContain("qemu-kvm");
        const { byType } = await build({
            packages: ["olab-a"], services: ["olab.service"], sysctls: { "vm.swappiness": 10 },
            ini: { "/etc/x.conf": { DEFAULT: { a: "1" } } },
        });
        expect(byType("Packages")[0].inputs.names).toEqual(["olab-a"]);
        expect(byType("Service").map((s) => s.inputs.name)).toEqual(["olab.service"]);
        expect(byType("Sysctl").find((s) => s.inputs.key === "vm.swappiness")?.inputs.value).toBe("10");
        expect(byType("IniFile")[0].inputs).toMatchObject({ path: "/etc/x.conf", settings: { DEFAULT: { a: "1" } } });
    });

    it("hands every resource the pinned host key and the private key, as a secret", async () => {
        const { byType } = await build({});
        const conn = byType("Sysctl")[0].inputs.connection;
        // The engine's marker for a secret value.
        expect(conn[pulumi.runtime.specialSigKey]).toBe(pulumi.runtime.specialSecretSig);
        expect(conn.value).toMatchObject({ name: "h1", address: "10.0.0.10", port: 22, user: "root", hostKey: KEY, privateKey: "KEY-MATERIAL" });
    });

    it("keeps INI values and file contents as secrets when the stack file marks a value under hosts secure", async () => {
        const files = { "/etc/token": { content: "tok" } };
        const ini = { "/etc/app.conf": { DEFAULT: { password: "pw" } } };
        // The mocks receive a secret as the engine does: wrapped with the secret signature.
        const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });
        const plain = await build({ files, ini });
        expect(plain.byType("RemoteFile")[0].inputs.content).toBe("tok");
        expect(plain.byType("IniFile")[0].inputs).toMatchObject({ settings: { DEFAULT: { password: "pw" } } });
        expect(plain.byType("IniFile")[0].inputs.secretSettings).toBeUndefined();
        const kept = await build({ files, ini }, true);
        expect(kept.byType("RemoteFile")[0].inputs.content).toEqual(secret("tok"));
        expect(kept.byType("IniFile")[0].inputs).toMatchObject({ settings: {}, secretSettings: secret({ DEFAULT: { password: "pw" } }) });
    });
});
