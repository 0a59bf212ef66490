/** B3 in Chromium: the same view rendering a flood in Debian's Chromium. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FloodResult } from "./chromiumFlood";
import { notes, stats, fmt, record } from "./report";
import { FLOOD, ROOT } from "./harness";
import { FLOOD_RUNS } from "./b3Flood";

/** Headless Chromium's flags, as the browser check uses them. */
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/**
 * B3 in Chromium, the engine Obsidian renders with: the same TranscriptView, styled by
 * styles.css, renders floods of 100,000 message events arriving at 50,000 a second.
 * It measures the view's render batches, and the gaps between animation frames, which
 * include the style, layout and paint that jsdom does not do.
 */
export async function b3Chromium(): Promise<void> {
  const executablePath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
  if (!existsSync(executablePath)) {
    record({ id: "B3", what: "in Chromium: longest single render batch (per run)", value: `skipped: no Chromium at ${executablePath}`, budget: "≤ 8 ms", pass: null });
    return;
  }
  const { chromium } = await import("playwright-core");
  const css = readFileSync(join(ROOT, "styles.css"), "utf8") + readFileSync(join(ROOT, "scripts/browser-check/theme.css"), "utf8");
  const js = readFileSync(join(ROOT, "bench/.out/chromiumFlood.js"), "utf8");
  const file = join(ROOT, "bench/.out/chromiumFlood.html");
  writeFileSync(file, `<!doctype html><html><head><meta charset="utf-8"><style>${css}</style></head><body class="theme-light"><div id="root" class="markdown-rendered"></div><script>${js}</script></body></html>`);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const longestPerRun: number[] = [];
  const batches: number[] = [];
  const layouts: number[] = [];
  const gaps: number[] = [];
  const baseGaps: number[] = [];
  const rates: number[] = [];
  let rowsOk = true;
  try {
    const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
    await page.goto(`file://${file}`);
    await page.waitForSelector("body[data-ready=yes]");
    const flood = (render: boolean): Promise<FloodResult> =>
      page.evaluate(([count, maxRows, r]) => (window as unknown as { flood: (c: number, m: number, r: boolean) => Promise<FloodResult> }).flood(count, maxRows, r), [FLOOD, 500, render] as const);
    for (let i = 0; i < FLOOD_RUNS; i++) {
      baseGaps.push(...(await flood(false)).frameGaps);
      const r = await flood(true);
      longestPerRun.push(Math.max(0, ...r.batches));
      batches.push(...r.batches);
      layouts.push(...r.layoutMs);
      gaps.push(...r.frameGaps);
      rates.push(FLOOD / (r.ms / 1000));
      if (r.rows !== 500) rowsOk = false;
    }
  } finally {
    await browser.close();
  }
  const sorted = (xs: number[]): number[] => [...xs].sort((x, y) => x - y);
  const q = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;
  const [b, l, g, g0] = [sorted(batches), sorted(layouts), sorted(gaps), sorted(baseGaps)];
  const late = (xs: number[]): string => `${((100 * xs.filter((x) => x > 20).length) / Math.max(1, xs.length)).toFixed(1)}%`;
  record({ id: "B3", what: "in Chromium: longest single render batch (per run)", value: `${fmt(longestPerRun)} over ${FLOOD_RUNS} runs`, budget: "≤ 8 ms", pass: stats(longestPerRun).median <= 8 && rowsOk });
  record({
    id: "B3",
    what: "in Chromium: frames later than one vsync during a flood",
    value: `${late(gaps)} with the view, ${late(baseGaps)} without it (baseline); longest gap ${(g.at(-1) ?? 0).toFixed(1)} ms vs ${(g0.at(-1) ?? 0).toFixed(1)} ms`,
    budget: "",
    pass: null,
  });
  notes.push(
    `B3 in Chromium ${browser.version()}: ${stats(rates).median.toFixed(0)} messages a second into the view; render batches median ${q(b, 0.5).toFixed(1)} ms, p99 ${q(b, 0.99).toFixed(1)} ms, longest ${(b.at(-1) ?? 0).toFixed(1)} ms; style and layout after a batch median ${q(l, 0.5).toFixed(1)} ms, p90 ${q(l, 0.9).toFixed(1)} ms, longest ${(l.at(-1) ?? 0).toFixed(1)} ms; frame gaps (style, layout and paint included) median ${q(g, 0.5).toFixed(1)} ms, p99 ${q(g, 0.99).toFixed(1)} ms; ${rowsOk ? "500 rows at the end of each run" : "WRONG row count at the end of a run"}.`,
  );
}
