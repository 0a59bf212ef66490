/** B3: a stream flood into the transcript view (jsdom): throughput against bare grpc-js and the longest render batch. */
import { PerformanceObserver } from "node:perf_hooks";
import { readFileSync } from "node:fs";
import { TranscriptView } from "../src/obsidian/views/TranscriptView";
import { renderStats } from "../src/obsidian/views/renderStats";
import { notes, stats, fmt, record } from "./report";
import { bareFeed, FLOOD, floodBlock, runFlood, settled, withPlugin, now } from "./harness";

/** Runs of the flood; each run's longest render batch is one sample of that figure. */
export const FLOOD_RUNS = 5;

/**
 * How long the kernel has kept this thread runnable but off the CPU, in ms, from
 * /proc/thread-self/schedstat (Linux); null elsewhere. Read around each render
 * batch, it tells a batch that was slow from one whose thread was made to wait.
 */
function runQueueMs(): number | null {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[1]) / 1e6;
  } catch {
    return null;
  }
}

/** Wraps the view's flush to record, per render batch, how long the thread waited for a CPU during it. */
function watchRunQueue(): { waits: number[]; restore: () => void } {
  const proto = TranscriptView.prototype;
  // Taken off the prototype to be called with each view as `this`.
  const flush: (this: TranscriptView) => void = Reflect.get<TranscriptView, "flush">(proto, "flush");
  const waits: number[] = [];
  proto.flush = function (this: TranscriptView): void {
    const before = runQueueMs();
    flush.call(this);
    const after = runQueueMs();
    if (renderStats.durations.length > waits.length) waits.push(before === null || after === null ? NaN : after - before);
  };
  return { waits, restore: () => void (proto.flush = flush) };
}

export async function b3(): Promise<void> {
  const block = floodBlock(FLOOD);
  const ours: number[] = [];
  const bare: number[] = [];
  let maxRows = 0;
  let exact = true;
  /** Per run: the longest batch. Over all runs: every batch, when it started, and its wait for a CPU. */
  const longestPerRun: number[] = [];
  const batches: Array<{ ms: number; start: number; waited: number }> = [];
  // Garbage-collection pauses, to tell how much of a slow render batch was the collector's.
  const gcs: Array<[number, number]> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push([e.startTime, e.startTime + e.duration]);
  });
  gcObserver.observe({ entryTypes: ["gc"] });
  const runQueue = watchRunQueue();
  await withPlugin({ runtime: "obsidian", maxRows: 500 }, block, async (plugin, root) => {
    const ep = await plugin.launcher.start();
    for (let i = 0; i < FLOOD_RUNS; i++) {
      const t1 = now();
      const got = await bareFeed(ep.address, ep.token, FLOOD);
      bare.push(now() - t1);
      if (got !== FLOOD) exact = false;
      const box = root.querySelector<HTMLElement>(".grpc-callouts-block") as HTMLElement;
      const session = () => plugin.sessions.forNote("n.md")[0];
      renderStats.reset();
      runQueue.waits.length = 0;
      ours.push(await runFlood(plugin, box));
      // The last rows are filled in (and the previous run's taken out) over the next frames; wait for them before checking.
      await settled(box, 500);
      maxRows = Math.max(maxRows, renderStats.maxRows, box.querySelectorAll(".grpc-callouts-row").length);
      longestPerRun.push(renderStats.longestMs);
      renderStats.durations.forEach((ms, k) => batches.push({ ms, start: renderStats.starts[k] ?? 0, waited: runQueue.waits[k] ?? NaN }));
      const t = session()?.transcript;
      if (t?.received !== FLOOD) exact = false;
      if (box.querySelector(".grpc-callouts-omitted")?.textContent !== `${(FLOOD + 1 - 500).toLocaleString("en-US")} earlier messages not shown`) exact = false;
    }
  });
  runQueue.restore();
  gcObserver.disconnect();
  const throughput = stats(bare).median / stats(ours).median;
  record({ id: "B3", what: `baseline: bare grpc-js receives ${FLOOD.toLocaleString("en-US")} messages`, value: fmt(bare, "ms", 0), budget: "", pass: null });
  record({ id: "B3", what: "flood through the whole path into the DOM", value: `${fmt(ours, "ms", 0)}; throughput ${throughput.toFixed(2)}× baseline`, budget: "≥ 0.7×", pass: throughput >= 0.7 });
  const longest = stats(longestPerRun).median;
  const all = batches.map((b) => b.ms).sort((a, b) => a - b);
  const worst = batches.reduce((w, b) => (b.ms > w.ms ? b : w), { ms: 0, start: 0, waited: NaN });
  const worstGc = gcs.reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, worst.start + worst.ms) - Math.max(a, worst.start)), 0);
  const over = all.filter((d) => d > 8).length;
  const waited = Number.isNaN(worst.waited) ? "" : `, ${worst.waited.toFixed(1)} ms of it waiting for a CPU`;
  record({
    id: "B3",
    what: "longest single render batch (per run)",
    value: `${fmt(longestPerRun)} over ${FLOOD_RUNS} runs`,
    budget: "≤ 8 ms",
    pass: longest <= 8,
  });
  notes.push(
    `B3 render batches, all ${all.length} of ${FLOOD_RUNS} runs: median ${(all[Math.floor(all.length / 2)] ?? 0).toFixed(1)} ms, p99 ${(all[Math.floor(all.length * 0.99)] ?? 0).toFixed(1)} ms, ${over} over 8 ms; the worst took ${worst.ms.toFixed(1)} ms${waited}, ${worstGc.toFixed(1)} ms in garbage collection.`,
  );
  record({ id: "B3", what: "DOM rows at most the setting; counts exact", value: `max ${maxRows} rows of 500; counts ${exact ? "exact" : "WRONG"}`, budget: "≤ 500, exact", pass: maxRows <= 500 && exact });
}
