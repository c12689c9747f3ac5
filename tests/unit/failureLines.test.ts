import { failureLines } from "../../providers/transport";

describe("failureLines", () => {
    it("keeps the error above a Python shutdown trace", () => {
        const out = [
            "Traceback (most recent call last):",
            "pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on '10.0.0.4'\")",
            "Exception ignored in: <function _removeHandlerRef at 0x7f01819b43a0>",
            "Traceback (most recent call last):",
            "  File \"/usr/lib/python3/dist-packages/eventlet/green/thread.py\", line 34, in get_ident",
            "AttributeError: 'NoneType' object has no attribute 'getcurrent'",
        ].join("\n");
        expect(failureLines(out)).toEqual([
            "Traceback (most recent call last):",
            "pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on '10.0.0.4'\")",
        ]);
    });

    it("gives the last three lines otherwise", () => {
        expect(failureLines("a\nb\n\nc\nd\n")).toEqual(["b", "c", "d"]);
    });
});
