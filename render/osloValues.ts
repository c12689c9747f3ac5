import type { IniSettings, IniValue } from "./ini";

// Values that OpenStack services read from their oslo.config files, written so
// that a password is read back exactly as it was set, whatever it holds.

const QUOTES = new Set(["'", '"']);

/**
 * A value oslo.config reads as written. It substitutes `$name` (`$$` is a
 * literal `$`), trims the value, and takes one pair of matching quotes
 * around it off; so such a value is wrapped in a pair of quotes of its own.
 */
export function osloLiteral(value: string): string {
    const doubled = value.replace(/\$/g, "$$$$");
    const unwrapped = doubled.length > 0 && doubled[0] === doubled[doubled.length - 1] && QUOTES.has(doubled[0]);
    return unwrapped || doubled !== doubled.trim() || doubled === "" ? `"${doubled}"` : doubled;
}

/** Every value of `settings` as a literal: the keys that hold passwords and URLs made from them. */
export function osloLiterals(settings: IniSettings): IniSettings {
    // A value not known yet (a preview) passes as it is.
    const one = (v: string) => (typeof v === "string" ? osloLiteral(v) : v);
    const each = (v: IniValue): IniValue => (Array.isArray(v) ? v.map(one) : one(v));
    return Object.fromEntries(Object.entries(settings).map(([section, keys]) => [
        section, Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, each(v)])),
    ]));
}

/**
 * The SQLAlchemy URL of a service's database, the password as it is: SQLAlchemy
 * takes everything between the user's `:` and the first `@` as the password,
 * but a percent-encoded one cannot be used, because Keystone's database
 * migration (Zed) hands the URL to Python's ConfigParser, where `%` is
 * special. So a database password may hold neither `@` nor `%` (the schema
 * says so, config/controllerSchema.ts).
 */
export function databaseUrl(user: string, password: string, host: string, database: string): string {
    if (/[@%]/.test(password)) throw new Error(`the ${user} database password holds @ or %, which its URL cannot carry`);
    return `mysql+pymysql://${user}:${password}@${host}/${database}`;
}

/** The RabbitMQ URL every service's `[DEFAULT] transport_url` holds (a secret: it carries the password). */
export function transportUrl(address: string, rabbitPassword: string): string {
    return `rabbit://openstack:${userinfo(rabbitPassword)}@${address}:5672/`;
}

// encodeURIComponent leaves ! ' ( ) * as they are; they are legal in userinfo, but encoded they
// cannot be taken for anything else by any URL parser on the way.
const userinfo = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
