/** What a piece of JSON text is, for colouring. */
export type JsonTokenKind = "key" | "string" | "number" | "boolean" | "null" | "punctuation" | "space";

/** One line of pretty JSON: its depth (for the hanging indent) and its tokens, leading indent included. */
export interface JsonLine {
  depth: number;
  tokens: Array<[JsonTokenKind, string]>;
}

/** The lines `jsonLines` wrote, whether it stopped at the limit, and the length of the whole text. */
export interface JsonLines {
  lines: JsonLine[];
  truncated: boolean;
  /** Characters of the whole text (newlines included), as JSON.stringify would write it. */
  length: number;
}

/**
 * The text `JSON.stringify(value, null, indent)` writes, as lines of typed
 * tokens, so a view can colour it without parsing it again (and never as
 * HTML). `indent` 0 writes one line. Tokens stop at `maxChars` characters,
 * cut with "…"; the length of the whole text is still counted.
 */
export function jsonLines(value: unknown, indent: number, maxChars = Infinity): JsonLines {
  const lines: JsonLine[] = [];
  let line: JsonLine = { depth: 0, tokens: [] };
  lines.push(line);
  let length = 0;
  let truncated = false;
  const push = (kind: JsonTokenKind, text: string): void => {
    const before = length;
    length += text.length;
    if (truncated) return;
    if (length <= maxChars) {
      line.tokens.push([kind, text]);
      return;
    }
    truncated = true;
    if (maxChars > before) line.tokens.push([kind, text.slice(0, maxChars - before)]);
    line.tokens.push(["punctuation", "…"]);
  };
  const newline = (depth: number): void => {
    length += 1;
    if (truncated) {
      length += depth * indent;
      return;
    }
    line = { depth, tokens: [] };
    lines.push(line);
    if (depth > 0) push("space", " ".repeat(depth * indent));
  };
  const write = (v: unknown, depth: number): void => {
    if (v === null || v === undefined || typeof v === "function" || typeof v === "symbol") return push("null", "null");
    if (typeof v === "string") return push("string", JSON.stringify(v));
    if (typeof v === "number") return push(Number.isFinite(v) ? "number" : "null", Number.isFinite(v) ? String(v) : "null");
    if (typeof v === "boolean") return push("boolean", String(v));
    if (typeof v === "bigint") throw new TypeError("Do not know how to serialize a BigInt");
    const array = Array.isArray(v);
    const entries: Array<[string | null, unknown]> = array
      ? (v as unknown[]).map((x): [null, unknown] => [null, x])
      : Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined && typeof x !== "function" && typeof x !== "symbol");
    if (entries.length === 0) return push("punctuation", array ? "[]" : "{}");
    push("punctuation", array ? "[" : "{");
    entries.forEach(([key, x], i) => {
      if (indent > 0) newline(depth + 1);
      if (key !== null) {
        push("key", JSON.stringify(key));
        push("punctuation", indent > 0 ? ": " : ":");
      }
      write(x, depth + 1);
      if (i < entries.length - 1) push("punctuation", ",");
    });
    if (indent > 0) newline(depth);
    push("punctuation", array ? "]" : "}");
  };
  write(value, 0);
  return { lines, truncated, length };
}
