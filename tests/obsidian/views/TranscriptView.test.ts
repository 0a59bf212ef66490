/**
 * @jest-environment jsdom
 */
// The transcript view's row rendering, frame by frame, with the clock in the test's hands:
// a flood's rows are refreshed a few times a second, the end of a call is shown at once,
// and long lists are marked so that rows out of view skip layout.
import { applyEvent, createTranscript, type Transcript } from "../../../src/core/transcript/Transcript";
import { toMarkdown } from "../../../src/core/transcript/toMarkdown";
import type { CallSession } from "../../../src/obsidian/CallSession";
import { TranscriptView } from "../../../src/obsidian/views/TranscriptView";

let clock = 1000;
beforeEach(() => {
  clock = 1000;
  jest.spyOn(performance, "now").mockImplementation(() => clock);
});
afterEach(() => jest.restoreAllMocks());

/** A view over a stub session whose transcript the test fills; frames are flushed by hand. */
function setup(maxRows = 500, maxJsonChars = 2000, fill: (t: Transcript) => void = () => undefined): { view: TranscriptView; t: Transcript; el: HTMLElement; receive: (n: number) => void; finish: () => void } {
  const t = createTranscript({ label: "Feed", method: "demo/Feed", target: "sidecar", startedAt: 0, maxRows });
  fill(t);
  const session = { transcript: t, running: true, canHalfClose: false, spec: null, subscribe: () => () => undefined, cancel() {}, halfClose() {}, clear() {} };
  const el = document.body.createDiv();
  const view = new TranscriptView(el, session as unknown as CallSession, {
    showTimestamps: true,
    view: "messages",
    onViewChange: () => undefined,
    compact: false,
    maxJsonChars,
    onRerun: () => undefined,
    onCopy: () => undefined,
    toMarkdown,
  });
  let seq = 0;
  const receive = (n: number): void => {
    for (let i = 0; i < n; i++) {
      seq++;
      applyEvent(t, { type: "message", at: seq, direction: "received", index: seq, json: { seq } });
    }
  };
  const finish = (): void => {
    session.running = false;
    applyEvent(t, { type: "trailers", at: seq + 1, metadata: [] });
    applyEvent(t, { type: "status", at: seq + 2, code: 0, message: "", details: [] });
  };
  return { view, t, el, receive, finish };
}

const newestShown = (el: HTMLElement): number => {
  const rows = el.querySelectorAll(".grpc-callouts-messages:not(.grpc-callouts-hidden) .grpc-callouts-message");
  return (JSON.parse(rows[rows.length - 1]?.textContent ?? "{}") as { seq?: number }).seq ?? 0;
};
const omitted = (el: HTMLElement): string => el.querySelector(".grpc-callouts-messages:not(.grpc-callouts-hidden) .grpc-callouts-omitted")?.textContent ?? "";

test("in a flood the rows are refreshed at most every 100 ms, the counts every frame", () => {
  const { view, el, receive } = setup();
  receive(30);
  view.flush();
  expect(newestShown(el)).toBe(30);
  // 16 ms later, 800 more: the rows wait, the counts and the "not shown" line do not.
  clock += 16;
  receive(800);
  view.flush();
  expect(newestShown(el)).toBe(30);
  expect(el.querySelector(".grpc-callouts-summary")?.textContent).toContain("830 received");
  expect(omitted(el)).toBe("800 messages not shown; the newest appear a few times a second");
  // 100 ms after the last refresh, the newest rows come.
  clock += 90;
  receive(800);
  view.flush();
  expect(newestShown(el)).toBe(1630);
  // The rows dropped from view count toward the cap until they are out of the DOM, a frame later.
  expect(el.querySelectorAll(".grpc-callouts-row").length).toBeLessThanOrEqual(500);
  clock += 16;
  view.flush();
  expect(el.querySelectorAll(".grpc-callouts-row")).toHaveLength(500);
  expect(omitted(el)).toBe("1,130 earlier messages not shown");
});

test("the end of a call is shown at once, even right after a refresh", () => {
  const { view, el, receive, finish } = setup();
  receive(30);
  view.flush();
  clock += 5;
  receive(800);
  finish();
  view.flush();
  expect(newestShown(el)).toBe(830);
  expect(omitted(el)).toMatch(/^[\d,]+ earlier messages not shown$/);
});

test("the first reply of a stream shows at the end of the task that brought it, not a frame later; the next ones wait for a frame", async () => {
  const t = createTranscript({ label: "Feed", method: "demo/Feed", target: "sidecar", startedAt: 0, maxRows: 500 });
  let tell = (): void => undefined;
  const session = { transcript: t, kind: "server_streaming", running: true, canHalfClose: false, spec: null, subscribe: (f: () => void) => ((tell = f), () => undefined), cancel() {}, halfClose() {}, clear() {} };
  const frames: FrameRequestCallback[] = [];
  jest.spyOn(window, "requestAnimationFrame").mockImplementation((f) => frames.push(f));
  const el = document.body.createDiv();
  const view = new TranscriptView(el, session as unknown as CallSession, {
    showTimestamps: true, view: "messages", onViewChange: () => undefined, compact: false, maxJsonChars: 2000, onRerun: () => undefined, onCopy: () => undefined, toMarkdown,
  });
  view.flush();
  applyEvent(t, { type: "message", at: 1, direction: "sent", index: 1, json: { ask: 1 } });
  tell();
  await Promise.resolve();
  // Rendered a moment ago: the sent row waits for the frame.
  expect(frames).toHaveLength(1);
  applyEvent(t, { type: "message", at: 2, direction: "received", index: 1, json: { seq: 1 } });
  tell();
  await Promise.resolve();
  expect(el.querySelectorAll('.grpc-callouts-message[data-direction="received"]')).toHaveLength(1);
  applyEvent(t, { type: "message", at: 3, direction: "received", index: 2, json: { seq: 2 } });
  tell();
  await Promise.resolve();
  expect(el.querySelectorAll('.grpc-callouts-message[data-direction="received"]')).toHaveLength(1);
  frames.splice(0).forEach((f) => f(0));
  expect(el.querySelectorAll('.grpc-callouts-message[data-direction="received"]')).toHaveLength(2);
  view.destroy();
});

test("a few new rows per frame are appended every frame, without waiting", () => {
  const { view, el, receive } = setup();
  receive(5);
  view.flush();
  for (let frame = 0; frame < 5; frame++) {
    clock += 16;
    receive(3);
    view.flush();
    expect(newestShown(el)).toBe(5 + 3 * (frame + 1));
  }
});

test("lists longer than 40 rows are marked long, shorter ones are not", () => {
  const { view, el, receive } = setup();
  receive(10);
  view.flush();
  expect(el.querySelector(".grpc-callouts-messages")?.classList.contains("is-long")).toBe(false);
  clock += 200;
  receive(15);
  view.flush();
  receive(20);
  clock += 200;
  view.flush();
  expect(el.querySelectorAll(".grpc-callouts-row")).toHaveLength(45);
  expect(el.querySelector(".grpc-callouts-messages")?.classList.contains("is-long")).toBe(true);
});

test("a shortened row keeps only what it shows; Show all asks the transcript, and says so once the message is gone", () => {
  const big = (n: number) => ({ type: "message" as const, at: n, direction: "received" as const, index: n, json: { n, text: "x".repeat(5000) } });
  const { t, el, view } = setup(2, 100, (t) => {
    applyEvent(t, big(1));
    applyEvent(t, big(2));
  });
  view.flush();
  const [first, second] = Array.from(el.querySelectorAll<HTMLElement>(".grpc-callouts-row"));
  expect(first?.querySelector(".grpc-callouts-message")?.textContent?.length).toBe(101);
  // The transcript drops message 1; the row on screen cannot bring it back.
  applyEvent(t, big(3));
  first?.querySelector<HTMLButtonElement>(".grpc-callouts-expand")?.click();
  expect(first?.querySelector(".grpc-callouts-expand")?.textContent).toBe("No longer held: the transcript keeps its newest messages");
  second?.querySelector<HTMLButtonElement>(".grpc-callouts-expand")?.click();
  expect(second?.querySelector(".grpc-callouts-message")?.textContent?.length).toBeGreaterThan(5000);
  expect(second?.querySelector(".grpc-callouts-expand")).toBeNull();
});

test("the header counts a scripted client stream as 'n of m sent', and only the outcome is announced", () => {
  const t = createTranscript({ label: "Upload", method: "demo/Upload", target: "sidecar", startedAt: Date.now(), maxRows: 50 });
  const session = { transcript: t, running: true, canHalfClose: true, kind: "client_streaming", spec: { interactive: false, requests: [{}, {}, {}, {}, {}] }, subscribe: () => () => undefined, cancel() {}, halfClose() {}, clear() {} };
  const el = document.body.createDiv();
  const view = new TranscriptView(el, session as unknown as CallSession, {
    showTimestamps: true, view: "messages", onViewChange: () => undefined, compact: false, maxJsonChars: 2000, onRerun: () => undefined, onCopy: () => undefined, toMarkdown,
  });
  for (let i = 1; i <= 3; i++) applyEvent(t, { type: "message", at: i, direction: "sent", index: i, json: { i }, bytes: 10 });
  view.flush();
  expect(el.querySelector(".grpc-callouts-summary")?.textContent).toMatch(/^demo\/Upload @ sidecar · 3 of 5 sent · 0 received · 30 B · \d+\.\d s$/);
  // The live region is the announcer alone: rows and counts are not read out as they change.
  expect(Array.from(el.querySelectorAll("[aria-live]")).map((e) => e.className)).toEqual(["grpc-callouts-announce"]);
  expect(el.querySelector(".grpc-callouts-announce")?.textContent).toBe("");
  applyEvent(t, { type: "message", at: 5, direction: "received", index: 1, json: {}, bytes: 5 });
  applyEvent(t, { type: "status", at: 7, code: 0, message: "", details: [] });
  session.running = false;
  view.flush();
  expect(el.querySelector(".grpc-callouts-announce")?.textContent).toBe("Upload: OK, 3 sent, 1 received, in 7 ms");
  expect(el.querySelector(".grpc-callouts-summary")?.textContent).toBe("demo/Upload @ sidecar · 3 sent · 1 received · 35 B · 7 ms");
  view.destroy();
});

test("a message is its JSON as typed token spans, one line block per line, with the text exactly the JSON", () => {
  const json = { name: "Ada <b>bold</b>", n: 3, ok: false, none: null, list: [{ deep: "x" }] };
  const { view, el } = setup(500, 2000, (t) => applyEvent(t, { type: "message", at: 1, direction: "received", index: 1, json }));
  view.flush();
  const pre = el.querySelector(".grpc-callouts-message") as HTMLElement;
  expect(pre.textContent).toBe(JSON.stringify(json, null, 2));
  expect(pre.querySelectorAll(".grpc-callouts-json-line")).toHaveLength(JSON.stringify(json, null, 2).split("\n").length);
  for (const kind of ["key", "string", "number", "boolean", "null"]) expect(pre.querySelector(`.grpc-callouts-json-${kind}`)).not.toBeNull();
  expect(pre.querySelector(".grpc-callouts-json-line[data-depth='3']")?.textContent).toBe('      "deep": "x"\n');
  // A hostile string stays text.
  expect(pre.querySelector("b")).toBeNull();
  view.destroy();
});

test("a short call's rows all come in one flush, even when each row takes longer than the frame's budget", () => {
  const { view, el, receive, finish } = setup();
  receive(6);
  finish();
  // A slow machine: every look at the clock finds 3 ms gone.
  jest.spyOn(performance, "now").mockImplementation(() => (clock += 3));
  view.flush();
  expect(el.querySelectorAll(".grpc-callouts-messages:not(.grpc-callouts-hidden) .grpc-callouts-message")).toHaveLength(6);
  view.destroy();
});
