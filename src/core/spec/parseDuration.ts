const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Milliseconds for a duration such as "250ms", "1.5s", "2m" or "1h", or an
 * error message saying what was wrong. A unit is required.
 */
export function parseDuration(text: string): number | { error: string } {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/i.exec(text);
  if (m === null) {
    return { error: `"${text}" is not a duration: write a number and a unit, like 250ms, 1.5s or 2m` };
  }
  return Math.round(Number(m[1]) * (UNITS[(m[2] ?? "").toLowerCase()] ?? 1));
}

/** A duration in the shortest readable form: 250ms, 1.5s, 2m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000 || ms % 60_000 !== 0) return `${Number((ms / 1000).toFixed(3))}s`;
  return `${ms / 60_000}m`;
}
