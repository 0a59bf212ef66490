import { createHash, randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** The file name the sidecar program is written to, inside the plugin folder. */
export const SIDECAR_FILE_NAME = "sidecar.cjs";

/** Hex SHA-256 of text, as the build computes it for the embedded sidecar. */
export function sha256(text: string | Uint8Array): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Makes sure `dir/sidecar.cjs` holds exactly `source`: the file is hashed
 * before every start and rewritten (owner-only permissions, atomically) when
 * it is missing or differs, so a tampered file is replaced, never run.
 */
export async function ensureSidecarFile(dir: string, source: string | (() => string), hash: string): Promise<{ path: string; rewritten: boolean }> {
  const path = join(dir, SIDECAR_FILE_NAME);
  let current: Buffer | null = null;
  try {
    current = await readFile(path);
  } catch {
    current = null;
  }
  if (current !== null && sha256(current) === hash) return { path, rewritten: false };
  await mkdir(dir, { recursive: true });
  const tmp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
  // The text is made only now, when the file is missing or stale (the plugin's is unpacked from main.js on first need).
  await writeFile(tmp, typeof source === "function" ? source() : source, { mode: 0o600, flag: "wx" });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
  return { path, rewritten: true };
}
