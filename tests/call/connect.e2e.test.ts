// gRPC-Web and Connect against a server of another implementation (connect-node), and plain gRPC to the
// same server: unary, streams, error details, metadata both ways, deadlines, refusals before sending,
// and TLS with the HTTP version negotiated by ALPN.
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Code } from "../../src/core/errors/Code";
import { parseBlock } from "../../src/core/spec/parseBlock";
import type { CallEvent } from "../../src/core/transcript/CallEvent";
import { ClientPool } from "../../src/call/ClientPool";
import { createRunHost } from "../../src/call/createRunHost";
import { startCall } from "../../src/call/startCall";
import { fileRegistryOf } from "../../src/schema/fileRegistryOf";
import { SIDECAR_FILES } from "../../src/sidecar/sidecarFiles";
import { TOKEN_HEADER } from "../../src/sidecar/handshake";
import { startConnectServer, type ConnectServer } from "../support/connectServer";
import { collect, tempDir } from "../support/sidecar";

const ROOT = join(__dirname, "../..");
const vault = tempDir("grpc-callouts-connect-");
mkdirSync(join(vault, "protos/grpccallouts/demo/v1"), { recursive: true });
copyFileSync(join(ROOT, "proto/grpccallouts/demo/v1/patterns.proto"), join(vault, "protos/grpccallouts/demo/v1/patterns.proto"));
const readFile = async (p: string): Promise<Uint8Array> => new Uint8Array(readFileSync(join(vault, p)));
const pool = new ClientPool();
const host = createRunHost({ sidecar: () => Promise.reject(new Error("no sidecar here")), sidecarFiles: fileRegistryOf(...SIDECAR_FILES), tokenHeader: TOKEN_HEADER, pool, readFile });
const servers: Record<"h1" | "h2c" | "tls", ConnectServer> = {} as never;
let mtls: ConnectServer;

beforeAll(async () => {
  const dir = tempDir("grpc-callouts-connect-tls-");
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=grpc-callouts connect CA");
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  execFileSync("sh", ["-c", "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > ext.cnf"], { cwd: dir });
  ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
  mkdirSync(join(vault, "certs"), { recursive: true });
  copyFileSync(join(dir, "ca.pem"), join(vault, "certs/ca.pem"));
  servers.h1 = await startConnectServer("h1");
  servers.h2c = await startConnectServer("h2c");
  servers.tls = await startConnectServer("tls", { key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.pem")) });
  // A client certificate for mTLS, signed by the same CA.
  ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr", "-subj", "/CN=grpc-callouts client");
  ssl("x509", "-req", "-in", "client.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "client.pem", "-days", "2");
  copyFileSync(join(dir, "client.pem"), join(vault, "certs/client.pem"));
  copyFileSync(join(dir, "client.key"), join(vault, "certs/client.key"));
  mtls = await startConnectServer("tls", { key: readFileSync(join(dir, "server.key")), cert: readFileSync(join(dir, "server.pem")), clientCa: readFileSync(join(dir, "ca.pem")) });
});
afterAll(async () => {
  host.close();
  pool.close();
  await Promise.all([...Object.values(servers), mtls].map((s) => s.stop()));
});

type Status = Extract<CallEvent, { type: "status" }>;
const statusOf = (events: CallEvent[]) => events.find((e): e is Status => e.type === "status") as Status;
const received = (events: CallEvent[]) => events.filter((e) => e.type === "message" && e.direction === "received").map((e) => (e as { json: unknown }).json);
const sentCount = (events: CallEvent[]) => events.filter((e) => e.type === "message" && e.direction === "sent").length;
const meta = (events: CallEvent[], type: "headers" | "trailers") => (events.find((e) => e.type === type) as { metadata: Array<[string, string]> } | undefined)?.metadata ?? [];

const PROTO = "proto: protos/grpccallouts/demo/v1/patterns.proto\n";
async function run(server: keyof typeof servers, head: string, body: string): Promise<CallEvent[]> {
  const parsed = parseBlock(`${head.replace(/PORT/g, String(servers[server].port))}\n${PROTO}${body}`, { firstLine: 1 });
  if (!parsed.ok) throw parsed.error;
  return collect(startCall(parsed.spec, host).events);
}

describe.each([
  ["grpc-web", "h1", "1.1"],
  ["connect", "h1", "1.1"],
  ["grpc-web", "h2c", "2"],
  ["connect", "h2c", "2"],
] as const)("%s over %s", (protocol, server, http) => {
  const head = `protocol: ${protocol}\nhttp: ${http}\ntarget: 127.0.0.1:PORT`;
  test("unary, with metadata both ways (a -bin value too)", async () => {
    const events = await run(server, head, "method: grpccallouts.demo.v1.PatternService/Ask\nmetadata: {x-echo: hello, x-echo-trailer: bye, x-data-bin: AAEC}\nrequest: {question: hi}\n");
    expect(statusOf(events)).toMatchObject({ code: Code.OK });
    expect(received(events)).toEqual([expect.objectContaining({ answer: 'connect-node heard "hi"' })]);
    expect(meta(events, "headers")).toEqual(expect.arrayContaining([["x-echo", "hello"], ["x-data-bin", "AAEC"]]));
    expect(meta(events, "trailers")).toEqual(expect.arrayContaining([["x-echo-trailer", "bye"]]));
  });
  test("server streaming", async () => {
    const events = await run(server, head, "method: grpccallouts.demo.v1.PatternService/Feed\nrequest: {count: 4, intervalMs: 5}\n");
    expect(statusOf(events)).toMatchObject({ code: Code.OK });
    expect(received(events).map((m) => (m as { seq: number }).seq)).toEqual([1, 2, 3, 4]);
  });
  test("an error with its google.rpc.Status details", async () => {
    const events = await run(server, head, "method: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: x, fault: {code: 9, message: not now}}\n");
    expect(statusOf(events)).toMatchObject({ code: Code.FAILED_PRECONDITION, message: "not now" });
    expect(statusOf(events).details).toEqual([expect.objectContaining({ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "DEMO_FAULT" })]);
  });
  test("a deadline ends the call with DEADLINE_EXCEEDED", async () => {
    const t0 = Date.now();
    const events = await run(server, head, "method: grpccallouts.demo.v1.PatternService/Ask\ndeadline: 200ms\nrequest: {question: slow}\n");
    expect(statusOf(events).code).toBe(Code.DEADLINE_EXCEEDED);
    expect(Date.now() - t0).toBeLessThan(1500);
  });
});

test.each([
  ["connect", "h1", "1.1", "Upload", /Client streaming is not possible over Connect on HTTP\/1\.1.*Use `http: 2`/],
  ["connect", "h1", "1.1", "Chat", /Bidirectional streaming is not possible over Connect on HTTP\/1\.1/],
  ["grpc-web", "h2c", "2", "Upload", /Client streaming is not possible over gRPC-Web \(HTTP\/2\).*`protocol: connect`/],
  ["grpc-web", "h1", "1.1", "Chat", /Bidirectional streaming is not possible over gRPC-Web/],
] as const)("%s on %s (HTTP/%s) refuses %s before sending anything", async (protocol, server, http, method, message) => {
  const events = await run(server, `protocol: ${protocol}\nhttp: ${http}\ntarget: 127.0.0.1:PORT`, `method: grpccallouts.demo.v1.PatternService/${method}\nrequests: [{text: a}]\n`);
  expect(statusOf(events)).toMatchObject({ code: Code.UNIMPLEMENTED, message: expect.stringMatching(message) });
  expect(sentCount(events)).toBe(0);
});

test("Connect over HTTP/2: client streaming and bidi", async () => {
  const head = "protocol: connect\nhttp: 2\ntarget: 127.0.0.1:PORT";
  const up = await run("h2c", head, "method: grpccallouts.demo.v1.PatternService/Upload\nrequests: [{seq: 1, data: AAEC}, {seq: 2, data: AAECAw==}]\n");
  expect(statusOf(up)).toMatchObject({ code: Code.OK });
  expect(received(up)).toEqual([expect.objectContaining({ count: 2, bytes: "7" })]);
  expect(up.some((e) => e.type === "half-close")).toBe(true);
  const chat = await run("h2c", head, "method: grpccallouts.demo.v1.PatternService/Chat\nrequests: [{text: one}, {text: two}]\n");
  expect(statusOf(chat)).toMatchObject({ code: Code.OK });
  expect(received(chat).map((m) => (m as { text: string }).text)).toEqual(['Got "one"', 'Got "two"']);
});

test("plain gRPC to the same connect-node server, all four kinds", async () => {
  const head = "target: 127.0.0.1:PORT";
  expect(statusOf(await run("h2c", head, "method: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: q}\n")).code).toBe(Code.OK);
  expect(received(await run("h2c", head, "method: grpccallouts.demo.v1.PatternService/Feed\nrequest: {count: 3}\n"))).toHaveLength(3);
  expect(received(await run("h2c", head, "method: grpccallouts.demo.v1.PatternService/Upload\nrequests: [{seq: 1}, {seq: 2}]\n"))).toEqual([expect.objectContaining({ count: 2 })]);
  expect(received(await run("h2c", head, "method: grpccallouts.demo.v1.PatternService/Chat\nrequests: [{text: a}, {text: b}, {text: c}]\n"))).toHaveLength(3);
});

test("over TLS the HTTP version is negotiated by ALPN (h2, so bidi works), and an https:// URL target is read as such", async () => {
  const chat = await run("tls", "protocol: connect\ntarget: https://localhost:PORT\ntls: {ca: certs/ca.pem}", "method: grpccallouts.demo.v1.PatternService/Chat\nrequests: [{text: secure}]\n");
  expect(statusOf(chat)).toMatchObject({ code: Code.OK });
  expect(received(chat)).toHaveLength(1);
  const web = await run("tls", "protocol: grpc-web\nhttp: 1.1\ntarget: localhost:PORT\ntls: {ca: certs/ca.pem}", "method: grpccallouts.demo.v1.PatternService/Feed\nrequest: {count: 2}\n");
  expect(statusOf(web)).toMatchObject({ code: Code.OK });
  // Without the CA, the server's certificate is refused.
  const untrusted = await run("tls", "protocol: connect\nhttp: 1.1\ntarget: https://localhost:PORT", "method: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: q}\n");
  expect(statusOf(untrusted).code).toBe(Code.UNAVAILABLE);
});

test.each(["1.1", "2"])("mTLS over Connect on HTTP/%s: the client certificate is sent, and without it the server refuses", async (http) => {
  const head = `protocol: connect\nhttp: ${http}\ntarget: localhost:${mtls.port}`;
  const body = "method: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: mutual}\n";
  const parsed = parseBlock(`${head}\ntls: {ca: certs/ca.pem, cert: certs/client.pem, key: certs/client.key}\n${PROTO}${body}`);
  if (!parsed.ok) throw parsed.error;
  expect(statusOf(await collect(startCall(parsed.spec, host).events))).toMatchObject({ code: Code.OK });
  const without = parseBlock(`${head}\ntls: {ca: certs/ca.pem}\n${PROTO}${body}`);
  if (!without.ok) throw without.error;
  expect(statusOf(await collect(startCall(without.spec, host).events)).code).toBe(Code.UNAVAILABLE);
});

test("the block format: protocol and http are checked, and a URL target needs gRPC-Web or Connect", () => {
  const fails = (yaml: string) => {
    const r = parseBlock(yaml);
    return r.ok ? null : r.error.message;
  };
  expect(fails("method: a.B/C\nprotocol: soap\n")).toBe("`protocol:` must be grpc, grpc-web or connect.");
  expect(fails("method: a.B/C\nprotocol: connect\nhttp: 3\n")).toBe("`http:` must be 1.1 or 2.");
  expect(fails("method: a.B/C\nhttp: 1.1\n")).toMatch(/gRPC needs HTTP\/2/);
  expect(fails("method: a.B/C\ntarget: https://api.example.com\n")).toMatch(/URL target is for gRPC-Web and Connect/);
  const ok = parseBlock("method: a.B/C\nprotocol: Connect\nhttp: 1.1\ntarget: https://api.example.com\n");
  expect(ok.ok && [ok.spec.protocol, ok.spec.http, ok.spec.target]).toEqual(["connect", "1.1", "https://api.example.com"]);
  const defaults = parseBlock("method: a.B/C\n", { defaults: { protocol: "grpc-web" } });
  expect(defaults.ok && defaults.spec.protocol).toBe("grpc-web");
});

test("a Connect server that is not there fails fast with UNAVAILABLE", async () => {
  const closed = await startConnectServer("h1");
  await closed.stop();
  const parsed = parseBlock(`protocol: connect\ntarget: 127.0.0.1:${closed.port}\n${PROTO}method: grpccallouts.demo.v1.PatternService/Ask\nrequest: {}\n`);
  if (!parsed.ok) throw parsed.error;
  const t0 = Date.now();
  const events = await collect(startCall(parsed.spec, host).events);
  expect(statusOf(events)).toMatchObject({ code: Code.UNAVAILABLE, message: expect.stringMatching(/ECONNREFUSED/) });
  expect(Date.now() - t0).toBeLessThan(2000);
});

test("the terminal runner takes --protocol for every block with a target", async () => {
  const note = join(vault, "connect-note.md");
  writeFileSync(note, ["# Connect", "", "```grpc", `target: 127.0.0.1:${servers.h1.port}`, PROTO.trim(), "method: grpccallouts.demo.v1.PatternService/Feed", "request: {count: 2}", "```", ""].join("\n"));
  const run = (args: string[]) =>
    new Promise<{ code: number; out: string }>((resolve) => {
      execFile(process.execPath, [join(ROOT, "dist/cli.cjs"), note, ...args], { env: { ...process.env, NO_COLOR: "1" } }, (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : Number((err as { code?: number }).code ?? 1), out: stdout + stderr }),
      );
    });
  // Without --protocol the call goes as gRPC (HTTP/2), which this HTTP/1.1 server cannot answer.
  const plain = await run([]);
  expect(plain.code).toBe(1);
  for (const protocol of ["connect", "grpc-web"]) {
    const r = await run(["--protocol", protocol]);
    expect([protocol, r.code]).toEqual([protocol, 0]);
    expect(r.out).toMatch(/← received \{"seq":2,/);
  }
  expect((await run(["--protocol", "soap"])).out).toMatch(/--protocol takes one of grpc, grpc-web, connect/);
});

describe("reflection through the call's protocol, then plain gRPC", () => {
  let grpcOnly: ConnectServer;
  beforeAll(async () => {
    grpcOnly = await startConnectServer("h2c", undefined, "grpc");
  });
  afterAll(() => grpcOnly.stop());
  const discover = async (yaml: string) => {
    const parsed = parseBlock(yaml);
    if (!parsed.ok) throw parsed.error;
    return host.discover(parsed.spec, new AbortController().signal);
  };

  test("Connect over HTTP/2 asks reflection over Connect, and a call needs no proto:", async () => {
    const found = await discover(`protocol: connect\nhttp: 2\ntarget: 127.0.0.1:${servers.h2c.port}\n`);
    expect(found.via).toBe("Connect");
    expect(found.methods.map((m) => m.method)).toContain("grpccallouts.demo.v1.PatternService/Chat");
    const parsed = parseBlock(`protocol: connect\nhttp: 2\ntarget: 127.0.0.1:${servers.h2c.port}\nmethod: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: by reflection}\n`);
    if (!parsed.ok) throw parsed.error;
    expect(received(await collect(startCall(parsed.spec, host).events))).toEqual([expect.objectContaining({ answer: 'connect-node heard "by reflection"' })]);
  });
  test("a server whose reflection speaks only gRPC is asked over plain gRPC on the same address, and says so", async () => {
    const found = await discover(`protocol: connect\nhttp: 2\ntarget: 127.0.0.1:${grpcOnly.port}\n`);
    expect(found.via).toBe("gRPC");
    expect(found.methods.length).toBeGreaterThan(0);
  });
  test("gRPC-Web cannot stream both ways, so its reflection goes over plain gRPC", async () => {
    const found = await discover(`protocol: grpc-web\nhttp: 2\ntarget: 127.0.0.1:${servers.h2c.port}\n`);
    expect(found.via).toBe("gRPC");
  });
  test("when no way reaches reflection, the error says so", async () => {
    await expect(discover(`protocol: connect\nhttp: 1.1\ntarget: 127.0.0.1:${servers.h1.port}\n`)).rejects.toMatchObject({ code: Code.UNAVAILABLE });
  });
});
