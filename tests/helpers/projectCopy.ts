import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import type { TestHost } from "./testHosts";

// A copy of this project in a test's own directory, sharing the checkout's
// node_modules: for tests that move the checkout, patch it, or give it a
// stack file of their own without touching the checkout itself.

const ROOT = path.resolve(__dirname, "../..");

/** What `pulumi` and `scripts/lab.sh` need of the project. */
export const PROJECT_FILES = ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", "config", "components", "providers", "render", "scripts"];

/** Copies the project's files as they are now, or as a commit had them, into `dir` (created). */
export function copyProject(dir: string, opts: { files?: string[]; commit?: string } = {}): string {
    fs.mkdirSync(dir, { recursive: true });
    if (opts.commit) {
        execFileSync("bash", ["-c", `git -C "$1" archive "$2" | tar -x -C "$3"`, "-", ROOT, opts.commit, dir]);
    } else {
        for (const f of opts.files ?? PROJECT_FILES) fs.cpSync(path.join(ROOT, f), path.join(dir, f), { recursive: true });
    }
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    return dir;
}

/** The stack config of a lab of one test host: a kernel parameter, a file and an INI key, and `packages`. */
export function oneHostLab(h: TestHost, packages: string[] = []): string {
    return `config:
  openstack-lab:hosts:
    - name: h1
      address: ${h.address}
      hostKey: ${h.hostKey}
      packages: [${packages.join(", ")}]
      services: []
      sysctls:
        net.ipv4.conf.all.rp_filter: 2
      files:
        /etc/olab/motd:
          content: "a lab\\n"
      ini:
        /etc/olab/nova.conf:
          DEFAULT:
            my_ip: 10.0.0.4
`;
}
