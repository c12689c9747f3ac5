import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../providers/transport";
import type { Family } from "./openstackPackages";

/**
 * Where a role (controller, compute, storage, gateway, monitoring) runs: a
 * physical host, a VM or a system container. Roles see only this, so a new
 * kind of node is one more entry in the lab's node list and files of its own.
 */
export interface LabNode {
    connection: pulumi.Input<ConnectionArgs>;
    family: Family;
    /** The address it is reached and advertised at. */
    address: string;
    kvmAvailable: pulumi.Output<boolean>;
    /** What must be in place first: the host's preparation, or the VM or container and its package source. */
    ready: pulumi.Resource[];
}

/** Node kinds by name; a node is made on first use, so a VM or container that no role names gets no role resources. */
export class LabNodes {
    private readonly made = new Map<string, LabNode>();
    private readonly makers = new Map<string, () => LabNode>();

    /** Registers a node under its (lab-wide unique) name. */
    add(name: string, make: () => LabNode): void {
        this.makers.set(name, make);
    }

    get(name: string): LabNode {
        let node = this.made.get(name);
        if (!node) {
            const make = this.makers.get(name);
            // The schema checks every role's node name before anything is built.
            if (!make) throw new Error(`no node named ${name}`);
            node = make();
            this.made.set(name, node);
        }
        return node;
    }
}
