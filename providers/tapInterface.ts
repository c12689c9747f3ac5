import { ConnectionArgs, run, sh, withHost } from "./transport";
import { resourceKind } from "./kit";

/** A tap interface on a host (seed 000 section 7: tap0 for the host as a compute node). */
export interface TapInterfaceInputs {
    connection: ConnectionArgs;
    name: string;
}

export interface TapInterfaceOutputs extends TapInterfaceInputs {
    exists: boolean;
    existedBefore: boolean;
}

const exists = (name: string) => sh`[ -e /sys/class/net/${name} ] && echo yes || echo no`;

const tapInterface = resourceKind<TapInterfaceInputs, TapInterfaceOutputs>({
    kind: "TapInterface",
    outputs: ["exists", "existedBefore"],
    secrets: ["connection"],
    changes: {
        replace: ["name"],
        update: [],
        drifted: (olds) => !olds.exists,
    },
    async check(_olds: TapInterfaceInputs, news: TapInterfaceInputs) {
        const ok = typeof news.name !== "string" || /^[A-Za-z0-9_.\-]{1,15}$/.test(news.name);
        return { inputs: news, failures: ok ? [] : [{ property: "name", reason: "must be an interface name of 1-15 letters, digits, _ . -" }] };
    },
    async create(inputs: TapInterfaceInputs) {
        const existedBefore = await withHost(inputs.connection, async (t) => {
            const before = (await run(t, `look for ${inputs.name}`, exists(inputs.name))).trim() === "yes";
            await run(t, `create ${inputs.name}`, [
                before ? "" : sh`ip tuntap add dev ${inputs.name} mode tap`,
                sh`ip link set ${inputs.name} up`,
            ].filter(Boolean).join("\n"));
            return before;
        });
        return { id: `${inputs.connection.name}:tap:${inputs.name}`, outs: { ...inputs, exists: true, existedBefore } };
    },
    async update(_id: string, olds: TapInterfaceOutputs, news: TapInterfaceInputs) {
        await withHost(news.connection, (t) => run(t, `create ${news.name}`,
            sh`[ -e /sys/class/net/${news.name} ] || ip tuntap add dev ${news.name} mode tap; ip link set ${news.name} up`));
        return { outs: { ...news, exists: true, existedBefore: olds.existedBefore } };
    },
    async delete(_id: string, olds: TapInterfaceOutputs) {
        if (olds.existedBefore) return;
        await withHost(olds.connection, (t) => run(t, `remove ${olds.name}`, sh`if [ -e /sys/class/net/${olds.name} ]; then ip link del ${olds.name}; fi`));
    },
    async read(id: string, props: TapInterfaceOutputs) {
        const now = await withHost(props.connection, async (t) => (await run(t, `look for ${props.name}`, exists(props.name))).trim() === "yes");
        return { id, props: { ...props, exists: now } };
    },
});

export const tapInterfaceProvider = tapInterface.provider;

export const TapInterface = tapInterface.Resource;
export type TapInterface = InstanceType<typeof TapInterface>;
