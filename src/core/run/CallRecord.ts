import type { JsonValue } from "../json/JsonValue";
import type { CallEvent } from "../transcript/CallEvent";

/** How many responses a record keeps for `responses[i]` references and expectations; the count goes on. */
export const MAX_RECORDED_RESPONSES = 10_000;

/** What a named call brought back, for the calls that reference it and for its expectations. */
export interface CallRecord {
  /** The responses received, in order (the first MAX_RECORDED_RESPONSES), and how many there were. */
  responses: JsonValue[];
  received: number;
  /** The last response received. */
  last: JsonValue | undefined;
  headers: Record<string, string>;
  trailers: Record<string, string>;
  status: { code: number; message: string } | null;
  durationMs: number;
  /** The values the call masked (its variables, and chained tokens): a call that uses what this one brought back masks them too. */
  secrets: string[];
}

/** A record with nothing in it yet. */
export function createRecord(): CallRecord {
  return { responses: [], received: 0, last: undefined, headers: {}, trailers: {}, status: null, durationMs: 0, secrets: [] };
}

/** Adds one event to a record. */
export function recordEvent(r: CallRecord, e: CallEvent): void {
  switch (e.type) {
    case "message":
      if (e.direction !== "received") return;
      r.received++;
      r.last = e.json;
      if (r.responses.length < MAX_RECORDED_RESPONSES) r.responses.push(e.json);
      return;
    case "headers":
      for (const [k, v] of e.metadata) r.headers[k] = v;
      return;
    case "trailers":
      for (const [k, v] of e.metadata) r.trailers[k] = v;
      return;
    case "status":
      r.status = { code: e.code, message: e.message };
      r.durationMs = e.at;
      return;
    case "half-close":
    case "expectations":
      return;
  }
}
