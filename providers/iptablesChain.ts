import { sh } from "./transport";

/**
 * A chain of the lab's own that a built-in chain jumps to (FirewallPorts'
 * OLAB-<ROLE>, NatGateway's OLAB-NAT and OLAB-FORWARD). Applying flushes it
 * and writes its rules again; removing takes the jump and the chain away and
 * leaves every other rule as it was.
 */
export interface LabChain {
    table: "filter" | "nat";
    chain: string;
    /** The built-in chain that jumps to it. */
    from: string;
    /** Jump first (before rules already there), else last. */
    first: boolean;
}

const iptables = (c: LabChain) => (c.table === "filter" ? "iptables" : sh`iptables -t ${c.table}`);

/** Script lines that create or flush the chain, append `rules` (each the quoted arguments after `-A CHAIN`), and add the jump once. */
export function fillChain(c: LabChain, rules: string[]): string[] {
    const ipt = iptables(c);
    const jump = c.first ? sh`-I ${c.from} 1 -j ${c.chain}` : sh`-A ${c.from} -j ${c.chain}`;
    return [
        `${ipt} ${sh`-N ${c.chain}`} 2>/dev/null || ${ipt} ${sh`-F ${c.chain}`}`,
        ...rules.map((r) => `${ipt} ${sh`-A ${c.chain}`} ${r}`),
        `${ipt} ${sh`-C ${c.from} -j ${c.chain}`} 2>/dev/null || ${ipt} ${jump}`,
    ];
}

/** A script that never fails: the jumps to the chain, then the chain itself, are gone afterwards. */
export function removeChain(c: LabChain): string {
    const ipt = iptables(c);
    return `while ${ipt} ${sh`-D ${c.from} -j ${c.chain}`} 2>/dev/null; do :; done; ` +
        `${ipt} ${sh`-F ${c.chain}`} 2>/dev/null; ${ipt} ${sh`-X ${c.chain}`} 2>/dev/null; true`;
}

/** A script that prints the chain's rules (`iptables -S`) and then `mark` when the jump to it is there. */
export function listChain(c: LabChain, mark: string): string {
    const ipt = iptables(c);
    return `${ipt} ${sh`-S ${c.chain}`} 2>/dev/null; ${ipt} ${sh`-C ${c.from} -j ${c.chain}`} 2>/dev/null && echo ${sh`${mark}`}; true`;
}
