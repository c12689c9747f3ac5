import { authtokenSettings } from "./apiService";
import type { ServiceContext } from "./computeSettings";
import type { IniSections } from "./openstackPackages";

// cinder.conf on seed 000's storage VM: its config.sh `cinder --node storage`
// keys, with the LVM backend ACADEMIC-CLOUD.md lists.

export interface StorageContext {
    /** The name the volume service is listed under (`<name>@lvm`). */
    name: string;
    /** Where compute nodes reach the iSCSI targets. */
    address: string;
    volumeGroup: string;
    targetHelper: string;
    volumesDir: string;
}

/** The backend's section name, and so the suffix of the service's host in `volume service list`. */
export const LVM_BACKEND = "lvm";

export function cinderVolumeSettings(ctl: ServiceContext, node: StorageContext): IniSections {
    return {
        DEFAULT: {
            host: node.name,
            my_ip: node.address,
            auth_strategy: "keystone",
            enabled_backends: LVM_BACKEND,
            glance_api_servers: `http://${ctl.address}:9292`,
        },
        keystone_authtoken: authtokenSettings(ctl.authUrl, "cinder", ctl.region),
        oslo_concurrency: { lock_path: "/var/lib/cinder/tmp" },
        [LVM_BACKEND]: {
            volume_driver: "cinder.volume.drivers.lvm.LVMVolumeDriver",
            volume_group: node.volumeGroup,
            volume_backend_name: LVM_BACKEND,
            // Thick volumes: `auto` would make a thin pool, which needs dm-thin in the node's kernel.
            lvm_type: "default",
            target_protocol: "iscsi",
            target_helper: node.targetHelper,
            target_ip_address: node.address,
            volumes_dir: node.volumesDir,
        },
    };
}
