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
  return out;
}

/** Runs in the page: WCAG contrast of every text against its effective background, overflow, and arrow counts. */
function inspect(): unknown {
  const parse = (c: string): [number, number, number, number] => {
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
  return { checked, failures, overflow, arrows, emptyMessages };
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
    for (const theme of ["light", "dark"]) {
      const html = `<!doctype html><html><head><meta charset="utf-8"><title>gRPC Callouts, ${theme}</title><style>${css}</style></head>
<body class="theme-${theme}"><div id="root" class="markdown-rendered"></div>
<script>window.__TRANSCRIPTS__ = ${JSON.stringify(transcripts).replace(/</g, "\\u003c")};</script><script>${pageJs}</script></body></html>`;
      const file = join(out, `browser-check-${theme}.html`);
      writeFileSync(file, html);
      const page = await browser.newPage({ viewport: { width: 700, height: 900 } });
      await page.goto(`file://${file}`);
      await page.waitForSelector("body[data-ready=yes]");
      await page.screenshot({ path: join(shots, `screenshot-${theme}.png`), fullPage: true });
      const result = (await page.evaluate(inspect)) as { checked: number; failures: string[]; overflow: string[]; arrows: Record<string, { sent: number; received: number }>; emptyMessages: string[] };
      report[theme] = result;
      const expected = { unary: { sent: 1, received: 1 }, server_streaming: { sent: 1, received: 4 }, client_streaming: { sent: 4, received: 1 }, bidi_streaming: { sent: 4, received: 6 } };
      if (result.failures.length > 0 || result.overflow.length > 0 || result.emptyMessages.length > 0 || JSON.stringify(result.arrows) !== JSON.stringify(expected) || result.checked < 20) ok = false;
      await page.close();
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(`${JSON.stringify({ ok, ...report }, null, 2)}\n`);
  process.exitCode = ok ? 0 : 1;
}

void main();
