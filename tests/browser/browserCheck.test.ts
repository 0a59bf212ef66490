// The real-browser check: the four transcripts and diagrams from a real run, inside Obsidian's callout
// markup on the summary callout's tint, in Debian's Chromium, in Obsidian's default theme and Minimal's,
// light and dark, at 700 px and 400 px: no horizontal overflow, every text at 4.5:1 contrast or better,
// JSON in more than one colour, a long string wrapped inside its column with a hanging indent, each
// header on one line, and the diagram of each pattern with the expected arrows.
// Screenshots go to scripts/browser-check/.out/ (`npm run screenshots` writes the README's).
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(__dirname, "../..");

test("the transcripts and diagrams pass the browser check in light and dark themes", () => {
  expect(existsSync("/usr/bin/chromium")).toBe(true); // npm test installs Debian's chromium first (scripts/system-packages.cjs)
  const r = spawnSync(process.execPath, ["scripts/browser-check.mjs"], { cwd: ROOT, encoding: "utf8", timeout: 180_000 });
  type Page = { checked: number; failures: string[]; overflow: string[]; arrows: Record<string, { sent: number; received: number }>; emptyMessages: string[]; jsonColours: number; wrap: { lines: number; insideColumn: boolean; afterTime: boolean; hanging: boolean }; oneLineHeaders: boolean };
  const report = JSON.parse(r.stdout) as { ok: boolean } & Record<string, Page>;
  // Obsidian's default theme and Minimal's variables, light and dark, at 700 px and at 400 px.
  for (const theme of ["light", "dark", "minimal-light", "minimal-dark"]) {
    for (const width of [700, 400]) {
      const page = report[`${theme}@${width}`] as Page;
      expect([theme, width, page.failures]).toEqual([theme, width, []]);
      expect([theme, width, page.overflow]).toEqual([theme, width, []]);
      expect(page.emptyMessages).toEqual([]);
      expect(page.checked).toBeGreaterThan(50);
      expect(page.jsonColours).toBeGreaterThan(1);
      expect([theme, width, page.wrap]).toEqual([theme, width, { lines: expect.any(Number), insideColumn: true, afterTime: true, hanging: true }]);
      expect(page.wrap.lines).toBeGreaterThan(1);
      expect([theme, width, page.oneLineHeaders]).toEqual([theme, width, true]);
      expect(page.arrows).toEqual({
        unary: { sent: 1, received: 1 },
        server_streaming: { sent: 1, received: 4 },
        client_streaming: { sent: 4, received: 1 },
        bidi_streaming: { sent: 4, received: 6 },
        long_value: { sent: 1, received: 1 },
      });
    }
  }
  expect(report.ok).toBe(true);
  expect(r.status).toBe(0);
  for (const theme of ["light", "dark"]) expect(statSync(join(ROOT, "scripts/browser-check/.out", `screenshot-${theme}.png`)).size).toBeGreaterThan(10_000);
}, 200_000);
