import { compactJson, directionGlyph, expectText, formatAt, formatCount, formatMetadata, statusText } from "./formatEvent";
import { escapeInline, fenced } from "./safeMarkdown";
import { droppedRows, type Transcript } from "./Transcript";

/**
 * The transcript as Markdown: a summary line and a fenced list of what
 * happened. Whatever came from a server stays text when Obsidian renders it:
 * the summary line is escaped and the fence is longer than any backtick run.
 */
export function toMarkdown(t: Transcript): string {
  const status = t.status === null ? "running" : statusText(t.status.code, t.status.message);
  const duration = t.status === null ? "" : ` in ${Math.round(t.status.at)} ms`;
  const summary = `**${escapeInline(t.method)}** → ${escapeInline(t.target)}: ${escapeInline(status)}${duration} (${t.sent} sent, ${t.received} received)`;
  const body: string[] = [];
  if (t.headers !== null) body.push(`headers  ${formatMetadata(t.headers)}`);
  const dropped = droppedRows(t);
  if (dropped > 0) body.push(`… ${formatCount(dropped)} earlier messages not shown`);
  for (const row of t.rows) {
    body.push(`${formatAt(row.at).padStart(10)} ${directionGlyph(row.direction)} ${compactJson(row.json, 2000)}`);
  }
  if (t.halfClosedAt !== null) body.push(`${formatAt(t.halfClosedAt).padStart(10)} → half-close`);
  if (t.trailers !== null) body.push(`trailers ${formatMetadata(t.trailers)}`);
  for (const r of t.expectations ?? []) body.push(`expect   ${expectText(r)}`);
  if (t.status !== null) {
    body.push(`status   ${statusText(t.status.code, t.status.message)}`);
    if (t.status.details.length > 0) body.push(`details  ${compactJson(t.status.details, 2000)}`);
  }
  return [summary, "", ...fenced(body.join("\n"), "text")].join("\n");
}
