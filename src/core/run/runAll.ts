import type { Runnable } from "../note/findRunnables";

/** How "Run all" runs a note's calls. */
export type RunAllMode = "sequential" | "concurrent";

/**
 * Runs every runnable of a note through `run`, one after another in note
 * order, or all at once; resolves with the results in note order.
 */
export async function runAll<T>(runnables: readonly Runnable[], mode: RunAllMode, run: (r: Runnable, n: number) => Promise<T>): Promise<T[]> {
  if (mode === "concurrent") return Promise.all(runnables.map((r, i) => run(r, i + 1)));
  const results: T[] = [];
  for (const [i, r] of runnables.entries()) results.push(await run(r, i + 1));
  return results;
}
