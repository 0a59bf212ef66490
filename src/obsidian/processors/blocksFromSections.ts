import { lineOffsets } from "../../core/note/lineOffsets";
import type { SectionCache } from "obsidian";
import { containerBlocks } from "../../core/note/containerBlocks";
import type { NoteBlock } from "../../core/note/NoteBlock";

/** Section types that can hold callouts or fenced code; the rest (paragraphs, headings, HTML, tables…) cannot. */
const CONTAINERS = new Set(["callout", "blockquote", "list", "code"]);
/** How the first line of each such section starts. */
const STARTS = { callout: /^ {0,3}>/, blockquote: /^ {0,3}>/, list: /^ {0,3}([-+*]|\d{1,9}[.)])(\s|$)/, code: /^ {0,3}(`{3,}|~{3,}| {4})/ };

/**
 * The callouts and code blocks of a note from Obsidian's metadata-cache
 * sections: each callout, quote, list or code section is read with its
 * containers (for callouts nested in it and blocks in its items), and every
 * other section is skipped. Returns null when the sections do not fit `text`
 * (the cache lags an edit), so the caller reads the text itself.
 */
export function blocksFromSections(text: string, sections: readonly SectionCache[] | undefined, first = 0): NoteBlock[] | null {
  if (sections === undefined) return null;
  const lines = text.split("\n");
  const offsets = lineOffsets(lines);
  const out: NoteBlock[] = [];
  for (const s of sections) {
    const { start, end } = s.position;
    // Each section must sit where the cache says, or the cache lags an edit.
    if (start.line < 0 || end.line >= lines.length || start.line > end.line) return null;
    if (offsets[start.line] !== start.offset - start.col || (offsets[end.line] ?? 0) + end.col !== end.offset) return null;
    if (start.line < first || !CONTAINERS.has(s.type)) continue;
    if (!STARTS[s.type as keyof typeof STARTS].test(lines[start.line] ?? "")) return null;
    out.push(...containerBlocks(lines.slice(start.line, end.line + 1).map((l) => l.replace(/\r$/, "")), start.line));
  }
  return out;
}
