/** B4: heap growth over a million messages. */
import { CallSession } from "../src/obsidian/CallSession";
import { createCallSpec } from "../src/core/spec/CallSpec";
import { record } from "./report";
import { withSidecar, benchRun, sidecarHost } from "./harness";

export async function b4(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("run with --expose-gc");
  await withSidecar(async (address, token) => {
    const { pool, host } = sidecarHost(address, token);
    const session = new CallSession("k", "n.md", "flood");
    // Warm up the code paths, then measure.
    await session.run(benchRun(createCallSpec("grpccallouts.demo.v1.PatternService/Feed", { requests: [{ count: 1000, intervalMs: 0 }] }), host), 500);
    gc();
    const before = process.memoryUsage().heapUsed;
    const t = await session.run(benchRun(createCallSpec("grpccallouts.demo.v1.PatternService/Feed", { requests: [{ count: 1_000_000, intervalMs: 0 }] }), host), 500);
    gc();
    const after = process.memoryUsage().heapUsed;
    pool.close();
    const growth = (after - before) / 1024 / 1024;
    const exact = t.received === 1_000_000 && t.rows.length === 500 && t.state === "done";
    record({ id: "B4", what: "1,000,000 messages: heap growth after GC", value: `${growth.toFixed(1)} MB; ${t.received.toLocaleString("en-US")} counted, ${t.rows.length} kept`, budget: "≤ 30 MB, exact", pass: growth <= 30 && exact });
  });
}
