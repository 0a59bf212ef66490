/**
 * @jest-environment jsdom
 */
// A hostile server against every path from a server to the note: "Save the last transcript",
// "Copy as Markdown" and "Insert call". It answers with Markdown, HTML and Obsidian syntax in
// messages, metadata, status messages and the service names its reflection lists. What lands in
// the note (or on the clipboard) is read back as Obsidian would read it: nothing but text, our
// own callout and our own code blocks.
import { create, createFileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { Metadata, Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream } from "@grpc/grpc-js";
import { parse } from "yaml";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { fileRegistryOf } from "../../src/schema/fileRegistryOf";
import { methodDefinition, serviceDefinition } from "../../src/call/methodDefinition";
import { ServerReflection } from "../../src/gen/grpc/reflection/v1/reflection_pb";
import { AskResponseSchema, PatternService } from "../../src/gen/grpccallouts/demo/v1/patterns_pb";
import { reflectionService } from "../../src/sidecar/reflectionService";
import { SIDECAR_FILES } from "../../src/sidecar/sidecarFiles";
import { createApp, loadPlugin, mockOf, openNote, renderNote, until } from "../support/host";
import { inspectMarkdown, plainReport } from "../support/obsidianMarkdown";

/** What a hostile server sends, one attack a line. */
const ATTACKS = [
  "![x](http://tracker.example/p.png)",
  "[open](obsidian://open?vault=x&file=y)",
  "```",
  "```dataviewjs",
  "app.vault.adapter.remove('x')",
  "```",
  "> [!danger] forged callout",
  "%% hidden %%",
  '<img src=x onerror="alert(1)">',
  "<script>alert(2)</script>",
  "[[Wiki]]",
  "![[embed.png]]",
  "==x==",
  "^block",
  "`".repeat(20),
  "~~~",
  "#tag $math$ http://autolink.example a@b.example",
];
const HOSTILE = ATTACKS.join("\n");
/** Metadata values are one line of printable ASCII. */
const HOSTILE_LINE = ATTACKS.filter((a) => !a.includes("`")).join(" ");
/** protobuf-es refuses invalid type names, but JSON names of fields are free text. */
const HOSTILE_JSON_NAME = `evil${"`".repeat(6)}Field ![x](http://t.example/p.png) [[W]] %% ==x==\n> [!danger] forged`;

async function hostileServer(): Promise<{ port: number; stop(): void }> {
  const server = new Server();
  server.addService(serviceDefinition(PatternService), {
    Ask(call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      const md = new Metadata();
      md.set("x-evil", HOSTILE_LINE);
      call.sendMetadata(md);
      const trailers = new Metadata();
      trailers.set("x-trailer-evil", HOSTILE_LINE);
      callback(null, create(AskResponseSchema, { answer: HOSTILE }), trailers);
    },
    Feed(call: ServerWritableStream<unknown, unknown>) {
      const md = new Metadata();
      md.set("x-evil", HOSTILE_LINE);
      call.emit("error", { code: 9, details: HOSTILE, metadata: md });
    },
  });
  // Reflection lists the demo service and one whose name is an attack.
  const evilFile = create(FileDescriptorProtoSchema, {
    name: "evil.proto",
    syntax: "proto3",
    package: "evil",
    messageType: [{ name: "Req", field: [{ name: "evil_field", number: 1, type: 9, label: 1, jsonName: HOSTILE_JSON_NAME }] }],
    service: [{ name: "Evil", method: [{ name: "M", inputType: ".evil.Req", outputType: ".evil.Req" }] }],
  });
  const files = fileRegistryOf(...SIDECAR_FILES, createFileRegistry(evilFile, () => undefined).getFile("evil.proto")!);
  const impl = reflectionService(() => files, [PatternService.typeName, "evil.Evil"]);
  server.addService({ ServerReflectionInfo: methodDefinition(ServerReflection.method.serverReflectionInfo) }, impl);
  const port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  return { port, stop: () => server.forceShutdown() };
}

let s: { port: number; stop(): void };
beforeAll(async () => {
  s = await hostileServer();
});
afterAll(() => s?.stop());

function block(method: string): string {
  return ["```grpc", `method: grpccallouts.demo.v1.PatternService/${method}`, `target: 127.0.0.1:${s.port}`, "request: {}", "```"].join("\n");
}

test.each([
  ["a message, headers and trailers", "Ask", "done"],
  ["a status message", "Feed", "failed"],
])("saving and copying a transcript with hostile %s writes only text", async (_what, method, endState) => {
  const note = `# Hostile\n\n${block(method)}\n`;
  const { app, vault } = createApp({ "Hostile.md": note });
  const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
  const rendered = await renderNote(app, plugin, "Hostile.md");
  const box = rendered.root.querySelector<HTMLElement>(".grpc-callouts-block")!;
  box.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  await until(() => box.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state") === endState, 20_000, "the call ended");

  // Save.
  expect(await plugin.saveLastTranscript()).toBe(true);
  const saved = await vault.read(vault.getFileByPath("Hostile.md")!);
  expect(saved).toContain("app.vault.adapter.remove"); // the attack is in the note, as text
  expect(inspectMarkdown(saved)).toEqual(plainReport(["grpc-transcript"], ["grpc", "text", "mermaid"]));
  // Every line of the saved callout carries its prefix.
  const lines = saved.split(/\r\n|\r|\n/);
  const from = lines.findIndex((l) => l.startsWith("> [!grpc-transcript]"));
  const callout = lines.slice(from);
  expect(callout.every((l) => l.startsWith(">") || l === "")).toBe(true);
  expect(callout.slice(0, callout.findIndex((l) => l === "") === -1 ? undefined : callout.findIndex((l) => l === "")).every((l) => l.startsWith(">"))).toBe(true);

  // Copy.
  box.querySelector<HTMLButtonElement>(".grpc-callouts-copy")?.click();
  const copied = (navigator.clipboard as unknown as { copied: string[] }).copied;
  await until(() => copied.length > 0);
  expect(inspectMarkdown(copied.at(-1) ?? "")).toEqual(plainReport([], ["text"]));

  rendered.close();
  mockOf(plugin).unload();
  await plugin.stopped;
});

test("Insert call quotes the field names a hostile server's reflection gives", async () => {
  const note = `# Discover\n\n\`\`\`grpc\ntarget: 127.0.0.1:${s.port}\n\`\`\`\n`;
  const { app, vault } = createApp({ "Discover.md": note });
  const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
  await openNote(app, "Discover.md");
  const rendered = await renderNote(app, plugin, "Discover.md");
  rendered.root.querySelector<HTMLButtonElement>("button.grpc-callouts-discover")?.click();
  await until(() => rendered.root.querySelectorAll(".grpc-callouts-insert-call").length === 5, 15_000, "listed");
  expect(rendered.root.querySelectorAll("img, script, a")).toHaveLength(0);
  const evil = Array.from(rendered.root.querySelectorAll<HTMLButtonElement>(".grpc-callouts-insert-call")).find((b) => b.getAttribute("aria-label")?.includes("Evil"));
  evil?.click();
  const file = vault.getFileByPath("Discover.md")!;
  let text = note;
  await until(() => false, 1).catch(() => undefined);
  const end = Date.now() + 5000;
  while (text === note && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 20));
    text = await vault.read(file);
  }
  expect(inspectMarkdown(text)).toEqual(plainReport([], ["grpc", "grpc"]));
  // The inserted block reads back as exactly the call to the hostile method.
  const inserted = /\n(`{3,})grpc\n([\s\S]*?)\n\1\n?$/.exec(text);
  expect(inserted).not.toBeNull();
  const yaml = parse(inserted?.[2] ?? "") as { method: string; target: string; request: Record<string, unknown> };
  expect(yaml.method).toBe("evil.Evil/M");
  expect(yaml.target).toBe(`127.0.0.1:${s.port}`);
  expect(Object.keys(yaml.request)).toEqual([HOSTILE_JSON_NAME]);

  rendered.close();
  mockOf(plugin).unload();
  await plugin.stopped;
});
