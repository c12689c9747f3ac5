import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";

// What the unit tests read of the checkout's stack files, and of the inputs
// Pulumi's mocks record (secrets arrive there wrapped).

/** The key Pulumi marks a serialized secret value with (the SDK's own constant). */
const SECRET_SIG = pulumi.runtime.specialSigKey;

export const isSecret = (v: unknown): v is { value: unknown } => typeof v === "object" && v !== null && SECRET_SIG in v;

/** A recorded input with every secret replaced by its value. */
export function unwrapSecrets(v: any): any {
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v && typeof v === "object") {
        if (SECRET_SIG in v) return unwrapSecrets(v.value);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}

/** `Pulumi.<stack>.yaml`'s `openstack-lab:` keys, without the prefix. */
export function stackLabConfig(stack: string): Record<string, any> {
    const file = parse(fs.readFileSync(path.join(__dirname, "../..", `Pulumi.${stack}.yaml`), "utf8")).config as Record<string, unknown>;
    return Object.fromEntries(Object.entries(file).filter(([k]) => k.startsWith("openstack-lab:")).map(([k, v]) => [k.slice("openstack-lab:".length), v]));
}
