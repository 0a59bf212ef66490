import { createRegistry, type FileRegistry } from "@bufbuild/protobuf";
import type { Client } from "@grpc/grpc-js";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { findMethod } from "./findMethod";
import { Reflector } from "./Reflector";
import type { SchemaSource } from "./SchemaSource";

/**
 * A source that asks a server's reflection service (v1, then v1alpha) over
 * `client`. A single look-up uses one stream and ends it; a discovery's
 * session keeps one stream for all its questions. A service the server does
 * not know is a NOT_FOUND error that names the closest services it lists.
 */
export function reflectionSource(key: string, client: Client, options: { metadata: Record<string, string>; deadlineMs: number }): SchemaSource {
  const sourceKey = `reflection\u0000${key}`;
  const open = (signal: AbortSignal): Reflector => new Reflector(client, { ...options, signal });
  const once = async <T>(signal: AbortSignal, ask: (r: Reflector) => Promise<T>): Promise<T> => {
    const r = open(signal);
    try {
      return await ask(r);
    } finally {
      r.close();
    }
  };
  return {
    key: sourceKey,
    listServices: (signal) => once(signal, (r) => r.listServices()),
    filesFor: (service, signal) => once(signal, (r) => filesFor(r, service)),
    session: (signal) => {
      const r = open(signal);
      return { key: sourceKey, listServices: () => r.listServices(), filesFor: (service) => filesFor(r, service), close: () => r.close() };
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
