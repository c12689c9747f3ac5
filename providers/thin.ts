import * as pulumi from "@pulumi/pulumi";

/** In every shim's text: a recorded provider without it carried its own code. */
export const THIN_MARK = "openstack-lab thin provider 1";

/**
 * The provider the engine stores with each resource: a shim of about 130
 * bytes that loads the resource kind's implementation from the checkout when
 * it runs (providers/registry.ts), instead of a serialized copy of the
 * implementation and its transport. So refresh and delete run today's code,
 * and the state does not carry the same code once per resource.
 *
 * The engine starts the dynamic-provider process in the project's directory,
 * so the checkout is found there wherever it has moved to.
 */
export function shimText(kind: string): string {
    if (!/^[A-Za-z]\w*$/.test(kind)) throw new Error(`providers/thin.ts: resource kind ${JSON.stringify(kind)} is not a plain name`);
    // What the SDK's function serializer would write for the same object (a
    // module whose handler gives the provider), without the serializer: it
    // parses function text with TypeScript, which the program then need not
    // load, and it wraps each method in a scope of its own (1.9 KB a shim,
    // twice per resource in the state). Everything that may need fixing is
    // in the code this loads: providers/entry.js and providers/dispatch.ts.
    return `exports.handler = () => require(require("path").resolve("providers/entry.js")).provider(${JSON.stringify(THIN_MARK)}, ${JSON.stringify(kind)});\n`;
}

/** The type the engine records for a kind: the one the SDK's dynamic.Resource gives, so the engine runs it with its dynamic-provider host. */
export const dynamicType = (kind: string) => `pulumi-nodejs:dynamic/openstack-lab:${kind}`;

/**
 * A resource of a kind, registered as the SDK's dynamic.Resource registers
 * one (its type, and its provider in the reserved `__provider` input), with
 * the shim's text as that provider.
 */
export class ShimResource extends pulumi.CustomResource {
    constructor(kind: string, name: string, props: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
        if ("__provider" in props) throw new Error("A dynamic resource must not define the __provider key");
        super(dynamicType(kind), name, { ...props, __provider: shimText(kind) }, opts);
    }
}
