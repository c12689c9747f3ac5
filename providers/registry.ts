import type * as pulumi from "@pulumi/pulumi";
import { readableWhenDown } from "./common";
import { dispatchTo } from "./dispatch";
import { THIN_MARK } from "./thin";
import { baseImageProvider } from "./baseImage";
import { bridgeProvider } from "./bridge";
import { cloudInitVmProvider } from "./cloudInitVm";
import { containerBaseProvider } from "./containerBase";
import { firewallPortsProvider } from "./firewallPorts";
import { generatedPasswordProvider } from "./generatedPassword";
import { hostCommandProvider } from "./hostCommand";
import { hostFactsProvider } from "./hostFacts";
import { iniFileProvider } from "./iniFile";
import { kernelModuleProvider } from "./kernelModule";
import { libvirtNetworkProvider } from "./libvirtNetwork";
import { lxcContainerProvider } from "./lxcContainer";
import { mysqlDatabaseProvider } from "./mysqlDatabase";
import { natGatewayProvider } from "./natGateway";
import { nodeStatusProvider } from "./nodeStatus";
import { openStackObjectProvider } from "./openStackObject";
import { packagesProvider } from "./packages";
import { rabbitmqUserProvider } from "./rabbitmqUser";
import { remoteFileProvider } from "./remoteFile";
import { serviceProvider } from "./service";
import { sshKeyPairProvider } from "./sshKeyPair";
import { sysctlProvider } from "./sysctl";
import { tapInterfaceProvider } from "./tapInterface";
import { vethPatchProvider } from "./vethPatch";
import { volumeGroupProvider } from "./volumeGroup";

/**
 * Every resource kind's implementation, by the type name its resource registers.
 * The shims in the state (providers/thin.ts) load this file when the engine runs them.
 */
export const providers: Record<string, pulumi.dynamic.ResourceProvider> = {
    BaseImage: readableWhenDown(baseImageProvider),
    Bridge: readableWhenDown(bridgeProvider),
    CloudInitVM: readableWhenDown(cloudInitVmProvider),
    ContainerBase: readableWhenDown(containerBaseProvider),
    FirewallPorts: readableWhenDown(firewallPortsProvider),
    GeneratedPassword: readableWhenDown(generatedPasswordProvider),
    HostCommand: readableWhenDown(hostCommandProvider),
    HostFacts: readableWhenDown(hostFactsProvider),
    IniFile: readableWhenDown(iniFileProvider),
    KernelModule: readableWhenDown(kernelModuleProvider),
    LibvirtNetwork: readableWhenDown(libvirtNetworkProvider),
    LxcContainer: readableWhenDown(lxcContainerProvider),
    MysqlDatabase: readableWhenDown(mysqlDatabaseProvider),
    NatGateway: readableWhenDown(natGatewayProvider),
    NodeStatus: readableWhenDown(nodeStatusProvider),
    OpenStackObject: readableWhenDown(openStackObjectProvider),
    Packages: readableWhenDown(packagesProvider),
    RabbitmqUser: readableWhenDown(rabbitmqUserProvider),
    RemoteFile: readableWhenDown(remoteFileProvider),
    Service: readableWhenDown(serviceProvider),
    SshKeyPair: readableWhenDown(sshKeyPairProvider),
    Sysctl: readableWhenDown(sysctlProvider),
    TapInterface: readableWhenDown(tapInterfaceProvider),
    VethPatch: readableWhenDown(vethPatchProvider),
    VolumeGroup: readableWhenDown(volumeGroupProvider),
};

/** What a shim calls (providers/thin.ts). */
export async function dispatch(mark: string, kind: string, method: string, args: unknown[]): Promise<unknown> {
    if (mark !== THIN_MARK) throw new Error(`a provider shim of another version (${mark}) is in the state; this checkout runs ${THIN_MARK}`);
    const p = providers[kind];
    if (!p) throw new Error(`providers/registry.ts has no resource kind ${kind}: the state was written by another version of openstack-lab`);
    return dispatchTo(p, method, args as any[]);
}
