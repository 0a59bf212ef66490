// What the benchmarks and the flood profile share: the plugin in the mock host, the flood
// through it, and the bare grpc-js baseline. Import "./dom" before this module.
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { Client, credentials, Metadata, type ServiceError } from "@grpc/grpc-js";
import { ClientPool, channelOptionsOf, DEFAULT_CLIENT_OPTIONS } from "../src/call/ClientPool";
import { createRunHost } from "../src/call/createRunHost";
import { fileRegistryOf } from "../src/schema/fileRegistryOf";
import { startCall, type RunHost } from "../src/call/startCall";
import type { CallSpec } from "../src/core/spec/CallSpec";
import { runSpec, type StartedRun } from "../src/core/run/startRun";
import GrpcCalloutsPlugin from "../src/obsidian/GrpcCalloutsPlugin";
import { Launcher } from "../src/sidecar/Launcher";
import { SIDECAR_FILES } from "../src/sidecar/sidecarFiles";
import { TOKEN_HEADER } from "../src/sidecar/handshake";
import { SIDECAR_HASH, SIDECAR_SOURCE } from "sidecar:bundle";
import { AskRequestSchema, AskResponseSchema, FeedEventSchema, FeedRequestSchema } from "../src/gen/grpccallouts/demo/v1/patterns_pb";
import { createApp, loadPlugin, mockOf, renderNote } from "../tests/support/host";

/** Messages in one flood. */
export const FLOOD = 100_000;

/** A note of one `grpc` block that asks the sidecar for `count` messages as fast as it can. */
export function floodBlock(count: number): string {
  return ["```grpc", "method: grpccallouts.demo.v1.PatternService/Feed", `request: {count: ${count}, intervalMs: 0}`, "deadline: 5m", "```"].join("\n");
}

/** Loads the plugin with `settings` in a fresh mock host, renders `note` as n.md, runs `fn`, and unloads. */
export async function withPlugin<T>(settings: Record<string, unknown>, note: string, fn: (p: GrpcCalloutsPlugin, root: HTMLElement) => Promise<T>): Promise<T> {
  const env = createApp({ "n.md": note });
  await env.vault.adapter.write(".obsidian/plugins/grpc-callouts/data.json", JSON.stringify(settings));
  const plugin = await loadPlugin(GrpcCalloutsPlugin, env.app);
  const rendered = await renderNote(env.app, plugin, "n.md");
  try {
    return await fn(plugin, rendered.root);
  } finally {
    rendered.close();
    mockOf(plugin).unload();
    await plugin.stopped;
  }
}

/**
 * Clicks the block's Run button and resolves, with the milliseconds taken, once the
 * call's status is in the DOM. It waits through the call session rather than a DOM
 * observer: an observer would add its own cost to every render batch it measures.
 */
export async function runFlood(plugin: GrpcCalloutsPlugin, box: HTMLElement): Promise<number> {
  const session = () => plugin.sessions.forNote("n.md")[0];
  const prev = session()?.transcript ?? null;
  const t0 = performance.now();
  box.querySelector<HTMLButtonElement>("button.grpc-callouts-run")?.click();
  const finished = (): boolean => {
    const s = session();
    return s !== undefined && s.transcript !== prev && s.transcript?.state === "done" && box.querySelector(".grpc-callouts-status[data-code]") !== null;
  };
  await new Promise<void>((resolve) => {
    // The session is told after the view renders (when the view subscribed first); a light poll covers the rest.
    const done = (): void => {
      if (!finished()) return;
      off?.();
      clearInterval(poll);
      resolve();
    };
    // Told of every message: look further only once the call has a status.
    const s = session();
    const off = s?.subscribe(() => {
      if (s.transcript !== prev && s.transcript?.status != null) queueMicrotask(done);
    });
    const poll = setInterval(done, 10);
  });
  return performance.now() - t0;
}

/** Resolves once the view has filled in its last rows and taken out the previous run's (or after 10 s). */
export async function settled(box: HTMLElement, rows: number): Promise<void> {
  for (let k = 0; k < 400 && (box.querySelectorAll(".grpc-callouts-row").length < rows || box.querySelector(".grpc-callouts-retired") !== null); k++) {
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * A bare grpc-js client for the baselines, with the channel options the plugin's clients
 * have (retries off, the same message limits), so that a ratio compares code paths, not settings.
 */
export function bareClient(address: string): Client {
  return new Client(address, credentials.createInsecure(), channelOptionsOf(DEFAULT_CLIENT_OPTIONS));
}

/** The baseline: bare grpc-js receives the same flood from the sidecar; resolves with the count. */
export function bareFeed(address: string, token: string, count: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = bareClient(address);
    const md = new Metadata();
    md.set(TOKEN_HEADER, token);
    let n = 0;
    const call = client.makeServerStreamRequest(
      "/grpccallouts.demo.v1.PatternService/Feed",
      (m: object) => Buffer.from(toBinary(FeedRequestSchema, m as never)),
      (b: Buffer) => fromBinary(FeedEventSchema, b),
      create(FeedRequestSchema, { count, intervalMs: 0 }),
      md,
    );
    call.on("data", () => n++);
    call.on("error", reject);
    call.on("status", () => {
      client.close();
      resolve(n);
    });
  });
}

export const ROOT = process.cwd();
export const USER_NOTE = readFileSync(join(ROOT, "tests/fixtures/user-note.md"), "utf8");
export const now = (): number => performance.now();

/** Resolves when `check` holds, re-checking on every DOM mutation under `root` (and every 5 ms). */
export function whenDom(root: Node, check: () => boolean, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const done = (): void => {
      observer.disconnect();
      clearInterval(poll);
      clearTimeout(timer);
      resolve();
    };
    const observer = new MutationObserver(() => {
      if (check()) done();
    });
    observer.observe(root, { childList: true, subtree: true, attributes: true, characterData: true });
    const poll = setInterval(() => {
      if (check()) done();
    }, 5);
    const timer = setTimeout(() => {
      observer.disconnect();
      clearInterval(poll);
      reject(new Error("timed out"));
    }, timeoutMs);
  });
}

/** A sidecar the baselines can call directly. */
export async function withSidecar<T>(fn: (address: string, token: string) => Promise<T>): Promise<T> {
  const launcher = new Launcher({ runtime: "obsidian", program: { dir: join(tmpdir(), "grpc-callouts-bench"), source: SIDECAR_SOURCE, hash: SIDECAR_HASH } });
  const ep = await launcher.start();
  try {
    return await fn(ep.address, ep.token);
  } finally {
    await launcher.stop();
  }
}

export function bareUnary(client: Client, md: Metadata): Promise<void> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      "/grpccallouts.demo.v1.PatternService/Ask",
      (m: object) => Buffer.from(toBinary(AskRequestSchema, m as never)),
      (b: Buffer) => fromBinary(AskResponseSchema, b),
      create(AskRequestSchema, { question: "What time is it on the server?" }),
      md,
      (err: ServiceError | null) => (err ? reject(err) : resolve()),
    );
  });
}


/** A run of `spec` through the orchestrator's call half, as the plugin's sessions get one. */
export function benchRun(spec: CallSpec, host: RunHost): StartedRun {
  return runSpec(spec, "bench.md", { call: (s) => startCall(s, host), confirm: () => Promise.resolve(true), now: () => performance.now() });
}

/** A client pool and a run host on a sidecar that is already running at `address`. */
export function sidecarHost(address: string, token: string): { pool: ClientPool; host: RunHost } {
  const pool = new ClientPool();
  const host = createRunHost({
    sidecar: () => Promise.resolve({ address, token }),
    sidecarFiles: fileRegistryOf(...SIDECAR_FILES),
    tokenHeader: TOKEN_HEADER,
    pool,
    readFile: () => Promise.reject(new Error("none")),
  });
  return { pool, host };
}

/**
 * Runs `a` and `b` `n` times each, taking turns at going first, so both see the same load and
 * neither always runs in the other's wake. Each gets the round's index.
 */
export async function alternate(n: number, a: (i: number) => Promise<void>, b: (i: number) => Promise<void>): Promise<void> {
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      await a(i);
      await b(i);
    } else {
      await b(i);
      await a(i);
    }
  }
}
