import { execFileSync, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

let binDir: string | undefined;
/** The directory with pulumi and its plugins, built from Go modules when missing. */
export function pulumiBin(): string {
    binDir ??= execFileSync("bash", [path.join(ROOT, "scripts/pulumi-cli/bootstrap.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    return binDir;
}

export interface CliResult { code: number; stdout: string; stderr: string; output: string }

/**
 * One stack of this project with a local file backend, a passphrase and its
 * config in a temporary file, so tests never touch the checkout's stack files.
 */
export class TestStack {
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "olab-stack-"));
    readonly configFile = path.join(this.dir, "Pulumi.test.yaml");
    readonly name = "t" + crypto.randomBytes(4).toString("hex");
    private readonly env: NodeJS.ProcessEnv;

    constructor() {
        fs.mkdirSync(path.join(this.dir, "state"));
        this.env = {
            ...process.env,
            PATH: `${pulumiBin()}:${process.env.PATH}`,
            PULUMI_BACKEND_URL: `file://${path.join(this.dir, "state")}`,
            PULUMI_CONFIG_PASSPHRASE: crypto.randomBytes(16).toString("hex"),
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_HOME: path.join(this.dir, "home"),
        };
        // From a bare project directory: `stack init` in the checkout would
        // leave a Pulumi.<stack>.yaml there if the test never reached dispose.
        const init = path.join(this.dir, "init");
        fs.mkdirSync(init);
        fs.writeFileSync(path.join(init, "Pulumi.yaml"), "name: openstack-lab\nruntime: nodejs\n");
        this.cli(["stack", "init", this.name, "--non-interactive"], { check: true, cwd: init });
    }

    /** Runs pulumi in the project directory with this stack's backend. */
    cli(args: string[], opts: { check?: boolean; input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
        return this.exec("pulumi", args, opts);
    }

    /** Runs a command (pulumi, or a script that runs it) in the project directory with this stack's backend. */
    exec(command: string, args: string[], opts: { check?: boolean; input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
        const r = spawnSync(command, args, {
            cwd: opts.cwd ?? ROOT, env: { ...this.env, ...opts.env }, input: opts.input ?? "", encoding: "utf8", maxBuffer: 64 << 20,
        });
        const res = { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, output: r.stdout + r.stderr };
        if (opts.check && res.code !== 0) {
            throw new Error(`${command} ${args.join(" ")} failed (${res.code}):\n${res.output}`);
        }
        return res;
    }

    /** preview, up, refresh or destroy of this stack with its config file. */
    op(command: "preview" | "up" | "refresh" | "destroy", extra: string[] = [], opts: { check?: boolean; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
        const yes = command === "preview" ? [] : ["--yes"];
        return this.cli([command, ...yes, "--stack", this.name, "--config-file", this.configFile,
            "--non-interactive", "--color", "never", ...extra], opts);
    }

    /** Replaces the stack config; secrets are set again afterwards with setSecret. */
    writeConfig(yaml: string): void {
        fs.writeFileSync(this.configFile, yaml);
    }

    /** Sets a secret from stdin, so it never appears on a command line. */
    setSecret(key: string, value: string, opts: { path?: boolean } = {}): void {
        const path = opts.path ? ["--path"] : [];
        this.cli(["config", "set", "--secret", ...path, key, "--stack", this.name, "--config-file", this.configFile], { input: value, check: true });
    }

    exportState(showSecrets = false): string {
        return this.cli(["stack", "export", "--stack", this.name, ...(showSecrets ? ["--show-secrets"] : [])], { check: true }).stdout;
    }

    /** Destroys what is left and removes the stack and its files. */
    dispose(): void {
        this.op("destroy");
        this.cli(["stack", "rm", this.name, "--yes", "--force"]);
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
