import * as pulumi from "@pulumi/pulumi";
import { IniFile } from "../providers/iniFile";
import { Packages } from "../providers/packages";
import { Service } from "../providers/service";
import type { ConnectionArgs } from "../providers/transport";
import { osloLiterals } from "../render/osloValues";
import { digest } from "./apiService";
import type { IniSections, NeutronAgent, NeutronAgentModel } from "./openstackPackages";

export interface NeutronAgentsArgs {
    connection: pulumi.Input<ConnectionArgs>;
    models: Record<NeutronAgent, NeutronAgentModel>;
    settings: Record<NeutronAgent, IniSections>;
    /** The metadata agent's secret shared with nova's `[neutron]` block. */
    metadataSecret: pulumi.Input<string>;
    /** neutron.conf's keys (all agents read it) and ml2_conf.ini's (the linuxbridge agent does). */
    neutronDigest: pulumi.Input<string>;
    ml2Digest: pulumi.Input<string>;
    /** The server: agents report to it once it runs. */
    after: pulumi.Resource[];
    parent: pulumi.Resource;
    prefix: string;
}

/**
 * The network node's agents on the controller (seed 000's controller runs
 * them): linuxbridge, DHCP, L3 and metadata, each with its own file and
 * restarted only when that file, neutron.conf or (linuxbridge) ml2_conf.ini
 * changes.
 */
export function neutronAgents(a: NeutronAgentsArgs): Service[] {
    const { connection } = a;
    const opts = (dependsOn: pulumi.Resource[]) => ({ parent: a.parent, dependsOn });
    const agents = Object.keys(a.models) as NeutronAgent[];
    const names = agents.flatMap((n) => a.models[n].packages);
    const packages = new Packages(`${a.prefix}-neutron-agent-packages`, { connection, names }, opts(a.after));
    return agents.map((agent) => {
        const m = a.models[agent];
        const secretSettings = agent === "metadata"
            ? pulumi.output(a.metadataSecret).apply((s) => osloLiterals({ DEFAULT: { metadata_proxy_shared_secret: s } }))
            : undefined;
        const conf = new IniFile(`${a.prefix}-neutron-${agent}-agent-conf`, {
            connection, path: m.configFile, settings: a.settings[agent], ...(secretSettings ? { secretSettings } : {}),
        }, opts([packages]));
        const own = digest(a.settings[agent], secretSettings ?? {});
        const restartOn = agent === "linuxbridge" ? digest(a.neutronDigest, a.ml2Digest, own) : digest(a.neutronDigest, own);
        return new Service(`${a.prefix}-service-${m.unit}`, { connection, name: m.unit, restartOn }, opts([conf, ...a.after]));
    });
}
