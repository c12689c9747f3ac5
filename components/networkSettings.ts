import { serviceAuth, type ServiceContext } from "./computeSettings";
import type { IniSections, NeutronAgent } from "./openstackPackages";

// Neutron with ML2 and linuxbridge as seed 000's config.sh sets it: a flat
// provider network (seed 003's br100) and VXLAN tenant networks.

export interface NetworkOptions {
    /** The host interface the flat `provider` network is bridged to. */
    providerInterface: string;
    /** The address VXLAN tunnels start from. */
    tunnelAddress: string;
}

export function neutronSettings(ctx: ServiceContext): IniSections {
    return {
        DEFAULT: {
            core_plugin: "ml2",
            service_plugins: "router",
            allow_overlapping_ips: "true",
            auth_strategy: "keystone",
            notify_nova_on_port_status_changes: "true",
            notify_nova_on_port_data_changes: "true",
        },
        nova: serviceAuth(ctx, "nova"),
        oslo_concurrency: { lock_path: "/var/lib/neutron/tmp" },
        experimental: LINUXBRIDGE_ON,
    };
}

/** Neutron 21 (Zed) marks linuxbridge experimental and refuses to load it unless told (OVN is upstream's default now). */
export const LINUXBRIDGE_ON = { linuxbridge: "true" };

export const ML2_SETTINGS: IniSections = {
    ml2: {
        type_drivers: "flat,vlan,vxlan",
        tenant_network_types: "vxlan",
        mechanism_drivers: "linuxbridge,l2population",
        extension_drivers: "port_security",
    },
    ml2_type_flat: { flat_networks: "provider" },
    ml2_type_vxlan: { vni_ranges: "1:1000" },
    securitygroup: { enable_ipset: "true" },
};

/** Each agent's own file; the metadata agent's shared secret is added as a secret key. */
export function agentSettings(ctx: ServiceContext, net: NetworkOptions): Record<NeutronAgent, IniSections> {
    return {
        linuxbridge: {
            linux_bridge: { physical_interface_mappings: `provider:${net.providerInterface}` },
            vxlan: { enable_vxlan: "true", local_ip: net.tunnelAddress, l2_population: "true" },
            securitygroup: { enable_security_group: "true", firewall_driver: "iptables" },
        },
        dhcp: {
            DEFAULT: { interface_driver: "linuxbridge", dhcp_driver: "neutron.agent.linux.dhcp.Dnsmasq", enable_isolated_metadata: "true" },
        },
        l3: { DEFAULT: { interface_driver: "linuxbridge" } },
        metadata: { DEFAULT: { nova_metadata_host: ctx.address } },
    };
}
