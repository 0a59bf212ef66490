/**
 * Render timing for the benchmarks and the load tests: flushes, their
 * durations and start times, and the most rows any list held. Only builds
 * that define `__RENDER_STATS__` as true record anything; the production
 * build defines it false, so esbuild drops the recording and this module.
 */
export const renderStats = {
  flushes: 0,
  longestMs: 0,
  durations: [] as number[],
  /** When each of those flushes started (performance.now()). */
  starts: [] as number[],
  /** The most message rows any list held after a flush, counting rows being taken apart. */
  maxRows: 0,
  /** Records one flush. */
  record(tookMs: number, startedAt: number, rows: number): void {
    this.flushes++;
    this.maxRows = Math.max(this.maxRows, rows);
    if (this.durations.length < 100_000) {
      this.durations.push(tookMs);
      this.starts.push(startedAt);
    }
    this.longestMs = Math.max(this.longestMs, tookMs);
  },
  reset(): void {
    this.flushes = 0;
    this.longestMs = 0;
    this.durations = [];
    this.starts = [];
    this.maxRows = 0;
  },
};

declare global {
  /** Defined by every build: true in the tests and benchmarks, which record render timing; false in production. */
  const __RENDER_STATS__: boolean;
}
