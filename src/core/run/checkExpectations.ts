import { codeName } from "../errors/Code";
import type { JsonValue } from "../json/JsonValue";
import { isRegex, type Expectation, type ExpectResult } from "../spec/Expectation";
import type { CallRecord } from "./CallRecord";

/** Judges each part of an expectation against what the call brought back, in the order the keys are documented. */
export function checkExpectations(e: Expectation, r: CallRecord): ExpectResult[] {
  const out: ExpectResult[] = [];
  const actualCode = r.status?.code ?? -1;
  out.push({ what: "status", pass: actualCode === e.status, expected: codeName(e.status), actual: actualCode < 0 ? "none" : codeName(actualCode) });
  if (e.response !== undefined) {
    const diff = r.last === undefined ? "no response" : subsetDiff(e.response, r.last, "");
    out.push({ what: "response", pass: diff === null, expected: short(e.response), actual: diff ?? short(r.last) });
  }
  if (typeof e.responses === "number") {
    out.push({ what: "responses", pass: r.received === e.responses, expected: `${e.responses} received`, actual: `${r.received} received` });
  } else if (e.responses !== undefined) {
    const list = e.responses;
    let diff: string | null = r.received === list.length ? null : `${r.received} received, ${list.length} expected`;
    for (let i = 0; diff === null && i < list.length; i++) {
      const got = r.responses[i];
      diff = got === undefined ? `response ${i} was not kept` : subsetDiff(list[i] ?? null, got, `[${i}]`);
    }
    out.push({ what: "responses", pass: diff === null, expected: short(list), actual: diff ?? `${r.received} matching` });
  }
  for (const key of ["headers", "trailers"] as const) {
    const want = e[key];
    if (want === undefined) continue;
    const got = r[key];
    for (const [k, v] of Object.entries(want)) {
      const actual = got[k];
      const pass = actual !== undefined && (isRegex(v) ? new RegExp(v.slice(1, -1)).test(actual) : actual === v);
      out.push({ what: `${key === "headers" ? "header" : "trailer"} ${k}`, pass, expected: v, actual: actual ?? "absent" });
    }
  }
  if (e.duration !== undefined) {
    const { op, ms } = e.duration;
    const pass = op === "<" ? r.durationMs < ms : r.durationMs <= ms;
    out.push({ what: "duration", pass, expected: `${op} ${ms} ms`, actual: `${Math.round(r.durationMs)} ms` });
  }
  return out;
}

/** Where `actual` is not a superset of `want` (objects: listed keys; lists: same length, each a subset), or null when it is. */
export function subsetDiff(want: JsonValue, actual: JsonValue, path: string): string | null {
  if (want !== null && typeof want === "object" && !Array.isArray(want)) {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return `${path || "the message"} is ${short(actual)}`;
    for (const [k, v] of Object.entries(want)) {
      const got = (actual as Record<string, JsonValue>)[k];
      if (got === undefined) return `${path}.${k} is absent`;
      const d = subsetDiff(v, got, `${path}.${k}`);
      if (d !== null) return d;
    }
    return null;
  }
  if (Array.isArray(want)) {
    if (!Array.isArray(actual) || actual.length !== want.length) return `${path} is ${short(actual)}`;
    for (let i = 0; i < want.length; i++) {
      const d = subsetDiff(want[i] ?? null, actual[i] ?? null, `${path}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  // Canonical JSON writes int64 as a string: 3 and "3" are the same number.
  const same = want === actual || ((typeof want === "bigint" || typeof want === "number") && (typeof actual === "string" || typeof actual === "number" || typeof actual === "bigint") && String(want) === String(actual));
  return same ? null : `${path || "the value"} is ${short(actual)}, not ${short(want)}`;
}

function short(v: JsonValue | undefined): string {
  const text = JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)) ?? "undefined";
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}
