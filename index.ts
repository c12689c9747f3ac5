import * as pulumi from "@pulumi/pulumi";
import { LabConfigError, readLab } from "./config/load";
import { Lab } from "./components/Lab";

const config = new pulumi.Config("openstack-lab");
function labConfig() {
    try {
        return readLab(config);
    } catch (e) {
        // A RunError is shown as its message alone: the keys, not a stack trace.
        if (e instanceof LabConfigError) throw new pulumi.RunError(e.message);
        throw e;
    }
}
const lab = labConfig();
const needsKey = lab.hosts.some((h) => h.address !== "local");
const privateKey = needsKey ? config.requireSecret("sshPrivateKey") : undefined;

const built = new Lab(pulumi.getStack(), { config: lab, privateKey });

export const hosts = built.summary;
export const vms = built.vmSummary;
/** Private keys to log in to each VM (seed 000 makes one per VM). */
export const vmLoginKeys = pulumi.secret(pulumi.all(Object.fromEntries(built.vms.map((v, i) => [lab.vms[i].name, v.loginPrivateKey]))));
