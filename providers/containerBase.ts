import { ConnectionArgs, exclusive, run, sh, withHost } from "./transport";
import { resourceKind } from "./kit";

/**
 * The base root filesystem that a host's containers of one release share
 * (each has an overlay of its own over it), built once with debootstrap as
 * OpenStack-Ansible builds its LXC base. Through the lab's package cache when
 * there is one, so a second build downloads nothing.
 */
export interface ContainerBaseInputs {
    connection: ConnectionArgs;
    release: string;
    /** Where it is built: <dir>/rootfs. */
    dir: string;
    /** The Debian mirror, as the containers' apt sources will name it. */
    mirror: string;
    /** An HTTP proxy for debootstrap's downloads (the lab's package cache), on the host itself. */
    proxy?: string;
    /** Packages beyond debootstrap's minimal base. */
    include: string[];
}

export interface ContainerBaseOutputs extends ContainerBaseInputs {
    /** The root filesystem's path, present and complete when last read. */
    rootfs: string;
    ready: boolean;
}

/** Units with no use in a lab container, or that would run apt behind the program's back. */
const MASKED_UNITS = ["apt-daily.timer", "apt-daily-upgrade.timer", "e2scrub_all.timer", "fstrim.timer", "systemd-timesyncd.service"];

/** What the build leaves, for read to tell a complete base from a half-built one. */
const stamp = (i: ContainerBaseInputs) => `${i.dir}/ready`;
const stampContent = (i: ContainerBaseInputs) => JSON.stringify({ release: i.release, mirror: i.mirror, include: i.include }) + "\n";

/** The build script: into a fresh directory beside the final one, moved in place only when complete. */
export function buildScript(i: ContainerBaseInputs): string {
    const part = `${i.dir}/rootfs.part`;
    const env = i.proxy ? sh`http_proxy=${i.proxy}` + " " : "";
    return [
        "set -e",
        sh`mkdir -p ${i.dir}`,
        sh`rm -rf ${part}`,
        `${env}${sh`debootstrap --variant=minbase --include=${i.include.join(",")} ${i.release} ${part} ${i.mirror}`} >&2`,
        // Each container gets a host key of its own, written before its first start.
        `${sh`rm -f ${part}`}/etc/ssh/ssh_host_*`,
        sh`printf '%s\n' ${`deb ${i.mirror} ${i.release} main`} ${`deb ${i.mirror} ${i.release}-updates main`} > ${part + "/etc/apt/sources.list"}`,
        sh`printf 'HostKey /etc/ssh/ssh_host_ed25519_key\nPasswordAuthentication no\n' > ${part + "/etc/ssh/sshd_config.d/openstack-lab.conf"}`,
        // systemd makes each container a machine ID of its own at first boot.
        sh`: > ${part + "/etc/machine-id"}`,
        ...MASKED_UNITS.map((u) => sh`ln -sf /dev/null ${`${part}/etc/systemd/system/${u}`}`),
        sh`rm -rf ${i.dir + "/rootfs"}`,
        sh`mv ${part} ${i.dir + "/rootfs"}`,
        sh`printf '%s' ${stampContent(i)} > ${stamp(i)}`,
    ].join("\n");
}

async function build(i: ContainerBaseInputs): Promise<void> {
    await exclusive(i.connection, `container-base:${i.dir}`, () => withHost(i.connection, async (t) => {
        const current = await run(t, "read the container base's stamp", sh`cat ${stamp(i)} 2>/dev/null || true`);
        // A base already built from the same inputs is adopted as it is.
        if (current === stampContent(i)) return;
        await run(t, `build the ${i.release} container base in ${i.dir} with debootstrap`, buildScript(i));
    }));
}

const containerBase = resourceKind<ContainerBaseInputs, ContainerBaseOutputs>({
    kind: "ContainerBase",
    outputs: ["rootfs", "ready"],
    secrets: ["connection"],
    timeouts: { create: "30m", update: "30m" },
    changes: {
        replace: ["release", "dir", "mirror", "include"],
        update: ["proxy"],
        // A base removed or half built by hand is built again in place.
        drifted: (olds) => !olds.ready,
    },
    async create(inputs: ContainerBaseInputs) {
        await build(inputs);
        return { id: `${inputs.connection.name}:container-base:${inputs.dir}`, outs: { ...inputs, rootfs: `${inputs.dir}/rootfs`, ready: true } };
    },
    async update(_id: string, _olds: ContainerBaseOutputs, news: ContainerBaseInputs) {
        await build(news);
        return { outs: { ...news, rootfs: `${news.dir}/rootfs`, ready: true } };
    },
    async delete(_id: string, olds: ContainerBaseOutputs) {
        // The directories above it go too when nothing else is in them (they were made for it).
        await withHost(olds.connection, (t) => run(t, `remove the container base ${olds.dir}`,
            sh`rm -rf ${olds.dir} && rmdir -p --ignore-fail-on-non-empty "$(dirname ${olds.dir})"`));
    },
    async read(id: string, props: ContainerBaseOutputs) {
        return withHost(props.connection, async (t) => {
            const current = await run(t, "read the container base's stamp", sh`cat ${stamp(props)} 2>/dev/null; test -d ${props.dir + "/rootfs/etc"} || echo missing`);
            return { id, props: { ...props, ready: current === stampContent(props) } };
        });
    },
});

export const containerBaseProvider = containerBase.provider;

export const ContainerBase = containerBase.Resource;
export type ContainerBase = InstanceType<typeof ContainerBase>;
