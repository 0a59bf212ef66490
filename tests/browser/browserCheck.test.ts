// The real-browser check: the four transcripts and diagrams from a real run, in Debian's Chromium,
// in both themes at a 700 px pane: no horizontal overflow, every text at 4.5:1 contrast or better,
// and the diagram of each pattern with the expected arrows; every row shows its message.
// Screenshots go to scripts/browser-check/.out/ (`npm run screenshots` writes the README's).
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

test("the transcripts and diagrams pass the browser check in light and dark themes", () => {
  expect(existsSync("/usr/bin/chromium")).toBe(true); // npm test installs Debian's chromium first (scripts/system-packages.cjs)
  const r = spawnSync(process.execPath, ["scripts/browser-check.mjs"], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  const report = JSON.parse(r.stdout) as {
    ok: boolean;
    light: { checked: number; failures: string[]; overflow: string[]; arrows: Record<string, { sent: number; received: number }>; emptyMessages: string[] };
    dark: { checked: number; failures: string[]; overflow: string[]; emptyMessages: string[] };
  };
  expect(report.light.failures).toEqual([]);
  expect(report.dark.failures).toEqual([]);
  expect(report.light.overflow).toEqual([]);
  expect(report.dark.overflow).toEqual([]);
  expect(report.light.emptyMessages).toEqual([]);
  expect(report.dark.emptyMessages).toEqual([]);
  expect(report.light.checked).toBeGreaterThan(50);
  expect(report.light.arrows).toEqual({
    unary: { sent: 1, received: 1 },
    server_streaming: { sent: 1, received: 4 },
    client_streaming: { sent: 4, received: 1 },
    bidi_streaming: { sent: 4, received: 6 },
  });
  expect(report.ok).toBe(true);
  expect(r.status).toBe(0);
  for (const theme of ["light", "dark"]) expect(statSync(join(ROOT, "scripts/browser-check/.out", `screenshot-${theme}.png`)).size).toBeGreaterThan(10_000);
}, 200_000);
