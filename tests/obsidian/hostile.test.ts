/**
 * @jest-environment jsdom
 */
// A hostile server: markup, bidi controls and a 10 MB string in messages, metadata, status
// messages and error details. All of it must render as text, shortened with an expand control.
import { create, toBinary } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { Metadata, Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall, type ServerWritableStream } from "@grpc/grpc-js";
import GrpcCalloutsPlugin from "../../src/obsidian/GrpcCalloutsPlugin";
import { fileRegistryOf } from "../../src/schema/fileRegistryOf";
import { methodDefinition, serviceDefinition } from "../../src/call/methodDefinition";
import { ErrorInfoSchema } from "../../src/gen/google/rpc/error_details_pb";
import { StatusSchema } from "../../src/gen/google/rpc/status_pb";
import { ServerReflection } from "../../src/gen/grpc/reflection/v1/reflection_pb";
import { AskResponseSchema, PatternService } from "../../src/gen/grpccallouts/demo/v1/patterns_pb";
import { reflectionService } from "../../src/sidecar/reflectionService";
import { SIDECAR_FILES } from "../../src/sidecar/sidecarFiles";
import { createApp, loadPlugin, mockOf, renderNote, until } from "../support/host";

const EVIL = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>\u202Egnp.exe\u2066<b>bold</b>';
const HUGE = `${EVIL}${"A".repeat(10 * 1024 * 1024)}`;

async function hostileServer(): Promise<{ port: number; stop(): void }> {
  const server = new Server({ "grpc.max_send_message_length": 64 * 1024 * 1024 });
  server.addService(serviceDefinition(PatternService), {
    Ask(call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      const md = new Metadata();
      md.set("x-evil", EVIL.replace(/[^\x20-\x7e]/g, "?"));
      md.set("x-evil-bin", Buffer.from(EVIL));
      call.sendMetadata(md);
      const trailers = new Metadata();
      trailers.set("x-trailer-evil", "<script>alert(1)</script>");
      callback(null, create(AskResponseSchema, { answer: HUGE }), trailers);
    },
    Feed(call: ServerWritableStream<unknown, unknown>) {
      const status = create(StatusSchema, {
        code: 9,
        message: EVIL,
        details: [anyPack(ErrorInfoSchema, create(ErrorInfoSchema, { reason: EVIL, domain: "<iframe src=javascript:alert(1)>", metadata: { "<a>": EVIL } }))],
      });
      const md = new Metadata();
      md.set("grpc-status-details-bin", Buffer.from(toBinary(StatusSchema, status)));
      call.emit("error", { code: 9, details: EVIL, metadata: md });
    },
  });
  const impl = reflectionService(() => fileRegistryOf(...SIDECAR_FILES), [PatternService.typeName]);
  server.addService({ ServerReflectionInfo: methodDefinition(ServerReflection.method.serverReflectionInfo) }, impl);
  const port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
  return { port, stop: () => server.forceShutdown() };
}

test("hostile text from a server is shown as text, shortened, and injects nothing", async () => {
  const s = await hostileServer();
  const note = [
    "```grpc",
    "method: grpccallouts.demo.v1.PatternService/Ask",
    `target: 127.0.0.1:${s.port}`,
    "request: {}",
    "```",
    "",
    "```grpc",
    "method: grpccallouts.demo.v1.PatternService/Feed",
    `target: 127.0.0.1:${s.port}`,
    "request: {}",
    "```",
  ].join("\n");
  const { app, vault } = createApp({ "Hostile.md": note });
  await vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify({ maxMessageMb: 32 }));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, app);
  const rendered = await renderNote(app, plugin, "Hostile.md");
  const [ask, feed] = Array.from(rendered.root.querySelectorAll<HTMLElement>(".grpc-callouts-block"));
  ask?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  feed?.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  const state = (el?: HTMLElement) => el?.querySelector(".grpc-callouts-transcript")?.getAttribute("data-state");
  await until(() => state(ask) === "done" && state(feed) === "failed", 30_000, "both finished");

  // Nothing was injected anywhere.
  expect(rendered.root.querySelectorAll("img, script, iframe, b, a")).toHaveLength(0);
  expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();

  // The 10 MB answer is shortened, with a control that shows it all.
  const msg = ask?.querySelector<HTMLElement>('.grpc-callouts-message[data-direction="received"]');
  expect(msg?.textContent?.length).toBeLessThan(3000);
  expect(msg?.textContent).toContain("<img src=x");
  const expand = ask?.querySelector<HTMLButtonElement>(".grpc-callouts-expand");
  expect(expand?.textContent).toMatch(/^Show all \([\d,]+ characters\)$/);
  expand?.click();
  expect(msg?.textContent?.length).toBeGreaterThan(10 * 1024 * 1024);
  expect(ask?.querySelectorAll("img, script")).toHaveLength(0);

  // Metadata, including the -bin value, is text.
  expect(ask?.querySelector(".grpc-callouts-headers")?.textContent).toContain(Buffer.from(EVIL).toString("base64"));
  expect(ask?.querySelector(".grpc-callouts-trailers")?.textContent).toContain("<script>alert(1)</script>");

  // The status message and the error details are text too.
  const status = feed?.querySelector(".grpc-callouts-status");
  expect(status?.getAttribute("data-code")).toBe("FAILED_PRECONDITION");
  expect(status?.textContent).toContain("<img src=x");
  expect(status?.querySelector(".grpc-callouts-details")?.textContent).toContain("<iframe src=javascript:alert(1)>");
  expect(rendered.root.querySelectorAll("img, script, iframe, b, a")).toHaveLength(0);

  rendered.close();
  mockOf(plugin).unload();
  await plugin.stopped;
  s.stop();
});
