import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { baseImageProvider } from "../../providers/baseImage";

// BaseImage on this machine through the local transport, downloading from a
// file:// URL (curl treats it like any other; no network is involved).

let dir: string;
let src: string;
let sha: string;
const connection = { name: "local", address: "local" };

beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-image-"));
    src = path.join(dir, "source.img");
    fs.writeFileSync(src, "not really a disk image\n".repeat(1000));
    sha = createHash("sha256").update(fs.readFileSync(src)).digest("hex");
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("BaseImage", () => {
    it("downloads once, checks the checksum, reuses the file and removes only what it downloaded", async () => {
        const inputs = { connection, url: `file://${src}`, sha256: sha, dir: path.join(dir, "vms") };
        const first = await baseImageProvider.create!(inputs);
        expect(first.outs.file).toBe(path.join(dir, "vms", "base", `${sha}.img`));
        expect(first.outs.downloaded).toBe(true);
        expect(fs.readFileSync(first.outs.file)).toEqual(fs.readFileSync(src));
        const again = await baseImageProvider.create!(inputs);
        expect(again.outs.downloaded).toBe(false);
        await baseImageProvider.delete!(again.id, again.outs);
        expect(fs.existsSync(first.outs.file)).toBe(true);
        await baseImageProvider.delete!(first.id, first.outs);
        expect(fs.existsSync(first.outs.file)).toBe(false);
    });

    it("refuses an image whose checksum differs, leaving no download behind", async () => {
        const wrong = "0".repeat(64);
        await expect(baseImageProvider.create!({ connection, url: `file://${src}`, sha256: wrong, dir: path.join(dir, "vms") }))
            .rejects.toThrow(`host local: image ${path.join(dir, "vms", "base", `${wrong}.img`)} has SHA-256 ${sha}, expected ${wrong}`);
        expect(fs.existsSync(path.join(dir, "vms", "base", `${wrong}.img`))).toBe(false);
    });

    it("checks an image already on the host and never removes it", async () => {
        const out = await baseImageProvider.create!({ connection, path: src, sha256: sha, dir });
        expect(out.outs.file).toBe(src);
        await baseImageProvider.delete!(out.id, out.outs);
        expect(fs.existsSync(src)).toBe(true);
    });
});
