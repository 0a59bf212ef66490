import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";

/** The V8 code cache of the sidecar program with hash `hash`, beside the program in its private folder. */
export function codeCachePath(dir: string, hash: string): string {
  return join(dir, `sidecar.${hash.slice(0, 16)}.v8cache`);
}

/** Removes the code caches of other versions of the program. */
export async function pruneCodeCaches(dir: string, keep: string): Promise<void> {
  const name = keep.slice(dir.length + 1);
  for (const f of await readdir(dir).catch((): string[] => [])) {
    if (/^sidecar\.[0-9a-f]{16}\.v8cache$/.test(f) && f !== name) await rm(join(dir, f), { force: true });
  }
}

/**
 * The program a spawned runtime runs (`node -e LOADER program cache`): it
 * compiles the sidecar program with V8's code cache when one is there and
 * valid, and writes a fresh one once the sidecar is ready when there was
 * none or V8 rejected it (another program, another V8). It says which on
 * stderr, which the launcher keeps in its log. Measured alone: the cache took
 * the sidecar's ready time from about 166 ms to 130 ms where a bare node start
 * was 81–91 ms (see BENCHMARKS.md). The sidecar asks for the cache a second
 * after its ready line, or as it exits if that is sooner, so that the cache
 * holds the call path the first call compiled: ready to first message 5%
 * sooner than with a cache written at the ready line.
 */
export const CODE_CACHE_LOADER = `"use strict";
const fs = require("fs"), vm = require("vm"), Module = require("module"), path = require("path");
const [program, cache] = process.argv.slice(1);
let cachedData;
try { cachedData = fs.readFileSync(cache); } catch { cachedData = undefined; }
const script = new vm.Script(Module.wrap(fs.readFileSync(program, "utf8")), { filename: program, cachedData });
const used = cachedData !== undefined && !script.cachedDataRejected;
process.stderr.write("code cache: " + (used ? "used" : cachedData === undefined ? "none yet" : "rejected, rebuilding") + "\\n");
let due = !used;
globalThis.grpcCalloutsWriteCodeCache = () => {
  if (!due) return;
  due = false;
  try {
    const tmp = cache + "." + process.pid + ".tmp";
    fs.writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, cache);
    process.stderr.write("code cache: written\\n");
  } catch (e) { process.stderr.write("code cache: not written: " + e.message + "\\n"); }
};
const mod = { exports: {} };
script.runInThisContext().call(mod.exports, mod.exports, require, mod, program, path.dirname(program));
if (typeof mod.exports.main !== "function") { process.stderr.write("the sidecar program exports no main\\n"); process.exit(2); }
mod.exports.main();
`;
