import { compactJson, formatMetadata, statusText } from "./formatEvent";
import { fenced } from "./safeMarkdown";
import { droppedRows, type Transcript } from "./Transcript";

/** Arrows a diagram draws before its middle folds into a note. */
export const MERMAID_MAX_ARROWS = 50;

/**
 * The transcript as a Mermaid `sequenceDiagram`: client and server, one
 * arrow per message kept (past 50, the middle folds into a note "… N more
 * messages"), the half-close, headers and trailers as notes, and the status.
 * Obsidian renders Mermaid natively, so a saved transcript shows its diagram
 * even without the plugin. Labels are escaped for Mermaid: its statement
 * separator, entity, comment and quote characters become entity codes,
 * angle brackets become look-alikes (‹ ›), and a label is one line.
 */
export function toMermaid(t: Transcript): string {
  const lines = ["sequenceDiagram", "  participant C as Client", "  participant S as Server"];
  const note = (text: string): void => {
    lines.push(`  Note over C,S: ${label(text)}`);
  };
  if (t.headers !== null && t.headers.length > 0) note(`headers: ${formatMetadata(t.headers)}`);
  const dropped = droppedRows(t);
  if (dropped > 0) note(`… ${dropped} earlier messages not kept`);
  const rows = t.rows;
  const half = MERMAID_MAX_ARROWS / 2;
  const halfClose = t.halfClosedAt;
  let halfCloseDrawn = halfClose === null;
  const arrow = (row: (typeof rows)[number]): void => {
    if (!halfCloseDrawn && halfClose !== null && row.at > halfClose) {
      lines.push("  C-)S: half-close");
      halfCloseDrawn = true;
    }
    lines.push(row.direction === "sent" ? `  C->>S: ${label(compactJson(row.json, 80))}` : `  S-->>C: ${label(compactJson(row.json, 80))}`);
  };
  if (rows.length <= MERMAID_MAX_ARROWS) rows.forEach(arrow);
  else {
    rows.slice(0, half).forEach(arrow);
    note(`… ${rows.length - MERMAID_MAX_ARROWS} more messages`);
    rows.slice(rows.length - half).forEach(arrow);
  }
  if (!halfCloseDrawn) lines.push("  C-)S: half-close");
  if (t.trailers !== null && t.trailers.length > 0) note(`trailers: ${formatMetadata(t.trailers)}`);
  if (t.status !== null) note(`${statusText(t.status.code, t.status.message)} in ${Math.round(t.status.at)} ms`);
  return lines.join("\n");
}

/** The diagram in a ```mermaid fence that nothing in it can close. */
export function mermaidBlock(t: Transcript): string {
  return fenced(toMermaid(t), "mermaid").join("\n");
}

/** Text as one Mermaid label: entity codes for what Mermaid reads as syntax, at most 120 characters. */
function label(text: string): string {
  const one = text.replace(/[\r\n]+/g, " ");
  const short = one.length > 120 ? `${one.slice(0, 119)}…` : one;
  // Angle brackets become look-alikes, so that no label can ever be read as a tag, whatever renders it.
  return short.replace(/</g, "‹").replace(/>/g, "›").replace(/[#;%&"`]/g, (c) => `#${c.charCodeAt(0)};`) || " ";
}
