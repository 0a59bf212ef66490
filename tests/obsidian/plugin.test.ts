/**
 * @jest-environment jsdom
 */
// The plugin in the mock host: the user's four callouts rendered as Obsidian renders them,
// Run clicked, and the transcripts checked against the real sidecar.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openedModals, shownNotices } from "../__mocks__/obsidian";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { DEFAULT_SETTINGS } from "../../src/obsidian/settings";
import { alive } from "../support/sidecar";
import { createApp, loadPlugin, mockOf, renderNote, until, type RenderedNote } from "../support/host";

const USER_NOTE = readFileSync(join(__dirname, "../fixtures/user-note.md"), "utf8");

/** Unloads as Obsidian does, then waits for the sidecar to be stopped. */
async function unload(plugin: GrpcCalloutsPlugin): Promise<void> {
  mockOf(plugin).unload();
  await plugin.stopped;
}

const state = (el: Element | null) => el?.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state");
const msgs = (el: Element, dir: "sent" | "received") => el.querySelectorAll(`.grpc-callouts-message[data-direction="${dir}"]`).length;

async function setup(settings: Partial<typeof DEFAULT_SETTINGS> = {}) {
  const { app, vault, root } = createApp({ "Notes/gRPC.md": USER_NOTE });
  // These tests are about the message list: transcripts open as it, even where a drawn diagram
  // stands in for a missing image (tests/obsidian/drawnDiagrams.test.ts covers that).
  await vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ liveDiagramReplacesDrawn: false, ...settings }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
  return { app, vault, root, plugin };
}

function callouts(note: RenderedNote): HTMLElement[] {
  return Array.from(note.root.querySelectorAll<HTMLElement>(".callout"));
}

describe("Run buttons on the user's four callouts", () => {
  let env: Awaited<ReturnType<typeof setup>>;
  let note: RenderedNote;
  beforeAll(async () => {
    env = await setup({ demoCount: 4, demoIntervalMs: 80 });
    note = await renderNote(env.app, env.plugin, "Notes/gRPC.md");
  });
  afterAll(async () => {
    note.close();
    await unload(env.plugin);
  });

  test("loading starts no sidecar; each pattern callout gets one Run button in its title bar", () => {
    expect(env.plugin.launcher.status().state).toBe("off");
    const buttons = Array.from(note.root.querySelectorAll<HTMLButtonElement>("button.grpc-callouts-run"));
    expect(buttons.map((b) => b.getAttribute("aria-label"))).toEqual([
      "Run Simple RPC",
      "Run Server-Streaming RPC",
      "Run Client-Streaming RPC",
      "Run Bidirectional Streaming RPC",
    ]);
    for (const b of buttons) {
      expect(b.parentElement?.classList.contains("callout-title")).toBe(true);
      expect(b.nextElementSibling?.classList.contains("callout-fold")).toBe(true);
    }
    expect(callouts(note).every((c) => c.classList.contains("is-collapsed"))).toBe(true);
  });

  test("unary: 1 sent, 1 received, OK; running the folded callout unfolds it once", async () => {
    const c = callouts(note)[0] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    expect(c.classList.contains("is-collapsed")).toBe(false);
    expect(c.querySelector<HTMLElement>(".callout-content")?.style.display).not.toBe("none");
    await until(() => state(c) === "done", 15_000, "unary done");
    expect(msgs(c, "sent")).toBe(1);
    expect(msgs(c, "received")).toBe(1);
    expect(c.querySelector(".grpc-callouts-status")?.getAttribute("data-code")).toBe("OK");
    const received = c.querySelector('.grpc-callouts-message[data-direction="received"]')?.textContent ?? "";
    expect(JSON.parse(received)).toMatchObject({ answer: expect.stringContaining("What time is it") as string });
    expect(c.querySelector(".grpc-callouts-transcript")?.parentElement?.classList.contains("callout-content")).toBe(true);
    // Clicking Run again on the now open callout does not fold it.
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    expect(c.classList.contains("is-collapsed")).toBe(false);
    await until(() => env.plugin.sessions.running().length === 0);
  });

  test("server streaming: 1 sent, N received, arriving over time", async () => {
    const c = callouts(note)[1] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    const seen = new Set<number>();
    while (state(c) !== "done") {
      seen.add(msgs(c, "received"));
      await new Promise((r) => setTimeout(r, 15));
    }
    expect(msgs(c, "sent")).toBe(1);
    expect(msgs(c, "received")).toBe(4);
    // The rows grew one by one rather than appearing at once.
    expect([1, 2, 3].filter((n) => seen.has(n)).length).toBeGreaterThanOrEqual(2);
    const times = Array.from(c.querySelectorAll(".grpc-callouts-time")).map((e) => e.textContent);
    expect(times.every((t) => /^\+\d+ ms$/.test(t ?? ""))).toBe(true);
  });

  test("client streaming: N sent, 1 received", async () => {
    const c = callouts(note)[2] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(c) === "done");
    expect(msgs(c, "sent")).toBe(4);
    expect(msgs(c, "received")).toBe(1);
  });

  test("bidi: messages interleave in both directions", async () => {
    const c = callouts(note)[3] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(c) === "done");
    const dirs = Array.from(c.querySelectorAll(".grpc-callouts-message")).map((e) => e.getAttribute("data-direction"));
    expect(dirs.filter((d) => d === "sent")).toHaveLength(4);
    expect(dirs.filter((d) => d === "received")).toHaveLength(6);
    expect(dirs.indexOf("received")).toBeLessThan(dirs.lastIndexOf("sent"));
  });

  test("Cancel gives CANCELLED and the server sees the cancel", async () => {
    env.plugin.settings.demoCount = 500;
    env.plugin.settings.demoIntervalMs = 30;
    const c = callouts(note)[1] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(c) === "running" && msgs(c, "received") >= 2, 10_000, "two messages");
    const cancel = c.querySelector<HTMLButtonElement>(".grpc-callouts-cancel");
    expect(cancel?.classList.contains("grpc-callouts-hidden")).toBe(false);
    cancel?.click();
    await until(() => state(c) === "cancelled", 5_000, "cancelled");
    expect(c.querySelector(".grpc-callouts-status")?.getAttribute("data-code")).toBe("CANCELLED");
    await until(() => env.plugin.launcher.status().log.some((l) => /Feed cancelled by the client/.test(l)), 3_000, "server log");
    env.plugin.settings.demoCount = 4;
    env.plugin.settings.demoIntervalMs = 80;
  });

  test("a transcript survives a re-render of its note until cleared", async () => {
    note.close();
    note = await renderNote(env.app, env.plugin, "Notes/gRPC.md");
    const c = callouts(note)[2] as HTMLElement;
    expect(state(c)).toBe("done");
    // Rows are filled in over a few frames, newest first.
    await until(() => msgs(c, "sent") === 4);
    c.querySelector<HTMLButtonElement>(".grpc-callouts-clear")?.click();
    await until(() => c.querySelector(".grpc-callouts-transcript")?.classList.contains("grpc-callouts-hidden") === true);
    note.close();
    note = await renderNote(env.app, env.plugin, "Notes/gRPC.md");
    expect(callouts(note)[2]?.querySelector(".grpc-callouts-transcript")).toBeNull();
  });

  test("re-rendering the section mid-stream keeps the call, and the new rendering shows it to the end", async () => {
    env.plugin.settings.demoCount = 25;
    env.plugin.settings.demoIntervalMs = 20;
    const c = callouts(note)[1] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(c) === "running" && msgs(c, "received") >= 3, 10_000);
    note.close();
    note = await renderNote(env.app, env.plugin, "Notes/gRPC.md");
    const again = callouts(note)[1] as HTMLElement;
    await until(() => state(again) === "done", 10_000, "done in the new rendering");
    expect(msgs(again, "received")).toBe(25);
    expect(again.querySelector(".grpc-callouts-status")?.getAttribute("data-code")).toBe("OK");
    env.plugin.settings.demoCount = 4;
    env.plugin.settings.demoIntervalMs = 80;
  });

  test("the diagram view draws the exchange; the choice is remembered", async () => {
    const c = callouts(note)[3] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(c) === "done");
    const toggle = c.querySelector<HTMLButtonElement>(".grpc-callouts-toggle-view")!;
    expect(toggle.textContent).toBe("Diagram");
    toggle.click();
    expect(toggle.getAttribute("aria-pressed")).toBe("true");
    await until(() => env.plugin.settings.transcriptView === "diagram");
    const arrows = (dir: string) => c.querySelectorAll(`.grpc-callouts-transcript .grpc-callouts-diagram svg g.grpc-callouts-arrow[data-direction="${dir}"]`).length;
    expect([arrows("sent"), arrows("received")]).toEqual([4, 6]);
    const first = c.querySelector(".grpc-callouts-transcript .grpc-callouts-diagram g.grpc-callouts-arrow");
    expect(first?.getAttribute("tabindex")).toBe("0");
    expect(first?.getAttribute("aria-label")).toMatch(/^Client sent message 1 at \+\d+ ms: \{"text":"message 1"/);
    expect(c.querySelector('.grpc-callouts-transcript .grpc-callouts-diagram g[data-marker="status"]')?.textContent).toContain("OK");
    expect(c.querySelector(".grpc-callouts-messages")?.classList.contains("grpc-callouts-hidden")).toBe(true);
    toggle.click();
    await until(() => env.plugin.settings.transcriptView === "messages");
  });

  test("Copy as Markdown puts the transcript on the clipboard", async () => {
    const c = callouts(note)[0] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(c) === "done");
    c.querySelector<HTMLButtonElement>(".grpc-callouts-copy")?.click();
    const copied = (navigator.clipboard as unknown as { copied: string[] }).copied;
    await until(() => copied.length > 0);
    expect(copied.at(-1)).toMatch(/^\*\*grpccallouts\.demo\.v1\.PatternService\/Ask\*\* → sidecar: OK/);
  });
});

describe("without section info", () => {
  test("the Run buttons still find their callouts by title", async () => {
    const env = await setup({ demoCount: 2, demoIntervalMs: 10 });
    const note = await renderNote(env.app, env.plugin, "Notes/gRPC.md", { noSectionInfo: true });
    const c = callouts(note)[1] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(c) === "done");
    expect(msgs(c, "received")).toBe(2);
    note.close();
    await unload(env.plugin);
  });
});

describe("rendering under load", () => {
  test("the DOM keeps at most maxRows rows and counts the rest", async () => {
    const env = await setup({ demoCount: 300, demoIntervalMs: 0, maxRows: 25 });
    const note = await renderNote(env.app, env.plugin, "Notes/gRPC.md");
    const c = callouts(note)[1] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(c) === "done");
    await until(() => c.querySelectorAll(".grpc-callouts-row").length === 25);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.querySelectorAll(".grpc-callouts-row")).toHaveLength(25);
    expect(c.querySelector(".grpc-callouts-omitted")?.textContent).toBe("276 earlier messages not shown");
    const last = c.querySelectorAll('.grpc-callouts-message[data-direction="received"]');
    expect(JSON.parse(last[last.length - 1]?.textContent ?? "{}")).toMatchObject({ seq: 300 });
    note.close();
    await unload(env.plugin);
  });

  test("a re-run hides the old rows at once, takes them out over the next frames, and never holds more than maxRows", async () => {
    const env = await setup({ demoCount: 300, demoIntervalMs: 0, maxRows: 200 });
    const note = await renderNote(env.app, env.plugin, "Notes/gRPC.md");
    const c = callouts(note)[1] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(c) === "done" && c.querySelectorAll(".grpc-callouts-row").length === 200);
    // Check after every render: the rows in the DOM, shown or being taken out, and how many lists show.
    const seen: Array<{ rows: number; shownLists: number; retired: number }> = [];
    const observer = new MutationObserver(() =>
      seen.push({
        rows: c.querySelectorAll(".grpc-callouts-row").length,
        shownLists: c.querySelectorAll(".grpc-callouts-messages:not(.grpc-callouts-hidden)").length,
        retired: c.querySelectorAll(".grpc-callouts-retired").length,
      }),
    );
    observer.observe(c, { childList: true, subtree: true, attributes: true });
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-rerun")?.click();
    // The re-run has begun once the old list is set aside; then wait for it to finish and settle.
    await until(() => seen.some((s) => s.retired > 0), 15_000, "the re-run to start");
    await until(() => state(c) === "done" && c.querySelectorAll(".grpc-callouts-row").length === 200 && c.querySelector(".grpc-callouts-retired") === null);
    await new Promise((r) => setTimeout(r, 20));
    observer.disconnect();
    expect(seen.length).toBeGreaterThan(0);
    expect(Math.max(...seen.map((s) => s.rows))).toBeLessThanOrEqual(200);
    expect(seen.every((s) => s.shownLists === 1)).toBe(true);
    // The old list, set aside rather than dropped in one go, is gone at the end.
    expect(c.querySelectorAll(".grpc-callouts-messages")).toHaveLength(1);
    const last = c.querySelectorAll('.grpc-callouts-message[data-direction="received"]');
    expect(JSON.parse(last[last.length - 1]?.textContent ?? "{}")).toMatchObject({ seq: 300 });
    expect(c.querySelector(".grpc-callouts-omitted")?.textContent).toBe("101 earlier messages not shown");
    note.close();
    await unload(env.plugin);
  });
});

describe("hostile server text", () => {
  test("is rendered as text: no element is injected", async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>\u202Eevil';
    const block = ["```grpc", "method: grpccallouts.demo.v1.PatternService/Ask", `request: ${JSON.stringify({ question: hostile, fault: { code: 3, message: hostile } })}`, "```"].join("\n");
    const { app, vault } = createApp({ "Hostile.md": block });
    void vault;
    const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
    const note = await renderNote(app, plugin, "Hostile.md");
    note.root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(note.root) === "failed");
    expect(note.root.querySelectorAll("img, script, iframe")).toHaveLength(0);
    expect(note.root.querySelector(".grpc-callouts-status")?.textContent).toContain("<img src=x");
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
    note.close();
    await unload(plugin);
  });
});

describe("grpc blocks", () => {
  test("a block shows its method and target, runs, and shows bad YAML inline with its line", async () => {
    const text = [
      "# Blocks",
      "",
      "```grpc",
      "method: grpccallouts.demo.v1.PatternService/Feed",
      "request: {count: 3, intervalMs: 10}",
      "```",
      "",
      "```grpc",
      "method: grpccallouts.demo.v1.PatternService/Ask",
      "request: {question: [oops",
      "```",
    ].join("\n");
    const { app } = createApp({ "Blocks.md": text });
    const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
    const note = await renderNote(app, plugin, "Blocks.md");
    const blocks = Array.from(note.root.querySelectorAll<HTMLElement>(".grpc-callouts-block"));
    expect(blocks).toHaveLength(2);
    expect(blocks[0]?.querySelector(".grpc-callouts-block-method")?.textContent).toBe("grpccallouts.demo.v1.PatternService/Feed");
    expect(blocks[0]?.querySelector(".grpc-callouts-block-target")?.textContent).toBe(" @ sidecar");
    expect(blocks[1]?.querySelector(".grpc-callouts-error")?.textContent).toMatch(/^Line 1[01], column \d+: YAML syntax error/);
    blocks[0]?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(blocks[0] ?? null) === "done");
    expect(msgs(blocks[0] as HTMLElement, "received")).toBe(3);
    blocks[1]?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => state(blocks[1] ?? null) === "failed");
    expect(blocks[1]?.querySelector(".grpc-callouts-status")?.getAttribute("data-code")).toBe("INVALID_ARGUMENT");
    expect(blocks[1]?.querySelector(".grpc-callouts-hint")?.textContent).toMatch(/^Line 1[01], column \d+\./);
    note.close();
    await unload(plugin);
  });

  test("in a callout, the block defines the call and the title runs it", async () => {
    const text = ["> [!example] My unary call", "> ```grpc", "> method: grpccallouts.demo.v1.PatternService/Ask", '> request: {question: "from the block"}', "> ```"].join("\n");
    const { app } = createApp({ "Callout.md": text });
    const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
    const note = await renderNote(app, plugin, "Callout.md");
    const buttons = note.root.querySelectorAll<HTMLButtonElement>("button.grpc-callouts-run");
    expect(buttons).toHaveLength(1);
    expect(buttons[0]?.getAttribute("aria-label")).toBe("Run My unary call");
    buttons[0]?.click();
    const c = note.root.querySelector(".callout");
    await until(() => state(c) === "done");
    expect(c?.querySelector('.grpc-callouts-message[data-direction="received"]')?.textContent).toContain("from the block");
    note.close();
    await unload(plugin);
  });
});

describe("lifecycle", () => {
  test("unloading the plugin leaves no running call and stops the sidecar", async () => {
    const env = await setup({ demoCount: 1000, demoIntervalMs: 20, runtime: "obsidian" });
    const note = await renderNote(env.app, env.plugin, "Notes/gRPC.md");
    const c = callouts(note)[1] as HTMLElement;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => msgs(c, "received") >= 2);
    const pid = env.plugin.launcher.status().pid ?? 0;
    expect(alive(pid)).toBe(true);
    const session = env.plugin.sessions.forNote("Notes/gRPC.md")[0];
    await unload(env.plugin);
    await until(() => !alive(pid), 3_000, "sidecar gone");
    expect(env.plugin.sessions.running()).toHaveLength(0);
    expect(session?.running).toBe(false);
    expect(env.plugin.launcher.status().state).toBe("off");
    expect(mockOf(env.plugin).registeredCount).toBe(0);
    note.close();
  });
});

describe("settings", () => {
  test("are saved from the settings tab and loaded again", async () => {
    // Every setting at its default, the drawn-diagram one too.
    const env = await setup({ liveDiagramReplacesDrawn: DEFAULT_SETTINGS.liveDiagramReplacesDrawn });
    expect(env.plugin.settings).toEqual(DEFAULT_SETTINGS);
    const tab = mockOf(env.plugin).settingTabs[0];
    tab?.display();
    const el = tab?.containerEl as HTMLElement;
    const headings = Array.from(el.querySelectorAll(".setting-item-heading .setting-item-name")).map((e) => e.textContent);
    expect(headings).toEqual(["Sidecar", "Demo pacing", "Calls", "Transcripts"]);
    const byName = (name: string) =>
      Array.from(el.querySelectorAll(".setting-item")).find((s) => s.querySelector(".setting-item-name")?.textContent === name) as HTMLElement;
    const select = byName("Sidecar runtime").querySelector("select") as HTMLSelectElement;
    select.value = "in-process";
    select.dispatchEvent(new Event("change"));
    const rows = byName("Maximum rows").querySelector("input") as HTMLInputElement;
    rows.value = "42";
    rows.dispatchEvent(new Event("input"));
    (byName("Show timestamps").querySelector(".checkbox-container") as HTMLElement).click();
    const mode = byName("Run all").querySelector("select") as HTMLSelectElement;
    mode.value = "concurrent";
    mode.dispatchEvent(new Event("change"));
    await until(() => env.plugin.settings.runAllMode === "concurrent");
    await new Promise((r) => setTimeout(r, 50));
    await unload(env.plugin);
    const again = await loadPlugin(GrpcCalloutsPlugin, env.app);
    expect(again.settings).toEqual({ ...DEFAULT_SETTINGS, runtime: "in-process", maxRows: 42, showTimestamps: false, runAllMode: "concurrent" });
    await unload(again);
  });

  test("the status bar shows the sidecar state and opens the status modal", async () => {
    const env = await setup({ runtime: "in-process" });
    const bar = mockOf(env.plugin).statusBarItems[0] as HTMLElement;
    expect(bar.textContent).toBe("gRPC: off");
    await env.plugin.launcher.start();
    expect(bar.textContent).toBe(`gRPC: ready on port ${env.plugin.launcher.status().port}`);
    bar.click();
    const modal = openedModals.at(-1);
    expect(modal?.titleEl.textContent).toBe("gRPC sidecar status");
    expect(modal?.contentEl.textContent).toMatch(/Runtimein-process/);
    expect(modal?.contentEl.textContent).toMatch(/ready: in-process runtime/);
    await unload(env.plugin);
    expect(shownNotices).toBeDefined();
  });
});
