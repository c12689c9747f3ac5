import { packagesOf, type ServiceDeclaration, type ServiceModel } from "../components/services/declaration";
import type { Release } from "../components/openstackPackages";

const code = (xs: string[]) => (xs.length ? xs.map((x) => `\`${x}\``).join(" ") : "none");

/**
 * The README's table of the controller's services, from their declarations
 * (components/services/): what each is, what it needs beside it, its
 * packages per family, its ports and its passwords.
 */
export function renderServicesTable(services: readonly ServiceDeclaration<ServiceModel>[], release: Release = "zed"): string {
    const rows = services.map((s) => {
        const ports = s.ports.map((p) => `${p.port}/${p.protocol}`);
        return `| \`${s.name}\` | ${s.summary} | ${code(s.requires ?? [])} | ${code(packagesOf(s, release, "debian"))} | ${code(packagesOf(s, release, "rhel"))} | ${code(ports)} | ${code(s.passwords)} |`;
    });
    return [
        `| service | what | needs | Debian packages (${release}) | RHEL packages (${release}) | ports | passwords |`,
        "|---|---|---|---|---|---|---|",
        ...rows,
    ].join("\n");
}

const BEGIN = "<!-- services table: scripts/services-table.js writes it from components/services/ -->";
const END = "<!-- end of services table -->";

/** The README with its services table replaced; an error when the markers are missing. */
export function withServicesTable(readme: string, table: string): string {
    const a = readme.indexOf(BEGIN);
    const b = readme.indexOf(END);
    if (a < 0 || b < a) throw new Error(`README.md lacks the services table's markers: ${BEGIN} ... ${END}`);
    return `${readme.slice(0, a + BEGIN.length)}\n${table}\n${readme.slice(b)}`;
}
