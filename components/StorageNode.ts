import * as pulumi from "@pulumi/pulumi";
import type { StorageConfig } from "../config/storageSchema";
import { HostCommand } from "../providers/hostCommand";
import { IniFile } from "../providers/iniFile";
import { Packages } from "../providers/packages";
import { Service } from "../providers/service";
import { VolumeGroup } from "../providers/volumeGroup";
import { type ConnectionArgs } from "../providers/transport";
import { digest, mergeIni } from "./apiService";
import { stopOnRemoval } from "../render/hostSteps";
import { storageRegistration } from "../render/registrationSteps";
import { type ServiceContext } from "./computeSettings";
import { databaseUrl, osloLiterals, transportUrl } from "../render/osloValues";
import { cinderVolumeSettings, LVM_BACKEND } from "./storageSettings";
import { type Family, RELEASES } from "./openstackPackages";
import { firewallFor, STORAGE_PORTS } from "./firewallRules";

export interface StorageNodeArgs {
    config: StorageConfig;
    /** The name the volume service is listed under, before `@lvm`. */
    name: string;
    connection: pulumi.Input<ConnectionArgs>;
    family: Family;
    address: string;
    /** The disks of the volume group (the config's, or the VM's extra disks). */
    devices: string[];
    controller: ServiceContext & { connection: pulumi.Input<ConnectionArgs>; release: "zed"; firewall: boolean };
    passwords: { admin: pulumi.Input<string>; rabbit: pulumi.Input<string>; cinderDb: pulumi.Input<string>; cinder: pulumi.Input<string> };
    /** Cinder's API and scheduler on the controller: the volume service reports to them. */
    after: pulumi.Input<pulumi.Resource>[];
}

/**
 * Seed 000's storage node: the volume group `cinder-volumes` on its extra
 * disk, cinder-volume with the LVM backend, and the iSCSI target service it
 * exports volumes with. The controller lists it as `<name>@lvm`; removing
 * it stops cinder-volume first, then takes it off the controller's list.
 */
export class StorageNode extends pulumi.ComponentResource {
    /** The volume service's host in `openstack volume service list`. */
    public readonly serviceHost: string;

    constructor(resourceName: string, args: StorageNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:openstack:StorageNode", resourceName, {}, opts);
        const { connection, controller: ctl, passwords, config: c } = args;
        const m = RELEASES[ctl.release][args.family].storage;
        const child = (dependsOn: pulumi.Input<pulumi.Resource>[] = []) => ({ parent: this, dependsOn });
        this.serviceHost = `${args.name}@${LVM_BACKEND}`;

        const packages = new Packages(`${resourceName}-packages`, { connection, names: m.packages }, child(args.after));
        const group = new VolumeGroup(`${resourceName}-volume-group`, { connection, name: c.volumeGroup, devices: args.devices }, child([packages]));
        const settings = mergeIni(cinderVolumeSettings(ctl, {
            name: args.name, address: args.address, volumeGroup: c.volumeGroup, targetHelper: m.targetHelper, volumesDir: m.volumesDir,
        }), c.config);
        const secrets = pulumi.all([passwords.rabbit, passwords.cinderDb, passwords.cinder]).apply(([rabbit, db, svc]) => osloLiterals({
            DEFAULT: { transport_url: transportUrl(ctl.address, rabbit) },
            database: { connection: databaseUrl("cinder", db, ctl.address, "cinder") },
            keystone_authtoken: { password: svc },
        }));
        const conf = new IniFile(`${resourceName}-cinder-conf`, { connection, path: m.configFile, settings, secretSettings: secrets }, child([packages]));
        const target = new Service(`${resourceName}-service-${m.targetUnit}`, { connection, name: m.targetUnit }, child([packages]));
        const volume = new Service(`${resourceName}-service-${m.volumeUnit}`, {
            connection, name: m.volumeUnit, restartOn: digest(settings, secrets),
        }, child([conf, group, target]));

        // On the controller: wait until the volume service reports up; on removal take it off the list.
        const host = this.serviceHost;
        const registration = new HostCommand(`${resourceName}-registration`, {
            connection: ctl.connection, ...storageRegistration(ctl.authUrl, host), stdin: pulumi.interpolate`${passwords.admin}\n`,
        }, child([volume]));
        // Destroy runs this first, so the service cannot report back in once the controller forgot it.
        new HostCommand(`${resourceName}-kill-switch`, { connection, ...stopOnRemoval(`stop ${host} before it leaves the controller`, [m.volumeUnit]) }, child([registration]));
        if (ctl.firewall) firewallFor(resourceName, "storage", { connection, family: args.family, rules: STORAGE_PORTS }, child([packages]));
        this.registerOutputs({ serviceHost: this.serviceHost });
    }
}
