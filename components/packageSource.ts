import * as pulumi from "@pulumi/pulumi";
import type { PackageSourceConfig } from "../config/controllerSchema";
import { IniFile } from "../providers/iniFile";
import { RemoteFile } from "../providers/remoteFile";
import type { ConnectionArgs } from "../providers/transport";

/**
 * The lab's package mirror and proxy on one host, before anything is
 * installed there: closed lab networks reach packages only this way. Apt
 * sources go to a file of their own; the host's other sources stay.
 */
export function packageSourceResources(
    name: string, family: "debian" | "rhel", connection: pulumi.Input<ConnectionArgs>, src: PackageSourceConfig, parent: pulumi.Resource,
): pulumi.Resource[] {
    const out: pulumi.Resource[] = [];
    if (family === "debian") {
        if (src.apt.length) {
            out.push(new RemoteFile(`${name}-apt-sources`, {
                connection, path: "/etc/apt/sources.list.d/openstack-lab.list", content: src.apt.join("\n") + "\n", mode: "0644",
            }, { parent }));
        }
        if (src.proxy) {
            out.push(new RemoteFile(`${name}-apt-proxy`, {
                connection, path: "/etc/apt/apt.conf.d/90openstack-lab-proxy",
                content: `Acquire::http::Proxy "${src.proxy}";\nAcquire::https::Proxy "${src.proxy}";\n`, mode: "0644",
            }, { parent }));
        }
    } else if (src.proxy) {
        out.push(new IniFile(`${name}-dnf-proxy`, { connection, path: "/etc/dnf/dnf.conf", settings: { main: { proxy: src.proxy } } }, { parent }));
    }
    return out;
}
