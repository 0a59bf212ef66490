import MarkdownIt from "markdown-it";
import { calloutHead, type CalloutBlock, type NoteBlock } from "./NoteBlock";

const parser = new MarkdownIt("commonmark");

/**
 * The callouts and fenced code blocks of a note, as a CommonMark parser
 * (markdown-it) reads its block quotes, lists and fences. Frontmatter must
 * already be blanked out (keeping its lines), since CommonMark has none.
 */
export function commonMarkBlocks(markdown: string): NoteBlock[] {
  const tokens = parser.parse(markdown, {});
  const root: NoteBlock[] = [];
  // Each open block quote: the callout it is (or null for a plain quote) and where its children go.
  const stack: Array<{ callout: CalloutBlock | null; children: NoteBlock[] }> = [];
  const here = (): NoteBlock[] => stack[stack.length - 1]?.children ?? root;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) continue;
    if (t.type === "blockquote_open") {
      const inline = tokens[i + 1]?.type === "paragraph_open" ? tokens[i + 2] : undefined;
      const head = inline?.type === "inline" ? calloutHead(inline.content.split("\n")[0] ?? "") : null;
      const [start, end] = t.map ?? [0, 0];
      if (head === null) {
        stack.push({ callout: null, children: here() });
      } else {
        const callout: CalloutBlock = { type: "callout", line: start, endLine: end - 1, ...head, children: [] };
        here().push(callout);
        stack.push({ callout, children: callout.children });
      }
    } else if (t.type === "blockquote_close") {
      stack.pop();
    } else if (t.type === "fence") {
      const [start, end] = t.map ?? [0, 0];
      here().push({ type: "code", line: start, endLine: end - 1, lang: (t.info.trim().split(/\s+/)[0] ?? "").toLowerCase(), source: t.content.replace(/\n$/, "") });
    }
  }
  return root;
}

/** `commonMarkBlocks` in the shape `findRunnables` takes: lines from 0-based line `first` of the note. */
export function commonMarkBlocksOf(lines: readonly string[], first: number): NoteBlock[] {
  // Blank lines stand in for what came before (the frontmatter), so line numbers stay the note's.
  return commonMarkBlocks(`${"\n".repeat(first)}${lines.join("\n")}`);
}
