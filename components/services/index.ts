import type { ServiceDeclaration, ServiceModel } from "./declaration";
import { cinder } from "./cinder";
import { glance } from "./glance";
import { heat } from "./heat";
import { horizon } from "./horizon";
import { keystone } from "./keystone";
import { neutron } from "./neutron";
import { nova } from "./nova";
import { placement } from "./placement";

/**
 * The controller's OpenStack services, in the order they are deployed (each
 * after those it calls). The stack config's service names, the password
 * names, the firewall table, the test repository's packages and the README's
 * table of services come from here: a new service is its own file and a line here.
 */
export const SERVICES: readonly ServiceDeclaration<ServiceModel>[] = [
    keystone, glance, placement, nova, neutron, cinder, heat, horizon,
] as ServiceDeclaration<any>[];

/** The controller's own passwords, before the services': the admin's and demo's logins, and RabbitMQ's. */
export const BASE_PASSWORDS = ["admin", "demo", "rabbit"] as const;
