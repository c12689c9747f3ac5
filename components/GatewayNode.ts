import * as pulumi from "@pulumi/pulumi";
import type { GatewayConfig } from "../config/gatewaySchema";
import { NatGateway } from "../providers/natGateway";
import { Packages } from "../providers/packages";
import { Sysctl } from "../providers/sysctl";
import type { ConnectionArgs } from "../providers/transport";
import type { Family } from "./openstackPackages";

export interface GatewayNodeArgs {
    config: GatewayConfig;
    connection: pulumi.Input<ConnectionArgs>;
    family: Family;
    /** The address the lab's nodes route through. */
    address: string;
}

/**
 * Seed 000's gateway: forwarding on, and the lab's networks masqueraded out
 * through one interface. Destroy turns forwarding back to what it was and
 * removes only the lab's own rules.
 */
export class GatewayNode extends pulumi.ComponentResource {
    public readonly address: string;

    constructor(name: string, args: GatewayNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:lab:GatewayNode", name, {}, opts);
        const { connection, config: c } = args;
        this.address = args.address;
        const parent = { parent: this };
        // Debian's cloud images lack iptables; the RHEL family has it.
        const deps: pulumi.Resource[] = args.family === "debian"
            ? [new Packages(`${name}-packages`, { connection, names: ["iptables"] }, parent)] : [];
        // A file of its own: a physical host's preparation may persist the same key in the default file.
        const forwarding = new Sysctl(`${name}-sysctl-net.ipv4.ip_forward`, {
            connection, key: "net.ipv4.ip_forward", value: "1", file: "/etc/sysctl.d/61-openstack-lab-gateway.conf",
        }, parent);
        new NatGateway(`${name}-nat`, { connection, sources: c.sources, outInterface: c.outInterface }, { parent: this, dependsOn: [...deps, forwarding] });
        this.registerOutputs({ address: this.address });
    }
}
