// The control plane's packages, units and paths per distribution family and
// release. Debian bookworm (Zed) is what the tests run; the RHEL family (RDO)
// uses the same components under its own names. Modern replacements of the
// seeds' choices: RabbitMQ for Qpid, Keystone under uwsgi/httpd with fernet
// tokens instead of PKI/UUID tokens.

export type Family = "debian" | "rhel";
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
    keystone: ComponentModel & { configFile: string; user: string; logFile: string; uwsgi?: string[] };
    glance: ComponentModel & { configFile: string };
    placement: ComponentModel & { configFile: string; uwsgi?: string[] };
    nova: ComponentModel & { configFile: string; uwsgi?: string[]; consoleProxySwitch?: { file: string; key: string; value: string } };
    neutron: ComponentModel & { configFile: string; ml2File: string; uwsgi?: string[]; agents: Record<NeutronAgent, NeutronAgentModel> };
    cinder: ComponentModel & { configFile: string; uwsgi?: string[] };
    heat: ComponentModel & { configFile: string; uwsgi?: string[] };
    /** Settings go to a file of their own in local_settings.d, which Horizon reads after local_settings.py. */
    horizon: ComponentModel & { settingsFile: string; url: string; apacheSitesOff?: string[] };
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

// Neutron's agents read neutron.conf and their own file (the linuxbridge
// agent ml2_conf.ini as well); the paths are the same in both families.
const neutronFiles = { configFile: "/etc/neutron/neutron.conf", ml2File: "/etc/neutron/plugins/ml2/ml2_conf.ini" };
const computeFiles = { novaFile: "/etc/nova/nova.conf", instancesDir: "/var/lib/nova/instances" };
const agentFiles: Record<NeutronAgent, string> = {
    linuxbridge: "/etc/neutron/plugins/ml2/linuxbridge_agent.ini",
    dhcp: "/etc/neutron/dhcp_agent.ini",
    l3: "/etc/neutron/l3_agent.ini",
    metadata: "/etc/neutron/metadata_agent.ini",
};

const zed: Record<Family, ReleaseModel> = {
    debian: {
        mariadb: { packages: ["mariadb-server", "python3-pymysql"], units: ["mariadb"], configFile: "/etc/mysql/mariadb.conf.d/99-openstack.cnf" },
        rabbitmq: { packages: ["rabbitmq-server"], units: ["rabbitmq-server"] },
        memcached: { packages: ["memcached", "python3-memcache"], units: ["memcached"] },
        // Debian runs Keystone under uwsgi as its own unit.
        keystone: {
            packages: ["keystone", "python3-openstackclient"], units: ["keystone"], configFile: "/etc/keystone/keystone.conf", user: "keystone", logFile: "/var/log/keystone/keystone.log",
            uwsgi: ["/etc/keystone/keystone-uwsgi.ini"],
        },
        glance: { packages: ["glance"], units: ["glance-api"], configFile: "/etc/glance/glance-api.conf" },
        // Debian runs the HTTP APIs under uwsgi, 8 processes each unless told otherwise.
        placement: { packages: ["placement-api"], units: ["placement-api"], configFile: "/etc/placement/placement.conf", uwsgi: ["/etc/placement/placement-api-uwsgi.ini"] },
        // nova-api-metadata answers the metadata agent; the console proxy package holds novncproxy.
        nova: {
            packages: ["nova-api", "nova-conductor", "nova-scheduler", "nova-consoleproxy"],
            units: ["nova-api", "nova-api-metadata", "nova-scheduler", "nova-conductor", "nova-novncproxy"],
            configFile: "/etc/nova/nova.conf", uwsgi: ["/etc/nova/nova-api-uwsgi.ini", "/etc/nova/nova-api-metadata-uwsgi.ini"],
            // Debian's console proxy package runs one of spicehtml5 and novnc, chosen in a shell defaults file (spicehtml5 unless told).
            consoleProxySwitch: { file: "/etc/default/nova-consoleproxy", key: "NOVA_CONSOLE_PROXY_TYPE", value: "novnc" },
        },
        // neutron-server is the API under uwsgi plus the RPC server.
        neutron: {
            packages: ["neutron-server"], units: ["neutron-api", "neutron-rpc-server"], ...neutronFiles, uwsgi: ["/etc/neutron/neutron-api-uwsgi.ini"],
            agents: agentsOf((a) => [`neutron-${a}-agent`], (a) => `neutron-${a}-agent`),
        },
        cinder: { packages: ["cinder-api", "cinder-scheduler"], units: ["cinder-api", "cinder-scheduler"], configFile: "/etc/cinder/cinder.conf", uwsgi: ["/etc/cinder/cinder-api-uwsgi.ini"] },
        heat: {
            packages: ["heat-api", "heat-api-cfn", "heat-engine"], units: ["heat-api", "heat-api-cfn", "heat-engine"],
            configFile: "/etc/heat/heat.conf", uwsgi: ["/etc/heat/heat-api-uwsgi.ini", "/etc/heat/heat-api-cfn-uwsgi.ini"],
        },
        horizon: { packages: ["openstack-dashboard-apache"], units: ["apache2"], settingsFile: "/etc/openstack-dashboard/local_settings.d/_90_openstack_lab.py", url: "/horizon/",
            // Without debconf answers the package enables default-ssl but not mod_ssl, and Apache refuses to start.
            apacheSitesOff: ["default-ssl"],
        },
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
        keystone: { packages: ["openstack-keystone", "httpd", "python3-mod_wsgi", "python3-openstackclient"], units: ["httpd"], configFile: "/etc/keystone/keystone.conf", user: "keystone", logFile: "/var/log/keystone/keystone.log" },
        glance: { packages: ["openstack-glance"], units: ["openstack-glance-api"], configFile: "/etc/glance/glance-api.conf" },
        // RDO serves Placement through httpd, like Keystone.
        placement: { packages: ["openstack-placement-api"], units: ["httpd"], configFile: "/etc/placement/placement.conf" },
        nova: {
            packages: ["openstack-nova-api", "openstack-nova-conductor", "openstack-nova-novncproxy", "openstack-nova-scheduler"],
            units: ["openstack-nova-api", "openstack-nova-scheduler", "openstack-nova-conductor", "openstack-nova-novncproxy"],
            configFile: "/etc/nova/nova.conf",
        },
        neutron: {
            packages: ["openstack-neutron", "openstack-neutron-ml2"], units: ["neutron-server"], ...neutronFiles,
            agents: agentsOf((a) => (a === "linuxbridge" ? ["openstack-neutron-linuxbridge", "ebtables"] : []), (a) => `neutron-${a}-agent`),
        },
        cinder: { packages: ["openstack-cinder"], units: ["openstack-cinder-api", "openstack-cinder-scheduler"], configFile: "/etc/cinder/cinder.conf" },
        heat: {
            packages: ["openstack-heat-api", "openstack-heat-api-cfn", "openstack-heat-engine"],
            units: ["openstack-heat-api", "openstack-heat-api-cfn", "openstack-heat-engine"], configFile: "/etc/heat/heat.conf",
        },
        horizon: { packages: ["openstack-dashboard"], units: ["httpd"], settingsFile: "/etc/openstack-dashboard/local_settings.d/_90_openstack_lab.py", url: "/dashboard/" },
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

function agentsOf(packages: (a: NeutronAgent) => string[], unit: (a: NeutronAgent) => string): Record<NeutronAgent, NeutronAgentModel> {
    const names = Object.keys(agentFiles) as NeutronAgent[];
    return Object.fromEntries(names.map((a) => [a, { packages: packages(a), unit: unit(a), configFile: agentFiles[a] }])) as Record<NeutronAgent, NeutronAgentModel>;
}

export const RELEASES: Record<"zed", Record<Family, ReleaseModel>> = { zed };

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

/** Seed 000's glance role: Keystone auth and the file store. */
export const GLANCE_SETTINGS: IniSections = {
    paste_deploy: { flavor: "keystone" },
    glance_store: { stores: "file,http", default_store: "file", filesystem_store_datadir: "/var/lib/glance/images/" },
};
