import { labSchema, LabConfig } from "./schema";

export const NAMESPACE = "openstack-lab";

/** A config problem, with every offending key named. */
export class LabConfigError extends Error {}

/** Renders a zod path as it is written in the stack file: hosts[0].hostKey. */
function keyPath(path: ReadonlyArray<PropertyKey>): string {
    let out = `${NAMESPACE}:`;
    path.forEach((p, i) => {
        if (typeof p === "number") out += `[${p}]`;
        else out += (i === 0 ? "" : ".") + String(p);
    });
    return out;
}

/** Validates the raw stack config (as read from Pulumi config) into a lab. */
export function parseLab(raw: Record<string, unknown>): LabConfig {
    const result = labSchema.safeParse(raw);
    if (result.success) return result.data;
    const lines = result.error.issues.map((i) => `  ${keyPath(i.path)}: ${i.message}`);
    throw new LabConfigError(`invalid stack config:\n${lines.join("\n")}`);
}

/** Reads the lab's keys from a pulumi.Config (or anything with the same getObject). */
export function readLab(config: { getObject<T>(key: string): T | undefined }): LabConfig {
    return parseLab({
        hosts: config.getObject("hosts"),
        networks: config.getObject("networks"),
        images: config.getObject("images"),
        vms: config.getObject("vms"),
        vethPatches: config.getObject("vethPatches"),
    });
}
