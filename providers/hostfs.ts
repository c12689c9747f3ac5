import { run, sh, Transport } from "./transport";

export interface RemoteFileState {
    exists: boolean;
    content: string;
    mode?: string;
    owner?: string;
    group?: string;
}

/** Reads a file with its mode and owner in one round trip. */
export async function readRemoteFile(t: Transport, path: string): Promise<RemoteFileState> {
    const out = await run(t, `read ${path}`,
        sh`if [ -e ${path} ]; then stat -c '%a %U %G' ${path} && cat ${path}; else echo absent; fi`);
    const nl = out.indexOf("\n");
    const head = nl < 0 ? out : out.slice(0, nl);
    if (head === "absent") return { exists: false, content: "" };
    const [mode, owner, group] = head.split(" ");
    return { exists: true, content: out.slice(nl + 1), mode: mode.padStart(4, "0"), owner, group };
}

export interface WriteOptions { mode?: string; owner?: string; group?: string }

/**
 * Replaces a file atomically, content on stdin (it may be a secret). An
 * existing file keeps its mode and owner unless others are asked for.
 */
export async function writeRemoteFile(t: Transport, path: string, content: string, opts: WriteOptions = {}): Promise<void> {
    const owner = opts.owner ? (opts.group ? `${opts.owner}:${opts.group}` : opts.owner) : opts.group ? `:${opts.group}` : "";
    const script = [
        "set -e",
        sh`mkdir -p "$(dirname ${path})"`,
        sh`tmp=$(mktemp ${path + ".olab.XXXXXX"})`,
        `trap 'rm -f "$tmp"' EXIT`,
        `cat > "$tmp"`,
        sh`if [ -e ${path} ]; then chmod --reference=${path} "$tmp"; chown --reference=${path} "$tmp"; fi`,
        opts.mode ? sh`chmod ${opts.mode} "$tmp"` : "",
        owner ? sh`chown ${owner} "$tmp"` : "",
        sh`mv -f "$tmp" ${path}`,
        "trap - EXIT",
    ].filter(Boolean).join("\n");
    await run(t, `write ${path}`, script, { stdin: content });
}

export async function removeRemoteFile(t: Transport, path: string): Promise<void> {
    await run(t, `remove ${path}`, sh`rm -f ${path}`);
}

/** Puts back a file as it was before we wrote it: its content, mode and owner, or no file. */
export async function restoreRemoteFile(t: Transport, path: string, before: RemoteFileState): Promise<void> {
    if (before.exists) await writeRemoteFile(t, path, before.content, { mode: before.mode, owner: before.owner, group: before.group });
    else await removeRemoteFile(t, path);
}

/** The directories above `path` that do not exist yet, deepest first (what writing it creates). */
export async function missingDirectories(t: Transport, path: string): Promise<string[]> {
    const out = await run(t, `directories above ${path}`,
        sh`d=$(dirname ${path}); while [ ! -d "$d" ]; do printf '%s\\n' "$d"; d=$(dirname "$d"); done`);
    return out.split("\n").filter(Boolean);
}

/** Removes directories, deepest first, as long as each is empty: what we created, if nothing else went in. */
export async function removeEmptyDirectories(t: Transport, dirs: string[]): Promise<void> {
    if (dirs.length === 0) return;
    await run(t, `remove ${dirs[0]}`, sh`for d in ${dirs}; do rmdir -- "$d" 2>/dev/null || break; done; true`);
}
