import * as pulumi from "@pulumi/pulumi";
import type { ImageConfig, NetworkConfig, VmConfig } from "../config/vmSchema";
import type { ConnectionArgs } from "../providers/transport";
import { CloudInitVmResource } from "../providers/cloudInitVm";
import { SshKeyPair } from "../providers/sshKeyPair";
import { stableMac } from "../render/domain";

export interface CloudInitVMArgs {
    /** The libvirt host's connection. */
    host: pulumi.Input<ConnectionArgs>;
    hostName: string;
    /** The host is this machine: the VM is reached on its address directly, not through the host. */
    hostIsLocal: boolean;
    config: VmConfig;
    networks: Map<string, NetworkConfig>;
    image: ImageConfig;
    /** The verified base image file on the host. */
    baseImage: pulumi.Input<string>;
    /** kvm or qemu, from the host's facts. */
    domainType: pulumi.Input<"kvm" | "qemu">;
    /** Where VM files go on the host. */
    dir: string;
    /** Keys that may log in besides the VM's own. */
    extraAuthorizedKeys?: string[];
    lab: string;
}

/**
 * A cloud-init VM with its own login key pair (seed 000 makes one per VM)
 * and a host key the program generates, so its connection is pinned from
 * the first boot. `connection` reaches it through its host unless that is this machine.
 */
export class CloudInitVM extends pulumi.ComponentResource {
    public readonly connection: pulumi.Output<ConnectionArgs>;
    public readonly loginPrivateKey: pulumi.Output<string>;
    public readonly hostPublicKey: pulumi.Output<string>;
    public readonly managementAddress: string;
    public readonly macs: string[];
    /** The libvirt domain with its disks: what goes with the VM. */
    public readonly domain: CloudInitVmResource;

    constructor(name: string, args: CloudInitVMArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:vm:CloudInitVM", name, {}, opts);
        const c = args.config;
        const parent = { parent: this };
        const hostKey = new SshKeyPair(`${name}-host-key`, { comment: `${c.name} host key` }, parent);
        const login = new SshKeyPair(`${name}-login-key`, { comment: `${c.user}@${c.name}` }, parent);

        this.macs = c.nics.map((n, i) => (n.mac ?? stableMac(args.lab, c.name, i)).toLowerCase());
        const nics = c.nics.map((n, i) => {
            const net = args.networks.get(n.network)!;
            const prefix = net.address?.split("/")[1] ?? "24";
            return {
                mac: this.macs[i],
                ...(net.mode === "bridge" ? { bridge: net.bridge } : { network: net.name }),
                ...(n.ip ? { addresses: [`${n.ip}/${prefix}`] } : {}),
                // A bare segment (an isolated network without the host's address) has no DHCP server:
                // waiting for a lease there would hold up every boot.
                ...(!n.ip && net.mode === "isolated" && !net.address ? { dhcp: false } : {}),
                ...(n.gateway ? { gateway: n.gateway } : {}),
                ...(n.nameservers ? { nameservers: n.nameservers } : {}),
            };
        });
        const mgmt = c.nics.find((n) => n.ip);
        // The schema has made sure there is one.
        if (!mgmt?.ip) throw new Error(`VM ${c.name}: no NIC with a static ip`);
        this.managementAddress = mgmt.ip;

        const ssh = pulumi.secret(pulumi.all([args.host, login.privateKey, hostKey.publicKey]).apply(([via, key, pub]): ConnectionArgs => ({
            name: c.name, address: mgmt.ip!, port: 22, user: c.user, privateKey: key, hostKey: pub, ...(args.hostIsLocal ? {} : { via }),
        })));
        const vm = new CloudInitVmResource(`${name}-domain`, {
            connection: args.host,
            name: c.name,
            type: args.domainType,
            memoryMiB: c.memoryMiB,
            vcpus: c.vcpus,
            cpuMode: c.cpuMode,
            baseImage: args.baseImage,
            kernel: args.image.kernel,
            diskGiB: c.diskGiB,
            extraDisks: c.extraDisks,
            nics,
            dir: args.dir,
            user: c.user,
            authorizedKeys: pulumi.all([login.publicKey]).apply(([pub]) => [pub, ...(args.extraAuthorizedKeys ?? [])]),
            hostKey: pulumi.secret(pulumi.all([hostKey.privateKey, hostKey.publicKey]).apply(([privateKey, publicKey]) => ({ privateKey, publicKey }))),
            ssh,
            bootTimeout: c.bootTimeout,
        }, parent);

        this.connection = pulumi.secret(pulumi.all([ssh, vm.id]).apply(([s]) => s));
        this.domain = vm;
        this.loginPrivateKey = login.privateKey;
        this.hostPublicKey = hostKey.publicKey;
        this.registerOutputs({});
    }
}
