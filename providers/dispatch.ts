import type * as pulumi from "@pulumi/pulumi";
import { THIN_MARK } from "./thin";

type Props = Record<string, unknown>;

/** A recorded provider that is not a shim carried its own code (state written before shims). */
const carriesOwnCode = (props: Props) => !String(props.__provider ?? "").includes(THIN_MARK);

/**
 * What a shim's method does with a resource kind's implementation: the
 * engine's defaults where the kind leaves a method out, and the move of a
 * resource recorded with its own provider code onto the shim. Such a
 * resource's diff reports a change when nothing else changed; its update then
 * keeps the outputs and runs nothing on the host, and the engine records the
 * shim, so that the resource's refresh and delete run today's code.
 */
export async function dispatchTo(p: pulumi.dynamic.ResourceProvider, method: string, args: any[]): Promise<unknown> {
    switch (method) {
        case "check": return p.check ? p.check(args[0], args[1]) : { inputs: args[1] };
        case "diff": {
            const d = p.diff ? await p.diff(args[0], args[1], args[2]) : {};
            return d.changes === false && carriesOwnCode(args[1]) ? { ...d, changes: true } : d;
        }
        case "create": return p.create(args[0]);
        case "read": return p.read ? p.read(args[0], args[1]) : { id: args[0], props: args[1] };
        case "update": {
            const [id, olds, news] = args as [string, Props, Props];
            if (carriesOwnCode(olds) && p.diff && (await p.diff(id, olds, news)).changes === false) {
                const { __provider: _recorded, ...outs } = olds;
                return { outs };
            }
            return p.update ? p.update(id, olds, news) : {};
        }
        case "delete": return p.delete ? p.delete(args[0], args[1]) : undefined;
        default: throw new Error(`${THIN_MARK}: no provider method ${method}`);
    }
}
