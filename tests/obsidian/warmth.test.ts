/**
 * @jest-environment jsdom
 */
// The first click feels instant: intent (the pointer on Run, or focus) warms the sidecar once; a
// failed warm-up stays silent and the click reports; an idle sidecar stops and starts again on intent.
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { shownNotices, MarkdownView } from "../__mocks__/obsidian";
import { createApp, loadPlugin, mockOf, renderNote, until } from "../support/host";

const NOTE = ["> [!summary]- Simple RPC", "> One answer.", "", "> [!summary]- Server streaming", "> A feed.", ""].join("\n");

async function setup(settings: Record<string, unknown> = {}) {
  const env = createApp({ "W.md": NOTE });
  await env.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ runtime: "node", demoCount: 2, demoIntervalMs: 10, ...settings }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, env.app);
  const note = await renderNote(env.app, plugin, "W.md");
  const buttons = Array.from(note.root.querySelectorAll<HTMLButtonElement>("button.grpc-callouts-run"));
  return { ...env, plugin, note, buttons, close: async () => (note.close(), mockOf(plugin).unload(), await plugin.stopped) };
}
const spawns = (plugin: GrpcCalloutsPlugin) => plugin.launcher.status().log.filter((l) => /^ready: /.test(l.replace(/^\S+ /, "")) || / ready: /.test(l)).length;

test("hovering Run starts the sidecar once, however often the pointer comes back; the click then finds it ready", async () => {
  const env = await setup();
  expect(env.plugin.hasLauncher).toBe(false);
  for (let i = 0; i < 10; i++) for (const b of env.buttons) b.dispatchEvent(new MouseEvent("pointerenter"));
  await until(() => env.plugin.launcher.status().state === "ready", 10_000, "warm");
  expect(spawns(env.plugin)).toBe(1);
  // The warm-up also opened the channel to it (and made a health check on it): READY, not IDLE.
  const pool = (env.plugin as unknown as { pool: { get(a: string): { getChannel(): { getConnectivityState(c: boolean): number } } } }).pool;
  const address = `127.0.0.1:${env.plugin.launcher.status().port ?? 0}`;
  await until(() => pool.get(address).getChannel().getConnectivityState(false) === 2, 5_000, "the channel is ready");
  for (const b of env.buttons) b.dispatchEvent(new MouseEvent("pointerenter"));
  const t0 = performance.now();
  env.buttons[0]?.click();
  await until(() => env.note.root.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state") === "done", 10_000, "done");
  expect(performance.now() - t0).toBeLessThan(2000);
  expect(spawns(env.plugin)).toBe(1);
  await env.close();
});

test("keyboard focus on Run warms it the same way", async () => {
  const env = await setup();
  env.buttons[1]?.dispatchEvent(new FocusEvent("focus"));
  env.buttons[1]?.dispatchEvent(new FocusEvent("focus"));
  await until(() => env.plugin.launcher.status().state === "ready", 10_000, "warm");
  expect(spawns(env.plugin)).toBe(1);
  await env.close();
});

test("a failed warm-up shows nothing; the click starts again and reports", async () => {
  const env = await setup({ nodePath: "/nonexistent/node" });
  const before = shownNotices.length;
  env.buttons[0]?.dispatchEvent(new MouseEvent("pointerenter"));
  await until(() => env.plugin.launcher.status().state === "failed", 10_000, "the warm-up failed");
  expect(shownNotices.length).toBe(before);
  expect(env.note.root.querySelector(".grpc-callouts-transcript")).toBeNull();
  env.buttons[0]?.click();
  const callout = env.note.root.querySelector(".callout");
  await until(() => callout?.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state") === "failed", 15_000, "the click reports");
  expect(callout?.querySelector(".grpc-callouts-status")?.textContent).toMatch(/node runtime could not start the sidecar/);
  await env.close();
});

test("an idle sidecar stops after the setting's minutes, and the next intent starts it again", async () => {
  const env = await setup({ sidecarIdleMinutes: 0.01 });
  env.buttons[0]?.click();
  await until(() => env.note.root.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state") === "done", 10_000, "done");
  expect(env.plugin.launcher.status().rssBytes).toBeGreaterThan(1_000_000);
  // A running call counts as activity: nothing stops while one runs.
  env.plugin.settings.demoCount = 500;
  env.buttons[1]?.click();
  await until(() => env.plugin.sessions.running().length === 1, 10_000, "streaming");
  expect(await env.plugin.warmth.stopIfIdle(Date.now() + 60_000)).toBe(false);
  env.plugin.sessions.cancelAll();
  await until(() => env.plugin.sessions.running().length === 0, 10_000, "cancelled");
  // The idle time counts from when the call was last seen running.
  expect(await env.plugin.warmth.stopIfIdle(Date.now() + 60_000)).toBe(false);
  expect(await env.plugin.warmth.stopIfIdle(Date.now() + 120_000)).toBe(true);
  expect(env.plugin.launcher.status().state).toBe("off");
  env.buttons[0]?.dispatchEvent(new MouseEvent("pointerenter"));
  await until(() => env.plugin.launcher.status().state === "ready", 10_000, "warm again");
  expect(await env.plugin.warmth.stopIfIdle()).toBe(false);
  await env.close();
});

test("with the setting on, opening a note with pattern callouts warms the sidecar after a moment; off, it does not", async () => {
  for (const on of [false, true]) {
    const env = await setup({ startWhenNoteOpens: on });
    const view = new MarkdownView();
    view.file = env.vault.getFileByPath("W.md");
    env.app.workspace.trigger("file-open", view.file);
    await new Promise((r) => setTimeout(r, 2500));
    expect([on, env.plugin.hasLauncher && env.plugin.launcher.status().state !== "off"]).toEqual([on, on]);
    await env.close();
  }
});

test("a Run click on a cold sidecar starts it at once, before the note is read and the call planned", async () => {
  const env = await setup();
  expect(env.plugin.hasLauncher).toBe(false);
  env.buttons[1]?.click();
  // Synchronously, in the click's own task.
  expect(env.plugin.launcher.status().state).toBe("starting");
  await until(() => env.note.root.querySelectorAll(".grpc-callouts-transcript")[0]?.getAttribute("data-state") === "done", 10_000, "done");
  expect(spawns(env.plugin)).toBe(1);
  await env.close();
});
