import { CallError } from "../errors/CallError";
import { Code } from "../errors/Code";
import type { Runnable } from "../note/findRunnables";

/** A note's named calls: each name's runnable, what each runnable refers to, and names given twice. */
export interface NoteCalls {
  byName: ReadonlyMap<string, Runnable>;
  /** The names each runnable's block refers to with `{{NAME.…}}`, in order of first use. */
  references: ReadonlyMap<Runnable, string[]>;
  /** Names that more than one block has. */
  duplicates: ReadonlySet<string>;
  /** For each name, the parts of its call that some block sends as metadata (`response.token`), to mask. */
  secretPaths: ReadonlyMap<string, string[]>;
}

const NAME_LINE = /^name:[ \t]*(["']?)([A-Za-z0-9_-]+)\1[ \t]*(?:#.*)?$/m;

/** The name a runnable's block gives its call (`name:` at the top level), or null. */
export function nameOf(r: Runnable): string | null {
  return r.block === null ? null : (NAME_LINE.exec(r.block.source)?.[2] ?? null);
}

/** Reads a note's runnables for names and references, without planning them. */
export function noteCalls(runnables: readonly Runnable[]): NoteCalls {
  const byName = new Map<string, Runnable>();
  const duplicates = new Set<string>();
  for (const r of runnables) {
    const name = nameOf(r);
    if (name === null) continue;
    if (byName.has(name)) duplicates.add(name);
    else byName.set(name, r);
  }
  const references = new Map<Runnable, string[]>();
  const ref = /\{\{\s*([A-Za-z0-9_-]+)[.[]/g;
  for (const r of runnables) {
    const names: string[] = [];
    for (const m of r.block?.source.matchAll(ref) ?? []) {
      const n = m[1] ?? "";
      if (byName.has(n) && !names.includes(n)) names.push(n);
    }
    references.set(r, names);
  }
  // A reference on a metadata line (an indented "key: value" under metadata:, or a flow mapping) sends what it names as a header.
  const secretPaths = new Map<string, string[]>();
  const inMetadata = /^\s*(?:metadata:.*|[\w.-]+:\s*.*)$/;
  for (const r of runnables) {
    const lines = r.block?.source.split("\n") ?? [];
    let metadata = false;
    for (const l of lines) {
      if (/^metadata:/.test(l)) metadata = true;
      else if (/^\S/.test(l)) metadata = false;
      if (!metadata || !inMetadata.test(l)) continue;
      for (const m of l.matchAll(/\{\{\s*([A-Za-z0-9_-]+)((?:\.[\w-]+|\[\d+\])+)\s*\}\}/g)) {
        const name = m[1] ?? "";
        if (!byName.has(name)) continue;
        const list = secretPaths.get(name) ?? [];
        const path = (m[2] ?? "").slice(1);
        if (!list.includes(path)) list.push(path);
        secretPaths.set(name, list);
      }
    }
  }
  return { byName, references, duplicates, secretPaths };
}

/**
 * The runnables in the order "Run all" runs them: note order, except that
 * every call comes after the calls it refers to. A cycle is an
 * INVALID_ARGUMENT error naming the calls in it.
 */
export function runOrder(runnables: readonly Runnable[], calls: NoteCalls): Runnable[] | CallError {
  const out: Runnable[] = [];
  const state = new Map<Runnable, "visiting" | "done">();
  const visit = (r: Runnable, path: Runnable[]): CallError | null => {
    if (state.get(r) === "done") return null;
    if (state.get(r) === "visiting") {
      const cycle = [...path.slice(path.indexOf(r)), r].map((x) => nameOf(x) ?? x.label);
      return new CallError(Code.INVALID_ARGUMENT, `These calls refer to each other in a cycle: ${cycle.join(" → ")}.`, { hint: "A call can only use what calls before it brought back; remove one of the references." });
    }
    state.set(r, "visiting");
    for (const n of calls.references.get(r) ?? []) {
      const dep = calls.byName.get(n);
      if (dep === undefined) continue;
      const e = visit(dep, [...path, r]);
      if (e !== null) return e;
    }
    state.set(r, "done");
    out.push(r);
    return null;
  };
  for (const r of runnables) {
    const e = visit(r, []);
    if (e !== null) return e;
  }
  return out;
}

/** The calls `r` refers to, directly or through others, in the order they must run; `r` itself last. */
export function withDependencies(r: Runnable, calls: NoteCalls): Runnable[] | CallError {
  return runOrder([r], calls);
}
