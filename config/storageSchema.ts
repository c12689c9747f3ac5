import { z } from "zod";
import { iniSections } from "./iniSchema";

// Seed 000's storage VM: cinder-volume on an LVM volume group made of the
// VM's extra disk, exported over iSCSI by tgt (seed 000 starts iscsid on
// the compute nodes for it).

const devicePath = z.string().regex(/^\/dev\/[A-Za-z0-9_.\-\/]+$/, "must be a block device path like /dev/vdc");

export const storageSchema = z.object({
    /** The hosts[] entry or VM that runs cinder-volume (seed 000: the storage VM). */
    host: z.string(),
    /** The name the volume service is listed under, `<name>@lvm` (default: host). */
    name: z.string().regex(/^[a-z0-9][a-z0-9\-]{0,62}$/, "must be a host name: lowercase letters, digits and -").optional(),
    /** Where compute nodes reach the iSCSI targets (default: the node's address). */
    address: z.ipv4().optional(),
    /** Disks that become the volume group's physical volumes (default on a VM: its extraDisks, /dev/vdc onwards). */
    devices: z.array(devicePath).min(1, "needs at least one device").optional(),
    /** Seed 000's volume group. */
    volumeGroup: z.string().regex(/^[A-Za-z0-9+_.][A-Za-z0-9+_.\-]{0,126}$/, "must be an LVM name: letters, digits, + _ . -").default("cinder-volumes"),
    /** Extra keys for the node's cinder.conf. */
    config: iniSections.default({}),
}).strict().superRefine((s, ctx) => {
    const seen = new Set<string>();
    (s.devices ?? []).forEach((d, i) => {
        if (seen.has(d)) ctx.addIssue({ code: "custom", path: ["devices", i], message: `${d} is listed twice` });
        seen.add(d);
    });
});

export type StorageConfig = z.infer<typeof storageSchema>;
