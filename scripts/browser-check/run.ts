/**
 * The real-browser check (issue 7): records the four demo calls against the sidecar, renders
 * their transcripts and diagrams into a standalone page with styles.css and a stand-in for
 * Obsidian's theme variables, opens it in Debian's Chromium (headless, through playwright-core),
 * saves screenshots of both themes (to scripts/browser-check/.out/, or with --screenshots to docs/
 * for the README), and checks overflow, contrast, arrow counts and that every row shows its message.
 * Prints a JSON report; exits 1 when a check fails.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { chromium } from "playwright-core";
import { METHOD_KINDS } from "../../src/core/spec/MethodKind";
import { demoSpec } from "../../src/core/spec/demoSpec";
import { runSpec } from "../../src/core/run/startRun";
import { ClientPool } from "../../src/call/ClientPool";
import { startCall } from "../../src/call/startCall";
import { createRunHost } from "../../src/call/createRunHost";
import { fileRegistryOf } from "../../src/schema/fileRegistryOf";
import { CallSession } from "../../src/obsidian/CallSession";
import { Launcher } from "../../src/sidecar/Launcher";
import { SIDECAR_FILES } from "../../src/sidecar/sidecarFiles";
import { TOKEN_HEADER } from "../../src/sidecar/handshake";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "sidecar:bundle";

const ROOT = process.cwd();
const LABELS: Record<string, string> = {
  unary: "Simple RPC",
  server_streaming: "Server-Streaming RPC",
  client_streaming: "Client-Streaming RPC",
  bidi_streaming: "Bidirectional Streaming RPC",
};

async function record(): Promise<Array<{ pattern: string; transcript: unknown }>> {
  const launcher = new Launcher({ runtime: "obsidian", program: { dir: join(tmpdir(), "grpc-callouts-browser-check"), source: SIDECAR_SOURCE, hash: SIDECAR_HASH } });
  const pool = new ClientPool();
  const host = createRunHost({ sidecar: () => launcher.start(), sidecarFiles: fileRegistryOf(...SIDECAR_FILES), tokenHeader: TOKEN_HEADER, pool, readFile: () => Promise.reject(new Error("none")) });
  const out: Array<{ pattern: string; transcript: unknown }> = [];
  try {
    for (const kind of METHOD_KINDS) {
      const session = new CallSession(kind, "Patterns.md", LABELS[kind] ?? kind);
      const t = await session.run(runSpec(demoSpec(kind, { count: 4, intervalMs: 40 }), "Patterns.md", { call: (spec) => startCall(spec, host), confirm: () => Promise.resolve(true), now: () => performance.now() }), 500);
      out.push({ pattern: kind, transcript: JSON.parse(JSON.stringify(t)) as unknown });
    }
  } finally {
    pool.close();
    await launcher.stop();
  }
  // A reply with a long string and nesting, to see it wrap inside its column under a hanging indent.
  const long = JSON.parse(JSON.stringify(out[0]?.transcript)) as { label: string; rows: Array<{ direction: string; json: unknown }> };
  long.label = "A long answer";
  const reply = long.rows.find((r) => r.direction === "received");
  if (reply !== undefined) {
    reply.json = { answer: "The server's answer runs on well past the width of the pane, so that it has to wrap inside the JSON column, under its own start, and never back under the time column. ".repeat(2), nested: { list: [{ id: 1, ok: true, note: null }] } };
  }
  out.push({ pattern: "long_value", transcript: long });
  return out;
}

/** Runs in the page: WCAG contrast of every text against its effective background, overflow, and arrow counts. */
function inspect(): unknown {
  const parse = (c: string): [number, number, number, number] => {
    // color-mix() computes to color(srgb r g b / a), with channels from 0 to 1.
    const srgb = /color\(srgb ([^)]+)\)/.exec(c);
    if (srgb !== null) {
      const p = (srgb[1] ?? "").split(/[ /]+/).filter(Boolean).map(Number);
      return [(p[0] ?? 0) * 255, (p[1] ?? 0) * 255, (p[2] ?? 0) * 255, p[3] ?? 1];
    }
    const m = /rgba?\(([^)]+)\)/.exec(c);
    if (m === null) return [0, 0, 0, 0];
    const p = (m[1] ?? "").split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 1];
  };
  const over = (top: number[], bottom: number[]): number[] => {
    const a = top[3] ?? 1;
    return [0, 1, 2].map((i) => (top[i] ?? 0) * a + (bottom[i] ?? 0) * (1 - a)).concat(1);
  };
  const background = (el: Element | null): number[] => {
    const chain: number[][] = [];
    for (let e = el; e !== null; e = e.parentElement) {
      const c = parse(getComputedStyle(e).backgroundColor);
      if (c[3] > 0) chain.push(c);
      if (c[3] >= 1) break;
    }
    let bg = [255, 255, 255, 1];
    for (const c of chain.reverse()) bg = over(c, bg);
    return bg;
  };
  const lum = (c: number[]): number => {
    const f = (v: number): number => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c[0] ?? 0) + 0.7152 * f(c[1] ?? 0) + 0.0722 * f(c[2] ?? 0);
  };
  const ratio = (a: number[], b: number[]): number => {
    const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
    return (l1 + 0.05) / (l2 + 0.05);
  };
  const failures: string[] = [];
  let checked = 0;
  for (const el of Array.from(document.querySelectorAll("#root *"))) {
    const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && (n.textContent ?? "").trim() !== "");
    // An SVG <title> is a tooltip and a text alternative, not drawn text.
    if (!own || (el instanceof SVGElement && el.tagName.toLowerCase() === "title")) continue;
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const isSvgText = el instanceof SVGElement;
    const fg = over(parse(isSvgText ? style.fill : style.color), background(isSvgText ? el.closest("div") : el));
    const r = ratio(fg, background(isSvgText ? el.closest("div") : el));
    checked++;
    if (r < 4.5) failures.push(`${el.tagName.toLowerCase()}.${String(el.getAttribute("class"))} "${(el.textContent ?? "").trim().slice(0, 30)}": ${r.toFixed(2)}`);
  }
  const overflow = Array.from(document.querySelectorAll(".pattern, .grpc-callouts-transcript, .grpc-callouts-diagram"))
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => String(e.getAttribute("class")));
  if (document.documentElement.scrollWidth > document.documentElement.clientWidth + 1) overflow.push("document");
  // JSON in more than one colour.
  const jsonColours = new Set(
    Array.from(document.querySelectorAll(".grpc-callouts-message [class^='grpc-callouts-json-']:not(.grpc-callouts-json-line)")).map((e) => getComputedStyle(e).color),
  ).size;
  // The long string wraps inside the JSON column: after the time column, within the message, each wrapped line indented.
  const longPre = document.querySelector('.pattern[data-pattern="long_value"] .grpc-callouts-message[data-direction="received"]');
  const longest = Array.from(longPre?.querySelectorAll(".grpc-callouts-json-string") ?? []).sort((a, b) => (b.textContent ?? "").length - (a.textContent ?? "").length)[0];
  const preBox = longPre?.getBoundingClientRect();
  const timeBox = longPre?.parentElement?.querySelector(".grpc-callouts-time")?.getBoundingClientRect();
  const rects = Array.from(longest?.getClientRects() ?? []);
  const wrap =
    preBox === undefined || timeBox === undefined
      ? { lines: 0, insideColumn: false, afterTime: false, hanging: false }
      : {
          lines: rects.length,
          // A space at the end of a wrapped line may hang past the edge (pre-wrap), by less than 1ch.
          insideColumn: rects.every((r) => r.left >= preBox.left - 0.5 && r.right <= preBox.right + 8),
          afterTime: preBox.left >= timeBox.right - 0.5,
          hanging: rects.slice(1).every((r) => r.left >= preBox.left + 8),
        };
  // Each header is one line: the chip and the summary side by side, the summary one line high.
  const headers = Array.from(document.querySelectorAll(".grpc-callouts-toolbar")).map((bar) => {
    const chip = bar.querySelector(".grpc-callouts-chip")?.getBoundingClientRect();
    const summary = bar.querySelector(".grpc-callouts-summary");
    const box = summary?.getBoundingClientRect();
    const lineHeight = parseFloat(summary === null || summary === undefined ? "0" : getComputedStyle(summary).lineHeight) || 16;
    return chip !== undefined && box !== undefined && Math.abs(chip.top + chip.height / 2 - (box.top + box.height / 2)) < 4 && box.height <= lineHeight * 1.5;
  });
  const oneLineHeaders = headers.every(Boolean) && headers.length > 0;
  const arrows: Record<string, { sent: number; received: number }> = {};
  for (const p of Array.from(document.querySelectorAll(".pattern"))) {
    arrows[p.getAttribute("data-pattern") ?? "?"] = {
      sent: p.querySelectorAll('.grpc-callouts-diagram g.grpc-callouts-arrow[data-direction="sent"]').length,
      received: p.querySelectorAll('.grpc-callouts-diagram g.grpc-callouts-arrow[data-direction="received"]').length,
    };
  }
  // Every message row shows its message as a JSON object.
  const emptyMessages = Array.from(document.querySelectorAll(".grpc-callouts-message"))
    .map((e) => (e.textContent ?? "").trim())
    .filter((text) => !text.startsWith("{"));
  return { checked, failures, overflow, arrows, emptyMessages, jsonColours, wrap, oneLineHeaders };
}

/** What `inspect` reports for one page. */
interface Report {
  checked: number;
  failures: string[];
  overflow: string[];
  arrows: Record<string, { sent: number; received: number }>;
  emptyMessages: string[];
  jsonColours: number;
  wrap: { lines: number; insideColumn: boolean; afterTime: boolean; hanging: boolean };
  oneLineHeaders: boolean;
}

async function main(): Promise<void> {
  const transcripts = await record();
  const pageJs = readFileSync(join(ROOT, "scripts/browser-check/.out/page.js"), "utf8");
  const css = readFileSync(join(ROOT, "styles.css"), "utf8") + readFileSync(join(ROOT, "scripts/browser-check/theme.css"), "utf8");
  // The README's screenshots are rewritten only when asked for: a test run leaves the work tree alone.
  const out = join(ROOT, "scripts/browser-check/.out");
  const shots = process.argv.includes("--screenshots") ? join(ROOT, "docs") : out;
  mkdirSync(out, { recursive: true });
  mkdirSync(shots, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic"],
  });
  const report: Record<string, unknown> = {};
  let ok = true;
  try {
    // Obsidian's default theme and Minimal's variables, light and dark, in a 700 px pane and a 400 px one.
    const themes = [
      { name: "light", body: "theme-light" },
      { name: "dark", body: "theme-dark" },
      { name: "minimal-light", body: "theme-light minimal" },
      { name: "minimal-dark", body: "theme-dark minimal" },
    ];
    for (const theme of themes) {
      const html = `<!doctype html><html><head><meta charset="utf-8"><title>gRPC Callouts, ${theme.name}</title><style>${css}</style></head>
<body class="${theme.body}"><div id="root" class="markdown-rendered"></div>
<script>window.__TRANSCRIPTS__ = ${JSON.stringify(transcripts).replace(/</g, "\\u003c")};</script><script>${pageJs}</script></body></html>`;
      const file = join(out, `browser-check-${theme.name}.html`);
      writeFileSync(file, html);
      for (const width of [700, 400]) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.goto(`file://${file}`);
        await page.waitForSelector("body[data-ready=yes]");
        await page.screenshot({ path: join(width === 700 && !theme.name.startsWith("minimal") ? shots : out, `screenshot-${theme.name}${width === 700 ? "" : `-${width}`}.png`), fullPage: true });
        const result = (await page.evaluate(inspect)) as Report;
        report[`${theme.name}@${width}`] = result;
        const expected = { unary: { sent: 1, received: 1 }, server_streaming: { sent: 1, received: 4 }, client_streaming: { sent: 4, received: 1 }, bidi_streaming: { sent: 4, received: 6 }, long_value: { sent: 1, received: 1 } };
        const wrapOk = result.wrap.lines > 1 && result.wrap.insideColumn && result.wrap.afterTime && result.wrap.hanging;
        if (result.failures.length > 0 || result.overflow.length > 0 || result.emptyMessages.length > 0 || JSON.stringify(result.arrows) !== JSON.stringify(expected) || result.checked < 20 || result.jsonColours < 2 || !wrapOk || !result.oneLineHeaders) ok = false;
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`${JSON.stringify({ ok, ...report }, null, 2)}\n`);
  process.exitCode = ok ? 0 : 1;
}

void main();
