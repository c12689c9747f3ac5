import type { ConnectionArgs } from "./types";

/** One-line error that names the host, so a failed `up` says where. */
export function hostError(args: Pick<ConnectionArgs, "name" | "address" | "port" | "via">, message: string): Error {
    const where = args.address === "local" ? "this machine"
        : `${args.address}:${args.port ?? 22}${args.via ? ` via ${args.via.name}` : ""}`;
    return new Error(`host ${args.name} (${where}): ${message}`);
}

/** OpenSSH-style SHA256 fingerprint of a raw public key blob. */
export function fingerprint(blob: Buffer): string {
    const { createHash } = require("crypto") as typeof import("crypto");
    return "SHA256:" + createHash("sha256").update(blob).digest("base64").replace(/=+$/, "");
}
