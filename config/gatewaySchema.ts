import { z } from "zod";

// Seed 000's gateway VM: the lab's management network reaches the outside
// through it, masqueraded on its public interface.

/**
 * An IPv4 network written with its own address (10.0.0.0/24, not 10.0.0.5/24
 * or 10.0.0/24): iptables stores it that way, so anything else would read
 * back as drift forever. NatGateway checks its inputs with it too.
 */
export function isNetworkCidr(s: unknown): boolean {
    const ipaddr = require("ipaddr.js") as typeof import("ipaddr.js");
    if (typeof s !== "string" || !ipaddr.IPv4.isValidCIDR(s)) return false;
    const base = s.split("/")[0];
    return ipaddr.IPv4.isValidFourPartDecimal(base) && ipaddr.IPv4.networkAddressFromCIDR(s).toString() === base;
}

const network = z.cidrv4().refine(isNetworkCidr, "must be a network's own address with its prefix, like 10.0.0.0/24");

export const gatewaySchema = z.object({
    /** The hosts[] entry or VM that routes (seed 000: the gateway VM). */
    host: z.string(),
    /** The address the lab's nodes use as their gateway (default: the node's address). */
    address: z.ipv4().optional(),
    /** Where routed traffic leaves, masqueraded (seed 000: the gateway's public NIC). */
    outInterface: z.string().regex(/^[A-Za-z0-9_.\-]{1,15}$/, "must be an interface name of 1-15 letters, digits, _ . -"),
    /** The networks it routes out. */
    sources: z.array(network).min(1, "needs at least one network to route out"),
}).strict();

export type GatewayConfig = z.infer<typeof gatewaySchema>;
