// The spawned sidecar runs through a loader that keeps V8's code cache beside the program: used when
// valid, rebuilt when V8 rejects it, and dropped with the program version it belongs to.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { codeCachePath } from "../../src/sidecar/codeCache";
import { Launcher } from "../../src/sidecar/Launcher";
import { sha256 } from "../../src/sidecar/sidecarFile";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "../support/sidecarBundle";
import { tempDir, waitFor } from "../support/sidecar";

async function startStop(dir: string, source = SIDECAR_SOURCE, hash = SIDECAR_HASH): Promise<string[]> {
  const l = new Launcher({ runtime: "node", program: { dir, source, hash } });
  try {
    await l.start();
    // The cache is written a second after the ready line (or at exit).
    await waitFor(() => l.status().log.some((line) => /code cache: (written|used|not written)/.test(line)), 5_000);
    return l.status().log.filter((line) => line.includes("code cache:")).map((line) => line.replace(/^.*code cache: /, ""));
  } finally {
    await l.stop();
  }
}

test("the first start writes the cache, the next one uses it", async () => {
  const dir = tempDir();
  expect(await startStop(dir)).toEqual(["none yet", "written"]);
  expect(existsSync(codeCachePath(dir, SIDECAR_HASH))).toBe(true);
  expect(await startStop(dir)).toEqual(["used"]);
});

test("a cache V8 rejects is rebuilt", async () => {
  const dir = tempDir();
  await startStop(dir);
  writeFileSync(codeCachePath(dir, SIDECAR_HASH), Buffer.from("not a code cache"));
  expect(await startStop(dir)).toEqual(["rejected, rebuilding", "written"]);
  expect(await startStop(dir)).toEqual(["used"]);
});

test("a new sidecar program gets a cache of its own, and the old one goes", async () => {
  const dir = tempDir();
  await startStop(dir);
  const v2 = `${SIDECAR_SOURCE}\n// another version\n`;
  const h2 = sha256(v2);
  expect(await startStop(dir, v2, h2)).toEqual(["none yet", "written"]);
  expect(readdirSync(dir).filter((f) => f.endsWith(".v8cache"))).toEqual([codeCachePath(dir, h2).slice(dir.length + 1)]);
});

test("a sidecar stopped before its cache was due writes it as it exits, and the next start uses it", async () => {
  const dir = tempDir();
  const l = new Launcher({ runtime: "node", program: { dir, source: SIDECAR_SOURCE, hash: SIDECAR_HASH } });
  await l.start();
  await l.stop();
  expect(existsSync(codeCachePath(dir, SIDECAR_HASH))).toBe(true);
  expect(await startStop(dir)).toEqual(["used"]);
});
