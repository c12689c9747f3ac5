// What `lab.sh verify` prints after Tempest: its per-test lines (stestr's
// subunit-trace, as `tempest run` shows them) counted per service, with each
// skip's reason and each failure's test.

export type Outcome = "ok" | "failed" | "skipped";

export interface TestLine {
    /** The test's id, or the class's for a setUpClass line (a whole class skipped or failed). */
    id: string;
    service: string;
    outcome: Outcome;
    reason?: string;
}

const LINE = /^\{\d+\} (?:(setUpClass|tearDownClass) \(([^)\s]+)\)|(\S+))(?: \[[\d.]+s\])? \.\.\. (ok|FAILED|SKIPPED)(?:: (.*))?$/;

/** The service a test belongs to: tempest.api.<service>..., or scenario. */
export function serviceOf(id: string): string {
    const m = /^tempest\.(?:api\.([a-z_]+)|(scenario))\./.exec(id);
    return m ? (m[1] ?? m[2]) : id.split(".")[0];
}

/** Tempest's per-test lines in `output`; anything else is left out. */
export function parseTempestLines(output: string): TestLine[] {
    const out: TestLine[] = [];
    for (const raw of output.split("\n")) {
        const m = LINE.exec(raw.trimEnd());
        if (!m) continue;
        const id = (m[2] ?? m[3]).replace(/\[.*\]$/, "");
        const outcome = m[4] === "ok" ? "ok" : m[4] === "FAILED" ? "failed" : "skipped";
        out.push({ id, service: serviceOf(id), outcome, ...(m[5] ? { reason: m[5] } : {}) });
    }
    return out;
}

/**
 * Tempest's skip messages that name a setting, not a feature, each with what
 * the lab does not deploy that makes Tempest skip: so every skip in the
 * summary says why in the lab's terms.
 */
const LAB_REASONS: Array<[RegExp, string]> = [
    [/public_network_id option must be specified/, "the lab has no external network for routers' gateways: servers attach to the provider network"],
    [/Floating ips are not available/, "the lab has no external network to take floating IPs from"],
    [/Identity api v2 is not enabled/, "Keystone has no v2 API since Queens"],
    [/Cinder is not available|Volume service not enabled/, "no storage node, so no volume backend"],
    [/Validation should be enabled/, "SSH into the lab's guests is off: under TCG they boot slower than Tempest waits for it"],
    [/project_networks_reachable must be "true", or public_network_id/, "servers sit on the shared provider network: the lab has no project networks or external network"],
];

/** A skip's reason, with what the lab lacks for it when Tempest's words name only a setting. */
export function labReason(reason: string): string {
    const why = LAB_REASONS.find(([re]) => re.test(reason));
    return why ? `${reason} (${why[1]})` : reason;
}

export interface TempestSummary {
    rows: Array<{ service: string; passed: number; failed: number; skipped: number }>;
    skips: Array<{ service: string; reason: string; count: number }>;
    failures: string[];
}

export function summarize(lines: TestLine[]): TempestSummary {
    const rows = new Map<string, { service: string; passed: number; failed: number; skipped: number }>();
    const skips = new Map<string, { service: string; reason: string; count: number }>();
    const failures: string[] = [];
    for (const l of lines) {
        const row = rows.get(l.service) ?? { service: l.service, passed: 0, failed: 0, skipped: 0 };
        rows.set(l.service, row);
        if (l.outcome === "ok") row.passed++;
        else if (l.outcome === "failed") {
            row.failed++;
            failures.push(l.id);
        } else {
            row.skipped++;
            const reason = labReason(l.reason ?? "(no reason given)");
            const key = `${l.service}\0${reason}`;
            const s = skips.get(key) ?? { service: l.service, reason, count: 0 };
            s.count++;
            skips.set(key, s);
        }
    }
    const byService = <T extends { service: string }>(a: T, b: T) => a.service.localeCompare(b.service);
    return { rows: [...rows.values()].sort(byService), skips: [...skips.values()].sort(byService), failures: failures.sort() };
}

/** The summary as a Markdown table, then the skip reasons and the failed tests. */
export function renderSummary(s: TempestSummary): string {
    const total = s.rows.reduce((t, r) => ({ passed: t.passed + r.passed, failed: t.failed + r.failed, skipped: t.skipped + r.skipped }), { passed: 0, failed: 0, skipped: 0 });
    const width = Math.max("service".length, "total".length, ...s.rows.map((r) => r.service.length));
    const row = (name: string, p: number | string, f: number | string, k: number | string) =>
        `| ${name.padEnd(width)} | ${String(p).padStart(6)} | ${String(f).padStart(6)} | ${String(k).padStart(7)} |`;
    const lines = [
        row("service", "passed", "failed", "skipped"),
        `|${"-".repeat(width + 2)}|${"-".repeat(8)}|${"-".repeat(8)}|${"-".repeat(9)}|`,
        ...s.rows.map((r) => row(r.service, r.passed, r.failed, r.skipped)),
        row("total", total.passed, total.failed, total.skipped),
    ];
    if (s.skips.length) lines.push("", "Skipped:", ...s.skips.map((k) => `  ${k.service}: ${k.reason} (${k.count})`));
    if (s.failures.length) lines.push("", "Failed:", ...s.failures.map((f) => `  ${f}`));
    return lines.join("\n") + "\n";
}
