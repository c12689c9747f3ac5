import { adminEnv } from "../providers/openstackCli";
import { sh } from "../providers/transport/quote";
import type { HostStep } from "./hostSteps";
import { asUser } from "./keystoneSteps";

// Steps on the controller when a node joins or leaves: they run the
// openstack client as admin (the password on the step's stdin).

/**
 * A compute node's nova-compute has reported up: it is mapped into cell1.
 * On removal its compute service and agents leave the controller's lists.
 */
export function computeRegistration(authUrl: string, host: string): HostStep {
    const cli = adminEnv(authUrl);
    return {
        description: `register compute node ${host}`,
        script: `${cli}; for i in $(seq 1 60); do ` +
            sh`openstack compute service list --service nova-compute --host ${host} -f value -c State | grep -qx up && break; sleep 2; done; ` +
            sh`openstack compute service list --service nova-compute --host ${host} -f value -c State | grep -qx up || { echo ${`nova-compute on ${host} has not reported to the controller`} >&2; exit 1; }; ` +
            asUser("nova-manage cell_v2 discover_hosts --verbose", "nova"),
        check: sh`nova-manage cell_v2 list_hosts 2>/dev/null | grep -qw -- ${host}`,
        undo: `${cli}; ` +
            sh`for id in $(openstack compute service list --service nova-compute --host ${host} -f value -c ID); do openstack compute service delete "$id" || exit 1; done; ` +
            sh`for id in $(openstack network agent list --host ${host} -f value -c ID); do openstack network agent delete "$id" || exit 1; done`,
    };
}

/** A storage node's cinder-volume reports up; on removal it leaves Cinder's list. */
export function storageRegistration(authUrl: string, host: string): HostStep {
    const listed = sh`openstack volume service list --service cinder-volume --host ${host} -f value -c State`;
    return {
        description: `register storage node ${host}`,
        script: `${adminEnv(authUrl)}; for i in $(seq 1 60); do ${listed} | grep -qx up && exit 0; sleep 2; done; ` +
            sh`echo ${`cinder-volume on ${host} has not reported up to the controller`} >&2; exit 1`,
        check: `${adminEnv(authUrl)}; ${listed} | grep -q .`,
        undo: asUser(sh`cinder-manage service remove cinder-volume ${host}`, "cinder"),
    };
}
