import { diagramOf, describeItem, MAX_ARROWS } from "../../../src/core/transcript/diagram";
import { applyEvent, createTranscript, type Transcript } from "../../../src/core/transcript/Transcript";
import type { CallEvent } from "../../../src/core/transcript/CallEvent";

function transcriptOf(events: CallEvent[], maxRows = 500): Transcript {
  const t = createTranscript({ label: "l", method: "m", target: "sidecar", startedAt: 0, maxRows });
  for (const e of events) applyEvent(t, e);
  return t;
}
const msg = (direction: "sent" | "received", at: number, i: number): CallEvent => ({ type: "message", at, direction, index: i, json: { i } });
const end: CallEvent[] = [
  { type: "trailers", at: 99, metadata: [] },
  { type: "status", at: 100, code: 0, message: "", details: [] },
];
const shape = (t: Transcript) => diagramOf(t).map((i) => (i.kind === "arrow" ? (i.direction === "sent" ? "→" : "←") : i.kind === "marker" ? i.marker : `fold ${i.count}`));

test("each pattern looks like itself", () => {
  expect(shape(transcriptOf([msg("sent", 1, 1), { type: "headers", at: 5, metadata: [] }, msg("received", 6, 1), ...end]))).toEqual(["→", "headers", "←", "trailers", "status"]);
  expect(shape(transcriptOf([msg("sent", 1, 1), { type: "headers", at: 5, metadata: [] }, ...[1, 2, 3].map((i) => msg("received", 5 + i, i)), ...end]))).toEqual([
    "→", "headers", "←", "←", "←", "trailers", "status",
  ]);
  expect(shape(transcriptOf([...[1, 2, 3].map((i) => msg("sent", i, i)), { type: "half-close", at: 4 }, { type: "headers", at: 5, metadata: [] }, msg("received", 6, 1), ...end]))).toEqual([
    "→", "→", "→", "half-close", "headers", "←", "trailers", "status",
  ]);
  expect(shape(transcriptOf([msg("sent", 1, 1), { type: "headers", at: 2, metadata: [] }, msg("received", 3, 1), msg("sent", 4, 2), msg("received", 5, 2), { type: "half-close", at: 6 }, ...end]))).toEqual([
    "→", "headers", "←", "→", "←", "half-close", "trailers", "status",
  ]);
});

test("past 200 arrows the middle folds into a band, and dropped rows fold at the top", () => {
  const events = Array.from({ length: 450 }, (_, i) => msg("received", i, i + 1));
  const items = diagramOf(transcriptOf([...events, ...end], 300));
  expect(items.filter((i) => i.kind === "arrow")).toHaveLength(MAX_ARROWS);
  expect(items.filter((i) => i.kind === "fold").map((i) => (i as { count: number }).count)).toEqual([150, 100]);
  expect(describeItem(items[1]!)).toMatch(/^Server sent message 151 at \+150 ms: \{"i":151\}$/);
});
