// The openstack client as admin in a HostCommand: the password comes from the
// step's stdin (first line) into the environment, never onto a command line.

import { sh } from "../providers/transport";

export function adminEnv(authUrl: string): string {
    return "IFS= read -r OS_PASSWORD; " + sh`export OS_PASSWORD OS_USERNAME=admin OS_PROJECT_NAME=admin OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_AUTH_URL=${authUrl} OS_IDENTITY_API_VERSION=3`;
}
