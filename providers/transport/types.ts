/** How to reach a host: over SSH with a pinned host key, or this machine. */
export interface ConnectionArgs {
    /** Name used in every message about this host. */
    name: string;
    /** "local" runs on this machine without SSH. */
    address: string;
    port?: number;
    user?: string;
    /** OpenSSH private key (a Pulumi secret). */
    privateKey?: string;
    /** Pinned host public key, as in known_hosts: "ssh-ed25519 AAAA...". */
    hostKey?: string;
    /** Seconds to wait for the SSH handshake. */
    timeout?: number;
    /** A host to jump through (ProxyJump), e.g. the physical host for its VMs. */
    via?: ConnectionArgs;
}

export interface ExecResult {
    stdout: string;
    stderr: string;
    code: number;
}

export interface ExecOptions {
    /** Data for the command's standard input; the only way secrets travel. */
    stdin?: string;
    /** Whether a non-zero exit is an error (default true). */
    check?: boolean;
    /** Called with the command's output (stdout and stderr) as it comes, for progress a user follows. */
    onOutput?: (chunk: string) => void;
}

/** A shell on one host. Commands run as root (through sudo when needed). */
export interface Transport {
    readonly name: string;
    exec(script: string, opts?: ExecOptions): Promise<ExecResult>;
}
