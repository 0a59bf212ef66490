// Saved transcripts carry a Mermaid sequence diagram: for each pattern and for a 500-message
// stream (folded past 50 arrows), with hostile labels escaped, every diagram is read by the mermaid
// package's own parser; a broken one is refused by it, so the check can fail.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { CallEvent } from "../../../src/core/transcript/CallEvent";
import { toCallout } from "../../../src/core/transcript/toCallout";
import { MERMAID_MAX_ARROWS, mermaidBlock, toMermaid } from "../../../src/core/transcript/toMermaid";
import { applyEvent, createTranscript, type Transcript } from "../../../src/core/transcript/Transcript";

function transcript(sent: number, received: number, extra: { halfClose?: boolean; text?: string } = {}): Transcript {
  const t = createTranscript({ label: "x", method: "p.S/M", target: "sidecar", startedAt: 0, maxRows: 10_000 });
  const events: CallEvent[] = [{ type: "headers", at: 1, metadata: [["content-type", "application/grpc"]] }];
  let at = 2;
  for (let i = 0; i < sent; i++) events.push({ type: "message", at: at++, direction: "sent", index: i, json: { n: i, text: extra.text ?? "hi" } });
  if (extra.halfClose === true) events.push({ type: "half-close", at: at++ });
  for (let i = 0; i < received; i++) events.push({ type: "message", at: at++, direction: "received", index: i, json: { seq: i + 1 } });
  events.push({ type: "trailers", at, metadata: [["x-cost", "7"]] }, { type: "status", at, code: 0, message: "", details: [] });
  for (const e of events) applyEvent(t, e);
  return t;
}

function parse(texts: string[]): Array<{ ok: boolean; type?: string; error?: string }> {
  const r = spawnSync(process.execPath, [join(__dirname, "../../support/mermaidParse.cjs")], { input: JSON.stringify(texts), encoding: "utf8", timeout: 60_000 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as Array<{ ok: boolean; type?: string; error?: string }>;
}

const CASES: Array<[string, Transcript]> = [
  ["unary", transcript(1, 1)],
  ["server streaming", transcript(1, 5)],
  ["client streaming", transcript(5, 1, { halfClose: true })],
  ["bidi streaming", transcript(5, 7, { halfClose: true })],
  ["a 500-message stream", transcript(1, 500)],
  ["hostile labels", transcript(2, 1, { text: 'a;b #35; %% c <img src=x onerror=alert(1)> "q" `t` ```` end\nnext: line' })],
];

test("each pattern, a 500-message stream and hostile labels parse as Mermaid sequence diagrams; a broken one does not", () => {
  const results = parse([...CASES.map(([, t]) => toMermaid(t)), "sequenceDiagram\n  C->>S: fine\n  C->>>>S"]);
  expect(results.slice(0, CASES.length)).toEqual(CASES.map(() => ({ ok: true, type: "sequence" })));
  expect(results.at(-1)?.ok).toBe(false);
});

test("the diagram draws each message, the half-close, headers, trailers and the status, and folds past 50 arrows", () => {
  expect(toMermaid(transcript(2, 1, { halfClose: true })).split("\n")).toEqual([
    "sequenceDiagram",
    "  participant C as Client",
    "  participant S as Server",
    "  Note over C,S: headers: content-type: application/grpc",
    '  C->>S: {#34;n#34;:0,#34;text#34;:#34;hi#34;}',
    '  C->>S: {#34;n#34;:1,#34;text#34;:#34;hi#34;}',
    "  C-)S: half-close",
    '  S-->>C: {#34;seq#34;:1}',
    "  Note over C,S: trailers: x-cost: 7",
    "  Note over C,S: OK in 6 ms",
  ]);
  const big = toMermaid(transcript(1, 500)).split("\n");
  expect(big.filter((l) => /->>|-->>/.test(l))).toHaveLength(MERMAID_MAX_ARROWS);
  expect(big).toContain(`  Note over C,S: … ${501 - MERMAID_MAX_ARROWS} more messages`);
  // Hostile text stays inside its label: no line of it starts a statement of its own.
  const hostile = toMermaid(CASES[5]?.[1] as Transcript);
  for (const raw of ["<img", "a;b", "%%", "`", '"q"']) expect(hostile).not.toContain(raw);
  expect(hostile.split("\n").filter((l) => l.startsWith("  C->>S:"))).toHaveLength(2);
});

test("a saved transcript carries the diagram in a mermaid fence nothing in it can close", () => {
  const t = CASES[5]?.[1] as Transcript;
  const saved = toCallout(t);
  expect(saved).toContain("> ```mermaid\n> sequenceDiagram\n");
  expect(mermaidBlock(t).startsWith("```mermaid\n")).toBe(true);
});
