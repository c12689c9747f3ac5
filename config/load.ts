import type { z } from "zod";
import { LAB_KEYS, labSchema, LabConfig } from "./schema";
import { passwordsSchema, PasswordsConfig } from "./controllerSchema";

export const NAMESPACE = "openstack-lab";

/** A config problem, with every offending key named. */
export class LabConfigError extends Error {}

/**
 * Renders a zod path as `pulumi config --path` takes it: hosts[0].hostKey, and
 * a key that is not a plain name in brackets: hosts[0].ini["/etc/nova/nova.conf"].DEFAULT["my key"].
 */
export function keyPath(path: ReadonlyArray<PropertyKey>): string {
    let out = `${NAMESPACE}:`;
    path.forEach((p, i) => {
        if (typeof p === "number") out += `[${p}]`;
        else if (i > 0 && !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(String(p))) out += `[${JSON.stringify(String(p))}]`;
        else out += (i === 0 ? "" : ".") + String(p);
    });
    return out;
}

/** A record key that fails its own rule says that rule, not zod's "Invalid key in record". */
function message(i: z.core.$ZodIssue): string {
    if (i.code === "invalid_key" && i.issues.length) return i.issues.map((k) => k.message).join("; ");
    return i.message;
}

/** Validates the raw stack config (as read from Pulumi config) into a lab. */
export function parseLab(raw: Record<string, unknown>): LabConfig {
    const result = labSchema.safeParse(raw);
    if (result.success) return result.data;
    const lines = result.error.issues.map((i) => `  ${keyPath(i.path)}: ${message(i)}`);
    throw new LabConfigError(`invalid stack config:\n${lines.join("\n")}`);
}

/** Keys read apart from the lab's: the SSH key and the passwords (secrets). */
const OTHER_KEYS = ["sshPrivateKey", "passwords"];

/**
 * Reads the lab's keys from a pulumi.Config (or anything with the same
 * getObject). With `all` (every key the stack sets), a key of the namespace
 * that nothing reads, a typo most likely, is an error too.
 */
export function readLab(config: { getObject<T>(key: string): T | undefined }, all?: Record<string, string>): LabConfig {
    const unknown = Object.keys(all ?? {}).filter((k) => k.startsWith(`${NAMESPACE}:`))
        .map((k) => k.slice(NAMESPACE.length + 1)).filter((k) => !(LAB_KEYS as string[]).includes(k) && !OTHER_KEYS.includes(k));
    if (unknown.length) {
        throw new LabConfigError(`invalid stack config:\n${unknown.map((k) => `  ${NAMESPACE}:${k}: unknown key (known: ${[...LAB_KEYS, ...OTHER_KEYS].join(", ")})`).join("\n")}`);
    }
    return parseLab(Object.fromEntries(LAB_KEYS.map((k) => [k, config.getObject(k)])));
}

/**
 * The lab keys that hold a value the stack file marks secure (Pulumi names
 * the top-level key only). Under `hosts` such values are kept as secrets
 * (INI values, file contents); anywhere else they would reach the state in
 * plain text, so that is an error.
 */
export function secureLabKeys(secretKeys: string[]): { hosts: boolean } {
    const wrong = (LAB_KEYS as string[]).filter((k) => k !== "hosts" && secretKeys.includes(`${NAMESPACE}:${k}`));
    if (wrong.length) {
        throw new LabConfigError(`invalid stack config:\n${wrong.map((k) => `  ${NAMESPACE}:${k}: holds a secure value, which would reach the state in plain text; ` +
            `the stack file may mark secure ${NAMESPACE}:sshPrivateKey, ${NAMESPACE}:passwords and values under ${NAMESPACE}:hosts (INI values, file contents)`).join("\n")}`);
    }
    return { hosts: secretKeys.includes(`${NAMESPACE}:hosts`) };
}

/** Validates `openstack-lab:passwords` (a secret object; absent keys are generated). */
export function parsePasswords(raw: string | undefined): PasswordsConfig {
    let value: unknown = {};
    if (raw !== undefined && raw !== "") {
        try {
            value = JSON.parse(raw);
        } catch {
            throw new LabConfigError(`invalid stack config:\n  ${NAMESPACE}:passwords: must be an object of passwords (pulumi config set --secret --path ${NAMESPACE}:passwords.admin)`);
        }
    }
    const result = passwordsSchema.safeParse(value);
    if (result.success) return result.data;
    // The values are secrets: the message names the keys only.
    const lines = result.error.issues.map((i) => `  ${keyPath(["passwords", ...i.path])}: ${i.message}`);
    throw new LabConfigError(`invalid stack config:\n${lines.join("\n")}`);
}
