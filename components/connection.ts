import * as pulumi from "@pulumi/pulumi";
import type { ConnectionArgs } from "../providers/transport";
import type { PhysicalHostConfig } from "../config/schema";

/** The connection a host's resources use; secret because it carries the private key. */
export function hostConnection(h: PhysicalHostConfig, privateKey: pulumi.Input<string> | undefined): pulumi.Output<ConnectionArgs> {
    if (h.address === "local") {
        return pulumi.output({ name: h.name, address: "local" });
    }
    return pulumi.secret(pulumi.output(privateKey ?? "").apply((key) => ({
        name: h.name, address: h.address, port: h.port, user: h.user, hostKey: h.hostKey, privateKey: key,
    })));
}
