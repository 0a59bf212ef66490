// Parses Mermaid texts with the mermaid package's own parser (in jsdom, as mermaid needs a DOM):
// reads a JSON array of texts on stdin, writes a JSON array of {ok, type} or {ok: false, error}.
"use strict";
const { JSDOM } = require("jsdom");

async function main() {
  const dom = new JSDOM("<!doctype html><html><body></body></html>");
  globalThis.window = dom.window;
  globalThis.document = dom.window.document;
  // mermaid is ESM only.
  const { default: mermaid } = await import("mermaid");
  let input = "";
  for await (const chunk of process.stdin) input += chunk;
  const out = [];
  for (const text of JSON.parse(input)) {
    try {
      const r = await mermaid.parse(text);
      out.push({ ok: true, type: r.diagramType });
    } catch (e) {
      out.push({ ok: false, error: String((e && e.message) || e).split("\n").slice(0, 3).join(" ") });
    }
  }
  process.stdout.write(JSON.stringify(out));
}
void main();
