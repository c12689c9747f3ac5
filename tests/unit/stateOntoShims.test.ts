import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { shimText } from "../../providers/thin";

// How lab.sh finds a state written before the provider shims: the backend
// check, which reads the checkpoint anyway, counts the resources that recorded
// their provider's own code, and only then is scripts/state-onto-shims.js run
// (tests/e2e/providerShims.test.ts runs it on a real stack).

const { carryingOwnCode } = require("../../scripts/state-onto-shims");
const backend = require("../../scripts/backend-check");

const OWN_CODE = "exports.handler = __f0;\nfunction __f0() { /* the provider and its transport, 30 KB */ }";
const resource = (type: string, provider?: unknown) => ({
    urn: `urn:pulumi:local::openstack-lab::${type}::r${Math.random()}`, type,
    inputs: provider === undefined ? {} : { __provider: provider }, outputs: provider === undefined ? {} : { __provider: provider },
});

const deployment = {
    resources: [
        resource("pulumi:pulumi:Stack"),
        resource("pulumi-nodejs:dynamic/openstack-lab:RemoteFile", OWN_CODE),
        resource("pulumi-nodejs:dynamic/openstack-lab:Sysctl", OWN_CODE),
        resource("pulumi-nodejs:dynamic/openstack-lab:Sysctl", shimText("Sysctl")),
        // A provider the serializer marked secret cannot be read, so it is not taken for one to move.
        resource("pulumi-nodejs:dynamic/openstack-lab:Packages", { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "x" }),
        resource("openstack-lab:index:Lab"),
    ],
};

describe("a state written before the provider shims", () => {
    it("is told by the resources whose recorded provider lacks the shims' mark", () => {
        expect(carryingOwnCode(deployment).map((r: { type: string }) => r.type)).toEqual([
            "pulumi-nodejs:dynamic/openstack-lab:RemoteFile", "pulumi-nodejs:dynamic/openstack-lab:Sysctl"]);
        expect(carryingOwnCode({ resources: deployment.resources.slice(3) })).toEqual([]);
        expect(carryingOwnCode(undefined)).toEqual([]);
    });

    it("is counted by the backend check from the checkpoint file, and a stack without one counts none", () => {
        const state = fs.mkdtempSync(path.join(os.tmpdir(), "olab-backend-"));
        try {
            const dir = path.join(state, ".pulumi/stacks/openstack-lab");
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(path.join(dir, "local.json"), JSON.stringify({ version: 3, checkpoint: { stack: "local", latest: deployment } }));
            expect(backend.run([state, "openstack-lab", "local"])).toBe(2);
            expect(backend.run([state, "openstack-lab", "other"])).toBe(0);
        } finally {
            fs.rmSync(state, { recursive: true, force: true });
        }
    });
});
