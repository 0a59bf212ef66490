/**
 * Reduces Markdown inline syntax to the text Obsidian displays: wikilinks to
 * their alias (or target), Markdown links to their text, and emphasis marks
 * dropped.
 */
export function linkText(markdown: string): string {
  return markdown
    .replace(/!?\[\[([^\]|]*?)(?:\|([^\]]*))?\]\]/g, (_m, target: string, alias?: string) =>
      alias !== undefined ? alias : displayTarget(target),
    )
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__|~~|==|[*`])/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

function displayTarget(target: string): string {
  const [file, ...sub] = target.split("#");
  const name = (file ?? "").replace(/\.md$/i, "");
  return [name, ...sub].filter((s) => s !== "").join(" > ");
}
