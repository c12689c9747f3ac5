import { mergeIni } from "../apiService";
import { placementSettings } from "../computeSettings";
import { declareService, tcp } from "./declaration";

export const placement = declareService({
    name: "placement",
    summary: "Placement API (part of Nova in the seeds' releases)",
    passwords: ["placementDb", "placement"],
    ports: [tcp("8778", "Placement API")],
    iniConfig: true,
    models: {
        zed: {
            // Debian runs the HTTP APIs under uwsgi, 8 processes each unless told otherwise.
            debian: { packages: ["placement-api"], units: ["placement-api"], configFile: "/etc/placement/placement.conf", uwsgi: ["/etc/placement/placement-api-uwsgi.ini"] },
            // RDO serves Placement through httpd, like Keystone.
            rhel: { packages: ["openstack-placement-api"], units: ["httpd"], configFile: "/etc/placement/placement.conf" },
        },
    },
    build: (b) => b.api({
        name: "placement", catalog: { type: "placement", description: "Placement API", url: `http://${b.address}:8778` },
        // One thread per worker, as for Neutron: with Debian's 32, requests that arrive together
        // (nova's services starting at once) hung Placement on "cannot switch to a different thread".
        packages: b.model.packages, units: b.model.units, configFile: b.model.configFile, ...b.uwsgi(b.model.uwsgi, 1),
        settings: mergeIni(placementSettings(), b.extra),
        databases: [{ name: "placement", key: ["placement_database", "connection"] }],
        dbPassword: b.password("placementDb"), servicePassword: b.password("placement"), migrations: [{ command: "placement-manage db sync" }],
    }),
});
