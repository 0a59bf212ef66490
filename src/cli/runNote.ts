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
import { runSpec, type RunDeps } from "../core/run/startRun";
import type { CallSpec } from "../core/spec/CallSpec";
import type { CallEvent } from "../core/transcript/CallEvent";
import { formatEvent } from "../core/transcript/formatEvent";
import { ClientPool } from "../call/ClientPool";
import { createRunHost } from "../call/createRunHost";
import { startCall } from "../call/startCall";
import { Launcher, type LauncherOptions, type RuntimeChoice } from "../sidecar/Launcher";
import { SIDECAR_FILES, TOKEN_HEADER } from "../sidecar/startServer";

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
}

/** How a note's runs went. */
export interface NoteOutcome {
  total: number;
  failed: number;
  results: Array<{ label: string; code: number }>;
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
  const runnables = findRunnables(markdown, commonMarkBlocksOf);
  const note = { path: options.notePath, defaults: frontmatterDefaults(markdown) };
  const runOptions: RunOptions = {
    pacing: { count: options.count, intervalMs: options.intervalMs },
    defaultDeadlineMs: DEFAULT_DEADLINE_MS,
    // The user starts the runner deliberately, so a note may read any environment variable.
    sources: { variables: options.variables, env: process.env, envAllowed: "all" },
    extraImportPaths: options.importPaths,
  };
  const deps: RunDeps = { call: (spec) => startCall(spec, host), confirm: () => Promise.resolve(true), now: () => performance.now() };
  const outcome: NoteOutcome = { total: runnables.length, failed: 0, results: [] };
  if (runnables.length === 0) options.write("The note has no pattern callouts and no grpc blocks to run.\n");

  const runOne = async (r: Runnable, n: number): Promise<void> => {
    const tag = options.concurrent ? paint("2", `[${n}] `) : "";
    const line = (text: string): void => options.write(`${tag}${text}\n`);
    const kind = r.pattern === null ? "" : ` (${methodKindLabel(r.pattern)})`;
    line(paint("1", `▶ ${r.label}${kind}`) + paint("2", `  line ${r.line + 1}`));
    const planned = planRun(r, note, runOptions);
    if (!planned.ok) {
      const e = planned.error;
      const where = e.location === undefined ? "" : `line ${e.location.line}, column ${e.location.column}: `;
      line(paint("31", `  ✖ ${codeName(e.code)}: ${where}${e.message}${e.hint === undefined ? "" : ` ${e.hint}`}`));
      outcome.failed++;
      outcome.results.push({ label: r.label, code: e.code });
      return;
    }
    if (planned.spec.discover) {
      await discover(planned.spec, line);
      if (!options.concurrent) options.write("\n");
      return;
    }
    const run = runSpec(planned.spec, note.path, deps);
    line(paint("2", `  ${run.method} @ ${run.target}`));
    let status: Extract<CallEvent, { type: "status" }> | null = null;
    let counts = { sent: 0, received: 0 };
    for await (const event of run.call.events) {
      if (event.type === "status") status = event;
      if (event.type === "message") counts = { ...counts, [event.direction]: counts[event.direction] + 1 };
      const text = `  ${formatEvent(event)}`;
      line(event.type === "status" ? paint(event.code === Code.OK ? "32" : "31", text) : event.type === "message" ? text : paint("2", text));
      if (event.type === "status" && event.hint !== undefined) line(paint("33", `             hint: ${event.hint}`));
    }
    const code = status?.code ?? Code.UNKNOWN;
    const ok = code === Code.OK;
    line(paint(ok ? "32" : "31", `  ${ok ? "✔" : "✖"} ${codeName(code)} in ${Math.round(status?.at ?? 0)} ms (${counts.sent} sent, ${counts.received} received)`));
    if (!options.concurrent) options.write("\n");
    if (!ok) outcome.failed++;
    outcome.results.push({ label: r.label, code });

    async function discover(spec: CallSpec, say: (text: string) => void): Promise<void> {
      say(paint("2", `  services @ ${spec.target ?? "sidecar"}`));
      try {
        const found = await host.discover(spec, new AbortController().signal);
        for (const m of found.methods) {
          say(`    ${m.method}  ${paint("2", `${methodKindLabel(m.kind)} · ${m.input.typeName} → ${m.output.typeName}`)}`);
        }
        for (const b of found.broken) say(paint("31", `    ✖ ${b.service}: ${codeName(b.error.code)}: ${b.error.message}`));
        outcome.results.push({ label: r.label, code: Code.OK });
      } catch (e) {
        const err = CallError.from(e);
        say(paint("31", `  ✖ ${codeName(err.code)}: ${err.message}${err.hint === undefined ? "" : ` ${err.hint}`}`));
        outcome.failed++;
        outcome.results.push({ label: r.label, code: err.code });
      }
    }
  };

  try {
    await runAll(runnables, options.concurrent ? "concurrent" : "sequential", runOne);
  } finally {
    pool.close();
    await launcher.stop();
  }
  options.write(
    outcome.failed === 0
      ? paint("32", `All ${outcome.total} runs ended in OK.\n`)
      : paint("31", `${outcome.failed} of ${outcome.total} runs did not end in OK.\n`),
  );
  return outcome;
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

