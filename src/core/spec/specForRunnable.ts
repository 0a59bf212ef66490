import type { Runnable } from "../note/findRunnables";
import { CallError } from "../errors/CallError";
import { Code } from "../errors/Code";
import { demoSpec, type DemoPacing } from "./demoSpec";
import { parseBlock, type ParseResult } from "./parseBlock";
import { substituteVariables, type VariableSources } from "./substituteVariables";

/** Options of specForRunnable. */
export interface SpecForRunnableOptions {
  pacing: Partial<DemoPacing>;
  /** The note's frontmatter `grpc:` defaults. */
  defaults: Record<string, unknown>;
  /** Default deadline for calls whose block sets none; null for none. */
  deadlineMs: number | null;
  /** Values for `{{name}}` and `{{env.NAME}}`. */
  sources: VariableSources;
}

/**
 * The call a runnable makes: its `grpc` block when it has one (the title
 * only labels it), else the demo method of the pattern its title names.
 */
export function specForRunnable(r: Runnable, options: Partial<SpecForRunnableOptions> = {}): ParseResult {
  const result: ParseResult =
    r.block !== null
      ? parseBlock(r.block.source, { firstLine: r.block.fenceLine + 2, defaults: options.defaults ?? {} })
      : r.pattern !== null
        ? { ok: true, spec: demoSpec(r.pattern, options.pacing ?? {}) }
        : { ok: false, error: new CallError(Code.INVALID_ARGUMENT, `"${r.label}" names no gRPC pattern and has no grpc block.`) };
  if (!result.ok) return result;
  if (result.spec.deadlineMs === null && options.deadlineMs != null) result.spec.deadlineMs = options.deadlineMs;
  const spec = substituteVariables(result.spec, options.sources ?? { variables: {}, env: {}, envAllowed: [] });
  return spec instanceof Error ? { ok: false, error: spec } : { ok: true, spec };
}
