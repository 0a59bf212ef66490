import { detectPattern } from "./detectPattern";
import { linkText } from "./linkText";
import type { MethodKind } from "../spec/MethodKind";
import { containerBlocks } from "./containerBlocks";
import type { CodeBlock, NoteBlock } from "./NoteBlock";
import { TRANSCRIPT_CALLOUT } from "./transcriptCallout";

/** A `grpc` fenced block found in a note. */
export interface GrpcBlock {
  /** The YAML between the fences. */
  source: string;
  /** 0-based line of the opening fence in the note. */
  fenceLine: number;
}

/** Something in a note that has a Run button: a pattern callout, or a `grpc` block. */
export interface Runnable {
  kind: "callout" | "block";
  /** Stable within the note while its text stays: used to key transcripts. */
  key: string;
  /** 0-based first and last line in the note. */
  line: number;
  endLine: number;
  /** What the UI calls it: the callout title's display text, or the block's method. */
  label: string;
  /** The pattern a callout's title names; null for blocks and unlabelled callouts. */
  pattern: MethodKind | null;
  /** The block that defines the call; null for a title-only callout. */
  block: GrpcBlock | null;
  /** The callout's type and fold marker, for callouts. */
  calloutType?: string;
  fold?: "" | "+" | "-";
}

/**
 * Lists the runnables of a note's Markdown, in order: callouts whose title
 * names a pattern or that hold a `grpc` block (nested ones and ones in list
 * items too), and `grpc` blocks outside callouts. `blocksOf` reads the note's
 * structure: by default its containers line by line; the terminal runner
 * passes a CommonMark parser, the plugin Obsidian's metadata-cache sections.
 */
export function findRunnables(markdown: string, blocksOf: (lines: readonly string[], first: number) => NoteBlock[] = containerBlocks): Runnable[] {
  const lines = markdown.split(/\r?\n/);
  const first = frontmatterEnd(lines);
  return runnablesOf(blocksOf(lines.slice(first), first));
}

/** The runnables of a note's structure, in note order, with keys unique in the note. */
export function runnablesOf(blocks: readonly NoteBlock[]): Runnable[] {
  const out: Runnable[] = [];
  const seen = new Map<string, number>();
  const keyOf = (base: string): string => {
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  };
  const visit = (list: readonly NoteBlock[]): void => {
    for (const b of list) {
      if (b.type === "code") {
        if (b.lang !== "grpc") continue;
        const label = methodOf(b.source) ?? "grpc block";
        out.push({ kind: "block", key: keyOf(`block:${label}`), line: b.line, endLine: b.endLine, label, pattern: null, block: { source: b.source, fenceLine: b.line } });
        continue;
      }
      if (b.calloutType === TRANSCRIPT_CALLOUT) continue;
      const code = b.children.find((c): c is CodeBlock => c.type === "code" && c.lang === "grpc");
      const pattern = detectPattern(b.title);
      if (pattern !== null || code !== undefined) {
        const label = linkText(b.title) || b.calloutType;
        out.push({
          kind: "callout",
          key: keyOf(`callout:${label}`),
          line: b.line,
          endLine: b.endLine,
          label,
          pattern,
          block: code === undefined ? null : { source: code.source, fenceLine: code.line },
          calloutType: b.calloutType,
          fold: b.fold,
        });
      }
      // Callouts nested in this one run on their own; its own blocks run from its title.
      visit(b.children.filter((c) => c.type === "callout"));
    }
  };
  visit(blocks);
  return out;
}

/** The runnable whose lines contain `line` (0-based), the innermost first. */
export function runnableAt(runnables: readonly Runnable[], line: number): Runnable | undefined {
  const hits = runnables.filter((r) => r.line <= line && line <= r.endLine);
  return hits.sort((a, b) => b.line - a.line)[0];
}

/** The index of the first line after the frontmatter, or 0 when there is none. */
export function frontmatterEnd(lines: readonly string[]): number {
  if (lines[0] !== "---") return 0;
  for (let k = 1; k < lines.length; k++) if (lines[k] === "---" || lines[k] === "...") return k + 1;
  return 0;
}

function methodOf(source: string): string | null {
  const m = /^method:\s*["']?([^"'#\s]+)/m.exec(source);
  return m?.[1] ?? null;
}

/** The YAML of a note's frontmatter `grpc:` defaults, as raw text, or null. */
export function frontmatterText(markdown: string): string | null {
  const lines = markdown.split(/\r?\n/);
  const end = frontmatterEnd(lines);
  return end === 0 ? null : lines.slice(1, end - 1).join("\n");
}
