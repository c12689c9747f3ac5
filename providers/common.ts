import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "./transport";

export type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };

/** Replacement when the resource would now live on another host; update when only how we log in changed. */
export function connectionChange(a: ConnectionArgs, b: ConnectionArgs): { replace: boolean; changed: boolean } {
    const replace = a.name !== b.name || a.address !== b.address;
    const changed = replace || (a.port ?? 22) !== (b.port ?? 22) || (a.user ?? "root") !== (b.user ?? "root") ||
        a.hostKey !== b.hostKey || a.privateKey !== b.privateKey;
    return { replace, changed };
}

/**
 * A provider whose read keeps the recorded state of a resource on a node that
 * cannot be reached (a container or VM stopped by hand): `pulumi refresh` then
 * still reads everything else, the node's own resource records it stopped, and
 * the next `up` starts it. Any other failure of read fails as before.
 */
export function readableWhenDown(provider: pulumi.dynamic.ResourceProvider): pulumi.dynamic.ResourceProvider {
    // Not named `read`: the engine's closure serializer takes a name used inside a method of
    // that name for the method itself, and leaves the variable out ("read is not defined").
    const readState = provider.read;
    if (!readState) return provider;
    return {
        ...provider,
        async read(id: string, props?: any) {
            try {
                return await readState(id, props);
            } catch (e) {
                if (/\): (unreachable|no SSH session within)/.test((e as Error).message)) return { id, props };
                throw e;
            }
        },
    };
}
