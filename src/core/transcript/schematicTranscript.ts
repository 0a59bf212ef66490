import type { MethodKind } from "../spec/MethodKind";
import { applyEvent, createTranscript, type Transcript } from "./Transcript";

/** How many messages each side of a schematic sends, per pattern: the shape, not a real call. */
const SHAPES: Record<MethodKind, Array<"sent" | "received">> = {
  unary: ["sent", "received"],
  server_streaming: ["sent", "received", "received", "received", "received"],
  client_streaming: ["sent", "sent", "sent", "sent", "received"],
  bidi_streaming: ["sent", "received", "sent", "sent", "received", "received", "sent", "received"],
};

/**
 * A made-up transcript with the shape of a pattern, for drawing its
 * schematic: one arrow each way for unary, a train back for server
 * streaming, a train in for client streaming, interleaved trains for bidi.
 */
export function schematicTranscript(kind: MethodKind, method = "client ⇄ server"): Transcript {
  const t = createTranscript({ label: "schematic", method, target: "schematic", startedAt: 0 });
  const shape = SHAPES[kind];
  const lastSent = shape.lastIndexOf("sent");
  let at = 0;
  applyEvent(t, { type: "headers", at, metadata: [] });
  shape.forEach((direction, i) => {
    at += 10;
    applyEvent(t, { type: "message", at, direction, index: i + 1, json: {} });
    // Client streams end their side with a half-close after the last message they send.
    if (i === lastSent && (kind === "client_streaming" || kind === "bidi_streaming")) applyEvent(t, { type: "half-close", at });
  });
  applyEvent(t, { type: "trailers", at: at + 5, metadata: [] });
  applyEvent(t, { type: "status", at: at + 5, code: 0, message: "", details: [] });
  return t;
}
