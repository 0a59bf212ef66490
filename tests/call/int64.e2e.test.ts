// 64-bit integers from a block reach the server exactly: a YAML number beyond 2^53 is not rounded
// through a double. A grpc-js server built from the same .proto echoes the request back.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { parseBlock } from "../../src/core/spec/parseBlock";
import { protoRegistry } from "../../src/schema/protoRegistry";
import { serviceDefinition } from "../../src/call/methodDefinition";
import { startCall } from "../../src/call/startCall";
import { collect, tempDir, testHost } from "../support/sidecar";

const PROTO = `syntax = "proto3";
package num.v1;
message Numbers {
  int64 i64 = 1;
  uint64 u64 = 2;
  sint64 s64 = 3;
  fixed64 f64 = 4;
  sfixed64 sf64 = 5;
  repeated int64 list = 6;
}
service Echo { rpc Echo(Numbers) returns (Numbers); }
`;
const vault = tempDir("grpc-callouts-int64-");
mkdirSync(join(vault, "protos"));
writeFileSync(join(vault, "protos/num.proto"), PROTO);
const read = async (p: string) => new Uint8Array(readFileSync(join(vault, p)));
const { launcher, pool, host } = testHost({ runtime: "in-process" }, read);
let server: Server;
let port = 0;
beforeAll(async () => {
  const registry = await protoRegistry("protos/num.proto", [], read);
  const echo = registry.getService("num.v1.Echo")!;
  server = new Server();
  server.addService(serviceDefinition(echo), { Echo: (call: ServerUnaryCall<object, object>, cb: sendUnaryData<object>) => cb(null, call.request) });
  port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
});
afterAll(async () => {
  server.forceShutdown();
  pool.close();
  await launcher.stop();
});

test.each([
  ["2^53 + 1", "i64: 9007199254740993", { i64: "9007199254740993" }],
  ["-(2^53 + 1)", "i64: -9007199254740993", { i64: "-9007199254740993" }],
  ["the int64 limits", "i64: 9223372036854775807, s64: -9223372036854775808, sf64: -9223372036854775808", { i64: "9223372036854775807", s64: "-9223372036854775808", sf64: "-9223372036854775808" }],
  ["the uint64 limit", "u64: 18446744073709551615, f64: 18446744073709551615", { u64: "18446744073709551615", f64: "18446744073709551615" }],
  ["quoted strings", 'i64: "9007199254740993", u64: "18446744073709551615"', { i64: "9007199254740993", u64: "18446744073709551615" }],
  ["lists", "list: [9007199254740993, 1, -9223372036854775808]", { list: ["9007199254740993", "1", "-9223372036854775808"] }],
])("%s round-trips exactly", async (_name, fields, expected) => {
  const parsed = parseBlock(`method: num.v1.Echo/Echo\ntarget: 127.0.0.1:${port}\nproto: protos/num.proto\nrequest: {${fields}}\n`);
  if (!parsed.ok) throw parsed.error;
  const events = await collect(startCall(parsed.spec, host).events);
  const status = events.find((e) => e.type === "status");
  expect(status).toMatchObject({ code: 0 });
  const messages = events.filter((e) => e.type === "message").map((e) => (e as { direction: string; json: unknown }));
  expect(messages.map((m) => [m.direction, m.json])).toEqual([
    ["sent", expected],
    ["received", expected],
  ]);
});

test("a block keeps a big integer's digits as text in its spec", () => {
  const parsed = parseBlock("method: a.B/C\nrequest: {id: 9007199254740993, small: 42, float: 1.5}\n");
  expect(parsed.ok && parsed.spec.requests).toEqual([{ id: "9007199254740993", small: 42, float: 1.5 }]);
});
