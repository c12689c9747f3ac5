import { resourceKind } from "./kit";

/**
 * A password made once per stack and kept in its state as a secret (a
 * service's database or Keystone password when the stack config sets none).
 * Letters and digits only: it goes into INI values and URLs unescaped.
 */
export interface GeneratedPasswordInputs {
    length: number;
}

export interface GeneratedPasswordOutputs extends GeneratedPasswordInputs {
    value: string;
}

const generatedPassword = resourceKind<GeneratedPasswordInputs, GeneratedPasswordOutputs>({
    kind: "GeneratedPassword",
    outputs: ["value"],
    secrets: ["value"],
    changes: {
        replace: ["length"],
        update: [],
        deleteBeforeReplace: false,
    },
    async create(inputs: GeneratedPasswordInputs) {
        const { randomInt, randomBytes } = require("crypto") as typeof import("crypto");
        const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        const value = Array.from({ length: inputs.length }, () => alphabet[randomInt(alphabet.length)]).join("");
        return { id: randomBytes(8).toString("hex"), outs: { ...inputs, value } };
    },
});

export const generatedPasswordProvider = generatedPassword.provider;

export const GeneratedPassword = generatedPassword.Resource;
export type GeneratedPassword = InstanceType<typeof GeneratedPassword>;
