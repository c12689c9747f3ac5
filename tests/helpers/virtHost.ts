import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

/** A libvirt host in a network namespace (scripts/virthost.sh), and the guest image. */
export class VirtHost {
    readonly dir: string;
    readonly address: string;
    readonly hostKey: string;
    readonly netns: string;
    readonly privateKey: string;
    readonly guest: string;
    readonly libvirtUri: string;

    private constructor(dir: string, guest: string) {
        this.dir = dir;
        this.guest = guest;
        const h = JSON.parse(fs.readFileSync(path.join(dir, "host.json"), "utf8"));
        this.address = h.address;
        this.hostKey = h.hostKey;
        this.netns = h.netns;
        this.libvirtUri = h.libvirtUri;
        this.privateKey = fs.readFileSync(path.join(dir, "id_ed25519"), "utf8");
    }

    static start(): VirtHost {
        const built = execFileSync("bash", [path.join(ROOT, "scripts/guest-image.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
        if (!fs.existsSync(path.join(built, "base.qcow2"))) throw new Error(`scripts/guest-image.sh printed ${JSON.stringify(built)}, not the image's directory`);
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-virt-"));
        try {
            // QEMU runs as libvirt-qemu, which cannot enter root's cache: the
            // image goes below the host's directory (a hard link when it can).
            const images = path.join(dir, "images");
            fs.mkdirSync(images, { mode: 0o755 });
            for (const f of ["base.qcow2", "base.qcow2.sha256", "vmlinuz", "initrd.img"]) {
                try {
                    fs.linkSync(path.join(built, f), path.join(images, f));
                } catch {
                    fs.copyFileSync(path.join(built, f), path.join(images, f));
                }
                fs.chmodSync(path.join(images, f), 0o644);
            }
            execFileSync("bash", [path.join(ROOT, "scripts/virthost.sh"), "start", dir], { stdio: ["ignore", "inherit", "inherit"] });
            return new VirtHost(dir, images);
        } catch (e) {
            // Whatever part of the start succeeded is undone: nothing may outlive a failed start.
            execFileSync("bash", [path.join(ROOT, "scripts/virthost.sh"), "stop", dir], { stdio: ["ignore", "inherit", "inherit"] });
            fs.rmSync(dir, { recursive: true, force: true });
            throw e;
        }
    }

    stop(): void {
        execFileSync("bash", [path.join(ROOT, "scripts/virthost.sh"), "stop", this.dir], { stdio: ["ignore", "inherit", "inherit"] });
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    /** A command inside the host's network namespace (where its bridges and guests are). */
    inNetns(...argv: string[]): string {
        return execFileSync("ip", ["netns", "exec", this.netns, ...argv], { encoding: "utf8" });
    }

    /** Where a file the host has written below /etc lies on this machine (its layer over /etc). */
    etcFile(p: string): string {
        return path.join(this.dir, "fs/etc", path.relative("/etc", p));
    }

    virsh(...args: string[]): string {
        return execFileSync("virsh", ["-q", "-c", this.libvirtUri, ...args], { encoding: "utf8" });
    }

    /**
     * Runs a command on a VM with the system ssh client, through the host,
     * trusting only the given host keys.
     */
    sshVm(address: string, user: string, key: string, knownHosts: string, command: string): string {
        const keyFile = path.join(this.dir, `vm-key-${address}`);
        fs.writeFileSync(keyFile, key, { mode: 0o600 });
        const known = path.join(this.dir, `vm-known-${address}`);
        fs.writeFileSync(known, knownHosts);
        const hostKnown = path.join(this.dir, "known_hosts");
        const proxy = `ssh -q -i ${path.join(this.dir, "id_ed25519")} -o UserKnownHostsFile=${hostKnown} -o StrictHostKeyChecking=yes -o BatchMode=yes -W %h:%p root@${this.address}`;
        // Errors only (not -q): a refused or cut connection says so in the thrown message.
        return execFileSync("ssh", ["-o", "LogLevel=ERROR", "-i", keyFile, "-o", `UserKnownHostsFile=${known}`, "-o", "StrictHostKeyChecking=yes",
            "-o", "BatchMode=yes", "-o", `ProxyCommand=${proxy}`, `${user}@${address}`, command], { encoding: "utf8" });
    }
}
