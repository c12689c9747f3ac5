import * as pulumi from "@pulumi/pulumi";
import { configErrorOf, registered } from "../helpers/mockGraph";
import { isSecret, stackLabConfig } from "../helpers/stackFiles";
import { parseLab } from "../../config/load";
import { Lab } from "../../components/Lab";

jest.setTimeout(120_000);

/** The local stack file's lab config, with `extra` keys over it. */
const localConfig = (extra: Record<string, unknown>): Record<string, any> => ({ ...stackLabConfig("local"), ...extra });

describe("openstack-lab:tempest", () => {
    it("needs the first instance, whose image, flavor and network Tempest's servers use", () => {
        const { firstInstance: _omit, ...cfg } = localConfig({ tempest: {} });
        expect(configErrorOf(() => parseLab(cfg))).toMatch(/openstack-lab:tempest: needs openstack-lab:firstInstance/);
        expect(configErrorOf(() => parseLab(localConfig({ tempest: { concurrency: 0 } })))).toMatch(/openstack-lab:tempest\.concurrency/);
    });

    it("installs Tempest on the controller and writes its config there as a secret, after the first instance", async () => {
        registered.length = 0;
        const lab = new Lab("local", { config: parseLab(localConfig({ tempest: { buildTimeout: 1200 } })), privateKey: pulumi.secret("KEY-MATERIAL") });
        await new Promise((resolve) => lab.tempest!.target.apply(resolve));
        await new Promise((r) => setTimeout(r, 200));
        const own = registered.filter((r) => r.name.startsWith("local-tempest-"));
        expect(own.map((r) => `${r.type.split(":").pop()} ${r.name}`).sort()).toEqual([
            "HostCommand local-tempest-runs", "Packages local-tempest-packages", "RemoteFile local-tempest-conf",
        ]);
        const pkg = own.find((r) => r.name === "local-tempest-packages")!;
        expect(pkg.inputs.names).toEqual(["tempest"]);
        const conf = own.find((r) => r.name === "local-tempest-conf")!;
        expect(conf.inputs.path).toBe("/var/lib/openstack-lab/tempest/etc/tempest.conf");
        expect(conf.inputs.mode).toBe("0600");
        expect(isSecret(conf.inputs.content)).toBe(true);
        const text = (conf.inputs.content as { value: string }).value;
        expect(text).toContain("uri_v3 = http://10.0.0.4:5000/v3/\n");
        expect(text).toContain("image_ref = local-first-instance-image-uuid\nimage_ref_alt = local-first-instance-image-uuid\n");
        expect(text).toContain("flavor_ref = local-first-instance-flavor-uuid\n");
        expect(text).toContain("fixed_network_name = demo-net\n");
        expect(text).toContain("build_timeout = 1200\n");
        // No storage node in the local lab: Cinder's tests are skipped, not failed.
        expect(text).toContain("cinder = False\n");
    });
});
