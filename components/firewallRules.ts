import * as pulumi from "@pulumi/pulumi";
import { FirewallPorts, type PortRule } from "../providers/firewallPorts";
import { Packages } from "../providers/packages";
import type { ConnectionArgs } from "../providers/transport";
import type { Family } from "./openstackPackages";

// Seed 003's port table ("Head" and "Work" columns), brought to the
// services of this release (the controller's services declare theirs): Qpid's 5672 is RabbitMQ's, the Keystone admin
// port 35357 and the Glance registry are gone, Placement, Neutron, Heat and
// VXLAN are new. The database is open to the lab for a storage node's
// cinder-volume.

const tcp = (port: string, service: string): PortRule => ({ port, protocol: "tcp", service });

/** The controller's own, before its services' (components/services/ declares theirs). */
export const BASE_PORTS: PortRule[] = [tcp("3306", "MariaDB"), tcp("5672", "RabbitMQ")];

/** Seed 003's table has no storage node; its iSCSI targets listen on 3260. */
export const STORAGE_PORTS: PortRule[] = [tcp("3260", "iSCSI targets")];

export const COMPUTE_PORTS: PortRule[] = [tcp("5900-5999", "VNC consoles"), { port: "4789", protocol: "udp", service: "VXLAN" }];

/** The role's ports, opened after iptables is there (Debian's minimal systems lack it). */
export function firewallFor(
    name: string, role: string, a: { connection: pulumi.Input<ConnectionArgs>; family: Family; rules: PortRule[] }, opts: pulumi.CustomResourceOptions,
): FirewallPorts {
    const deps = [...((opts.dependsOn as pulumi.Resource[] | undefined) ?? [])];
    if (a.family === "debian") deps.push(new Packages(`${name}-firewall-packages`, { connection: a.connection, names: ["iptables"] }, { ...opts }));
    return new FirewallPorts(`${name}-firewall`, { connection: a.connection, role, rules: a.rules }, { ...opts, dependsOn: deps });
}
