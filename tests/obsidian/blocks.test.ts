/**
 * @jest-environment jsdom
 */
// grpc blocks in the plugin: discovery with "Insert call", interactive calls with the composer,
// the outbound confirmation, and variables from the settings masked in the DOM.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openedModals } from "../__mocks__/obsidian";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { findRunnables } from "../../src/core/note/findRunnables";
import { parseBlock } from "../../src/core/spec/parseBlock";
import { renderNote, setupNote, until } from "../support/host";

const setup = (note: string, settings: Record<string, unknown> = {}) => setupNote(GrpcCalloutsPlugin, note, settings);

const state = (el: Element | null | undefined) => el?.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state");

test("a target-only block lists the sidecar's methods; Insert call writes a runnable block below", async () => {
  // The sidecar is the target here through a proto-less discovery of its own address, found at run time.
  const env = await setup("# Discover\n\n```grpc\ntarget: PLACEHOLDER\n```\n\nAfter.\n", { runtime: "in-process" });
  const ep = await env.plugin.launcher.start();
  // Rewrite the note with the real address, then render again.
  const file = env.vault.getFileByPath("Note.md")!;
  await env.vault.modify(file, `# Discover\n\n\`\`\`grpc\ntarget: 127.0.0.1:${ep.port}\nmetadata: {x-grpc-callouts-token: "{{sidecarToken}}"}\n\`\`\`\n\nAfter.\n`);
  env.plugin.settings.variables = { sidecarToken: ep.token };
  env.rendered.close();
  const note = await renderNote(env.app, env.plugin, "Note.md");
  const list = note.root.querySelector<HTMLButtonElement>("button.grpc-callouts-discover");
  expect(list?.textContent).toBe("List services");
  list?.click();
  await until(() => note.root.querySelectorAll(".grpc-callouts-discovery-method").length > 0, 10_000, "methods listed");
  const services = Array.from(note.root.querySelectorAll(".grpc-callouts-discovery-service")).map((e) => e.textContent);
  expect(services).toEqual(["grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection", "grpccallouts.demo.v1.PatternService"]);
  const feed = Array.from(note.root.querySelectorAll<HTMLElement>(".grpc-callouts-discovery-method")).find((r) => r.querySelector(".grpc-callouts-discovery-name")?.textContent === "Feed");
  expect(feed?.querySelector(".grpc-callouts-discovery-kind")?.textContent).toBe(" Server-streaming RPC · grpccallouts.demo.v1.FeedRequest → grpccallouts.demo.v1.FeedEvent");
  // "Messages" shows the method, its request and its response as .proto text.
  const messages = feed?.nextElementSibling as HTMLDetailsElement;
  expect(messages.querySelector("summary")?.textContent).toBe("Messages");
  messages.open = true;
  messages.dispatchEvent(new Event("toggle"));
  const proto = messages.querySelector("pre")?.textContent ?? "";
  expect(proto).toContain("rpc Feed(.grpccallouts.demo.v1.FeedRequest) returns (stream .grpccallouts.demo.v1.FeedEvent);");
  expect(proto).toMatch(/message FeedRequest \{\n( {2}.+\n)+\}/);
  expect(proto).toContain("message FeedEvent {");
  feed?.querySelector<HTMLButtonElement>(".grpc-callouts-insert-call")?.click();
  await until(() => findRunnables(readNote(env)).some((r) => r.label === "grpccallouts.demo.v1.PatternService/Feed"), 5_000, "inserted");
  const text = readNote(env);
  const inserted = findRunnables(text).find((r) => r.label === "grpccallouts.demo.v1.PatternService/Feed");
  const parsed = parseBlock(inserted?.block?.source ?? "");
  expect(parsed.ok && parsed.spec.requests).toEqual([{ topic: "", payloadSize: 0, fault: { code: 0, message: "", after: 0 } }]);
  expect(text).toContain("  # count: 0\n  # intervalMs: 0\n");
  expect(parsed.ok && parsed.spec.target).toBe(`127.0.0.1:${ep.port}`);
  expect(text.indexOf("Feed")).toBeLessThan(text.indexOf("After."));
  note.close();
  await env.close();
});

function readNote(env: { root: string }): string {
  return readFileSync(join(env.root, "Note.md"), "utf8");
}

test("an interactive bidi block keeps the stream open for the composer until half-closed", async () => {
  const env = await setup("```grpc\nmethod: grpccallouts.demo.v1.PatternService/Chat\ninteractive: true\n```\n");
  const block = env.rendered.root.querySelector<HTMLElement>(".grpc-callouts-block")!;
  block.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => state(block) === "running" && !block.querySelector(".grpc-callouts-composer")?.classList.contains("grpc-callouts-hidden"), 10_000, "composer");
  const input = block.querySelector<HTMLTextAreaElement>(".grpc-callouts-composer-input")!;
  const send = block.querySelector<HTMLButtonElement>(".grpc-callouts-send")!;
  input.value = "text: hello";
  send.click();
  await until(() => block.querySelectorAll('.grpc-callouts-message[data-direction="received"]').length === 1, 5_000, "first reply");
  input.value = '{"text": "second", "pushCount": 1, "intervalMs": 10}';
  send.click();
  await until(() => block.querySelectorAll('.grpc-callouts-message[data-direction="received"]').length === 3, 5_000, "second reply and push");
  input.value = "txet: typo";
  send.click();
  await until(() => (block.querySelector(".grpc-callouts-composer .grpc-callouts-error")?.textContent ?? "") !== "");
  expect(block.querySelector(".grpc-callouts-composer .grpc-callouts-error")?.textContent).toMatch(/txet/);
  expect(input.value).toBe("txet: typo");
  expect(state(block)).toBe("running");
  block.querySelector<HTMLButtonElement>(".grpc-callouts-half-close")?.click();
  await until(() => state(block) === "done", 5_000, "done after half-close");
  expect(block.querySelectorAll('.grpc-callouts-message[data-direction="sent"]')).toHaveLength(2);
  await env.close();
});

test("a block calling another machine asks first, once per note and target", async () => {
  // 0.0.0.0 is not a loopback address, so the plugin asks; connecting to it stays on this machine,
  // which keeps the test's traffic local (no DNS, no packets leave).
  const env = await setup("```grpc\nmethod: a.B/C\ntarget: 0.0.0.0:1\ndeadline: 1s\nrequest: {}\n```\n");
  const block = env.rendered.root.querySelector<HTMLElement>(".grpc-callouts-block")!;
  const before = openedModals.length;
  block.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => openedModals.length === before + 1);
  const modal = openedModals.at(-1)!;
  expect(modal.titleEl.textContent).toBe("Call a server on another machine?");
  expect(modal.contentEl.textContent).toContain("0.0.0.0:1");
  const [callIt, cancel] = Array.from(modal.contentEl.querySelectorAll("button"));
  expect([callIt?.textContent, cancel?.textContent]).toEqual(["Call it", "Cancel"]);
  cancel?.click();
  await until(() => state(block) === "cancelled");
  expect(block.querySelector(".grpc-callouts-status")?.textContent).toContain("was not confirmed");
  block.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => openedModals.length === before + 2);
  Array.from(openedModals.at(-1)!.contentEl.querySelectorAll("button"))[0]?.click();
  await until(() => state(block) === "failed", 15_000, "the call fails, after confirming");
  // Confirmed once: the next run does not ask again.
  block.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => state(block) === "running" || state(block) === "failed");
  await new Promise((r) => setTimeout(r, 100));
  expect(openedModals.length).toBe(before + 2);
  await env.close();
});

test("variables from the settings reach the server and are masked on screen", async () => {
  const env = await setup("```grpc\nmethod: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: 'my key is {{apiKey}}'}\n```\n", { variables: { apiKey: "k-123-very-secret" } });
  const block = env.rendered.root.querySelector<HTMLElement>(".grpc-callouts-block")!;
  block.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => state(block) === "done");
  expect(block.textContent).not.toContain("k-123-very-secret");
  expect(block.querySelector('.grpc-callouts-message[data-direction="received"]')?.textContent).toContain("my key is ••••••");
  await env.close();
});
