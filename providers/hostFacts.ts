import { ConnectionArgs, run, withHost } from "./transport";
import { resourceKind } from "./kit";

/**
 * Read-only facts about a host: distribution, CPU virtualization support and
 * whether nested KVM is on (seed 000 reads /sys/module/kvm_intel/parameters/nested).
 * Creating it changes nothing on the host.
 */
export interface HostFactsInputs {
    connection: ConnectionArgs;
}

export interface HostFactsOutputs extends HostFactsInputs {
    osId: string;
    osFamily: "debian" | "rhel" | "other";
    cpuVendor: "intel" | "amd" | "other";
    /** vmx or svm in /proc/cpuinfo. */
    virtExtensions: boolean;
    kvmDevice: boolean;
    /** kvm_intel or kvm_amd, by CPU vendor. */
    kvmModule: string | null;
    nestedEnabled: boolean;
    /** systemd when it is PID 1, sysv otherwise (containers, minimal hosts). */
    init: "systemd" | "sysv";
}

const SCRIPT = [
    `. /etc/os-release 2>/dev/null; echo "os=$ID $ID_LIKE"`,
    `echo "vendor=$(awk -F': ' '/^vendor_id/ {print $2; exit}' /proc/cpuinfo)"`,
    `if grep -qwE 'vmx|svm' /proc/cpuinfo; then echo ext=yes; else echo ext=no; fi`,
    `if [ -e /dev/kvm ]; then echo kvm=yes; else echo kvm=no; fi`,
    `if [ -d /run/systemd/system ]; then echo init=systemd; else echo init=sysv; fi`,
    `echo "nested=$(cat /sys/module/kvm_intel/parameters/nested /sys/module/kvm_amd/parameters/nested 2>/dev/null | head -n1)"`,
].join("\n");

export function parseFacts(out: string): Omit<HostFactsOutputs, "connection"> {
    const kv = Object.fromEntries(out.split("\n").filter((l) => l.includes("=")).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1).trim()]));
    const ids = (kv.os ?? "").split(/\s+/).filter(Boolean);
    const osFamily = ids.some((i) => ["debian", "ubuntu"].includes(i)) ? "debian"
        : ids.some((i) => ["rhel", "fedora", "centos"].includes(i)) ? "rhel" : "other";
    const cpuVendor = kv.vendor === "GenuineIntel" ? "intel" : kv.vendor === "AuthenticAMD" ? "amd" : "other";
    return {
        osId: ids[0] ?? "unknown",
        osFamily,
        cpuVendor,
        virtExtensions: kv.ext === "yes",
        kvmDevice: kv.kvm === "yes",
        kvmModule: cpuVendor === "intel" ? "kvm_intel" : cpuVendor === "amd" ? "kvm_amd" : null,
        nestedEnabled: kv.nested === "Y" || kv.nested === "1",
        init: kv.init === "systemd" ? "systemd" : "sysv",
    };
}

const hostFacts = resourceKind<HostFactsInputs, HostFactsOutputs>({
    kind: "HostFacts",
    outputs: ["osId", "osFamily", "cpuVendor", "virtExtensions", "kvmDevice", "kvmModule", "nestedEnabled", "init"],
    secrets: ["connection"],
    changes: {
        replace: [],
        update: [],
    },
    async create(inputs: HostFactsInputs) {
        const facts = await withHost(inputs.connection, async (t) => parseFacts(await run(t, "gather facts", SCRIPT)));
        return { id: `${inputs.connection.name}:facts`, outs: { ...inputs, ...facts } };
    },
    async update(_id: string, _olds: HostFactsOutputs, news: HostFactsInputs) {
        const facts = await withHost(news.connection, async (t) => parseFacts(await run(t, "gather facts", SCRIPT)));
        return { outs: { ...news, ...facts } };
    },
    async read(id: string, props: HostFactsOutputs) {
        const facts = await withHost(props.connection, async (t) => parseFacts(await run(t, "gather facts", SCRIPT)));
        return { id, props: { ...props, ...facts } };
    },
});

export const hostFactsProvider = hostFacts.provider;

export const HostFacts = hostFacts.Resource;
export type HostFacts = InstanceType<typeof HostFacts>;
