/**
 * @jest-environment jsdom
 */
// Live Preview on the stand-in (tests/support/livePreview.ts: the real CodeMirror 6 packages in
// jsdom, widgets rendered by the plugin's own processors, getSectionInfo null, a mousedown that
// reaches a widget moving the cursor into it). A call outlives the widget that shows it.
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { createApp, loadPlugin, mockOf, until } from "../support/host";
import { openLivePreview, widgetLog } from "../support/livePreview";

const NOTE = [
  "# Patterns", // 0
  "", // 1
  "> [!summary]- Server-Streaming RPC", // 2
  "> The server streams.", // 3
  "", // 4
  "> [!summary] Unary RPC", // 5
  "> one", // 6
  "", // 7
  "> [!summary] Unary RPC", // 8
  "> two", // 9
  "", // 10
  "```grpc", // 11
  "method: grpccallouts.demo.v1.PatternService/Ask", // 12
  "request: {question: first question}", // 13
  "```", // 14
  "", // 15
  "```grpc", // 16
  "method: grpccallouts.demo.v1.PatternService/Chat", // 17
  "interactive: true", // 18
  "```", // 19
  "", // 20
  "The end.", // 21
].join("\n");

async function setup() {
  const env = createApp({ "LP.md": NOTE });
  await env.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ runtime: "in-process", demoCount: 25, demoIntervalMs: 60 }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, env.app);
  const lp = await openLivePreview(env.app, mockOf(plugin), "LP.md");
  return {
    ...env,
    plugin,
    lp,
    close: async () => {
      lp.close();
      mockOf(plugin).unload();
      await plugin.stopped;
    },
  };
}
type Env = Awaited<ReturnType<typeof setup>>;
const calloutNamed = (env: Env, title: string, n = 0) =>
  env.lp.widgets().filter((w) => w.querySelector(".callout-title-inner")?.textContent === title)[n];
const blockWith = (env: Env, method: string) => env.lp.widgets().find((w) => w.querySelector(".grpc-callouts-block-method")?.textContent?.endsWith(method));
const state = (el: Element | null | undefined) => el?.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state");
const received = (el: Element | null | undefined) => el?.querySelectorAll('.grpc-callouts-message[data-direction="received"]').length ?? 0;
/** A real press: mousedown, pointerdown, mouseup and click, bubbling as a user's do. */
function press(el: Element | null | undefined): void {
  for (const type of ["pointerdown", "mousedown", "pointerup", "mouseup", "click"]) el?.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true }));
}
const sessionOf = (env: Env, key: string) => env.plugin.sessions.get("LP.md", key);

test("a 25-message stream survives the cursor entering its callout and leaving it, and ends OK with every message", async () => {
  const env = await setup();
  press(calloutNamed(env, "Server-Streaming RPC")?.querySelector("button.grpc-callouts-run"));
  await until(() => received(calloutNamed(env, "Server-Streaming RPC")) >= 3, 10_000, "three messages");
  // The cursor enters the callout: Live Preview shows its source, and the widget is destroyed.
  const destroyed = widgetLog.destroyed;
  env.lp.cursorTo(3);
  expect(calloutNamed(env, "Server-Streaming RPC")).toBeUndefined();
  expect(widgetLog.destroyed).toBeGreaterThan(destroyed);
  // While the source shows, the transcript stays in view below it.
  await until(() => received(env.lp.view.dom.querySelector(".grpc-callouts-below-source")) >= 5, 10_000, "streaming below the source");
  // The cursor leaves: a new widget attaches to the same running session.
  env.lp.cursorTo(21);
  expect(env.lp.view.dom.querySelector(".grpc-callouts-below-source")).toBeNull();
  const again = () => calloutNamed(env, "Server-Streaming RPC");
  await until(() => state(again()) === "done", 15_000, "done");
  expect(received(again())).toBe(25);
  expect(again()?.querySelector(".grpc-callouts-status")?.getAttribute("data-code")).toBe("OK");
  expect(sessionOf(env, "callout:Server-Streaming RPC")?.transcript?.received).toBe(25);
  await env.close();
}, 30_000);

test("pressing every transcript control keeps the callout rendered", async () => {
  const env = await setup();
  const c = () => calloutNamed(env, "Server-Streaming RPC");
  press(c()?.querySelector("button.grpc-callouts-run"));
  await until(() => received(c()) >= 1, 10_000, "streaming");
  const built = widgetLog.built;
  for (const sel of [".grpc-callouts-toggle-view", ".grpc-callouts-toggle-view", ".grpc-callouts-copy", ".grpc-callouts-headers summary", ".grpc-callouts-message", ".grpc-callouts-cancel"]) {
    press(c()?.querySelector(sel));
    expect([sel, c() !== undefined]).toEqual([sel, true]);
  }
  await until(() => state(c()) === "cancelled", 5_000, "cancelled");
  for (const sel of [".grpc-callouts-rerun", ".grpc-callouts-clear"]) {
    press(c()?.querySelector(sel));
    expect([sel, c() !== undefined]).toEqual([sel, true]);
  }
  // No press reached the editor: the cursor never moved into the callout, and no widget was rebuilt for it.
  expect(env.lp.view.state.doc.lineAt(env.lp.view.state.selection.main.head).number - 1).toBe(21);
  expect(widgetLog.built).toBe(built);
  await until(() => env.plugin.sessions.running().length === 0, 10_000, "the re-run ended by clear");
  await env.close();
}, 30_000);

test("typing into the composer of an interactive call sends the message and keeps the block rendered", async () => {
  const env = await setup();
  const b = () => blockWith(env, "PatternService/Chat");
  press(b()?.querySelector("button.grpc-callouts-run"));
  await until(() => b()?.querySelector(".grpc-callouts-composer:not(.grpc-callouts-hidden)") != null, 10_000, "composer open");
  const input = b()?.querySelector<HTMLTextAreaElement>(".grpc-callouts-composer-input");
  press(input);
  input!.value = "{text: hello from live preview}";
  input?.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", ctrlKey: true, bubbles: true }));
  await until(() => (b()?.querySelector('.grpc-callouts-message[data-direction="sent"]')?.textContent ?? "").includes("hello from live preview"), 10_000, "sent");
  await until(() => received(b()) >= 1, 10_000, "a reply");
  expect(b()).toBeDefined();
  press(b()?.querySelector(".grpc-callouts-half-close"));
  await until(() => state(b()) === "done", 10_000, "done after half-close");
  await env.close();
}, 30_000);

test("running one of two same-titled callouts leaves the other empty", async () => {
  const env = await setup();
  press(calloutNamed(env, "Unary RPC", 1)?.querySelector("button.grpc-callouts-run"));
  await until(() => state(calloutNamed(env, "Unary RPC", 1)) === "done", 10_000, "the second done");
  expect(calloutNamed(env, "Unary RPC", 0)?.querySelector(".grpc-callouts-transcript")).toBeNull();
  expect(sessionOf(env, "callout:Unary RPC#2")?.transcript?.status?.codeName).toBe("OK");
  expect(sessionOf(env, "callout:Unary RPC")?.transcript ?? null).toBeNull();
  await env.close();
});

test("edit the request, press Re-run, and the new request is sent", async () => {
  const env = await setup();
  const b = () => blockWith(env, "PatternService/Ask");
  press(b()?.querySelector("button.grpc-callouts-run"));
  await until(() => state(b()) === "done", 10_000, "first run");
  // Edit the block in the editor: the cursor goes into it, the text changes, the cursor leaves.
  const line = env.lp.view.state.doc.line(14);
  env.lp.view.dispatch({ changes: { from: line.from, to: line.to, insert: "request: {question: edited question}" }, selection: { anchor: line.from } });
  expect(env.lp.view.dom.querySelector(".grpc-callouts-below-source .grpc-callouts-transcript")).not.toBeNull();
  env.lp.cursorTo(21);
  // The rebuilt widget attaches to the session once it is in the editor (a frame later).
  await until(() => b()?.querySelector(".grpc-callouts-rerun") != null, 5_000, "the transcript back in the widget");
  press(b()?.querySelector(".grpc-callouts-rerun"));
  await until(() => (b()?.querySelector('.grpc-callouts-message[data-direction="sent"]')?.textContent ?? "").includes("edited question"), 10_000, "re-run with the edit");
  await until(() => state(b()) === "done", 10_000, "second run");
  await env.close();
});
