import { ConnectionArgs, run, sh, Transport } from "./transport";
import { gone, resourceKind } from "./kit";
import { clientEnv, withClient } from "./openstackCli";

/**
 * An object in the lab's own OpenStack API (a flavor, an image, a network, a
 * keypair, a server...), made with the openstack client on the controller as
 * seed 003's last section does by hand. The client is the one thing every lab
 * controller has: the pulumi-resource-openstack plugin cannot be built here
 * (its Go modules are refused by the module proxy).
 */
export const KINDS = ["flavor", "image", "network", "subnet", "keypair", "security group", "security group rule", "server"] as const;
export type OpenStackKind = (typeof KINDS)[number];

export interface OpenStackObjectInputs {
    /** The controller, where the client runs. */
    connection: ConnectionArgs;
    authUrl: string;
    user: string;
    project: string;
    /** The user's password and a newline (secret, the client's stdin). */
    stdin: string;
    kind: OpenStackKind;
    /** Its name; an object of that name found on create is taken over (an `up` cut short made it). */
    name?: string;
    /** The client's arguments after `openstack <kind> create`, before the name. */
    args: string[];
    /** Data the client reads from a file: each is written to a temporary file on the controller and given as `flag path`. */
    files?: Array<{ flag: string; content: string }>;
    /**
     * A flag whose file is the rest of stdin after the password line (secret data, such as a
     * server's user data holding its host key): written to a temporary file, given as `flag path`.
     */
    stdinFile?: string;
}

export interface OpenStackObjectOutputs extends OpenStackObjectInputs {
    objectId: string;
    /** A server's or an image's status as last read; "" for kinds that have none. */
    status: string;
    /** A server's addresses as the client prints them (`net=203.0.113.26`). */
    addresses: string;
}

/** Not found, as the client says it for each kind; anything else on `show` is an error. */
const NOT_FOUND = "No .* found|No .* exists|could not be found|HTTP 404|ResourceNotFound";
// A server that never leaves BUILD (no host, an image that will not convert) fails the step.
const SERVER_WAIT_SECONDS = 900;


function kindWords(kind: OpenStackKind): string[] {
    return kind.split(" ");
}

/** Polls a server (its id in $id) until it is ACTIVE or ERROR, then prints it. */
function serverWait(): string {
    return `for n in $(seq 1 ${SERVER_WAIT_SECONDS / 5}); do s=$(openstack server show "$id" -f value -c status); ` +
        `case "$s" in ACTIVE|ERROR) break;; esac; sleep 5; done\nopenstack server show "$id" -f json`;
}

/** The create command, with each file written to a temporary file first and removed after. */
export function createScript(i: OpenStackObjectInputs): string {
    const lines = [clientEnv(i), "set -e", 'tmp=$(mktemp -d); trap \'rm -rf "$tmp"\' EXIT'];
    const fileArgs: string[] = [];
    if (i.stdinFile) {
        // clientEnv has read the password line; what follows is this file's, and never on a command line.
        lines.push('cat > "$tmp/stdin"');
        fileArgs.push(sh`${i.stdinFile}` + ' "$tmp/stdin"');
    }
    (i.files ?? []).forEach((f, n) => {
        lines.push(sh`printf '%s' ${f.content} > "$tmp/` + `${n}"`);
        fileArgs.push(sh`${f.flag}` + ` "$tmp/${n}"`);
    });
    const words = kindWords(i.kind);
    const create = [sh`openstack ${words} create ${i.args}`, ...fileArgs, ...(i.name ? [sh`${i.name}`] : [])].join(" ");
    if (i.kind === "server") {
        // A server of that name is taken over (an `up` cut short made it), then waited for.
        const find = i.name ? sh`openstack server show ${i.name} -f value -c id 2>/dev/null` : "false";
        lines.push(`if ! id=$(${find}); then id=$(${create} -f value -c id); fi`, serverWait());
    } else if (i.name) {
        // Taken over when it exists: show prints it the way create does.
        lines.push(sh`if ! out=$(openstack ${words} show ${i.name} -f json 2>/dev/null); then out=$(` + `${create} -f json); fi`, `printf '%s\n' "$out"`);
    } else if (i.kind === "security group rule") {
        // A rule has no name; Neutron refuses a second one alike and says which it is, which is taken over.
        lines.push(`if ! out=$(${create} -f json 2>&1); then`,
            `  id=$(printf '%s\\n' "$out" | sed -n 's/.*Rule id is \\([0-9a-f-]*\\).*/\\1/p' | head -n 1)`,
            `  [ -n "$id" ] || { printf '%s\\n' "$out" >&2; exit 1; }`,
            `  out=$(openstack security group rule show "$id" -f json)`,
            "fi", `printf '%s\\n' "$out"`);
    } else {
        lines.push(`${create} -f json`);
    }
    return lines.join("\n");
}

function showScript(i: OpenStackObjectInputs, id: string): string {
    return `${clientEnv(i)}\n` + sh`openstack ${kindWords(i.kind)} show ${id} -f json`;
}

function deleteScript(i: OpenStackObjectInputs, id: string): string {
    const wait = i.kind === "server" ? " --wait" : "";
    return `${clientEnv(i)}\n` + sh`out=$(openstack ${kindWords(i.kind)} delete ${id}` + `${wait} 2>&1) || { printf '%s\\n' "$out" | grep -qiE ` + sh`${NOT_FOUND}` + ` || { printf '%s\\n' "$out" >&2; exit 1; }; }`;
}

/** What `create` or `show` printed, as the outputs kept in state. */
export function parseObject(kind: OpenStackKind, json: string): { objectId: string; status: string; addresses: string } {
    const o = JSON.parse(json) as Record<string, unknown>;
    const id = (o.id ?? o.name) as string | undefined;
    if (!id) throw new Error(`the openstack client printed no id for the ${kind}: ${json.slice(0, 200)}`);
    const addr = o.addresses;
    const addresses = typeof addr === "string" ? addr
        : addr && typeof addr === "object" ? Object.entries(addr as Record<string, string[]>).map(([net, ips]) => `${net}=${ips.join(", ")}`).join("; ")
            : "";
    return { objectId: id, status: typeof o.status === "string" ? o.status : "", addresses };
}

/** The last JSON document in the output (the client may print warnings first). */
function jsonOf(out: string): string {
    const start = out.indexOf("{");
    if (start < 0) throw new Error(`no JSON in the openstack client's output: ${out.slice(0, 200)}`);
    return out.slice(start);
}

async function serverFault(t: Transport, i: OpenStackObjectInputs, id: string): Promise<string> {
    const r = await t.exec(`${clientEnv(i)}\n` + sh`openstack server show ${id} -f value -c fault`, { stdin: i.stdin });
    return r.stdout.trim() || r.stderr.trim();
}

async function createObject(i: OpenStackObjectInputs): Promise<OpenStackObjectOutputs> {
    const what = `create ${i.kind} ${i.name ?? ""}`.trim();
    return withClient(i.connection, async (t) => {
        const got = parseObject(i.kind, jsonOf(await run(t, what, createScript(i), { stdin: i.stdin })));
        if (i.kind === "server" && got.status !== "ACTIVE") {
            // Removed, so that the next `up` starts it again instead of keeping a broken server.
            const fault = await serverFault(t, i, got.objectId);
            await run(t, `delete failed server ${i.name ?? got.objectId}`, deleteScript(i, got.objectId), { stdin: i.stdin });
            throw new Error(`host ${t.name}: server ${i.name ?? got.objectId} ended ${got.status || "without a status"}: ${fault}`);
        }
        return { ...i, ...got };
    });
}

const openStackObject = resourceKind<OpenStackObjectInputs, OpenStackObjectOutputs>({
    kind: "OpenStackObject",
    outputs: ["objectId", "status", "addresses"],
    secrets: ["connection", "stdin"],
    timeouts: { create: "20m", update: "20m", delete: "10m" },
    changes: {
        replace: ["kind", "name", "args", "files", "stdinFile", "user", "project", "authUrl"],
        update: ["stdin"],
        // A server found stopped or broken by refresh is started again in place.
        drifted: (olds) => olds.kind === "server" && olds.status !== "ACTIVE",
    },
    async check(_olds: OpenStackObjectInputs, news: OpenStackObjectInputs) {
        const failures = KINDS.includes(news.kind) ? [] : [{ property: "kind", reason: `must be one of ${KINDS.join(", ")}` }];
        return { inputs: news, failures };
    },
    async create(inputs: OpenStackObjectInputs) {
        const outs = await createObject(inputs);
        return { id: `${inputs.kind}:${outs.objectId}`, outs };
    },
    async update(_id: string, olds: OpenStackObjectOutputs, news: OpenStackObjectInputs) {
        if (news.kind !== "server" || olds.status === "ACTIVE") return { outs: { ...olds, ...news } };
        return withClient(news.connection, async (t) => {
            const action = olds.status === "SHUTOFF" ? sh`start ${olds.objectId}` : sh`reboot --hard ${olds.objectId}`;
            const script = `${clientEnv(news)}\nset -e\nopenstack server ${action}\n` + sh`id=${olds.objectId}` + `\n${serverWait()}`;
            const got = parseObject("server", jsonOf(await run(t, `start server ${news.name ?? olds.objectId}`, script, { stdin: news.stdin })));
            if (got.status !== "ACTIVE") throw new Error(`host ${t.name}: server ${news.name ?? olds.objectId} is ${got.status}: ${await serverFault(t, news, olds.objectId)}`);
            return { outs: { ...news, ...got } };
        });
    },
    async delete(_id: string, olds: OpenStackObjectOutputs) {
        await withClient(olds.connection, (t) => run(t, `delete ${olds.kind} ${olds.name ?? olds.objectId}`, deleteScript(olds, olds.objectId), { stdin: olds.stdin }));
    },
    async read(id: string, props: OpenStackObjectOutputs) {
        return withClient(props.connection, async (t) => {
            const r = await t.exec(showScript(props, props.objectId), { stdin: props.stdin });
            if (r.code !== 0) {
                if (new RegExp(NOT_FOUND, "i").test(r.stderr + r.stdout)) return gone();
                throw new Error(`host ${t.name}: show ${props.kind} ${props.name ?? props.objectId} failed (exit ${r.code}): ${r.stderr.trim().split("\n").slice(-2).join(" | ")}`);
            }
            return { id, props: { ...props, ...parseObject(props.kind, jsonOf(r.stdout)) } };
        });
    },
});

export const openStackObjectProvider = openStackObject.provider;

export const OpenStackObject = openStackObject.Resource;
export type OpenStackObject = InstanceType<typeof OpenStackObject>;
