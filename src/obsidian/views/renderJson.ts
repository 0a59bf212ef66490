import { jsonLines, type JsonLines } from "../../core/json/jsonLines";

/** Deepest indent the stylesheet draws a hanging indent for; deeper lines share it. */
const MAX_DEPTH = 8;

/**
 * Writes `value` into `el` as JSON, the way the user's code blocks look: one
 * block per line (so a long value wraps under itself, with a hanging indent)
 * and one span per token, classed for the theme's code colours. Text only:
 * a hostile message stays text. Returns what was written.
 */
export function renderJson(el: HTMLElement, value: unknown, indent: number, maxChars: number): JsonLines {
  const out = jsonLines(value, indent, maxChars);
  el.empty();
  const last = out.lines.length - 1;
  out.lines.forEach((line, i) => {
    const lineEl = el.createSpan({ cls: "grpc-callouts-json-line", attr: { "data-depth": Math.min(line.depth, MAX_DEPTH) } });
    // Punctuation and indent are the message's own colour, as plain text run together: fewer
    // nodes, which a flood's rows make many of.
    let plain = "";
    for (const [kind, text] of line.tokens) {
      if (kind === "space" || kind === "punctuation") {
        plain += text;
        continue;
      }
      if (plain !== "") lineEl.appendText(plain);
      plain = "";
      lineEl.createSpan({ cls: `grpc-callouts-json-${kind}`, text });
    }
    // The newline keeps the text (and a copy of a selection) exactly the JSON shown.
    plain += i < last ? "\n" : "";
    if (plain !== "") lineEl.appendText(plain);
  });
  return out;
}
