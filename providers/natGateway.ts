import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { resourceKind } from "./kit";
import { isNetworkCidr } from "../config/gatewaySchema";
import { fillChain, LabChain, listChain, removeChain } from "./iptablesChain";

/**
 * Seed 000's gateway: the lab's networks reach the outside through one
 * interface, masqueraded. The rules live in chains of the lab's own
 * (nat OLAB-NAT from POSTROUTING, filter OLAB-FORWARD from FORWARD), so
 * destroy removes exactly them and rules an operator added stay.
 */
export interface NatGatewayInputs {
    connection: ConnectionArgs;
    /** Networks routed out, as CIDRs (seed 000: the management network 10.0.0.0/24). */
    sources: string[];
    /** Where their traffic leaves, masqueraded. */
    outInterface: string;
}

export interface NatGatewayOutputs extends NatGatewayInputs {
    /** What was found when last read: `nat <cidr>`, `forward <cidr>`, `return <cidr>` and the two jumps. */
    present: string[];
}

const NAT = "OLAB-NAT";
const FORWARD = "OLAB-FORWARD";
const NAT_CHAIN: LabChain = { table: "nat", chain: NAT, from: "POSTROUTING", first: false };
const FORWARD_CHAIN: LabChain = { table: "filter", chain: FORWARD, from: "FORWARD", first: true };

function expected(i: NatGatewayInputs): string[] {
    return [...i.sources.flatMap((s) => [`nat ${s}`, `forward ${s}`, `return ${s}`]), "jump nat", "jump forward"].sort();
}

/** Our chains' rules, in the words of `expected`. iptables prints a /32 source without its mask. */
export function parsePresent(out: string, outInterface: string): string[] {
    const cidr = (s: string) => (s.includes("/") ? s : `${s}/32`);
    const found: string[] = [];
    for (const l of out.split("\n")) {
        let m: RegExpExecArray | null;
        if ((m = new RegExp(`^-A ${NAT} -s (\\S+) -o (\\S+) (?:.* )?-j MASQUERADE`).exec(l)) && m[2] === outInterface) found.push(`nat ${cidr(m[1])}`);
        else if ((m = new RegExp(`^-A ${FORWARD} -s (\\S+) -o (\\S+) -j ACCEPT`).exec(l)) && m[2] === outInterface) found.push(`forward ${cidr(m[1])}`);
        else if ((m = new RegExp(`^-A ${FORWARD} -d (\\S+) -i (\\S+) .*--ctstate RELATED,ESTABLISHED -j ACCEPT`).exec(l)) && m[2] === outInterface) found.push(`return ${cidr(m[1])}`);
        else if (l === "jump nat" || l === "jump forward") found.push(l);
    }
    return found.sort();
}

async function present(t: Transport, i: NatGatewayInputs): Promise<string[]> {
    const r = await t.exec(`${listChain(NAT_CHAIN, "jump nat")}; ${listChain(FORWARD_CHAIN, "jump forward")}`);
    return parsePresent(r.stdout, i.outInterface);
}

function applyScript(i: NatGatewayInputs): string {
    const o = i.outInterface;
    return [
        "set -e",
        ...fillChain(NAT_CHAIN, i.sources.map((s) => sh`-s ${s} -o ${o} -j MASQUERADE -m comment --comment openstack-lab`)),
        ...fillChain(FORWARD_CHAIN, i.sources.flatMap((s) => [
            sh`-s ${s} -o ${o} -j ACCEPT`,
            sh`-d ${s} -i ${o} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
        ])),
    ].join("\n");
}

const REMOVE = `${removeChain(NAT_CHAIN)}; ${removeChain(FORWARD_CHAIN)}`;

async function apply(i: NatGatewayInputs): Promise<string[]> {
    return withHost(i.connection, async (t) => {
        await run(t, `route ${i.sources.join(", ")} out through ${i.outInterface}`, applyScript(i));
        return present(t, i);
    });
}

const natGateway = resourceKind<NatGatewayInputs, NatGatewayOutputs>({
    kind: "NatGateway",
    outputs: ["present"],
    secrets: ["connection"],
    changes: {
        replace: [],
        update: ["sources", "outInterface"],
        drifted: (olds) => JSON.stringify(olds.present) !== JSON.stringify(expected(olds)),
    },
    async check(_olds: NatGatewayInputs, news: NatGatewayInputs) {
        const failures = [];
        const sources = Array.isArray(news.sources) ? news.sources : [];
        if (sources.length === 0) failures.push({ property: "sources", reason: "at least one network to route out is needed" });
        for (const s of sources) {
            if (!isNetworkCidr(s)) failures.push({ property: "sources", reason: `invalid network ${JSON.stringify(s)}: an IPv4 network like 10.0.0.0/24` });
        }
        if (typeof news.outInterface !== "string" || !/^[A-Za-z0-9_.\-]{1,15}$/.test(news.outInterface)) {
            failures.push({ property: "outInterface", reason: `invalid interface ${JSON.stringify(news.outInterface)}` });
        }
        return { inputs: news, failures };
    },
    async create(inputs: NatGatewayInputs) {
        return { id: `${inputs.connection.name}:nat`, outs: { ...inputs, present: await apply(inputs) } };
    },
    async update(_id: string, _olds: NatGatewayOutputs, news: NatGatewayInputs) {
        return { outs: { ...news, present: await apply(news) } };
    },
    async delete(_id: string, olds: NatGatewayOutputs) {
        await withHost(olds.connection, (t) => run(t, "remove the lab's NAT rules", REMOVE));
    },
    async read(id: string, props: NatGatewayOutputs) {
        return withHost(props.connection, async (t) => ({ id, props: { ...props, present: await present(t, props) } }));
    },
});

export const natGatewayProvider = natGateway.provider;

export const NatGateway = natGateway.Resource;
export type NatGateway = InstanceType<typeof NatGateway>;
