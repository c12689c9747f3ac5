import { sh } from "../providers/transport/quote";

// The shell of the lab's one-off steps on a host (HostCommand): what each
// runs, the check refresh runs to see it still holds, and its undo. Each
// value goes through `sh`, so names and paths reach the shell as they are.

/** A HostCommand's script, check and undo, and the line `pulumi up` shows for it. */
export interface HostStep {
    description: string;
    script: string;
    check?: string;
    undo?: string;
}

const USER = /^[a-z_][a-z0-9_-]*$/;
const SHELL_VARIABLE = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A directory that must belong to a service's user (Nova's instances). */
export function ownedDirectory(path: string, owner: string, mode = "0755"): HostStep {
    if (!USER.test(owner)) throw new Error(`ownedDirectory: ${JSON.stringify(owner)} is not a user name`);
    return {
        description: `${path} owned by ${owner}`,
        script: sh`install -d -o ${owner} -g ${owner} -m ${mode} ${path}`,
        // A user name needs no quoting (checked above): `stat`'s output is compared as it prints it.
        check: sh`[ "$(stat -c %U:%G ${path})" = ` + `${owner}:${owner} ]`,
    };
}

/** BRE's special characters escaped: the text matches itself. */
const bre = (text: string) => text.replace(/[.[\]*^$\\]/g, "\\$&");

/** A `KEY=value` line of a shell defaults file (/etc/default/...), set with sed and checked with grep. */
export function shellDefaultLine(file: string, key: string, value: string): HostStep {
    if (!SHELL_VARIABLE.test(key)) throw new Error(`shellDefaultLine: ${JSON.stringify(key)} is not a shell variable name`);
    if (/\n/.test(value)) throw new Error(`shellDefaultLine: the value of ${key} must be one line`);
    const line = `${key}=${value}`;
    // In sed's replacement \, & and the delimiter are special: escaped, the line goes in as it is.
    return {
        description: `${line} in ${file}`,
        script: sh`sed -i ${`s/^${key}=.*/${line.replace(/[\\&/]/g, "\\$&")}/`} ${file}`,
        check: sh`grep -qx ${bre(line)} ${file}`,
    };
}

/** An Apache site a package enables that the lab needs off (Debian's default-ssl without mod_ssl). */
export function apacheSiteOff(site: string): HostStep {
    return {
        description: `a2dissite ${site}`,
        script: sh`a2dissite ${site}`,
        check: sh`[ ! -e ${`/etc/apache2/sites-enabled/${site}.conf`} ]`,
    };
}

/**
 * Nothing on create; on destroy, the node's units stop first, so that they
 * cannot report back in to a controller that has already forgotten them.
 */
export function stopOnRemoval(description: string, units: string[]): HostStep {
    return { description, script: "true", undo: sh`systemctl stop ${units}` };
}

/** Files downloaded into a directory, each beside its final name, checked, then moved in place; undo removes them. */
export function fetchedFiles(description: string, dir: string, files: Array<{ path: string; url: string; sha256?: string }>): HostStep {
    return {
        description,
        script: [sh`mkdir -p ${dir}`, ...files.map((f) => [
            sh`curl -fsSL --retry 3 -o ${f.path + ".part"} ${f.url}`,
            ...(f.sha256 ? [sh`echo ${`${f.sha256}  ${f.path}.part`} | sha256sum -c --quiet -`] : []),
            sh`mv ${f.path + ".part"} ${f.path}`,
        ].join(" && "))].join(" && "),
        check: files.map((f) => sh`test -s ${f.path}`).join(" && "),
        undo: sh`rm -f ${files.map((f) => f.path)}`,
    };
}

/**
 * A directory of the lab's own (the VMs' disks and images): made when missing,
 * removed on destroy once what went in has gone, and left where anything else is in it.
 */
export function labDirectory(description: string, dir: string): HostStep {
    return { description, script: sh`mkdir -p ${dir}`, check: sh`test -d ${dir}`, undo: sh`[ ! -d ${dir} ] || rmdir --ignore-fail-on-non-empty -- ${dir}` };
}

/** A directory made for a tool's runs; undo removes what the runs left (`left`), not the rest. */
export function runsDirectory(description: string, dir: string, left: string[]): HostStep {
    return { description, script: sh`mkdir -p ${dir}`, check: sh`test -d ${dir}`, undo: sh`rm -rf ${left}` };
}

/**
 * scripts/guest-image.sh run on a host (its text given as `script`), into
 * `dir` under `root`; the script's own stamp makes a second run (an
 * interrupted up resumed) adopt a finished build. Undo removes the image and
 * `root` when nothing else is left in it.
 */
export function guestImageBuild(a: { release: string; dir: string; root: string; script: string; mirror: string; proxy?: string }): HostStep {
    return {
        description: `build the ${a.release} guest image in ${a.dir}`,
        script: `${sh`OPENSTACK_LAB_GUEST_DIR=${a.dir} OPENSTACK_LAB_DEBIAN_MIRROR=${a.mirror}`}${a.proxy ? " " + sh`http_proxy=${a.proxy}` : ""} ${sh`bash -c ${a.script} guest-image`} >/dev/null`,
        check: sh`test -s ${a.dir + "/base.qcow2"} && test -s ${a.dir + "/.ready"}`,
        undo: sh`rm -rf ${a.dir} && rmdir -p --ignore-fail-on-non-empty ${a.root}`,
    };
}
