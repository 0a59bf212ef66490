// Helpers that start the real sidecar process and build a run host on it.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClientPool } from "../../src/call/ClientPool";
import { createRunHost } from "../../src/call/createRunHost";
import { fileRegistryOf } from "../../src/schema/fileRegistryOf";
import { Launcher, type LauncherOptions } from "../../src/sidecar/Launcher";
import { SIDECAR_FILES } from "../../src/sidecar/sidecarFiles";
import { TOKEN_HEADER } from "../../src/sidecar/handshake";
import type { CallEvent } from "../../src/core/transcript/CallEvent";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "./sidecarBundle";

/** A fresh temporary folder. */
export function tempDir(prefix = "grpc-callouts-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A launcher for the built sidecar, writing it into a temporary plugin folder. */
export function testLauncher(options: Partial<LauncherOptions> = {}): Launcher {
  return new Launcher({ program: { dir: tempDir(), source: SIDECAR_SOURCE, hash: SIDECAR_HASH }, ...options });
}

/** A launcher, a client pool and a run host on them, plus a way to close all. */
export function testHost(options: Partial<LauncherOptions> = {}, readFile: (path: string) => Promise<Uint8Array> = () => Promise.reject(new Error("no files in this test"))) {
  const launcher = testLauncher(options);
  const pool = new ClientPool();
  const host = createRunHost({
    sidecar: () => launcher.start(),
    sidecarFiles: fileRegistryOf(...SIDECAR_FILES),
    tokenHeader: TOKEN_HEADER,
    pool,
    readFile,
  });
  return {
    launcher,
    pool,
    host,
    close: async () => {
      pool.close();
      await launcher.stop();
    },
  };
}

/** Collects every event of a call. */
export async function collect(events: AsyncIterable<CallEvent>): Promise<CallEvent[]> {
  const out: CallEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/**
 * True while a process with this pid runs. A zombie counts as gone: it has
 * exited, and only waits to be reaped (this sandbox's init does not reap orphans).
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}

/** Polls `check` every 25 ms until it holds or `ms` pass; returns whether it held. */
export async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}
