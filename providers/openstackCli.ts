// The openstack client as one of the lab's users: the password comes from the
// step's stdin (first line) into the environment, never onto a command line.

import { sh } from "./transport";

/** Who the client acts as: a user of the Default domain, scoped to a project. */
export interface ClientIdentity {
    authUrl: string;
    user: string;
    project: string;
}

export function clientEnv(c: ClientIdentity): string {
    return "IFS= read -r OS_PASSWORD; " + sh`export OS_PASSWORD OS_USERNAME=${c.user} OS_PROJECT_NAME=${c.project} OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_AUTH_URL=${c.authUrl} OS_IDENTITY_API_VERSION=3`;
}

export function adminEnv(authUrl: string): string {
    return clientEnv({ authUrl, user: "admin", project: "admin" });
}
