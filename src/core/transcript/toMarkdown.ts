import { compactJson, directionGlyph, formatAt, formatCount, formatMetadata, statusText } from "./formatEvent";
import { droppedRows, type Transcript } from "./Transcript";

/** The transcript as Markdown: a summary line and a fenced list of what happened. */
export function toMarkdown(t: Transcript): string {
  const lines: string[] = [];
  const status = t.status === null ? "running" : statusText(t.status.code, t.status.message);
  const duration = t.status === null ? "" : ` in ${Math.round(t.status.at)} ms`;
  lines.push(`**${t.method}** → \`${t.target}\`: ${status}${duration} (${t.sent} sent, ${t.received} received)`);
  lines.push("", "```text");
  if (t.headers !== null) lines.push(`headers  ${formatMetadata(t.headers)}`);
  const dropped = droppedRows(t);
  if (dropped > 0) lines.push(`… ${formatCount(dropped)} earlier messages not shown`);
  for (const row of t.rows) {
    lines.push(`${formatAt(row.at).padStart(10)} ${directionGlyph(row.direction)} ${compactJson(row.json, 2000)}`);
  }
  if (t.halfClosedAt !== null) lines.push(`${formatAt(t.halfClosedAt).padStart(10)} → half-close`);
  if (t.trailers !== null) lines.push(`trailers ${formatMetadata(t.trailers)}`);
  if (t.status !== null) {
    lines.push(`status   ${statusText(t.status.code, t.status.message)}`);
    if (t.status.details.length > 0) lines.push(`details  ${compactJson(t.status.details, 2000)}`);
  }
  lines.push("```");
  return lines.join("\n");
}
