// Looks over a lab's file backend before pulumi runs on it, because a
// killed run can leave it unusable (pulumi/pulumi#2801): a lock whose
// process is gone, a metadata file cut short. What is safe to repair is
// moved aside (never deleted) and said; anything else stops with what was
// found and what to do.
// lab.sh runs it through before-pulumi.js: backend-check STATE_DIR PROJECT STACK
"use strict";
const fs = require("fs");
const os = require("os");
const path = require("path");
const { carryingOwnCode } = require("./state-onto-shims");

class Stop extends Error {}

let stateDir, project, stack, pulumiDir, asideDir, checkpoint;
const said = [];

/** Moves a file under the lab home's repaired/ directory, keeping its path below the backend. */
function moveAside(file, why) {
    const to = path.join(asideDir, path.relative(stateDir, file));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.renameSync(file, to);
    said.push(`${why}: moved ${path.relative(stateDir, file)} to ${path.relative(stateDir, to)}`);
}

const readJson = (file) => {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        return undefined;
    }
};

/** The processes on this machine working on this backend (pulumi, and the program and providers it started), by pid. */
function onThisBackend() {
    const url = `PULUMI_BACKEND_URL=file://${stateDir}`;
    const out = new Map();
    for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
        try {
            if (!fs.readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(url)) continue;
            out.set(Number(pid), fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim());
        } catch {
            // Gone meanwhile, or not ours to read.
        }
    }
    return out;
}

const pulumiOnThisBackend = () => [...onThisBackend()].filter(([, comm]) => comm === "pulumi").map(([pid]) => pid);

/** CPU time a process has used, in clock ticks (0 once it is gone). */
function ticks(pid) {
    try {
        const f = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
        return Number(f[11]) + Number(f[12]);
    } catch {
        return 0;
    }
}

const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * A killed pulumi leaves the language host and the providers it started,
 * orphaned. A provider may still be finishing a command on a host (an
 * apt-get), so the next run waits while any of them works; once they have
 * all been idle for 15 s they are idle servers nobody will call again, and
 * are ended by PID.
 */
function endLeftovers() {
    const deadline = Date.now() + 600_000;
    let idleSince = Date.now();
    let last = new Map();
    let shown = false;
    for (;;) {
        const left = [...onThisBackend()].filter(([pid]) => pid !== process.pid && pid !== process.ppid);
        if (left.length === 0) return;
        const now = new Map(left.map(([pid]) => [pid, ticks(pid)]));
        if ([...now].some(([pid, t]) => last.get(pid) !== t)) idleSince = Date.now();
        last = now;
        const names = left.map(([p, c]) => `${c} ${p}`).join(", ");
        if (Date.now() - idleSince >= 15_000) {
            for (const [pid] of left) {
                try {
                    process.kill(pid, "SIGTERM");
                } catch {
                    // Gone meanwhile.
                }
            }
            said.push(`ended what the interrupted run left running, idle now (${names})`);
            sleep(2000);
            continue;
        }
        if (Date.now() > deadline) {
            throw new Stop(`what the interrupted run left running still works on this lab after 10 minutes (${names}): let it end, then run again; nothing was changed`);
        }
        if (!shown) console.error(`lab.sh: waiting for what the interrupted run left running to finish its work (${names})`);
        shown = true;
        sleep(2500);
    }
}

function checkLocks() {
    const dir = path.join(pulumiDir, "locks", "organization", project, stack);
    if (!fs.existsSync(dir)) return;
    const running = pulumiOnThisBackend();
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
        const file = path.join(dir, name);
        const lock = readJson(file);
        if (lock && lock.hostname && lock.hostname !== os.hostname()) {
            throw new Stop(`the stack is locked by pulumi on ${lock.hostname} (pid ${lock.pid}, since ${lock.timestamp}): ` +
                "if that run is over, run `pulumi cancel` there, or here through `lab.sh` once you are sure; nothing was changed");
        }
        if (lock && running.includes(lock.pid)) {
            throw new Stop(`pulumi (pid ${lock.pid}) is running on this lab since ${lock.timestamp}: wait for it, or stop it first; nothing was changed`);
        }
        if (!lock && running.length) {
            throw new Stop(`the lock ${path.relative(stateDir, file)} cannot be read and pulumi (pid ${running.join(", ")}) is running on this lab: wait for it; nothing was changed`);
        }
        const who = lock ? `pid ${lock.pid}, since ${lock.timestamp}, is gone` : "cannot be read and no pulumi runs on this lab";
        endLeftovers();
        moveAside(file, `a lock left by a run that ended without unlocking (${who})`);
        if (fs.existsSync(`${file}.attrs`)) moveAside(`${file}.attrs`, "its metadata");
    }
}

function checkCheckpoint() {
    const dir = path.join(pulumiDir, "stacks", project);
    const file = path.join(dir, `${stack}.json`);
    if (!fs.existsSync(dir)) return;
    // The blob store's metadata beside each file: one cut short makes every read fail ("EOF").
    for (const name of fs.readdirSync(dir).filter((f) => f.startsWith(`${stack}.json`) && f.endsWith(".attrs"))) {
        const attrs = path.join(dir, name);
        if (readJson(attrs) === undefined) moveAside(attrs, `${name} is ${fs.statSync(attrs).size === 0 ? "empty" : "not JSON"} (a run was killed while writing it); pulumi reads the file without it`);
    }
    if (!fs.existsSync(file)) return;
    checkpoint = readJson(file);
    if (checkpoint !== undefined) return;
    const backup = `${file}.bak`;
    const usable = fs.existsSync(backup) && readJson(backup) !== undefined;
    throw new Stop(`the checkpoint ${path.relative(stateDir, file)} cannot be read (${fs.statSync(file).size} bytes)` + (usable
        ? `; ${path.relative(stateDir, backup)} can (from ${fs.statSync(backup).mtime.toISOString()}), but it may lack what the last run made: ` +
          `to use it, move the checkpoint aside, copy the backup over it, then run \`lab.sh refresh\` so that the state reads the hosts again`
        : "; there is no readable backup beside it") + "; nothing was changed");
}

/**
 * Checks STATE_DIR PROJECT STACK; says what it repaired, and throws Stop when
 * pulumi must not run. Returns how many of the stack's resources recorded their
 * provider's own code (state written before the shims: scripts/state-onto-shims.js).
 */
function run(args) {
    [stateDir, project, stack] = args;
    checkpoint = undefined;
    pulumiDir = path.join(stateDir, ".pulumi");
    asideDir = path.join(stateDir, "repaired", new Date().toISOString().replace(/[:.]/g, "-"));
    said.length = 0;
    try {
        checkLocks();
        checkCheckpoint();
    } finally {
        for (const s of said) console.error(`lab.sh: ${s}`);
    }
    return carryingOwnCode(checkpoint?.checkpoint?.latest).length;
}

module.exports = { run, Stop };
