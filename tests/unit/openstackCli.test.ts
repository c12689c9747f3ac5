import { retryingClient } from "../../providers/openstackCli";
import type { ExecResult, Transport } from "../../providers/transport";

// A transport that answers with the given results in turn and counts the calls.
function scripted(results: ExecResult[]): Transport & { calls: number } {
    const t = {
        name: "ctl", calls: 0,
        async exec(): Promise<ExecResult> {
            return results[Math.min(t.calls++, results.length - 1)];
        },
    };
    return t;
}

const dropped: ExecResult = { code: 1, stdout: "", stderr: "Unable to establish connection to http://10.0.0.4:8774/v2.1/servers/x: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))\n" };
const ok: ExecResult = { code: 0, stdout: "{}\n", stderr: "" };

describe("retryingClient", () => {
    it("runs a step again when the API dropped its connection, and returns the try that went through", async () => {
        const t = scripted([dropped, dropped, ok]);
        await expect(retryingClient(t, 5, 1).exec("openstack server delete x")).resolves.toEqual(ok);
        expect(t.calls).toBe(3);
    });

    it("does not repeat a step the API refused, and stops after the tries it was given", async () => {
        const refused = scripted([{ code: 1, stdout: "", stderr: "Conflict (HTTP 409)\n" }, ok]);
        expect((await retryingClient(refused, 5, 1).exec("x")).code).toBe(1);
        expect(refused.calls).toBe(1);
        const down = scripted([dropped]);
        expect(await retryingClient(down, 3, 1).exec("x")).toEqual(dropped);
        expect(down.calls).toBe(3);
    });
});
