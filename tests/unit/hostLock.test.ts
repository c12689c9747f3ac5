import { exclusive } from "../../providers/transport";

const host = (name: string) => ({ name, address: `10.9.9.${name.length}` });
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("exclusive", () => {
    it("runs holders of one host's lock one after another, in call order", async () => {
        const log: string[] = [];
        const job = (id: string, ms: number) => async () => {
            log.push(`${id} start`);
            await pause(ms);
            log.push(`${id} end`);
            return id;
        };
        const results = await Promise.all([
            exclusive(host("a"), "packages", job("1", 30)),
            exclusive(host("a"), "packages", job("2", 5)),
            exclusive(host("a"), "packages", job("3", 1)),
        ]);
        expect(results).toEqual(["1", "2", "3"]);
        expect(log).toEqual(["1 start", "1 end", "2 start", "2 end", "3 start", "3 end"]);
    });

    it("lets other hosts and other locks run at the same time", async () => {
        const log: string[] = [];
        const job = (id: string) => async () => {
            log.push(`${id} start`);
            await pause(20);
            log.push(`${id} end`);
        };
        await Promise.all([exclusive(host("a"), "packages", job("a")), exclusive(host("bb"), "packages", job("b")), exclusive(host("a"), "other", job("c"))]);
        expect(log.slice(0, 3).sort()).toEqual(["a start", "b start", "c start"]);
    });

    it("passes a failure to its caller and goes on with the next holder", async () => {
        const failing = exclusive(host("a"), "packages", async () => {
            throw new Error("apt failed");
        });
        const next = exclusive(host("a"), "packages", async () => "ran");
        await expect(failing).rejects.toThrow("apt failed");
        await expect(next).resolves.toBe("ran");
    });
});
