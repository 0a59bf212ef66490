import type { JsonValue } from "../json/JsonValue";
import type { ExpectResult } from "../spec/Expectation";

/** Which way a message went: from the client (sent) or from the server (received). */
export type Direction = "sent" | "received";

/** Metadata as ordered key/value pairs; values of `-bin` keys are base64. */
export type MetadataEntries = Array<[string, string]>;

/** One thing that happened during a call, `at` milliseconds after it started. */
export type CallEvent =
  | { type: "headers"; at: number; metadata: MetadataEntries }
  | { type: "message"; at: number; direction: Direction; index: number; json: JsonValue; /** Size on the wire, when known. */ bytes?: number }
  | { type: "half-close"; at: number }
  | { type: "trailers"; at: number; metadata: MetadataEntries }
  /** The block's `expect:` judged, just before the status. */
  | { type: "expectations"; at: number; results: ExpectResult[] }
  | { type: "status"; at: number; code: number; message: string; details: JsonValue[]; hint?: string };
