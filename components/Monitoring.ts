import * as pulumi from "@pulumi/pulumi";
import type { MonitoringConfig } from "../config/monitoringSchema";
import { Packages } from "../providers/packages";
import { RemoteFile } from "../providers/remoteFile";
import { Service } from "../providers/service";
import type { ConnectionArgs } from "../providers/transport";
import { PROMETHEUS_PORT, renderCollectdConf, renderPrometheusConfig } from "../render/monitoring";
import type { Family } from "./openstackPackages";

export interface MonitoredNode {
    name: string;
    connection: pulumi.Input<ConnectionArgs>;
    family: Family;
    address: string;
    virt: boolean;
    /** What must be in place first (the host's preparation, or the VM). */
    ready: pulumi.Resource[];
}

export interface MonitoringArgs {
    config: MonitoringConfig;
    server: { name: string; connection: pulumi.Input<ConnectionArgs>; family: Family; address: string; ready: pulumi.Resource[] };
    nodes: MonitoredNode[];
}

// collectd's plugins link libraries its package only suggests: write_prometheus
// needs libmicrohttpd and libprotobuf-c, virt needs libvirt and libxml2. The
// RHEL family splits the plugins into packages of their own.
const COLLECTD = {
    debian: { base: ["collectd-core", "libmicrohttpd12", "libprotobuf-c1"], virt: ["libvirt0", "libxml2"], conf: "/etc/collectd/collectd.conf" },
    rhel: { base: ["collectd", "collectd-write_prometheus"], virt: ["collectd-virt"], conf: "/etc/collectd.conf" },
};
// EPEL's name for Prometheus on the RHEL family.
const PROMETHEUS = { debian: "prometheus", rhel: "golang-github-prometheus" };

/**
 * Seed 000's metrics: collectd on each node with its Prometheus endpoint, and
 * Prometheus on the gateway with every node in its targets (the runbook stops
 * Prometheus, edits prometheus.yaml by hand and restarts it).
 */
export class Monitoring extends pulumi.ComponentResource {
    /** Prometheus' web UI and API. */
    public readonly prometheusUrl: string;

    constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:lab:Monitoring", name, {}, opts);
        const interval = args.config.interval;
        const agents = args.nodes.map((n) => {
            const c = COLLECTD[n.family];
            const content = renderCollectdConf({ hostname: n.name, intervalSeconds: interval, virt: n.virt });
            // The file first: collectd's package starts the daemon, which needs it.
            const conf = new RemoteFile(`${name}-${n.name}-collectd-conf`, { connection: n.connection, path: c.conf, content, mode: "0644" },
                { parent: this, dependsOn: n.ready });
            const pkgs = new Packages(`${name}-${n.name}-collectd-packages`, { connection: n.connection, names: [...c.base, ...(n.virt ? c.virt : [])] },
                { parent: this, dependsOn: [conf] });
            return new Service(`${name}-${n.name}-collectd`, { connection: n.connection, name: "collectd", enabled: true, running: true, restartOn: content },
                { parent: this, dependsOn: [pkgs] });
        });

        const s = args.server;
        const config = renderPrometheusConfig(args.nodes.map((n) => ({ node: n.name, address: n.address })), interval);
        const pkgs = new Packages(`${name}-prometheus-packages`, { connection: s.connection, names: [PROMETHEUS[s.family]] }, { parent: this, dependsOn: s.ready });
        const file = new RemoteFile(`${name}-prometheus-config`, { connection: s.connection, path: "/etc/prometheus/prometheus.yml", content: config, mode: "0644" },
            { parent: this, dependsOn: [pkgs] });
        new Service(`${name}-prometheus`, { connection: s.connection, name: "prometheus", enabled: true, running: true, restartOn: config },
            { parent: this, dependsOn: [file, ...agents] });
        this.prometheusUrl = `http://${s.address}:${PROMETHEUS_PORT}/`;
        this.registerOutputs({ prometheusUrl: this.prometheusUrl });
    }
}
