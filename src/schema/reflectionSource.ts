import { createRegistry, type FileRegistry } from "@bufbuild/protobuf";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { findMethod } from "./findMethod";
import type { ReflectionLine } from "./ReflectionLine";
import { Reflector } from "./Reflector";
import type { SchemaSource } from "./SchemaSource";

/** Failures that say a line cannot carry reflection to this server (so the next line is tried), not that it answered. */
const NEXT_LINE: ReadonlySet<number> = new Set([Code.UNIMPLEMENTED, Code.UNAVAILABLE, Code.INTERNAL, Code.UNKNOWN]);

/**
 * A source that asks a server's reflection service (v1, then v1alpha) over
 * the first of `lines` that reaches it: for gRPC-Web and Connect, the call's
 * own protocol first where it can stream both ways, then plain gRPC on the
 * same address, as `buf curl --reflect-protocol` does. `answeredBy` says
 * which line answered. A single look-up uses one stream and ends it; a
 * discovery's session keeps one stream for all its questions. A service the
 * server does not know is a NOT_FOUND error that names the closest services.
 */
export function reflectionSource(key: string, lines: readonly ReflectionLine[], options: { metadata: Record<string, string>; deadlineMs: number }): SchemaSource & { answeredBy(): string | null } {
  const sourceKey = `reflection\u0000${key}`;
  let answered: string | null = null;
  /** Asks on the first line that answers; `keep` keeps that line's stream open for later questions. */
  const onLines = async <T>(signal: AbortSignal, ask: (r: Reflector) => Promise<T>, keep: ((r: Reflector) => void) | null): Promise<T> => {
    const failures: string[] = [];
    for (const [i, line] of lines.entries()) {
      const r = new Reflector(line, { ...options, signal });
      try {
        const value = await ask(r);
        answered = line.name;
        if (keep !== null) keep(r);
        else r.close();
        return value;
      } catch (e) {
        r.close();
        const err = CallError.from(e);
        if (!NEXT_LINE.has(err.code) || i === lines.length - 1 || signal.aborted) {
          if (failures.length === 0) throw err;
          throw new CallError(err.code, `Reflection ${[...failures, `over ${line.name}: ${err.message}`].join("; ")}`, { ...(err.hint === undefined ? {} : { hint: err.hint }), cause: err });
        }
        failures.push(`over ${line.name}: ${err.message}`);
      }
    }
    throw new CallError(Code.INTERNAL, "No way to reach the server's reflection was given.");
  };
  return {
    key: sourceKey,
    answeredBy: () => answered,
    listServices: (signal) => onLines(signal, (r) => r.listServices(), null),
    filesFor: (service, signal) => onLines(signal, (r) => filesFor(r, service), null),
    session: (signal) => {
      let open: Reflector | null = null;
      const ask = <T>(f: (r: Reflector) => Promise<T>): Promise<T> => (open !== null ? f(open) : onLines(signal, f, (r) => (open = r)));
      return { key: sourceKey, listServices: () => ask((r) => r.listServices()), filesFor: (service) => ask((r) => filesFor(r, service)), close: () => open?.close() };
    },
  };
}

async function filesFor(r: Reflector, service: string): Promise<FileRegistry> {
  try {
    return await r.registryFor(service);
  } catch (e) {
    const err = CallError.from(e);
    if (err.code !== Code.NOT_FOUND || !err.message.includes("does not know")) throw err;
    const known = await r.listServices().catch((): string[] => []);
    const near = findMethod(createRegistry(), `${service}/-`, known);
    throw near instanceof Error ? near : err;
  }
}
