/**
 * Why `path` may not be read as a vault path, or null when it may: absolute
 * paths (`/x`, `C:\x`, `\\server\x`, `~/x`) and any `..` segment climb out of
 * the vault and are refused.
 */
export function vaultPathError(path: string): string | null {
  const p = path.trim().replace(/\\/g, "/");
  if (p.startsWith("/") || p.startsWith("~") || /^[A-Za-z]:/.test(p)) return `"${path}" is an absolute path`;
  if (p.split("/").includes("..")) return `"${path}" climbs out of its folder with ".."`;
  return null;
}

/** The hint for a refused path. */
export const VAULT_PATH_HINT = "Paths in blocks are vault paths, like protos/api.proto; they cannot leave the vault. The terminal runner's --import-path can add folders outside it.";
