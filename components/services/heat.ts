import * as pulumi from "@pulumi/pulumi";
import { mergeIni } from "../apiService";
import { HEAT_DOMAIN, HEAT_DOMAIN_ADMIN, HEAT_ROLES, heatSettings } from "../heatSettings";
import { declareService, tcp } from "./declaration";

export const heat = declareService({
    name: "heat",
    summary: "Orchestration and its CloudFormation API, the stack domain and its admin",
    passwords: ["heatDb", "heat", "heatDomainAdmin"],
    ports: [tcp("8004", "Orchestration API"), tcp("8000", "CloudFormation API")],
    iniConfig: true,
    models: {
        zed: {
            debian: {
                packages: ["heat-api", "heat-api-cfn", "heat-engine"], units: ["heat-api", "heat-api-cfn", "heat-engine"],
                configFile: "/etc/heat/heat.conf", uwsgi: ["/etc/heat/heat-api-uwsgi.ini", "/etc/heat/heat-api-cfn-uwsgi.ini"],
            },
            rhel: {
                packages: ["openstack-heat-api", "openstack-heat-api-cfn", "openstack-heat-engine"],
                units: ["openstack-heat-api", "openstack-heat-api-cfn", "openstack-heat-engine"], configFile: "/etc/heat/heat.conf",
            },
        },
    },
    build: (b) => {
        // The stack domain, its admin and Heat's two roles come before Heat itself.
        const admin = pulumi.interpolate`${b.password("admin")}\n`;
        const roles = HEAT_ROLES.map((r) => b.entity(`${b.prefix}-role-${r}`, { description: `Keystone role ${r}`, argv: ["role", r], stdin: admin }, [b.bootstrap]));
        const domain = b.entity(`${b.prefix}-domain-${HEAT_DOMAIN}`, {
            description: `Keystone domain ${HEAT_DOMAIN}`, argv: ["domain", HEAT_DOMAIN, "Stack projects and users"], stdin: admin,
        }, [b.bootstrap]);
        const domainAdmin = b.entity(`${b.prefix}-user-${HEAT_DOMAIN_ADMIN}`, {
            description: `Keystone user ${HEAT_DOMAIN_ADMIN}`, argv: ["domainadmin", HEAT_DOMAIN_ADMIN, HEAT_DOMAIN, "admin"],
            stdin: pulumi.interpolate`${b.password("admin")}\n${b.password("heatDomainAdmin")}\n`,
        }, [domain]);
        return b.api({
            name: "heat",
            catalog: [
                { type: "orchestration", description: "Orchestration", url: `http://${b.address}:8004/v1/%(tenant_id)s` },
                { name: "heat-cfn", type: "cloudformation", description: "Orchestration (CloudFormation)", url: `http://${b.address}:8000/v1` },
            ],
            packages: b.model.packages, units: b.model.units, configFile: b.model.configFile, ...b.uwsgi(b.model.uwsgi),
            settings: mergeIni(heatSettings(b), b.extra),
            secretSettings: pulumi.all([b.transportUrl, b.password("heat"), b.password("heatDomainAdmin")]).apply(([t, h, d]) => ({
                DEFAULT: { transport_url: t, stack_domain_admin_password: d },
                trustee: { password: h },
            })),
            dbPassword: b.password("heatDb"), servicePassword: b.password("heat"), migrations: [{ command: "heat-manage db_sync" }],
            after: [...b.after, ...roles, domainAdmin],
        });
    },
});
