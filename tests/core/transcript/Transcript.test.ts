import { applyEvent, createTranscript, droppedRows } from "../../../src/core/transcript/Transcript";
import { progressText } from "../../../src/core/transcript/progressText";
import { maskSecrets, MASK } from "../../../src/core/transcript/maskSecrets";
import { toMarkdown } from "../../../src/core/transcript/toMarkdown";
import { toCallout } from "../../../src/core/transcript/toCallout";
import { formatEvent, statusText } from "../../../src/core/transcript/formatEvent";
import { hintFor } from "../../../src/core/errors/hintFor";
import { CallError, isCallError } from "../../../src/core/errors/CallError";
import { insertBelow, appendToCallout } from "../../../src/core/note/insertBelow";

test("retention is capped and counts stay exact", () => {
  const t = createTranscript({ label: "l", method: "m", target: "t", startedAt: 0, maxRows: 3 });
  for (let i = 0; i < 10; i++) applyEvent(t, { type: "message", at: i, direction: i % 2 === 0 ? "sent" : "received", index: i, json: { i } });
  expect([t.sent, t.received, t.rows.length, droppedRows(t)]).toEqual([5, 5, 3, 7]);
  expect(t.rows.map((r) => r.seq)).toEqual([8, 9, 10]);
  applyEvent(t, { type: "status", at: 11, code: 1, message: "Cancelled on client", details: [] });
  expect(t.state).toBe("cancelled");
  expect(toMarkdown(t)).toContain("… 7 earlier messages not shown");
});

test("rows read their JSON from the event when shown, and keep it when the transcript is serialized", () => {
  const t = createTranscript({ label: "l", method: "m", target: "t", startedAt: 0 });
  let reads = 0;
  const event = { type: "message" as const, at: 1, direction: "received" as const, index: 1, get json() { reads++; return { text: "hi" }; } };
  applyEvent(t, event);
  expect(reads).toBe(0);
  expect(t.rows[0]?.json).toEqual({ text: "hi" });
  expect(reads).toBe(1);
  expect(JSON.parse(JSON.stringify(t)).rows).toEqual([{ seq: 1, direction: "received", at: 1, json: { text: "hi" } }]);
});

test.each([
  [0, "done"],
  [1, "cancelled"],
  [4, "failed"],
  [14, "failed"],
])("status code %d puts the transcript in %s", (code, state) => {
  const t = createTranscript({ label: "l", method: "m", target: "t", startedAt: 0 });
  applyEvent(t, { type: "status", at: 1, code, message: "", details: [] });
  expect(t.state).toBe(state);
});

test("secrets are masked in metadata, messages, status and details", () => {
  const s = ["tok3n"];
  expect(maskSecrets({ type: "headers", at: 0, metadata: [["a", "x tok3n y"]] }, s)).toEqual({ type: "headers", at: 0, metadata: [["a", `x ${MASK} y`]] });
  expect(maskSecrets({ type: "message", at: 0, direction: "received", index: 1, json: { a: ["tok3n"] } }, s)).toMatchObject({ json: { a: [MASK] } });
  expect(maskSecrets({ type: "status", at: 0, code: 2, message: "bad tok3n", details: [{ d: "tok3n" }] }, s)).toMatchObject({ message: `bad ${MASK}`, details: [{ d: MASK }] });
});

test("text forms", () => {
  expect(statusText(0, "OK")).toBe("OK");
  expect(statusText(5, "gone")).toBe("NOT_FOUND: gone");
  expect(formatEvent({ type: "message", at: 12.3, direction: "sent", index: 1, json: { a: 1 } })).toBe('    +12 ms  → sent     {"a":1}');
  const t = createTranscript({ label: "l", method: "a.B/C", target: "sidecar", startedAt: Date.UTC(2026, 0, 2, 3, 4, 5) });
  applyEvent(t, { type: "status", at: 7, code: 0, message: "", details: [] });
  expect(toCallout(t).split("\n")[0]).toBe("> [!grpc-transcript]- Transcript: OK, 2026-01-02 03:04:05 UTC");
});

test("hints", () => {
  expect(hintFor(14, "No connection established", "h:1")).toMatch(/Nothing answered at h:1/);
  expect(hintFor(14, "self-signed certificate in certificate chain", "h:1")).toMatch(/TLS handshake failed/);
  expect(hintFor(4, "Deadline exceeded", "h:1")).toMatch(/deadline/);
  expect(hintFor(0, "", "h:1")).toBeUndefined();
});

test("CallError.from keeps codes and is recognised by name", () => {
  expect(CallError.from({ code: 5, details: "nope" })).toMatchObject({ code: 5, message: "nope" });
  expect(CallError.from(new Error("x")).code).toBe(2);
  expect(CallError.from(Object.assign(new Error("a"), { name: "AbortError" })).code).toBe(1);
  expect(isCallError({ name: "CallError", code: 3 })).toBe(true);
  expect(isCallError(new Error("x"))).toBe(false);
});

test("insertBelow and appendToCallout edit only around the runnable", () => {
  const md = "a\n\n> [!note] Unary RPC\n> body\n\nz";
  expect(insertBelow(md, "callout:Unary RPC", "NEW")).toBe("a\n\n> [!note] Unary RPC\n> body\n\nNEW\n\nz");
  expect(appendToCallout(md, "callout:Unary RPC", "x\n\ny")).toBe("a\n\n> [!note] Unary RPC\n> body\n>\n> x\n>\n> y\n\nz");
  expect(insertBelow(md, "callout:Gone", "NEW")).toBeNull();
  expect(insertBelow("a\r\n> [!note] Unary RPC\r\nz", "callout:Unary RPC", "N")).toBe("a\r\n> [!note] Unary RPC\r\n\r\nN\r\nz");
});

describe("memory is bounded by bytes as well as rows", () => {
  const message = (i: number, bytes: number) => ({ type: "message" as const, at: i, direction: "received" as const, index: i, json: { i }, bytes });
  test.each([
    // [maxBytes, message sizes, rows kept (their seqs)]
    [10_000, [1000, 1000, 1000], [1, 2, 3]],
    [5_000, [1000, 1000, 1000, 1000], [3, 4]],
    [5_000, [100, 100, 4000], [3]],
    [1_000, [100, 50_000], [2]],
  ])("a cap of %d bytes with messages of %j keeps rows %j, and the counts stay exact", (maxBytes, sizes, kept) => {
    const t = createTranscript({ label: "l", method: "m", target: "t", startedAt: 0, maxRows: 500, maxBytes });
    sizes.forEach((b, i) => applyEvent(t, message(i + 1, b)));
    expect(t.rows.map((r) => r.seq)).toEqual(kept);
    expect(t.received).toBe(sizes.length);
    expect(droppedRows(t)).toBe(sizes.length - kept.length);
    if (kept.length > 1) expect(t.heldBytes).toBeLessThanOrEqual(maxBytes);
  });

  test("the row count cap still holds, and held bytes go down with dropped rows", () => {
    const t = createTranscript({ label: "l", method: "m", target: "t", startedAt: 0, maxRows: 3 });
    for (let i = 1; i <= 10; i++) applyEvent(t, message(i, 10));
    expect(t.rows.map((r) => r.seq)).toEqual([8, 9, 10]);
    expect(t.heldBytes).toBe(3 * (2 * 10 + 200));
  });
});

describe("progress in the header", () => {
  const msg = (direction: "sent" | "received", bytes: number) => ({ type: "message" as const, at: 1, direction, index: 1, json: {}, bytes });
  test.each([
    ["nothing yet", [], null, 0, "starting…"],
    ["a scripted client stream", [msg("sent", 100), msg("sent", 100), msg("sent", 100)], 5, 1200, "3 of 5 sent · 0 received · 300 B · 1.2 s"],
    ["a server stream with its rate", [msg("sent", 10), ...Array.from({ length: 40 }, () => msg("received", 1000))], null, 2000, "1 sent · 40 received · 20/s · 40.0 kB · 2.0 s"],
  ])("%s", (_name, events, scripted, elapsedMs, text) => {
    const t = createTranscript({ label: "l", method: "m", target: "t", startedAt: 0 });
    for (const e of events) applyEvent(t, e);
    expect(progressText(t, { scripted, elapsedMs })).toBe(text);
  });

  test("once the call ends: the counts, the exact bytes and the duration", () => {
    const t = createTranscript({ label: "l", method: "m", target: "t", startedAt: 0, maxRows: 1 });
    for (let i = 0; i < 5; i++) applyEvent(t, msg("received", 2_000_000));
    applyEvent(t, { type: "status", at: 1234.4, code: 0, message: "", details: [] });
    expect(t.receivedBytes).toBe(10_000_000);
    expect(progressText(t, { scripted: 5, elapsedMs: 9999 })).toBe("0 sent · 5 received · 10.0 MB · 1234 ms");
  });
});
