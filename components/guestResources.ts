import * as pulumi from "@pulumi/pulumi";

/**
 * What the lab installs and configures inside a VM or container it made, set by one
 * transformation on the Lab (it reaches every resource below the lab):
 *
 * - It goes with the guest. When the guest itself is deleted in the same operation, purging
 *   its packages or putting back its INI keys first is work on a root filesystem about to be
 *   removed (most of `local`'s destroy time), so the engine is told to skip those deletes
 *   (Pulumi's `deletedWith`). When the guest stays (a role taken off it), every delete runs.
 * - Its packages start no services on install (Packages' `holdServices`): each service starts
 *   once, configured, from its Service resource. The guest's package tooling is the lab's own,
 *   so this is only done there, never on a host someone else runs.
 */
export class GuestResources {
    private readonly guests = new Map<unknown, pulumi.Resource>();

    /** A guest's connection (the object its node hands to every resource on it) and the resource that is the guest. */
    add(connection: unknown, guest: pulumi.Resource): void {
        this.guests.set(connection, guest);
    }

    readonly transformation: pulumi.ResourceTransformation = (a) => {
        const guest = a.props?.connection === undefined ? undefined : this.guests.get(a.props.connection);
        if (!guest || a.resource === guest) return undefined;
        const props = a.type.endsWith(":Packages") && a.props.holdServices === undefined ? { ...a.props, holdServices: true } : a.props;
        const opts = a.opts.deletedWith ? a.opts : { ...a.opts, deletedWith: guest };
        return props === a.props && opts === a.opts ? undefined : { props, opts };
    };
}
