/**
 * @jest-environment jsdom
 */
// The user's note embeds a pasted diagram in each pattern callout, and those images are not in the
// vault: each is drawn instead, as a sequence diagram of its pattern, before any run. An embed whose
// image exists is left alone; the note's text never changes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { SCHEMATIC_LABEL } from "../../src/obsidian/processors/drawMissingDiagrams";
import { createApp, loadPlugin, mockOf, renderNote, until } from "../support/host";

const USER_NOTE = readFileSync(join(__dirname, "../fixtures/user-note.md"), "utf8");
const arrows = (el: Element | null | undefined, direction: "sent" | "received") => el?.querySelectorAll(`g.grpc-callouts-arrow[data-direction="${direction}"]`).length ?? 0;

async function setup(settings: Record<string, unknown> = {}, extra: Record<string, string> = {}) {
  const env = createApp({ "Patterns.md": USER_NOTE, ...extra });
  await env.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ runtime: "in-process", demoCount: 3, demoIntervalMs: 10, ...settings }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, env.app);
  const note = await renderNote(env.app, plugin, "Patterns.md");
  return { ...env, plugin, note, close: async () => (note.close(), mockOf(plugin).unload(), await plugin.stopped) };
}

test("each pattern callout's missing image is drawn as its pattern, before any run", async () => {
  const env = await setup();
  const callouts = Array.from(env.note.root.querySelectorAll<HTMLElement>(".callout"));
  expect(callouts).toHaveLength(4);
  const shapes = callouts.map((c) => {
    const d = c.querySelector(".grpc-callouts-schematic");
    return [d?.getAttribute("data-pattern"), arrows(d, "sent"), arrows(d, "received"), d?.querySelector(".grpc-callouts-schematic-label")?.textContent];
  });
  expect(shapes).toEqual([
    ["unary", 1, 1, SCHEMATIC_LABEL],
    ["server_streaming", 1, 4, SCHEMATIC_LABEL],
    ["client_streaming", 4, 1, SCHEMATIC_LABEL],
    ["bidi_streaming", 4, 4, SCHEMATIC_LABEL],
  ]);
  // Bidi's trains interleave: a reply comes before the client's last message.
  const dirs = Array.from(callouts[3]?.querySelectorAll("g.grpc-callouts-arrow") ?? []).map((g) => g.getAttribute("data-direction"));
  expect(dirs.indexOf("received")).toBeLessThan(dirs.lastIndexOf("sent"));
  // The broken embeds are hidden, not removed, and the note's text is as it was.
  for (const c of callouts) expect(c.querySelector(".internal-embed")?.classList.contains("grpc-callouts-missing-embed")).toBe(true);
  expect(await env.vault.read(env.vault.getFileByPath("Patterns.md")!)).toBe(USER_NOTE);
  await env.close();
});

test("an embed whose image is in the vault is left alone", async () => {
  const image = /!\[\[(Pasted image [^\]]+\.png)\]\]/.exec(USER_NOTE)?.[1] ?? "";
  const env = await setup({}, { [image]: "png bytes" });
  const first = env.note.root.querySelector<HTMLElement>(".callout");
  expect(first?.querySelector(".grpc-callouts-schematic")).toBeNull();
  expect(first?.querySelector(".internal-embed")?.classList.contains("grpc-callouts-missing-embed")).toBe(false);
  expect(env.note.root.querySelectorAll(".grpc-callouts-schematic")).toHaveLength(3);
  await env.close();
});

test("once the callout runs, the live diagram of the real exchange takes the drawn one's place", async () => {
  const env = await setup();
  const c = env.note.root.querySelectorAll<HTMLElement>(".callout")[1] as HTMLElement;
  c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => c.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state") === "done", 10_000, "done");
  expect(c.querySelector(".grpc-callouts-schematic")?.classList.contains("grpc-callouts-hidden")).toBe(true);
  expect(c.querySelector(".grpc-callouts-transcript")?.getAttribute("data-view")).toBe("diagram");
  expect(arrows(c.querySelector(".grpc-callouts-transcript .grpc-callouts-diagram"), "received")).toBe(3);
  await env.close();
});

test("the settings turn the drawing, and the replacement, off", async () => {
  const off = await setup({ drawMissingDiagrams: false });
  expect(off.note.root.querySelectorAll(".grpc-callouts-schematic")).toHaveLength(0);
  expect(off.note.root.querySelectorAll(".grpc-callouts-missing-embed")).toHaveLength(0);
  await off.close();
  const keep = await setup({ liveDiagramReplacesDrawn: false });
  const c = keep.note.root.querySelector<HTMLElement>(".callout") as HTMLElement;
  c.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => c.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state") === "done", 10_000, "done");
  expect(c.querySelector(".grpc-callouts-schematic")?.classList.contains("grpc-callouts-hidden")).toBe(false);
  expect(c.querySelector(".grpc-callouts-transcript")?.getAttribute("data-view")).toBe("messages");
  await keep.close();
});
