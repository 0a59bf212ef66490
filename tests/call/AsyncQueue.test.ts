import { AsyncQueue } from "../../src/call/AsyncQueue";

test("a full queue tells the producer to pause, and to go on once drained to half", async () => {
  const log: string[] = [];
  const q = new AsyncQueue<number>({ highWaterMark: 4, onFull: () => log.push("full"), onDrained: () => log.push("drained") });
  for (let i = 1; i <= 6; i++) q.push(i);
  expect([q.size, log]).toEqual([6, ["full"]]);
  const it = q[Symbol.asyncIterator]();
  const got: number[] = [];
  for (let i = 0; i < 4; i++) got.push((await it.next()).value as number);
  expect(got).toEqual([1, 2, 3, 4]);
  expect(log).toEqual(["full", "drained"]);
  q.end();
  expect((await it.next()).value).toBe(5);
  expect((await it.next()).value).toBe(6);
  expect((await it.next()).done).toBe(true);
});

test("without a high-water mark the queue never reports full", () => {
  let full = 0;
  const q = new AsyncQueue<number>({ onFull: () => full++ });
  for (let i = 0; i < 100_000; i++) q.push(i);
  expect([q.size, full]).toEqual([100_000, 0]);
});
