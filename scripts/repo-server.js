#!/usr/bin/env node
// Serves a directory read-only over HTTP on one address, for test hosts
// whose only package source is a repository on this machine:
//   node scripts/repo-server.js DIR ADDRESS PORT   (PORT 0: any free port)
// Prints "listening PORT" once it accepts connections.
"use strict";
const http = require("http");
const fs = require("fs");
const path = require("path");

const [dir, address, port] = process.argv.slice(2);
if (!dir || !address || !port) {
    console.error("usage: repo-server.js DIR ADDRESS PORT");
    process.exit(2);
}
const root = path.resolve(dir);

const server = http.createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url, "http://x").pathname);
    const file = path.join(root, path.normalize(rel));
    // Nothing outside DIR, and only regular files.
    if (!file.startsWith(root + path.sep) && file !== root) return void res.writeHead(403).end();
    fs.stat(file, (err, st) => {
        if (err || !st.isFile()) return void res.writeHead(404).end();
        res.writeHead(200, { "Content-Length": st.size });
        if (req.method === "HEAD") return void res.end();
        fs.createReadStream(file).pipe(res);
    });
});
server.listen(Number(port), address, () => console.log(`listening ${server.address().port}`));
