import { SERVICES } from "../../components/services";
import { unitsOf } from "../../components/services/declaration";
import { RELEASES, type Family } from "../../components/openstackPackages";

/** The units a controller with every service runs: its base services', then each service's (components/services/). */
export function controllerUnits(family: Family = "debian"): string[] {
    const m = RELEASES.zed[family];
    const units = [...m.mariadb.units, ...m.rabbitmq.units, ...m.memcached.units, ...SERVICES.flatMap((s) => unitsOf(s, "zed", family))];
    return [...new Set(units)];
}
