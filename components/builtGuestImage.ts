import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { HostCommand } from "../providers/hostCommand";
import type { ConnectionArgs } from "../providers/transport";
import { guestImageBuild } from "../render/hostSteps";

/** Where a host keeps the guest images the lab builds, one directory per release. */
export const GUEST_IMAGE_DIR = "/var/lib/openstack-lab/guest-images";

/** The one build of the guest image: the tests run it from the checkout, the lab on a host. */
const SCRIPT = path.join(__dirname, "..", "scripts", "guest-image.sh");

export interface BuiltGuestImageArgs {
    connection: pulumi.Input<ConnectionArgs>;
    release: string;
    mirror: string;
    /** The host's package cache as an HTTP proxy for debootstrap. */
    proxy?: pulumi.Input<string>;
}

/** The files of a built image, as `file://` URLs the controller reads through its mount. */
export function guestImageFiles(dir: string): { url: string; kernelUrl: string; ramdiskUrl: string } {
    return { url: `file://${dir}/base.qcow2`, kernelUrl: `file://${dir}/vmlinuz`, ramdiskUrl: `file://${dir}/initrd.img` };
}

/**
 * `firstInstance.image.build`: scripts/guest-image.sh run on the controller
 * container's host, so a lab with nothing to download still boots an
 * instance. The directory is then mounted read-only into the controller.
 */
export function builtGuestImage(name: string, args: BuiltGuestImageArgs, opts: pulumi.CustomResourceOptions): { dir: string; step: HostCommand } {
    const dir = `${GUEST_IMAGE_DIR}/${args.release}`;
    const script = fs.readFileSync(SCRIPT, "utf8");
    const build = (proxy?: string) => guestImageBuild({ release: args.release, dir, root: GUEST_IMAGE_DIR, script, mirror: args.mirror, proxy });
    const step = new HostCommand(name, {
        connection: args.connection, ...build(),
        script: pulumi.all([args.proxy]).apply(([proxy]) => build(proxy).script),
    }, opts);
    return { dir, step };
}
