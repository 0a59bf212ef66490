import { chmod, lstat, mkdir } from "node:fs/promises";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** The folder name used under each per-user base folder. */
export const PRIVATE_DIR_NAME = "grpc-callouts";

/** A place the sidecar program may be written, with how the README names it. */
export interface PrivateDirCandidate {
  dir: string;
  /** The README's name for it, such as "$XDG_RUNTIME_DIR/grpc-callouts". */
  documented: string;
}

/** What the candidates are chosen from; the real process's values by default. */
export interface PlatformFacts {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  home: string;
}

/**
 * The per-user folders the sidecar program may go to, best first:
 * `$XDG_RUNTIME_DIR`, then the user's cache folder (`$XDG_CACHE_HOME` or
 * `~/.cache`; `~/Library/Caches` on macOS; `%LOCALAPPDATA%` on Windows).
 * None of them is carried by vault sync.
 */
export function privateDirCandidates(facts: PlatformFacts = { platform: process.platform, env: process.env, home: homedir() }): PrivateDirCandidate[] {
  const { env, home } = facts;
  if (facts.platform === "win32") {
    const local = env["LOCALAPPDATA"];
    return local === undefined || local === "" ? [] : [{ dir: join(local, PRIVATE_DIR_NAME), documented: `%LOCALAPPDATA%\\${PRIVATE_DIR_NAME}` }];
  }
  if (facts.platform === "darwin") return [{ dir: join(home, "Library", "Caches", PRIVATE_DIR_NAME), documented: `~/Library/Caches/${PRIVATE_DIR_NAME}` }];
  const out: PrivateDirCandidate[] = [];
  const runtime = env["XDG_RUNTIME_DIR"];
  if (runtime !== undefined && runtime.startsWith("/")) out.push({ dir: join(runtime, PRIVATE_DIR_NAME), documented: `$XDG_RUNTIME_DIR/${PRIVATE_DIR_NAME}` });
  const cache = env["XDG_CACHE_HOME"];
  if (cache !== undefined && cache.startsWith("/")) out.push({ dir: join(cache, PRIVATE_DIR_NAME), documented: `$XDG_CACHE_HOME/${PRIVATE_DIR_NAME}` });
  else out.push({ dir: join(home, ".cache", PRIVATE_DIR_NAME), documented: `~/.cache/${PRIVATE_DIR_NAME}` });
  return out;
}

/**
 * Makes `dir` (mode 0700) if it is missing, then checks it: a real folder,
 * not a link, owned by this user, that no other user can write or list.
 * Returns why it may not be used, or null when it may.
 */
export async function checkPrivateDir(dir: string): Promise<string | null> {
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const st = await lstat(dir);
    if (st.isSymbolicLink() || !st.isDirectory()) return `${dir} is not a folder`;
    if (process.platform === "win32") return null;
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) return `${dir} belongs to another user (uid ${st.uid})`;
    if ((st.mode & 0o022) !== 0) return `${dir} can be written by other users (mode ${(st.mode & 0o777).toString(8)})`;
    // A parent that another user owns, or that others may write without the sticky bit, could swap the folder itself.
    const parent = await lstat(dirname(dir));
    if (parent.uid !== uid && parent.uid !== 0) return `${dirname(dir)} belongs to another user (uid ${parent.uid})`;
    if ((parent.mode & 0o002) !== 0 && (parent.mode & 0o1000) === 0) return `${dirname(dir)} can be written by every user`;
    if ((st.mode & 0o077) !== 0) await chmod(dir, 0o700);
    return null;
  } catch (e) {
    return `${dir} cannot be used: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** The first usable private folder, or every reason none could be used. */
export async function findPrivateDir(candidates: readonly PrivateDirCandidate[] = privateDirCandidates()): Promise<{ dir: string } | { refused: string[] }> {
  const refused: string[] = [];
  for (const c of candidates) {
    const why = await checkPrivateDir(c.dir);
    if (why === null) return { dir: c.dir };
    refused.push(why);
  }
  return { refused };
}
