/**
 * `npm run screenshots`, part two: the example pattern note in context. The real plugin renders the
 * note in the mock host (jsdom), against the real sidecar; the DOM it makes is taken at each moment
 * (Run buttons, a drawn diagram for each missing image, one callout folded and one running, the
 * diagram view) and laid out by Debian's Chromium with styles.css and the theme stand-in, light and
 * dark. A server stream is taken every 100 ms while it arrives, and its frames become docs/stream.gif
 * (ImageMagick). Writes docs/note-*.png, docs/running-*.png (the live diagram), docs/messages-*.png and docs/stream.gif.
 */
import "../../bench/dom";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser } from "playwright-core";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { createApp, loadPlugin, mockOf, renderNote } from "../../tests/support/host";

const ROOT = process.cwd();
const DOCS = join(ROOT, "docs");
const FRAMES = join(ROOT, "scripts/browser-check/.out/frames");
const NOTE = readFileSync(join(ROOT, "examples/vault/gRPC patterns.md"), "utf8");
const CSS = readFileSync(join(ROOT, "styles.css"), "utf8") + readFileSync(join(ROOT, "scripts/browser-check/theme.css"), "utf8");
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Takes the note's DOM as it is now (our DOM is text and attributes only, so it serializes as made). */
const snapshot = (root: HTMLElement): string => root.outerHTML;

async function shoot(browser: Browser, html: string, theme: "light" | "dark", file: string, width = 700): Promise<void> {
  const page = await browser.newPage({ viewport: { width, height: 600 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body class="theme-${theme}">${html}</body></html>`);
  await page.screenshot({ path: file, fullPage: true });
  await page.close();
}

async function main(): Promise<void> {
  mkdirSync(DOCS, { recursive: true });
  rmSync(FRAMES, { recursive: true, force: true });
  mkdirSync(FRAMES, { recursive: true });
  const env = createApp({ "gRPC patterns.md": NOTE });
  await env.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ runtime: "node", demoCount: 12, demoIntervalMs: 120 }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, env.app);
  const note = await renderNote(env.app, plugin, "gRPC patterns.md");
  const callouts = Array.from(note.root.querySelectorAll<HTMLElement>(".callout"));
  const shots: Array<{ name: string; html: string }> = [];
  // Opened: the first two callouts, with their drawn diagrams; the others stay folded.
  for (const c of callouts.slice(0, 2)) c.querySelector<HTMLElement>(".callout-title")?.click();
  await sleep(100);
  shots.push({ name: "note", html: snapshot(note.root) });
  // A server stream arriving, a frame every 100 ms.
  const feed = callouts[1] as HTMLElement;
  feed.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  const frames: string[] = [];
  const t0 = Date.now();
  while (Date.now() - t0 < 20_000) {
    await sleep(100);
    frames.push(feed.outerHTML);
    if (feed.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state") === "done") break;
  }
  for (let i = 0; i < 5; i++) frames.push(feed.outerHTML);
  shots.push({ name: "running", html: frames[Math.floor(frames.length / 2)] ?? "" });
  // The finished stream as messages (the live diagram was shown while it ran).
  feed.querySelector<HTMLButtonElement>("button.grpc-callouts-toggle-view")?.click();
  await sleep(100);
  shots.push({ name: "messages", html: feed.outerHTML });
  note.close();
  mockOf(plugin).unload();
  await (plugin as unknown as { stopped: Promise<void> }).stopped;

  const browser = await chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    for (const theme of ["light", "dark"] as const) {
      for (const s of shots) await shoot(browser, `<div class="markdown-rendered">${s.html}</div>`, theme, join(DOCS, `${s.name}-${theme}.png`));
    }
    const files: string[] = [];
    for (const [i, html] of frames.entries()) {
      const file = join(FRAMES, `frame-${String(i).padStart(3, "0")}.png`);
      await shoot(browser, `<div class="markdown-rendered">${html}</div>`, "light", file, 620);
      files.push(file);
    }
    // Every frame the height of the tallest, so the picture does not jump; then one GIF, looping.
    const gif = join(DOCS, "stream.gif");
    execFileSync("convert", ["-delay", "10", "-loop", "0", "-background", "white", ...files, "-gravity", "north", "-extent", `620x${tallest(files)}`, "-layers", "Optimize", "-colors", "64", gif]);
    const size = statSync(gif).size;
    writeFileSync(join(ROOT, "scripts/browser-check/.out/screenshots.json"), JSON.stringify({ frames: files.length, gifBytes: size, shots: shots.map((s) => s.name) }, null, 2));
    process.stdout.write(`${files.length} frames; docs/stream.gif is ${(size / 1024).toFixed(0)} KB\n`);
    if (size > 2 * 1024 * 1024) throw new Error("docs/stream.gif is over 2 MB");
  } finally {
    await browser.close();
  }
}

/** The height in pixels of the tallest PNG (from its header). */
function tallest(files: string[]): number {
  return Math.max(...files.map((f) => readFileSync(f).readUInt32BE(20)));
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
