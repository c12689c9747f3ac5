import * as pulumi from "@pulumi/pulumi";
import type { LabConfig } from "../config/schema";
import type { NetworkConfig } from "../config/vmSchema";
import { BaseImage } from "../providers/baseImage";
import { extraDiskTarget } from "../providers/cloudInitVm";
import { PhysicalHost } from "./PhysicalHost";
import { LibvirtNetwork } from "./LibvirtNetwork";
import { CloudInitVM } from "./CloudInitVM";
import { VethPatch } from "./VethPatch";
import { ControllerNode, ControllerPasswords } from "./ControllerNode";
import { ComputeNode } from "./ComputeNode";
import { StorageNode } from "./StorageNode";
import { GatewayNode } from "./GatewayNode";
import { FirstInstance, type FetchableFirstInstance } from "./FirstInstance";
import { TempestWorkspace } from "./TempestWorkspace";
import { Monitoring } from "./Monitoring";
import { GeneratedPassword } from "../providers/generatedPassword";
import { passwordNames } from "../config/controllerSchema";
import { HostFacts } from "../providers/hostFacts";
import { NodeStatus } from "../providers/nodeStatus";
import type { ConnectionArgs } from "../providers/transport";
import { packageSourceResources } from "./packageSource";
import { LabNode, LabNodes } from "./labNodes";
import { SystemContainer } from "./SystemContainer";
import { ContainerBase } from "../providers/containerBase";
import { PackageCache } from "./PackageCache";
import type { PackageSourceConfig } from "../config/controllerSchema";
import { builtGuestImage, guestImageFiles } from "./builtGuestImage";
import { GuestDeletes } from "./guestDeletes";
import { HostCommand } from "../providers/hostCommand";
import { labDirectory } from "../render/hostSteps";

/** Where Debian packages come from, for container bases and the package cache. */
export const DEBIAN_MIRROR = "http://deb.debian.org/debian";
/** Where containers' base root filesystems are built on their host. */
export const CONTAINER_BASE_DIR = "/var/lib/openstack-lab/container-base";
/** The host's own packages for running containers (LXC) and building their base (debootstrap). */
export const CONTAINER_HOST_PACKAGES = ["lxc", "debootstrap"];
/** What scripts/guest-image.sh needs beyond debootstrap, on the host that builds the first instance's image. */
export const GUEST_IMAGE_HOST_PACKAGES = ["qemu-utils", "e2fsprogs"];
/**
 * What every container base has beyond debootstrap's minimal one: what a lab node is driven with.
 * sudo because OpenStack's packages depend on it and its removal script refuses to run on a
 * host whose root has no password: the base has it, so no destroy removes it.
 */
export const CONTAINER_BASE_PACKAGES = ["systemd-sysv", "sudo", "openssh-server", "python3", "iproute2", "kmod", "procps", "dbus", "iptables", "iputils-ping", "ca-certificates"];

export interface LabArgs {
    config: LabConfig;
    privateKey?: pulumi.Input<string>;
    /** Passwords the stack config sets (secrets); the others are generated. */
    passwords?: Partial<Record<keyof ControllerPasswords, pulumi.Input<string>>>;
    /** The stack file marks a value under `openstack-lab:hosts` secure. */
    secretHostValues?: boolean;
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
    public readonly containers: SystemContainer[] = [];
    /** The package cache the lab's nodes install through. */
    public readonly packageCache?: PackageCache;
    public readonly controller?: ControllerNode;
    public readonly computes: ComputeNode[] = [];
    /** Seed 000's storage VM: cinder-volume on LVM. */
    public readonly storage?: StorageNode;
    /** Seed 003's node table, as the controller lists the nodes' services. */
    public readonly nodeStatus?: NodeStatus;
    public readonly gateway?: GatewayNode;
    /** Seed 000's metrics: collectd on the nodes, Prometheus on the gateway. */
    public readonly monitoring?: Monitoring;
    /** Seed 003's first instance, launched by the demo user. */
    public readonly firstInstance?: FirstInstance;
    /** `lab.sh verify`'s Tempest on the controller. */
    public readonly tempest?: TempestWorkspace;
    public readonly summary: pulumi.Output<HostSummary[]>;
    public readonly vmSummary: pulumi.Output<VmSummary[]>;
    public readonly containerSummary: pulumi.Output<VmSummary[]>;

    constructor(name: string, args: LabArgs, opts?: pulumi.ComponentResourceOptions) {
        const guestDeletes = new GuestDeletes();
        // First, so that a caller's own transformations see what it set.
        super("openstack-lab:lab:Lab", name, {}, { ...opts, transformations: [guestDeletes.transformation, ...(opts?.transformations ?? [])] });
        const cfg = args.config;
        const parent = { parent: this };
        const hostOf = (n: string | undefined) => n ?? cfg.hosts[0].name;
        const runsContainers = (host: string) => cfg.containers.some((c) => hostOf(c.host) === host);
        // firstInstance.image.build: the image is built where the controller container runs (the schema checks it is one).
        const guestBuild = cfg.firstInstance?.image.build;
        const controllerContainer = guestBuild ? cfg.containers.find((c) => c.name === cfg.controller?.host) : undefined;
        const guestBuildHost = controllerContainer ? hostOf(controllerContainer.host) : undefined;
        this.hosts = cfg.hosts.map((h) => new PhysicalHost(h.name, {
            config: h, privateKey: args.privateKey, packageSource: cfg.packageSource, secretValues: args.secretHostValues,
            extraPackages: [...(runsContainers(h.name) ? CONTAINER_HOST_PACKAGES : []), ...(guestBuildHost === h.name ? GUEST_IMAGE_HOST_PACKAGES : [])],
        }, parent));
        const hostByName = new Map(cfg.hosts.map((h, i) => [h.name, this.hosts[i]]));

        const networkConfigs = new Map<string, NetworkConfig>(cfg.networks.map((n) => [n.name, n]));
        const networks = new Map(cfg.networks.map((n) => {
            const host = hostByName.get(hostOf(n.host))!;
            return [n.name, new LibvirtNetwork(`${hostOf(n.host)}-${n.name}`, { connection: host.connection, config: n }, { parent: this, dependsOn: [host] })];
        }));

        // The package cache listens on the host's address of each lab network there.
        const cacheHost = cfg.packageCache ? hostOf(cfg.packageCache.host) : undefined;
        const hostAddressOn = (net: NetworkConfig) => net.address?.split("/")[0];
        if (cfg.packageCache) {
            const host = hostByName.get(cacheHost!)!;
            const local = cfg.networks.filter((n) => hostOf(n.host) === cacheHost && hostAddressOn(n));
            this.packageCache = new PackageCache(`${cacheHost}-package-cache`, {
                connection: host.connection, port: cfg.packageCache.port, listen: local.map((n) => hostAddressOn(n)!), debianMirror: DEBIAN_MIRROR,
            }, { parent: this, dependsOn: [host, ...local.map((n) => networks.get(n.name)!)] });
        }
        /** A node's package source: the lab's, with the cache as its proxy when the node sits on one of the cache's networks. */
        const sourceFor = (nodeHost: string, nics: Array<{ network?: string; ip?: string }>): PackageSourceConfig => {
            if (!this.packageCache || cfg.packageSource.proxy || nodeHost !== cacheHost) return cfg.packageSource;
            const net = nics.map((n) => (n.network && n.ip ? networkConfigs.get(n.network) : undefined)).find((n) => n && hostAddressOn(n));
            return net ? { ...cfg.packageSource, proxy: this.packageCache.proxyUrl(hostAddressOn(net)!) } : cfg.packageSource;
        };
        const cacheReady = (nodeHost: string) => (this.packageCache && nodeHost === cacheHost ? this.packageCache.ready : []);

        const bases = new Map<string, ContainerBase>();
        const baseOn = (hostName: string, release: string): ContainerBase => {
            const key = `${hostName}/${release}`;
            let base = bases.get(key);
            if (!base) {
                const host = hostByName.get(hostName)!;
                base = new ContainerBase(`${hostName}-container-base-${release}`, {
                    connection: host.connection, release, dir: `${CONTAINER_BASE_DIR}/${release}`,
                    mirror: DEBIAN_MIRROR, include: CONTAINER_BASE_PACKAGES,
                    ...(this.packageCache && hostName === cacheHost ? { proxy: this.packageCache.proxyUrl("127.0.0.1") } : {}),
                }, { parent: this, dependsOn: [host, ...cacheReady(hostName)] });
                bases.set(key, base);
            }
            return base;
        };
        const guestImage = guestBuild && guestBuildHost ? builtGuestImage(`${guestBuildHost}-guest-image-${guestBuild}`, {
            connection: hostByName.get(guestBuildHost)!.connection, release: guestBuild, mirror: DEBIAN_MIRROR,
            ...(this.packageCache && guestBuildHost === cacheHost ? { proxy: this.packageCache.proxyUrl("127.0.0.1") } : {}),
        }, { parent: this, dependsOn: [hostByName.get(guestBuildHost)!, ...cacheReady(guestBuildHost)] }) : undefined;
        for (const ct of cfg.containers) {
            const hostName = hostOf(ct.host);
            const hostCfg = cfg.hosts.find((h) => h.name === hostName)!;
            const host = hostByName.get(hostName)!;
            const withImage = guestImage && ct === controllerContainer;
            const container = new SystemContainer(ct.name, {
                host: host.connection, hostIsLocal: hostCfg.address === "local", networks: networkConfigs,
                config: withImage ? { ...ct, mounts: [...ct.mounts, { source: guestImage.dir, target: guestImage.dir, readOnly: true }] } : ct,
                base: baseOn(hostName, ct.release).rootfs, lab: name,
            }, { parent: this, dependsOn: [host, ...host.networkDevices, ...ct.nics.flatMap((n) => (n.network ? [networks.get(n.network)!] : [])), ...(withImage ? [guestImage.step] : [])] });
            guestDeletes.add(container.connection, container.container);
            this.containers.push(container);
        }

        // Each host's VM directory: the VMs' disks and the images go in, and it goes once they have.
        const vmDirs = new Map<string, HostCommand>();
        const vmDirOn = (hostName: string): HostCommand => {
            let step = vmDirs.get(hostName);
            if (!step) {
                const hostCfg = cfg.hosts.find((h) => h.name === hostName)!;
                step = new HostCommand(`${hostName}-vm-dir`, {
                    connection: hostByName.get(hostName)!.connection, ...labDirectory("the lab's VM directory", hostCfg.vmDir),
                }, { parent: this, dependsOn: [hostByName.get(hostName)!] });
                vmDirs.set(hostName, step);
            }
            return step;
        };
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
                }, { parent: this, dependsOn: [host, vmDirOn(hostName)] });
                images.set(key, img);
            }
            return img;
        };

        this.vms = cfg.vms.map((vm) => {
            const hostName = hostOf(vm.host);
            const host = hostByName.get(hostName)!;
            const hostCfg = cfg.hosts.find((h) => h.name === hostName)!;
            const image = imageOn(hostName, vm.image);
            const made = new CloudInitVM(vm.name, {
                host: host.connection, hostName, hostIsLocal: hostCfg.address === "local", config: vm, networks: networkConfigs,
                image: cfg.images.find((i) => i.name === vm.image)!, baseImage: image.file,
                domainType: host.kvmAvailable.apply((k) => (k ? "kvm" : "qemu")),
                dir: hostCfg.vmDir, lab: name,
            }, { parent: this, dependsOn: [vmDirOn(hostName), ...vm.nics.map((n) => networks.get(n.network)!)] });
            guestDeletes.add(made.connection, made.domain);
            return made;
        });

        cfg.vethPatches.forEach((p, i) => {
            const host = hostByName.get(hostOf(p.host))!;
            new VethPatch(`${hostOf(p.host)}-patch-${i}`, { connection: host.connection, config: p }, { parent: this, dependsOn: [host, ...this.vms, ...networks.values()] });
        });

        // Every role runs on a node by name: a hosts[] entry, one of the lab's VMs (seed 000's
        // controller, kvm1 and kvm2) or one of its containers.
        const nodes = new LabNodes();
        cfg.hosts.forEach((hc, i) => nodes.add(hc.name, () => {
            const host = this.hosts[i];
            return { connection: host.connection, family: hc.family, address: hc.address, kvmAvailable: host.kvmAvailable, ready: [host] };
        }));
        /** A VM or container: Debian, its own facts, and its package source before anything is installed. */
        const guestNode = (nodeName: string, connection: pulumi.Output<ConnectionArgs>, address: string, made: pulumi.Resource, nodeHost: string, nics: Array<{ network?: string; ip?: string }>): LabNode => {
            const facts = new HostFacts(`${nodeName}-facts`, { connection }, { parent: this, dependsOn: [made] });
            const sources = packageSourceResources(nodeName, "debian", connection, sourceFor(nodeHost, nics), this);
            return {
                connection, family: "debian", address,
                kvmAvailable: pulumi.all([facts.kvmDevice, facts.virtExtensions]).apply(([dev, ext]) => dev && ext),
                ready: [made, facts, ...sources, ...cacheReady(nodeHost)],
            };
        };
        cfg.vms.forEach((v, i) => nodes.add(v.name, () => guestNode(v.name, this.vms[i].connection, this.vms[i].managementAddress, this.vms[i], hostOf(v.host), v.nics)));
        cfg.containers.forEach((ct, i) => nodes.add(ct.name, () => guestNode(ct.name, this.containers[i].connection, this.containers[i].managementAddress, this.containers[i], hostOf(ct.host), ct.nics)));
        const nodeOf = (nodeName: string): LabNode => nodes.get(nodeName);

        if (cfg.controller) {
            const c = cfg.controller;
            const ctl = nodeOf(c.host);
            const passwords = Object.fromEntries(passwordNames.map((n) => [n,
                args.passwords?.[n] ?? new GeneratedPassword(`${name}-password-${n}`, { length: 24 }, parent).value])) as unknown as ControllerPasswords;
            this.controller = new ControllerNode(`${c.host}-controller`, {
                config: c, connection: ctl.connection, family: ctl.family, address: c.address ?? ctl.address, passwords,
            }, { parent: this, dependsOn: ctl.ready });

            const controllerContext = {
                connection: ctl.connection, address: this.controller.address, authUrl: this.controller.authUrl, region: c.region, release: c.release, firewall: c.firewall,
            };
            for (const n of cfg.computes) {
                const node = nodeOf(n.host);
                const nodeName = n.name ?? n.host;
                this.computes.push(new ComputeNode(`${nodeName}-compute`, {
                    config: n, name: nodeName, connection: node.connection, family: node.family,
                    address: n.address ?? node.address, providerInterface: n.providerInterface ?? c.network.providerInterface,
                    kvmAvailable: node.kvmAvailable,
                    controller: controllerContext,
                    passwords: { admin: passwords.admin, rabbit: passwords.rabbit, nova: passwords.nova, placement: passwords.placement, neutron: passwords.neutron },
                    after: this.controller.computeServices,
                    iscsi: n.iscsi ?? cfg.storage !== undefined,
                }, { parent: this, dependsOn: node.ready }));
            }
            let storageRow: { node: string; type: "storage"; listedAs: string } | undefined;
            if (cfg.storage) {
                const s = cfg.storage;
                const storageName = s.name ?? s.host;
                const node = nodeOf(s.host);
                const vm = cfg.vms.find((v) => v.name === s.host);
                const devices = s.devices ?? (vm?.extraDisks ?? []).map((_, k) => `/dev/${extraDiskTarget(k)}`);
                this.storage = new StorageNode(`${storageName}-storage`, {
                    config: s, name: storageName, connection: node.connection, family: node.family,
                    address: s.address ?? node.address, devices,
                    controller: controllerContext,
                    passwords: { admin: passwords.admin, rabbit: passwords.rabbit, cinderDb: passwords.cinderDb, cinder: passwords.cinder },
                    after: this.controller.volumeServices,
                }, { parent: this, dependsOn: node.ready });
                storageRow = { node: storageName, type: "storage", listedAs: this.storage.serviceHost };
            }
            this.nodeStatus = new NodeStatus(`${name}-node-status`, {
                connection: ctl.connection, authUrl: this.controller.authUrl, stdin: pulumi.interpolate`${passwords.admin}\n`,
                nodes: [
                    { node: c.host, type: "head" as const },
                    ...cfg.computes.map((n) => ({ node: n.name ?? n.host, type: "compute" as const, listedAs: n.name ?? n.host })),
                    ...(storageRow ? [storageRow] : []),
                ],
            }, { parent: this, dependsOn: [this.controller, ...this.computes, ...(this.storage ? [this.storage] : [])] });

            if (cfg.firstInstance) {
                const fi = cfg.firstInstance;
                this.firstInstance = new FirstInstance(`${name}-first-instance`, {
                    // The schema gives an image either a url or build.
                    config: guestImage ? { ...fi, image: { ...fi.image, ...guestImageFiles(guestImage.dir) } } : fi as FetchableFirstInstance, connection: ctl.connection, authUrl: this.controller.authUrl,
                    adminPassword: passwords.admin, demoPassword: passwords.demo,
                }, { parent: this, dependsOn: [this.controller, ...this.computes] });
                if (cfg.tempest) {
                    this.tempest = new TempestWorkspace(`${name}-tempest`, {
                        config: cfg.tempest, connection: ctl.connection, authUrl: this.controller.authUrl, region: c.region,
                        adminPassword: passwords.admin, imageId: this.firstInstance.imageId, flavorId: this.firstInstance.flavorId,
                        network: this.firstInstance.networkName,
                        services: { cinder: this.storage !== undefined, horizon: c.services.includes("horizon") },
                        dashboardUrl: this.controller.dashboardUrl,
                        computeNodes: cfg.computes.length,
                        after: [this.firstInstance],
                    }, { parent: this });
                }
            }
        }

        if (cfg.gateway) {
            const g = cfg.gateway;
            const node = nodeOf(g.host);
            this.gateway = new GatewayNode(`${g.host}-gateway`, {
                config: g, connection: node.connection, family: node.family, address: g.address ?? node.address,
            }, { parent: this, dependsOn: node.ready });
        }

        if (cfg.monitoring) {
            const m = cfg.monitoring;
            const server = nodeOf(m.host);
            this.monitoring = new Monitoring(`${name}-monitoring`, {
                config: m,
                server: { name: m.host, connection: server.connection, family: server.family, address: server.address, ready: server.ready },
                nodes: m.nodes.map((n) => {
                    const node = nodeOf(n.host);
                    return { name: n.host, connection: node.connection, family: node.family, address: n.address ?? node.address, virt: n.virt, ready: node.ready };
                }),
            }, parent);
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
        this.containerSummary = pulumi.all(this.containers.map((ct, i) => ct.hostPublicKey.apply((hostKey): VmSummary => ({
            vm: cfg.containers[i].name, host: hostOf(cfg.containers[i].host), role: "container", address: ct.managementAddress, hostKey,
        }))));
        this.registerOutputs({ summary: this.summary, vms: this.vmSummary, containers: this.containerSummary });
    }
}
