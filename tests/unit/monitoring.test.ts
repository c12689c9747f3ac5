import { parseLab } from "../../config/load";
import { configErrorOf } from "../helpers/configError";
import { renderCollectdConf, renderPrometheusConfig } from "../../render/monitoring";

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBkVb3ZVtd0NQa4MT6vwOtdTKUGWpJs6d1nppTXGp7XX";
const hosts = [{ name: "gw", address: "10.0.0.2", hostKey: KEY }, { name: "host", address: "lab.example.org", hostKey: KEY }];
const errorOf = (raw: Record<string, unknown>) => configErrorOf(() => parseLab(raw));

describe("monitoring", () => {
    it("writes collectd's config with the Prometheus endpoint, and the virt plugin only where asked", () => {
        const plain = renderCollectdConf({ hostname: "kvm1", intervalSeconds: 5, virt: false });
        expect(plain).toMatch(/^Hostname "kvm1"$/m);
        expect(plain).toMatch(/^Interval 5$/m);
        expect(plain).toMatch(/<Plugin write_prometheus>\n {2}Port "9103"\n<\/Plugin>/);
        expect(plain).not.toMatch(/virt/);
        expect(renderCollectdConf({ hostname: 'a"b\\', intervalSeconds: 5, virt: true })).toMatch(/^Hostname "a\\"b\\\\"\nFQDNLookup false$/m);
        expect(renderCollectdConf({ hostname: "host", intervalSeconds: 5, virt: true })).toMatch(/LoadPlugin virt\n<Plugin virt>\n {2}Connection "qemu:\/\/\/system"/);
    });

    it("gives Prometheus one target per node, labelled with the node's name", () => {
        const YAML = require("yaml") as typeof import("yaml");
        const doc = YAML.parse(renderPrometheusConfig([{ node: "host", address: "10.0.0.1" }, { node: "v6", address: "fd00::5" }], 5));
        expect(doc.global.scrape_interval).toBe("5s");
        expect(doc.scrape_configs[1]).toEqual({
            job_name: "collectd",
            static_configs: [{ targets: ["10.0.0.1:9103"], labels: { node: "host" } }, { targets: ["[fd00::5]:9103"], labels: { node: "v6" } }],
        });
    });

    it("names the key of an unknown node, a node without an address and a node listed twice", () => {
        expect(parseLab({ hosts, monitoring: { host: "gw", nodes: [{ host: "gw" }, { host: "host", address: "10.0.0.1", virt: true }] } }).monitoring)
            .toEqual({ host: "gw", interval: 10, nodes: [{ host: "gw", virt: false }, { host: "host", address: "10.0.0.1", virt: true }] });
        expect(errorOf({ hosts, monitoring: { host: "nowhere", nodes: [{ host: "gw" }] } })).toContain("openstack-lab:monitoring.host: no node named nowhere in hosts, vms or containers");
        expect(errorOf({ hosts, monitoring: { host: "gw", nodes: [{ host: "host" }] } })).toContain("openstack-lab:monitoring.nodes[0].address: required");
        expect(errorOf({ hosts, monitoring: { host: "gw", nodes: [{ host: "gw" }, { host: "gw" }] } })).toContain("openstack-lab:monitoring.nodes[1].host: gw is listed twice");
        expect(errorOf({ hosts, monitoring: { host: "gw", nodes: [] } })).toContain("openstack-lab:monitoring.nodes: needs at least one node");
        expect(errorOf({ hosts, monitoring: { host: "gw", nodes: [{ host: "gw" }], interval: 0 } })).toContain("openstack-lab:monitoring.interval");
    });
});
