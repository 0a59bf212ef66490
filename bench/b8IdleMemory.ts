/** B8: the idle sidecar's resident memory after 10 s, against a bare idle Node process measured in the same run. */
import { spawn } from "node:child_process";
import { residentBytes } from "../src/sidecar/Launcher";
import { record } from "./report";
import { withPlugin, USER_NOTE } from "./harness";

const IDLE_MS = 10_000;
const mb = (b: number): string => `${(b / 1024 / 1024).toFixed(1)} MB`;

export async function b8(): Promise<void> {
  // Baseline: `node -e 'setInterval(()=>{},1000)'`, idle for the same time.
  const bare = spawn(process.execPath, ["-e", "setInterval(()=>{},1000)"], { stdio: "ignore" });
  await new Promise((r) => setTimeout(r, IDLE_MS));
  const base = residentBytes(bare.pid ?? 0);
  bare.kill();
  if (base === null) throw new Error("resident memory cannot be read on this system (/proc)");
  record({ id: "B8", what: "baseline: bare idle node (setInterval) after 10 s", value: mb(base), budget: "", pass: null });
  await withPlugin({ runtime: "node", demoCount: 3, demoIntervalMs: 10 }, USER_NOTE, async (plugin, root) => {
    // One call, so the sidecar has served the four patterns' code once; then it idles.
    root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (plugin.sessions.running().length === 0 && plugin.launcher.status().state === "ready") {
          clearInterval(poll);
          resolve();
        }
      }, 20);
    });
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const rss = plugin.launcher.status().rssBytes;
    if (rss === null) throw new Error("the sidecar's resident memory is not known");
    const ratio = rss / base;
    record({ id: "B8", what: "idle sidecar (node runtime) after one call and 10 s", value: `${mb(rss)}; ${ratio.toFixed(2)}× baseline`, budget: "≤ 1.5× baseline", pass: ratio <= 1.5 });
  });
}
