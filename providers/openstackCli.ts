// The openstack client as one of the lab's users: the password comes from the
// step's stdin (first line) into the environment, never onto a command line.

import { sh, withHost, type ConnectionArgs, type ExecResult, type Transport } from "./transport";
import type { ExecOptions } from "./transport/types";

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

// What the client says when an API under uwsgi drops a kept-alive connection
// (seen from nova-api while a server was deleted: "Connection reset by peer").
const DROPPED = /Unable to establish connection|Connection reset by peer|Connection aborted|RemoteDisconnected/;

/**
 * A transport for client scripts that are safe to run again (they find by
 * name what an earlier try made, and take a missing object on delete as
 * deleted): a try whose connection the API dropped is repeated, a few times.
 */
export function retryingClient(t: Transport, tries = 5, pauseMs = 3000): Transport {
    return {
        name: t.name,
        async exec(script: string, opts?: ExecOptions): Promise<ExecResult> {
            for (let i = 1; ; i++) {
                const r = await t.exec(script, opts);
                if (r.code === 0 || i >= tries || !DROPPED.test(r.stderr + r.stdout)) return r;
                await new Promise((resolve) => setTimeout(resolve, pauseMs));
            }
        },
    };
}

/** `withHost` for such scripts: the controller's shell, with dropped connections retried. */
export function withClient<T>(conn: ConnectionArgs, fn: (t: Transport) => Promise<T>): Promise<T> {
    return withHost(conn, (t) => fn(retryingClient(t)));
}
