import * as pulumi from "@pulumi/pulumi";

/**
 * What a lab installs and configures inside a VM or container goes with it. When the guest
 * itself is deleted in the same operation, purging its packages or putting back its INI keys
 * first is work on a root filesystem about to be removed (most of `local`'s destroy time), so
 * the engine is told to skip those deletes (Pulumi's `deletedWith`). When the guest stays (a
 * role taken off it), every delete runs as before.
 */
export class GuestDeletes {
    private readonly guests = new Map<unknown, pulumi.Resource>();

    /** A guest's connection (the object its node hands to every resource on it) and the resource that is the guest. */
    add(connection: unknown, guest: pulumi.Resource): void {
        this.guests.set(connection, guest);
    }

    /** For the lab component's `transformations`: it reaches every resource below the lab. */
    readonly transformation: pulumi.ResourceTransformation = (a) => {
        const guest = a.props?.connection === undefined ? undefined : this.guests.get(a.props.connection);
        if (!guest || a.resource === guest || a.opts.deletedWith) return undefined;
        return { props: a.props, opts: { ...a.opts, deletedWith: guest } };
    };
}
