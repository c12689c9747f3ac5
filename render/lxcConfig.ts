// An LXC container's config file (lxc.container.conf(5)), from what the
// stack says of the container. TESTBED.md has the config this follows,
// measured on a host without usable KVM: systemd as init, unconfined
// AppArmor, veth NICs on existing bridges, /dev/net/tun and /dev/kvm.

export interface LxcNic {
    /** The host bridge the veth pair's host side joins. */
    link: string;
    /** The host side's name (15 characters at most). */
    hostSide: string;
    mac: string;
    /** With prefix, e.g. 10.0.0.4/24; none leaves the NIC without an address (a provider network). */
    address?: string;
    gateway?: string;
}

export interface LxcConfigSpec {
    name: string;
    /** The shared base (read-only lower layer) and the container's own upper layer. */
    base: string;
    upper: string;
    nics: LxcNic[];
    cpus: number;
    memoryMiB: number;
    /** The host's cgroup layout: v1 (or hybrid) controllers, or the unified v2 hierarchy. */
    cgroup: "v1" | "v2";
    mounts: Array<{ source: string; target: string; readOnly: boolean }>;
    autostart: boolean;
}

/** The first line of every config this program writes: it refuses to touch a container without it. */
export const LXC_MARKER = "# managed by openstack-lab";

/** A value on one config line: LXC reads to the end of the line, so a newline would start another key. */
function value(v: string | number): string {
    const s = String(v);
    if (/[\n\r\0]/.test(s)) throw new Error(`lxc config value ${JSON.stringify(s)} spans lines`);
    return s;
}

export function renderLxcConfig(spec: LxcConfigSpec): string {
    const lines: string[] = [LXC_MARKER, "lxc.include = /usr/share/lxc/config/common.conf", "lxc.arch = linux64"];
    const set = (key: string, v: string | number) => lines.push(`${key} = ${value(v)}`);
    set("lxc.uts.name", spec.name);
    // LXC mounts the overlay itself, with its work directory beside the upper layer.
    set("lxc.rootfs.path", `overlay:${spec.base}:${spec.upper}`);
    set("lxc.init.cmd", "/lib/systemd/systemd");
    // OpenStack's agents make bridges, namespaces and iptables rules, which a confined profile refuses.
    set("lxc.apparmor.profile", "unconfined");
    spec.nics.forEach((n, i) => {
        const k = `lxc.net.${i}`;
        set(`${k}.type`, "veth");
        set(`${k}.link`, n.link);
        set(`${k}.name`, `eth${i}`);
        set(`${k}.veth.pair`, n.hostSide);
        set(`${k}.hwaddr`, n.mac);
        set(`${k}.flags`, "up");
        if (n.address) set(`${k}.ipv4.address`, n.address);
        if (n.gateway) set(`${k}.ipv4.gateway`, n.gateway);
    });
    // nova-compute's QEMU needs taps and, where the host has usable KVM, /dev/kvm.
    const quota = Math.round(spec.cpus * 100000);
    if (spec.cgroup === "v1") {
        set("lxc.cgroup.devices.allow", "c 10:200 rwm");
        set("lxc.cgroup.devices.allow", "c 10:232 rwm");
        set("lxc.cgroup.memory.limit_in_bytes", `${spec.memoryMiB}M`);
        set("lxc.cgroup.cpu.cfs_period_us", 100000);
        set("lxc.cgroup.cpu.cfs_quota_us", quota);
    } else {
        set("lxc.cgroup2.devices.allow", "c 10:200 rwm");
        set("lxc.cgroup2.devices.allow", "c 10:232 rwm");
        set("lxc.cgroup2.memory.max", `${spec.memoryMiB}M`);
        set("lxc.cgroup2.cpu.max", `${quota} 100000`);
    }
    set("lxc.mount.entry", "/dev/net/tun dev/net/tun none bind,create=file 0 0");
    set("lxc.mount.entry", "/dev/kvm dev/kvm none bind,create=file,optional 0 0");
    for (const m of spec.mounts) {
        if (/\s/.test(m.source + m.target)) throw new Error(`mount ${m.source} -> ${m.target}: paths with spaces cannot go into an fstab line`);
        set("lxc.mount.entry", `${m.source} ${m.target.replace(/^\/+/, "")} none bind,create=dir${m.readOnly ? ",ro" : ""} 0 0`);
    }
    set("lxc.start.auto", spec.autostart ? 1 : 0);
    return lines.join("\n") + "\n";
}
