import * as pulumi from "@pulumi/pulumi";
import type { LabConfig } from "../config/schema";
import type { NetworkConfig } from "../config/vmSchema";
import { BaseImage } from "../providers/baseImage";
import { PhysicalHost } from "./PhysicalHost";
import { LibvirtNetwork } from "./LibvirtNetwork";
import { CloudInitVM } from "./CloudInitVM";
import { VethPatch } from "./VethPatch";
import { ControllerNode, ControllerPasswords } from "./ControllerNode";
import { GeneratedPassword } from "../providers/generatedPassword";
import { passwordNames } from "../config/controllerSchema";

export interface LabArgs {
    config: LabConfig;
    privateKey?: pulumi.Input<string>;
    /** Passwords the stack config sets (secrets); the others are generated. */
    passwords?: Partial<Record<keyof ControllerPasswords, pulumi.Input<string>>>;
}

/** A row of the lab's status table. */
export interface HostSummary {
    host: string;
    address: string;
    osFamily: string;
    kvm: boolean;
    nestedVirtualization: boolean;
    nestedReloadNeeded: boolean;
}

export interface VmSummary {
    vm: string;
    host: string;
    role: string;
    address: string;
    hostKey: string;
}

/** One lab: what a stack file describes. */
export class Lab extends pulumi.ComponentResource {
    public readonly hosts: PhysicalHost[];
    public readonly vms: CloudInitVM[];
    public readonly controller?: ControllerNode;
    public readonly summary: pulumi.Output<HostSummary[]>;
    public readonly vmSummary: pulumi.Output<VmSummary[]>;

    constructor(name: string, args: LabArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:lab:Lab", name, {}, opts);
        const cfg = args.config;
        const parent = { parent: this };
        this.hosts = cfg.hosts.map((h) => new PhysicalHost(h.name, { config: h, privateKey: args.privateKey, packageSource: cfg.packageSource }, parent));
        const hostByName = new Map(cfg.hosts.map((h, i) => [h.name, this.hosts[i]]));
        const hostOf = (n: string | undefined) => n ?? cfg.hosts[0].name;

        const networkConfigs = new Map<string, NetworkConfig>(cfg.networks.map((n) => [n.name, n]));
        const networks = new Map(cfg.networks.map((n) => {
            const host = hostByName.get(hostOf(n.host))!;
            return [n.name, new LibvirtNetwork(`${hostOf(n.host)}-${n.name}`, { connection: host.connection, config: n }, { parent: this, dependsOn: [host] })];
        }));

        const images = new Map<string, BaseImage>();
        const imageOn = (hostName: string, imageName: string): BaseImage => {
            const key = `${hostName}/${imageName}`;
            let img = images.get(key);
            if (!img) {
                const image = cfg.images.find((i) => i.name === imageName)!;
                const host = hostByName.get(hostName)!;
                const hostCfg = cfg.hosts.find((h) => h.name === hostName)!;
                img = new BaseImage(`${hostName}-image-${imageName}`, {
                    connection: host.connection, sha256: image.sha256, path: image.path, url: image.url, dir: hostCfg.vmDir,
                }, { parent: this, dependsOn: [host] });
                images.set(key, img);
            }
            return img;
        };

        this.vms = cfg.vms.map((vm) => {
            const hostName = hostOf(vm.host);
            const host = hostByName.get(hostName)!;
            const hostCfg = cfg.hosts.find((h) => h.name === hostName)!;
            const image = imageOn(hostName, vm.image);
            return new CloudInitVM(vm.name, {
                host: host.connection, hostName, config: vm, networks: networkConfigs,
                image: cfg.images.find((i) => i.name === vm.image)!, baseImage: image.file,
                domainType: host.kvmAvailable.apply((k) => (k ? "kvm" : "qemu")),
                dir: hostCfg.vmDir, lab: name,
            }, { parent: this, dependsOn: vm.nics.map((n) => networks.get(n.network)!) });
        });

        cfg.vethPatches.forEach((p, i) => {
            const host = hostByName.get(hostOf(p.host))!;
            new VethPatch(`${hostOf(p.host)}-patch-${i}`, { connection: host.connection, config: p }, { parent: this, dependsOn: [host, ...this.vms, ...networks.values()] });
        });

        if (cfg.controller) {
            const c = cfg.controller;
            const hostCfg = cfg.hosts.find((h) => h.name === c.host)!;
            const host = hostByName.get(c.host)!;
            const passwords = Object.fromEntries(passwordNames.map((n) => [n,
                args.passwords?.[n] ?? new GeneratedPassword(`${name}-password-${n}`, { length: 24 }, parent).value])) as unknown as ControllerPasswords;
            this.controller = new ControllerNode(`${c.host}-controller`, {
                config: c, connection: host.connection, family: hostCfg.family, address: c.address ?? hostCfg.address, passwords,
            }, { parent: this, dependsOn: [host] });
        }

        this.summary = pulumi.all(this.hosts.map((h, i) => pulumi.all([h.osFamily, h.kvmAvailable, h.nestedVirtualization, h.nestedReloadNeeded])
            .apply(([osFamily, kvm, nested, reload]): HostSummary => ({
                host: cfg.hosts[i].name,
                address: cfg.hosts[i].address,
                osFamily, kvm, nestedVirtualization: nested, nestedReloadNeeded: reload,
            }))));
        this.vmSummary = pulumi.all(this.vms.map((v, i) => v.hostPublicKey.apply((hostKey): VmSummary => ({
            vm: cfg.vms[i].name, host: hostOf(cfg.vms[i].host), role: cfg.vms[i].role, address: v.managementAddress, hostKey,
        }))));
        this.registerOutputs({ summary: this.summary, vms: this.vmSummary });
    }
}
