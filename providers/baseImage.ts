import * as pulumi from "@pulumi/pulumi";
import { ConnectionArgs, run, sh, withHost } from "./transport";
import { resourceKind } from "./kit";

/**
 * A VM base image on the libvirt host: a file already there, or downloaded
 * once from a URL. Either way its SHA-256 is checked before any VM uses it.
 */
export interface BaseImageInputs {
    connection: ConnectionArgs;
    sha256: string;
    /** A file on the host. */
    path?: string;
    /** Downloaded into `dir` when no path is given. */
    url?: string;
    dir: string;
}

export interface BaseImageOutputs extends BaseImageInputs {
    /** Where the verified image is on the host. */
    file: string;
    downloaded: boolean;
    present: boolean;
}

const target = (i: BaseImageInputs) => i.path ?? `${i.dir}/base/${i.sha256}.img`;

const baseImage = resourceKind<BaseImageInputs, BaseImageOutputs>({
    kind: "BaseImage",
    outputs: ["file", "downloaded", "present"],
    secrets: ["connection"],
    changes: {
        replace: ["sha256", "path", "url", "dir"],
        update: [],
        drifted: (olds) => !olds.present,
    },
    async check(_olds: BaseImageInputs, news: BaseImageInputs) {
        const failures: pulumi.dynamic.CheckFailure[] = [];
        if (typeof news.sha256 === "string" && !/^[0-9a-f]{64}$/.test(news.sha256)) failures.push({ property: "sha256", reason: "must be 64 lowercase hex digits" });
        if (!news.path && !news.url) failures.push({ property: "path", reason: "give the image's path on the host or a url to download it from" });
        return { inputs: news, failures };
    },
    async create(inputs: BaseImageInputs) {
        const file = target(inputs);
        const downloaded = await withHost(inputs.connection, async (t) => {
            const fetch = !inputs.path;
            const present = (await run(t, `look for ${file}`, sh`[ -f ${file} ] && echo yes || echo no`)).trim() === "yes";
            if (fetch && !present) {
                await run(t, `download ${inputs.url}`, [
                    "set -e",
                    sh`mkdir -p ${inputs.dir + "/base"}`,
                    sh`curl -fsSL --retry 3 -o ${file + ".part"} ${inputs.url ?? ""}`,
                    sh`mv ${file + ".part"} ${file}`,
                ].join("\n"));
            }
            const sum = (await run(t, `checksum ${file}`, sh`sha256sum ${file}`)).split(" ")[0];
            if (sum !== inputs.sha256) {
                if (fetch && !present) await t.exec(sh`rm -f ${file}`);
                throw new Error(`host ${t.name}: image ${file} has SHA-256 ${sum}, expected ${inputs.sha256}`);
            }
            return fetch && !present;
        });
        return { id: `${inputs.connection.name}:image:${inputs.sha256.slice(0, 12)}`, outs: { ...inputs, file, downloaded, present: true } };
    },
    async delete(_id: string, olds: BaseImageOutputs) {
        if (!olds.downloaded) return;
        await withHost(olds.connection, (t) => run(t, `remove ${olds.file}`, sh`rm -f ${olds.file}`));
    },
    async read(id: string, props: BaseImageOutputs) {
        const present = await withHost(props.connection, async (t) =>
            (await run(t, `look for ${props.file}`, sh`[ -f ${props.file} ] && echo yes || echo no`)).trim() === "yes");
        return { id, props: { ...props, present } };
    },
});

export const baseImageProvider = baseImage.provider;

export const BaseImage = baseImage.Resource;
export type BaseImage = InstanceType<typeof BaseImage>;
