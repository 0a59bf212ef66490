import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { constants as osConstants, setPriority } from "node:os";
import { CODE_CACHE_LOADER, codeCachePath, pruneCodeCaches } from "./codeCache";
import { parseReadyLine, type ReadyInfo } from "./handshake";
import { runAsNodeCached } from "./runAsNodeFuse";
import { ensureSidecarFile } from "./sidecarFile";
import { sidecarLibrary, type SidecarProgram } from "./sidecarLibrary";
import type { SidecarServer } from "./startServer";

/** The scheduling priority of a spawned sidecar: below normal, so the UI thread wins a busy core. */
export const SIDECAR_PRIORITY = osConstants.priority.PRIORITY_BELOW_NORMAL;

/** The three ways to run the sidecar, in the order `auto` tries them. */
export type RuntimeName = "obsidian" | "node" | "in-process";
/** What the user chose in the settings. */
export type RuntimeChoice = "auto" | RuntimeName;
/** The launcher's state, as the status bar shows it. */
export type SidecarState = "off" | "starting" | "ready" | "failed";

/** Where and how to reach a ready sidecar. */
export interface SidecarEndpoint {
  address: string;
  /** host:port of its gRPC-Web and Connect gateway; null when it has none. */
  webAddress: string | null;
  port: number;
  token: string;
  runtime: RuntimeName;
}

/** A snapshot of the launcher for the status modal and commands. */
export interface SidecarStatus {
  state: SidecarState;
  runtime: RuntimeName | null;
  pid: number | null;
  port: number | null;
  /** Epoch milliseconds of the last successful start. */
  startedAt: number | null;
  error: string | null;
  /** How long the last start took: until the process was spawned, and until it was ready. */
  timings: { spawnMs: number; readyMs: number } | null;
  /** Why each runtime tried in the last start failed. */
  attempts: Array<{ runtime: RuntimeName; error: string }>;
  /** The newest log lines, the sidecar's stderr included. */
  log: string[];
  /** The sidecar process's resident memory in bytes, where the system tells (Linux); null in process or elsewhere. */
  rssBytes: number | null;
}

/** Options of the launcher; the plugin and the terminal runner pass their own. */
export interface LauncherOptions {
  runtime: RuntimeChoice;
  /** The Obsidian binary (process.execPath); run with ELECTRON_RUN_AS_NODE=1. */
  execPath: string;
  /** A node binary; "" means `node` from PATH. */
  nodePath: string;
  /** The embedded sidecar program and the folder to write it to (or how to find one); null disables child runtimes. */
  program: SidecarProgram | null;
  /**
   * Load the program into this process too while a spawned runtime starts (main.js takes
   * its grpc-js from it, so the first call finds it ready); the plugin sets it.
   */
  preloadLibrary: boolean;
  /** How long a runtime may take to print its ready line. */
  probeTimeoutMs: number;
  logLines: number;
  /** Told about every state change. */
  onChange: (status: SidecarStatus) => void;
  /** Extra environment for child runtimes (tests use it). */
  env: Record<string, string>;
}

const defaults: LauncherOptions = Object.freeze({
  runtime: "auto",
  execPath: process.execPath,
  nodePath: "",
  program: null,
  preloadLibrary: false,
  probeTimeoutMs: 8000,
  logLines: 200,
  onChange: () => undefined,
  env: Object.freeze({}) as Record<string, string>,
});

const ORDER: readonly RuntimeName[] = ["obsidian", "node", "in-process"];
/** A sidecar that dies this soon after starting counts as a failed start. */
const CRASH_WINDOW_MS = 10_000;
/** The longest wait between tries of a crashing sidecar. */
const MAX_BACKOFF_MS = 30_000;

interface Running {
  runtime: RuntimeName;
  endpoint: SidecarEndpoint;
  pid: number;
  child: ChildProcessWithoutNullStreams | null;
  server: SidecarServer | null;
}

/**
 * Starts the sidecar lazily, trying the Obsidian runtime, a node binary and
 * an in-process server in turn; restarts it at the next `start` after a
 * crash; stops it on `stop`. Concurrent `start` calls share one launch.
 */
export class Launcher {
  private opts: LauncherOptions;
  private running: Running | null = null;
  private launching: Promise<SidecarEndpoint> | null = null;
  private state: SidecarState = "off";
  private error: string | null = null;
  private attempts: SidecarStatus["attempts"] = [];
  private startedAt: number | null = null;
  private timings: SidecarStatus["timings"] = null;
  private spawnedAt = 0;
  private readonly logTail: string[] = [];
  private generation = 0;
  private disposed = false;
  /** Failed launches (and crashes soon after a start) in a row, and when the next try may be. */
  private failures = 0;
  private retryAt = 0;
  private lastFailureAt = 0;

  constructor(options: Partial<LauncherOptions> = {}) {
    this.opts = { ...defaults, ...options };
  }

  /** Changes options (the settings); they apply at the next start. */
  configure(options: Partial<LauncherOptions>): void {
    this.opts = { ...this.opts, ...options };
  }

  /** The endpoint of a ready sidecar, starting one when none runs. */
  start(): Promise<SidecarEndpoint> {
    if (this.disposed) return Promise.reject(new Error("The sidecar launcher was shut down with the plugin."));
    if (this.running === null && this.launching === null && Date.now() < this.retryAt) {
      const wait = Math.ceil((this.retryAt - Date.now()) / 1000);
      return Promise.reject(
        new Error(`The sidecar failed ${this.failures} times in a row; the next try is in ${wait} s. Run "Restart the sidecar" to try now. Last error: ${this.error ?? "unknown"}`),
      );
    }
    if (this.running !== null) return Promise.resolve(this.running.endpoint);
    this.launching ??= this.launch().finally(() => {
      this.launching = null;
    });
    return this.launching;
  }

  /** Stops the sidecar (a no-op when none runs). */
  async stop(): Promise<void> {
    this.generation++;
    const r = this.running;
    this.running = null;
    if (r !== null) {
      this.note(`stopping ${r.runtime} sidecar (pid ${r.pid})`);
      await shutdown(r);
    }
    this.setState("off");
  }

  /** Stops the sidecar for good: later starts are refused (the plugin unloaded). */
  dispose(): Promise<void> {
    this.disposed = true;
    return this.stop();
  }

  /** Stops, then starts again at once, forgetting any crash-loop backoff: the user asked. */
  async restart(): Promise<SidecarEndpoint> {
    await this.stop();
    this.failures = 0;
    this.retryAt = 0;
    return this.start();
  }

  /** A snapshot of the state, runtime, pid, port, start time and log tail. */
  status(): SidecarStatus {
    const r = this.running;
    return {
      state: this.state,
      runtime: r?.runtime ?? null,
      pid: r?.pid ?? null,
      port: r?.endpoint.port ?? null,
      startedAt: r === null ? null : this.startedAt,
      error: this.error,
      timings: r === null ? null : this.timings,
      attempts: [...this.attempts],
      log: [...this.logTail],
      rssBytes: r === null || r.child === null ? null : residentBytes(r.pid),
    };
  }

  private async launch(): Promise<SidecarEndpoint> {
    const generation = ++this.generation;
    this.attempts = [];
    this.error = null;
    this.setState("starting");
    const order = this.opts.runtime === "auto" ? ORDER : [this.opts.runtime];
    for (const runtime of order) {
      const token = randomBytes(32).toString("hex");
      const t0 = Date.now();
      try {
        const r = runtime === "in-process" ? await this.startInProcess(token) : await this.spawnChild(runtime, token);
        if (generation !== this.generation) {
          await shutdown(r);
          throw new Error("the sidecar was stopped while it started");
        }
        this.running = r;
        this.startedAt = Date.now();
        this.timings = { spawnMs: (r.child === null ? this.startedAt : this.spawnedAt) - t0, readyMs: this.startedAt - t0 };
        this.note(`ready: ${runtime} runtime, pid ${r.pid}, port ${r.endpoint.port}, in ${Date.now() - t0} ms`);
        this.setState("ready");
        return r.endpoint;
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        this.attempts.push({ runtime, error });
        this.note(`${runtime} runtime failed: ${error}`);
        if (generation !== this.generation) break;
      }
    }
    this.error =
      this.attempts.length === 1
        ? `The ${this.attempts[0]?.runtime ?? ""} runtime could not start the sidecar: ${this.attempts[0]?.error ?? ""}`
        : `No runtime could start the sidecar: ${this.attempts.map((a) => `${a.runtime}: ${a.error}`).join("; ")}`;
    this.setState(generation === this.generation ? "failed" : "off");
    if (generation === this.generation) this.noteFailure();
    throw new Error(this.error);
  }

  private async startInProcess(token: string): Promise<Running> {
    const program = this.opts.program;
    if (program === null) throw new Error("no sidecar program is available to this host");
    const t0 = Date.now();
    const { startServer } = await sidecarLibrary(program);
    this.note(`loaded the sidecar program ${program.hash.slice(0, 16)} in process (${Date.now() - t0} ms)`);
    const server = await startServer({ token, log: (line) => this.note(`[in-process] ${line}`) });
    return { runtime: "in-process", pid: process.pid, child: null, server, endpoint: endpoint(server.port, server.webPort, token, "in-process") };
  }

  private async spawnChild(runtime: "obsidian" | "node", token: string): Promise<Running> {
    const program = this.opts.program;
    if (program === null) throw new Error("no sidecar program is available to this host");
    const dir = typeof program.dir === "string" ? program.dir : await program.dir();
    if (runtime === "obsidian") {
      // Never start a second Obsidian: a binary whose RunAsNode fuse is off ignores ELECTRON_RUN_AS_NODE.
      const t0 = Date.now();
      const fuse = await runAsNodeCached(this.opts.execPath, dir);
      this.note(`RunAsNode check of ${this.opts.execPath}: ${fuse.state}, ${fuse.why} (${fuse.cached ? "cached" : `read in ${Date.now() - t0} ms`})`);
      if (fuse.state !== "on") throw new Error(`skipped without spawning: ${this.opts.execPath} ${fuse.state === "off" ? fuse.why : `may not run as Node (${fuse.why})`}`);
    }
    const { path, rewritten } = await ensureSidecarFile(dir, program.source, program.hash);
    if (rewritten) this.note(`wrote ${path}`);
    const command = runtime === "obsidian" ? this.opts.execPath : this.opts.nodePath.trim() || "node";
    const env: NodeJS.ProcessEnv = { ...process.env, ...this.opts.env };
    if (runtime === "obsidian") env["ELECTRON_RUN_AS_NODE"] = "1";
    else delete env["ELECTRON_RUN_AS_NODE"];
    // The program runs through a small loader that uses, and keeps fresh, V8's code cache for it.
    const cache = codeCachePath(dir, program.hash);
    if (rewritten) await pruneCodeCaches(dir, cache);
    const child = spawn(command, ["-e", CODE_CACHE_LOADER, path, cache], { env, stdio: ["pipe", "pipe", "pipe"], windowsHide: true });
    this.spawnedAt = Date.now();
    this.lowerPriority(child.pid);
    if (this.opts.preloadLibrary) void this.preload(program);
    // The token goes over stdin, never the command line or environment.
    const ready = await this.awaitReady(child, runtime, token);
    child.on("exit", (code, signal) => this.onChildExit(child, code, signal));
    return { runtime, pid: child.pid ?? ready.pid, child, server: null, endpoint: endpoint(ready.port, ready.webPort, token, runtime) };
  }

  /** Loads the program here while the child starts; a failure is only logged (the first call reports it). */
  private async preload(program: SidecarProgram): Promise<void> {
    const t0 = Date.now();
    try {
      await sidecarLibrary(program);
      this.note(`sidecar program loaded in process too (${Date.now() - t0} ms)`);
    } catch (e) {
      this.note(`could not load the sidecar program in process: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /**
   * Runs the sidecar below normal priority: when a flood keeps it busy, the
   * scheduler lets Obsidian's own thread (which renders the transcript) go first.
   * Best effort: a system that refuses leaves it at normal priority.
   */
  private lowerPriority(pid: number | undefined): void {
    if (pid === undefined) return;
    try {
      setPriority(pid, SIDECAR_PRIORITY);
    } catch (e) {
      this.note(`could not lower the sidecar's priority: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private awaitReady(child: ChildProcessWithoutNullStreams, runtime: RuntimeName, token: string): Promise<ReadyInfo> {
    return new Promise<ReadyInfo>((resolve, reject) => {
      let out = "";
      let settled = false;
      const fail = (why: string): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.kill("SIGKILL");
        reject(new Error(why));
      };
      const timer = setTimeout(() => fail(`no ready handshake within ${this.opts.probeTimeoutMs} ms`), this.opts.probeTimeoutMs);
      child.on("error", (e) => fail(`could not spawn: ${e.message}`));
      child.on("exit", (code, signal) => fail(`exited before it was ready (${signal ?? `code ${code ?? "?"}`})`));
      child.stdin.on("error", () => undefined);
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (chunk: string) => {
        for (const line of chunk.split("\n")) if (line.trim() !== "") this.note(`[${runtime} ${child.pid ?? "?"}] ${line}`);
      });
      child.stdout.setEncoding("utf8");
      child.stdout.on("data", (chunk: string) => {
        if (settled) return;
        out += chunk;
        const nl = out.indexOf("\n");
        if (nl < 0) {
          if (out.length > 4096) fail("printed something other than the ready handshake");
          return;
        }
        const info = parseReadyLine(out.slice(0, nl));
        if (info === null) return fail(`printed "${out.slice(0, Math.min(nl, 120))}" instead of the ready handshake`);
        settled = true;
        clearTimeout(timer);
        resolve(info);
      });
      child.stdin.write(`${JSON.stringify({ token })}\n`);
    });
  }

  private onChildExit(child: ChildProcessWithoutNullStreams, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.running?.child !== child) return;
    this.running = null;
    // A crash soon after a start counts toward the crash-loop backoff; one after a long run does not.
    if (this.startedAt !== null && Date.now() - this.startedAt < CRASH_WINDOW_MS) this.noteFailure();
    else this.failures = 0;
    this.error = `The sidecar exited (${signal ?? `code ${code ?? "?"}`}); it restarts at the next run.`;
    this.note(this.error);
    this.setState("failed");
  }

  /** One more failure in a row: after the second, wait 1 s, then 2 s, 4 s, … up to 30 s before the next try. */
  private noteFailure(): void {
    // Failures a minute apart are not a loop.
    if (Date.now() - this.lastFailureAt > 60_000) this.failures = 0;
    this.lastFailureAt = Date.now();
    this.failures++;
    const wait = this.failures < 2 ? 0 : Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (this.failures - 2));
    this.retryAt = Date.now() + wait;
    if (wait > 0) this.note(`failed ${this.failures} times in a row; waiting ${wait} ms before the next try`);
  }

  private note(line: string): void {
    this.logTail.push(`${new Date().toISOString().slice(11, 23)} ${line}`);
    if (this.logTail.length > this.opts.logLines) this.logTail.splice(0, this.logTail.length - this.opts.logLines);
  }

  private setState(state: SidecarState): void {
    this.state = state;
    this.opts.onChange(this.status());
  }
}

function endpoint(port: number, webPort: number, token: string, runtime: RuntimeName): SidecarEndpoint {
  return { address: `127.0.0.1:${port}`, webAddress: webPort === 0 ? null : `127.0.0.1:${webPort}`, port, token, runtime };
}

async function shutdown(r: Running): Promise<void> {
  if (r.server !== null) return r.server.stop();
  const child = r.child;
  if (child === null || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const hard = setTimeout(() => {
      child.kill("SIGKILL");
      resolve();
    }, 2000);
    child.once("exit", () => {
      clearTimeout(hard);
      resolve();
    });
    child.stdin.end();
    child.kill("SIGTERM");
  });
}

/** A process's resident memory from /proc (Linux); null where that is not to be had. */
export function residentBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m === null ? null : Number(m[1]) * 1024;
  } catch {
    return null;
  }
}
