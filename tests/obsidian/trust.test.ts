/**
 * @jest-environment jsdom
 */
// The note is a trust boundary: paths stay in the vault, a note reads only the environment
// variables the user allowed, and the outbound confirmation says what leaves the machine.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { openedModals } from "../__mocks__/obsidian";
import { createApp, loadPlugin, mockOf, renderNote, until } from "../support/host";

async function setup(files: Record<string, string>, settings: Record<string, unknown> = {}) {
  const env = createApp(files);
  await env.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ runtime: "in-process", ...settings }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, env.app);
  const rendered = await renderNote(env.app, plugin, "Note.md");
  const close = async () => {
    rendered.close();
    mockOf(plugin).unload();
    await plugin.stopped;
  };
  return { ...env, plugin, rendered, close };
}
const transcriptOf = (root: HTMLElement) => root.querySelector<HTMLElement>(".grpc-callouts-transcript");
const statusOf = (root: HTMLElement) => root.querySelector<HTMLElement>(".grpc-callouts-status");

test("a block's proto: outside the vault is refused inline, before anything is read", async () => {
  const env = await setup({ "Note.md": "```grpc\nmethod: a.B/C\nproto: ../outside.proto\n```\n" });
  const head = env.rendered.root.querySelector(".grpc-callouts-block-head .grpc-callouts-error");
  expect(head?.textContent).toMatch(/Line 3, column 1: `proto:` "..\/outside.proto" climbs out of its folder with "..", outside the vault\. Paths in blocks are vault paths/);
  env.rendered.root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => transcriptOf(env.rendered.root)?.getAttribute("data-state") === "failed");
  expect(statusOf(env.rendered.root)?.getAttribute("data-code")).toBe("INVALID_ARGUMENT");
  await env.close();
});

test("an import inside a vault .proto that climbs out of the vault is never read", async () => {
  const env = await setup({
    "Note.md": "```grpc\nmethod: in.v1.S/M\nproto: protos/in.proto\nrequest: {}\n```\n",
    "protos/in.proto": 'syntax = "proto3";\npackage in.v1;\nimport "../../outside.proto";\nservice S { rpc M(out.v1.Msg) returns (out.v1.Msg); }\n',
  });
  // A valid file where the climbing import points: if it were read, the schema would load.
  mkdirSync(join(env.root, ".."), { recursive: true });
  writeFileSync(join(env.root, "..", "outside.proto"), 'syntax = "proto3";\npackage out.v1;\nmessage Msg {}\n');
  env.rendered.root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => transcriptOf(env.rendered.root)?.getAttribute("data-state") === "failed", 10_000, "failed");
  expect(statusOf(env.rendered.root)?.textContent).toMatch(/outside\.proto/);
  await env.close();
});

describe("environment variables", () => {
  const NOTE = "```grpc\nmethod: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: \"{{env.GRPC_CALLOUTS_TEST_SECRET}}\"}\n```\n";
  beforeAll(() => {
    process.env["GRPC_CALLOUTS_TEST_SECRET"] = "aws-secret-1234567";
  });
  afterAll(() => {
    delete process.env["GRPC_CALLOUTS_TEST_SECRET"];
  });

  test("by default a note reads none, and the error names the setting", async () => {
    const env = await setup({ "Note.md": NOTE });
    env.rendered.root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => transcriptOf(env.rendered.root)?.getAttribute("data-state") === "failed");
    expect(statusOf(env.rendered.root)?.getAttribute("data-code")).toBe("PERMISSION_DENIED");
    expect(env.rendered.root.textContent).toContain("Environment variables notes may read");
    expect(env.rendered.root.querySelectorAll(".grpc-callouts-message")).toHaveLength(0);
    await env.close();
  });

  test("a name on the allow-list resolves, and its value is masked", async () => {
    const env = await setup({ "Note.md": NOTE }, { envAllowed: ["GRPC_CALLOUTS_TEST_SECRET"] });
    env.rendered.root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => transcriptOf(env.rendered.root)?.getAttribute("data-state") === "done");
    // Rows a loaded machine could not draw within the frame's budget come with the next frame.
    const sent = () => env.rendered.root.querySelector('.grpc-callouts-message[data-direction="sent"]');
    await until(() => sent() !== null);
    expect(env.rendered.root.textContent).not.toContain("aws-secret-1234567");
    expect(sent()?.textContent).toContain("••••••");
    await env.close();
  });
});

test("the outbound confirmation lists the target, the metadata keys and the variables; no means no call", async () => {
  const env = await setup(
    { "Note.md": '```grpc\nmethod: a.B/C\ntarget: api.example.invalid:443\nmetadata: {authorization: "Bearer {{token}}"}\nrequest: {}\n```\n' },
    { variables: { token: "tok-abcdefgh" } },
  );
  const before = openedModals.length;
  env.rendered.root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => openedModals.length > before, 5_000, "asked");
  const modal = openedModals.at(-1)!;
  const lines = Array.from(modal.contentEl.querySelectorAll("p")).map((p) => p.textContent);
  expect(lines).toEqual([
    "A call in Note.md goes to api.example.invalid:443.",
    "It sends the metadata keys authorization.",
    "It carries the values of {{token}}: they leave this machine, although transcripts mask them.",
    "One request message is sent.",
  ]);
  modal.close();
  await until(() => transcriptOf(env.rendered.root)?.getAttribute("data-state") === "cancelled");
  expect(statusOf(env.rendered.root)?.textContent).toContain("was not confirmed");
  await env.close();
});

test("a .proto edited in the vault is read again at the next run", async () => {
  const proto = (method: string) => `syntax = "proto3";\npackage grpccallouts.demo.v1;\nmessage AskRequest { string question = 1; }\nmessage AskResponse { string answer = 1; }\nservice PatternService { rpc ${method}(AskRequest) returns (AskResponse); }\n`;
  const env = await setup({ "Note.md": "```grpc\nmethod: grpccallouts.demo.v1.PatternService/Ask\nproto: p.proto\nrequest: {}\n```\n", "p.proto": proto("Asq") });
  const run = async (state: string) => {
    env.rendered.root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => transcriptOf(env.rendered.root)?.getAttribute("data-state") === state, 10_000, state);
  };
  await run("failed");
  expect(statusOf(env.rendered.root)?.textContent).toContain('has no method "Ask"');
  await env.vault.modify(env.vault.getFileByPath("p.proto")!, proto("Ask"));
  await run("done");
  await env.close();
});

test("Reload schemas makes the next run read a schema again", async () => {
  const proto = (method: string) => `syntax = "proto3";\npackage grpccallouts.demo.v1;\nmessage AskRequest { string question = 1; }\nmessage AskResponse { string answer = 1; }\nservice PatternService { rpc ${method}(AskRequest) returns (AskResponse); }\n`;
  const env = await setup({ "Note.md": "```grpc\nmethod: grpccallouts.demo.v1.PatternService/Ask\nproto: p.proto\nrequest: {}\n```\n", "p.proto": proto("Asq") });
  /** Runs the block and resolves with the state of that run's transcript, once it has ended. */
  const run = async (): Promise<string | undefined> => {
    const session = () => env.plugin.sessions.forNote("Note.md")[0];
    const before = session()?.transcript;
    env.rendered.root.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
    await until(() => session()?.transcript != null && session()?.transcript !== before && session()?.transcript?.status != null, 10_000, "the run ended");
    return session()?.transcript?.state;
  };
  expect(await run()).toBe("failed");
  // Changed on disk behind the vault's back: no event tells the plugin, so the cached schema stays.
  writeFileSync(join(env.root, "p.proto"), proto("Ask"));
  expect(await run()).toBe("failed");
  (env.plugin as unknown as { reloadSchemas(): void }).reloadSchemas();
  expect(await run()).toBe("done");
  await env.close();
});
