import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { resourceKind } from "./kit";
import { fillChain, LabChain, listChain, removeChain } from "./iptablesChain";

/**
 * Ports a node's role needs open (seed 003's port table), opened with
 * firewalld where it runs (the RHEL family), else with iptables in a chain
 * of the lab's own that INPUT jumps to first. Destroy closes what this
 * opened and nothing else: a port firewalld had open before stays open.
 */
export interface PortRule {
    /** A port or a range, like 5000 or 5900-5999. */
    port: string;
    protocol: "tcp" | "udp";
    /** What it is for (seed 003's "Service" column); an iptables comment. */
    service: string;
}

export interface FirewallPortsInputs {
    connection: ConnectionArgs;
    /** Names the chain: OLAB-<ROLE>. */
    role: string;
    rules: PortRule[];
}

export interface FirewallPortsOutputs extends FirewallPortsInputs {
    backend: "firewalld" | "iptables";
    /** firewalld: the ports that were open before and stay open on destroy. */
    openBefore: string[];
    /** What was found open when last read (firewalld: of ours; iptables: our chain's rules, and whether INPUT jumps to it). */
    present: string[];
}

/** iptables keeps a comment of at most 256 bytes on one line. */
const commentOf = (service: string) => service.replace(/[\x00-\x1f]+/g, " ").slice(0, 200);
const chainOf = (role: string): LabChain => ({ table: "filter", chain: `OLAB-${role.toUpperCase()}`, from: "INPUT", first: true });
const spec = (r: PortRule) => `${r.port}/${r.protocol}`;

async function backendOf(t: Transport): Promise<"firewalld" | "iptables"> {
    const out = await run(t, "detect firewall", `if firewall-cmd --state >/dev/null 2>&1; then echo firewalld; elif command -v iptables >/dev/null; then echo iptables; else echo none; fi`);
    const b = out.trim();
    if (b !== "firewalld" && b !== "iptables") throw new Error(`host ${t.name}: neither firewalld running nor iptables installed: cannot open the role's ports`);
    return b;
}

async function firewalldPorts(t: Transport): Promise<string[]> {
    return (await run(t, "list firewalld ports", "firewall-cmd --permanent --list-ports")).trim().split(/\s+/).filter(Boolean);
}

/** Our chain's rules as port/protocol, plus "jump" when INPUT sends packets to it. */
async function iptablesPresent(t: Transport, role: string): Promise<string[]> {
    const out = await t.exec(listChain(chainOf(role), "jump"));
    const found = out.stdout.split("\n").flatMap((l) => {
        const m = /-p (tcp|udp) .*--dport (\d+(?::\d+)?) .*-j ACCEPT/.exec(l);
        return m ? [`${m[2].replace(":", "-")}/${m[1]}`] : [];
    });
    return out.stdout.split("\n").includes("jump") ? [...found, "jump"] : found;
}

function iptablesApply(i: FirewallPortsInputs): string {
    const rules = i.rules.map((r) => sh`-p ${r.protocol} --dport ${r.port.replace("-", ":")} -m comment --comment ${commentOf(r.service)} -j ACCEPT`);
    return ["set -e", ...fillChain(chainOf(i.role), rules)].join("\n");
}

async function apply(t: Transport, i: FirewallPortsInputs, backend: FirewallPortsOutputs["backend"], openBefore: string[], previous: PortRule[] = []): Promise<string[]> {
    if (backend === "iptables") {
        await run(t, `open ${i.role} ports`, iptablesApply(i));
        return iptablesPresent(t, i.role);
    }
    const wanted = i.rules.map(spec);
    const dropped = previous.map(spec).filter((p) => !wanted.includes(p) && !openBefore.includes(p));
    const args = [...wanted.map((p) => `--add-port=${p}`), ...dropped.map((p) => `--remove-port=${p}`)];
    await run(t, `open ${i.role} ports`, sh`firewall-cmd --permanent ${args} >/dev/null && firewall-cmd --reload >/dev/null`);
    const now = await firewalldPorts(t);
    return wanted.filter((p) => now.includes(p));
}

function expected(i: FirewallPortsInputs, backend: FirewallPortsOutputs["backend"]): string[] {
    return [...i.rules.map(spec), ...(backend === "iptables" ? ["jump"] : [])];
}

const firewallPorts = resourceKind<FirewallPortsInputs, FirewallPortsOutputs>({
    kind: "FirewallPorts",
    outputs: ["backend", "openBefore", "present"],
    secrets: ["connection"],
    changes: {
        replace: ["role"],
        update: ["rules"],
        drifted: (olds) => JSON.stringify([...olds.present].sort()) !== JSON.stringify(expected(olds, olds.backend).sort()),
    },
    async check(_olds: FirewallPortsInputs, news: FirewallPortsInputs) {
        const failures = [];
        if (!/^[a-z][a-z0-9-]{0,20}$/.test(news.role)) failures.push({ property: "role", reason: `invalid role ${JSON.stringify(news.role)}` });
        for (const r of Array.isArray(news.rules) ? news.rules : []) {
            const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(r.port);
            if (!m || Number(m[1]) > 65535 || (m[2] && (Number(m[2]) > 65535 || Number(m[2]) < Number(m[1])))) {
                failures.push({ property: "rules", reason: `invalid port ${JSON.stringify(r.port)}: a port or a range like 5900-5999` });
            }
            if (r.protocol !== "tcp" && r.protocol !== "udp") failures.push({ property: "rules", reason: `invalid protocol ${JSON.stringify(r.protocol)}` });
        }
        return { inputs: news, failures };
    },
    async create(inputs: FirewallPortsInputs) {
        return withHost(inputs.connection, async (t) => {
            const backend = await backendOf(t);
            const openBefore = backend === "firewalld" ? (await firewalldPorts(t)).filter((p) => inputs.rules.map(spec).includes(p)) : [];
            const present = await apply(t, inputs, backend, openBefore);
            const outs: FirewallPortsOutputs = { ...inputs, backend, openBefore, present };
            return { id: `${inputs.connection.name}:firewall:${inputs.role}`, outs };
        });
    },
    async update(_id: string, olds: FirewallPortsOutputs, news: FirewallPortsInputs) {
        return withHost(news.connection, async (t) => {
            const present = await apply(t, news, olds.backend, olds.openBefore, olds.rules);
            return { outs: { ...news, backend: olds.backend, openBefore: olds.openBefore, present } };
        });
    },
    async delete(_id: string, olds: FirewallPortsOutputs) {
        await withHost(olds.connection, async (t) => {
            if (olds.backend === "iptables") {
                await run(t, `close ${olds.role} ports`, removeChain(chainOf(olds.role)));
                return;
            }
            const ours = olds.rules.map(spec).filter((p) => !olds.openBefore.includes(p));
            if (ours.length) await run(t, `close ${olds.role} ports`, sh`firewall-cmd --permanent ${ours.map((p) => `--remove-port=${p}`)} >/dev/null && firewall-cmd --reload >/dev/null`);
        });
    },
    async read(id: string, props: FirewallPortsOutputs) {
        return withHost(props.connection, async (t) => {
            const present = props.backend === "iptables"
                ? await iptablesPresent(t, props.role)
                : (await firewalldPorts(t)).filter((p) => props.rules.map(spec).includes(p));
            return { id, props: { ...props, present } };
        });
    },
});

export const firewallPortsProvider = firewallPorts.provider;

export const FirewallPorts = firewallPorts.Resource;
export type FirewallPorts = InstanceType<typeof FirewallPorts>;
