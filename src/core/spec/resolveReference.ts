import { CallError } from "../errors/CallError";
import { Code, codeName } from "../errors/Code";
import type { JsonValue } from "../json/JsonValue";
import type { CallRecord } from "../run/CallRecord";

/**
 * The value of a reference to a named call, as text: `NAME.response.PATH`
 * (the last message received), `NAME.responses[i].PATH`, `NAME.headers.KEY`,
 * `NAME.trailers.KEY`, `NAME.status.code` and `NAME.status.message`. A path
 * is dotted JSON names with `[i]` for lists, in canonical proto JSON (int64
 * values are strings). A call not run yet, or a part not there, is an
 * INVALID_ARGUMENT error that says what to do.
 */
export function resolveReference(reference: string, call: string, record: CallRecord | undefined): string | CallError {
  const whole = `{{${reference}}}`;
  if (record === undefined || record.status === null) {
    return new CallError(Code.INVALID_ARGUMENT, `${whole} refers to "${call}", which has not run yet.`, { hint: `Run ${call} first; Run all runs every call after the calls it refers to.` });
  }
  const parts = pathOf(reference.slice(call.length));
  if (parts === null) return new CallError(Code.INVALID_ARGUMENT, `${whole} is not a reference: write ${call}.response.field, ${call}.responses[0].field, ${call}.headers.name or ${call}.status.code.`);
  const [head, ...rest] = parts;
  let value: JsonValue | undefined;
  if (head === "response") value = record.last;
  else if (head === "responses") {
    const i = rest.shift();
    if (typeof i !== "number") return new CallError(Code.INVALID_ARGUMENT, `${whole}: responses needs an index, such as ${call}.responses[0].`);
    value = record.responses[i];
  } else if (head === "headers" || head === "trailers") {
    const key = rest.shift();
    value = typeof key === "string" ? record[head][key.toLowerCase()] : undefined;
  } else if (head === "status") {
    const what = rest.shift();
    value = what === "code" ? codeName(record.status.code) : what === "message" ? record.status.message : undefined;
  } else {
    return new CallError(Code.INVALID_ARGUMENT, `${whole}: "${String(head)}" is not part of a call; use response, responses[i], headers, trailers or status.`);
  }
  for (const p of rest) {
    if (value === undefined || value === null || typeof value !== "object") break;
    value = Array.isArray(value) ? (typeof p === "number" ? value[p] : undefined) : typeof p === "string" ? (value as Record<string, JsonValue>)[p] : undefined;
  }
  if (value === undefined || value === null) {
    return new CallError(Code.INVALID_ARGUMENT, `${whole}: ${call} brought back no such value.`, { hint: `Check the path against ${call}'s transcript: names are the JSON names (camelCase), lists take [i].` });
  }
  return typeof value === "string" ? value : JSON.stringify(value, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x));
}

/** ".response.a[0].b" as ["response", "a", 0, "b"], or null when it does not read as a path. */
function pathOf(text: string): Array<string | number> | null {
  const out: Array<string | number> = [];
  const re = /\.([A-Za-z_][\w-]*)|\[(\d+)\]/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (m === null) return null;
    out.push(m[1] ?? Number(m[2]));
    at = re.lastIndex;
  }
  return out.length === 0 ? null : out;
}
