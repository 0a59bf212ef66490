import type { JsonValue } from "../json/JsonValue";

/** A request template: a JSON value, or an object or list of templates whose entries may carry a comment. */
export type TemplateNode =
  | { kind: "value"; json: JsonValue }
  | { kind: "object"; entries: TemplateEntry[] }
  | { kind: "list"; items: TemplateNode[] };

/** One key of an object template: its value, a comment line above it, or the whole entry as a comment (left unset unless the user uncomments it). */
export interface TemplateEntry {
  key: string;
  node: TemplateNode;
  comment?: string;
  commentedOut?: boolean;
}

/** The template as plain JSON, comments and commented-out entries dropped. */
export function templateJson(node: TemplateNode): JsonValue {
  switch (node.kind) {
    case "value":
      return node.json;
    case "list":
      return node.items.map(templateJson);
    case "object":
      return Object.fromEntries(node.entries.filter((e) => e.commentedOut !== true).map((e) => [e.key, templateJson(e.node)]));
  }
}

/**
 * The template as block YAML lines at `indent`, with each entry's comment
 * on a `#` line above it and commented-out entries as `# key: value`. Keys and strings are JSON-quoted unless they are
 * plain names, and comments are single lines, so nothing from a server can
 * become YAML structure.
 */
export function templateYaml(node: TemplateNode, indent = ""): string[] {
  if (isInline(node)) return [`${indent}${JSON.stringify(templateJson(node))}`, ...commentedOnly(node, indent)];
  if (node.kind === "list") {
    return node.items.flatMap((item) => {
      const lines = templateYaml(item, `${indent}  `);
      return [`${indent}- ${(lines[0] ?? "").trimStart()}`, ...lines.slice(1)];
    });
  }
  const out: string[] = [];
  for (const e of node.kind === "object" ? node.entries : []) {
    if (e.comment !== undefined) out.push(`${indent}# ${e.comment.replace(/[\r\n]+/g, " ")}`);
    const key = /^[A-Za-z_][A-Za-z0-9_]*$/.test(e.key) ? e.key : JSON.stringify(e.key);
    if (e.commentedOut === true) out.push(`${indent}# ${key}: ${JSON.stringify(templateJson(e.node))}`);
    else if (isInline(e.node)) out.push(`${indent}${key}: ${JSON.stringify(templateJson(e.node))}`, ...commentedOnly(e.node, `${indent}  `));
    else out.push(`${indent}${key}:`, ...templateYaml(e.node, `${indent}  `));
  }
  return out;
}

/** Whether a node is written on its key's line: a value, or an empty object or list (an object of only commented-out entries too). */
function isInline(node: TemplateNode): boolean {
  if (node.kind === "value") return true;
  if (node.kind === "list") return node.items.length === 0;
  return node.entries.every((e) => e.commentedOut === true);
}

/** The commented-out entries of an inline object, as comment lines below it. */
function commentedOnly(node: TemplateNode, indent: string): string[] {
  return node.kind === "object" ? node.entries.map((e) => `${indent}# ${/^[A-Za-z_][A-Za-z0-9_]*$/.test(e.key) ? e.key : JSON.stringify(e.key)}: ${JSON.stringify(templateJson(e.node))}`) : [];
}
