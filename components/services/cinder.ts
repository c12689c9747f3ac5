import { mergeIni } from "../apiService";
import { cinderSettings } from "../computeSettings";
import { declareService, tcp } from "./declaration";

export const cinder = declareService({
    name: "cinder",
    summary: "Block Storage API and scheduler (the volume service is the storage node's)",
    requires: ["nova"],
    passwords: ["cinderDb", "cinder"],
    ports: [tcp("8776", "Block Storage API")],
    iniConfig: true,
    serves: "volume",
    models: {
        zed: {
            debian: { packages: ["cinder-api", "cinder-scheduler"], units: ["cinder-api", "cinder-scheduler"], configFile: "/etc/cinder/cinder.conf", uwsgi: ["/etc/cinder/cinder-api-uwsgi.ini"] },
            rhel: { packages: ["openstack-cinder"], units: ["openstack-cinder-api", "openstack-cinder-scheduler"], configFile: "/etc/cinder/cinder.conf" },
        },
    },
    build: (b) => b.api({
        name: "cinder", catalog: { type: "volumev3", description: "OpenStack Block Storage", url: `http://${b.address}:8776/v3/%(project_id)s` },
        packages: b.model.packages, units: b.model.units, configFile: b.model.configFile, ...b.uwsgi(b.model.uwsgi),
        settings: mergeIni(cinderSettings(b), b.extra),
        secretSettings: b.transportUrl.apply((t) => ({ DEFAULT: { transport_url: t } })),
        dbPassword: b.password("cinderDb"), servicePassword: b.password("cinder"), migrations: [{ command: "cinder-manage db sync" }],
    }),
});
