// Obsidian's metadata-cache sections for a note, as the mock's metadata cache gives them: one per
// top-level block, typed as Obsidian types them ("yaml", "heading", "paragraph", "callout",
// "blockquote", "code", "list", "html", "thematicBreak", "table"), with start and end positions.
import { lineOffsets } from "../../src/core/note/lineOffsets";
import MarkdownIt from "markdown-it";
import type { SectionCache } from "obsidian";

const md = new MarkdownIt({ html: true });
const TYPES: Record<string, string> = {
  heading_open: "heading",
  paragraph_open: "paragraph",
  blockquote_open: "blockquote",
  fence: "code",
  code_block: "code",
  bullet_list_open: "list",
  ordered_list_open: "list",
  html_block: "html",
  hr: "thematicBreak",
  table_open: "table",
};

/** The sections of `text`. */
export function sectionsOf(text: string): SectionCache[] {
  const lines = text.split("\n");
  const offsets = lineOffsets(lines);
  const pos = (startLine: number, endLine: number): SectionCache["position"] => ({
    start: { line: startLine, col: 0, offset: offsets[startLine] ?? 0 },
    end: { line: endLine, col: (lines[endLine] ?? "").length, offset: (offsets[endLine] ?? 0) + (lines[endLine] ?? "").length },
  });
  const out: SectionCache[] = [];
  let body = text;
  if (lines[0] === "---") {
    const close = lines.indexOf("---", 1);
    if (close > 0) {
      out.push({ type: "yaml", position: pos(0, close) });
      body = `${"\n".repeat(close + 1)}${lines.slice(close + 1).join("\n")}`;
    }
  }
  for (const [i, t] of md.parse(body, {}).entries()) {
    if (t.level !== 0 || t.map === null || TYPES[t.type] === undefined) continue;
    let type = TYPES[t.type] ?? "text";
    if (type === "blockquote" && /^\[![^\]]+\]/.test((md.parse(body, {})[i + 2]?.content ?? "").trim())) type = "callout";
    // markdown-it's block ends after trailing blank lines of lists; Obsidian's ends at the last text line.
    let end = t.map[1] - 1;
    while (end > t.map[0] && (lines[end] ?? "").trim() === "") end--;
    out.push({ type, position: pos(t.map[0], end) });
  }
  return out;
}
