import { q } from "../providers/transport/quote";

/**
 * Seed 000's credentials/adminrc: what `source` needs for the openstack
 * client. The password is quoted for the shell; the user, project and URL are
 * the lab's own names and address.
 */
export function renderOpenrc(authUrl: string, user: string, project: string, password: string): string {
    return `export OS_USERNAME=${user}
export OS_PASSWORD=${q(password)}
export OS_PROJECT_NAME=${project}
export OS_USER_DOMAIN_NAME=Default
export OS_PROJECT_DOMAIN_NAME=Default
export OS_AUTH_URL=${authUrl}
export OS_IDENTITY_API_VERSION=3
`;
}
