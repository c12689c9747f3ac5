import { LXC_MARKER, renderLxcConfig, type LxcConfigSpec } from "../../render/lxcConfig";
import { hostSideName } from "../../components/SystemContainer";

const spec = (over: Partial<LxcConfigSpec> = {}): LxcConfigSpec => ({
    name: "controller",
    base: "/var/lib/openstack-lab/container-base/bookworm/rootfs",
    upper: "/var/lib/lxc/controller/delta0",
    nics: [
        { link: "privatebr0", hostSide: "olab1234abcdn0", mac: "02:00:0a:00:00:04", address: "10.0.0.4/24", gateway: "10.0.0.1" },
        { link: "providerbr0", hostSide: "olab1234abcdn1", mac: "02:00:0a:00:01:04" },
    ],
    cpus: 2,
    memoryMiB: 8192,
    cgroup: "v1",
    mounts: [{ source: "/var/lib/openstack-lab/images", target: "/srv/openstack-lab/images", readOnly: true }],
    autostart: true,
    ...over,
});

describe("LXC container config", () => {
    it("renders a controller on cgroup v1 (pinned)", () => {
        expect(renderLxcConfig(spec())).toMatchSnapshot();
    });

    it("renders the unified cgroup v2 keys for the same limits (pinned)", () => {
        expect(renderLxcConfig(spec({ cgroup: "v2", cpus: 0.5, mounts: [], autostart: false, nics: [spec().nics[1]] }))).toMatchSnapshot();
    });

    it("starts with the marker that lets the provider tell its containers from anyone else's", () => {
        expect(renderLxcConfig(spec()).split("\n")[0]).toBe(LXC_MARKER);
    });

    it("refuses a value that would start another config line", () => {
        expect(() => renderLxcConfig(spec({ name: "a\nlxc.apparmor.profile = x" }))).toThrow(/spans lines/);
        expect(() => renderLxcConfig(spec({ mounts: [{ source: "/a b", target: "/c", readOnly: true }] }))).toThrow(/spaces/);
    });

    it("names host-side veths within the kernel's 15 characters, apart per lab and container", () => {
        const names = [hostSideName("local", "controller", 0), hostSideName("local", "controller", 1), hostSideName("local", "compute", 0), hostSideName("dev", "controller", 0)];
        expect(new Set(names).size).toBe(4);
        for (const n of names) expect(n).toMatch(/^olab[0-9a-f]{8}n\d$/);
    });
});
