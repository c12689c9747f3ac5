import { patchIni, readIniKeys } from "../../render/ini";
import { originalOf, restoreFrom } from "../../providers/iniRestore";
import { STOCK_FILES, stockConfig } from "../helpers/stockConfigs";

// INI editing against the stock files of the packages the lab installs:
// every option a file documents lands after its own commented default,
// never inside a comment's example, and the file comes back byte for byte.

interface Default { section: string; key: string; line: number }

/** oslo-config-generator's commented defaults (`#key = value`), by section. */
function defaultsOf(text: string): Default[] {
    const out: Default[] = [];
    let section = "";
    text.split("\n").forEach((l, line) => {
        const s = /^\[([^\]]+)\]\s*$/.exec(l);
        if (s) section = s[1];
        const d = /^#([A-Za-z0-9_.-]+) =/.exec(l);
        if (d && section) out.push({ section, key: d[1], line });
    });
    return out;
}

describe.each(STOCK_FILES)("%s %s", (pkg, file) => {
    let stock: string;
    let defaults: Default[];
    beforeAll(() => {
        stock = stockConfig(pkg, file);
        // Options documented twice in one section (a deprecated group) keep their first place.
        const seen = new Set<string>();
        defaults = defaultsOf(stock).filter((d) => !seen.has(`${d.section}/${d.key}`) && seen.add(`${d.section}/${d.key}`));
    }, 900_000);

    it("places each option it sets right after that option's commented default", () => {
        expect(defaults.length).toBeGreaterThan(50);
        const settings: Record<string, Record<string, string>> = {};
        for (const d of defaults) (settings[d.section] ??= {})[d.key] = `olab-${d.key}`;
        const out = patchIni(stock, settings).split("\n");
        // Each written line with the section it is in.
        let section = "";
        const written = new Map<string, number>();
        out.forEach((l, i) => {
            const s = /^\[([^\]]+)\]\s*$/.exec(l);
            if (s) section = s[1];
            if (/^[A-Za-z0-9_.-]+ = olab-/.test(l)) written.set(`${section}/${l.split(" ")[0]}`, i);
        });
        const misplaced = defaults.filter((d) => {
            const at = written.get(`${d.section}/${d.key}`);
            return at === undefined || !out[at - 1].startsWith(`#${d.key} =`);
        });
        expect(misplaced.map((d) => `[${d.section}] ${d.key}`)).toEqual([]);
    });

    it("documents options with examples inside their help, which never take the new line", () => {
        // Such as nova's [pci] alias: `#     alias = {` in its help, `#alias =` below.
        const examples = stock.split("\n").filter((l) => /^#\s{2,}[A-Za-z0-9_.-]+ =/.test(l)).length;
        if (pkg === "nova-common") expect(examples).toBeGreaterThan(20);
        const pci = patchIni(stock, { pci: { alias: "{}" } }).split("\n");
        if (pkg === "nova-common") expect(pci[pci.indexOf("alias = {}") - 1]).toBe("#alias =");
    });

    it("comes back byte for byte, with k=v spacing and non-adjacent repeated keys", () => {
        // A hand-edited copy: an option without spaces and one set twice apart.
        const [a, b] = defaults.filter((d) => d.section === "DEFAULT").slice(0, 2);
        const lines = stock.split("\n");
        lines.splice(a.line + 1, 0, `${a.key}=hand`);
        lines.splice(b.line + 2, 0, `${b.key} =  one`);
        lines.push(`[DEFAULT]`, `${b.key}=two`);
        const edited = lines.join("\n");
        expect(readIniKeys(edited, { DEFAULT: [a.key, b.key] })).toEqual({ DEFAULT: { [a.key]: "hand", [b.key]: ["one", "two"] } });
        const written = patchIni(edited, { DEFAULT: { [a.key]: "lab", [b.key]: "only" } });
        expect(written).not.toBe(edited);
        const restore = JSON.parse(JSON.stringify(restoreFrom(written, edited)));
        expect(originalOf(written, restore)).toBe(edited);
        // The hunks hold the managed lines only, not the file.
        expect(JSON.stringify(restore).length).toBeLessThan(1000);
        expect(originalOf(written + "# an edit by hand\n", restore)).toBeUndefined();
    });
});
