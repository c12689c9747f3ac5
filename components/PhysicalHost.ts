import * as pulumi from "@pulumi/pulumi";
import type { PhysicalHostConfig } from "../config/schema";
import { HostFacts } from "../providers/hostFacts";
import { IniFile } from "../providers/iniFile";
import { RemoteFile } from "../providers/remoteFile";
import { KernelModule } from "../providers/kernelModule";
import { Packages } from "../providers/packages";
import { Service } from "../providers/service";
import { Sysctl } from "../providers/sysctl";
import { Bridge } from "../providers/bridge";
import { TapInterface } from "../providers/tapInterface";
import { BRIDGE_NF_SYSCTLS, HOST_SYSCTLS, SYSV_PACKAGES, VIRT_PACKAGES, VIRT_SERVICES } from "./hostPackages";
import { hostConnection } from "./connection";
import type { ConnectionArgs } from "../providers/transport";
import type { PackageSourceConfig } from "../config/controllerSchema";
import { packageSourceResources } from "./packageSource";

export interface PhysicalHostArgs {
    config: PhysicalHostConfig;
    /** SSH private key for hosts reached over SSH (a secret). */
    privateKey?: pulumi.Input<string>;
    /** The lab's package mirror or proxy, set up before any package is installed. */
    packageSource?: PackageSourceConfig;
    /** Packages the host needs for what the lab runs on it (LXC for its containers). */
    extraPackages?: string[];
    /**
     * The stack file marks a value under `hosts` secure. Pulumi names only the
     * top-level key that holds it, so every INI value and file content of the
     * hosts is kept as a secret then.
     */
    secretValues?: boolean;
}

/**
 * Seed 000 sections 1 and 3: the physical host with virtualization
 * packages, IP forwarding, br_netfilter and its bridge sysctls, and the
 * nested-KVM check.
 */
export class PhysicalHost extends pulumi.ComponentResource {
    public readonly connection: pulumi.Output<ConnectionArgs>;
    public readonly nestedVirtualization: pulumi.Output<boolean>;
    public readonly kvmAvailable: pulumi.Output<boolean>;
    public readonly osFamily: pulumi.Output<string>;
    /** True when nested KVM was enabled in /etc/modprobe.d but needs a module reload or reboot. */
    public readonly nestedReloadNeeded: pulumi.Output<boolean>;
    /** Bridges and taps, which libvirt networks and patches may need first. */
    public readonly networkDevices: pulumi.Resource[];

    constructor(name: string, args: PhysicalHostArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:host:PhysicalHost", name, {}, opts);
        const c = args.config;
        const parent = { parent: this };
        const connection = hostConnection(c, args.privateKey);
        this.connection = connection;

        const facts = new HostFacts(`${name}-facts`, { connection }, parent);
        const sources = packageSourceResources(name, c.family, connection, args.packageSource ?? { apt: [] }, this);
        const packages = new Packages(`${name}-packages`, { connection, names: [...(c.packages ?? VIRT_PACKAGES[c.family]), ...(args.extraPackages ?? [])] }, { parent: this, dependsOn: sources });
        const initPackages = new Packages(`${name}-init-packages`, {
            connection,
            names: c.packages ? [] : facts.init.apply((init) => (init === "sysv" ? SYSV_PACKAGES[c.family] : [])),
        }, { parent: this, dependsOn: [packages] });
        for (const unit of c.services ?? VIRT_SERVICES[c.family]) {
            new Service(`${name}-service-${unit}`, { connection, name: unit }, { parent: this, dependsOn: [packages, initPackages] });
        }

        const sysctls = { ...HOST_SYSCTLS, ...Object.fromEntries(Object.entries(c.sysctls).map(([k, v]) => [k, String(v)])) };
        for (const [key, value] of Object.entries(sysctls)) {
            new Sysctl(`${name}-sysctl-${key}`, { connection, key, value }, parent);
        }
        const brNetfilter = new KernelModule(`${name}-module-br_netfilter`, { connection, name: "br_netfilter", presentPath: "/proc/sys/net/bridge" }, parent);
        for (const [key, value] of Object.entries(BRIDGE_NF_SYSCTLS)) {
            new Sysctl(`${name}-sysctl-${key}`, { connection, key, value }, { parent: this, dependsOn: [brNetfilter] });
        }

        if (c.nestedVirtualization === "enable") {
            const kvm = new KernelModule(`${name}-module-kvm-nested`, {
                connection,
                name: facts.kvmModule.apply((m) => {
                    if (!m) throw new Error(`host ${c.name}: nestedVirtualization: enable needs an Intel or AMD CPU`);
                    return m;
                }),
                options: { nested: "1" },
            }, parent);
            this.nestedReloadNeeded = kvm.reloadNeeded;
        } else {
            this.nestedReloadNeeded = pulumi.output(false);
        }

        // Taps first: a bridge may enslave one (seed 000 section 7 puts tap0 in Neutron's bridge).
        const taps = c.taps.map((tap) => new TapInterface(`${name}-tap-${tap}`, { connection, name: tap }, parent));
        const bridges = c.bridges.map((b) => new Bridge(`${name}-bridge-${b.name}`, {
            connection, persist: b.persist,
            spec: { name: b.name, nic: b.nic, mac: b.mac, addresses: b.addresses, gateway: b.gateway },
        }, { parent: this, dependsOn: taps }));
        this.networkDevices = [...taps, ...bridges];

        for (const [path, f] of Object.entries(c.files)) {
            new RemoteFile(`${name}-file-${path}`, { connection, path, ...f, ...(args.secretValues ? { content: pulumi.secret(f.content) } : {}) }, parent);
        }
        for (const [path, settings] of Object.entries(c.ini)) {
            new IniFile(`${name}-ini-${path}`, {
                connection, path, ...(args.secretValues ? { settings: {}, secretSettings: pulumi.secret(settings) } : { settings }),
            }, parent);
        }

        this.nestedVirtualization = facts.nestedEnabled;
        this.kvmAvailable = pulumi.all([facts.kvmDevice, facts.virtExtensions]).apply(([dev, ext]) => dev && ext);
        this.osFamily = facts.osFamily;
        this.registerOutputs({ nestedVirtualization: this.nestedVirtualization, kvmAvailable: this.kvmAvailable });
    }
}
