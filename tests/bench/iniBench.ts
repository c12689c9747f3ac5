// Benchmark (run on demand by scripts/bench-ini.sh, never in CI): the same
// 40 keys of a nova.conf-like file set on one test host by
//   (a) the IniFile provider (one read, one write over one SSH connection),
//   (b) Ansible's community.general.ini_file, one task per key,
//   (c) crudini over SSH once per key, as seed 000's config.sh does.
// Prints the wall times and the ratios.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { iniFileProvider } from "../../providers/iniFile";
import type { IniSettings } from "../../render/ini";

interface Host { name: string; address: string; port: number; hostKey: string }

const [dir] = process.argv.slice(2);
const host: Host = JSON.parse(fs.readFileSync(path.join(dir, "hosts.json"), "utf8"))[0];
const keyFile = path.join(dir, "id_ed25519");
const knownHosts = path.join(dir, "known_hosts");
const FILE = "/etc/nova/nova.conf";

const ORIGINAL = "# nova.conf as shipped\n[DEFAULT]\n#my_ip = <host_ipv4>\n\n[database]\n#connection = <None>\n\n[api]\n\n[glance]\n";

// 40 keys over the sections seed 000's config.sh touches.
const SETTINGS: IniSettings = {};
const sections = ["DEFAULT", "database", "api_database", "api", "keystone_authtoken", "glance", "placement", "neutron", "vnc", "oslo_concurrency"];
for (let i = 0; i < 40; i++) {
    const section = sections[i % sections.length];
    (SETTINGS[section] ??= {})[`option_${i}`] = `value-${i}-with=equals%percent`;
}

const sshArgs = ["-q", "-i", keyFile, "-o", `UserKnownHostsFile=${knownHosts}`, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes"];
const ssh = (script: string, input?: string) =>
    execFileSync("ssh", [...sshArgs, `root@${host.address}`, script], { input, encoding: "utf8" });

function reset(): void {
    ssh(`mkdir -p /etc/nova && cat > ${FILE}`, ORIGINAL);
}

function snapshot(): string {
    return ssh(`cat ${FILE}`);
}

async function time(label: string, fn: () => Promise<void> | void): Promise<number> {
    reset();
    const start = process.hrtime.bigint();
    await fn();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const text = snapshot();
    const missing = Object.entries(SETTINGS).flatMap(([s, keys]) => Object.keys(keys).filter((k) => !text.includes(`${k} = ${keys[k]}`) && !text.includes(`${k}=${keys[k]}`)).map((k) => `${s}.${k}`));
    if (missing.length) throw new Error(`${label} left ${missing.length} keys unset: ${missing.slice(0, 3).join(", ")}`);
    console.log(`${label.padEnd(44)} ${seconds.toFixed(2).padStart(7)} s`);
    return seconds;
}

async function main(): Promise<void> {
    const privateKey = fs.readFileSync(keyFile, "utf8");
    const connection = { name: host.name, address: host.address, port: host.port, user: "root", hostKey: host.hostKey, privateKey };

    const a = await time("(a) IniFile provider, one operation", async () => {
        await iniFileProvider.create!({ connection, path: FILE, settings: SETTINGS });
    });

    const work = fs.mkdtempSync("/tmp/olab-bench-");
    fs.writeFileSync(path.join(work, "inventory.ini"),
        `[lab]\n${host.name} ansible_host=${host.address} ansible_user=root ansible_ssh_private_key_file=${keyFile} ` +
        `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes' ansible_python_interpreter=/usr/bin/python3\n`);
    const tasks = Object.entries(SETTINGS).flatMap(([section, keys]) => Object.entries(keys).map(([k, v]) =>
        `    - community.general.ini_file:\n        path: ${FILE}\n        section: ${section}\n        option: ${k}\n        value: ${JSON.stringify(v)}\n`));
    fs.writeFileSync(path.join(work, "play.yml"), `- hosts: lab\n  gather_facts: false\n  tasks:\n${tasks.join("")}`);
    const b = await time("(b) Ansible ini_file, one task per key", () => {
        execFileSync("ansible-playbook", ["-i", path.join(work, "inventory.ini"), path.join(work, "play.yml")],
            { stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, ANSIBLE_HOST_KEY_CHECKING: "True" } });
    });

    const c = await time("(c) crudini over SSH, one call per key", () => {
        for (const [section, keys] of Object.entries(SETTINGS)) {
            for (const [k, v] of Object.entries(keys)) {
                execFileSync("ssh", [...sshArgs, `root@${host.address}`, "crudini", "--set", FILE, section, k, `'${v}'`]);
            }
        }
    });
    fs.rmSync(work, { recursive: true, force: true });

    console.log(`\nansible / provider: ${(b / a).toFixed(1)}x   crudini / provider: ${(c / a).toFixed(1)}x   (40 keys, 1 host)`);
}

main().then(() => process.exit(0), (e) => {
    console.error(e);
    process.exit(1);
});
