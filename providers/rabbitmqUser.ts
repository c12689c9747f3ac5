import { ConnectionArgs, run, sh, Transport, withHost } from "./transport";
import { resourceKind } from "./kit";

/**
 * A RabbitMQ user with configure/write/read rights on a vhost (seed 000's
 * `rabbitmqctl add_user openstack` and `set_permissions openstack ".*" ".*" ".*"`).
 * rabbitmqctl reads the password from stdin when the command line has none.
 */
export interface RabbitmqUserInputs {
    connection: ConnectionArgs;
    name: string;
    password: string;
    vhost?: string;
}

export interface RabbitmqUserOutputs extends RabbitmqUserInputs {
    exists: boolean;
    passwordWorks: boolean;
    permissions: string;
}

const ALL = ".*";

async function inspect(t: Transport, i: RabbitmqUserInputs): Promise<{ exists: boolean; passwordWorks: boolean; permissions: string }> {
    const users = await run(t, "list RabbitMQ users", "rabbitmqctl list_users -q --no-table-headers");
    const exists = users.split("\n").some((l) => l.split("\t")[0] === i.name);
    if (!exists) return { exists, passwordWorks: false, permissions: "" };
    const auth = await t.exec(sh`rabbitmqctl authenticate_user -q ${i.name}`, { stdin: i.password + "\n" });
    const perms = await run(t, `permissions of ${i.name}`, sh`rabbitmqctl list_user_permissions -q --no-table-headers ${i.name}`);
    const line = perms.split("\n").find((l) => l.split("\t")[0] === (i.vhost ?? "/"));
    return { exists, passwordWorks: auth.code === 0, permissions: line ? line.split("\t").slice(1).join(" ") : "" };
}

async function converge(t: Transport, i: RabbitmqUserInputs): Promise<void> {
    const now = await inspect(t, i);
    if (!now.exists) await run(t, `add RabbitMQ user ${i.name}`, sh`rabbitmqctl add_user -q ${i.name}`, { stdin: i.password + "\n" });
    else if (!now.passwordWorks) await run(t, `set password of ${i.name}`, sh`rabbitmqctl change_password -q ${i.name}`, { stdin: i.password + "\n" });
    if (now.permissions !== `${ALL} ${ALL} ${ALL}`) {
        await run(t, `permissions of ${i.name}`, sh`rabbitmqctl set_permissions -q -p ${i.vhost ?? "/"} ${i.name} ${ALL} ${ALL} ${ALL}`);
    }
}

const rabbitmqUser = resourceKind<RabbitmqUserInputs, RabbitmqUserOutputs>({
    kind: "RabbitmqUser",
    outputs: ["exists", "passwordWorks", "permissions"],
    secrets: ["connection", "password"],
    changes: {
        replace: ["name", "vhost"],
        update: ["password"],
        drifted: (olds) => !olds.exists || !olds.passwordWorks || olds.permissions !== `${ALL} ${ALL} ${ALL}`,
    },
    async check(_olds: RabbitmqUserInputs, news: RabbitmqUserInputs) {
        const ok = /^[A-Za-z0-9_.\-]+$/.test(news.name);
        return { inputs: news, failures: ok ? [] : [{ property: "name", reason: `invalid RabbitMQ user name ${JSON.stringify(news.name)}` }] };
    },
    async create(inputs: RabbitmqUserInputs) {
        return withHost(inputs.connection, async (t) => {
            await converge(t, inputs);
            return { id: `${inputs.connection.name}:${inputs.name}`, outs: { ...inputs, ...(await inspect(t, inputs)) } };
        });
    },
    async update(_id: string, _olds: RabbitmqUserOutputs, news: RabbitmqUserInputs) {
        return withHost(news.connection, async (t) => {
            await converge(t, news);
            return { outs: { ...news, ...(await inspect(t, news)) } };
        });
    },
    async delete(_id: string, olds: RabbitmqUserOutputs) {
        await withHost(olds.connection, async (t) => {
            // The broker may have gone with its package already.
            const up = await t.exec("command -v rabbitmqctl >/dev/null && rabbitmqctl list_users -q >/dev/null");
            if (up.code !== 0) return;
            await run(t, `delete RabbitMQ user ${olds.name}`, sh`rabbitmqctl delete_user -q ${olds.name} || true`);
        });
    },
    async read(id: string, props: RabbitmqUserOutputs) {
        return withHost(props.connection, async (t) => ({ id, props: { ...props, ...(await inspect(t, props)) } }));
    },
});

export const rabbitmqUserProvider = rabbitmqUser.provider;

export const RabbitmqUser = rabbitmqUser.Resource;
export type RabbitmqUser = InstanceType<typeof RabbitmqUser>;
