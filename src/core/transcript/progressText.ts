import { formatCount } from "./formatEvent";
import type { Transcript } from "./Transcript";

/** "512 B", "1.5 kB", "3.2 MB". */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}

/**
 * A call's progress in a few words, for the transcript's header: while it
 * runs, the counts ("3 of 5 sent" for a scripted client stream), the rate
 * received, the bytes so far and the time elapsed; once it ends, the counts,
 * the bytes and the duration. Before anything happened: "starting…".
 */
export function progressText(t: Transcript, options: { scripted: number | null; elapsedMs: number }): string {
  const bytes = t.sentBytes + t.receivedBytes;
  const sent = options.scripted !== null && t.status === null ? `${formatCount(t.sent)} of ${formatCount(options.scripted)} sent` : `${formatCount(t.sent)} sent`;
  const counts = `${sent} · ${formatCount(t.received)} received`;
  const size = bytes > 0 ? ` · ${formatBytes(bytes)}` : "";
  if (t.status !== null) return `${counts}${size} · ${Math.round(t.status.at)} ms`;
  if (t.sent + t.received === 0 && t.headers === null) return "starting…";
  const seconds = options.elapsedMs / 1000;
  const rate = seconds >= 0.5 && t.received > 0 ? ` · ${formatCount(Math.round(t.received / seconds))}/s` : "";
  return `${counts}${rate}${size} · ${seconds.toFixed(1)} s`;
}
