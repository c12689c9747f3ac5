import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { resourceKind } from "./kit";

/** A systemd unit kept enabled and running, restarted when `restartOn` changes. */
export interface ServiceInputs {
    connection: ConnectionArgs;
    name: string;
    enabled?: boolean;
    running?: boolean;
    /** Any value (typically the config files' contents or hashes); a change restarts the unit. */
    restartOn?: string;
}

export interface ServiceOutputs extends ServiceInputs {
    /** What systemd says now. */
    isEnabled: boolean;
    isActive: boolean;
    previous: { enabled: boolean; active: boolean };
}

type InitSystem = "systemd" | "sysv";

/** SysV scripts are named without systemd's unit suffix. */
const sysvName = (unit: string) => unit.replace(/\.service$/, "");

// Hosts without systemd as PID 1 (containers, this CI machine) still have
// Debian's SysV scripts; the same resource drives them there.
async function state(t: Transport, name: string): Promise<{ init: InitSystem; enabled: boolean; active: boolean }> {
    const v = sysvName(name);
    const out = await run(t, `query ${name}`, [
        `if [ -d /run/systemd/system ]; then`,
        sh`  printf 'systemd %s %s\n' "$(systemctl is-enabled ${name} 2>/dev/null)" "$(systemctl is-active ${name} 2>/dev/null)"`,
        sh`elif [ -x /etc/init.d/${v} ]; then`,
        sh`  en=disabled; ls /etc/rc[2345].d/S[0-9][0-9]${v} >/dev/null 2>&1 && en=enabled`,
        sh`  act=inactive; /etc/init.d/${v} status >/dev/null 2>&1 && act=active`,
        `  printf 'sysv %s %s\n' "$en" "$act"`,
        `else echo none; fi`,
    ].join("\n"));
    const [init, en, act] = out.trim().split(" ");
    if (init !== "systemd" && init !== "sysv") {
        throw new Error(`host ${t.name}: service ${name}: no systemd and no /etc/init.d/${v} script (is its package installed?)`);
    }
    return { init, enabled: en === "enabled" || en === "static" || en === "alias", active: act === "active" || act === "activating" };
}

function command(init: InitSystem, name: string, action: "enable" | "disable" | "start" | "stop" | "restart"): string {
    if (init === "systemd") return sh`systemctl ${action} ${name}`;
    const v = sysvName(name);
    if (action === "enable") return sh`update-rc.d ${v} defaults && update-rc.d ${v} enable`;
    if (action === "disable") return sh`update-rc.d ${v} disable`;
    return sh`/etc/init.d/${v} ${action}`;
}

// A unit that crashes while loading its plugins is "active" for a moment
// and then restarted by systemd in a loop, and one whose script decides not
// to run exits 0 at once; both looked started. The unit is watched for a few
// seconds after it starts, and its last journal lines explain a failure.
const SETTLE_SECONDS = 5;

/**
 * The unit's own last output lines (not systemd's lines about it), on stderr: two fit a one-line error.
 * journald may not have stored a line yet when systemctl returns (a loaded host, CI: the error then
 * named no cause), so it is asked for them a few times, up to 5 s, until there are some.
 */
function lastLines(name: string): string {
    const unit = name.includes(".") ? name : `${name}.service`;
    const read = sh`journalctl ${`_SYSTEMD_UNIT=${unit}`} -n 2 --no-pager -o cat 2>/dev/null`;
    return `for i in $(seq 1 20); do out=$(${read} || true); [ -n "$out" ] && break; sleep 0.25; done; printf '%s\\n' "$out" >&2`;
}

function staysUp(name: string): string {
    const show = (p: string) => sh`systemctl show -p ${p} --value ${name}`;
    return [
        `n0=$(${show("NRestarts")}); n0=\${n0:-0}; sleep ${SETTLE_SECONDS}`,
        `st=$(${show("ActiveState")}); n1=$(${show("NRestarts")}); n1=\${n1:-0}`,
        `if { [ "$st" != active ] && [ "$st" != activating ] && [ "$st" != reloading ]; } || [ "$n1" != "$n0" ]; then`,
        `  ${lastLines(name)}`,
        sh`  echo ${name}' did not stay up: '"$st, restarted $((n1 - n0)) times in ${SETTLE_SECONDS}s" >&2; exit 1`,
        `fi`,
    ].join("\n");
}

async function converge(t: Transport, i: ServiceInputs, restart: boolean): Promise<{ enabled: boolean; active: boolean }> {
    const before = await state(t, i.name);
    const wantEnabled = i.enabled ?? true;
    const wantRunning = i.running ?? true;
    const steps: string[] = [];
    if (wantEnabled !== before.enabled) steps.push(command(before.init, i.name, wantEnabled ? "enable" : "disable"));
    if (wantRunning && restart && before.active) steps.push(command(before.init, i.name, "restart"));
    else if (wantRunning !== before.active) steps.push(command(before.init, i.name, wantRunning ? "start" : "stop"));
    if (steps.length) {
        const reload = before.init === "systemd" ? ["systemctl daemon-reload"] : [];
        const started = wantRunning && (restart || !before.active);
        const settle = started && before.init === "systemd" ? [staysUp(i.name)] : [];
        // A unit that fails to start says why in its journal, not in systemctl's message.
        const failed = before.init === "systemd" ? lastLines(i.name) : "true";
        await run(t, `converge ${i.name}`, ["set -e", ...reload, `if ! { ${steps.join("; ")}; }; then ${failed}; exit 1; fi`, ...settle].join("\n"));
    }
    return { enabled: before.enabled, active: before.active };
}

const service = resourceKind<ServiceInputs, ServiceOutputs>({
    kind: "Service",
    outputs: ["isEnabled", "isActive", "previous"],
    secrets: ["connection"],
    changes: {
        replace: ["name"],
        update: ["enabled", "running", "restartOn"],
        drifted: (olds, news) => olds.isEnabled !== (news.enabled ?? true) || olds.isActive !== (news.running ?? true),
    },
    async check(_olds: ServiceInputs, news: ServiceInputs) {
        const ok = /^[A-Za-z0-9@_.:\-]+$/.test(news.name);
        return { inputs: news, failures: ok ? [] : [{ property: "name", reason: `invalid unit name ${JSON.stringify(news.name)}` }] };
    },
    async create(inputs: ServiceInputs) {
        return withHost(inputs.connection, async (t) => {
            // A unit started by its package runs without the files written just
            // before it: with restartOn given, a running unit is restarted once.
            const previous = await converge(t, inputs, inputs.restartOn !== undefined);
            const outs: ServiceOutputs = { ...inputs, isEnabled: inputs.enabled ?? true, isActive: inputs.running ?? true, previous };
            return { id: `${inputs.connection.name}:${inputs.name}`, outs };
        });
    },
    async update(_id: string, olds: ServiceOutputs, news: ServiceInputs) {
        return withHost(news.connection, async (t) => {
            await converge(t, news, olds.restartOn !== news.restartOn);
            return { outs: { ...news, isEnabled: news.enabled ?? true, isActive: news.running ?? true, previous: olds.previous } };
        });
    },
    async delete(_id: string, olds: ServiceOutputs) {
        await withHost(olds.connection, async (t) => {
            let now;
            try {
                now = await state(t, olds.name);
            } catch {
                return; // The unit went away with its package: nothing left to undo.
            }
            const steps: string[] = [];
            if (!olds.previous.active && now.active) steps.push(command(now.init, olds.name, "stop"));
            if (!olds.previous.enabled && now.enabled) steps.push(command(now.init, olds.name, "disable"));
            if (steps.length) await run(t, `restore ${olds.name}`, steps.join("\n"));
        });
    },
    async read(id: string, props: ServiceOutputs) {
        return withHost(props.connection, async (t) => {
            const s = await state(t, props.name);
            return { id, props: { ...props, isEnabled: s.enabled, isActive: s.active } };
        });
    },
});

export const serviceProvider = service.provider;

export const Service = service.Resource;
export type Service = InstanceType<typeof Service>;
