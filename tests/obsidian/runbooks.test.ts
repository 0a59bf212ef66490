/**
 * @jest-environment jsdom
 */
// Runbooks in the plugin, on the mock host and the real sidecar: running one block runs the named
// calls it refers to first, expectations show as .grpc-callouts-expect with data-result, a failed
// one puts the transcript in data-state="failed", chained values sent as metadata are masked where
// they came from, Run all orders by references, and environments (settings, frontmatter pin, the
// switch command and the status bar) choose the variables.
import { openedModals } from "../__mocks__/obsidian";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { toMarkdown } from "../../src/core/transcript/toMarkdown";
import { mockOf, setupNote, until } from "../support/host";

const ASK = "method: grpccallouts.demo.v1.PatternService/Ask";

const setup = (note: string, settings: Record<string, unknown> = {}) => setupNote(GrpcCalloutsPlugin, note, { runtime: "in-process", ...settings });

const blocks = (root: HTMLElement): HTMLElement[] => Array.from(root.querySelectorAll<HTMLElement>(".grpc-callouts-block"));
const state = (el: Element | undefined) => el?.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state");
const fence = (lines: string[]): string => ["```grpc", ...lines, "```", ""].join("\n");

test("running a block runs the call it refers to first; expectations show passing and failing; the chained value is masked", async () => {
  const note = [
    fence(["name: login", ASK, "request: {question: tok-5b2e91c7}"]),
    fence(["name: profile", ASK, 'metadata: {x-session: "{{login.response.answer}}"}', "request: {question: again}", "expect:", '  response: {answer: "/never/"}', "  status: OK"]),
    fence(["name: check", ASK, "request: {question: once more}", "expect:", "  status: OK", '  duration: "< 10s"']),
  ].join("\n");
  const env = await setup(note);
  const [login, profile, check] = blocks(env.rendered.root);
  profile?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => state(profile) === "failed" && state(login) === "done", 20_000, "profile ran after login");
  // login's answer was sent on as metadata, so login's own transcript masks it as it arrives.
  await until(() => login?.querySelector('.grpc-callouts-message[data-direction="received"]') != null, 5_000, "drawn");
  const answer = login?.querySelector('.grpc-callouts-message[data-direction="received"]')?.textContent ?? "";
  expect(answer).toContain("••••••");
  expect(answer).not.toContain("Hello from the sidecar");
  // And so do Copy as Markdown and a saved transcript, which are made from the same transcript.
  const loginSession = env.plugin.sessions.forNote("Note.md").find((x) => x.label.includes("Ask") && x.transcript?.rows.some((r) => r.direction === "received" && JSON.stringify(r.json).includes("••••••")));
  const markdown = loginSession?.transcript === null || loginSession === undefined ? "" : toMarkdown(loginSession.transcript);
  expect(markdown).toContain("••••••");
  expect(markdown).not.toContain("Hello from the sidecar");
  const results = Array.from(profile?.querySelectorAll<HTMLElement>(".grpc-callouts-expect") ?? []).map((e) => [e.dataset["result"], e.textContent]);
  expect(results[0]).toEqual(["pass", "✔ status OK"]);
  expect(results[1]?.[0]).toBe("fail");
  expect(results[1]?.[1]).toMatch(/^✘ response: expected \{"answer":"\/never\/"\}, got \.answer is "/);
  check?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => state(check) === "done", 20_000, "check passed");
  expect(Array.from(check?.querySelectorAll<HTMLElement>(".grpc-callouts-expect") ?? []).map((e) => e.dataset["result"])).toEqual(["pass", "pass"]);
  await env.close();
});

test("Run all orders calls by their references; a cycle runs nothing and says so", async () => {
  const ordered = [fence(["name: second", ASK, 'request: {question: "after {{first.response.answer}}"}']), fence(["name: first", ASK, "request: {question: one}"])].join("\n");
  const env = await setup(ordered);
  const [second, first] = blocks(env.rendered.root);
  const results = await env.plugin.runAll("Note.md", ordered);
  expect(results.map((t) => t?.state)).toEqual(["done", "done"]);
  expect(state(first)).toBe("done");
  // The view draws on the next animation frame.
  await until(() => second?.querySelector('.grpc-callouts-message[data-direction="sent"]') != null, 5_000, "drawn");
  expect(second?.querySelector('.grpc-callouts-message[data-direction="sent"]')?.textContent).toContain('after Hello from the sidecar. You asked \\"one\\"');
  const cycle = [fence(["name: a", ASK, 'request: {question: "{{b.response.answer}}"}']), fence(["name: b", ASK, 'request: {question: "{{a.response.answer}}"}'])].join("\n");
  expect(await env.plugin.runAll("Note.md", cycle)).toEqual([]);
  await env.close();
});

test("environments: the active one's variables come first, a note's frontmatter pins its own, and the switch command and status bar follow", async () => {
  const note = ["---", "grpc:", "  env: staging", "---", "", fence([ASK, 'request: {question: "{{where}}"}'])].join("\n");
  const env = await setup(note, { variables: { where: "global-value" }, environments: { staging: { where: "staging-value" }, prod: { where: "prod-value" } }, activeEnvironment: "prod" });
  // As Obsidian has parsed the note's frontmatter by the time it is shown.
  await env.app.metadataCache.index(env.vault.getFileByPath("Note.md")!);
  const [block] = blocks(env.rendered.root);
  block?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => state(block) === "done", 20_000, "ran");
  // The pin wins over the active environment; values put in by variables are masked, so look at the plan.
  const planned = env.plugin.controller.specFor("Note.md", env.plugin.controller.runnablesOf(note, "Note.md")[0]!);
  expect(planned.ok && planned.spec.requests).toEqual([{ question: "staging-value" }]);
  expect(env.plugin.controller.environmentOf("Note.md")).toBe("staging");
  // This plugin's status bar item: earlier tests' plugins left theirs in the document.
  const statusBar = Array.from(document.querySelectorAll(".grpc-callouts-statusbar")).at(-1);
  expect(statusBar?.textContent).toMatch(/ · prod$/);
  const command = mockOf(env.plugin).commands.find((c) => c.id === "switch-environment");
  command?.callback?.();
  const modal = openedModals.at(-1);
  const buttons = Array.from(modal?.contentEl.querySelectorAll("button") ?? []);
  expect(buttons.map((b) => b.textContent)).toEqual(["Use", "Use", "Active"]);
  buttons[0]?.click();
  await until(() => env.plugin.settings.activeEnvironment === "" && !/ · /.test(statusBar?.textContent ?? ""), 5_000, "switched off");
  await env.close();
});
