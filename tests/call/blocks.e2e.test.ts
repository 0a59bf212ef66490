// grpc blocks end to end: against Python's grpcio (another gRPC implementation) with schemas
// from .proto files in a vault, against the sidecar, and against reflection-only servers.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { create, toBinary } from "@bufbuild/protobuf";
import { anyPack } from "@bufbuild/protobuf/wkt";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { Code } from "../../src/core/errors/Code";
import type { CallError } from "../../src/core/errors/CallError";
import { parseBlock } from "../../src/core/spec/parseBlock";
import type { CallSpec } from "../../src/core/spec/CallSpec";
import { substituteVariables } from "../../src/core/spec/substituteVariables";
import type { CallEvent } from "../../src/core/transcript/CallEvent";
import { applyEvent, createTranscript } from "../../src/core/transcript/Transcript";
import { toMarkdown } from "../../src/core/transcript/toMarkdown";
import { ClientPool } from "../../src/call/ClientPool";
import { createRunHost } from "../../src/call/createRunHost";
import { fileRegistryOf } from "../../src/schema/fileRegistryOf";
import { methodDefinition, serviceDefinition } from "../../src/call/methodDefinition";
import { requestTemplate } from "../../src/schema/requestTemplate";
import { startCall } from "../../src/call/startCall";
import { BadRequestSchema } from "../../src/gen/google/rpc/error_details_pb";
import { StatusSchema } from "../../src/gen/google/rpc/status_pb";
import { ServerReflection } from "../../src/gen/grpc/reflection/v1/reflection_pb";
import { AskRequestSchema, PatternService } from "../../src/gen/grpccallouts/demo/v1/patterns_pb";
import { demoService } from "../../src/sidecar/demoService";
import { reflectionService } from "../../src/sidecar/reflectionService";
import { SIDECAR_FILES } from "../../src/sidecar/sidecarFiles";
import { TOKEN_HEADER } from "../../src/sidecar/handshake";
import { startPythonServer, type PythonServer } from "../support/python";
import { collect, tempDir, testHost } from "../support/sidecar";

const FIXTURES = join(__dirname, "../fixtures/python");
const vault = tempDir("grpc-callouts-blocks-");
mkdirSync(join(vault, "protos/echo/v1"), { recursive: true });
copyFileSync(join(FIXTURES, "echo.proto"), join(vault, "protos/echo.proto"));
copyFileSync(join(FIXTURES, "echo/v1/types.proto"), join(vault, "protos/echo/v1/types.proto"));

const { launcher, pool, host } = testHost({ runtime: "in-process" }, async (p) => new Uint8Array(readFileSync(join(vault, p))));
let py: PythonServer;
beforeAll(async () => {
  py = await startPythonServer();
});
afterAll(async () => {
  pool.close();
  await launcher.stop();
  await py.stop();
});

type Status = Extract<CallEvent, { type: "status" }>;
const statusOf = (events: CallEvent[]) => events.find((e): e is Status => e.type === "status") as Status;
const received = (events: CallEvent[]) => events.filter((e) => e.type === "message" && e.direction === "received").map((e) => (e as { json: unknown }).json);
const sent = (events: CallEvent[]) => events.filter((e) => e.type === "message" && e.direction === "sent").map((e) => (e as { json: unknown }).json);
const metaOf = (events: CallEvent[], type: "headers" | "trailers") => (events.find((e) => e.type === type) as { metadata: Array<[string, string]> } | undefined)?.metadata ?? [];

/** Parses a block (as it would sit in a note) and runs it. */
async function run(yaml: string, vars: Record<string, string> = {}, env: Record<string, string> = {}): Promise<CallEvent[]> {
  const parsed = parseBlock(yaml.replace(/PORT/g, String(py.port)), { firstLine: 10 });
  if (!parsed.ok) throw parsed.error;
  const spec = substituteVariables(parsed.spec, { variables: vars, env, envAllowed: "all" });
  if (spec instanceof Error) throw spec;
  return collect(startCall(spec, host).events);
}

/** The spec of a block that must parse. */
function specOf(yaml: string): CallSpec {
  return specFrom(parseBlock(yaml));
}
function specFrom(r: ReturnType<typeof parseBlock>): CallSpec {
  if (!r.ok) throw r.error;
  return r.spec;
}

const ECHO = "target: 127.0.0.1:PORT\nproto: protos/echo.proto\n";

describe("against Python grpcio, schema from .proto files with nested imports and well-known types", () => {
  test("unary: every JSON form comes back as canonical proto3 JSON", async () => {
    const events = await run(
      `method: echo.v1.Echo/Unary\n${ECHO}request:\n  text: hi\n  big: "9007199254740993"\n  blob: aGVsbG8=\n  mood: HAPPY\n  at: "2024-01-02T03:04:05.5Z"\n  inner: {k: {wait: "1.5s"}}\n`,
    );
    expect(statusOf(events).code).toBe(Code.OK);
    const expected = { text: "hi", big: "9007199254740993", blob: "aGVsbG8=", mood: "HAPPY", at: "2024-01-02T03:04:05.500Z", inner: { k: { wait: "1.500s" } } };
    expect(sent(events)).toEqual([expected]);
    expect(received(events)).toEqual([expected]);
  });

  test("int64 as a number works too", async () => {
    const events = await run(`method: echo.v1.Echo.Unary\n${ECHO}request: {big: 42}\n`);
    expect(received(events)).toEqual([{ big: "42" }]);
  });

  test("server streaming, client streaming and bidi", async () => {
    const server = await run(`method: echo.v1.Echo/ServerStream\n${ECHO}request: {text: x}\n`);
    expect(received(server)).toEqual([{ text: "x" }, { text: "x" }, { text: "x" }]);
    const client = await run(`method: echo.v1.Echo/ClientStream\n${ECHO}requests:\n  - {parts: [a]}\n  - {parts: [b]}\n  - {parts: [c]}\n`);
    expect(received(client)).toEqual([{ parts: ["a", "b", "c"] }]);
    const bidi = await run(`method: echo.v1.Echo/Bidi\n${ECHO}interval: 50ms\nrequests: [{text: one}, {text: two}, {text: three}]\n`);
    expect(received(bidi)).toEqual([{ text: "one" }, { text: "two" }, { text: "three" }]);
    const order = bidi.filter((e) => e.type === "message").map((e) => (e as { direction: string }).direction);
    expect(order.indexOf("received")).toBeLessThan(order.lastIndexOf("sent"));
  });

  test("metadata comes back in headers and trailers, -bin keys as base64", async () => {
    const events = await run(`method: echo.v1.Echo/Unary\n${ECHO}metadata: {x-echo-plain: hello, x-echo-data-bin: AAEC/w==}\nrequest: {}\n`);
    expect(metaOf(events, "headers")).toEqual(expect.arrayContaining([["x-echo-plain", "hello"], ["x-echo-data-bin", "AAEC/w=="]]));
    expect(metaOf(events, "trailers")).toEqual(expect.arrayContaining([["x-echo-plain", "hello"], ["x-echo-data-bin", "AAEC/w=="], ["x-trailer-only", "yes"]]));
  });

  test("a deadline cuts a slow answer off", async () => {
    const t0 = Date.now();
    const status = statusOf(await run(`method: echo.v1.Echo/Unary\n${ECHO}metadata: {x-sleep-ms: "3000"}\ndeadline: 300ms\nrequest: {}\n`));
    expect(status.code).toBe(Code.DEADLINE_EXCEEDED);
    expect(status.hint).toMatch(/deadline/);
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  test("a status message with tabs, newlines and emoji comes back exactly, with decoded details", async () => {
    const message = "bad\tinput\nline two 🚀 ünïcode";
    const badRequest = create(BadRequestSchema, { fieldViolations: [{ field: "text", description: "too short" }] });
    const status = create(StatusSchema, {
      code: 3,
      message,
      details: [anyPack(BadRequestSchema, badRequest), { $typeName: "google.protobuf.Any", typeUrl: "type.example.com/acme.Unknown", value: new Uint8Array([1, 2, 3]) }],
    });
    const md = {
      "x-fail-code": "3",
      "x-fail-message-bin": Buffer.from(message).toString("base64"),
      "x-fail-details-bin": Buffer.from(toBinary(StatusSchema, status)).toString("base64"),
    };
    const got = statusOf(await run(`method: echo.v1.Echo/Unary\n${ECHO}metadata: ${JSON.stringify(md)}\nrequest: {}\n`));
    expect(got.code).toBe(Code.INVALID_ARGUMENT);
    expect(got.message).toBe(message);
    expect(got.details).toEqual([
      { "@type": "type.googleapis.com/google.rpc.BadRequest", fieldViolations: [{ field: "text", description: "too short" }] },
      { "@type": "type.example.com/acme.Unknown", value: "AQID" },
    ]);
  });

  test("an unknown field names the field and its line in the note", async () => {
    const status = statusOf(await run(`method: echo.v1.Echo/Unary\n${ECHO}request: {txet: hi}\n`));
    expect(status.code).toBe(Code.INVALID_ARGUMENT);
    expect(status.message).toMatch(/^The request \(line 13\) does not fit echo\.v1\.EchoMessage: .*txet/);
    expect(status.hint).toMatch(/Fields of echo\.v1\.EchoMessage: text, parts, big, blob, mood, at, inner/);
  });

  test("an unknown method names the closest", async () => {
    const status = statusOf(await run(`method: echo.v1.Echo/Unery\n${ECHO}request: {}\n`));
    expect(status.code).toBe(Code.NOT_FOUND);
    expect(status.hint).toBe('Did you mean "echo.v1.Echo/Unary"?');
  });

  test("an import that is not found lists the paths tried", async () => {
    writeFileSync(join(vault, "protos/broken.proto"), 'syntax = "proto3";\npackage b;\nimport "missing/dep.proto";\n');
    const status = statusOf(await run(`method: b.S/M\ntarget: 127.0.0.1:PORT\nproto: protos/broken.proto\nrequest: {}\n`));
    expect(status.code).toBe(Code.NOT_FOUND);
    expect(status.message).toBe('protos/broken.proto:3:8: import "missing/dep.proto" was not found.');
    expect(status.hint).toContain('"protos/missing/dep.proto", "missing/dep.proto"');
  });

  test("a .proto syntax error points at file:line:col", async () => {
    writeFileSync(join(vault, "protos/bad.proto"), 'syntax = "proto3";\nmessage A {\n  int32 x = ;\n}\n');
    const status = statusOf(await run(`method: b.S/M\ntarget: 127.0.0.1:PORT\nproto: protos/bad.proto\nrequest: {}\n`));
    expect(status.message).toBe('protos/bad.proto:3:13: expected a field number, found ";"');
  });

  test("bad YAML is an error with line and column", () => {
    const parsed = parseBlock("method: a.B/C\nrequest: {a: 1\n", { firstLine: 20 });
    expect(parsed.ok).toBe(false);
    const e = (parsed as { error: CallError }).error;
    expect(e.code).toBe(Code.INVALID_ARGUMENT);
    expect(e.location?.line).toBeGreaterThanOrEqual(21);
    expect(e.message).toMatch(/^YAML syntax error/);
  });

  test("variables fill metadata and messages, and are masked everywhere they come back", async () => {
    const events = await run(
      `method: echo.v1.Echo/Unary\n${ECHO}metadata: {x-echo-auth: "Bearer {{token}}", x-echo-env: "{{env.GRPC_TEST_VALUE}}"}\nrequest: {text: "{{token}}"}\n`,
      { token: "s3cr3t-value" },
      { GRPC_TEST_VALUE: "from-the-env" },
    );
    expect(statusOf(events).code).toBe(Code.OK);
    const everything = JSON.stringify(events);
    expect(everything).not.toContain("s3cr3t-value");
    expect(everything).not.toContain("from-the-env");
    expect(metaOf(events, "headers")).toEqual(expect.arrayContaining([["x-echo-auth", "Bearer ••••••"], ["x-echo-env", "••••••"]]));
    expect(received(events)).toEqual([{ text: "••••••" }]);
    const t = createTranscript({ label: "x", method: "m", target: "t", startedAt: 0 });
    for (const e of events) applyEvent(t, e);
    expect(toMarkdown(t)).not.toContain("s3cr3t-value");
  });

  test("an unknown variable is an error that says where to define it", () => {
    const parsed = parseBlock("method: a.B/C\nmetadata: {a: '{{tokn}}'}\n");
    const spec = substituteVariables(specFrom(parsed), { variables: { token: "x" }, env: {}, envAllowed: [] });
    expect((spec as CallError).message).toBe("Unknown variable {{tokn}}.");
    expect((spec as CallError).hint).toMatch(/Settings → gRPC Callouts → Variables, or did you mean \{\{token\}\}\?/);
  });

  test("an unreachable target fails within its deadline with a hint", async () => {
    const t0 = Date.now();
    const status = statusOf(await run("method: echo.v1.Echo/Unary\ntarget: 127.0.0.1:1\nproto: protos/echo.proto\ndeadline: 3s\nrequest: {}\n"));
    expect([Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED]).toContain(status.code);
    expect(Date.now() - t0).toBeLessThan(3500);
    expect(status.hint).toMatch(/127\.0\.0\.1:1|deadline/);
  });
});

describe("TLS, with a CA and a server certificate made here", () => {
  const dir = tempDir("grpc-callouts-tls-");
  let tlsServer: PythonServer;
  beforeAll(async () => {
    const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=grpc-callouts test CA");
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
    writeFileSync(join(dir, "ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
    ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
    ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "other.key", "-out", "other-ca.pem", "-days", "2", "-subj", "/CN=some other CA");
    mkdirSync(join(vault, "certs"), { recursive: true });
    copyFileSync(join(dir, "ca.pem"), join(vault, "certs/ca.pem"));
    copyFileSync(join(dir, "other-ca.pem"), join(vault, "certs/other-ca.pem"));
    tlsServer = await startPythonServer({ cert: join(dir, "server.pem"), key: join(dir, "server.key") });
    // A second server whose certificate names only echo.internal, as behind a load balancer or in a cluster.
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "named.key", "-out", "named.csr", "-subj", "/CN=echo.internal");
    writeFileSync(join(dir, "named.cnf"), "subjectAltName=DNS:echo.internal\n");
    ssl("x509", "-req", "-in", "named.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "named.pem", "-days", "2", "-extfile", "named.cnf");
    namedServer = await startPythonServer({ cert: join(dir, "named.pem"), key: join(dir, "named.key") });
  });
  let namedServer: PythonServer;
  afterAll(() => Promise.all([tlsServer.stop(), namedServer.stop()]));

  test("the right CA connects", async () => {
    const events = await run(`method: echo.v1.Echo/Unary\ntarget: localhost:${tlsServer.port}\nproto: protos/echo.proto\ntls: {ca: certs/ca.pem}\nrequest: {text: secure}\n`);
    expect(statusOf(events).code).toBe(Code.OK);
    expect(received(events)).toEqual([{ text: "secure" }]);
  });

  test("server-name checks the certificate against that name instead of the target's host", async () => {
    const block = (tls: string) => `method: echo.v1.Echo/Unary\ntarget: 127.0.0.1:${namedServer.port}\nproto: protos/echo.proto\ntls: ${tls}\ndeadline: 5s\nrequest: {text: named}\n`;
    const named = await run(block("{ca: certs/ca.pem, server-name: echo.internal}"));
    expect(statusOf(named).code).toBe(Code.OK);
    expect(received(named)).toEqual([{ text: "named" }]);
    // Without it, the certificate does not name 127.0.0.1, and the call fails with the TLS hint.
    const unnamed = statusOf(await run(block("{ca: certs/ca.pem}")));
    expect(unnamed.code).toBe(Code.UNAVAILABLE);
    expect(unnamed.hint).toMatch(/server-name/);
  });

  test("a wrong CA fails with a TLS hint", async () => {
    const status = statusOf(await run(`method: echo.v1.Echo/Unary\ntarget: localhost:${tlsServer.port}\nproto: protos/echo.proto\ntls: {ca: certs/other-ca.pem}\ndeadline: 5s\nrequest: {}\n`));
    expect(status.code).toBe(Code.UNAVAILABLE);
    expect(status.hint).toMatch(/TLS handshake failed/);
  });
});

describe("server reflection", () => {
  /** A grpc-js server with the demo service and reflection at only the given versions. */
  async function reflectionServer(versions: Array<"v1" | "v1alpha">): Promise<{ port: number; stop(): void }> {
    const server = new Server();
    server.addService(serviceDefinition(PatternService), demoService(() => undefined));
    const impl = reflectionService(() => fileRegistryOf(...SIDECAR_FILES), [PatternService.typeName]);
    const info = methodDefinition(ServerReflection.method.serverReflectionInfo);
    for (const v of versions) {
      server.addService({ ServerReflectionInfo: { ...info, path: `/grpc.reflection.${v}.ServerReflection/ServerReflectionInfo` } }, impl);
    }
    const port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
    return { port, stop: () => server.forceShutdown() };
  }

  test.each([[["v1"]], [["v1alpha"]], [["v1", "v1alpha"]]] as Array<[Array<"v1" | "v1alpha">]>)("a server offering %j works", async (versions) => {
    const s = await reflectionServer(versions);
    const parsed = parseBlock(`method: grpccallouts.demo.v1.PatternService/Ask\ntarget: 127.0.0.1:${s.port}\nrequest: {question: reflected}\n`);
    const events = await collect(startCall(specFrom(parsed), host).events);
    expect(statusOf(events).code).toBe(Code.OK);
    expect(JSON.stringify(received(events))).toContain("reflected");
    s.stop();
  });

  test("a server without reflection says to add proto:", async () => {
    const s = await reflectionServer([]);
    const parsed = parseBlock(`method: grpccallouts.demo.v1.PatternService/Ask\ntarget: 127.0.0.1:${s.port}\nrequest: {}\n`);
    const status = statusOf(await collect(startCall(specFrom(parsed), host).events));
    expect(status.code).toBe(Code.UNIMPLEMENTED);
    expect(status.hint).toMatch(/Add `proto:`/);
    s.stop();
  });

  test("discovery lists methods through reflection, and templates hold default values", async () => {
    const s = await reflectionServer(["v1alpha"]);
    const parsed = parseBlock(`target: 127.0.0.1:${s.port}\n`);
    expect(parsed.ok && parsed.spec.discover).toBe(true);
    const methods = await host.discover(specFrom(parsed), new AbortController().signal);
    expect(methods.methods.map((m) => [m.method, m.kind])).toEqual([
      ["grpccallouts.demo.v1.PatternService/Ask", "unary"],
      ["grpccallouts.demo.v1.PatternService/Chat", "bidi_streaming"],
      ["grpccallouts.demo.v1.PatternService/Feed", "server_streaming"],
      ["grpccallouts.demo.v1.PatternService/Upload", "client_streaming"],
    ]);
    expect(requestTemplate(AskRequestSchema)).toEqual({ question: "", payloadSize: 0, fault: { code: 0, message: "", after: 0 } });
    s.stop();
  });

  test("discovery of the sidecar and of a .proto file", async () => {
    const sidecar = await host.discover(specOf("target: sidecar-placeholder\n"), new AbortController().signal).catch(() => null);
    expect(sidecar).toBeNull();
    const fromProto = parseBlock("target: 127.0.0.1:1\nproto: protos/echo.proto\n");
    const methods = await host.discover(specFrom(fromProto), new AbortController().signal);
    expect(methods.methods.map((m) => m.method)).toEqual(["echo.v1.Echo/Bidi", "echo.v1.Echo/ClientStream", "echo.v1.Echo/ServerStream", "echo.v1.Echo/Unary"]);
  });
});

test("a message over the size limit fails with a hint to raise the limit", async () => {
  const small = new ClientPool({ maxReceiveMessageBytes: 2048 });
  const smallHost = createRunHost({
    sidecar: () => launcher.start(),
    sidecarFiles: fileRegistryOf(...SIDECAR_FILES),
    tokenHeader: TOKEN_HEADER,
    pool: small,
    readFile: () => Promise.reject(new Error("none")),
  });
  const status = statusOf(await collect(startCall(specOf("method: grpccallouts.demo.v1.PatternService/Ask\nrequest: {payloadSize: 100000}\n"), smallHost).events));
  small.close();
  expect(status.code).toBe(Code.RESOURCE_EXHAUSTED);
  expect(status.hint).toMatch(/Maximum message size/);
});
