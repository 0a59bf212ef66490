// A reader that stops reading holds the server back: the response stream is paused and HTTP/2 flow
// control stops the server's writes, instead of the whole stream piling up in memory.
import { create } from "@bufbuild/protobuf";
import { Server, ServerCredentials, type ServerWritableStream } from "@grpc/grpc-js";
import { invoke } from "../../src/call/invoke";
import { ClientPool } from "../../src/call/ClientPool";
import { serviceDefinition } from "../../src/call/methodDefinition";
import { until } from "../support/host";
import { FeedEventSchema, FeedRequestSchema, PatternService } from "../../src/gen/grpccallouts/demo/v1/patterns_pb";

const TOTAL = 60_000;
let server: Server;
let port = 0;
/** How many messages the server has handed to grpc-js so far. */
let written = 0;

beforeAll(async () => {
  server = new Server();
  server.addService(serviceDefinition(PatternService), {
    Feed(call: ServerWritableStream<unknown, unknown>) {
      written = 0;
      const pump = (): void => {
        while (written < TOTAL && !call.cancelled) {
          written++;
          if (!call.write(create(FeedEventSchema, { seq: written, topic: "x".repeat(64) }))) return void call.once("drain", pump);
        }
        if (written >= TOTAL) call.end();
      };
      pump();
    },
  });
  port = await new Promise<number>((res, rej) => server.bindAsync("127.0.0.1:0", ServerCredentials.createInsecure(), (e, p) => (e ? rej(e) : res(p))));
});
afterAll(() => server.forceShutdown());

test.each([
  ["a bounded queue holds the server back", 1024, false],
  ["an unbounded one lets it run on", Infinity, true],
])("%s", async (_name, highWaterMark, runsOn) => {
  const pool = new ClientPool();
  const abort = new AbortController();
  const events = invoke(pool.get(`127.0.0.1:${port}`), PatternService.method.feed, [create(FeedRequestSchema, {})], { highWaterMark, signal: abort.signal });
  const it = events[Symbol.asyncIterator]();
  // Read the first message, then stop reading for a while.
  for (let e = await it.next(); !e.done && !(e.value.type === "message" && e.value.direction === "received"); e = await it.next());
  if (runsOn) {
    // Nothing holds the server back: it writes the whole stream while we do not read.
    await until(() => written === TOTAL, 30_000, "the whole stream written");
  } else {
    await new Promise((r) => setTimeout(r, 1500));
    expect(written).toBeLessThan(10_000);
  }
  // Reading again drains the stream to its end.
  let received = 1;
  for (let e = await it.next(); !e.done; e = await it.next()) if (e.value.type === "message" && e.value.direction === "received") received++;
  expect(received).toBe(TOTAL);
  pool.close();
}, 60_000);
