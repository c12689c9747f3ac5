import * as pulumi from "@pulumi/pulumi";
import type { ContainerConfig } from "../config/containerSchema";
import type { NetworkConfig } from "../config/vmSchema";
import type { ConnectionArgs } from "../providers/transport";
import { LxcContainer } from "../providers/lxcContainer";
import { SshKeyPair } from "../providers/sshKeyPair";
import { stableMac } from "../render/domain";

export interface SystemContainerArgs {
    /** The host's connection. */
    host: pulumi.Input<ConnectionArgs>;
    /** The host is this machine: the container is reached on its address directly, not through the host. */
    hostIsLocal: boolean;
    config: ContainerConfig;
    networks: Map<string, NetworkConfig>;
    /** The host's container base for the container's release. */
    base: pulumi.Input<string>;
    lab: string;
}

/** LXC keeps its containers here, where lxc-ls, lxc-attach and the host's autostart find them. */
export const LXC_PATH = "/var/lib/lxc";

/** The veth pair's host side: unique per lab and container, within the kernel's 15 characters. */
export function hostSideName(lab: string, container: string, nic: number): string {
    return `olab${stableMac(lab, container).replace(/:/g, "").slice(2, 10)}n${nic}`;
}

/**
 * A lab node as an LXC system container (a physical host without usable KVM
 * runs the whole cloud this way): its own login key pair and a host key the
 * program generates, pinned before the container first starts. `connection`
 * reaches it as root, through its host unless that is this machine.
 */
export class SystemContainer extends pulumi.ComponentResource {
    public readonly connection: pulumi.Output<ConnectionArgs>;
    public readonly loginPrivateKey: pulumi.Output<string>;
    public readonly hostPublicKey: pulumi.Output<string>;
    public readonly managementAddress: string;
    public readonly container: LxcContainer;

    constructor(name: string, args: SystemContainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:container:SystemContainer", name, {}, opts);
        const c = args.config;
        const parent = { parent: this };
        const hostKey = new SshKeyPair(`${name}-host-key`, { comment: `${c.name} host key` }, parent);
        const login = new SshKeyPair(`${name}-login-key`, { comment: `root@${c.name}` }, parent);

        const nics = c.nics.map((n, i) => {
            const net = n.network ? args.networks.get(n.network)! : undefined;
            const prefix = net?.address?.split("/")[1] ?? "24";
            return {
                link: net ? net.bridge : n.bridge!,
                hostSide: hostSideName(args.lab, c.name, i),
                mac: (n.mac ?? stableMac(args.lab, c.name, i)).toLowerCase(),
                ...(n.ip ? { address: `${n.ip}/${prefix}` } : {}),
                ...(n.gateway ? { gateway: n.gateway } : {}),
            };
        });
        // The schema makes sure there is one.
        this.managementAddress = c.nics.find((n) => n.ip)!.ip!;
        const address = this.managementAddress;

        const ssh = pulumi.secret(pulumi.all([args.host, login.privateKey, hostKey.publicKey]).apply(([via, key, pub]): ConnectionArgs => ({
            name: c.name, address, port: 22, user: "root", privateKey: key, hostKey: pub, ...(args.hostIsLocal ? {} : { via }),
        })));
        this.container = new LxcContainer(`${name}-lxc`, {
            connection: args.host,
            name: c.name,
            lxcPath: LXC_PATH,
            spec: pulumi.output(args.base).apply((base) => ({
                base, nics, cpus: c.cpus, memoryMiB: c.memoryMiB, mounts: c.mounts, autostart: c.autostart,
            })),
            hostKey: pulumi.secret(pulumi.all([hostKey.privateKey, hostKey.publicKey]).apply(([privateKey, publicKey]) => ({ privateKey, publicKey }))),
            authorizedKeys: login.publicKey.apply((k) => [k]),
            etcHosts: `127.0.0.1 localhost\n${address} ${c.name}\n`,
            ssh,
            bootTimeout: c.bootTimeout,
        }, parent);

        this.connection = pulumi.secret(pulumi.all([ssh, this.container.id]).apply(([s]) => s));
        this.loginPrivateKey = login.privateKey;
        this.hostPublicKey = hostKey.publicKey;
        this.registerOutputs({});
    }
}
