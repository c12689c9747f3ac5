// Seed 000's monitoring: collectd on each node with its write_prometheus
// plugin (the runbook's scripts/monitoring/collectd.sh), and Prometheus on
// the gateway scraping them (the runbook adds each node to its targets by
// hand). YAML comes from the yaml package, required inside the function for
// the engine's closure serialization.

/** The port collectd's write_prometheus plugin serves on (seed 000: 10.0.0.1:9103). */
export const COLLECTD_PORT = 9103;
export const PROMETHEUS_PORT = 9090;

export interface CollectdOptions {
    /** The node's name in the metrics. */
    hostname: string;
    intervalSeconds: number;
    /** Reads each libvirt domain's CPU, disk and network (seed 000's `--plugin virt`). */
    virt: boolean;
}

const quoted = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

export function renderCollectdConf(o: CollectdOptions): string {
    const lines = [
        "# openstack-lab: metrics for the lab's Prometheus",
        `Hostname ${quoted(o.hostname)}`,
        "FQDNLookup false",
        `Interval ${o.intervalSeconds}`,
        ...["cpu", "memory", "load", "interface"].map((p) => `LoadPlugin ${p}`),
    ];
    if (o.virt) {
        lines.push("LoadPlugin virt", "<Plugin virt>", '  Connection "qemu:///system"', "  HostnameFormat name", "</Plugin>");
    }
    lines.push("LoadPlugin write_prometheus", "<Plugin write_prometheus>", `  Port "${COLLECTD_PORT}"`, "</Plugin>");
    return lines.join("\n") + "\n";
}

export interface ScrapeTarget {
    node: string;
    address: string;
}

export function renderPrometheusConfig(targets: ScrapeTarget[], intervalSeconds: number): string {
    const YAML = require("yaml") as typeof import("yaml");
    const doc = {
        global: { scrape_interval: `${intervalSeconds}s`, evaluation_interval: `${intervalSeconds}s` },
        scrape_configs: [
            { job_name: "prometheus", static_configs: [{ targets: [`localhost:${PROMETHEUS_PORT}`] }] },
            {
                job_name: "collectd",
                static_configs: targets.map((t) => ({ targets: [`${t.address.includes(":") ? `[${t.address}]` : t.address}:${COLLECTD_PORT}`], labels: { node: t.node } })),
            },
        ],
    };
    return "# openstack-lab: the lab's nodes, scraped from their collectd\n" + YAML.stringify(doc);
}
