// No orphans: a parent node process (the terminal runner, which uses the real launcher)
// starts the sidecar; the test kills the parent with SIGKILL; the sidecar must be gone within 2 s.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { alive, tempDir, waitFor } from "../support/sidecar";

const CLI = join(__dirname, "../../dist/cli.cjs");

test.each(["obsidian", "node"])("the %s-runtime sidecar exits within 2 s of its parent's SIGKILL", async (runtime) => {
  const dir = tempDir();
  const note = join(dir, "long.md");
  writeFileSync(note, "> [!summary] Server streaming\n> A long feed.\n");
  const parent = spawn(process.execPath, [CLI, note, "--runtime", runtime, "--count", "100000", "--interval", "50"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  parent.stdout.setEncoding("utf8");
  parent.stdout.on("data", (c: string) => (out += c));
  const pidOf = (): number | null => {
    const m = /sidecar: \S+ runtime, pid (\d+)/.exec(out);
    return m === null ? null : Number(m[1]);
  };
  expect(await waitFor(() => pidOf() !== null && /received/.test(out), 15_000)).toBe(true);
  const sidecarPid = pidOf() ?? 0;
  expect(sidecarPid).not.toBe(parent.pid);
  expect(alive(sidecarPid)).toBe(true);
  parent.kill("SIGKILL");
  const t0 = Date.now();
  const gone = await waitFor(() => !alive(sidecarPid), 2000);
  if (!gone) process.kill(sidecarPid, "SIGKILL");
  expect(gone).toBe(true);
  expect(Date.now() - t0).toBeLessThan(2000);
});
