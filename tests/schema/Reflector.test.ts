// Reflection against servers that answer as the protocol allows but ours does not: dependencies
// before the requested file, each file only once per stream (grpc-go), and a service whose file
// imports a file the server cannot give. A discovery uses one stream and lists every service it
// can, and the broken one with its error.
import { credentials } from "@grpc/grpc-js";
import { ClientPool } from "../../src/call/ClientPool";
import { Code } from "../../src/core/errors/Code";
import { reflectionSource } from "../../src/schema/reflectionSource";
import { SchemaCache } from "../../src/schema/SchemaCache";
import { startQuirkyReflection, type QuirkyServer } from "../support/reflectionServers";
import { grpcReflectionLine } from "../../src/schema/grpcReflectionLine";

const pool = new ClientPool();
let servers: QuirkyServer[] = [];
afterEach(() => {
  servers.forEach((s) => s.stop());
  servers = [];
});
afterAll(() => pool.close());

async function sourceOf(quirks: Parameters<typeof startQuirkyReflection>[0]): Promise<{ server: QuirkyServer; source: ReturnType<typeof reflectionSource> }> {
  const server = await startQuirkyReflection(quirks);
  servers.push(server);
  const target = `127.0.0.1:${server.port}`;
  return { server, source: reflectionSource(target, [grpcReflectionLine(pool.get(target, credentials.createInsecure()))], { metadata: {}, deadlineMs: 5_000 }) };
}

const signal = new AbortController().signal;
const ALL = ["alpha.v1.Alpha/Get", "beta.v1.Beta/Put", "beta.v1.Beta/Watch", "gamma.v1.Gamma/Do"];

test.each([
  ["lists dependencies before the requested file", { dependenciesFirst: true }],
  ["sends each file only once per stream, as grpc-go does", { oncePerStream: true }],
  ["does both", { dependenciesFirst: true, oncePerStream: true }],
])("a server that %s: discovery lists every method over one stream", async (_what, quirks) => {
  const { server, source } = await sourceOf(quirks);
  const found = await new SchemaCache().list(source, signal);
  expect(found.methods.map((m) => m.method)).toEqual(ALL);
  expect(found.broken).toEqual([]);
  expect(found.methods.find((m) => m.method === "beta.v1.Beta/Put")?.input.fields.map((f) => f.message?.typeName ?? f.name)).toEqual(["id", "google.protobuf.Timestamp"]);
  expect(server.streams()).toBe(1);
});

test("a server that lists dependencies first resolves a method and its messages", async () => {
  const { source } = await sourceOf({ dependenciesFirst: true });
  const { method } = await new SchemaCache().resolve(source, "alpha.v1.Alpha/Get", signal);
  expect([method.input.typeName, method.output.typeName]).toEqual(["alpha.v1.AlphaRequest", "shared.v1.Common"]);
});

test("a service whose file cannot be resolved is listed with its error and hides no other", async () => {
  const { source } = await sourceOf({ withhold: ["gamma/v1/extra.proto"], oncePerStream: true });
  const found = await new SchemaCache().list(source, signal);
  expect(found.methods.map((m) => m.method)).toEqual(ALL.filter((m) => !m.startsWith("gamma")));
  expect(found.broken.map((b) => [b.service, b.error.code])).toEqual([["gamma.v1.Gamma", Code.NOT_FOUND]]);
  expect(found.broken[0]?.error.message).toMatch(/did not return gamma\/v1\/extra\.proto, which gamma\/v1\/gamma\.proto imports/);
});
