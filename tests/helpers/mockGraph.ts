import * as pulumi from "@pulumi/pulumi";

// Pulumi's mocks for the unit tests of component graphs: every resource a
// component registers is recorded with its inputs. Import this before the
// components, so that they register with the mocks.

export interface Registered { type: string; name: string; inputs: Record<string, any> }

export const registered: Registered[] = [];

/** What HostFacts finds under the mocks; a test may change it before building. */
export const hostFacts: Record<string, unknown> = {
    osFamily: "debian", cpuVendor: "intel", kvmModule: "kvm_intel", kvmDevice: true, virtExtensions: true, nestedEnabled: false,
};

pulumi.runtime.setMocks({
    newResource(args) {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs });
        // An OpenStack object's id, as the client would print it, for what is made from it.
        // A generated key pair's halves, as the provider would make them, for what is rendered from them.
        const facts = args.type.endsWith("HostFacts") ? hostFacts
            : args.type.endsWith(":OpenStackObject") ? { objectId: `${args.name}-uuid` }
                : args.type.endsWith(":SshKeyPair") ? { privateKey: `${args.name}-private-key`, publicKey: `ssh-ed25519 AAAA${args.name} ${args.inputs.comment}` } : {};
        return { id: `${args.name}-id`, state: { ...args.inputs, ...facts } };
    },
    call: () => ({}),
}, "openstack-lab", "unit", false);

/** Resources whose type ends with `:name` (a provider's resources and a component of the same name alike). */
export const ofType = (name: string) => registered.filter((r) => r.type.endsWith(`:${name}`));

export { configErrorOf } from "./configError";
