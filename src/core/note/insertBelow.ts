import { findRunnables } from "./findRunnables";

/**
 * The note's text with `text` inserted on the lines right after the runnable
 * whose key is `key` (a blank line between), or null when that runnable is
 * no longer in the note. Pure, so it can run inside Vault.process on the
 * note's current text.
 */
export function insertBelow(markdown: string, key: string, text: string): string | null {
  const r = findRunnables(markdown).find((x) => x.key === key);
  if (r === undefined) return null;
  const eol = markdown.includes("\r\n") ? "\r\n" : "\n";
  const lines = markdown.split(/\r?\n/);
  lines.splice(r.endLine + 1, 0, "", ...text.split("\n"));
  return lines.join(eol);
}

/**
 * The note's text with `text` added at the end of the callout `key`'s body,
 * every line quoted, or null when the runnable is gone or not a callout.
 */
export function appendToCallout(markdown: string, key: string, text: string): string | null {
  const r = findRunnables(markdown).find((x) => x.key === key);
  if (r === undefined || r.kind !== "callout") return null;
  const eol = markdown.includes("\r\n") ? "\r\n" : "\n";
  const lines = markdown.split(/\r?\n/);
  lines.splice(r.endLine + 1, 0, ">", ...text.split("\n").map((l) => (l === "" ? ">" : `> ${l}`)));
  return lines.join(eol);
}
