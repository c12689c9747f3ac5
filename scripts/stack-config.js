// Keeps per-machine stack data out of the checkout. A lab is defined by the
// repository's Pulumi.<stack>.yaml; the passphrase salt and the values set
// with `lab.sh config set` (secrets above all: their ciphertext is useless
// with another passphrase) belong to one lab home. That file is a stack
// config file of its own that only Pulumi writes (`pulumi config
// --config-file`), so no value of it passes through a hand-made merge on its
// way back; this script only reads it, to compose the file pulumi runs with.
// lab.sh runs its commands through before-pulumi.js:
//   prepare SAVED_FILE INIT_STACK_FILE
//   compose REPO_FILE SAVED_FILE OUT_FILE
//   adopt-salt EFFECTIVE_FILE SAVED_FILE
// Any file that does not parse stops it with the file's name and changes nothing.
// The yaml package keeps comments and order of the lab definition.
"use strict";
const fs = require("fs");
const YAML = require("yaml");

class Stop extends Error {}

function parse(file) {
    const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"), { prettyErrors: true });
    if (doc.errors.length) throw new Stop(`${file} is not valid YAML, so nothing was changed: ${doc.errors[0].message.split("\n")[0]}`);
    const top = doc.contents;
    if (top !== null && !YAML.isMap(top)) throw new Stop(`${file}: expected a mapping at the top, so nothing was changed`);
    return doc;
}

const readSaved = (file) => (fs.existsSync(file) ? parse(file).toJS() || {} : {});

/** Writes beside the target and renames, so that a kill leaves the old file or the new one. */
function writeAtomically(file, text) {
    const tmp = `${file}.tmp-${process.pid}`;
    fs.writeFileSync(tmp, text, { mode: 0o600 });
    fs.renameSync(tmp, file);
}

/**
 * Before this format the lab home kept `{encryptionsalt, secrets: {...}}`; it
 * becomes a stack config file (`config:`), the old file kept beside it. The
 * salt comes from the stack's first config file (written by `stack init`) if
 * this home has none yet.
 */
function prepare(savedFile, initFile) {
    const saved = readSaved(savedFile);
    let next = null;
    if (saved.secrets !== undefined && saved.config === undefined) {
        fs.copyFileSync(savedFile, `${savedFile}.before-config-format`);
        next = { ...(saved.encryptionsalt ? { encryptionsalt: saved.encryptionsalt } : {}), config: saved.secrets || {} };
    }
    const salt = (next || saved).encryptionsalt;
    if (!salt && fs.existsSync(initFile)) {
        const initSalt = parse(initFile).get("encryptionsalt");
        if (initSalt) next = { ...(next || saved), encryptionsalt: initSalt };
    }
    if (next) writeAtomically(savedFile, YAML.stringify(next));
}

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const isSecure = (v) => isPlainObject(v) && Object.keys(v).length === 1 && "secure" in v;

/**
 * Puts each value set in the lab home into the lab definition at its path
 * (`--path` settings such as passwords.admin or hosts[0].ini... land inside
 * the repository's value), and says where one replaces what the repository's
 * file sets.
 */
function mergeInto(doc, path, value, repoFile, savedFile) {
    const here = doc.getIn(path, true);
    const there = YAML.isNode(here) ? here.toJSON() : here;
    const descend = !isSecure(value) && ((isPlainObject(value) && isPlainObject(there)) || (Array.isArray(value) && Array.isArray(there)));
    if (descend) {
        for (const [k, v] of Object.entries(value)) {
            if (v !== null && v !== undefined) mergeInto(doc, [...path, Array.isArray(value) ? Number(k) : k], v, repoFile, savedFile);
        }
        return;
    }
    if (there !== undefined && JSON.stringify(there) !== JSON.stringify(value)) {
        console.error(`lab.sh: ${path.slice(1).join(".")}: the value set in ${savedFile} replaces the one in ${repoFile}`);
    }
    doc.setIn(path, doc.createNode(value));
}

/** Where the program keeps a secure value a secret (config/load.ts secureLabKeys, PhysicalHost). */
function keptSecret([key, ...rest]) {
    const n = (x) => typeof x === "number";
    if (key === "openstack-lab:sshPrivateKey" && rest.length === 0) return true;
    if (key === "openstack-lab:passwords") return true;
    if (key !== "openstack-lab:hosts" || !n(rest[0])) return false;
    if (rest[1] === "ini") return rest.length === 5 || (rest.length === 6 && n(rest[5]));
    return rest[1] === "files" && rest.length === 4 && rest[3] === "content";
}

/** The paths of the secure values in a config value, as arrays of keys and indexes. */
function securePaths(value, path, out) {
    if (isSecure(value)) out.push(path);
    else if (Array.isArray(value)) value.forEach((v, i) => securePaths(v, [...path, i], out));
    else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) securePaths(v, [...path, k], out);
    return out;
}

/** As `pulumi config --path` takes it: hosts[0].ini["/etc/x.conf"].DEFAULT.password. */
const pathText = ([key, ...rest]) => key + rest.map((p) =>
    typeof p === "number" ? `[${p}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`).join("");

function compose(repoFile, savedFile, outFile) {
    const doc = parse(repoFile);
    const saved = readSaved(savedFile);
    if (saved.encryptionsalt) doc.set("encryptionsalt", saved.encryptionsalt);
    if (!doc.has("config") && saved.config) doc.set("config", doc.createNode({}));
    for (const [key, value] of Object.entries(saved.config || {})) mergeInto(doc, ["config", key], value, repoFile, savedFile);
    const config = doc.toJS().config || {};
    const misplaced = Object.entries(config).filter(([k]) => k.startsWith("openstack-lab:"))
        .flatMap(([k, v]) => securePaths(v, [k], [])).filter((p) => !keptSecret(p));
    if (misplaced.length) {
        throw new Stop(`${misplaced.map(pathText).join(", ")}: marked secure where the lab would keep it in plain text in its state, so nothing was changed; ` +
            "secure values belong in openstack-lab:sshPrivateKey, openstack-lab:passwords, and hosts[].ini values or hosts[].files contents");
    }
    writeAtomically(outFile, String(doc));
}

/**
 * A salt that pulumi wrote into the composed file (a stack made before this
 * home had one) is kept in the lab home. Only the salt's own top-level line
 * is read: the rest of that file is pulumi's rewrite of the lab definition.
 */
function adoptSalt(effectiveFile, savedFile) {
    const saved = readSaved(savedFile);
    if (saved.encryptionsalt || !fs.existsSync(effectiveFile)) return;
    const m = /^encryptionsalt: *(\S+) *$/m.exec(fs.readFileSync(effectiveFile, "utf8"));
    if (m) writeAtomically(savedFile, YAML.stringify({ encryptionsalt: m[1], ...saved }));
}

/** Runs one command ([name, ...files]); throws Stop with what to tell the user. */
function run([cmd, ...args]) {
    if (cmd === "prepare" && args.length === 2) prepare(...args);
    else if (cmd === "compose" && args.length === 3) compose(...args);
    else if (cmd === "adopt-salt" && args.length === 2) adoptSalt(...args);
    else throw new Stop(`no such step: ${[cmd, ...args].join(" ")} (prepare SAVED INIT | compose REPO SAVED OUT | adopt-salt EFFECTIVE SAVED)`);
}

module.exports = { run, Stop };
