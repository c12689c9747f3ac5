import * as pulumi from "@pulumi/pulumi";
import { sh } from "../../providers/transport";
import { mergeIni } from "../apiService";
import { shellDefaultLine } from "../../render/hostSteps";
import { novaSettings } from "../computeSettings";
import { declareService, tcp, type ServiceModel } from "./declaration";

export interface NovaModel extends ServiceModel {
    /** Debian's console proxy package runs one of spicehtml5 and novnc, chosen in a shell defaults file. */
    consoleProxySwitch?: { file: string; key: string; value: string };
}

export const nova = declareService<NovaModel>({
    name: "nova",
    summary: "Compute API, scheduler, conductor, metadata API and noVNC proxy, cells v2",
    requires: ["glance", "placement", "neutron"],
    passwords: ["novaDb", "nova"],
    ports: [tcp("8774", "Compute API"), tcp("8775", "Compute metadata"), tcp("6080", "noVNC proxy")],
    iniConfig: true,
    serves: "compute",
    models: {
        zed: {
            // nova-api-metadata answers the metadata agent; the console proxy package holds novncproxy.
            debian: {
                packages: ["nova-api", "nova-conductor", "nova-scheduler", "nova-consoleproxy"],
                units: ["nova-api", "nova-api-metadata", "nova-scheduler", "nova-conductor", "nova-novncproxy"],
                configFile: "/etc/nova/nova.conf", uwsgi: ["/etc/nova/nova-api-uwsgi.ini", "/etc/nova/nova-api-metadata-uwsgi.ini"],
                // spicehtml5 unless told.
                consoleProxySwitch: { file: "/etc/default/nova-consoleproxy", key: "NOVA_CONSOLE_PROXY_TYPE", value: "novnc" },
            },
            rhel: {
                packages: ["openstack-nova-api", "openstack-nova-conductor", "openstack-nova-novncproxy", "openstack-nova-scheduler"],
                units: ["openstack-nova-api", "openstack-nova-scheduler", "openstack-nova-conductor", "openstack-nova-novncproxy"],
                configFile: "/etc/nova/nova.conf",
            },
        },
    },
    build: (b) => {
        // Cells v2 (the seeds predate them): nova_api, cell0 and cell1, in this order.
        const sw = b.model.consoleProxySwitch;
        const cells = (cell: string) => sh`nova-manage cell_v2 list_cells | grep -q ${` ${cell} `}`;
        return b.api({
            name: "nova", catalog: { type: "compute", description: "OpenStack Compute", url: `http://${b.address}:8774/v2.1` },
            // Debian gives nova-api one thread per worker already; its metadata API (32) likewise, for Placement's reason.
            packages: b.model.packages, units: b.model.units, configFile: b.model.configFile, ...b.uwsgi(b.model.uwsgi, 1),
            settings: mergeIni(novaSettings(b), b.extra),
            secretSettings: pulumi.all([b.transportUrl, b.password("placement"), b.password("neutron"), b.password("metadataSecret")]).apply(([t, pl, ne, md]) => ({
                DEFAULT: { transport_url: t },
                placement: { password: pl },
                neutron: { password: ne, metadata_proxy_shared_secret: md },
            })),
            databases: [
                { name: "nova_api", key: ["api_database", "connection"] },
                { name: "nova", key: ["database", "connection"] },
                { name: "nova_cell0" },
            ],
            dbPassword: b.password("novaDb"), servicePassword: b.password("nova"),
            migrations: [
                { command: "nova-manage api_db sync", database: "nova_api" },
                { command: "nova-manage cell_v2 map_cell0", check: cells("cell0") },
                { command: "nova-manage cell_v2 create_cell --name=cell1 --verbose", check: cells("cell1") },
                { command: "nova-manage db sync", database: "nova" },
            ],
            after: [...b.after, ...b.unitsOf(["glance", "placement"])],
            setup: sw ? [{ id: "console-proxy-type", ...shellDefaultLine(sw.file, sw.key, sw.value) }] : [],
        });
    },
});
