// Line-level patching of oslo.config-style INI files. The `ini` package
// re-serializes whole files (dropping comments, order and repeated keys), so
// files we share with packagers and operators are edited line by line here.

/** A key's value; several values mean the key is repeated (multi-valued option). */
export type IniValue = string | string[];
export type IniSettings = Record<string, Record<string, IniValue>>;
/** Values as found in a file; null means the key is absent. */
export type IniSnapshot = Record<string, Record<string, IniValue | null>>;

interface KeyLine { section: string; key: string; value: string; line: number; span: number }
interface SectionBlock { name: string; header: number; end: number } // end: index past the block

interface Parsed {
    lines: string[];
    keys: KeyLine[];
    blocks: SectionBlock[];
    /** `#key =` lines; indent: the blanks between the comment mark and the key. */
    commented: Array<{ section: string; key: string; line: number; indent: number }>;
}

const SECTION = /^\s*\[([^\]]+)\]\s*$/;
const COMMENT = /^\s*[#;]/;
// oslo-config-generator writes a default as `#key = value` and help text as
// `# text`; an example inside help text is indented further (`#     alias = {`).
const COMMENTED_KEY = /^\s*[#;]+([ \t]*)([A-Za-z0-9_.\-]+)\s*=/;
const KEY = /^([^\s=#;\[][^=]*?)\s*=\s*(.*?)\s*$/;
const CONTINUATION = /^[ \t]+\S/;

function parse(text: string): Parsed {
    const lines = text.split("\n");
    const keys: KeyLine[] = [];
    const blocks: SectionBlock[] = [];
    const commented: Parsed["commented"] = [];
    let section = "";
    for (let i = 0; i < lines.length; i++) {
        const line = lines[i];
        const s = SECTION.exec(line);
        if (s) {
            if (blocks.length) blocks[blocks.length - 1].end = i;
            section = s[1].trim();
            blocks.push({ name: section, header: i, end: lines.length });
            continue;
        }
        if (COMMENT.test(line)) {
            const c = COMMENTED_KEY.exec(line);
            if (c) commented.push({ section, key: c[2], line: i, indent: c[1].length });
            continue;
        }
        const k = KEY.exec(line);
        if (k) {
            // oslo.config continues a value on following indented lines.
            let span = 1;
            while (i + span < lines.length && CONTINUATION.test(lines[i + span])) span++;
            const value = [k[2], ...lines.slice(i + 1, i + span).map((l) => l.trim())].join("\n");
            keys.push({ section, key: k[1], value, line: i, span });
            i += span - 1;
        }
    }
    return { lines, keys, blocks, commented };
}

export function asList(v: IniValue | null | undefined): string[] {
    if (v === null || v === undefined) return [];
    return Array.isArray(v) ? v : [v];
}

/** Current values of the given keys. */
export function readIniKeys(text: string | null, wanted: Record<string, Iterable<string>>): IniSnapshot {
    const parsed = parse(text ?? "");
    const out: IniSnapshot = {};
    for (const [section, keys] of Object.entries(wanted)) {
        out[section] = {};
        for (const key of keys) {
            const found = parsed.keys.filter((k) => k.section === section && k.key === key).map((k) => k.value);
            out[section][key] = found.length === 0 ? null : found.length === 1 ? found[0] : found;
        }
    }
    return out;
}

/** Whether two values mean the same setting. */
export function sameValue(a: IniValue | null | undefined, b: IniValue | null | undefined): boolean {
    const x = asList(a);
    const y = asList(b);
    return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Section names that have no header in the text. */
export function missingSections(text: string | null, sections: Iterable<string>): string[] {
    const present = new Set(parse(text ?? "").blocks.map((b) => b.name));
    return [...sections].filter((s) => !present.has(s));
}

/**
 * Sets keys to values (null removes a key), leaving every other line as it
 * was. A new key goes after its commented default when the file has one,
 * otherwise at the end of its section; a new section goes at the end.
 * Sections listed in `dropIfEmpty` lose their header when no line is left
 * in them.
 */
export function patchIni(text: string | null, changes: IniSnapshot, dropIfEmpty: string[] = []): string {
    const parsed = parse(text ?? "");
    // One slot per original line; edits replace a slot's lines or append to it.
    const slots: string[][] = parsed.lines.map((l) => [l]);
    const appended: Map<string, string[]> = new Map();

    for (const [section, keys] of Object.entries(changes)) {
        for (const [key, value] of Object.entries(keys)) {
            const want = asList(value);
            const have = parsed.keys.filter((k) => k.section === section && k.key === key);
            want.forEach((v, j) => {
                if (j < have.length) {
                    if (have[j].value !== v) replace(slots, have[j], `${key} = ${v}`);
                }
            });
            have.slice(want.length).forEach((k) => replace(slots, k, null));
            const extra = want.slice(have.length).map((v) => `${key} = ${v}`);
            if (extra.length === 0) continue;
            const anchor = have.length ? have[have.length - 1].line + have[have.length - 1].span - 1
                : anchorFor(parsed, section, key);
            if (anchor === undefined) {
                appended.set(section, [...(appended.get(section) ?? []), ...extra]);
            } else {
                slots[anchor].push(...extra);
            }
        }
    }

    let out = slots.flat();
    const trailingNewline = out.length > 0 && out[out.length - 1] === "";
    if (trailingNewline) out.pop();
    for (const [section, lines] of appended) {
        if (out.length && out[out.length - 1].trim() !== "") out.push("");
        out.push(`[${section}]`, ...lines);
    }
    out = dropEmptySections(out, dropIfEmpty);
    if (out.length === 0) return "";
    return out.join("\n") + "\n";
}

function replace(slots: string[][], k: KeyLine, line: string | null): void {
    slots[k.line] = line === null ? [] : [line];
    for (let i = 1; i < k.span; i++) slots[k.line + i] = [];
}

/** The line a new key goes after, or undefined when its section is missing. */
function anchorFor(parsed: Parsed, section: string, key: string): number | undefined {
    const blocks = parsed.blocks.filter((b) => b.name === section);
    if (blocks.length === 0) return undefined;
    // The generator's own default first, then a hand-written `# key =`; never an indented example.
    const candidates = parsed.commented.filter((c) => c.section === section && c.key === key && c.indent <= 1);
    const commented = candidates.find((c) => c.indent === 0) ?? candidates[0];
    if (commented) return commented.line;
    const last = blocks[blocks.length - 1];
    let i = last.end - 1;
    while (i > last.header && parsed.lines[i].trim() === "") i--;
    return i;
}

function dropEmptySections(lines: string[], names: string[]): string[] {
    if (names.length === 0) return lines;
    const drop = new Set(names);
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
        const s = SECTION.exec(lines[i]);
        if (s && drop.has(s[1].trim())) {
            let j = i + 1;
            while (j < lines.length && lines[j].trim() === "") j++;
            if (j === lines.length || SECTION.test(lines[j])) {
                // The blank line that separated it was ours too.
                if (out.length && out[out.length - 1].trim() === "") out.pop();
                i = j - 1;
                continue;
            }
        }
        out.push(lines[i]);
    }
    return out;
}

/** What cannot be written as INI lines: each problem at its [section] or [section, key]. */
export function iniProblems(settings: IniSettings): { path: string[]; message: string }[] {
    const out: { path: string[]; message: string }[] = [];
    for (const [section, keys] of Object.entries(settings)) {
        if (!section || /[\]\r\n]/.test(section)) out.push({ path: [section], message: 'an INI section name must be one line without "]"' });
        for (const [key, value] of Object.entries(keys ?? {})) {
            if (!/^[A-Za-z0-9_.\-]+$/.test(key)) out.push({ path: [section, key], message: "an INI key name is letters, digits, _ . and -" });
            for (const v of asList(value)) {
                if (typeof v !== "string") out.push({ path: [section, key], message: "an INI value must be a string (or a list of them for a repeated key)" });
                else if (/[\r\n]/.test(v)) out.push({ path: [section, key], message: "an INI value must be one line (a list repeats the key)" });
            }
        }
    }
    return out;
}

/** Rejects values that cannot be written on one INI line, naming the key. */
export function validateIniSettings(settings: IniSettings, where: string): void {
    const p = iniProblems(settings)[0];
    if (p) throw new Error(`${where}: [${p.path[0]}]${p.path[1] !== undefined ? ` ${p.path[1]}` : ""}: ${p.message}`);
}
