import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../config/vmSchema";
import type { ConnectionArgs } from "../providers/transport";
import { LibvirtNetworkResource } from "../providers/libvirtNetwork";

export interface LibvirtNetworkArgs {
    connection: pulumi.Input<ConnectionArgs>;
    config: NetworkConfig;
}

/** A libvirt network on a lab host (nat, isolated or on a host bridge). */
export class LibvirtNetwork extends pulumi.ComponentResource {
    public readonly name: string;
    public readonly bridge: string;
    public readonly resource: LibvirtNetworkResource;

    constructor(name: string, args: LibvirtNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:network:LibvirtNetwork", name, {}, opts);
        const c = args.config;
        this.name = c.name;
        this.bridge = c.bridge;
        this.resource = new LibvirtNetworkResource(`${name}-net`, {
            connection: args.connection,
            spec: { name: c.name, mode: c.mode, bridge: c.bridge, address: c.address, ...(c.dhcp ? { dhcp: c.dhcp } : {}) },
        }, { parent: this });
        this.registerOutputs({});
    }
}
