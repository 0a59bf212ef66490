import type { Runnable } from "../note/findRunnables";
import { CallError } from "../errors/CallError";
import { Code } from "../errors/Code";
import type { DemoPacing } from "../spec/demoSpec";
import type { ParseResult } from "../spec/parseBlock";
import { specForRunnable } from "../spec/specForRunnable";
import type { VariableSources } from "../spec/substituteVariables";

/** The deadline of calls whose block sets none, unless a front end says otherwise. */
export const DEFAULT_DEADLINE_MS = 30_000;

/** What every front end decides once and the orchestrator applies to every run. */
export interface RunOptions {
  /** Demo pacing of title-only callouts. */
  pacing: Partial<DemoPacing>;
  /** Deadline for calls whose block sets none; null for none. */
  defaultDeadlineMs: number | null;
  /** Where `{{name}}` and `{{env.NAME}}` come from, and which environment names a note may read. */
  sources: VariableSources;
  /** Import folders added after the block's own (the terminal runner's --import-path). */
  extraImportPaths: readonly string[];
}

/** The note a runnable sits in, as far as a run needs it. */
export interface NoteContext {
  path: string;
  /** The note's frontmatter `grpc:` defaults. */
  defaults: Record<string, unknown>;
}

/** The spec a runnable of a note runs: the frontmatter defaults, the default deadline (not for interactive calls), variables and extra import paths applied. */
export function planRun(r: Runnable, note: NoteContext, options: RunOptions): ParseResult {
  const parsed = specForRunnable(r, { pacing: options.pacing, defaults: note.defaults, deadlineMs: null, sources: options.sources });
  if (parsed.ok && parsed.spec.name !== null) parsed.spec.responseSecrets = [...(options.sources.calls?.secretPaths?.get(parsed.spec.name) ?? [])];
  if (parsed.ok && parsed.spec.name !== null && options.sources.calls?.duplicates?.has(parsed.spec.name) === true) {
    const name = parsed.spec.name;
    return { ok: false, error: new CallError(Code.INVALID_ARGUMENT, `More than one block of this note is named "${name}".`, { location: parsed.spec.locations["name"], hint: "Give each call a name of its own, so references know which one they mean." }) };
  }
  // The default deadline fits unary calls and scripted streams; an interactive call stays open until you or the server end it.
  if (parsed.ok && parsed.spec.deadlineMs === null && !parsed.spec.interactive) parsed.spec.deadlineMs = options.defaultDeadlineMs;
  if (parsed.ok && options.extraImportPaths.length > 0) parsed.spec.importPaths = [...parsed.spec.importPaths, ...options.extraImportPaths];
  return parsed;
}
