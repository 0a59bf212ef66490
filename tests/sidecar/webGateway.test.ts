// The sidecar serves its demo service over gRPC-Web and Connect too, through its gateway on a second
// loopback port (HTTP/1.1 and h2c on one port), behind the same token: one demo call three ways.
import { request } from "node:http";
import { Code } from "../../src/core/errors/Code";
import { parseBlock } from "../../src/core/spec/parseBlock";
import type { CallEvent } from "../../src/core/transcript/CallEvent";
import { startCall } from "../../src/call/startCall";
import { collect, testHost } from "../support/sidecar";

const t = testHost({ runtime: "node" });
afterAll(() => t.close());

type Status = Extract<CallEvent, { type: "status" }>;
const statusOf = (events: CallEvent[]) => events.find((e): e is Status => e.type === "status") as Status;
const received = (events: CallEvent[]) => events.filter((e) => e.type === "message" && e.direction === "received").map((e) => (e as { json: unknown }).json);
async function run(yaml: string): Promise<CallEvent[]> {
  const parsed = parseBlock(yaml);
  if (!parsed.ok) throw parsed.error;
  return collect(startCall(parsed.spec, t.host).events);
}

test("the ready handshake announces the web port", async () => {
  const ep = await t.launcher.start();
  expect(ep.webAddress).toMatch(/^127\.0\.0\.1:\d+$/);
  expect(ep.webAddress).not.toBe(ep.address);
});

test.each([
  ["grpc", ""],
  ["grpc-web", "protocol: grpc-web\n"],
  ["connect", "protocol: connect\n"],
  ["grpc-web over HTTP/2", "protocol: grpc-web\nhttp: 2\n"],
])("the same demo calls, %s: unary with its answer, a server stream, and a fault with its details", async (_name, head) => {
  const ask = await run(`${head}method: grpccallouts.demo.v1.PatternService/Ask\nrequest: {question: three ways}\n`);
  expect(statusOf(ask).code).toBe(Code.OK);
  expect(received(ask)).toEqual([expect.objectContaining({ answer: expect.stringContaining('You asked "three ways"') })]);
  const feed = await run(`${head}method: grpccallouts.demo.v1.PatternService/Feed\nrequest: {count: 3, intervalMs: 5}\n`);
  expect(received(feed).map((m) => (m as { seq: number }).seq)).toEqual([1, 2, 3]);
  const fault = await run(`${head}method: grpccallouts.demo.v1.PatternService/Ask\nrequest: {fault: {code: 8, message: slow down}}\n`);
  expect(statusOf(fault)).toMatchObject({ code: Code.RESOURCE_EXHAUSTED, message: "slow down" });
  expect(statusOf(fault).details).toEqual([expect.objectContaining({ "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "DEMO_FAULT" })]);
});

test("Connect over HTTP/2 carries client streaming and bidi to the sidecar", async () => {
  const up = await run("protocol: connect\nhttp: 2\nmethod: grpccallouts.demo.v1.PatternService/Upload\nrequests: [{seq: 1, data: AAEC}, {seq: 2, data: AAEC}]\n");
  expect(received(up)).toEqual([expect.objectContaining({ count: 2 })]);
  const chat = await run("protocol: connect\nhttp: 2\nmethod: grpccallouts.demo.v1.PatternService/Chat\nrequests: [{text: a}, {text: b}]\n");
  expect(statusOf(chat).code).toBe(Code.OK);
  expect(received(chat).length).toBeGreaterThanOrEqual(2);
});

test("the gateway asks for the same token: a Connect call without it is refused", async () => {
  const ep = await t.launcher.start();
  // A plain Connect unary request, as curl would send it, with no token.
  const [host, port] = (ep.webAddress ?? "").split(":");
  const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({ host, port: Number(port), method: "POST", path: "/grpccallouts.demo.v1.PatternService/Ask", headers: { "content-type": "application/json" } }, (r) => {
      let body = "";
      r.setEncoding("utf8");
      r.on("data", (c: string) => (body += c));
      r.on("end", () => resolve({ status: r.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end("{}");
  });
  expect(res.status).toBe(401);
  expect(JSON.parse(res.body)).toMatchObject({ code: "unauthenticated" });
});
