// All four patterns end to end through startCall, against the real sidecar process.
import { Code } from "../../src/core/errors/Code";
import { createCallSpec } from "../../src/core/spec/CallSpec";
import { demoSpec, DEMO_SERVICE } from "../../src/core/spec/demoSpec";
import type { CallEvent } from "../../src/core/transcript/CallEvent";
import { startCall } from "../../src/call/startCall";
import { collect, testHost, waitFor } from "../support/sidecar";

const t = testHost();
afterAll(() => t.close());

const messages = (events: CallEvent[]) =>
  events.filter((e): e is Extract<CallEvent, { type: "message" }> => e.type === "message");
const statusOf = (events: CallEvent[]) => events.find((e): e is Extract<CallEvent, { type: "status" }> => e.type === "status");
const order = (events: CallEvent[]) => events.map((e) => (e.type === "message" ? e.direction : e.type));

describe("the four patterns against the sidecar", () => {
  test("unary: one sent, one received, OK, with the server's time", async () => {
    const events = await collect(startCall(demoSpec("unary"), t.host).events);
    expect(order(events)).toEqual(["sent", "headers", "received", "trailers", "status"]);
    const [sent, received] = messages(events);
    expect(sent?.json).toEqual({ question: "What time is it on the server?" });
    const answer = received?.json as { answer: string; serverTime: string };
    expect(answer.answer).toMatch(/What time is it on the server/);
    expect(Math.abs(Date.parse(answer.serverTime) - Date.now())).toBeLessThan(60_000);
    expect(statusOf(events)?.code).toBe(Code.OK);
  });

  test("server streaming: one sent, N received in order, spread over time", async () => {
    const events = await collect(startCall(demoSpec("server_streaming", { count: 6, intervalMs: 60 }), t.host).events);
    const ms = messages(events);
    expect(ms.map((m) => m.direction)).toEqual(["sent", ...Array(6).fill("received")]);
    expect(ms.slice(1).map((m) => (m.json as { seq: number }).seq)).toEqual([1, 2, 3, 4, 5, 6]);
    const received = ms.filter((m) => m.direction === "received");
    // Six events 60 ms apart arrive over at least 250 ms, not all at once.
    expect((received[5]?.at ?? 0) - (received[0]?.at ?? 0)).toBeGreaterThan(250);
    expect(statusOf(events)?.code).toBe(Code.OK);
  });

  test("client streaming: N sent, half-close, one summary with count, bytes and checksum", async () => {
    const events = await collect(startCall(demoSpec("client_streaming", { count: 4, intervalMs: 10 }), t.host).events);
    expect(order(events)).toEqual(["sent", "sent", "sent", "sent", "half-close", "headers", "received", "trailers", "status"]);
    const summary = messages(events).at(-1)?.json as { count: number; bytes: string; checksum: string };
    expect(summary.count).toBe(4);
    expect(summary.bytes).toBe(String(4 * "chunk 1 of 4".length));
    expect(summary.checksum).toMatch(/^[0-9a-f]{8}$/);
  });

  test("bidi: replies interleave with sent messages, and the server pushes its own", async () => {
    const events = await collect(startCall(demoSpec("bidi_streaming", { count: 3, intervalMs: 150 }), t.host).events);
    const ms = messages(events);
    expect(ms.filter((m) => m.direction === "sent")).toHaveLength(3);
    const received = ms.filter((m) => m.direction === "received").map((m) => m.json as { kind: string; inReplyTo: number });
    expect(received.filter((r) => r.kind === "KIND_REPLY").map((r) => r.inReplyTo)).toEqual([1, 2, 3]);
    expect(received.filter((r) => r.kind === "KIND_PUSH")).toHaveLength(2);
    // Interleaved: the reply to message 1 arrives before message 2 is sent.
    const dirs = ms.map((m) => m.direction);
    expect(dirs.indexOf("received")).toBeLessThan(dirs.lastIndexOf("sent"));
    expect(statusOf(events)?.code).toBe(Code.OK);
  });
});

describe("cancel, deadline and errors", () => {
  test("cancel mid-stream gives CANCELLED, and the server sees the cancel", async () => {
    const call = startCall(demoSpec("server_streaming", { count: 1000, intervalMs: 20 }), t.host);
    const events: CallEvent[] = [];
    for await (const e of call.events) {
      events.push(e);
      if (messages(events).length === 4) call.cancel();
    }
    expect(statusOf(events)?.code).toBe(Code.CANCELLED);
    expect(messages(events).length).toBeLessThan(10);
    const sawCancel = await waitFor(() => t.launcher.status().log.some((l) => /Feed cancelled by the client after \d+ of 1000/.test(l)), 3000);
    expect(sawCancel).toBe(true);
  });

  test("half-close is separate from cancel: the server finishes and answers", async () => {
    const spec = demoSpec("client_streaming", { count: 50, intervalMs: 30 });
    const call = startCall(spec, t.host);
    const events: CallEvent[] = [];
    for await (const e of call.events) {
      events.push(e);
      if (messages(events).length === 3) call.halfClose();
    }
    expect(statusOf(events)?.code).toBe(Code.OK);
    const summary = messages(events).at(-1)?.json as { count: number };
    expect(summary.count).toBe(3);
  });

  test("a deadline gives DEADLINE_EXCEEDED", async () => {
    const spec = demoSpec("server_streaming", { count: 100, intervalMs: 50 });
    spec.deadlineMs = 300;
    const events = await collect(startCall(spec, t.host).events);
    expect(statusOf(events)?.code).toBe(Code.DEADLINE_EXCEEDED);
    expect(messages(events).length).toBeGreaterThan(1);
  });

  test("a requested error comes back with its code, message and ErrorInfo detail", async () => {
    const spec = createCallSpec(`${DEMO_SERVICE}/Ask`, {
      requests: [{ question: "fail please", fault: { code: 5, message: "no such thing\twith\ttabs\nand lines 🚀" } }],
    });
    const status = statusOf(await collect(startCall(spec, t.host).events));
    expect(status?.code).toBe(Code.NOT_FOUND);
    expect(status?.message).toBe("no such thing\twith\ttabs\nand lines 🚀");
    expect(status?.details).toEqual([
      { "@type": "type.googleapis.com/google.rpc.ErrorInfo", reason: "DEMO_FAULT", domain: "grpc-callouts.demo", metadata: { method: "Ask" } },
    ]);
  });

  test("an unknown method fails before calling, naming the closest", async () => {
    const status = statusOf(await collect(startCall(createCallSpec(`${DEMO_SERVICE}/Feeed`), t.host).events));
    expect(status?.code).toBe(Code.NOT_FOUND);
    expect(status?.hint).toMatch(/PatternService\/Feed/);
  });

  test("a request that does not fit the schema names the field", async () => {
    const spec = createCallSpec(`${DEMO_SERVICE}/Ask`, { requests: [{ questoin: "x" }] });
    const status = statusOf(await collect(startCall(spec, t.host).events));
    expect(status?.code).toBe(Code.INVALID_ARGUMENT);
    expect(status?.message).toMatch(/questoin/);
  });
});
