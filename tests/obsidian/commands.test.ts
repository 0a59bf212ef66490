/**
 * @jest-environment jsdom
 */
// Every command of the plugin, through the mock host, against the real sidecar.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findRunnables } from "../../src/core/note/findRunnables";
import { openedModals, shownNotices, type Command, type MarkdownView } from "../__mocks__/obsidian";
import { parseBlock } from "../../src/core/spec/parseBlock";
import { demoSpec } from "../../src/core/spec/demoSpec";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { alive } from "../support/sidecar";
import { createApp, loadPlugin, mockOf, openNote, renderNote, until } from "../support/host";

const USER_NOTE = readFileSync(join(__dirname, "../fixtures/user-note.md"), "utf8");
const PATH = "Notes/gRPC.md";

async function setup(settings: Record<string, unknown> = {}) {
  const env = createApp({ [PATH]: USER_NOTE });
  await env.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ demoCount: 3, demoIntervalMs: 20, ...settings }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, env.app);
  const view = await openNote(env.app, PATH, "source");
  const command = (id: string): Command => {
    const c = mockOf(plugin).commands.find((x) => x.id === id);
    if (c === undefined) throw new Error(`no command ${id}`);
    return c;
  };
  const run = async (id: string): Promise<unknown> => {
    const c = command(id);
    if (c.editorCheckCallback) return c.editorCheckCallback(false, view.editor, view);
    if (c.editorCallback) return c.editorCallback(view.editor, view);
    if (c.checkCallback) return c.checkCallback(false);
    return c.callback?.();
  };
  const close = async () => {
    mockOf(plugin).unload();
    await plugin.stopped;
  };
  return { ...env, plugin, view, command, run, close };
}

const lineOf = (view: MarkdownView, needle: string) => view.editor.getValue().split("\n").findIndex((l) => l.includes(needle));

test("commands exist, have no default hotkeys, and use sentence case", async () => {
  const env = await setup();
  const cmds = mockOf(env.plugin).commands;
  expect(cmds.map((c) => c.id).sort()).toEqual(
    [
      "cancel-all",
      "clear-transcripts",
      "copy-as-grpcurl",
      "insert-bidi-streaming-callout",
      "insert-client-streaming-callout",
      "insert-server-streaming-callout",
      "insert-unary-callout",
      "list-services",
      "make-callout-explicit",
      "paste-grpcurl",
      "reload-schemas",
      "restart-sidecar",
      "run-all",
      "run-at-cursor",
      "save-last-transcript",
      "show-sidecar-status",
      "start-sidecar",
      "stop-sidecar",
      "switch-environment",
    ].sort(),
  );
  for (const c of cmds) {
    expect(c.hotkeys).toBeUndefined();
    expect(c.name.charAt(0)).toMatch(/[A-Z]/);
    expect(c.name.slice(1)).not.toMatch(/\b(Run|Callout|Sidecar|Transcript|Note|Calls?)\b/);
  }
  await env.close();
});

test("run at cursor runs the callout under the cursor, and is unavailable elsewhere", async () => {
  const env = await setup();
  env.view.editor.setCursor(lineOf(env.view, "Client-Streaming"), 3);
  expect(env.command("run-at-cursor").editorCheckCallback?.(true, env.view.editor, env.view)).toBe(true);
  await env.run("run-at-cursor");
  await until(() => shownNotices.some((n) => n.startsWith("Client-Streaming RPC: OK (3 sent, 1 received)")));
  env.view.editor.setCursor(0, 0);
  expect(env.command("run-at-cursor").editorCheckCallback?.(true, env.view.editor, env.view)).toBe(false);
  await env.close();
});

test.each(["sequential", "concurrent"])("run all (%s) runs the four callouts", async (mode) => {
  const env = await setup({ runAllMode: mode });
  const transcripts = await env.plugin.runAll(PATH, env.view.editor.getValue());
  const results = transcripts.map((t) => [t?.label, t?.status?.codeName, t?.sent, t?.received]);
  // One after another: each call starts after the one before ended; all at once: they overlap.
  const windows = transcripts.map((t) => [t?.startedAt ?? 0, (t?.startedAt ?? 0) + (t?.status?.at ?? 0)] as const);
  const overlapping = windows.slice(1).some(([start], i) => start < (windows[i]?.[1] ?? 0) - 5);
  expect(overlapping).toBe(mode === "concurrent");
  expect(results).toEqual([
    ["Simple RPC", "OK", 1, 1],
    ["Server-Streaming RPC", "OK", 1, 3],
    ["Client-Streaming RPC", "OK", 3, 1],
    ["Bidirectional Streaming RPC", "OK", 3, 5],
  ]);
  expect(shownNotices.at(-1)).toBe("Ran 4 calls: 4 as expected, 0 not.");
  await env.close();
});

test("the run all command goes through the editor's text", async () => {
  const env = await setup();
  shownNotices.length = 0;
  await env.run("run-all");
  await until(() => shownNotices.at(-1) === "Ran 4 calls: 4 as expected, 0 not.", 20_000);
  await env.close();
});

test("cancel all cancels every running call", async () => {
  const env = await setup({ demoCount: 1000, demoIntervalMs: 20, runAllMode: "concurrent" });
  const all = env.plugin.runAll(PATH, env.view.editor.getValue());
  await until(() => env.plugin.sessions.running().length >= 3);
  await env.run("cancel-all");
  const results = await all;
  expect(results.map((t) => t?.status?.codeName).filter((c) => c === "CANCELLED").length).toBeGreaterThanOrEqual(3);
  await env.close();
});

test("start, status, restart and stop the sidecar", async () => {
  const env = await setup({ runtime: "obsidian" });
  await env.run("start-sidecar");
  await until(() => env.plugin.launcher.status().state === "ready");
  const first = env.plugin.launcher.status().pid ?? 0;
  expect(shownNotices.at(-1)).toMatch(/^gRPC sidecar ready on port \d+ \(obsidian runtime\)\.$/);
  await env.run("show-sidecar-status");
  const text = openedModals.at(-1)?.contentEl.textContent ?? "";
  expect(text).toContain("Runtimeobsidian");
  expect(text).toContain(`Process id${first}`);
  expect(text).toMatch(/Port127\.0\.0\.1:\d+/);
  expect(text).toMatch(/Uptime\d+ s/);
  await env.run("restart-sidecar");
  const second = env.plugin.launcher.status().pid ?? 0;
  expect(second).not.toBe(first);
  expect(await until(() => !alive(first), 3000).then(() => true)).toBe(true);
  await env.run("stop-sidecar");
  expect(env.plugin.launcher.status().state).toBe("off");
  await until(() => !alive(second), 3000);
  await env.close();
});

test.each([
  ["insert-unary-callout", "unary", "Unary RPC"],
  ["insert-server-streaming-callout", "server_streaming", "Server-streaming RPC"],
  ["insert-client-streaming-callout", "client_streaming", "Client-streaming RPC"],
  ["insert-bidi-streaming-callout", "bidi_streaming", "Bidirectional streaming RPC"],
] as const)("%s inserts a runnable callout with a grpc block that runs", async (id, kind, title) => {
  const env = await setup();
  env.view.editor.setValue("Intro");
  env.view.editor.setCursor(0, 5);
  await env.run(id);
  const rs = findRunnables(env.view.editor.getValue());
  expect(rs).toHaveLength(1);
  expect(rs[0]?.label).toBe(title);
  expect(rs[0]?.pattern).toBe(kind);
  const parsed = parseBlock(rs[0]?.block?.source ?? "");
  expect(parsed.ok && parsed.spec.method).toBe(demoSpec(kind).method);
  const t = await env.plugin.runRunnable(PATH, rs[0]!);
  expect(t?.status?.codeName).toBe("OK");
  await env.close();
});

test("make this callout explicit appends the block its title-based run uses", async () => {
  const env = await setup();
  env.view.editor.setCursor(lineOf(env.view, "Server-Streaming"), 0);
  expect(env.command("make-callout-explicit").editorCheckCallback?.(true, env.view.editor, env.view)).toBe(true);
  await env.run("make-callout-explicit");
  const rs = findRunnables(env.view.editor.getValue());
  const r = rs.find((x) => x.label === "Server-Streaming RPC");
  expect(r?.block).not.toBeNull();
  const parsed = parseBlock(r?.block?.source ?? "");
  expect(parsed.ok && { method: parsed.spec.method, requests: parsed.spec.requests }).toEqual({
    method: "grpccallouts.demo.v1.PatternService/Feed",
    requests: [{ topic: "ticks", count: 3, intervalMs: 20 }],
  });
  // The rest of the note is untouched and the callout still ends before the next paragraph.
  expect(rs).toHaveLength(4);
  expect(env.view.editor.getValue()).toContain("> ![[Pasted image 20230512103501.png]]\n>\n> ```grpc\n> method: grpccallouts.demo.v1.PatternService/Feed");
  // Now explicit, the command no longer offers itself there.
  env.view.editor.setCursor(lineOf(env.view, "Server-Streaming"), 0);
  expect(env.command("make-callout-explicit").editorCheckCallback?.(true, env.view.editor, env.view)).toBe(false);
  await env.close();
});

test("clear all transcripts in the note", async () => {
  const env = await setup();
  await env.plugin.runAll(PATH, USER_NOTE);
  const note = await renderNote(env.app, env.plugin, PATH);
  expect(note.root.querySelectorAll(".grpc-callouts-transcript")).toHaveLength(4);
  await env.run("clear-transcripts");
  expect(shownNotices.at(-1)).toBe("Cleared 4 transcripts.");
  await new Promise((r) => setTimeout(r, 50));
  expect(note.root.querySelectorAll(".grpc-callouts-transcript:not(.grpc-callouts-hidden)")).toHaveLength(0);
  note.close();
  await env.close();
});

test("save the last transcript below its run, keeping an edit made meanwhile", async () => {
  const env = await setup();
  const rs = findRunnables(USER_NOTE);
  await env.plugin.runRunnable(PATH, rs[1]!);
  // The user types at the top of the note while the save is under way.
  env.vault.beforeProcessWrite = async (file) => {
    const text = await env.vault.read(file);
    await env.vault.modify(file, `Typed meanwhile.\n\n${text}`);
    env.vault.beforeProcessWrite = null;
  };
  expect(await env.plugin.saveLastTranscript()).toBe(true);
  const text = await env.vault.read(env.vault.getFileByPath(PATH)!);
  expect(text.startsWith("Typed meanwhile.\n\n## Communication patterns")).toBe(true);
  const lines = text.split("\n");
  const at = lines.findIndex((l) => l.startsWith("> [!grpc-transcript]- Transcript: OK,"));
  expect(at).toBeGreaterThan(0);
  expect(lines[at - 2]).toBe("> ![[Pasted image 20230512103501.png]]");
  expect(text).toContain("> **grpccallouts.demo.v1.PatternService/Feed** → sidecar: OK");
  // The saved transcript is not itself runnable.
  expect(findRunnables(text)).toHaveLength(4);
  await env.close();
});

test("list the services of the block's target, from the command palette", async () => {
  const env = await setup({ runtime: "in-process" });
  const ep = await env.plugin.launcher.start();
  env.plugin.settings.variables = { t: ep.token };
  env.view.editor.setValue(`\`\`\`grpc\ntarget: 127.0.0.1:${ep.port}\nmetadata: {x-grpc-callouts-token: "{{t}}"}\n\`\`\`\n`);
  env.view.editor.setCursor(1, 0);
  expect(env.command("list-services").editorCheckCallback?.(true, env.view.editor, env.view)).toBe(true);
  await env.run("list-services");
  const modal = openedModals.at(-1)!;
  expect(modal.titleEl.textContent).toBe("Services");
  await until(() => modal.contentEl.querySelectorAll(".grpc-callouts-insert-call").length > 0, 10_000, "listed");
  expect(Array.from(modal.contentEl.querySelectorAll(".grpc-callouts-discovery-name")).map((e) => e.textContent)).toContain("Upload");
  modal.close();
  env.view.editor.setCursor(5, 0);
  expect(env.command("list-services").editorCheckCallback?.(true, env.view.editor, env.view)).toBe(false);
  await env.close();
});

test("Copy the call at the cursor as a grpcurl command, and paste a grpcurl command as a block", async () => {
  const env = await setup();
  let clipboard = "";
  Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText: (t: string) => Promise.resolve(void (clipboard = t)), readText: () => Promise.resolve(clipboard) } });
  env.view.editor.setCursor(lineOf(env.view, "Simple [["), 3);
  await env.run("copy-as-grpcurl");
  await until(() => clipboard !== "", 5_000, "copied");
  expect(clipboard).toMatch(/^grpcurl -plaintext -H "x-grpc-callouts-token: \$\{GRPC_CALLOUTS_TOKEN\}" -d '\{"question":".*"\}' -max-time 30 127\.0\.0\.1:PORT grpccallouts\.demo\.v1\.PatternService\/Ask$/);
  clipboard = `grpcurl -plaintext -d '{"question": "pasted"}' -H "authorization: Bearer $TOKEN" localhost:50051 grpccallouts.demo.v1.PatternService/Ask`;
  env.view.editor.setCursor(0, 0);
  await env.run("paste-grpcurl");
  await until(() => env.view.editor.getValue().startsWith("```grpc\n"), 5_000, "pasted");
  expect(env.view.editor.getValue().split("\n").slice(0, 7)).toEqual([
    "```grpc",
    "method: grpccallouts.demo.v1.PatternService/Ask",
    "target: localhost:50051",
    "tls: false",
    'metadata: {"authorization":"Bearer {{TOKEN}}"}',
    'request: {"question":"pasted"}',
    "```",
  ]);
  clipboard = "grpcurl -unix /tmp/x a.B/C";
  await env.run("paste-grpcurl");
  await until(() => shownNotices.at(-1) === "Not pasted: grpcurl's -unix has no counterpart in a grpc block.", 5_000, "refused");
  await env.close();
});
