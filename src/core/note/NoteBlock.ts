/**
 * A note's structure as far as runnables need it, whatever parsed it: the
 * callouts (nested ones inside) and the fenced code blocks, with their lines.
 * The plugin builds it from Obsidian's metadata-cache sections, the terminal
 * runner from a CommonMark parser; `runnablesOf` reads either.
 */
export type NoteBlock = CalloutBlock | CodeBlock;

/** A callout: `> [!type]fold title` and its body. */
export interface CalloutBlock {
  type: "callout";
  /** 0-based first and last line in the note. */
  line: number;
  endLine: number;
  calloutType: string;
  fold: "" | "+" | "-";
  /** The title as written (links not yet reduced). */
  title: string;
  /** Callouts and code blocks in its body, in order. */
  children: NoteBlock[];
}

/** A fenced code block. */
export interface CodeBlock {
  type: "code";
  /** 0-based line of the opening fence, and of the closing one (or the last line). */
  line: number;
  endLine: number;
  /** The info string's first word, lower-cased. */
  lang: string;
  /** The lines between the fences, container markers stripped. */
  source: string;
}

/** `[!type]fold title` on a callout's first line, or null. */
export function calloutHead(firstLine: string): { calloutType: string; fold: "" | "+" | "-"; title: string } | null {
  const m = /^\s*\[!([^\]]+)\]([+-]?)\s*(.*)$/.exec(firstLine);
  return m === null ? null : { calloutType: (m[1] ?? "").toLowerCase(), fold: (m[2] ?? "") as "" | "+" | "-", title: m[3] ?? "" };
}
