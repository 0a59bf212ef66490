import { APPEND_LIMIT, FLOOD_REFRESH_MS, LONG_LIST_ROWS, RowWindow } from "../../../src/obsidian/views/RowWindow";

/** Rows first..last, as a transcript keeps them. */
const rows = (first: number, last: number) => Array.from({ length: Math.max(0, last - first + 1) }, (_, i) => ({ seq: first + i }));
/** Fills the window as a view would with unlimited time: every older row it offers. */
function fill(w: RowWindow<{ seq: number }>, rs: Array<{ seq: number }>): number[] {
  const out: number[] = [];
  for (let r = w.nextOlder(rs); r !== null; r = w.nextOlder(rs)) out.push(r.seq);
  return out;
}

test.each([
  ["the first row starts the window", 0, 0, rows(1, 1), { kind: "restart", newest: { seq: 1 }, setAside: 0 }, [1, 1, 1]],
  ["a few new rows are appended", 1, 3, rows(1, 5), { kind: "append", rows: rows(4, 5) }, [1, 5, 5]],
  ["nothing new is nothing", 1, 5, rows(1, 5), { kind: "none" }, [1, 5, 5]],
])("%s", (_name, lo, hi, rs, step, [wlo, whi, count]) => {
  const w = new RowWindow<{ seq: number }>(500);
  if (hi > 0) {
    w.step(rows(lo, lo), 0, false);
    for (const r of rows(lo + 1, hi)) w.step(rows(lo, r.seq), 0, false);
  }
  expect(w.step(rs, 1000, false)).toEqual(step);
  expect([w.lo, w.hi, w.count]).toEqual([wlo, whi, count]);
});

test("more than APPEND_LIMIT new rows restart from the newest, setting the shown rows aside", () => {
  const w = new RowWindow<{ seq: number }>(500);
  w.step(rows(1, 3), 0, false);
  fill(w, rows(1, 3));
  expect(w.count).toBe(3);
  const flood = rows(1, 3 + APPEND_LIMIT + 1);
  expect(w.step(flood, 1000, false)).toEqual({ kind: "restart", newest: { seq: 3 + APPEND_LIMIT + 1 }, setAside: 3 });
  expect([w.count, w.retired]).toEqual([1, 3]);
});

test("in a flood the window waits between refreshes while the call runs, and not once it has ended", () => {
  const w = new RowWindow<{ seq: number }>(500);
  w.step(rows(1, 1), 0, false);
  expect(w.step(rows(1, 100), 0 + FLOOD_REFRESH_MS / 2, false)).toEqual({ kind: "wait" });
  expect(w.behind(rows(1, 100))).toBe(true);
  expect(w.step(rows(1, 100), FLOOD_REFRESH_MS / 2 + 1, true).kind).toBe("restart");
  expect(w.behind(rows(1, 100))).toBe(false);
});

test("older rows fill in up to the cap, counting rows set aside; the oldest shown row dropped restarts", () => {
  const w = new RowWindow<{ seq: number }>(10);
  const rs = rows(1, 30);
  expect(w.step(rs, 0, false)).toMatchObject({ kind: "restart", newest: { seq: 30 } });
  expect(fill(w, rs)).toEqual([29, 28, 27, 26, 25, 24, 23, 22, 21]);
  expect([w.lo, w.hi, w.count]).toEqual([21, 30, 10]);
  expect(w.unfinished(rs)).toBe(false);
  // The transcript dropped rows up to 25: the window restarts, and 10 set-aside rows still count.
  expect(w.step(rows(26, 31), 1000, false)).toEqual({ kind: "restart", newest: { seq: 31 }, setAside: 10 });
  expect(w.overCap()).toBe(1);
  expect(fill(w, rows(26, 31))).toEqual([]);
  w.tookApart(10);
  expect(fill(w, rows(26, 31))).toEqual([30, 29, 28, 27, 26]);
});

test("appending past the cap trims the oldest shown rows", () => {
  const w = new RowWindow<{ seq: number }>(5);
  w.step(rows(1, 1), 0, false);
  w.step(rows(1, 8), 0, false);
  expect(w.count).toBe(8);
  expect(w.trimOldest()).toBe(3);
  expect([w.lo, w.hi, w.count]).toEqual([4, 8, 5]);
  expect(w.trimOldest()).toBe(0);
});

test("a reset sets the shown rows aside, and long windows are flagged", () => {
  const w = new RowWindow<{ seq: number }>(500);
  const rs = rows(1, LONG_LIST_ROWS + 1);
  w.step(rs, 0, false);
  fill(w, rs);
  expect(w.long).toBe(true);
  expect(w.reset(500)).toBe(LONG_LIST_ROWS + 1);
  expect([w.count, w.retired, w.long]).toEqual([0, LONG_LIST_ROWS + 1, false]);
});
