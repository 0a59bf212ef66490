import type { Runnable } from "../callout/findRunnables";
import { CallError } from "../errors/CallError";
import { Code } from "../errors/Code";
import { demoSpec, type DemoPacing } from "./demoSpec";
import { parseBlock, type ParseResult } from "./parseBlock";

/** Options of specForRunnable. */
export interface SpecForRunnableOptions {
  pacing: Partial<DemoPacing>;
  /** The note's frontmatter `grpc:` defaults. */
  defaults: Record<string, unknown>;
  /** Default deadline for calls whose block sets none; null for none. */
  deadlineMs: number | null;
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
  if (result.ok && result.spec.deadlineMs === null && options.deadlineMs != null) result.spec.deadlineMs = options.deadlineMs;
  return result;
}
