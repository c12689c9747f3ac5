import * as pulumi from "@pulumi/pulumi";
import type { LabConfig } from "../config/schema";
import { PhysicalHost } from "./PhysicalHost";

export interface LabArgs {
    config: LabConfig;
    privateKey?: pulumi.Input<string>;
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

/** One lab: what a stack file describes. */
export class Lab extends pulumi.ComponentResource {
    public readonly hosts: PhysicalHost[];
    public readonly summary: pulumi.Output<HostSummary[]>;

    constructor(name: string, args: LabArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:lab:Lab", name, {}, opts);
        this.hosts = args.config.hosts.map((h) => new PhysicalHost(h.name, { config: h, privateKey: args.privateKey }, { parent: this }));
        this.summary = pulumi.all(this.hosts.map((h, i) => pulumi.all([h.osFamily, h.kvmAvailable, h.nestedVirtualization, h.nestedReloadNeeded])
            .apply(([osFamily, kvm, nested, reload]): HostSummary => ({
                host: args.config.hosts[i].name,
                address: args.config.hosts[i].address,
                osFamily, kvm, nestedVirtualization: nested, nestedReloadNeeded: reload,
            }))));
        this.registerOutputs({ summary: this.summary });
    }
}
