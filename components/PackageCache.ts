import * as pulumi from "@pulumi/pulumi";
import { Packages } from "../providers/packages";
import { RemoteFile } from "../providers/remoteFile";
import { Service } from "../providers/service";
import type { ConnectionArgs } from "../providers/transport";

export interface PackageCacheArgs {
    connection: pulumi.Input<ConnectionArgs>;
    port: number;
    /** The host's addresses on the lab networks whose nodes install through it. */
    listen: string[];
    /** Where Debian packages come from. apt-cacher-ng's stock backend for them is ftp.debian.org, which closed networks may not resolve. */
    debianMirror: string;
}

/**
 * apt-cacher-ng (Debian's package) on a lab host: every node's apt goes
 * through it, so the second build of a lab downloads nothing and nodes on
 * a network with no route out still install. Its cache outlives the lab
 * (`apt-get remove` keeps /var/cache/apt-cacher-ng), which is what makes the
 * next build warm.
 */
export class PackageCache extends pulumi.ComponentResource {
    /** What a node's apt names as its proxy, per listening address. */
    public readonly proxyUrl: (address: string) => string;
    /** What must run before a node installs anything. */
    public readonly ready: pulumi.Resource[];

    constructor(name: string, args: PackageCacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:host:PackageCache", name, {}, opts);
        const { connection } = args;
        // Removed, not purged, on destroy: its purge deletes the cache.
        const packages = new Packages(`${name}-packages`, { connection, names: ["apt-cacher-ng"], purge: false }, { parent: this });
        // Listening only where the lab's nodes are, not on every interface of the host.
        const conf = new RemoteFile(`${name}-conf`, {
            connection, path: "/etc/apt-cacher-ng/zz_openstack-lab.conf", mode: "0644",
            content: [
                "# openstack-lab: the lab's nodes install through this cache",
                `Port: ${args.port}`,
                `BindAddress: ${["127.0.0.1", ...args.listen].join(" ")}`,
                `Remap-debrep: file:deb_mirror*.gz /debian ; ${args.debianMirror.replace(/\/?$/, "/")}`,
            ].join("\n") + "\n",
        }, { parent: this, dependsOn: [packages] });
        const service = new Service(`${name}-service`, {
            connection, name: "apt-cacher-ng", restartOn: conf.content,
        }, { parent: this, dependsOn: [conf] });
        this.proxyUrl = (address) => `http://${address}:${args.port}`;
        this.ready = [service];
        this.registerOutputs({});
    }
}
