import * as fs from "fs";
import * as path from "path";
import { q, sh, withHost } from "../../providers/transport";
import type { TempestTarget } from "../../components/TempestWorkspace";
import { parseTempestLines, renderSummary, summarize } from "../../render/tempestResults";

// `lab.sh verify`: Tempest run on the controller in the lab's workspace, its
// per-test lines shown as they come, then a table per service. What a run
// leaves is kept in the lab's home: the console, the summary and stestr's
// subunit stream.

export interface VerifyOptions {
    /** Tempest's own selection: a regex, or none for --smoke. */
    regex?: string;
    /** Where the run's records go (the lab home's verify/ directory). */
    recordsDir: string;
    stack: string;
}

/** Exit status when another verify holds the workspace. */
const BUSY = 75;

/** The test ids given on the command line as one anchored regex. */
export function regexOf(tests: string[]): string | undefined {
    if (tests.length === 0) return undefined;
    const escaped = tests.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
    return `^(${escaped.join("|")})`;
}

export async function verify(target: TempestTarget, o: VerifyOptions): Promise<number> {
    const ws = target.workspace;
    const selection = o.regex ? sh`--regex ${o.regex}` : "--smoke";
    let consoleText = "";
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    fs.mkdirSync(o.recordsDir, { recursive: true, mode: 0o700 });
    const base = path.join(o.recordsDir, `${o.stack}-${stamp}`);
    return withHost(target.connection, async (t) => {
        // One run at a time in the workspace: a second verify says so instead of mixing records.
        const script = `cd ${q(ws)} && exec flock -n -E ${BUSY} lock/verify tempest run --config-file etc/tempest.conf ` +
            `--concurrency ${Number(target.concurrency)} ${selection}`;
        process.stderr.write(`verify: tempest run ${selection} on ${t.name} (workspace ${ws}); per-test lines follow\n`);
        const r = await t.exec(script, {
            onOutput: (chunk) => {
                consoleText += chunk;
                process.stdout.write(chunk);
            },
        });
        if (r.code === BUSY) {
            process.stderr.write(`verify: another verify is running in ${ws} on ${t.name}; nothing started\n`);
            return r.code;
        }
        fs.writeFileSync(`${base}.console.log`, consoleText, { mode: 0o600 });
        const subunit = await t.exec(sh`cd ${ws} && stestr last --subunit | base64 -w0`);
        if (subunit.code === 0) fs.writeFileSync(`${base}.subunit`, Buffer.from(subunit.stdout, "base64"), { mode: 0o600 });
        const lines = parseTempestLines(consoleText);
        const summary = renderSummary(summarize(lines));
        fs.writeFileSync(`${base}.summary.md`, summary, { mode: 0o600 });
        process.stdout.write(`\n${summary}\nverify: records in ${base}.{console.log,summary.md,subunit}; Tempest's log is ${ws}/tempest.log on ${t.name}\n`);
        if (lines.length === 0) {
            process.stderr.write("verify: Tempest ran no test\n");
            return r.code === 0 ? 1 : r.code;
        }
        return r.code;
    });
}
