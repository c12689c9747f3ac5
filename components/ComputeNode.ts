import * as pulumi from "@pulumi/pulumi";
import type { ComputeConfig } from "../config/computeSchema";
import { HostCommand } from "../providers/hostCommand";
import { IniFile } from "../providers/iniFile";
import { Packages } from "../providers/packages";
import { Service } from "../providers/service";
import { type ConnectionArgs } from "../providers/transport";
import { digest, mergeIni } from "./apiService";
import { ownedDirectory, stopOnRemoval } from "../render/hostSteps";
import { computeRegistration } from "../render/registrationSteps";
import { neutronComputeSettings, novaComputeSettings, type ServiceContext } from "./computeSettings";
import { osloLiterals, transportUrl } from "../render/osloValues";
import { agentSettings } from "./networkSettings";
import { type Family, RELEASES } from "./openstackPackages";
import { COMPUTE_PORTS, firewallFor } from "./firewallRules";

export interface ComputeNodeArgs {
    config: ComputeConfig;
    /** The node's name in Nova's and Neutron's lists. */
    name: string;
    connection: pulumi.Input<ConnectionArgs>;
    family: Family;
    address: string;
    providerInterface: string;
    /** From the host's check (PhysicalHost.kvmAvailable); decides virt_type when it is `auto`. */
    kvmAvailable: pulumi.Input<boolean>;
    controller: ServiceContext & { connection: pulumi.Input<ConnectionArgs>; release: "zed"; firewall: boolean };
    passwords: { admin: pulumi.Input<string>; rabbit: pulumi.Input<string>; nova: pulumi.Input<string>; placement: pulumi.Input<string>; neutron: pulumi.Input<string> };
    /** The controller's services: the node registers once they run. */
    after: pulumi.Input<pulumi.Resource>[];
    /** The lab has a storage node: run iscsid to attach its volumes (seed 000). */
    iscsi?: boolean;
}

/**
 * A compute node (seed 000 section 7, seed 003's compute nodes): nova-compute
 * on libvirt with virt_type from the host's KVM check, the linuxbridge agent,
 * and its registration on the controller (`cell_v2 discover_hosts`). Removing
 * it stops its services first, then deletes its compute service and agents
 * from the controller's lists (seed 003's kill switch).
 */
export class ComputeNode extends pulumi.ComponentResource {
    public readonly virtType: pulumi.Output<string>;

    constructor(resourceName: string, args: ComputeNodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openstack-lab:openstack:ComputeNode", resourceName, {}, opts);
        const { connection, controller: ctl, passwords, name, config: c } = args;
        const m = RELEASES[ctl.release][args.family].compute;
        const child = (dependsOn: pulumi.Input<pulumi.Resource>[] = []) => ({ parent: this, dependsOn });
        this.virtType = pulumi.output(args.kvmAvailable).apply((kvm) => (c.virtType === "auto" ? (kvm ? "kvm" : "qemu") : c.virtType));

        // The packages and files need nothing of the controller's: they go on while it is built, and
        // only the services, which report to it, wait for its units (`after`).
        const packages = new Packages(`${resourceName}-packages`, { connection, names: m.packages }, child());
        const transport = pulumi.output(passwords.rabbit).apply((pw) => transportUrl(ctl.address, pw));
        const virt = this.virtType.apply((v) => ({ DEFAULT: { compute_driver: "libvirt.LibvirtDriver" }, libvirt: { virt_type: v } }));
        const nova = mergeIni(novaComputeSettings(ctl, { name, address: args.address }), c.config.nova ?? {});
        const novaSecrets = pulumi.all([transport, passwords.nova, passwords.placement, passwords.neutron]).apply(([t, nv, pl, ne]) => osloLiterals({
            DEFAULT: { transport_url: t }, keystone_authtoken: { password: nv }, placement: { password: pl }, neutron: { password: ne },
        }));
        const files: pulumi.Resource[] = [];
        if (m.computeFile) {
            files.push(new IniFile(`${resourceName}-nova-compute-conf`, { connection, path: m.computeFile, settings: virt }, child([packages])));
            files.push(new IniFile(`${resourceName}-nova-conf`, { connection, path: m.novaFile, settings: nova, secretSettings: novaSecrets }, child([packages])));
        } else {
            files.push(new IniFile(`${resourceName}-nova-conf`, {
                connection, path: m.novaFile, settings: virt.apply((v) => mergeIni(nova, v)), secretSettings: novaSecrets,
            }, child([packages])));
        }
        const neutron = mergeIni(neutronComputeSettings({ name }), c.config.neutron ?? {});
        const neutronSecrets = transport.apply((t) => osloLiterals({ DEFAULT: { transport_url: t } }));
        const neutronConf = new IniFile(`${resourceName}-neutron-conf`, {
            connection, path: "/etc/neutron/neutron.conf", settings: neutron, secretSettings: neutronSecrets,
        }, child([packages]));
        const bridgeAgent = agentSettings(ctl, { providerInterface: args.providerInterface, tunnelAddress: args.address }).linuxbridge;
        const agentConf = new IniFile(`${resourceName}-linuxbridge-agent-conf`, {
            connection, path: "/etc/neutron/plugins/ml2/linuxbridge_agent.ini", settings: bridgeAgent,
        }, child([packages]));

        // Seed 000 chowns libvirt's image directory to nova; Nova's instances live in its own directory, which must be nova's.
        const instances = new HostCommand(`${resourceName}-instances-dir`, { connection, ...ownedDirectory(m.instancesDir, "nova") }, child([packages]));

        const libvirt = new Service(`${resourceName}-service-${m.libvirtUnit}`, { connection, name: m.libvirtUnit }, child([packages]));
        const novaCompute = new Service(`${resourceName}-service-${m.novaUnit}`, {
            connection, name: m.novaUnit, restartOn: digest(nova, novaSecrets, virt),
        }, child([...files, instances, libvirt, ...args.after]));
        const agent = new Service(`${resourceName}-service-${m.agentUnit}`, {
            connection, name: m.agentUnit, restartOn: digest(neutron, neutronSecrets, bridgeAgent),
        }, child([neutronConf, agentConf, ...args.after]));

        // On the controller: map the node into cell1 once its nova-compute has reported, and on
        // removal take its compute service and agents off the lists.
        const registration = new HostCommand(`${resourceName}-registration`, {
            connection: ctl.connection, ...computeRegistration(ctl.authUrl, name), stdin: pulumi.interpolate`${passwords.admin}\n`,
        }, child([novaCompute, agent]));
        // Destroy runs this first: the node's services stop before the controller forgets them, so they cannot report back in.
        new HostCommand(`${resourceName}-kill-switch`, {
            connection, ...stopOnRemoval(`stop ${name}'s services before it leaves the controller`, [m.novaUnit, m.agentUnit]),
        }, child([registration]));
        if (args.iscsi) {
            const iscsi = RELEASES[ctl.release][args.family].iscsi;
            const initiator = new Packages(`${resourceName}-iscsi-packages`, { connection, names: iscsi.packages }, child([packages]));
            for (const u of iscsi.units) new Service(`${resourceName}-service-${u}`, { connection, name: u }, child([initiator]));
        }
        if (ctl.firewall) firewallFor(resourceName, "compute", { connection, family: args.family, rules: COMPUTE_PORTS }, child([packages]));
        this.registerOutputs({ virtType: this.virtType });
    }
}
