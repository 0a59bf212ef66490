import { createRegistry } from "@bufbuild/protobuf";
import type { Client } from "@grpc/grpc-js";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { findMethod } from "./findMethod";
import { Reflector } from "./Reflector";
import type { SchemaSource } from "./SchemaSource";

/**
 * A source that asks a server's reflection service (v1, then v1alpha) over
 * `client`. A service the server does not know is a NOT_FOUND error that
 * names the closest services it lists.
 */
export function reflectionSource(key: string, client: Client, options: { metadata: Record<string, string>; deadlineMs: number }): SchemaSource {
  const reflector = (signal: AbortSignal): Reflector => new Reflector(client, { ...options, signal });
  return {
    key: `reflection\u0000${key}`,
    listServices: (signal) => reflector(signal).listServices(),
    filesFor: async (service, signal) => {
      const r = reflector(signal);
      try {
        return await r.registryFor(service);
      } catch (e) {
        const err = CallError.from(e);
        if (err.code !== Code.NOT_FOUND) throw err;
        const known = await r.listServices().catch((): string[] => []);
        const near = findMethod(createRegistry(), `${service}/-`, known);
        throw near instanceof Error ? near : err;
      }
    },
  };
}
