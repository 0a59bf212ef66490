/** Anything with a message's sequence number (1, 2, 3, … in order). */
export interface Sequenced {
  seq: number;
}

/** More new rows than this in one flush, and the window restarts from the newest. */
export const APPEND_LIMIT = 20;
/** In a flood the rows restart at most this often; the counts change every frame. */
export const FLOOD_REFRESH_MS = 100;
/** Windows with more rows than this are "long": rows out of view skip layout and paint (styles.css). */
export const LONG_LIST_ROWS = 40;

/** What a flush must do first: nothing new, wait for the flood's next refresh, restart from the newest, or append. */
export type WindowStep<R> = { kind: "none" } | { kind: "wait" } | { kind: "restart"; newest: R; setAside: number } | { kind: "append"; rows: R[] };

/**
 * Which rows of a transcript are on screen, with no DOM: a contiguous run of
 * the newest rows, at most `maxRows` of them counting rows that were set aside
 * and are still being taken apart. The view asks it what to draw and tells it
 * what it took apart; it draws nothing itself.
 */
export class RowWindow<R extends Sequenced> {
  /** The window holds rows lo..hi, count of them. */
  lo = 0;
  hi = 0;
  count = 0;
  /** Rows set aside by a restart that are still in the DOM; they count toward the cap. */
  retired = 0;
  private restartedAt = -Infinity;

  constructor(private maxRows: number) {}

  /** Starts over for a new transcript: the shown rows are set aside; returns how many, so the view moves them out of sight. */
  reset(maxRows: number): number {
    this.maxRows = maxRows;
    this.restartedAt = -Infinity;
    return this.setAside();
  }

  /**
   * The first step of a flush for `rows` (the transcript's kept rows, oldest
   * first) at time `now`. New rows are appended; when more arrived than
   * APPEND_LIMIT (a flood), or the oldest shown row was dropped from the
   * transcript, the window restarts from the newest row, but while a call
   * still runs at most every FLOOD_REFRESH_MS. A restart sets the shown rows
   * aside; the view moves them out of sight.
   */
  step(rows: readonly R[], now: number, ended: boolean): WindowStep<R> {
    const oldest = rows[0]?.seq ?? 0;
    const newestRow = rows[rows.length - 1];
    const newest = newestRow?.seq ?? 0;
    const fresh = newest - this.hi;
    const flood = this.count > 0 && fresh > APPEND_LIMIT;
    if (flood && !ended && now - this.restartedAt < FLOOD_REFRESH_MS) return { kind: "wait" };
    const setAside = this.count > 0 && (this.lo < oldest || flood) ? this.setAside() : 0;
    if (this.count === 0 && newestRow !== undefined) {
      this.lo = this.hi = newest;
      this.count = 1;
      this.restartedAt = now;
      return { kind: "restart", newest: newestRow, setAside };
    }
    if (fresh <= 0) return { kind: "none" };
    const appended = rows.slice(rows.length - fresh);
    this.count += appended.length;
    this.hi = newest;
    return { kind: "append", rows: appended };
  }

  /** The next older row to show at the top, recorded as shown; null when the window is full or shows the oldest row. */
  nextOlder(rows: readonly R[]): R | null {
    const oldest = rows[0]?.seq ?? 0;
    if (this.count + this.retired >= this.maxRows || this.lo <= oldest) return null;
    const row = rows[this.lo - oldest - 1];
    if (row === undefined) return null;
    this.lo = row.seq;
    this.count++;
    return row;
  }

  /** How many of the oldest shown rows the view must remove to stay within the cap; recorded as removed. */
  trimOldest(): number {
    const n = Math.max(0, this.count - this.maxRows);
    this.count -= n;
    this.lo += n;
    return n;
  }

  /** How many set-aside rows the view must take apart now, so that the DOM never holds more than the cap. */
  overCap(): number {
    return Math.max(0, this.count + this.retired - this.maxRows);
  }

  /** Tells the window that the view took `n` set-aside rows out of the DOM. */
  tookApart(n: number): void {
    this.retired = Math.max(0, this.retired - n);
  }

  /** Whether the window still has rows to fill in (the next flush goes on). */
  unfinished(rows: readonly R[]): boolean {
    return this.count < Math.min(this.maxRows, rows.length);
  }

  /** Whether the window waits behind the newest row (a flood between refreshes). */
  behind(rows: readonly R[]): boolean {
    return this.hi < (rows[rows.length - 1]?.seq ?? 0);
  }

  /** Whether the window is long enough for its rows to skip layout out of view. */
  get long(): boolean {
    return this.count > LONG_LIST_ROWS;
  }

  /** Sets every shown row aside; returns how many. */
  private setAside(): number {
    const n = this.count;
    this.retired += n;
    this.count = 0;
    this.lo = this.hi = 0;
    return n;
  }
}
