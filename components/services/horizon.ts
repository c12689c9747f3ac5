import { HostCommand } from "../../providers/hostCommand";
import { Packages } from "../../providers/packages";
import { RemoteFile } from "../../providers/remoteFile";
import { Service } from "../../providers/service";
import { renderHorizonSettings } from "../../render/horizonSettings";
import { digest } from "../apiService";
import { apacheSiteOff } from "../../render/hostSteps";
import { declareService, tcp, type ServiceModel } from "./declaration";

export interface HorizonModel extends ServiceModel {
    /** Where it serves under the web server's root. */
    url: string;
    /** Apache sites the package enables that must be off. */
    apacheSitesOff?: string[];
}

/** The lab's settings go to a file of their own in local_settings.d, which Horizon reads after local_settings.py. */
const settingsFile = "/etc/openstack-dashboard/local_settings.d/_90_openstack_lab.py";

export const horizon = declareService<HorizonModel>({
    name: "horizon",
    summary: "Dashboard, beside Keystone (seed 000 puts it on its gateway VM)",
    passwords: [],
    ports: [tcp("80", "Horizon")],
    iniConfig: false,
    models: {
        zed: {
            debian: {
                // python3-pymemcache: the sessions' memcached client (render/horizonSettings.ts).
                packages: ["openstack-dashboard-apache", "python3-pymemcache"], units: ["apache2"], configFile: settingsFile, url: "/horizon/",
                // Without debconf answers the package enables default-ssl but not mod_ssl, and Apache refuses to start.
                apacheSitesOff: ["default-ssl"],
            },
            rhel: { packages: ["openstack-dashboard", "python3-pymemcache"], units: ["httpd"], configFile: settingsFile, url: "/dashboard/" },
        },
    },
    build: (b) => {
        const { connection, model: m, prefix: name } = b;
        const child = (dependsOn: import("@pulumi/pulumi").Resource[]) => ({ parent: b.parent, dependsOn });
        const packages = new Packages(`${name}-horizon-packages`, { connection, names: m.packages }, child(b.unitsOf(["keystone"])));
        const content = renderHorizonSettings({ keystoneHost: b.address, authUrl: b.authUrl, ...b.config.dashboard });
        const settings = new RemoteFile(`${name}-horizon-settings`, { connection, path: m.configFile, content, mode: "0644" }, child([packages]));
        const sitesOff = (m.apacheSitesOff ?? []).map((site) => new HostCommand(`${name}-apache-site-${site}-off`, { connection, ...apacheSiteOff(site) }, child([packages])));
        // RDO serves Horizon from the httpd that also serves Keystone: its own resource, restarting httpd on its own file.
        const units = m.units.map((u) => new Service(`${name}-horizon-service-${u}`, { connection, name: u, restartOn: digest(content) }, child([settings, ...sitesOff])));
        return { units, packages, dashboardPath: m.url };
    },
});
