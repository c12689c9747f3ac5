import { z } from "zod";

// Seed 000's monitoring: Prometheus on the gateway VM, collectd on the host
// and the VMs. Loki, promtail and Grafana are left out: Debian does not ship
// them, and their projects are AGPL-licensed; Prometheus' own web UI shows
// the metrics and each node's journal keeps its logs.

export const monitoringSchema = z.object({
    /** The hosts[] entry or VM that runs Prometheus (seed 000: the gateway). */
    host: z.string(),
    /** Nodes that run collectd, served to Prometheus on port 9103. */
    nodes: z.array(z.object({
        host: z.string(),
        /** Where Prometheus reaches it (default: the node's address; seed 000's host: 10.0.0.1). */
        address: z.ipv4().optional(),
        /** Also read the node's libvirt domains (seed 000: `--plugin virt` on the physical host). */
        virt: z.boolean().default(false),
    }).strict()).min(1, "needs at least one node to collect from"),
    /** Seconds between readings and scrapes (seed 000: 5). */
    interval: z.number().int().min(1).max(3600).default(10),
}).strict();

export type MonitoringConfig = z.infer<typeof monitoringSchema>;
