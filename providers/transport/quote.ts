// Every value that reaches a remote shell goes through here, so a value with
// quotes, `;`, `$(...)` or newlines arrives as data.

/** Quotes one value as a single shell word. */
export function q(value: string | number): string {
    const { quote } = require("shell-quote") as typeof import("shell-quote");
    return quote([String(value)]);
}

/**
 * Builds a command from a template, quoting each interpolated value. Arrays
 * become several quoted words. Literal template text is trusted code.
 */
export function sh(strings: TemplateStringsArray, ...values: Array<string | number | Array<string | number>>): string {
    let out = strings[0];
    values.forEach((v, i) => {
        out += Array.isArray(v) ? v.map(q).join(" ") : q(v);
        out += strings[i + 1];
    });
    return out;
}
