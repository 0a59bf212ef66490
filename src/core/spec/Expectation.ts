import { codeFromName } from "../errors/Code";
import type { JsonValue } from "../json/JsonValue";
import { parseDuration } from "./parseDuration";

/** What a block's `expect:` asks of its call's outcome. */
export interface Expectation {
  /** The status code expected: OK unless `status:` names another. */
  status: number;
  /** A subset of the last response: listed fields must be equal, others are ignored. */
  response?: JsonValue;
  /** How many responses a stream brings, or a subset for each, in order. */
  responses?: number | JsonValue[];
  /** Subsets of the headers and trailers; a value written "/re/" is a regular expression. */
  headers?: Record<string, string>;
  trailers?: Record<string, string>;
  /** An upper bound on the call's duration. */
  duration?: { op: "<" | "<="; ms: number };
}

/** One expectation as judged: what was checked, whether it held, and the expected and actual values as text. */
export interface ExpectResult {
  what: string;
  pass: boolean;
  expected: string;
  actual: string;
}

/** The keys `expect:` may hold. */
export const EXPECT_KEYS = Object.freeze(["status", "response", "responses", "headers", "trailers", "duration"] as const);

/** Reads the JSON of an `expect:` mapping; a string says what is wrong. */
export function parseExpectation(raw: unknown): Expectation | string {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return "`expect:` must be a mapping of status, response, responses, headers, trailers and duration.";
  const e = raw as Record<string, JsonValue>;
  const unknown = Object.keys(e).find((k) => !(EXPECT_KEYS as readonly string[]).includes(k));
  if (unknown !== undefined) return `\`expect:\` has no key "${unknown}": it takes ${EXPECT_KEYS.join(", ")}.`;
  const out: Expectation = { status: 0 };
  if (e["status"] !== undefined) {
    const code = typeof e["status"] === "string" ? codeFromName(e["status"].trim().toUpperCase()) : undefined;
    if (code === undefined) return `\`expect: status:\` must name a gRPC status code, such as OK or NOT_FOUND.`;
    out.status = code;
  }
  if (e["response"] !== undefined) out.response = e["response"];
  const responses = e["responses"];
  if (responses !== undefined) {
    if (typeof responses === "number" && Number.isInteger(responses) && responses >= 0) out.responses = responses;
    else if (typeof responses === "bigint" && responses >= 0n) out.responses = Number(responses);
    else if (Array.isArray(responses)) out.responses = responses;
    else return "`expect: responses:` is a count, or a list of subsets, one per response in order.";
  }
  for (const key of ["headers", "trailers"] as const) {
    const v = e[key];
    if (v === undefined) continue;
    if (v === null || typeof v !== "object" || Array.isArray(v)) return `\`expect: ${key}:\` must be a mapping of names to values.`;
    const map: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x !== null && typeof x === "object") return `\`expect: ${key}: ${k}\` must be one value.`;
      const text = String(x);
      if (isRegex(text)) {
        try {
          new RegExp(text.slice(1, -1));
        } catch {
          return `\`expect: ${key}: ${k}\` is not a regular expression: ${text}`;
        }
      }
      map[k.toLowerCase()] = text;
    }
    out[key] = map;
  }
  if (e["duration"] !== undefined) {
    const m = typeof e["duration"] === "string" ? /^\s*(<=?)\s*(.+)$/.exec(e["duration"]) : null;
    const ms = m === null ? { error: "" } : parseDuration(m[2] ?? "");
    if (m === null || typeof ms !== "number") return '`expect: duration:` must be "< 500ms" or "<= 2s": < or <= and a duration.';
    out.duration = { op: m[1] === "<=" ? "<=" : "<", ms };
  }
  return out;
}

/** Whether an expected header value is written as a regular expression, "/…/". */
export function isRegex(text: string): boolean {
  return text.length >= 2 && text.startsWith("/") && text.endsWith("/");
}
