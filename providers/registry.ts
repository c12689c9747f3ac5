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

/** Every resource kind, each defined once in its own file (providers/kit.ts). */
const kinds = [
    baseImageProvider, bridgeProvider, cloudInitVmProvider, containerBaseProvider, firewallPortsProvider,
    generatedPasswordProvider, hostCommandProvider, hostFactsProvider, iniFileProvider, kernelModuleProvider,
    libvirtNetworkProvider, lxcContainerProvider, mysqlDatabaseProvider, natGatewayProvider, nodeStatusProvider,
    openStackObjectProvider, packagesProvider, rabbitmqUserProvider, remoteFileProvider, serviceProvider,
    sshKeyPairProvider, sysctlProvider, tapInterfaceProvider, vethPatchProvider, volumeGroupProvider,
];

/**
 * Each kind's implementation, by the type name its resource registers.
 * The shims in the state (providers/thin.ts) load this file when the engine runs them.
 */
export const providers: Record<string, pulumi.dynamic.ResourceProvider> =
    Object.fromEntries(kinds.map((p) => [p.kind, readableWhenDown(p)]));

/** What a shim calls (providers/thin.ts). */
export async function dispatch(mark: string, kind: string, method: string, args: unknown[]): Promise<unknown> {
    if (mark !== THIN_MARK) throw new Error(`a provider shim of another version (${mark}) is in the state; this checkout runs ${THIN_MARK}`);
    const p = providers[kind];
    if (!p) throw new Error(`providers/registry.ts has no resource kind ${kind}: the state was written by another version of openstack-lab`);
    return dispatchTo(p, method, args as any[]);
}
