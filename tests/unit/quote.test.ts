import { execFileSync } from "child_process";
import { q, sh } from "../../providers/transport/quote";

// Values an operator could put in a stack file, meant to break a naive shell line.
const NASTY = [
    "it's", "say \"hi\"", "a;b", "$(touch /tmp/olab-pwned)", "`id`", "a\nb\nc", "", " lead and trail ",
    "back\\slash", "*", "~root", "--help", "$HOME", "a|b&c>d<e", "tab\there", "'\"'\"'",
];

/** What the shell really receives as one argument. */
function echoed(script: string): string {
    return execFileSync("sh", ["-c", script], { encoding: "utf8" });
}

describe("q", () => {
    it.each(NASTY)("passes %j to the shell as one word of data", (value) => {
        expect(echoed(`printf '%s' ${q(value)}`)).toBe(value);
        expect(echoed(`set -- ${q(value)}; echo $#`)).toBe("1\n");
    });
});

describe("sh", () => {
    it("quotes every interpolation and spreads arrays into words", () => {
        const script = sh`printf '<%s>' ${NASTY[3]} ${["x y", "a;b"]}`;
        expect(echoed(script)).toBe("<$(touch /tmp/olab-pwned)><x y><a;b>");
    });
    it("keeps the literal template as code", () => {
        expect(sh`echo ${"a"} | tr a b`).toBe("echo a | tr a b");
    });
});
