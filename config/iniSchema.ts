import { z } from "zod";
import { iniProblems, type IniSettings } from "../render/ini";

// INI sections as the stack file gives them (hosts[].ini, controller.config,
// compute config): checked with the rules the IniFile provider writes by, so
// that a bad section, key or value fails with its own key before any host.

const iniValue = z.union([z.string(), z.array(z.string())]);

export const iniSections = z.record(z.string(), z.record(z.string(), iniValue)).superRefine((sections, ctx) => {
    for (const p of iniProblems(sections as IniSettings)) ctx.addIssue({ code: "custom", path: p.path, message: p.message });
});
