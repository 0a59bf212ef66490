/**
 * Text that Obsidian renders as the same text, for the middle of one line
 * outside a fence: every mark that starts Markdown, HTML or Obsidian syntax
 * (links, images, embeds, tags, emphasis, highlights, comments, math, block
 * ids, entities, autolinks) is backslash-escaped, and line breaks become
 * spaces. Dots, commas, hyphens and slashes stay as they are, so names and
 * paths read normally; the dot of "www." is escaped, which GFM would link.
 */
export function escapeInline(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, " ")
    .replace(/[\\`*_[\]()<>!#=%~^$&|{}:@+]/g, (c) => `\\${c}`)
    .replace(/(www)\./gi, "$1\\.");
}

/** The lines of `text`, split at every line ending CommonMark knows (\n, \r\n and a lone \r). */
export function markdownLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/** A backtick fence longer than any run of backticks or tildes in `content`, and never shorter than three. */
export function fenceFor(content: string): string {
  let longest = 0;
  for (const run of content.match(/`+|~+/g) ?? []) longest = Math.max(longest, run.length);
  return "`".repeat(Math.max(3, longest + 1));
}

/** `content` in a fenced code block of language `lang` that nothing inside can close. */
export function fenced(content: string, lang: string): string[] {
  const fence = fenceFor(content);
  return [`${fence}${lang}`, ...markdownLines(content), fence];
}
