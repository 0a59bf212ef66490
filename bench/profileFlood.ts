/**
 * A CPU profile of the flood path (B3), for BENCHMARKS.md: one flood of 100,000
 * messages through the plugin into the DOM and one to bare grpc-js, each sampled
 * by V8's profiler, with the time split by who spends it. Run with
 * `npm run bench:profile`; the raw profiles go to bench/.out/*.cpuprofile, which
 * Chrome's DevTools open.
 */
import "./dom";
import { writeFileSync } from "node:fs";
import { Session, type Profiler, type Runtime } from "node:inspector";
import { bareFeed, FLOOD, floodBlock, runFlood, settled, withPlugin } from "./harness";

/** What a sample's time is charged to, from its stack (leaf first). */
function categorize(stack: Runtime.CallFrame[]): string {
  const leaf = stack[0];
  if (leaf === undefined) return "other";
  if (leaf.functionName === "(garbage collector)") return "garbage collection";
  if (leaf.functionName === "(program)") return "V8 and native code outside JS";
  const ours = (f: Runtime.CallFrame): boolean => f.url.endsWith("/bench/.out/profile.cjs");
  if (stack.some((f) => f.functionName === "flush" && ours(f))) {
    return stack.some((f) => f.functionName === "messageJson") ? "view: JSON of the rows shown" : "view: rendering rows (DOM)";
  }
  for (const f of stack) {
    if (f.url.includes("@bufbuild/protobuf")) return "protobuf-es: decoding";
    if (f.url.includes("@grpc/grpc-js")) return "grpc-js: framing and stream events";
    if (f.url.includes("task_queues")) return "promise jobs and next-tick queue";
    if (f.url.startsWith("node:")) return "Node: http2, net, streams, timers";
    if (f.url.includes("/jsdom/")) return "jsdom: outside the view's batches";
    if (ours(f)) return "ours: events, queue, session, transcript";
  }
  return "other";
}

/** Samples of `profile` split by category, in ms, idle excluded. */
function split(profile: Profiler.Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    const stack: Runtime.CallFrame[] = [];
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const node = byId.get(cur);
      if (node !== undefined) stack.push(node.callFrame);
    }
    if (stack[0]?.functionName === "(idle)") return;
    // A sample stands for the time until the next one.
    const ms = (deltas[i + 1] ?? 0) / 1000;
    const key = categorize(stack);
    out.set(key, (out.get(key) ?? 0) + ms);
  });
  return out;
}

function post<T>(session: Session, method: string, params: object = {}): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params, (err, result) => (err === null ? resolve(result as T) : reject(err))));
}

async function profiled(session: Session, name: string, fn: () => Promise<unknown>): Promise<{ wall: number; parts: Map<string, number> }> {
  await post(session, "Profiler.start");
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const { profile } = await post<{ profile: Profiler.Profile }>(session, "Profiler.stop");
  writeFileSync(`bench/.out/${name}.cpuprofile`, JSON.stringify(profile));
  return { wall, parts: split(profile) };
}

async function main(): Promise<void> {
  const session = new Session();
  session.connect();
  await post(session, "Profiler.enable");
  await post(session, "Profiler.setSamplingInterval", { interval: 250 });
  await withPlugin({ runtime: "obsidian", maxRows: 500 }, floodBlock(FLOOD), async (plugin, root) => {
    const ep = await plugin.launcher.start();
    const box = root.querySelector<HTMLElement>(".grpc-callouts-block") as HTMLElement;
    // One of each first, so that both are measured warm; the view finishes its rows before each measurement.
    await bareFeed(ep.address, ep.token, FLOOD);
    await runFlood(plugin, box);
    await settled(box, 500);
    const bare = await profiled(session, "flood-bare", () => bareFeed(ep.address, ep.token, FLOOD));
    const ours = await profiled(session, "flood-ours", () => runFlood(plugin, box));
    const total = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    console.log(`bare grpc-js: ${bare.wall.toFixed(0)} ms wall, ${total(bare.parts).toFixed(0)} ms on this thread`);
    console.log(`through the plugin into the DOM: ${ours.wall.toFixed(0)} ms wall, ${total(ours.parts).toFixed(0)} ms on this thread`);
    console.log("");
    console.log("| Where the main thread's time goes | bare grpc-js | through the plugin |");
    console.log("|---|---|---|");
    const keys = [...new Set([...ours.parts.keys(), ...bare.parts.keys()])].sort((a, b) => (ours.parts.get(b) ?? 0) - (ours.parts.get(a) ?? 0));
    const cell = (m: Map<string, number>, k: string): string => {
      const v = m.get(k) ?? 0;
      return v === 0 ? "–" : `${v.toFixed(0)} ms (${((100 * v) / total(m)).toFixed(0)}%)`;
    };
    for (const k of keys) console.log(`| ${k} | ${cell(bare.parts, k)} | ${cell(ours.parts, k)} |`);
  });
  session.disconnect();
}

void main().then(() => setTimeout(() => process.exit(), 100));
