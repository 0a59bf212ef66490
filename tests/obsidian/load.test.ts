/**
 * @jest-environment jsdom
 */
// Load and lifecycle: 100 blocks run at once, ten floods at once, and the plugin
// disabled and enabled 20 times while calls run, counting what could leak.
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { renderStats } from "../../src/obsidian/views/renderStats";
import { alive } from "../support/sidecar";
import { createApp, loadPlugin, mockOf, renderNote, until } from "../support/host";

const state = (el: Element | null | undefined) => el?.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state");

test("100 blocks run at once: all complete, none shows another's messages, the sidecar stays up", async () => {
  const blocks = Array.from({ length: 100 }, (_, i) =>
    ["```grpc", "method: grpccallouts.demo.v1.PatternService/Ask", `request: {question: "question number ${i} of 100"}`, "```", ""].join("\n"),
  ).join("\n");
  const { app } = createApp({ "Many.md": blocks });
  const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
  plugin.settings.runAllMode = "concurrent";
  const note = await renderNote(app, plugin, "Many.md");
  const boxes = Array.from(note.root.querySelectorAll<HTMLElement>(".grpc-callouts-block"));
  expect(boxes).toHaveLength(100);
  await plugin.launcher.start();
  const pid = plugin.launcher.status().pid;
  for (const b of boxes) b.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => boxes.every((b) => state(b) === "done"), 60_000, "all 100 done");
  boxes.forEach((b, i) => {
    const received = b.querySelectorAll('.grpc-callouts-message[data-direction="received"]');
    expect(received).toHaveLength(1);
    expect(received[0]?.textContent).toContain(`question number ${i} of 100`);
    expect(b.textContent?.match(/question number \d+ of 100/g)?.every((m) => m === `question number ${i} of 100`)).toBe(true);
  });
  expect(plugin.launcher.status().state).toBe("ready");
  expect(plugin.launcher.status().pid).toBe(pid);
  note.close();
  mockOf(plugin).unload();
  await plugin.stopped;
});

test("ten floods at once stay batched and capped", async () => {
  const blocks = Array.from({ length: 10 }, (_, i) =>
    ["```grpc", "method: grpccallouts.demo.v1.PatternService/Feed", `request: {topic: "flood ${i}", count: 10000, intervalMs: 0}`, "deadline: 2m", "```", ""].join("\n"),
  ).join("\n");
  const { app, vault } = createApp({ "Floods.md": blocks });
  await vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ maxRows: 100 }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
  const note = await renderNote(app, plugin, "Floods.md");
  const boxes = Array.from(note.root.querySelectorAll<HTMLElement>(".grpc-callouts-block"));
  renderStats.reset();
  let maxRows = 0;
  const observer = new MutationObserver(() => {
    for (const b of boxes) maxRows = Math.max(maxRows, b.querySelectorAll(".grpc-callouts-row").length);
  });
  observer.observe(note.root, { childList: true, subtree: true });
  for (const b of boxes) b.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => boxes.every((b) => state(b) === "done"), 120_000, "ten floods done");
  observer.disconnect();
  const sessions = plugin.sessions.forNote("Floods.md");
  expect(sessions.map((s) => s.transcript?.received)).toEqual(Array(10).fill(10_000));
  expect(maxRows).toBeLessThanOrEqual(100);
  // Batched: far fewer renders than messages.
  expect(renderStats.flushes).toBeLessThan(10 * 10_000 / 20);
  boxes.forEach((b, i) => expect(b.querySelector(".grpc-callouts-message:last-of-type")?.textContent ?? "").toMatch(new RegExp(`flood ${i}"`)));
  note.close();
  mockOf(plugin).unload();
  await plugin.stopped;
});

test("disabling and enabling the plugin 20 times while calls run leaks no process, handle or listener", async () => {
  const note = ["> [!summary]- Server streaming", "> A feed.", ""].join("\n");
  const { app, vault } = createApp({ "Toggle.md": note });
  await vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ demoCount: 100000, demoIntervalMs: 10, runtime: "obsidian" }));
  const handles = () => (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles().length;
  const before = handles();
  const pids: number[] = [];
  for (let i = 0; i < 20; i++) {
    const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
    const rendered = await renderNote(app, plugin, "Toggle.md");
    const c = rendered.root.querySelector<HTMLElement>(".callout")!;
    c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => (c.querySelectorAll('.grpc-callouts-message[data-direction="received"]').length ?? 0) >= 1, 10_000, `run ${i}`);
    pids.push(plugin.launcher.status().pid ?? 0);
    // Obsidian unloads the plugin; the reading view's children go with the closing note.
    mockOf(plugin).unload();
    rendered.close();
    await plugin.stopped;
    expect(plugin.sessions.running()).toHaveLength(0);
    expect(mockOf(plugin).registeredCount).toBe(0);
    expect(document.querySelectorAll(".status-bar-item")).toHaveLength(0);
  }
  expect(new Set(pids).size).toBe(20);
  await until(() => pids.every((p) => !alive(p)), 5_000, "every sidecar gone");
  await new Promise((r) => setTimeout(r, 200));
  expect(handles()).toBeLessThanOrEqual(before + 1);
});
