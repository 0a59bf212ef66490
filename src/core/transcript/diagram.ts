import type { Direction } from "./CallEvent";
import { compactJson, formatAt, statusText } from "./formatEvent";
import type { Transcript } from "./Transcript";

/** One row of a sequence diagram, top to bottom. */
export type DiagramItem =
  | { kind: "arrow"; direction: Direction; seq: number; at: number; preview: string }
  | { kind: "marker"; marker: "headers" | "half-close" | "trailers" | "status"; at: number; label: string; ok?: boolean }
  | { kind: "fold"; count: number };

/** Arrows drawn before the middle is folded into a band. */
export const MAX_ARROWS = 200;

/**
 * The sequence diagram of a transcript: one arrow per message (client → server
 * for sent, server → client for received), markers for the headers, the
 * half-close, the trailers and the final status, and a "… N more" band where
 * arrows are folded away (past MAX_ARROWS, or no longer kept).
 */
export function diagramOf(t: Transcript, maxArrows = MAX_ARROWS): DiagramItem[] {
  const items: DiagramItem[] = [];
  const arrows = t.rows.map(
    (r): DiagramItem => ({ kind: "arrow", direction: r.direction, seq: r.seq, at: r.at, preview: compactJson(r.json, 200) }),
  );
  const earlier = t.sent + t.received - t.rows.length;
  const timed: Array<{ at: number; item: DiagramItem }> = [];
  if (t.headers !== null) {
    // Headers arrive before the first response message.
    const at = t.rows.find((r) => r.direction === "received")?.at ?? t.status?.at ?? 0;
    timed.push({ at, item: { kind: "marker", marker: "headers", at, label: `headers (${t.headers.length})` } });
  }
  if (t.halfClosedAt !== null) timed.push({ at: t.halfClosedAt, item: { kind: "marker", marker: "half-close", at: t.halfClosedAt, label: "half-close" } });
  let shown = arrows;
  let foldAt = -1;
  let folded = 0;
  if (arrows.length > maxArrows) {
    const head = Math.floor(maxArrows / 2);
    folded = arrows.length - maxArrows;
    shown = [...arrows.slice(0, head), ...arrows.slice(arrows.length - (maxArrows - head))];
    foldAt = head;
  }
  if (earlier > 0) items.push({ kind: "fold", count: earlier });
  // Merge markers into the arrows by time; markers at a tie go first.
  const markers = timed.sort((a, b) => a.at - b.at);
  let m = 0;
  shown.forEach((a, i) => {
    if (i === foldAt) items.push({ kind: "fold", count: folded });
    const at = a.kind === "arrow" ? a.at : 0;
    while (m < markers.length && (markers[m]?.at ?? Infinity) <= at) items.push((markers[m++] as { item: DiagramItem }).item);
    items.push(a);
  });
  while (m < markers.length) items.push((markers[m++] as { item: DiagramItem }).item);
  if (t.trailers !== null) items.push({ kind: "marker", marker: "trailers", at: t.status?.at ?? 0, label: `trailers (${t.trailers.length})` });
  if (t.status !== null) {
    items.push({ kind: "marker", marker: "status", at: t.status.at, label: statusText(t.status.code, t.status.message), ok: t.status.code === 0 });
  }
  return items;
}

/** The text alternative of one diagram item, for screen readers and tooltips. */
export function describeItem(item: DiagramItem): string {
  switch (item.kind) {
    case "arrow":
      return `${item.direction === "sent" ? "Client sent" : "Server sent"} message ${item.seq} at ${formatAt(item.at)}: ${item.preview}`;
    case "marker":
      return `${item.label}${item.at >= 0 ? ` at ${formatAt(item.at)}` : ""}`;
    case "fold":
      return `${item.count} more messages not drawn`;
    default: {
      const never: never = item;
      return String(never);
    }
  }
}
