import { z } from "zod";
import { isNetworkCidr } from "./gatewaySchema";

// Seed 003's last section, "Run your first virtual machine": a test image in
// Glance, a flavor, a shared network on the flat provider network, a keypair,
// and an instance the demo user launches on it.

const objectName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 ._\-]{0,62}$/, "must be 1-63 letters, digits, spaces, . _ -");
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL the controller can fetch" });

/** The disk size of the image scripts/guest-image.sh builds. */
export const GUEST_IMAGE_DISK_GB = 3;

export const firstInstanceSchema = z.object({
    /** The instance's name (seed 003: demo-inst1). */
    name: objectName.default("demo-inst1"),
    image: z.object({
        name: objectName.default("CirrOS Test Image"),
        /** Fetched on the controller, as seed 003 fetches CirrOS with wget. */
        url: httpUrl.optional(),
        /**
         * Instead of url: a Debian cloud-init image of this release that the lab
         * builds on the controller container's host (scripts/guest-image.sh)
         * and mounts into the controller, for a lab with no image to download.
         * It boots with its kernel and initrd given directly; its disk is 3 GiB.
         */
        build: z.enum(["bookworm"]).optional(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, "must be 64 lowercase hex digits").optional(),
        diskFormat: z.enum(["qcow2", "raw"]).default("qcow2"),
        /** An image booted with its kernel and initrd given directly (Glance aki/ari images; Nova's kernel_id, ramdisk_id). */
        kernelUrl: httpUrl.optional(),
        ramdiskUrl: httpUrl.optional(),
        /** The kernel's command line for such an image (Nova's os_command_line; its default ends with console=hvc0). */
        commandLine: z.string().regex(/^[^\n]{1,255}$/, "must be one line of at most 255 characters").optional(),
    }).strict().superRefine((img, ctx) => {
        if (!img.url === !img.build) {
            ctx.addIssue({ code: "custom", path: [img.url ? "build" : "url"], message: img.url ? "url and build exclude each other: the image is either fetched or built" : "required: the image's url, or build: bookworm for one the lab builds" });
        }
        if (img.build) {
            for (const k of ["sha256", "kernelUrl", "ramdiskUrl"] as const) {
                if (img[k]) ctx.addIssue({ code: "custom", path: [k], message: "comes with build: the lab builds the image, its kernel and its initrd" });
            }
        }
        if (img.commandLine && !img.kernelUrl) {
            ctx.addIssue({ code: "custom", path: ["commandLine"], message: "needs kernelUrl and ramdiskUrl: only a directly booted image takes a command line" });
        }
        if (!img.kernelUrl !== !img.ramdiskUrl) {
            ctx.addIssue({ code: "custom", path: [img.kernelUrl ? "ramdiskUrl" : "kernelUrl"], message: "kernelUrl and ramdiskUrl go together" });
        }
    }),
    flavor: z.object({
        name: objectName.default("m1.tiny"),
        vcpus: z.number().int().min(1).max(64).default(1),
        ramMb: z.number().int().min(64).default(512),
        diskGb: z.number().int().min(1).default(1),
    }).strict().default({ name: "m1.tiny", vcpus: 1, ramMb: 512, diskGb: 1 }),
    /** A shared network on the flat provider network (seed 003: demo-net, 203.0.113.24/29 on br100). */
    network: z.object({
        name: objectName.default("demo-net"),
        cidr: z.cidrv4().refine(isNetworkCidr, "must be a network's own address with its prefix, like 203.0.113.24/29").default("203.0.113.24/29"),
    }).strict().default({ name: "demo-net", cidr: "203.0.113.24/29" }),
    keyName: objectName.default("demo-key"),
}).strict().superRefine((c, ctx) => {
    if (c.image.build && c.flavor.diskGb < GUEST_IMAGE_DISK_GB) {
        ctx.addIssue({ code: "custom", path: ["flavor", "diskGb"], message: `must be at least ${GUEST_IMAGE_DISK_GB} for the built image (its disk is ${GUEST_IMAGE_DISK_GB} GiB)` });
    }
});

export type FirstInstanceConfig = z.infer<typeof firstInstanceSchema>;
