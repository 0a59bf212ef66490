import type { Protocol } from "../core/spec/Protocol";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileRegistryOf } from "../schema/fileRegistryOf";
import { commonMarkBlocksOf } from "../core/note/commonMarkBlocks";
import { findRunnables, frontmatterText, type Runnable } from "../core/note/findRunnables";
import { CallError } from "../core/errors/CallError";
import { parseYamlValue } from "../core/spec/parseYamlValue";
import { methodKindLabel } from "../core/spec/MethodKind";
import { codeName } from "../core/errors/Code";
import { Code } from "../core/errors/Code";
import { DEFAULT_DEADLINE_MS, planRun, type RunOptions } from "../core/run/planRun";
import { runAll } from "../core/run/runAll";
import type { CallRecord } from "../core/run/CallRecord";
import { nameOf, noteCalls, runOrder, type NoteCalls } from "../core/run/noteCalls";
import type { ExpectResult } from "../core/spec/Expectation";
import { runSpec, type RunDeps } from "../core/run/startRun";
import type { CallSpec } from "../core/spec/CallSpec";
import type { CallEvent } from "../core/transcript/CallEvent";
import { formatEvent } from "../core/transcript/formatEvent";
import { ClientPool } from "../call/ClientPool";
import { createRunHost } from "../call/createRunHost";
import { startCall } from "../call/startCall";
import { Launcher, type LauncherOptions, type RuntimeChoice } from "../sidecar/Launcher";
import { SIDECAR_FILES } from "../sidecar/sidecarFiles";
import { TOKEN_HEADER } from "../sidecar/handshake";

/** Options of runNote. */
export interface RunNoteOptions {
  runtime: RuntimeChoice;
  nodePath: string;
  concurrent: boolean;
  count: number;
  intervalMs: number;
  program: LauncherOptions["program"];
  /** Folder that relative file paths in blocks are read from. */
  noteDir: string;
  /** The note's path as shown, for the run context. */
  notePath: string;
  /** Import folders from -I, absolute or relative to the note's folder; they may point anywhere. */
  importPaths: string[];
  variables: Record<string, string>;
  write: (text: string) => void;
  color: boolean;
  /** Overrides every block's target. */
  target?: string | null;
  /** The protocol of every block that has a target. */
  protocol?: Protocol | null;
  /** Default deadline of calls whose block sets none. */
  deadlineMs?: number | null;
  /** Only these named calls, with the calls they refer to. */
  filter?: readonly string[];
  /** One JSON object per line instead of the human view. */
  json?: boolean;
  failFast?: boolean;
}

/** How one call went, for the summary and JUnit. */
export interface CallResult {
  label: string;
  /** The block's `name:`, when it has one. */
  name: string | null;
  /** 1-based line of the runnable in the note. */
  line: number;
  code: number;
  message: string;
  /** Whether it ended as expected: OK, or what its `expect:` asks. */
  passed: boolean;
  expectations: ExpectResult[];
  durationMs: number;
}

/** How a note's runs went. */
export interface NoteOutcome {
  total: number;
  failed: number;
  results: CallResult[];
  /** Set when the note's calls cannot be ordered (a reference cycle, an unknown --filter name). */
  error?: CallError;
}

/**
 * Runs every runnable of a note and writes each event as a line, live. The
 * sidecar is started once, on first need, and stopped at the end.
 */
export async function runNote(markdown: string, options: RunNoteOptions): Promise<NoteOutcome> {
  const paint = (code: string, text: string): string => (options.color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const launcher = new Launcher({ runtime: options.runtime, nodePath: options.nodePath, program: options.program });
  const pool = new ClientPool();
  const host = createRunHost({
    sidecar: async () => {
      const had = launcher.status().state === "ready";
      const ep = await launcher.start();
      if (!had) {
        const s = launcher.status();
        options.write(paint("2", `sidecar: ${s.runtime ?? "?"} runtime, pid ${s.pid ?? "?"}, 127.0.0.1:${s.port ?? "?"}\n`));
      }
      return ep;
    },
    sidecarFiles: fileRegistryOf(...SIDECAR_FILES),
    tokenHeader: TOKEN_HEADER,
    pool,
    readFile: (p) => readFile(resolve(options.noteDir, p)),
    exists: (p) => existsSync(resolve(options.noteDir, p)),
  });
  const all = findRunnables(markdown, commonMarkBlocksOf);
  const calls = noteCalls(all);
  const records = new Map<string, CallRecord>();
  const note = { path: options.notePath, defaults: frontmatterDefaults(markdown) };
  const runOptions: RunOptions = {
    pacing: { count: options.count, intervalMs: options.intervalMs },
    defaultDeadlineMs: options.deadlineMs ?? DEFAULT_DEADLINE_MS,
    // The user starts the runner deliberately, so a note may read any environment variable.
    sources: { variables: options.variables, env: process.env, envAllowed: "all", calls: { names: new Set(calls.byName.keys()), records, duplicates: calls.duplicates, secretPaths: calls.secretPaths } },
    extraImportPaths: options.importPaths,
  };
  const deps: RunDeps = { call: (spec) => startCall(spec, host), confirm: () => Promise.resolve(true), now: () => performance.now(), records };
  const json = options.json === true;
  const emit = (value: Record<string, unknown>): void => options.write(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}\n`);
  const ordered = orderedRunnables(all, calls, options.filter ?? []);
  const runnables = ordered instanceof CallError ? [] : ordered;
  const outcome: NoteOutcome = { total: runnables.length, failed: 0, results: [] };
  if (ordered instanceof CallError) {
    outcome.error = ordered;
    outcome.failed = 1;
    if (json) emit({ type: "error", code: codeName(ordered.code), message: ordered.message, hint: ordered.hint ?? null });
    else options.write(paint("31", `✖ ${codeName(ordered.code)}: ${ordered.message}${ordered.hint === undefined ? "" : ` ${ordered.hint}`}\n`));
    pool.close();
    host.close();
    return outcome;
  }
  if (runnables.length === 0 && !json) options.write("The note has no pattern callouts and no grpc blocks to run.\n");
  let stopped = false;

  const runOne = async (r: Runnable, n: number): Promise<void> => {
    if (stopped) return;
    const tag = options.concurrent ? paint("2", `[${n}] `) : "";
    const line = (text: string): void => {
      if (!json) options.write(`${tag}${text}\n`);
    };
    const name = nameOf(r);
    const base = { label: r.label, name, line: r.line + 1 };
    const finish = (result: CallResult): void => {
      outcome.results.push(result);
      if (!result.passed) {
        outcome.failed++;
        if (options.failFast === true) stopped = true;
      }
      if (json) emit({ type: "result", call: name ?? r.label, line: r.line + 1, code: codeName(result.code), passed: result.passed, durationMs: Math.round(result.durationMs), expectations: result.expectations });
    };
    const kind = r.pattern === null ? "" : ` (${methodKindLabel(r.pattern)})`;
    line(paint("1", `▶ ${r.label}${kind}`) + paint("2", `  line ${r.line + 1}`));
    const planned = planRun(r, note, runOptions);
    if (!planned.ok) {
      const e = planned.error;
      const where = e.location === undefined ? "" : `line ${e.location.line}, column ${e.location.column}: `;
      line(paint("31", `  ✖ ${codeName(e.code)}: ${where}${e.message}${e.hint === undefined ? "" : ` ${e.hint}`}`));
      if (json) emit({ type: "error", call: name ?? r.label, line: r.line + 1, code: codeName(e.code), message: `${where}${e.message}`, hint: e.hint ?? null });
      finish({ ...base, code: e.code, message: `${where}${e.message}`, passed: false, expectations: [], durationMs: 0 });
      return;
    }
    if (options.target !== undefined && options.target !== null && !planned.spec.discover) planned.spec.target = options.target;
    if (options.protocol !== undefined && options.protocol !== null && planned.spec.target !== null) planned.spec.protocol = options.protocol;
    if (planned.spec.discover) {
      await discover(planned.spec, line);
      if (!options.concurrent) options.write("\n");
      return;
    }
    const run = runSpec(planned.spec, note.path, deps);
    line(paint("2", `  ${run.method} @ ${run.target}`));
    let status: Extract<CallEvent, { type: "status" }> | null = null;
    let expectations: ExpectResult[] | null = null;
    let counts = { sent: 0, received: 0 };
    for await (const event of run.call.events) {
      if (event.type === "status") status = event;
      if (event.type === "expectations") expectations = event.results;
      if (event.type === "message") counts = { ...counts, [event.direction]: counts[event.direction] + 1 };
      if (json) {
        emit({ type: "event", call: name ?? r.label, line: r.line + 1, event });
        continue;
      }
      const text = `  ${formatEvent(event)}`;
      line(event.type === "status" ? paint(event.code === Code.OK ? "32" : "31", text) : event.type === "message" ? text : event.type === "expectations" ? paint(event.results.every((x) => x.pass) ? "32" : "31", text) : paint("2", text));
      if (event.type === "status" && event.hint !== undefined) line(paint("33", `             hint: ${event.hint}`));
    }
    const code = status?.code ?? Code.UNKNOWN;
    const passed = expectations === null ? code === Code.OK : expectations.every((x) => x.pass);
    const as = expectations === null ? codeName(code) : `${codeName(code)}, ${expectations.filter((x) => x.pass).length} of ${expectations.length} expectations held`;
    line(paint(passed ? "32" : "31", `  ${passed ? "✔" : "✖"} ${as} in ${Math.round(status?.at ?? 0)} ms (${counts.sent} sent, ${counts.received} received)`));
    if (!options.concurrent && !json) options.write("\n");
    finish({ ...base, code, message: status?.message ?? "", passed, expectations: expectations ?? [], durationMs: status?.at ?? 0 });

    async function discover(spec: CallSpec, say: (text: string) => void): Promise<void> {
      say(paint("2", `  services @ ${spec.target ?? "sidecar"}`));
      try {
        const found = await host.discover(spec, new AbortController().signal);
        if (found.via !== undefined && spec.protocol !== "grpc") say(paint("2", `    (reflection answered over ${found.via})`));
        for (const m of found.methods) {
          say(`    ${m.method}  ${paint("2", `${methodKindLabel(m.kind)} · ${m.input.typeName} → ${m.output.typeName}`)}`);
        }
        for (const b of found.broken) say(paint("31", `    ✖ ${b.service}: ${codeName(b.error.code)}: ${b.error.message}`));
        if (json) emit({ type: "services", call: r.label, line: r.line + 1, methods: found.methods.map((m) => m.method), via: found.via ?? null, broken: found.broken.map((b) => ({ service: b.service, code: codeName(b.error.code), message: b.error.message })) });
        finish({ label: r.label, name: null, line: r.line + 1, code: Code.OK, message: "", passed: true, expectations: [], durationMs: 0 });
      } catch (e) {
        const err = CallError.from(e);
        say(paint("31", `  ✖ ${codeName(err.code)}: ${err.message}${err.hint === undefined ? "" : ` ${err.hint}`}`));
        finish({ label: r.label, name: null, line: r.line + 1, code: err.code, message: err.message, passed: false, expectations: [], durationMs: 0 });
      }
    }
  };

  try {
    // Calls that refer to others run in order, one after another.
    const chained = runnables.some((r) => (calls.references.get(r) ?? []).length > 0);
    await runAll(runnables, options.concurrent && !chained ? "concurrent" : "sequential", runOne);
  } finally {
    pool.close();
    host.close();
    await launcher.stop();
  }
  const skipped = outcome.total - outcome.results.length;
  if (json) emit({ type: "summary", total: outcome.total, failed: outcome.failed, skipped });
  else {
    options.write(
      outcome.failed === 0
        ? paint("32", `All ${outcome.total} runs ended as expected.\n`)
        : paint("31", `${outcome.failed} of ${outcome.total} runs did not end as expected${skipped > 0 ? `; ${skipped} not run after the first failure` : ""}.\n`),
    );
  }
  return outcome;
}

/** The runnables to run, in order: every call after the calls it refers to; with a filter, only the named calls and what they need. */
function orderedRunnables(all: readonly Runnable[], calls: NoteCalls, filter: readonly string[]): Runnable[] | CallError {
  if (filter.length === 0) return runOrder(all, calls);
  const picked: Runnable[] = [];
  for (const n of filter) {
    const r = calls.byName.get(n);
    if (r === undefined) {
      return new CallError(Code.INVALID_ARGUMENT, `--filter names "${n}", which no block of the note is named.`, { hint: `The note's named calls: ${[...calls.byName.keys()].join(", ") || "none"}.` });
    }
    picked.push(r);
  }
  return runOrder(picked, calls);
}

/** The note's frontmatter `grpc:` defaults, or none. */
function frontmatterDefaults(markdown: string): Record<string, unknown> {
  const text = frontmatterText(markdown);
  if (text === null) return {};
  try {
    const fm = parseYamlValue(text) as Record<string, unknown> | null;
    const grpc = fm?.["grpc"];
    return typeof grpc === "object" && grpc !== null && !Array.isArray(grpc) ? (grpc as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

