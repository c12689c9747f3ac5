import * as pulumi from "@pulumi/pulumi";
import { readLab } from "./config/load";
import { Lab } from "./components/Lab";

const config = new pulumi.Config("openstack-lab");
const lab = readLab(config);
const needsKey = lab.hosts.some((h) => h.address !== "local");
const privateKey = needsKey ? config.requireSecret("sshPrivateKey") : undefined;

const built = new Lab(pulumi.getStack(), { config: lab, privateKey });

export const hosts = built.summary;
