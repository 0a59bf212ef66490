import { detectPattern } from "./detectPattern";
import { linkText } from "./linkText";
import type { MethodKind } from "../spec/MethodKind";
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

const CALLOUT_HEAD = /^>\s*\[!([^\]]+)\]([+-]?)\s*(.*)$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;

/**
 * Lists the runnables of a note's Markdown, in order: callouts whose title
 * names a pattern or that hold a `grpc` block, and top-level `grpc` blocks.
 */
export function findRunnables(markdown: string): Runnable[] {
  const lines = markdown.split(/\r?\n/);
  const out: Runnable[] = [];
  const seen = new Map<string, number>();
  const keyOf = (base: string): string => {
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  };
  let i = frontmatterEnd(lines);
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const fence = FENCE.exec(line);
    if (fence !== null) {
      const end = closingFence(lines, i, fence[2] ?? "```", (s) => s);
      if ((fence[3] ?? "").toLowerCase() === "grpc") {
        const source = lines.slice(i + 1, end).join("\n");
        const label = methodOf(source) ?? "grpc block";
        out.push({ kind: "block", key: keyOf(`block:${label}`), line: i, endLine: Math.min(end, lines.length - 1), label, pattern: null, block: { source, fenceLine: i } });
      }
      i = end + 1;
      continue;
    }
    const head = CALLOUT_HEAD.exec(line);
    if (head !== null) {
      let end = i;
      while (end + 1 < lines.length && /^>/.test(lines[end + 1] ?? "")) end++;
      const body = lines.slice(i + 1, end + 1).map((l) => l.replace(/^>\s?/, ""));
      const block = findBlockInBody(body, i + 1);
      const title = head[3] ?? "";
      const type = (head[1] ?? "").toLowerCase();
      const pattern = type === TRANSCRIPT_CALLOUT ? null : detectPattern(title);
      if (type !== TRANSCRIPT_CALLOUT && (pattern !== null || block !== null)) {
        const label = linkText(title) || (head[1] ?? "callout");
        out.push({
          kind: "callout",
          key: keyOf(`callout:${label}`),
          line: i,
          endLine: end,
          label,
          pattern,
          block,
          calloutType: type,
          fold: (head[2] ?? "") as "" | "+" | "-",
        });
      }
      i = end + 1;
      continue;
    }
    i++;
  }
  return out;
}

/** The runnable whose lines contain `line` (0-based), the innermost first. */
export function runnableAt(runnables: readonly Runnable[], line: number): Runnable | undefined {
  const hits = runnables.filter((r) => r.line <= line && line <= r.endLine);
  return hits.sort((a, b) => b.line - a.line)[0];
}

function findBlockInBody(body: string[], firstLine: number): GrpcBlock | null {
  for (let j = 0; j < body.length; j++) {
    const fence = FENCE.exec(body[j] ?? "");
    if (fence === null) continue;
    const end = closingFence(body, j, fence[2] ?? "```", (s) => s);
    if ((fence[3] ?? "").toLowerCase() === "grpc") {
      return { source: body.slice(j + 1, end).join("\n"), fenceLine: firstLine + j };
    }
    j = end;
  }
  return null;
}

function closingFence(lines: string[], open: number, marker: string, strip: (s: string) => string): number {
  const close = new RegExp(`^\\s*${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
  for (let k = open + 1; k < lines.length; k++) if (close.test(strip(lines[k] ?? ""))) return k;
  return lines.length;
}

function frontmatterEnd(lines: string[]): number {
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
