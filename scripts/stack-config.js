// Keeps per-machine stack data out of the checkout. A lab is defined by the
// repository's Pulumi.<stack>.yaml; the passphrase salt and encrypted
// secrets belong to one lab home (they are useless with another passphrase),
// so they are saved there and merged into the file pulumi reads.
//   node stack-config.js compose REPO_FILE SAVED_FILE OUT_FILE
//   node stack-config.js save EFFECTIVE_FILE SAVED_FILE
// The yaml package keeps comments and order of the lab definition.
"use strict";
const fs = require("fs");
const YAML = require("yaml");

const read = (f) => (fs.existsSync(f) ? YAML.parseDocument(fs.readFileSync(f, "utf8")) : new YAML.Document({}));
const isSecure = (v) => v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;

function compose(repoFile, savedFile, outFile) {
    const doc = read(repoFile);
    const saved = read(savedFile).toJS() || {};
    if (saved.encryptionsalt) doc.set("encryptionsalt", saved.encryptionsalt);
    for (const [key, value] of Object.entries(saved.secrets || {})) {
        if (!doc.hasIn(["config", key])) doc.setIn(["config", key], value);
    }
    fs.writeFileSync(outFile, String(doc), { mode: 0o600 });
}

function save(effectiveFile, savedFile) {
    const eff = read(effectiveFile).toJS() || {};
    const secrets = Object.fromEntries(Object.entries(eff.config || {}).filter(([, v]) => isSecure(v)));
    const out = { encryptionsalt: eff.encryptionsalt, secrets };
    fs.writeFileSync(savedFile, YAML.stringify(out), { mode: 0o600 });
}

const [cmd, ...args] = process.argv.slice(2);
if (cmd === "compose" && args.length === 3) compose(...args);
else if (cmd === "save" && args.length === 2) save(...args);
else {
    console.error("usage: stack-config.js compose REPO_FILE SAVED_FILE OUT_FILE | save EFFECTIVE_FILE SAVED_FILE");
    process.exit(2);
}
