import * as pulumi from "@pulumi/pulumi";
import type { FirstInstanceConfig } from "../config/instanceSchema";
import { HostCommand } from "../providers/hostCommand";
import { OpenStackObject, OpenStackObjectInputs } from "../providers/openStackObject";
import { Packages } from "../providers/packages";
import { SshKeyPair } from "../providers/sshKeyPair";
import { type ConnectionArgs } from "../providers/transport";
import { renderInstanceUserData } from "../render/cloudInit";
import type { Inputs } from "../providers/common";
import { fetchedFiles } from "../render/hostSteps";

/** What differs from one object to the next; who runs the client is given apart. */
type ObjectArgs = Omit<Inputs<OpenStackObjectInputs>, "connection" | "authUrl" | "user" | "project" | "stdin" | "files"> & { files?: Inputs<OpenStackObjectInputs>["files"] };

/** The config with the image's place settled: its own url, or the files of the image the lab built. */
export type FetchableFirstInstance = FirstInstanceConfig & { image: { url: string } };

export interface FirstInstanceArgs {
    config: FetchableFirstInstance;
    /** The controller, where the openstack client runs. */
    connection: pulumi.Input<ConnectionArgs>;
    authUrl: string;
    adminPassword: pulumi.Input<string>;
    demoPassword: pulumi.Input<string>;
}

/** Where the controller keeps the images it fetched for Glance. */
export const IMAGE_DIR = "/var/lib/openstack-lab/images";

/** The first address of a server's addresses as the client prints them (`demo-net=203.0.113.26, ...`). */
export function firstAddress(addresses: string): string {
    return /=\s*([0-9a-fA-F.:]+)/.exec(addresses)?.[1] ?? "";
}

/**
 * Seed 003's "Run your first virtual machine": the test image in Glance, a
 * flavor, a shared network on the flat provider network with its subnet, the
 * demo user's keypair and a security group that lets ping and SSH in, and
 * the instance the demo user launches with them. Modern replacement: a
 * Neutron provider network stands in for `nova network-create`.
 */
export class FirstInstance extends pulumi.ComponentResource {
    /** The instance's status as last read (ACTIVE once up). */
    public readonly status: pulumi.Output<string>;
    /** Its address on the demo network. */
    public readonly address: pulumi.Output<string>;
    /** The demo keypair's private key (secret): `ssh -i` it to log in to the instance. */
    public readonly privateKey: pulumi.Output<string>;
    /** The instance's SSH host key (public half), given to it before its first boot: what a login pins. */
    public readonly hostKey: pulumi.Output<string>;
    /** The image, flavor and network it runs with, for Tempest's servers to use too. */
    public readonly imageId: pulumi.Output<string>;
    public readonly flavorId: pulumi.Output<string>;
    public readonly networkName: string;

    constructor(name: string, args: FirstInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:lab:FirstInstance", name, {}, opts);
        const c = args.config;
        const base = { connection: args.connection, authUrl: args.authUrl };
        const admin = { ...base, user: "admin", project: "admin", stdin: pulumi.interpolate`${args.adminPassword}\n` };
        const demo = { ...base, user: "demo", project: "demo", stdin: pulumi.interpolate`${args.demoPassword}\n` };
        const object = (id: string, who: typeof admin, a: ObjectArgs, deps: pulumi.Resource[] = []) =>
            new OpenStackObject(`${name}-${id}`, { ...who, ...a }, { parent: this, dependsOn: deps });

        // The controller fetches the image, as seed 003 does with wget.
        const curl = new Packages(`${name}-curl`, { connection: args.connection, names: ["curl"] }, { parent: this });
        const file = (kind: string) => `${IMAGE_DIR}/${c.image.name.replace(/[^A-Za-z0-9._-]/g, "_")}.${kind}`;
        const files = [
            { path: file("disk"), url: c.image.url, sha256: c.image.sha256 },
            ...(c.image.kernelUrl ? [{ path: file("kernel"), url: c.image.kernelUrl }, { path: file("ramdisk"), url: c.image.ramdiskUrl! }] : []),
        ];
        const fetched = new HostCommand(`${name}-fetch-image`, {
            connection: args.connection, ...fetchedFiles(`fetch image ${c.image.name}`, IMAGE_DIR, files), triggers: JSON.stringify(files),
        }, { parent: this, dependsOn: [curl] });

        const imageArgs = (path: string, url: string, disk: string, container: string) =>
            ["--public", "--disk-format", disk, "--container-format", container, "--file", path, "--property", `olab_source=${url}`];
        const parts = c.image.kernelUrl ? {
            kernel: object("image-kernel", admin, { kind: "image", name: `${c.image.name} kernel`, args: imageArgs(file("kernel"), c.image.kernelUrl, "aki", "aki") }, [fetched]),
            ramdisk: object("image-ramdisk", admin, { kind: "image", name: `${c.image.name} ramdisk`, args: imageArgs(file("ramdisk"), c.image.ramdiskUrl!, "ari", "ari") }, [fetched]),
        } : undefined;
        const image = object("image", admin, {
            kind: "image", name: c.image.name,
            args: parts
                ? pulumi.all([parts.kernel.objectId, parts.ramdisk.objectId]).apply(([k, r]) => [
                    ...imageArgs(file("disk"), c.image.url, c.image.diskFormat, "bare"), "--property", `kernel_id=${k}`, "--property", `ramdisk_id=${r}`,
                    ...(c.image.commandLine ? ["--property", `os_command_line=${c.image.commandLine}`] : [])])
                : imageArgs(file("disk"), c.image.url, c.image.diskFormat, "bare"),
        }, [fetched]);

        const flavor = object("flavor", admin, {
            kind: "flavor", name: c.flavor.name,
            args: ["--public", "--vcpus", String(c.flavor.vcpus), "--ram", String(c.flavor.ramMb), "--disk", String(c.flavor.diskGb)],
        });
        // "provider" is the physical network name the ML2 and agent settings map to each node's providerInterface.
        const network = object("network", admin, {
            kind: "network", name: c.network.name,
            args: ["--share", "--provider-network-type", "flat", "--provider-physical-network", "provider"],
        });
        const subnet = object("subnet", admin, {
            kind: "subnet", name: `${c.network.name}-subnet`,
            args: network.objectId.apply((id) => ["--network", id, "--subnet-range", c.network.cidr]),
        });

        const key = new SshKeyPair(`${name}-key`, { comment: `${c.keyName} (openstack-lab)` }, { parent: this });
        const keypair = object("keypair", demo, { kind: "keypair", name: c.keyName, args: [], files: key.publicKey.apply((k) => [{ flag: "--public-key", content: `${k}\n` }]) });
        const group = object("security-group", demo, { kind: "security group", name: `${c.name}-access`, args: ["--description", "ping and SSH in (openstack-lab)"] });
        const rules = [["icmp"], ["tcp", "--dst-port", "22"]].map(([protocol, ...more]) => object(`security-group-${protocol}`, demo, {
            kind: "security group rule", args: group.objectId.apply((g) => ["--ingress", "--protocol", protocol, ...more, g]),
        }));

        // Its host key, made here and handed over in its user data, so that the first login is already pinned.
        const hostKey = new SshKeyPair(`${name}-host-key`, { comment: `${c.name} host key (openstack-lab)` }, { parent: this });
        const server = object("server", {
            ...demo,
            stdin: pulumi.secret(pulumi.all([args.demoPassword, hostKey.privateKey, hostKey.publicKey]).apply(([pw, privateKey, publicKey]) =>
                `${pw}\n${renderInstanceUserData({ privateKey, publicKey })}`)),
        }, {
            kind: "server", name: c.name, stdinFile: "--user-data",
            args: pulumi.all([flavor.objectId, image.objectId, network.objectId, group.objectId]).apply(([f, i, n, g]) => [
                "--flavor", f, "--image", i, "--nic", `net-id=${n}`, "--security-group", "default", "--security-group", g, "--key-name", c.keyName]),
        }, [subnet, keypair, ...rules]);

        this.status = server.status;
        this.address = server.addresses.apply(firstAddress);
        this.privateKey = pulumi.secret(key.privateKey);
        this.hostKey = hostKey.publicKey;
        this.imageId = image.objectId;
        this.flavorId = flavor.objectId;
        this.networkName = c.network.name;
        this.registerOutputs({ status: this.status, address: this.address });
    }
}
