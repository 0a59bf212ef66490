import type { ExpectResult } from "../spec/Expectation";
import type { JsonValue } from "../json/JsonValue";
import { Code, codeName, type CodeName } from "../errors/Code";
import type { CallEvent, Direction, MetadataEntries } from "./CallEvent";

/** The state a transcript is in; mirrored in the DOM as `data-state`. */
export type TranscriptState = "running" | "done" | "failed" | "cancelled";

/** One retained message row. */
export interface MessageRow {
  /** 1-based position among all messages of the call. */
  seq: number;
  direction: Direction;
  at: number;
  json: JsonValue;
}

/** The final status of a call. */
export interface FinalStatus {
  code: number;
  codeName: CodeName;
  message: string;
  details: JsonValue[];
  /** What the user can do about a failure, when known. */
  hint: string | undefined;
  at: number;
}

/** A call's transcript as data: what the UI, the terminal and Copy as Markdown all show. */
export interface Transcript {
  label: string;
  method: string;
  target: string;
  /** Wall-clock start, epoch milliseconds. */
  startedAt: number;
  state: TranscriptState;
  /** The newest messages, at most `maxRows` of them. */
  rows: MessageRow[];
  maxRows: number;
  /** What the kept rows may hold, in bytes (their messages' size on the wire, and what showing them costs). */
  maxBytes: number;
  /** What the kept rows hold now, in the same measure. */
  heldBytes: number;
  /** Exact counts over the whole call, retained or not. */
  sent: number;
  received: number;
  /** Bytes on the wire so far, each way, retained or not (where the call layer tells sizes). */
  sentBytes: number;
  receivedBytes: number;
  headers: MetadataEntries | null;
  trailers: MetadataEntries | null;
  halfClosedAt: number | null;
  status: FinalStatus | null;
  /** The block's expectations as judged, when it has `expect:`; they decide whether the run passed. */
  expectations: ExpectResult[] | null;
}

/** A new, running transcript. */
export function createTranscript(init: { label: string; method: string; target: string; startedAt: number; maxRows?: number; maxBytes?: number }): Transcript {
  return {
    label: init.label,
    method: init.method,
    target: init.target,
    startedAt: init.startedAt,
    state: "running",
    rows: [],
    maxRows: Math.max(1, init.maxRows ?? 500),
    maxBytes: Math.max(1, init.maxBytes ?? DEFAULT_MAX_TRANSCRIPT_BYTES),
    heldBytes: 0,
    sent: 0,
    received: 0,
    sentBytes: 0,
    receivedBytes: 0,
    headers: null,
    trailers: null,
    halfClosedAt: null,
    status: null,
    expectations: null,
  };
}

/** What one transcript may hold by default: 32 MiB. */
export const DEFAULT_MAX_TRANSCRIPT_BYTES = 32 * 1024 * 1024;
/** What a row costs beyond its message: the row, the event and its bookkeeping. */
const ROW_OVERHEAD_BYTES = 200;

/** How many messages the call has had but the transcript no longer keeps. */
export function droppedRows(t: Transcript): number {
  return t.sent + t.received - t.rows.length;
}

/** The state a final status code puts a transcript in. */
export function stateForCode(code: number): TranscriptState {
  return code === Code.OK ? "done" : code === Code.CANCELLED ? "cancelled" : "failed";
}

/** Folds one event into the transcript, in place. Retention is capped; counts stay exact. */
export function applyEvent(t: Transcript, event: CallEvent): void {
  switch (event.type) {
    case "headers":
      t.headers = event.metadata;
      break;
    case "message":
      if (event.direction === "sent") {
        t.sent++;
        t.sentBytes += event.bytes ?? 0;
      } else {
        t.received++;
        t.receivedBytes += event.bytes ?? 0;
      }
      {
        const row = new Row(t.sent + t.received, event);
        t.rows.push(row);
        t.heldBytes += row.bytes;
      }
      // The oldest rows go first, by count and by bytes; the newest row always stays. shift() of one is
      // O(1) in V8 (the array is trimmed from the left); a flood shifts once per message.
      while (t.rows.length > 1 && (t.rows.length > t.maxRows || t.heldBytes > t.maxBytes)) {
        const dropped = t.rows.shift();
        t.heldBytes -= dropped instanceof Row ? dropped.bytes : 0;
      }
      break;
    case "half-close":
      t.halfClosedAt = event.at;
      break;
    case "trailers":
      t.trailers = event.metadata;
      break;
    case "expectations":
      t.expectations = event.results;
      break;
    case "status":
      t.status = { code: event.code, codeName: codeName(event.code), message: event.message, details: event.details, hint: event.hint, at: event.at };
      // With expectations, they decide: an expected NOT_FOUND passes, an OK with a wrong answer fails.
      t.state = t.expectations === null ? stateForCode(event.code) : t.expectations.every((r) => r.pass) ? "done" : "failed";
      break;
    default: {
      const never: never = event;
      throw new Error(`unknown event ${JSON.stringify(never)}`);
    }
  }
}

/** A retained row: its JSON is the event's, read (and so made) only when shown. A class keeps the getter on the prototype. */
class Row implements MessageRow {
  readonly direction: Direction;
  readonly at: number;
  /** What keeping it costs: twice its wire size (the decoded message, then its JSON once shown) and the row itself. */
  readonly bytes: number;
  readonly #event: Extract<CallEvent, { type: "message" }>;

  constructor(
    readonly seq: number,
    event: Extract<CallEvent, { type: "message" }>,
  ) {
    this.direction = event.direction;
    this.at = event.at;
    this.bytes = 2 * (event.bytes ?? 0) + ROW_OVERHEAD_BYTES;
    this.#event = event;
  }

  get json(): JsonValue {
    return this.#event.json;
  }

  /** What `JSON.stringify` writes: the row as plain data, its JSON included (a getter alone would be left out). */
  toJSON(): MessageRow {
    return { seq: this.seq, direction: this.direction, at: this.at, json: this.json };
  }
}
