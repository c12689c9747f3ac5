import { authtokenSettings } from "./apiService";
import type { IniSections } from "./openstackPackages";

// Placement's and Nova's controller-side keys from seed 000's config.sh.
// Dropped as the releases dropped them: nova's `use_neutron` and
// `firewall_driver` (Neutron is the only network service since Ussuri).

export interface ServiceContext {
    address: string;
    authUrl: string;
    region: string;
}

/** Seed 000's `[placement]` / `[neutron]` / `[nova]` blocks: one service's credentials to call another. */
export function serviceAuth(ctx: ServiceContext, username: string): Record<string, string> {
    const { www_authenticate_uri: _uri, memcached_servers: _mc, ...auth } = authtokenSettings(ctx.authUrl, username, ctx.region);
    return auth;
}

export function placementSettings(): IniSections {
    return { api: { auth_strategy: "keystone" } };
}

export function novaSettings(ctx: ServiceContext): IniSections {
    const { address } = ctx;
    return {
        DEFAULT: { my_ip: address, enabled_apis: "osapi_compute,metadata" },
        api: { auth_strategy: "keystone" },
        glance: { api_servers: `http://${address}:9292` },
        oslo_concurrency: { lock_path: "/var/lib/nova/tmp" },
        vnc: {
            enabled: "true",
            server_listen: "$my_ip",
            server_proxyclient_address: "$my_ip",
            novncproxy_base_url: `http://${address}:6080/vnc_auto.html`,
        },
        scheduler: { discover_hosts_in_cells_interval: "300" },
        placement: serviceAuth(ctx, "placement"),
        neutron: { ...serviceAuth(ctx, "neutron"), service_metadata_proxy: "true" },
        cinder: { os_region_name: ctx.region },
    };
}

/** Seed 000's cinder role on the controller: the API and the scheduler (the volume service is the storage node's). */
export function cinderSettings(ctx: ServiceContext): IniSections {
    return {
        DEFAULT: { my_ip: ctx.address, auth_strategy: "keystone" },
        oslo_concurrency: { lock_path: "/var/lib/cinder/tmp" },
    };
}

/** nova.conf on a compute node: seed 000's `--node compute` sections. */
export function novaComputeSettings(ctx: ServiceContext, node: { name: string; address: string }): IniSections {
    const controller = novaSettings(ctx);
    return {
        DEFAULT: { host: node.name, my_ip: node.address },
        api: controller.api,
        keystone_authtoken: authtokenSettings(ctx.authUrl, "nova", ctx.region),
        vnc: { ...controller.vnc, server_listen: "0.0.0.0" },
        glance: controller.glance,
        oslo_concurrency: controller.oslo_concurrency,
        placement: controller.placement,
        neutron: serviceAuth(ctx, "neutron"),
    };
}

/** neutron.conf on a compute node: the broker and the lock path; the agent's file does the rest. */
export function neutronComputeSettings(node: { name: string }): IniSections {
    return {
        DEFAULT: { host: node.name, auth_strategy: "keystone" },
        oslo_concurrency: { lock_path: "/var/lib/neutron/tmp" },
        experimental: { linuxbridge: "true" },
    };
}
