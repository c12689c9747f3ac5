import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { sshKeyPairProvider, wellFormedEd25519 } from "../../providers/sshKeyPair";

// ssh2 writes about one ed25519 pair in 256 with the public key's leading
// zero byte dropped; sshd refuses such a host key ("error in libcrypto").
// OpenSSH's own ssh-keygen is the judge of what sshd will load.

const { utils } = require("ssh2") as { utils: { generateKeyPairSync(type: string, opts: { comment: string }): { private: string; public: string } } };

/** Whether ssh-keygen loads the private key and derives the same public key from it. */
function opensshTakes(pair: { privateKey: string; publicKey: string }): boolean {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-key-"));
    try {
        const file = path.join(dir, "key");
        fs.writeFileSync(file, pair.privateKey, { mode: 0o600 });
        const r = spawnSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" });
        return r.status === 0 && r.stdout.split(" ").slice(0, 2).join(" ") === pair.publicKey.split(" ").slice(0, 2).join(" ");
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("SshKeyPair", () => {
    it("tells a short pair from ssh2 from a whole one, as OpenSSH does", () => {
        let short: { privateKey: string; publicKey: string } | undefined;
        let whole: { privateKey: string; publicKey: string } | undefined;
        // One in 256 is short: in 6000 tries none is short with a chance of about e^-23.
        for (let i = 0; i < 6000 && !(short && whole); i++) {
            const raw = utils.generateKeyPairSync("ed25519", { comment: "t" });
            const pair = { privateKey: raw.private, publicKey: raw.public.trim() };
            const pub = Buffer.from(pair.publicKey.split(" ")[1], "base64");
            if (pub.length < 51) short ??= pair;
            else whole ??= pair;
        }
        expect(short && whole).toBeTruthy();
        expect(wellFormedEd25519(short!)).toBe(false);
        expect(opensshTakes(short!)).toBe(false);
        expect(wellFormedEd25519(whole!)).toBe(true);
        expect(opensshTakes(whole!)).toBe(true);
        expect(wellFormedEd25519({ privateKey: "not a key", publicKey: "ssh-ed25519 AAAA" })).toBe(false);
    });

    it("makes only pairs OpenSSH loads", async () => {
        // 1500 pairs: with ssh2's short ones kept, one or more would be short with a chance of about 0.997.
        for (let i = 0; i < 1500; i++) {
            const { outs } = await sshKeyPairProvider.create!({ comment: "compute host key" });
            expect(wellFormedEd25519(outs)).toBe(true);
            if (i < 5) expect(opensshTakes(outs)).toBe(true);
        }
    });
});
