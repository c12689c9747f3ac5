import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// The configuration files as Debian's OpenStack packages ship them, taken
// from the packages in the test repository (scripts/openstack-repo.sh), so
// that INI editing is tested against what the lab really edits.

const ROOT = path.resolve(__dirname, "../..");
let repo: string | undefined;

/** One file of a package in the test repository, e.g. ("nova-common", "usr/share/nova-common/nova.conf"). */
export function stockConfig(pkg: string, file: string): string {
    repo ??= execFileSync("bash", [path.join(ROOT, "scripts/openstack-repo.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    const deb = fs.readdirSync(repo).find((f) => f.startsWith(`${pkg}_`) && f.endsWith(".deb"));
    if (!deb) throw new Error(`no ${pkg} package in ${repo}`);
    return execFileSync("bash", ["-c", 'dpkg-deb --fsys-tarfile "$1" | tar -xO "./$2"', "-", path.join(repo, deb), file], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/** The files the lab edits on a controller, as packaged (Debian installs them to /etc from these copies). */
export const STOCK_FILES: Array<[pkg: string, file: string]> = [
    ["nova-common", "usr/share/nova-common/nova.conf"],
    ["keystone", "usr/share/keystone/keystone.conf"],
    ["glance-common", "usr/share/glance-common/glance-api.conf"],
    ["neutron-common", "usr/share/neutron-common/neutron.conf"],
];
