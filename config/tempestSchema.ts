import { z } from "zod";

// `lab.sh verify`: Tempest, the distribution's package, on the controller,
// configured from the lab (render/tempestConf.ts). The key's presence puts
// the workspace in the lab; destroy takes it out with the package.

export const tempestSchema = z.object({
    /** Tests run at once (Tempest's --concurrency). */
    concurrency: z.number().int().min(1).max(16).default(2),
    /** Seconds a server, volume or image may take to become ready: minutes under TCG. */
    buildTimeout: z.number().int().min(60).max(7200).default(900),
}).strict();

export type TempestConfig = z.infer<typeof tempestSchema>;
