import * as pulumi from "@pulumi/pulumi";
import type { VethConfig } from "../config/vmSchema";
import type { ConnectionArgs } from "../providers/transport";
import { VethPatchResource } from "../providers/vethPatch";

/** A veth patch cable between two bridges of a host (seed 000 section 8). */
export class VethPatch extends pulumi.ComponentResource {
    public readonly bridges: pulumi.Output<[string, string]>;

    constructor(name: string, args: { connection: pulumi.Input<ConnectionArgs>; config: VethConfig }, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:network:VethPatch", name, {}, opts);
        const r = new VethPatchResource(`${name}-veth`, { connection: args.connection, names: args.config.names, sides: args.config.sides }, { parent: this });
        this.bridges = r.bridges;
        this.registerOutputs({ bridges: this.bridges });
    }
}
