import { databaseUrl, osloLiteral, osloLiterals, transportUrl } from "../../render/osloValues";

// What oslo.config does to a value it reads (oslo_config/iniparser.py and
// cfg.py's substitution), to check that a literal comes back as it was set.
function osloReads(raw: string): string {
    let v = raw.trim();
    if (v.length > 0 && v[0] === v[v.length - 1] && (v[0] === '"' || v[0] === "'")) v = v.slice(1, -1);
    if (/\$(?!\$)[A-Za-z_{]/.test(v.replace(/\$\$/g, ""))) throw new Error(`oslo.config would substitute in ${raw}`);
    return v.replace(/\$\$/g, "$");
}

describe("oslo.config values", () => {
    const awkward = [
        `p@ss/w:rd?#%& $x$(id);'"`, "$my_ip", "$$", "'quoted'", '"double"', "'", " lead", "trail ", "", "a;b#c", "100%",
    ];

    it.each(awkward)("reads %j back as it was set", (v) => {
        expect(osloReads(osloLiteral(v))).toBe(v);
    });

    it("leaves a plain value as it is, so generated passwords keep their lines", () => {
        expect(osloLiteral("Xy7kP2mQ9zRt4vWb8nLc3hJd")).toBe("Xy7kP2mQ9zRt4vWb8nLc3hJd");
        expect(osloLiteral("$x")).toBe("$$x");
        expect(osloLiteral("'a'")).toBe(`"'a'"`);
    });

    it("makes every value of a settings map literal, repeated keys too", () => {
        expect(osloLiterals({ DEFAULT: { a: "$1", b: ["x$", "y"] } })).toEqual({ DEFAULT: { a: "$$1", b: ["x$$", "y"] } });
    });

    it("percent-encodes user and password in the database and transport URLs", () => {
        const pw = `p@ss/w:rd?#%& $x'()!*`;
        const db = databaseUrl("nova", pw, "10.0.0.4", "nova_api");
        expect(db).toBe("mysql+pymysql://nova:p%40ss%2Fw%3Ard%3F%23%25%26%20%24x%27%28%29%21%2A@10.0.0.4/nova_api");
        const u = new URL(db);
        expect([decodeURIComponent(u.username), decodeURIComponent(u.password), u.hostname, u.pathname]).toEqual(["nova", pw, "10.0.0.4", "/nova_api"]);
        const t = new URL(transportUrl("10.0.0.4", pw));
        expect([decodeURIComponent(t.password), t.hostname, t.port]).toEqual([pw, "10.0.0.4", "5672"]);
        expect(osloLiteral(db)).toBe(db);
    });
});
