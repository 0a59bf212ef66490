// `proto:` takes a descriptor set as buf or protoc writes it: here an editions 2023 file, which our
// own parser cannot read, compiled by buf, called on a grpc-js server built from the same set.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { Code } from "../../src/core/errors/Code";
import { parseBlock } from "../../src/core/spec/parseBlock";
import { serviceDefinition } from "../../src/call/methodDefinition";
import { startCall } from "../../src/call/startCall";
import { descriptorSetRegistry } from "../../src/schema/descriptorSetRegistry";
import { bufBuild } from "../support/buf";
import { collect, tempDir, testHost } from "../support/sidecar";

const EDITIONS = `edition = "2023";
package ed.v1;
message PingMsg {
  string text = 1;
  int32 n = 2 [features.field_presence = IMPLICIT];
  repeated int32 packed = 3;
}
service Echo { rpc Ping(PingMsg) returns (PingMsg); }
`;
const vault = tempDir("grpc-callouts-set-vault-");
mkdirSync(join(vault, "protos"));
writeFileSync(join(vault, "protos/set.binpb"), bufBuild({ "ed.proto": EDITIONS }));
writeFileSync(join(vault, "protos/broken.binpb"), Buffer.from("this is not a descriptor set, not at all"));

const read = async (p: string) => new Uint8Array(readFileSync(join(vault, p)));
const { launcher, pool, host } = testHost({ runtime: "in-process" }, read);
let server: Server;
let port = 0;
beforeAll(async () => {
  const registry = descriptorSetRegistry("set.binpb", readFileSync(join(vault, "protos/set.binpb")));
  server = new Server();
  server.addService(serviceDefinition(registry.getService("ed.v1.Echo")!), { Ping: (call: ServerUnaryCall<object, object>, cb: sendUnaryData<object>) => cb(null, call.request) });
  port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
});
afterAll(async () => {
  server.forceShutdown();
  pool.close();
  await launcher.stop();
});

test("a block with proto: set.binpb (an editions file built by buf) calls the server", async () => {
  const parsed = parseBlock(`method: ed.v1.Echo/Ping\ntarget: 127.0.0.1:${port}\nproto: protos/set.binpb\nrequest: {text: hi, n: 3, packed: [1, 2]}\n`);
  if (!parsed.ok) throw parsed.error;
  const events = await collect(startCall(parsed.spec, host).events);
  expect(events.find((e) => e.type === "status")).toMatchObject({ code: Code.OK });
  expect(events.filter((e) => e.type === "message").map((e) => (e as { json: unknown }).json)).toEqual([
    { text: "hi", n: 3, packed: [1, 2] },
    { text: "hi", n: 3, packed: [1, 2] },
  ]);
});

test("discovery lists the set's services, and a file that is no descriptor set says how to make one", async () => {
  const target = parseBlock(`target: 127.0.0.1:${port}\nproto: protos/set.binpb\n`);
  if (!target.ok) throw target.error;
  const listing = await host.discover(target.spec, new AbortController().signal);
  expect(listing.methods.map((m) => m.method)).toEqual(["ed.v1.Echo/Ping"]);
  const parsed = parseBlock(`method: ed.v1.Echo/Ping\ntarget: 127.0.0.1:${port}\nproto: protos/broken.binpb\nrequest: {}\n`);
  if (!parsed.ok) throw parsed.error;
  const status = (await collect(startCall(parsed.spec, host).events)).find((e) => e.type === "status");
  expect(status).toMatchObject({ code: Code.INVALID_ARGUMENT });
  expect((status as { message: string }).message).toMatch(/protos\/broken\.binpb is not a descriptor set/);
  expect((status as { hint?: string }).hint).toMatch(/buf build -o/);
});
