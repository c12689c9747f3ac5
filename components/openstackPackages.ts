// The packages, units and paths of the lab's node roles per distribution
// family and release: the controller's base services, compute and storage
// nodes. Each OpenStack service's own are in its declaration
// (components/services/). Debian bookworm (Zed) is what the tests run; the
// RHEL family (RDO) uses the same components under its own names. Modern
// replacements of the seeds' choices: RabbitMQ for Qpid.

export type Family = "debian" | "rhel";
export type Release = "zed";
export type IniSections = Record<string, Record<string, string | string[]>>;

export interface ComponentModel {
    packages: string[];
    /** Units restarted when the component's files change. */
    units: string[];
}

export interface ReleaseModel {
    mariadb: ComponentModel & { configFile: string };
    rabbitmq: ComponentModel;
    memcached: ComponentModel;
    /** A compute node: nova-compute on libvirt, the linuxbridge agent. */
    compute: ComponentModel & { novaUnit: string; agentUnit: string; libvirtUnit: string; novaFile: string; instancesDir: string;
        /** Debian's nova-compute reads nova-compute.conf after nova.conf, and nova-compute-kvm sets virt_type there; RDO's reads nova.conf only. */
        computeFile?: string;
    };
    /** A storage node: cinder-volume on LVM, its iSCSI target service and the helper Cinder drives it with. */
    storage: ComponentModel & { volumeUnit: string; targetUnit: string; targetHelper: string; configFile: string; volumesDir: string };
    /** What a compute node needs to attach iSCSI volumes (seed 000: iscsid). */
    iscsi: ComponentModel;
}

export type NeutronAgent = "linuxbridge" | "dhcp" | "l3" | "metadata";
export interface NeutronAgentModel { packages: string[]; unit: string; configFile: string }

const computeFiles = { novaFile: "/etc/nova/nova.conf", instancesDir: "/var/lib/nova/instances" };

const zed: Record<Family, ReleaseModel> = {
    debian: {
        mariadb: { packages: ["mariadb-server", "python3-pymysql"], units: ["mariadb"], configFile: "/etc/mysql/mariadb.conf.d/99-openstack.cnf" },
        rabbitmq: { packages: ["rabbitmq-server"], units: ["rabbitmq-server"] },
        memcached: { packages: ["memcached", "python3-memcache"], units: ["memcached"] },
        // nova-compute-kvm brings qemu-system-x86 only (nova-compute-qemu brings every architecture); virt_type is set either way.
        compute: {
            packages: ["nova-compute", "nova-compute-kvm", "neutron-linuxbridge-agent", "genisoimage"], units: ["libvirtd", "nova-compute", "neutron-linuxbridge-agent"],
            novaUnit: "nova-compute", agentUnit: "neutron-linuxbridge-agent", libvirtUnit: "libvirtd", ...computeFiles,
            computeFile: "/etc/nova/nova-compute.conf",
        },
        // cinder-volume brings lvm2 and, for `tgt | open-iscsi`, open-iscsi without recommends: tgt is named.
        // Debian's package points tgt at Cinder's volumes directory.
        storage: {
            packages: ["cinder-volume", "tgt"], units: ["tgt", "cinder-volume"], volumeUnit: "cinder-volume", targetUnit: "tgt",
            targetHelper: "tgtadm", configFile: "/etc/cinder/cinder.conf", volumesDir: "/var/lib/cinder/volumes",
        },
        iscsi: { packages: ["open-iscsi"], units: ["iscsid"] },
    },
    rhel: {
        mariadb: { packages: ["mariadb-server", "python3-PyMySQL"], units: ["mariadb"], configFile: "/etc/my.cnf.d/openstack.cnf" },
        rabbitmq: { packages: ["rabbitmq-server"], units: ["rabbitmq-server"] },
        memcached: { packages: ["memcached", "python3-memcached"], units: ["memcached"] },
        compute: {
            packages: ["openstack-nova-compute", "openstack-neutron-linuxbridge", "ebtables", "ipset"],
            units: ["libvirtd", "openstack-nova-compute", "neutron-linuxbridge-agent"],
            novaUnit: "openstack-nova-compute", agentUnit: "neutron-linuxbridge-agent", libvirtUnit: "libvirtd", ...computeFiles,
        },
        // RHEL has no tgt: RDO's cinder exports through the kernel's LIO target with targetcli.
        storage: {
            packages: ["openstack-cinder", "lvm2", "targetcli"], units: ["target", "openstack-cinder-volume"], volumeUnit: "openstack-cinder-volume",
            targetUnit: "target", targetHelper: "lioadm", configFile: "/etc/cinder/cinder.conf", volumesDir: "/var/lib/cinder/volumes",
        },
        iscsi: { packages: ["iscsi-initiator-utils"], units: ["iscsid"] },
    },
};

export const RELEASES: Record<Release, Record<Family, ReleaseModel>> = { zed };

/** Seed 003's MariaDB settings for OpenStack (section "MySQL"). */
export function mariadbSettings(address: string): Record<string, Record<string, string>> {
    return {
        mysqld: {
            "bind-address": address,
            "default-storage-engine": "innodb",
            innodb_file_per_table: "on",
            max_connections: "4096",
            "collation-server": "utf8_general_ci",
            "character-set-server": "utf8",
        },
    };
}
