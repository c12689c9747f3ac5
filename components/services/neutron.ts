import * as pulumi from "@pulumi/pulumi";
import { digest, mergeIni } from "../apiService";
import { agentSettings, ML2_SETTINGS, neutronSettings } from "../networkSettings";
import { neutronAgents } from "../neutronAgents";
import type { NeutronAgent, NeutronAgentModel } from "../openstackPackages";
import { sh } from "../../providers/transport";
import { declareService, tcp, type ServiceModel } from "./declaration";

export interface NeutronModel extends ServiceModel {
    ml2File: string;
    agents: Record<NeutronAgent, NeutronAgentModel>;
}

// Neutron's agents read neutron.conf and their own file (the linuxbridge
// agent ml2_conf.ini as well); the paths are the same in both families.
const neutronFiles = { configFile: "/etc/neutron/neutron.conf", ml2File: "/etc/neutron/plugins/ml2/ml2_conf.ini" };
const agentFiles: Record<NeutronAgent, string> = {
    linuxbridge: "/etc/neutron/plugins/ml2/linuxbridge_agent.ini",
    dhcp: "/etc/neutron/dhcp_agent.ini",
    l3: "/etc/neutron/l3_agent.ini",
    metadata: "/etc/neutron/metadata_agent.ini",
};

function agentsOf(packages: (a: NeutronAgent) => string[], unit: (a: NeutronAgent) => string): Record<NeutronAgent, NeutronAgentModel> {
    const names = Object.keys(agentFiles) as NeutronAgent[];
    return Object.fromEntries(names.map((a) => [a, { packages: packages(a), unit: unit(a), configFile: agentFiles[a] }])) as Record<NeutronAgent, NeutronAgentModel>;
}

export const neutron = declareService<NeutronModel>({
    name: "neutron",
    summary: "Networking: ML2 with linuxbridge, a flat provider network and VXLAN, the L3, DHCP, metadata and linuxbridge agents",
    requires: ["nova"],
    passwords: ["neutronDb", "neutron", "metadataSecret"],
    ports: [tcp("9696", "Neutron API"), { port: "4789", protocol: "udp", service: "VXLAN" }],
    iniConfig: true,
    serves: "compute",
    models: {
        zed: {
            // neutron-server is the API under uwsgi plus the RPC server.
            debian: {
                packages: ["neutron-server"], units: ["neutron-api", "neutron-rpc-server"], ...neutronFiles, uwsgi: ["/etc/neutron/neutron-api-uwsgi.ini"],
                agents: agentsOf((a) => [`neutron-${a}-agent`], (a) => `neutron-${a}-agent`),
            },
            rhel: {
                packages: ["openstack-neutron", "openstack-neutron-ml2"], units: ["neutron-server"], ...neutronFiles,
                agents: agentsOf((a) => (a === "linuxbridge" ? ["openstack-neutron-linuxbridge", "ebtables"] : []), (a) => `neutron-${a}-agent`),
            },
        },
    },
    morePackages: (m) => Object.values(m.agents).flatMap((a) => a.packages),
    moreUnits: (m) => Object.values(m.agents).map((a) => a.unit),
    build: (b) => {
        const m = b.model;
        // The stack's `ml2*` sections go to ml2_conf.ini, the rest to neutron.conf.
        const extra = Object.entries(b.extra);
        const ml2 = mergeIni(ML2_SETTINGS, Object.fromEntries(extra.filter(([k]) => k.startsWith("ml2"))));
        const neutronConf = mergeIni(neutronSettings(b), Object.fromEntries(extra.filter(([k]) => !k.startsWith("ml2"))));
        const server = b.api({
            name: "neutron", catalog: { type: "network", description: "OpenStack Networking", url: `http://${b.address}:9696` },
            // Neutron's eventlet hub cannot be shared between threads: with Debian's 32 uwsgi
            // threads, creating a subnet or a rule hangs on "cannot switch to a different thread".
            packages: m.packages, units: m.units, configFile: m.configFile, ...b.uwsgi(m.uwsgi, 1),
            settings: neutronConf,
            secretSettings: pulumi.all([b.transportUrl, b.password("nova")]).apply(([t, nv]) => ({ DEFAULT: { transport_url: t }, nova: { password: nv } })),
            files: [{ id: "ml2-conf", path: m.ml2File, settings: ml2 }],
            dbPassword: b.password("neutronDb"), servicePassword: b.password("neutron"),
            migrations: [{
                name: "db-upgrade",
                command: sh`neutron-db-manage --config-file ${m.configFile} --config-file ${m.ml2File} upgrade head`,
            }],
            after: [...b.after, ...b.unitsOf(["glance", "placement"])],
        });
        const c = b.config;
        neutronAgents({
            connection: b.connection, models: m.agents, prefix: b.prefix, parent: b.parent,
            settings: agentSettings(b, { providerInterface: c.network.providerInterface, tunnelAddress: c.network.tunnelAddress ?? b.address }),
            metadataSecret: b.password("metadataSecret"), neutronDigest: server.fileDigest, ml2Digest: digest(ml2),
            after: server.units,
        });
        return server;
    },
});
