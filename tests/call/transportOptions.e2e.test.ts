// The transport options of plain gRPC that the README documents, run for real against grpc-js servers:
// client certificates (mTLS), with the error when the server requires one and none is given;
// insecure-skip-verify; and unix:/path targets.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Server, ServerCredentials } from "@grpc/grpc-js";
import { Code } from "../../src/core/errors/Code";
import { parseBlock } from "../../src/core/spec/parseBlock";
import type { CallEvent } from "../../src/core/transcript/CallEvent";
import { ClientPool } from "../../src/call/ClientPool";
import { createRunHost } from "../../src/call/createRunHost";
import { serviceDefinition } from "../../src/call/methodDefinition";
import { startCall } from "../../src/call/startCall";
import { PatternService } from "../../src/gen/grpccallouts/demo/v1/patterns_pb";
import { fileRegistryOf } from "../../src/schema/fileRegistryOf";
import { demoService } from "../../src/sidecar/demoService";
import { SIDECAR_FILES } from "../../src/sidecar/sidecarFiles";
import { TOKEN_HEADER } from "../../src/sidecar/handshake";
import { collect, tempDir } from "../support/sidecar";

const ROOT = join(__dirname, "../..");
const vault = tempDir("grpc-callouts-transport-");
const certs = tempDir("grpc-callouts-certs-");
mkdirSync(join(vault, "protos/grpccallouts/demo/v1"), { recursive: true });
mkdirSync(join(vault, "certs"), { recursive: true });
copyFileSync(join(ROOT, "proto/grpccallouts/demo/v1/patterns.proto"), join(vault, "protos/grpccallouts/demo/v1/patterns.proto"));
const pool = new ClientPool();
const host = createRunHost({
  sidecar: () => Promise.reject(new Error("no sidecar here")),
  sidecarFiles: fileRegistryOf(...SIDECAR_FILES),
  tokenHeader: TOKEN_HEADER,
  pool,
  readFile: async (p) => new Uint8Array(readFileSync(join(vault, p))),
});
const servers: Server[] = [];
const ports: Record<string, number> = {};
let socket = "";

async function serve(creds: ServerCredentials, address: string): Promise<number> {
  const server = new Server();
  server.addService(serviceDefinition(PatternService), demoService(() => undefined));
  servers.push(server);
  return new Promise((resolve, reject) => server.bindAsync(address, creds, (e, port) => (e ? reject(e) : resolve(port))));
}

beforeAll(async () => {
  const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: certs, stdio: "ignore" });
  ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=grpc-callouts mTLS CA");
  writeFileSync(join(certs, "server.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  for (const [name, cn, ext] of [["server", "localhost", ["-extfile", "server.cnf"]], ["client", "grpc-callouts client", []]] as const) {
    ssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
    ssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.pem`, "-days", "2", ...ext);
  }
  for (const f of ["ca.pem", "client.pem", "client.key"]) copyFileSync(join(certs, f), join(vault, "certs", f));
  const read = (f: string) => readFileSync(join(certs, f));
  const keyPair = [{ private_key: read("server.key"), cert_chain: read("server.pem") }];
  ports["mtls"] = await serve(ServerCredentials.createSsl(read("ca.pem"), keyPair, true), "127.0.0.1:0");
  ports["tls"] = await serve(ServerCredentials.createSsl(null, keyPair, false), "127.0.0.1:0");
  socket = join(tempDir("grpc-callouts-unix-"), "demo.sock");
  await serve(ServerCredentials.createInsecure(), `unix:${socket}`);
});
afterAll(() => {
  host.close();
  pool.close();
  for (const s of servers) s.forceShutdown();
});

type Status = Extract<CallEvent, { type: "status" }>;
const statusOf = (events: CallEvent[]) => events.find((e): e is Status => e.type === "status") as Status;
async function run(yaml: string): Promise<CallEvent[]> {
  const parsed = parseBlock(`${yaml}\nproto: protos/grpccallouts/demo/v1/patterns.proto\nmethod: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: hi}\ndeadline: 5s\n`);
  if (!parsed.ok) throw parsed.error;
  return collect(startCall(parsed.spec, host).events);
}

test("a server that requires a client certificate answers the block that gives one", async () => {
  const events = await run(`target: localhost:${ports["mtls"]}\ntls: {ca: certs/ca.pem, cert: certs/client.pem, key: certs/client.key}`);
  expect(statusOf(events)).toMatchObject({ code: Code.OK });
});

test("without the client certificate that server refuses the call, as UNAVAILABLE with a hint that says what to add", async () => {
  const events = await run(`target: localhost:${ports["mtls"]}\ntls: {ca: certs/ca.pem}`);
  const status = statusOf(events);
  expect(status.code).toBe(Code.UNAVAILABLE);
  expect(status.hint).toBe("The server requires a client certificate (mTLS): add `cert:` and `key:` under `tls:`.");
});

test("a certificate from an unknown CA is refused, unless the block says insecure-skip-verify", async () => {
  expect(statusOf(await run(`target: localhost:${ports["tls"]}\ntls: true`)).code).toBe(Code.UNAVAILABLE);
  expect(statusOf(await run(`target: localhost:${ports["tls"]}\ntls: {insecure-skip-verify: true}`))).toMatchObject({ code: Code.OK });
});

test("a unix:/path target reaches a grpc-js server on a Unix socket, in plaintext", async () => {
  const events = await run(`target: unix:${socket}`);
  expect(statusOf(events)).toMatchObject({ code: Code.OK });
  expect(events.some((e) => e.type === "message" && e.direction === "received")).toBe(true);
});
