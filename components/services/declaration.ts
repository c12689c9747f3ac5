import type * as pulumi from "@pulumi/pulumi";
import type { ControllerConfig } from "../../config/controllerSchema";
import type { PortRule } from "../../providers/firewallPorts";
import type { HostCommand } from "../../providers/hostCommand";
import type { Packages } from "../../providers/packages";
import type { Service } from "../../providers/service";
import type { ConnectionArgs } from "../../providers/transport";
import type { ApiService, ApiServiceArgs } from "../apiService";
import type { ServiceContext } from "../computeSettings";
import type { ComponentModel, Family, IniSections, Release } from "../openstackPackages";

/** A service's packages, units and main file on one family and release. */
export interface ServiceModel extends ComponentModel {
    configFile: string;
    /** Debian runs the HTTP APIs under uwsgi: their ini files. */
    uwsgi?: string[];
}

/** The parts of an API service (apiService.ts) that the controller fills in the same for every one. */
export type ControllerFilled = "connection" | "address" | "authUrl" | "region" | "adminPassword" | "after" | "parent" | "prefix";

/** What the controller gives a service's build. */
export interface ServiceBuild<M extends ServiceModel> extends ServiceContext {
    connection: pulumi.Input<ConnectionArgs>;
    config: ControllerConfig;
    /** The service's packages, units and files on the controller's family and the stack's release. */
    model: M;
    /** The stack's extra INI keys for the service (controller.config.<name>). */
    extra: IniSections;
    /** One of the passwords the declaration names (anything else is refused: the list makes them). */
    password(name: string): pulumi.Input<string>;
    /** The broker URL with the lab's RabbitMQ password: a secret key of every service that uses the bus. */
    transportUrl: pulumi.Output<string>;
    /** What every service waits for: the broker, Keystone's bootstrap, its projects and demo user. */
    after: pulumi.Resource[];
    /** Keystone's bootstrap: what a service's own Keystone entities wait for. */
    bootstrap: HostCommand;
    /** The units of services deployed before this one, of those named. */
    unitsOf(names: string[]): pulumi.Resource[];
    /** An API service with the controller's common parts filled in. */
    api(a: Omit<ApiServiceArgs, ControllerFilled> & Partial<Pick<ApiServiceArgs, "after">>): ApiService;
    /** `{ files, processes, threads }` for a model's uwsgi files, with the stack's worker count. */
    uwsgi(files?: string[], threads?: number): Pick<ApiServiceArgs, "uwsgi">;
    /** A Keystone entity step on the controller (domain, role, user), after bootstrap. */
    entity(resourceName: string, a: { description: string; argv: string[]; stdin: pulumi.Input<string> }, after: pulumi.Resource[]): HostCommand;
    /** Resource names start with it; resources are its children. */
    prefix: string;
    parent: pulumi.Resource;
}

export interface BuiltService {
    /** Its units, which services after it and the nodes that use it wait for. */
    units: Service[];
    packages?: Packages;
    /** Where a dashboard serves, under the controller's address. */
    dashboardPath?: string;
}

/**
 * One OpenStack service of the controller, declared once: what the stack
 * config accepts for it, its passwords and firewall ports, its packages per
 * release and family, and the resources that deploy it. The list of them is
 * components/services/index.ts.
 */
export interface ServiceDeclaration<M extends ServiceModel = ServiceModel> {
    name: string;
    /** One line for the README's table of services. */
    summary: string;
    /** Services it cannot run without on the same controller: the stack config refuses a list without them. */
    requires?: string[];
    /** Its passwords and shared secrets, generated when the stack sets none (`openstack-lab:passwords.<name>`). */
    passwords: string[];
    /** Seed 003's port table, for `controller.firewall`. */
    ports: PortRule[];
    models: Record<Release, Record<Family, M>>;
    /** Packages its other parts install beside the model's own (Neutron's agents). */
    morePackages?(m: M): string[];
    /** Units its other parts run beside the model's own (Neutron's agents). */
    moreUnits?(m: M): string[];
    /** Whether `controller.config.<name>` takes extra INI keys (Horizon's settings are Python). */
    iniConfig: boolean;
    /** The nodes that wait for its units: compute nodes (Nova, Neutron) or storage nodes (Cinder). */
    serves?: "compute" | "volume";
    /** Its resources on the controller; Keystone has none here: the controller builds it first (keystone.ts). */
    build?(b: ServiceBuild<M>): BuiltService;
}

/** A declaration, typed by its own model. */
export function declareService<M extends ServiceModel>(d: ServiceDeclaration<M>): ServiceDeclaration<M> {
    return d;
}

/** Everything the service installs on one release and family. */
export function packagesOf<M extends ServiceModel>(s: ServiceDeclaration<M>, release: Release, family: Family): string[] {
    const m = s.models[release][family];
    return [...m.packages, ...(s.morePackages?.(m) ?? [])];
}

/** Every unit the service runs on one release and family. */
export function unitsOf<M extends ServiceModel>(s: ServiceDeclaration<M>, release: Release, family: Family): string[] {
    const m = s.models[release][family];
    return [...m.units, ...(s.moreUnits?.(m) ?? [])];
}

export const tcp = (port: string, service: string): PortRule => ({ port, protocol: "tcp", service });
