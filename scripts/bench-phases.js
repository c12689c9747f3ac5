// Reads a pulumi --event-log file and prints, per phase of a lab's `up`, the
// time from its first resource's start to its last resource's end. A phase
// is the set of resources whose names start with what it lists.
const fs = require("fs");
const events = fs.readFileSync(process.argv[2], "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l));
const phases = [
    ["host", (n) => /^local(-|$)/.test(n) && !/container-base|package-cache|node-status/.test(n)],
    ["cache", (n) => n.includes("package-cache")],
    ["nodes", (n) => n.includes("container-base") || /^(controller|compute)(-lxc|-host-key|-login-key|-facts|-apt-proxy)?$/.test(n)],
    ["controller", (n) => n.startsWith("controller-controller")],
    ["compute", (n) => n.startsWith("compute-compute")],
    ["first instance", (n) => n.includes("first-instance")],
];
const spans = new Map();
for (const e of events) {
    const md = (e.resourcePreEvent ?? e.resOutputsEvent)?.metadata;
    if (!md || md.op === "same") continue;
    const name = md.urn.split("::").pop();
    const t = e.timestamp;
    for (const [phase, match] of phases) {
        if (!match(name)) continue;
        const s = spans.get(phase) ?? { start: t, end: t };
        s.start = Math.min(s.start, t);
        s.end = Math.max(s.end, t);
        spans.set(phase, s);
    }
}
for (const [phase] of phases) {
    const s = spans.get(phase);
    console.log(`  ${phase.padEnd(15)} ${s ? `${(s.end - s.start).toFixed(0).padStart(5)} s` : "    -"}`);
}
