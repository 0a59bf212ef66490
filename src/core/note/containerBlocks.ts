import { calloutHead, type NoteBlock } from "./NoteBlock";

const FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/;
const QUOTE = /^ {0,3}> ?/;
const LIST_ITEM = /^( {0,3})([-+*]|\d{1,9}[.)])( {1,4}|$)/;

/**
 * The callouts and fenced code blocks of `lines` (0-based line `first` in the
 * note), following Markdown's containers: block quotes (each `>` level),
 * list items (by the item's content column) and fences (closed by a fence of
 * the same character, at least as long). Callouts inside callouts, quotes or
 * list items are found at any depth.
 */
export function containerBlocks(lines: readonly string[], first = 0): NoteBlock[] {
  const out: NoteBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? "";
    const fence = FENCE.exec(line);
    if (fence !== null) {
      const marker = fence[2] ?? "```";
      const close = new RegExp(`^ {0,3}${marker[0] === "`" ? "`" : "~"}{${marker.length},}\\s*$`);
      let end = i + 1;
      while (end < lines.length && !close.test(lines[end] ?? "")) end++;
      const indent = (fence[1] ?? "").length;
      const source = lines.slice(i + 1, end).map((l) => l.replace(new RegExp(`^ {0,${indent}}`), ""));
      out.push({ type: "code", line: first + i, endLine: first + Math.min(end, lines.length - 1), lang: (fence[3] ?? "").toLowerCase(), source: source.join("\n") });
      i = end + 1;
      continue;
    }
    if (QUOTE.test(line)) {
      let end = i;
      while (end + 1 < lines.length && QUOTE.test(lines[end + 1] ?? "")) end++;
      const body = lines.slice(i, end + 1).map((l) => l.replace(QUOTE, ""));
      const head = calloutHead(body[0] ?? "");
      if (head === null) out.push(...containerBlocks(body, first + i));
      else out.push({ type: "callout", line: first + i, endLine: first + end, ...head, children: containerBlocks(body.slice(1), first + i + 1) });
      i = end + 1;
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item !== null) {
      const column = item[0].length === line.length ? (item[1] ?? "").length + (item[2] ?? "").length + 1 : item[0].length;
      let end = i;
      while (end + 1 < lines.length) {
        const next = lines[end + 1] ?? "";
        if (next.trim() === "" ? (lines[end + 2] ?? "").search(/\S/) >= column : next.search(/\S/) >= column) end++;
        else break;
      }
      const body = [line.slice(column), ...lines.slice(i + 1, end + 1).map((l) => l.slice(Math.min(column, l.search(/\S|$/))))];
      out.push(...containerBlocks(body, first + i));
      i = end + 1;
      continue;
    }
    i++;
  }
  return out;
}
