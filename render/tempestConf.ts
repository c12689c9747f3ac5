import { IniSettings, patchIni } from "./ini";
import { osloLiterals } from "./osloValues";

// Tempest's configuration for a lab, from what the lab deploys. Tempest reads
// it with oslo.config, so every value goes through osloLiterals like any
// service's. Features the lab cannot offer are switched off here, with the
// reason beside each, so that their tests are skipped rather than failed.

/**
 * The Neutron extensions Tempest may count on: those of its own expected list
 * (test_extensions) and of the tests' guards that the lab's Neutron loads
 * (ML2 with port_security, the router service plugin, Zed's default
 * plugins). Tempest's default, "all", also claims metering, DVR, QoS and
 * trunks, which the lab does not deploy, so their tests fail instead of
 * skipping. An alias here that Neutron does not load fails test_extensions.
 */
export const LAB_NETWORK_EXTENSIONS = [
    "agent", "allowed-address-pairs", "binding", "dhcp_agent_scheduler", "external-net", "ext-gw-mode", "extra_dhcp_opt",
    "extraroute", "l3_agent_scheduler", "multi-provider", "net-mtu", "network-ip-availability", "port-security",
    "project-id", "provider", "quotas", "router", "security-group", "standard-attr-description", "subnet_allocation",
] as const;

export interface TempestSpec {
    /** Keystone's v3 URL, e.g. http://10.0.0.4:5000/v3. */
    authUrl: string;
    region: string;
    adminPassword: string;
    /** The image and flavor servers boot with (the first instance's). */
    imageRef: string;
    flavorRef: string;
    /** The shared provider network servers attach to: the lab has no project networks of its own. */
    network: string;
    /** What the controller deploys. */
    services: { cinder: boolean; horizon: boolean };
    /** Horizon's URL, ending in /, where it is deployed (Tempest's default is http://localhost/). */
    dashboardUrl?: string;
    /** Compute nodes in the lab. */
    computeNodes: number;
    /** Seconds a server or volume may take to become ACTIVE: minutes under TCG. */
    buildTimeout: number;
    /** The workspace on the controller that holds this file, its log and locks. */
    workspace: string;
}

export function tempestSettings(s: TempestSpec): IniSettings {
    const bool = (b: boolean) => (b ? "True" : "False");
    const timeout = String(s.buildTimeout);
    return {
        DEFAULT: { log_file: `${s.workspace}/tempest.log`, use_stderr: "False" },
        oslo_concurrency: { lock_path: `${s.workspace}/lock` },
        auth: {
            admin_username: "admin", admin_password: s.adminPassword, admin_project_name: "admin", admin_domain_name: "Default",
            use_dynamic_credentials: "True",
            // Projects share the provider network; the lab has no tenant networks or router to give each its own.
            create_isolated_networks: "False",
        },
        identity: { uri_v3: s.authUrl, auth_version: "v3", region: s.region, v3_endpoint_type: "publicURL" },
        // Keystone removed its v2 API before Zed.
        "identity-feature-enabled": { api_v2: "False", application_credentials: "True" },
        compute: {
            image_ref: s.imageRef, image_ref_alt: s.imageRef, flavor_ref: s.flavorRef, flavor_ref_alt: s.flavorRef,
            fixed_network_name: s.network, region: s.region, build_timeout: timeout, min_compute_nodes: String(s.computeNodes),
        },
        "compute-feature-enabled": {
            // Resize and migration need a second compute node to move to; live migration also shared storage.
            resize: bool(s.computeNodes > 1), cold_migration: bool(s.computeNodes > 1), live_migration: "False",
            console_output: "True",
            // Nova's guest agent is not in the lab's images.
            change_password: "False",
        },
        network: { region: s.region, shared_physical_network: "True", project_networks_reachable: "False", build_timeout: timeout },
        // No external network: the provider network is the servers' own.
        "network-feature-enabled": { floating_ips: "False", api_extensions: LAB_NETWORK_EXTENSIONS.join(",") },
        // No SSH into guests: under TCG they take longer to boot than a test waits for SSH.
        validation: { run_validation: "False" },
        image: { region: s.region, build_timeout: timeout },
        volume: { region: s.region, build_timeout: timeout },
        // Backups need Swift, which the lab does not deploy.
        "volume-feature-enabled": { backup: "False" },
        // The dashboard's own smoke test logs in there.
        ...(s.dashboardUrl ? { dashboard: { dashboard_url: s.dashboardUrl, login_url: `${s.dashboardUrl}auth/login/` } } : {}),
        service_available: {
            // A volume service with no backend leaves every volume in ERROR: Cinder counts only with a storage node.
            cinder: bool(s.services.cinder), neutron: "True", glance: "True", nova: "True", swift: "False", horizon: bool(s.services.horizon),
        },
    };
}

export function renderTempestConf(s: TempestSpec): string {
    return "# Written by openstack-lab for `lab.sh verify`; replaced on the next pulumi up.\n" + patchIni(null, osloLiterals(tempestSettings(s)));
}
