// Never start a second Obsidian: the RunAsNode fuse of the binary is read before runtime 1 spawns
// it. Real Electron binaries cannot be had here, so the tests build small files that carry a fuse
// wire in the format Electron and @electron/fuses use, and check our reader against that library.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { FUSE_SENTINEL, fuseFileOf, readRunAsNode, runAsNodeCached } from "../../src/sidecar/runAsNodeFuse";
import { Launcher } from "../../src/sidecar/Launcher";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "../support/sidecarBundle";
import { tempDir } from "../support/sidecar";

/** A file of `size` bytes with a V1 fuse wire whose first fuse (RunAsNode) is `fuse`, at `at`. */
function binary(dir: string, name: string, fuse: string | null, size = 64 * 1024, at = 1000): string {
  const buf = Buffer.alloc(size, 0x41);
  if (fuse !== null) {
    const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL), Buffer.from([1, 9]), Buffer.from(`${fuse}10101000`)]);
    wire.copy(buf, at);
  }
  const path = join(dir, name);
  writeFileSync(path, buf);
  return path;
}

const dir = tempDir("grpc-callouts-fuse-");
const ON = binary(dir, "on", "1");
const OFF = binary(dir, "off", "0");
const REMOVED = binary(dir, "removed", "r");
const NONE = binary(dir, "none", null);
// A sentinel that straddles the reader's 4 MiB chunks.
const STRADDLE = binary(dir, "straddle", "0", 4 * 1024 * 1024 + 4096, 4 * 1024 * 1024 - 10);

test.each([
  ["on", "on", ON],
  ["off", "off", OFF],
  ["removed (RunAsNode stays)", "on", REMOVED],
  ["absent (Electron before 12)", "on", NONE],
  ["off, across a chunk boundary", "off", STRADDLE],
  ["not there at all", "unknown", join(dir, "missing")],
])("a binary whose fuse is %s reads as %s", async (_name, state, path) => {
  expect((await readRunAsNode(path)).state).toBe(state);
});

test("our reader agrees with @electron/fuses on the same files", () => {
  const script = `import { getCurrentFuseWire } from "@electron/fuses";
for (const p of ${JSON.stringify([ON, OFF, REMOVED, STRADDLE])}) { const w = await getCurrentFuseWire(p); console.log(String.fromCharCode(w[0])); }`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: join(__dirname, "../.."), encoding: "utf8" });
  expect(r.stderr).toBe("");
  expect(r.stdout.trim().split("\n")).toEqual(["1", "0", "r", "0"]);
});

test("the answer is cached by path, size and mtime, and read again when the binary changes", async () => {
  const cache = tempDir("grpc-callouts-fuse-cache-");
  const path = binary(dir, "cached", "1");
  expect(await runAsNodeCached(path, cache)).toMatchObject({ state: "on", cached: false });
  expect(await runAsNodeCached(path, cache)).toMatchObject({ state: "on", cached: true });
  // An update flips the fuse: a new mtime means a new read.
  binary(dir, "cached", "0");
  utimesSync(path, new Date(), new Date(Date.now() + 5000));
  expect(await runAsNodeCached(path, cache)).toMatchObject({ state: "off", cached: false });
});

test("an unreadable binary is unknown, and never cached", async () => {
  const cache = tempDir("grpc-callouts-fuse-cache-");
  const path = binary(dir, "locked", "1");
  chmodSync(path, 0o000);
  const isRoot = process.getuid?.() === 0;
  // Root reads any file; without root the file is unreadable.
  expect((await runAsNodeCached(path, cache)).state).toBe(isRoot ? "on" : "unknown");
  expect((await runAsNodeCached(join(dir, "gone"), cache)).state).toBe("unknown");
});

test("on macOS the fuse is read from the Electron Framework inside the bundle", () => {
  expect(fuseFileOf("/Applications/Obsidian.app/Contents/MacOS/Obsidian")).toBe("/Applications/Obsidian.app/Contents/Frameworks/Electron Framework.framework/Electron Framework");
  expect(fuseFileOf("/Applications/Obsidian.app")).toBe("/Applications/Obsidian.app/Contents/Frameworks/Electron Framework.framework/Electron Framework");
  expect(fuseFileOf("/usr/bin/obsidian")).toBe("/usr/bin/obsidian");
});

test("runtime 1 is skipped without spawning when the fuse is off, and the node runtime runs instead", async () => {
  mkdirSync(join(dir, "bin"), { recursive: true });
  // Executable, and it would leave a mark if anything ran it.
  const mark = join(dir, "bin", "ran");
  const app = join(dir, "bin", "obsidian");
  writeFileSync(app, Buffer.concat([Buffer.from(`#!/bin/sh\ntouch ${JSON.stringify(mark)}\nexit 1\n`), Buffer.from(FUSE_SENTINEL), Buffer.from([1, 9]), Buffer.from("010101000")]));
  chmodSync(app, 0o755);
  const launcher = new Launcher({ runtime: "auto", execPath: app, program: { dir: tempDir(), source: SIDECAR_SOURCE, hash: SIDECAR_HASH } });
  try {
    const ep = await launcher.start();
    expect(ep.runtime).toBe("node");
    const s = launcher.status();
    expect(s.attempts).toEqual([{ runtime: "obsidian", error: expect.stringMatching(/^skipped without spawning: .*RunAsNode fuse is off/) as string }]);
    expect(s.log.join("\n")).toMatch(/RunAsNode check of .*: off/);
    expect(spawnSync("test", ["-e", mark]).status).toBe(1);
  } finally {
    await launcher.stop();
  }
});
