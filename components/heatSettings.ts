import { serviceAuth, type ServiceContext } from "./computeSettings";
import type { IniSections } from "./openstackPackages";

// Heat's keys (seed 000: `[trustee]`, `[clients_keystone]`, the stack domain).
// Its stack domain and the user that administers it are Keystone entities of
// their own (ControllerNode), as the install guide makes them.

export const HEAT_DOMAIN = "heat";
export const HEAT_DOMAIN_ADMIN = "heat_domain_admin";
export const HEAT_ROLES = ["heat_stack_owner", "heat_stack_user"];

export function heatSettings(ctx: ServiceContext): IniSections {
    const { address } = ctx;
    const { auth_url, auth_type, username, user_domain_name } = serviceAuth(ctx, "heat");
    return {
        DEFAULT: {
            heat_metadata_server_url: `http://${address}:8000`,
            heat_waitcondition_server_url: `http://${address}:8000/v1/waitcondition`,
            stack_domain_admin: HEAT_DOMAIN_ADMIN,
            stack_user_domain_name: HEAT_DOMAIN,
        },
        trustee: { auth_type, auth_url, username, user_domain_name },
        clients_keystone: { auth_uri: auth_url },
    };
}
