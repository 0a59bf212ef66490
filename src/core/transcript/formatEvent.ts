import type { ExpectResult } from "../spec/Expectation";
import type { JsonValue } from "../json/JsonValue";
import { codeName } from "../errors/Code";
import type { CallEvent, MetadataEntries } from "./CallEvent";

/** "+12 ms" style relative time. */
export function formatAt(at: number): string {
  return at < 10_000 ? `+${Math.round(at)} ms` : `+${(at / 1000).toFixed(2)} s`;
}

/**
 * A count with thousands separators, "100,000". Written out rather than with
 * `toLocaleString`: the first `toLocaleString` call in a process loads ICU data
 * and costs 20 ms or more, which would land in one render frame.
 */
export function formatCount(n: number): string {
  const digits = String(Math.trunc(Math.abs(n)));
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return n < 0 ? `-${out}` : out;
}

/** The arrow of a direction: → sent, ← received. */
export function directionGlyph(direction: "sent" | "received"): string {
  return direction === "sent" ? "→" : "←";
}

/** JSON on one line, shortened to `max` characters with an ellipsis. */
export function compactJson(json: JsonValue, max = Infinity): string {
  const text = JSON.stringify(json) ?? "null";
  return text.length > max ? `${text.slice(0, Math.max(0, max - 1))}…` : text;
}

/** "key: value, key: value" for metadata. */
export function formatMetadata(md: MetadataEntries): string {
  return md.length === 0 ? "(none)" : md.map(([k, v]) => `${k}: ${v}`).join(", ");
}

/** One line of text for an event, as the terminal runner prints it. */
export function formatEvent(event: CallEvent, maxJson = 400): string {
  const at = formatAt(event.at).padStart(10);
  switch (event.type) {
    case "headers":
      return `${at}  headers   ${formatMetadata(event.metadata)}`;
    case "message":
      return `${at}  ${directionGlyph(event.direction)} ${event.direction.padEnd(8)} ${compactJson(event.json, maxJson)}`;
    case "half-close":
      return `${at}  → half-close`;
    case "trailers":
      return `${at}  trailers  ${formatMetadata(event.metadata)}`;
    case "expectations":
      return event.results.map((r, i) => `${i === 0 ? at : " ".repeat(at.length)}  expect    ${expectText(r)}`).join("\n");
    case "status": {
      const details = event.details.length > 0 ? ` details: ${compactJson(event.details, maxJson)}` : "";
      return `${at}  status    ${statusText(event.code, event.message)}${details}`;
    }
    default: {
      const never: never = event;
      return String(never);
    }
  }
}

/** "✔ status OK" or "✘ response: .id is "7", not "8"": one expectation as a line. */
export function expectText(r: ExpectResult): string {
  return r.pass ? `✔ ${r.what} ${r.actual}` : `✘ ${r.what}: expected ${r.expected}, got ${r.actual}`;
}

/** "NOT_FOUND: message", or just the code name when the message adds nothing. */
export function statusText(code: number, message: string): string {
  const name = codeName(code);
  return message === "" || message.toUpperCase() === name || message === "OK" ? name : `${name}: ${message}`;
}
