import { mergeIni } from "../apiService";
import type { IniSections } from "../openstackPackages";
import { declareService, tcp } from "./declaration";

/** Seed 000's glance role: Keystone auth and the file store. */
export const GLANCE_SETTINGS: IniSections = {
    paste_deploy: { flavor: "keystone" },
    glance_store: { stores: "file,http", default_store: "file", filesystem_store_datadir: "/var/lib/glance/images/" },
};

export const glance = declareService({
    name: "glance",
    summary: "Image service: the file store",
    passwords: ["glanceDb", "glance"],
    ports: [tcp("9292", "Glance API")],
    iniConfig: true,
    models: {
        zed: {
            debian: { packages: ["glance"], units: ["glance-api"], configFile: "/etc/glance/glance-api.conf" },
            rhel: { packages: ["openstack-glance"], units: ["openstack-glance-api"], configFile: "/etc/glance/glance-api.conf" },
        },
    },
    build: (b) => b.api({
        name: "glance", catalog: { type: "image", description: "OpenStack Image", url: `http://${b.address}:9292` },
        packages: b.model.packages, units: b.model.units, configFile: b.model.configFile,
        settings: mergeIni(GLANCE_SETTINGS, b.extra),
        dbPassword: b.password("glanceDb"), servicePassword: b.password("glance"), migrations: [{ command: "glance-manage db_sync" }],
    }),
});
