import * as pulumi from "@pulumi/pulumi";
import { Inputs } from "./common";
import { thinProvider } from "./thin";

/**
 * A password made once per stack and kept in its state as a secret (a
 * service's database or Keystone password when the stack config sets none).
 * Letters and digits only: it goes into INI values and URLs unescaped.
 */
export interface GeneratedPasswordInputs {
    length: number;
}

export const generatedPasswordProvider: pulumi.dynamic.ResourceProvider = {
    async diff(_id: string, olds: GeneratedPasswordInputs & { value: string }, news: GeneratedPasswordInputs) {
        const changed = olds.length !== news.length;
        return { changes: changed, replaces: changed ? ["length"] : [] };
    },
    async create(inputs: GeneratedPasswordInputs) {
        const { randomInt, randomBytes } = require("crypto") as typeof import("crypto");
        const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        const value = Array.from({ length: inputs.length }, () => alphabet[randomInt(alphabet.length)]).join("");
        return { id: randomBytes(8).toString("hex"), outs: { ...inputs, value } };
    },
};

export class GeneratedPassword extends pulumi.dynamic.Resource {
    declare public readonly value: pulumi.Output<string>;

    constructor(name: string, args: Inputs<GeneratedPasswordInputs>, opts?: pulumi.CustomResourceOptions) {
        super(thinProvider("GeneratedPassword"), name, { value: undefined, ...args },
            { ...opts, additionalSecretOutputs: ["value"] }, "openstack-lab", "GeneratedPassword");
    }
}
