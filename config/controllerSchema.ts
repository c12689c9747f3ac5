import { z } from "zod";

// The OpenStack side of the stack config: where packages come from, and the
// controller (seed 000's controller VM, seed 003's head node).

import { iniSections } from "./iniSchema";
import { BASE_PASSWORDS, SERVICES } from "../components/services";

/** Closed lab networks reach packages only through a mirror or a proxy (seed 003 uses internal repositories). */
export const packageSourceSchema = z.object({
    /** sources.list lines written to /etc/apt/sources.list.d/openstack-lab.list on Debian/Ubuntu hosts. */
    apt: z.array(z.string().regex(/^deb(-src)? (\[[^\]\n]*\] )?[a-z]+:\/\/?[^\s]+ [^\n]+$/, "must be a sources.list line like `deb http://mirror/debian bookworm main`")).default([]),
    /** An HTTP proxy for apt or dnf (apt-cacher-ng, squid). */
    proxy: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
        .refine((u) => !/["\s;]/.test(u), "must not contain quotes, spaces or ;").optional(),
}).strict();

/** Each service's name (components/services/: one declaration per service). */
export const controllerServices = SERVICES.map((s) => s.name) as [string, ...string[]];
/** What each service cannot run without on the same controller. */
const requires = Object.fromEntries(SERVICES.map((s) => [s.name, s.requires ?? []]));
const iniConfigured = SERVICES.filter((s) => s.iniConfig).map((s) => s.name) as [string, ...string[]];

/** Seed 003's br100 / seed 000's br0 NIC: where the flat provider network leaves the controller. */
const networkSchema = z.object({
    providerInterface: z.string().regex(/^[A-Za-z0-9_.\-]{1,15}$/, "must be an interface name of 1-15 letters, digits, _ . -").default("eth1"),
    /** Where VXLAN tunnels start (default: the controller's address). */
    tunnelAddress: z.ipv4().optional(),
}).strict();

export const controllerSchema = z.object({
    /** The hosts[] entry the control plane runs on. */
    host: z.string(),
    /** Where the services listen and what the endpoints advertise (default: the host's address). */
    address: z.ipv4().optional(),
    /** Zed is what Debian bookworm ships; the package model is per release. */
    release: z.enum(["zed"]).default("zed"),
    region: z.string().regex(/^[A-Za-z0-9_\-]+$/, "must be letters, digits, _ or -").default("RegionOne"),
    /** Keystone is always there; the others are deployed when listed. */
    services: z.array(z.enum(controllerServices)).default([...controllerServices]),
    network: networkSchema.default({ providerInterface: "eth1" }),
    /** Horizon's Django settings (it serves under /horizon on the controller). */
    dashboard: z.object({
        allowedHosts: z.array(z.string().regex(/^[A-Za-z0-9.*:\-\[\]]+$/, "must be a host name, address or *")).default(["*"]),
        timeZone: z.string().regex(/^[A-Za-z0-9_+\-\/]+$/, "must be a zone name like UTC or Europe/Berlin").default("UTC"),
    }).strict().default({ allowedHosts: ["*"], timeZone: "UTC" }),
    /** Open the ports of seed 003's table on the controller and compute nodes (firewalld, else iptables). */
    firewall: z.boolean().default(false),
    /** uwsgi processes per API (Debian starts 8 each, too many for a lab controller). */
    apiWorkers: z.number().int().min(1).max(64).default(2),
    /** Extra INI keys per service, on top of what the lab sets (e.g. keystone: {token: {expiration: "7200"}}). */
    config: z.partialRecord(z.enum(iniConfigured), iniSections).default({}),
}).strict().superRefine((c, ctx) => {
    for (const s of c.services) {
        for (const need of requires[s]) {
            if (!c.services.includes(need)) ctx.addIssue({ code: "custom", path: ["services"], message: `${s} needs ${need} in the same list` });
        }
    }
});

/** Set with `pulumi config set --secret --path openstack-lab:passwords.admin`; the rest are generated. */
export const passwordNames: readonly string[] = [...BASE_PASSWORDS, ...SERVICES.flatMap((s) => s.passwords)];
const password = z.string().min(8, "must be at least 8 characters").regex(/^[^\n]*$/, "must be one line");
// A database password goes into its connection URL as it is (render/osloValues.ts databaseUrl).
const databasePassword = password.regex(/^[^@%]*$/, "must not hold @ or %: the database URL cannot carry them (Keystone's migration reads it with Python's ConfigParser)");
// oslo.messaging (14, Zed) quotes the broker password again for kombu with `/` left as it is, which
// ends the URL's host part there: every service's RabbitMQ connection fails (cinder-scheduler exits).
const rabbitPassword = password.regex(/^[^/]*$/, "must not hold /: oslo.messaging passes it to kombu unescaped in a URL, where / ends the host part");
const schemaOf = (n: string) => (n.endsWith("Db") ? databasePassword : n === "rabbit" ? rabbitPassword : password);
export const passwordsSchema = z.object(Object.fromEntries(passwordNames.map((n) => [n, schemaOf(n).optional()])) as Record<string, z.ZodOptional<z.ZodString>>).strict();

export type PackageSourceConfig = z.infer<typeof packageSourceSchema>;
export type ControllerConfig = z.infer<typeof controllerSchema>;
export type PasswordName = string;
export type PasswordsConfig = z.infer<typeof passwordsSchema>;
