import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { TestHost, TestHosts } from "../helpers/testHosts";
import { RepoServer } from "../helpers/repoServer";
import type { ConnectionArgs } from "../../providers/transport";
import { volumeGroupProvider, type VolumeGroupOutputs } from "../../providers/volumeGroup";

// The storage node's volume group, against real LVM on a system-container
// host, over loop devices this test makes on files of its own. This kernel
// has no device-mapper, so no logical volume can be activated here: a
// volume Cinder would have made is written into the group's metadata with
// vgcfgrestore, which is what `lvs` and the provider read.

let hosts: TestHosts;
let h: TestHost;
let repo: RepoServer;
let connection: ConnectionArgs;
let dir: string;
const loops: string[] = [];

const lvm = (script: string) => hosts.ssh(h, `export LVM_SUPPRESS_FD_WARNINGS=1\n${script}`);
const members = (vg: string) => lvm(`pvs --noheadings -o pv_name,vg_name 2>/dev/null | awk '$2 == "${vg}" {print $1}' | sort`);
const labelled = (dev: string) => lvm(`pvs --noheadings -o pv_name 2>/dev/null | awk '{print $1}'`).split("\n").includes(dev);

beforeAll(async () => {
    hosts = TestHosts.start(1);
    h = hosts.hosts[0];
    connection = { name: h.name, address: h.address, port: h.port, user: "root", hostKey: h.hostKey, privateKey: hosts.privateKey };
    repo = await RepoServer.start(h.address.replace(/\.\d+$/, ".1"));
    hosts.ssh(h, `echo 'deb [trusted=yes] ${repo.url} ./' > /etc/apt/sources.list.d/olab.list && apt-get update -q >/dev/null && ` +
        "DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends lvm2 e2fsprogs >/dev/null");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-vg-"));
    for (const name of ["a", "b", "c"]) {
        const file = path.join(dir, `${name}.img`);
        fs.writeFileSync(file, "");
        fs.truncateSync(file, 64 * 1024 * 1024);
        loops.push(execFileSync("losetup", ["--find", "--show", file], { encoding: "utf8" }).trim());
    }
}, 1_800_000);

afterAll(() => {
    try {
        // Labels this test may have left would make LVM on this machine see the loop files' groups.
        for (const l of loops) hosts?.ssh(h, `export LVM_SUPPRESS_FD_WARNINGS=1; vgs --noheadings -o vg_name 2>/dev/null | grep -qw olab-vg && vgremove -f olab-vg >/dev/null 2>&1; pvremove -ff -y ${l} >/dev/null 2>&1; true`);
    } finally {
        for (const l of loops) execFileSync("losetup", ["--detach", l]);
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        repo?.stop();
        hosts?.stop();
    }
}, 300_000);

describe("VolumeGroup", () => {
    it("refuses a disk that holds a filesystem, and leaves it as it was", async () => {
        hosts.ssh(h, `mkfs.ext4 -q -F -L keepme ${loops[2]}`);
        await expect(volumeGroupProvider.create!({ connection, name: "olab-vg", devices: [loops[0], loops[2]] }))
            .rejects.toThrow(`host h1: volume group olab-vg: ${loops[2]} holds ext4 data; it is not touched`);
        expect(hosts.ssh(h, `blkid -o value -s LABEL ${loops[2]}`)).toBe("keepme\n");
        expect(labelled(loops[0])).toBe(false);
    });

    it("refuses bad names and devices before touching the host", async () => {
        const checked = await volumeGroupProvider.check!({}, { connection, name: "vg;$(id)", devices: ["/tmp/x", "/dev/vdc\n"] });
        expect(checked.failures!.map((f) => f.property).sort()).toEqual(["devices", "devices", "name"]);
    });

    it("makes the group, finds it removed by hand on refresh, makes it again, grows it, and removes what it made", async () => {
        const created = await volumeGroupProvider.create!({ connection, name: "olab-vg", devices: [loops[0]] });
        let outs = created.outs as VolumeGroupOutputs;
        expect(outs).toMatchObject({ created: true, labelled: [loops[0]], physicalVolumes: [loops[0]] });
        expect(members("olab-vg")).toBe(`${loops[0]}\n`);
        expect((await volumeGroupProvider.diff!(created.id, outs, { connection, name: "olab-vg", devices: [loops[0]] })).changes).toBe(false);

        lvm("vgremove -q olab-vg");
        const read = await volumeGroupProvider.read!(created.id, outs);
        expect(read.props!.physicalVolumes).toBeNull();
        expect((await volumeGroupProvider.diff!(created.id, read.props as VolumeGroupOutputs, { connection, name: "olab-vg", devices: [loops[0]] })).changes).toBe(true);

        const grown = await volumeGroupProvider.update!(created.id, read.props as VolumeGroupOutputs, { connection, name: "olab-vg", devices: [loops[0], loops[1]] });
        outs = grown.outs as VolumeGroupOutputs;
        expect(members("olab-vg")).toBe(`${[loops[0], loops[1]].sort().join("\n")}\n`);
        expect(outs.labelled.sort()).toEqual([loops[0], loops[1]].sort());

        await volumeGroupProvider.delete!(created.id, outs);
        expect(lvm("vgs olab-vg >/dev/null 2>&1 && echo kept || echo gone")).toBe("gone\n");
        expect(labelled(loops[0]) || labelled(loops[1])).toBe(false);
    });

    it("refuses to remove a group that still holds a volume, naming it", async () => {
        const created = await volumeGroupProvider.create!({ connection, name: "olab-vg", devices: [loops[0]] });
        // A thick volume of one extent, as Cinder's lvcreate would have written it.
        lvm(`vgcfgbackup -q -f /root/vg.meta olab-vg && python3 - <<'EOF'
s = open("/root/vg.meta").read()
end = s.rindex("\\n}")
lv = '\\nlogical_volumes {\\nvolume-0001 {\\nid = "abcdef-ghij-klmn-opqr-stuv-wxyz-012345"\\nstatus = ["READ", "WRITE", "VISIBLE"]\\nsegment_count = 1\\n' \\
     'segment1 {\\nstart_extent = 0\\nextent_count = 1\\ntype = "striped"\\nstripe_count = 1\\nstripes = ["pv0", 0]\\n}\\n}\\n}\\n'
open("/root/vg-with-volume.meta", "w").write(s[:end] + lv + s[end:])
EOF
vgcfgrestore -q -f /root/vg-with-volume.meta olab-vg 2>/dev/null`);
        expect(lvm("lvs --noheadings -o lv_name olab-vg 2>/dev/null").trim()).toBe("volume-0001");
        await expect(volumeGroupProvider.delete!(created.id, created.outs))
            .rejects.toThrow("volume group olab-vg still holds logical volumes volume-0001");
        expect(members("olab-vg")).toBe(`${loops[0]}\n`);
        // Once the volume is gone (the metadata from before it), destroy goes through.
        lvm("vgcfgrestore -q -f /root/vg.meta olab-vg 2>/dev/null");
        await volumeGroupProvider.delete!(created.id, created.outs);
        expect(labelled(loops[0])).toBe(false);
    });

    it("adopts a group that was there before and leaves it on delete", async () => {
        lvm(`pvcreate -q ${loops[1]} && vgcreate -q olab-vg ${loops[1]}`);
        const created = await volumeGroupProvider.create!({ connection, name: "olab-vg", devices: [loops[1]] });
        expect(created.outs).toMatchObject({ created: false, labelled: [] });
        await volumeGroupProvider.delete!(created.id, created.outs);
        expect(members("olab-vg")).toBe(`${loops[1]}\n`);
        lvm(`vgremove -q olab-vg && pvremove -q ${loops[1]}`);
    });
});
