// libvirt XML in and out. Attributes are keys starting with "@".
// fast-xml-parser is required inside the functions: providers that use them
// are serialized by the engine, which cannot capture a package's internals.

export function toXml(doc: Record<string, unknown>): string {
    const { XMLBuilder } = require("fast-xml-parser") as typeof import("fast-xml-parser");
    return new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@", format: true, suppressEmptyNode: true }).build(doc);
}

export function fromXml(xml: string): Record<string, any> {
    const { XMLParser } = require("fast-xml-parser") as typeof import("fast-xml-parser");
    return new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "@", parseAttributeValue: false, parseTagValue: false }).parse(xml);
}

/** An element that may appear once or several times, as a list. */
export function many<T>(v: T | T[] | undefined): T[] {
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
