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
    keystone: ComponentModel & { configFile: string; user: string };
    glance: ComponentModel & { configFile: string };
}

const zed: Record<Family, ReleaseModel> = {
    debian: {
        mariadb: { packages: ["mariadb-server", "python3-pymysql"], units: ["mariadb"], configFile: "/etc/mysql/mariadb.conf.d/99-openstack.cnf" },
        rabbitmq: { packages: ["rabbitmq-server"], units: ["rabbitmq-server"] },
        memcached: { packages: ["memcached", "python3-memcache"], units: ["memcached"] },
        // Debian runs Keystone under uwsgi as its own unit.
        keystone: { packages: ["keystone", "python3-openstackclient"], units: ["keystone"], configFile: "/etc/keystone/keystone.conf", user: "keystone" },
        glance: { packages: ["glance"], units: ["glance-api"], configFile: "/etc/glance/glance-api.conf" },
    },
    rhel: {
        mariadb: { packages: ["mariadb-server", "python3-PyMySQL"], units: ["mariadb"], configFile: "/etc/my.cnf.d/openstack.cnf" },
        rabbitmq: { packages: ["rabbitmq-server"], units: ["rabbitmq-server"] },
        memcached: { packages: ["memcached", "python3-memcached"], units: ["memcached"] },
        keystone: { packages: ["openstack-keystone", "httpd", "python3-mod_wsgi", "python3-openstackclient"], units: ["httpd"], configFile: "/etc/keystone/keystone.conf", user: "keystone" },
        glance: { packages: ["openstack-glance"], units: ["openstack-glance-api"], configFile: "/etc/glance/glance-api.conf" },
    },
};

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
