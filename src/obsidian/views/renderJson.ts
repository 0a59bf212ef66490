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
    for (const [kind, text] of line.tokens) {
      if (kind === "space") lineEl.appendText(text);
      else lineEl.createSpan({ cls: `grpc-callouts-json-${kind}`, text });
    }
    // The newline keeps the text (and a copy of a selection) exactly the JSON shown.
    if (i < last) lineEl.appendText("\n");
  });
  return out;
}
