import * as pulumi from "@pulumi/pulumi";
import type { TempestConfig } from "../config/tempestSchema";
import { HostCommand } from "../providers/hostCommand";
import { Packages } from "../providers/packages";
import { RemoteFile } from "../providers/remoteFile";
import { type ConnectionArgs } from "../providers/transport";
import { renderTempestConf } from "../render/tempestConf";
import { runsDirectory } from "../render/hostSteps";

/** Where Tempest runs on the controller: its config, its runs' records and its log. */
export const TEMPEST_WORKSPACE = "/var/lib/openstack-lab/tempest";

export interface TempestWorkspaceArgs {
    config: TempestConfig;
    /** The controller, where Tempest runs. */
    connection: pulumi.Input<ConnectionArgs>;
    authUrl: string;
    region: string;
    adminPassword: pulumi.Input<string>;
    imageId: pulumi.Input<string>;
    flavorId: pulumi.Input<string>;
    network: string;
    services: { cinder: boolean; horizon: boolean };
    dashboardUrl?: string;
    computeNodes: number;
    /** The lab's OpenStack, in place before Tempest can be set to it. */
    after: pulumi.Resource[];
}

/** What `lab.sh verify` needs to run Tempest (a secret output: it holds the controller's login). */
export interface TempestTarget {
    connection: ConnectionArgs;
    workspace: string;
    concurrency: number;
}

/**
 * Tempest from the distribution's package on the controller, with a
 * tempest.conf made from the lab. `lab.sh verify` runs it; what its runs
 * leave in the workspace goes on destroy with the workspace.
 */
export class TempestWorkspace extends pulumi.ComponentResource {
    public readonly target: pulumi.Output<TempestTarget>;

    constructor(name: string, args: TempestWorkspaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:lab:TempestWorkspace", name, {}, opts);
        const ws = TEMPEST_WORKSPACE;
        const pkg = new Packages(`${name}-packages`, { connection: args.connection, names: ["tempest"] }, { parent: this, dependsOn: args.after });
        const content = pulumi.secret(pulumi.all([args.adminPassword, args.imageId, args.flavorId]).apply(([adminPassword, imageRef, flavorRef]) => renderTempestConf({
            authUrl: args.authUrl, region: args.region, adminPassword, imageRef, flavorRef, network: args.network,
            services: args.services, dashboardUrl: args.dashboardUrl, computeNodes: args.computeNodes, buildTimeout: args.config.buildTimeout, workspace: ws,
        })));
        const conf = new RemoteFile(`${name}-conf`, { connection: args.connection, path: `${ws}/etc/tempest.conf`, content, mode: "0600" },
            { parent: this, dependsOn: [pkg] });
        // Runs add stestr's records, the log and the lock directory; they are the workspace's, not the user's.
        const runs = [".stestr", ".stestr.conf", "tempest.log", "lock", "results"].map((p) => `${ws}/${p}`);
        const records = new HostCommand(`${name}-runs`, { connection: args.connection, ...runsDirectory("Tempest workspace", `${ws}/lock`, runs) }, { parent: this, dependsOn: [conf] });
        this.target = pulumi.secret(pulumi.all([args.connection, records.inPlace]).apply(([connection]) => ({
            connection, workspace: ws, concurrency: args.config.concurrency,
        })));
        this.registerOutputs({});
    }
}
