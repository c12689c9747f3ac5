import * as pulumi from "@pulumi/pulumi";
import { LabConfigError, parsePasswords, readLab, secureLabKeys } from "./config/load";
import { Lab } from "./components/Lab";

// The SDK captures a stack for every output it makes (thousands here), and the
// source-map support it installs maps each frame: over a second of a no-op `up`
// on a two-core machine. One frame keeps where an error was thrown; resources'
// source positions are read by the SDK with its own limit.
Error.stackTraceLimit = 1;

const config = new pulumi.Config("openstack-lab");
function labConfig() {
    try {
        // The language host passes the keys that hold a secure value in PULUMI_CONFIG_SECRET_KEYS ("null" when none).
        const secure = secureLabKeys(JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS || "null") ?? []);
        return { ...readLab(config, pulumi.runtime.allConfig()), secure };
    } catch (e) {
        // A RunError is shown as its message alone: the keys, not a stack trace.
        if (e instanceof LabConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}
const lab = labConfig();
// Read raw so that a bad value fails here, before any resource is registered;
// every value becomes a Pulumi secret at once.
const passwords = (() => {
    try {
        return parsePasswords(pulumi.runtime.getConfig("openstack-lab:passwords"));
    } catch (e) {
        if (e instanceof LabConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
})();
const needsKey = lab.hosts.some((h) => h.address !== "local");
const privateKey = needsKey ? config.requireSecret("sshPrivateKey") : undefined;

const built = new Lab(pulumi.getStack(), {
    config: lab, privateKey, secretHostValues: lab.secure.hosts,
    passwords: Object.fromEntries(Object.entries(passwords).filter(([, v]) => v !== undefined).map(([k, v]) => [k, pulumi.secret(v!)])),
});

const outputs: Record<string, unknown> = {
    hosts: built.summary,
    vms: built.vmSummary,
    /** Private keys to log in to each VM (seed 000 makes one per VM). */
    vmLoginKeys: pulumi.secret(pulumi.all(Object.fromEntries(built.vms.map((v, i) => [lab.vms[i].name, v.loginPrivateKey])))),
    /** The lab's system containers, with the host key each was given. */
    containers: built.containerSummary,
    /** Private keys to log in to each container as root. */
    containerLoginKeys: pulumi.secret(pulumi.all(Object.fromEntries(built.containers.map((c, i) => [lab.containers[i].name, c.loginPrivateKey])))),
    /** Seed 000's credentials/adminrc and a demo one, to `source` on the controller. */
    adminrc: built.controller?.adminrc,
    demorc: built.controller?.demorc,
    authUrl: built.controller?.authUrl,
    /** Seed 000's storage node: its volume service as the controller lists it. */
    storageService: built.storage?.serviceHost,
    /** Seed 000's gateway: the address the lab's nodes route through. */
    gatewayAddress: built.gateway?.address,
    /** Horizon, when the controller deploys it. */
    dashboardUrl: built.controller?.dashboardUrl,
    /** Compute nodes and the hypervisor type each runs (seed 003's node table). */
    computes: pulumi.all(built.computes.map((c, i) => c.virtType.apply((virtType) => ({
        name: lab.computes[i].name ?? lab.computes[i].host, host: lab.computes[i].host, virtType,
    })))),
    /** Seed 003's node table: each node's Nova services and Neutron agents as the controller lists them (`pulumi refresh` reads it again). */
    nodes: built.nodeStatus?.rows,
    statusTable: built.nodeStatus?.table,
    /** Seed 003's first instance: its status and address on the demo network. */
    firstInstance: built.firstInstance
        ? pulumi.all([built.firstInstance.status, built.firstInstance.address]).apply(([status, address]) => ({ name: lab.firstInstance!.name, status, address }))
        : undefined,
    /** The demo keypair's private key, to log in to the first instance. */
    firstInstanceKey: built.firstInstance?.privateKey,
    /** The first instance's SSH host key, given to it before its first boot: pin it in known_hosts. */
    firstInstanceHostKey: built.firstInstance?.hostKey,
    /** Where `lab.sh verify` runs Tempest: the controller's login and the workspace (secret). */
    tempest: built.tempest?.target,
    /** Seed 000's Prometheus, with every monitored node's collectd in its targets. */
    prometheusUrl: built.monitoring?.prometheusUrl,
};

// Only what this lab has: the engine warns of every undefined stack output, on every run.
export = Object.fromEntries(Object.entries(outputs).filter(([, v]) => v !== undefined));
