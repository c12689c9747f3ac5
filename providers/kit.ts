import * as pulumi from "@pulumi/pulumi";
import { connectionChange, Inputs } from "./common";
import type { ConnectionArgs } from "./transport";
import { ShimResource } from "./thin";

/**
 * How a resource kind tells a change from drift. Keys may be dotted paths
 * into an input (`spec.name`): the part of it whose change is a new resource.
 */
export interface ChangeRules<I, O> {
    /** Inputs whose change makes a new resource (deleted first: most name a thing on a host). */
    replace: string[];
    /** Inputs whose change is applied in place. */
    update: string[];
    /** Both sides in the form they are compared in: defaults filled, order and spacing that mean nothing dropped. */
    canonical?: (v: any) => any;
    /**
     * What refresh found on the host that differs from what the state asks
     * for (stopped, removed, edited by hand): the next up puts it back in place.
     */
    drifted?: (olds: O, news: I) => boolean;
    /** False for kinds with nothing on a host, whose new value may exist beside the old. */
    deleteBeforeReplace?: boolean;
}

/** One resource kind: its type name, typed handlers and change rules, and what it registers. */
export interface KindSpec<I, O extends object> {
    /** The type name in the state (`openstack-lab:<kind>`) and the kind the shim loads. */
    kind: string;
    /** Output names not among the inputs: registered unknown until the host answers. */
    outputs: readonly (keyof O & string)[];
    /** Outputs kept secret in the state besides those the stack marks: credentials, keys, saved content. */
    secrets: readonly (keyof O & string)[];
    timeouts?: pulumi.CustomTimeouts;
    changes: ChangeRules<I, O>;
    // Methods, not function properties: a handler may take its recorded outputs for `olds` in check.
    check?(olds: Partial<I>, news: I): Promise<pulumi.dynamic.CheckResult>;
    create(inputs: I): Promise<{ id: string; outs: O }>;
    /** Reads the host back; left out, the state is taken as it is. */
    read?(id: string, props: O): Promise<{ id: string; props: O }>;
    /** Left out, a change can only replace. */
    update?(id: string, olds: O, news: I): Promise<{ outs: O }>;
    delete?(id: string, olds: O): Promise<void>;
}

/** What read answers for a resource no longer on its host (no id, no properties): refresh drops it from the state. */
export function gone<O>(): { id: string; props: O } {
    return { id: "", props: {} as O };
}

/** A kind's provider, typed: what the registry serves and tests call. */
export interface TypedProvider<I, O> extends pulumi.dynamic.ResourceProvider {
    /** The type name it serves (providers/registry.ts). */
    readonly kind: string;
    check(olds: Partial<I>, news: I): Promise<pulumi.dynamic.CheckResult>;
    diff(id: string, olds: O, news: I): Promise<pulumi.dynamic.DiffResult>;
    create(inputs: I): Promise<{ id: string; outs: O }>;
    read(id: string, props: O): Promise<{ id: string; props: O }>;
    update(id: string, olds: O, news: I): Promise<{ outs: O }>;
    delete(id: string, olds: O): Promise<void>;
}

/** A resource of the kind: each output an Output property, as the SDK sets them. */
export type KindResource<O> = pulumi.CustomResource & { readonly [K in Exclude<keyof O, "id" | "urn">]-?: pulumi.Output<O[K]> };

export interface KindClass<I, O> {
    new(name: string, args: Inputs<I>, opts?: pulumi.CustomResourceOptions): KindResource<O>;
}

export interface Kind<I, O> {
    kind: string;
    provider: TypedProvider<I, O>;
    Resource: KindClass<I, O>;
}

const at = (v: unknown, path: string): unknown => path.split(".").reduce<any>((o, k) => (o == null ? undefined : o[k]), v);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * The diff every kind gives: replace on the replace keys or a move to another
 * host, update on the update keys or a new way to log in, and a change when
 * nothing was edited but the host drifted.
 */
export function changeOf<I, O>(rules: ChangeRules<I, O>, olds: O, news: I): pulumi.dynamic.DiffResult {
    const canon = rules.canonical ?? ((v: unknown) => v);
    const [a, b] = [canon(olds), canon(news)];
    const replaces = rules.replace.filter((k) => !same(at(a, k), at(b, k)));
    const [ca, cb] = [at(olds, "connection"), at(news, "connection")] as (ConnectionArgs | undefined)[];
    const conn = ca && cb ? connectionChange(ca, cb) : { replace: false, changed: false };
    if (conn.replace) replaces.push("connection");
    const edited = replaces.length > 0 || conn.changed || rules.update.some((k) => !same(at(a, k), at(b, k)));
    const changes = edited || (rules.drifted?.(olds, news) ?? false);
    return { changes, replaces, deleteBeforeReplace: rules.deleteBeforeReplace ?? true };
}

/**
 * Defines a resource kind once: its provider (served to the shims in the
 * state through providers/registry.ts) and its resource class (what
 * components create), from one typed description.
 */
export function resourceKind<I, O extends object>(spec: KindSpec<I, O>): Kind<I, O> {
    const provider: TypedProvider<I, O> = {
        kind: spec.kind,
        check: spec.check?.bind(spec) ?? (async (_olds, news) => ({ inputs: news })),
        diff: async (_id, olds, news) => changeOf(spec.changes, olds, news),
        create: spec.create.bind(spec),
        read: spec.read?.bind(spec) ?? (async (id, props) => ({ id, props })),
        update: spec.update?.bind(spec) ?? (async () => { throw new Error(`${spec.kind}: a change to this resource can only replace it`); }),
        delete: spec.delete?.bind(spec) ?? (async () => undefined),
    };
    const unknowns = Object.fromEntries(spec.outputs.map((k) => [k, undefined]));
    const { kind, secrets, timeouts } = spec;
    class KindResourceImpl extends ShimResource {
        constructor(name: string, args: Inputs<I>, opts?: pulumi.CustomResourceOptions) {
            super(kind, name, { ...unknowns, ...args },
                { ...opts, additionalSecretOutputs: [...secrets], ...(timeouts ? { customTimeouts: timeouts } : {}) });
        }
    }
    return { kind, provider, Resource: KindResourceImpl as unknown as KindClass<I, O> };
}
