import { open, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";

/** Electron's fuse wire starts after this sentinel, as @electron/fuses reads and writes it. */
export const FUSE_SENTINEL = "dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX";
/** The fuse wire version we read: V1, whose first fuse is RunAsNode. */
const FUSE_V1 = 1;
/** A fuse's bytes: '0' off, '1' on, 'r' removed. */
const FUSE_ON = 0x31;
const FUSE_OFF = 0x30;
const FUSE_REMOVED = 0x72;
const CHUNK = 4 * 1024 * 1024;

/**
 * Whether an Electron binary honours ELECTRON_RUN_AS_NODE, from its RunAsNode
 * fuse: "on" (or no fuse wire at all: Electron before 12 always honours it),
 * "off" (spawning it would start a second copy of the app), or "unknown" when
 * the file cannot be read.
 */
export type RunAsNode = { state: "on" | "off" | "unknown"; why: string };

/** The file that holds the fuse wire: on macOS the Electron Framework inside the app bundle, elsewhere the binary itself. */
export function fuseFileOf(execPath: string): string {
  if (execPath.endsWith(".app")) return resolve(execPath, "Contents", "Frameworks", "Electron Framework.framework", "Electron Framework");
  if (/\.app[\\/]Contents[\\/]MacOS[\\/]/.test(execPath)) return resolve(execPath, "..", "..", "Frameworks", "Electron Framework.framework", "Electron Framework");
  return execPath;
}

/** Reads the RunAsNode fuse of `execPath`, streaming the file in chunks so a 150 MB binary is never held whole. */
export async function readRunAsNode(execPath: string): Promise<RunAsNode> {
  const file = fuseFileOf(execPath);
  let handle;
  try {
    handle = await open(file, "r");
  } catch (e) {
    return { state: "unknown", why: `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}` };
  }
  try {
    const sentinel = Buffer.from(FUSE_SENTINEL);
    const { size } = await handle.stat();
    const buf = Buffer.allocUnsafe(CHUNK + sentinel.length + 3);
    for (let start = 0; start < size; start += CHUNK) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, size - start), start);
      const at = buf.subarray(0, bytesRead).indexOf(sentinel);
      if (at === -1) continue;
      const head = Buffer.alloc(3);
      await handle.read(head, 0, 3, start + at + sentinel.length);
      const [version, length, runAsNode] = [head[0], head[1], head[2]];
      if (version !== FUSE_V1 || length === undefined || length < 1) return { state: "unknown", why: `fuse wire version ${String(version)} is not one we read` };
      if (runAsNode === FUSE_OFF) return { state: "off", why: "its RunAsNode fuse is off, so it would start a second copy of the app instead of Node" };
      if (runAsNode === FUSE_ON || runAsNode === FUSE_REMOVED) return { state: "on", why: "its RunAsNode fuse is on" };
      return { state: "unknown", why: `its RunAsNode fuse reads ${String(runAsNode)}` };
    }
    return { state: "on", why: "it has no fuse wire (Electron before 12 always runs as Node when asked)" };
  } catch (e) {
    return { state: "unknown", why: `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}` };
  } finally {
    await handle.close();
  }
}

/**
 * readRunAsNode, cached by the binary's path, size and modification time in
 * `cacheDir/fuses.json`, so that only the first start after an update reads the binary.
 */
export async function runAsNodeCached(execPath: string, cacheDir: string | null): Promise<RunAsNode & { cached: boolean }> {
  let key: string;
  try {
    const st = await stat(fuseFileOf(execPath));
    key = `${fuseFileOf(execPath)}\u0000${st.size}\u0000${st.mtimeMs}`;
  } catch (e) {
    return { state: "unknown", why: `cannot read ${fuseFileOf(execPath)}: ${e instanceof Error ? e.message : String(e)}`, cached: false };
  }
  const path = cacheDir === null ? null : join(cacheDir, "fuses.json");
  let cache: Record<string, RunAsNode> = {};
  if (path !== null) {
    try {
      cache = JSON.parse(await readFile(path, "utf8")) as Record<string, RunAsNode>;
    } catch {
      cache = {};
    }
  }
  const hit = cache[key];
  if (hit !== undefined) return { ...hit, cached: true };
  const answer = await readRunAsNode(execPath);
  if (path !== null && answer.state !== "unknown") {
    await writeFile(path, JSON.stringify({ ...cache, [key]: answer }), { mode: 0o600 }).catch(() => undefined);
  }
  return { ...answer, cached: false };
}
