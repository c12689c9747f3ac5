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

    it("writes a database password as it is, which SQLAlchemy's URL pattern takes up to the first @", () => {
        const pw = `k$y/:?#& 1'"!*`;
        const db = databaseUrl("nova", pw, "10.0.0.4", "nova_api");
        expect(db).toBe(`mysql+pymysql://nova:${pw}@10.0.0.4/nova_api`);
        // SQLAlchemy 1.4's own pattern (sqlalchemy/engine/url.py, _parse_rfc1738_args).
        const m = /^(?<name>[\w+]+):\/\/(?:(?<username>[^:/]*)(?::(?<password>[^@]*))?@)?(?:(?<ipv4host>[^/:?]+)?(?::(?<port>[^/?]*))?)?(?:\/(?<database>[^?]*))?(?:\?(?<query>.*))?$/.exec(db)!;
        expect(m.groups).toMatchObject({ username: "nova", password: pw, ipv4host: "10.0.0.4", database: "nova_api" });
        expect(() => databaseUrl("nova", "a@b", "h", "d")).toThrow("the nova database password holds @ or %");
        expect(() => databaseUrl("nova", "100%", "h", "d")).toThrow("the nova database password holds @ or %");
    });

    it("percent-encodes the RabbitMQ password in the transport URL", () => {
        const pw = `p@ss/w:rd?#%& $x'()!*`;
        const t = new URL(transportUrl("10.0.0.4", pw));
        expect([decodeURIComponent(t.password), t.hostname, t.port]).toEqual([pw, "10.0.0.4", "5672"]);
        expect(osloLiteral(transportUrl("10.0.0.4", pw))).toBe(transportUrl("10.0.0.4", pw));
    });
});
