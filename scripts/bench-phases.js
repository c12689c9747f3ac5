// Reads a pulumi --event-log file and prints, per phase of the `local` lab's
// `up`, when its first resource started and its last one ended, in seconds
// from the first resource's start. Phases overlap (a compute node's packages
// install while the controller's do), so the offsets say where the time went
// better than each phase's span alone. A resource belongs to the first phase
// whose test its name passes. Then the slowest steps, each resource's from its
// start to its end (for a destroy, whose steps are deletes, only these).
//   node scripts/bench-phases.js EVENTS [--slowest N] [--steps-only]
const fs = require("fs");
const [file, ...opts] = process.argv.slice(2);
const slowest = opts.includes("--slowest") ? Number(opts[opts.indexOf("--slowest") + 1]) : 0;
const stepsOnly = opts.includes("--steps-only");
const events = fs.readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const phases = [
    ["first instance", (n) => n.includes("first-instance")],
    ["guest image", (n) => n.includes("guest-image")],
    ["cache", (n) => n.includes("package-cache")],
    ["node table", (n) => n.includes("node-status")],
    ["nodes", (n) => n.includes("container-base") || /^(controller|compute)(-(lxc|host-key|login-key|facts|apt-[a-z]+))?$/.test(n)],
    ["controller", (n) => n.startsWith("controller-controller") || /^local-password-/.test(n)],
    ["compute", (n) => n.startsWith("compute-compute")],
    ["tempest", (n) => n.includes("-tempest")],
    ["monitoring", (n) => n.includes("-monitoring")],
    ["host", (n) => /^local(-|$)/.test(n)],
];
const spans = new Map();
const steps = new Map();
let t0 = Infinity;
for (const e of events) {
    const md = (e.resourcePreEvent ?? e.resOutputsEvent)?.metadata;
    // The stack itself spans the whole run; it is no phase.
    if (!md || md.op === "same" || md.type === "pulumi:pulumi:Stack") continue;
    const name = md.urn.split("::").pop();
    const t = e.timestamp;
    t0 = Math.min(t0, t);
    const step = steps.get(md.urn) ?? { name, op: md.op, start: t, end: t };
    step.end = Math.max(step.end, t);
    steps.set(md.urn, step);
    const phase = phases.find(([, match]) => match(name))?.[0] ?? "other";
    const s = spans.get(phase) ?? { start: t, end: t };
    s.start = Math.min(s.start, t);
    s.end = Math.max(s.end, t);
    spans.set(phase, s);
}
if (!stepsOnly) console.log(`  ${"phase".padEnd(15)} ${"from".padStart(6)} ${"to".padStart(6)}   span`);
for (const phase of stepsOnly ? [] : [...phases.map(([p]) => p), "other"]) {
    const s = spans.get(phase);
    if (!s) continue;
    const at = (t) => `${(t - t0).toFixed(0).padStart(5)} s`;
    console.log(`  ${phase.padEnd(15)} ${at(s.start)} ${at(s.end)}  ${(s.end - s.start).toFixed(0).padStart(5)} s`);
}
if (slowest > 0) {
    console.log(`  slowest steps:`);
    for (const st of [...steps.values()].sort((a, b) => b.end - b.start - (a.end - a.start)).slice(0, slowest)) {
        console.log(`    ${(st.end - st.start).toFixed(0).padStart(5)} s  ${st.op.padEnd(7)} ${st.name}`);
    }
}
