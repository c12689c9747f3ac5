import { ConnectionArgs, run } from "./transport";
import { resourceKind } from "./kit";
import { adminEnv, withClient } from "./openstackCli";

/**
 * The lab's node table (seed 003's "Current status"): each node's Nova
 * services and Neutron agents as the controller lists them. It changes
 * nothing; `up` fills it when the nodes change and `pulumi refresh` reads it
 * again, so a node whose services went down shows in the stack's outputs.
 */
export interface NodeEntry {
    /** The node's name in the stack config. */
    node: string;
    type: "head" | "compute" | "storage";
    /** Its name in Nova's, Neutron's and Cinder's lists (`<name>@lvm`); the controller's own hostname when absent. */
    listedAs?: string;
}

export interface NodeStatusInputs {
    /** The controller, where the openstack client runs. */
    connection: ConnectionArgs;
    authUrl: string;
    /** The admin password and a newline (secret, the client's stdin). */
    stdin: string;
    nodes: NodeEntry[];
}

export interface NodeRow {
    node: string;
    type: string;
    /** `up`, `down: <services>` or `not registered`. */
    status: string;
    services: string[];
}

export interface NodeStatusOutputs extends NodeStatusInputs {
    rows: NodeRow[];
    table: string;
}

interface ComputeService { Binary: string; Host: string; State: string; Status?: string }
interface NetworkAgent { Binary: string; Host: string; Alive: boolean | string }

const MARK = "@@olab-agents@@";

/** Cinder's list is read only for a lab with a storage node: without Cinder the client has no volume endpoint. */
const withVolumes = (nodes: NodeEntry[]) => nodes.some((n) => n.type === "storage");

function script(authUrl: string, volumes: boolean): string {
    return `${adminEnv(authUrl)}; hostname; echo ${MARK}; openstack compute service list -f json; echo ${MARK}; openstack network agent list -f json` +
        (volumes ? `; echo ${MARK}; openstack volume service list -f json` : "");
}

/** The client's JSON lists and the controller's hostname, as the rows of the table. */
export function nodeRows(out: string, nodes: NodeEntry[]): NodeRow[] {
    const [head, computeJson, agentJson, volumeJson] = out.split(`${MARK}\n`);
    if (agentJson === undefined || (withVolumes(nodes) && volumeJson === undefined)) throw new Error(`unexpected output from the openstack client: ${out.slice(0, 200)}`);
    const hostname = head.trim().split("\n").pop()!;
    const services = [...JSON.parse(computeJson), ...(volumeJson === undefined ? [] : JSON.parse(volumeJson))] as ComputeService[];
    const agents = JSON.parse(agentJson) as NetworkAgent[];
    return nodes.map((n) => {
        const host = n.listedAs ?? hostname;
        const mine = [
            ...services.filter((s) => s.Host === host).map((s) => ({ name: s.Binary, up: s.State === "up" })),
            ...agents.filter((a) => a.Host === host).map((a) => ({ name: a.Binary, up: a.Alive === true || a.Alive === ":-)" })),
        ].sort((a, b) => a.name.localeCompare(b.name));
        const down = mine.filter((s) => !s.up).map((s) => s.name);
        const status = mine.length === 0 ? "not registered" : down.length ? `down: ${down.join(", ")}` : "up";
        return { node: n.node, type: n.type, status, services: mine.map((s) => s.name) };
    });
}

/** The rows as a Markdown table like seed 003's. */
export function renderTable(rows: NodeRow[]): string {
    const cells = [["Node", "Type", "Status"], ...rows.map((r) => [r.node, r.type, r.status])];
    const widths = cells[0].map((_, i) => Math.max(...cells.map((c) => c[i].length)));
    const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(" | ")} |`;
    return [line(cells[0]), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...cells.slice(1).map(line)].join("\n") + "\n";
}

// Services report in over RabbitMQ some seconds after they start: a node just
// brought up is given that long before it is called down.
const SETTLE_TRIES = 20;
const SETTLE_PAUSE_MS = 3000;

async function query(inputs: NodeStatusInputs, settle: boolean): Promise<{ rows: NodeRow[]; table: string }> {
    return withClient(inputs.connection, async (t) => {
        for (let i = 1; ; i++) {
            const rows = nodeRows(await run(t, "read the node table", script(inputs.authUrl, withVolumes(inputs.nodes)), { stdin: inputs.stdin }), inputs.nodes);
            if (!settle || i >= SETTLE_TRIES || rows.every((r) => r.status === "up")) return { rows, table: renderTable(rows) };
            await new Promise((r) => setTimeout(r, SETTLE_PAUSE_MS));
        }
    });
}

const nodeStatus = resourceKind<NodeStatusInputs, NodeStatusOutputs>({
    kind: "NodeStatus",
    outputs: ["rows", "table"],
    secrets: ["connection", "stdin"],
    changes: {
        replace: [],
        update: ["authUrl", "stdin", "nodes"],
    },
    async create(inputs: NodeStatusInputs) {
        return { id: `${inputs.connection.name}:node-status`, outs: { ...inputs, ...(await query(inputs, true)) } };
    },
    async update(_id: string, _olds: NodeStatusOutputs, news: NodeStatusInputs) {
        return { outs: { ...news, ...(await query(news, true)) } };
    },
    async read(id: string, props: NodeStatusOutputs) {
        return { id, props: { ...props, ...(await query(props, false)) } };
    },
});

export const nodeStatusProvider = nodeStatus.provider;

export const NodeStatus = nodeStatus.Resource;
export type NodeStatus = InstanceType<typeof NodeStatus>;
