import { createHash } from "crypto";
import { applyPatch, structuredPatch, type StructuredPatch } from "diff";

/**
 * How to put an INI file back byte for byte: a digest of the text we left
 * in it and the line hunks from that text to the one we found. Holds the
 * lines of the keys we manage, before and after (a secret output).
 */
export interface IniRestore {
    written: string;
    hunks: StructuredPatch["hunks"];
}

const digestOf = (text: string) => createHash("sha256").update(text).digest("hex");

/** Recorded when we write `written` over `original` (the empty text for a file we create). */
export function restoreFrom(written: string, original: string): IniRestore {
    // No context lines: the digest already says the text is exactly the one the hunks were made from.
    return { written: digestOf(written), hunks: structuredPatch("", "", written, original, "", "", { context: 0 }).hunks };
}

/**
 * The text we found, when the file still holds exactly what we left; undefined
 * once anything else has changed it (then each key gets its value back instead).
 */
export function originalOf(current: string, r: IniRestore | undefined): string | undefined {
    if (!r || digestOf(current) !== r.written) return undefined;
    const out = applyPatch(current, { oldFileName: "", newFileName: "", oldHeader: "", newHeader: "", hunks: r.hunks });
    return out === false ? undefined : out;
}
