/**
 * @jest-environment jsdom
 */
// The plugin, not the DOM, owns a call's lifetime (jsdom host): re-renders and panes coming and going
// keep a call; closing the last pane (after a grace period) and deleting the note end it; a renamed
// note keeps its sessions; two same-titled callouts without section info never share a session;
// Re-run runs what the note says now.
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { CLOSE_GRACE_MS } from "../../src/obsidian/SessionLifetimes";
import { MarkdownView } from "../__mocks__/obsidian";
import { createApp, loadPlugin, mockOf, renderNote, until } from "../support/host";

const NOTE = ["# Streams", "", "> [!summary]- Server streaming", "> A feed.", ""].join("\n");
const state = (el: Element | null | undefined) => el?.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state");
const received = (el: Element | null | undefined) => el?.querySelectorAll('.grpc-callouts-message[data-direction="received"]').length ?? 0;

async function setup(files: Record<string, string>, settings: Record<string, unknown> = {}) {
  const env = createApp(files);
  await env.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ runtime: "in-process", demoCount: 40, demoIntervalMs: 50, ...settings }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, env.app);
  return { ...env, plugin, close: async () => (mockOf(plugin).unload(), await plugin.stopped) };
}
/** Opens a pane on a note, as Obsidian does. */
function openPane(env: Awaited<ReturnType<typeof setup>>, path: string) {
  const view = new MarkdownView();
  view.file = env.vault.getFileByPath(path);
  view.mode = "preview";
  return env.app.workspace.openLeaf(view);
}

test("opening the note in a second pane and closing one keeps the call; closing the last pane ends it after the grace period", async () => {
  const env = await setup({ "S.md": NOTE }, { demoCount: 1000, demoIntervalMs: 50, defaultDeadlineMs: 0 });
  const first = openPane(env, "S.md");
  const note = await renderNote(env.app, env.plugin, "S.md");
  const c = note.root.querySelector(".callout");
  c?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => received(c) >= 2, 10_000, "streaming");
  const second = openPane(env, "S.md");
  first.detach();
  await new Promise((r) => setTimeout(r, CLOSE_GRACE_MS + 300));
  const session = env.plugin.sessions.forNote("S.md")[0];
  expect(session?.running).toBe(true);
  // A quick navigation away and back keeps it too.
  second.detach();
  await new Promise((r) => setTimeout(r, CLOSE_GRACE_MS / 5));
  const back = openPane(env, "S.md");
  await new Promise((r) => setTimeout(r, CLOSE_GRACE_MS + 300));
  expect(session?.running).toBe(true);
  // Closing the last pane ends it once the grace period is over.
  back.detach();
  await until(() => session?.running === false, CLOSE_GRACE_MS + 3000, "cancelled after the grace period");
  expect(session?.transcript).toBeNull();
  expect(env.plugin.sessions.forNote("S.md")).toHaveLength(0);
  note.close();
  await env.close();
}, 40_000);

test("deleting the note cancels its call and forgets it; renaming moves the session along", async () => {
  const env = await setup({ "A.md": NOTE, "B.md": NOTE });
  openPane(env, "A.md");
  openPane(env, "B.md");
  const a = await renderNote(env.app, env.plugin, "A.md");
  const b = await renderNote(env.app, env.plugin, "B.md");
  for (const n of [a, b]) n.root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => received(a.root) >= 1 && received(b.root) >= 1, 10_000, "both streaming");
  const sessionA = env.plugin.sessions.forNote("A.md")[0];
  await env.vault.delete(env.vault.getFileByPath("A.md")!);
  await until(() => sessionA?.running === false, 5_000, "A cancelled");
  expect(env.plugin.sessions.forNote("A.md")).toHaveLength(0);
  const sessionB = env.plugin.sessions.forNote("B.md")[0];
  await env.vault.rename(env.vault.getFileByPath("B.md")!, "Renamed/B2.md");
  expect(env.plugin.sessions.forNote("B.md")).toHaveLength(0);
  expect(env.plugin.sessions.forNote("Renamed/B2.md")).toEqual([sessionB]);
  expect(sessionB?.running).toBe(true);
  a.close();
  b.close();
  await env.close();
});

test("two callouts with the same title, rendered without section info, never share a session", async () => {
  const note = ["> [!summary] Unary RPC", "> one", "", "> [!summary] Unary RPC", "> two", ""].join("\n");
  const env = await setup({ "Twice.md": note });
  const rendered = await renderNote(env.app, env.plugin, "Twice.md", { noSectionInfo: true });
  const [first, second] = Array.from(rendered.root.querySelectorAll<HTMLElement>(".callout"));
  second?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => state(second) === "done", 10_000, "the second done");
  expect(first?.querySelector(".grpc-callouts-transcript")).toBeNull();
  expect(env.plugin.sessions.forNote("Twice.md").map((s) => s.key)).toEqual(["callout:Unary RPC", "callout:Unary RPC#2"]);
  expect(env.plugin.sessions.get("Twice.md", "callout:Unary RPC")?.transcript).toBeNull();
  rendered.close();
  await env.close();
});

test("Re-run sends the request the note holds now, with the variables' new values", async () => {
  const block = (q: string) => ["```grpc", "method: grpccallouts.demo.v1.PatternService/Ask", `request: {question: "${q} {{who}}"}`, "```", ""].join("\n");
  const env = await setup({ "R.md": block("first") }, { variables: { who: "alice-1" } });
  const rendered = await renderNote(env.app, env.plugin, "R.md");
  const box = rendered.root.querySelector<HTMLElement>(".grpc-callouts-block");
  box?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => state(box) === "done");
  await env.vault.modify(env.vault.getFileByPath("R.md")!, block("second"));
  env.plugin.settings.variables = { who: "bobby-2" };
  box?.querySelector<HTMLButtonElement>(".grpc-callouts-rerun")?.click();
  await until(() => state(box) === "done" && (box?.querySelector('.grpc-callouts-message[data-direction="sent"]')?.textContent ?? "").includes("second"), 10_000, "re-run");
  const session = env.plugin.sessions.forNote("R.md")[0];
  expect(session?.spec?.requests).toEqual([{ question: "second bobby-2" }]);
  rendered.close();
  await env.close();
});

test("an interactive call gets no default deadline; a scripted one does", async () => {
  const env = await setup({ "I.md": "```grpc\nmethod: grpccallouts.demo.v1.PatternService/Chat\ninteractive: true\n```\n\n```grpc\nmethod: grpccallouts.demo.v1.PatternService/Ask\nrequest: {}\n```\n" }, { defaultDeadlineMs: 1000 });
  const rs = env.plugin.controller.runnablesOf(await env.vault.read(env.vault.getFileByPath("I.md")!), "I.md");
  const specs = rs.map((r) => env.plugin.controller.specFor("I.md", r));
  expect(specs.map((p) => (p.ok ? p.spec.deadlineMs : "error"))).toEqual([null, 1000]);
  await env.close();
});

test("a callout nested in a callout has a session of its own in reading view", async () => {
  const note = ["> [!summary] Server streaming", "> outer", "> > [!example] Unary RPC", "> > inner", ""].join("\n");
  const env = await setup({ "Nested.md": note });
  const rendered = await renderNote(env.app, env.plugin, "Nested.md");
  const [outer, inner] = Array.from(rendered.root.querySelectorAll<HTMLElement>(".callout"));
  inner?.querySelector<HTMLButtonElement>(":scope > .callout-title > button.grpc-callouts-run")?.click();
  await until(() => env.plugin.sessions.get("Nested.md", "callout:Unary RPC")?.transcript?.state === "done", 10_000, "the inner callout done");
  expect(env.plugin.sessions.get("Nested.md", "callout:Server streaming")?.transcript ?? null).toBeNull();
  expect(outer?.querySelector(":scope > .callout-content > .grpc-callouts-transcript")).toBeNull();
  rendered.close();
  await env.close();
});
