import { z } from "zod";
import { iniSections } from "./iniSchema";

// Compute nodes (seed 000's kvm1, kvm2 and the host itself; seed 003's
// compute nodes): nova-compute and the linuxbridge agent on a hosts[] entry.

export const computeSchema = z.object({
    /** The name Nova and Neutron list the node under (default: the host's name). */
    name: z.string().regex(/^[a-z0-9][a-z0-9\-]{0,62}$/, "must be a host name: lowercase letters, digits and -").optional(),
    /** The hosts[] entry that runs it. */
    host: z.string(),
    /** Its management address: VNC, migration, VXLAN (default: the host's address). */
    address: z.ipv4().optional(),
    /** Where the flat provider network leaves the node (default: the controller's providerInterface; seed 000's host: tap0). */
    providerInterface: z.string().regex(/^[A-Za-z0-9_.\-]{1,15}$/, "must be an interface name of 1-15 letters, digits, _ . -").optional(),
    /** auto: kvm when the host's check finds KVM usable, else qemu (seed 003 falls back the same way). */
    virtType: z.enum(["auto", "kvm", "qemu"]).default("auto"),
    /** Run iscsid to attach the storage node's volumes (default: when the lab has a storage node; its kernel needs iSCSI). */
    iscsi: z.boolean().optional(),
    /** Extra INI keys: nova (nova.conf), neutron (neutron.conf). */
    config: z.object({ nova: iniSections.optional(), neutron: iniSections.optional() }).strict().default({}),
}).strict();

export type ComputeConfig = z.infer<typeof computeSchema>;
