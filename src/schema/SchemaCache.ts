import { createRegistry, type DescMessage, type DescMethod, type Registry } from "@bufbuild/protobuf";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { splitMethod } from "../core/spec/CallSpec";
import type { MethodKind } from "../core/spec/MethodKind";
import { builtinRegistry } from "./builtinRegistry";
import { findMethod } from "./findMethod";
import { servicesOf, type SchemaSource } from "./SchemaSource";

/** A method and the registry to read and write its messages with. */
export interface ResolvedMethod {
  method: DescMethod;
  registry: Registry;
}

/** One method a source describes, for discovery. */
export interface MethodListing {
  /** "pkg.Service/Method". */
  method: string;
  kind: MethodKind;
  input: DescMessage;
  output: DescMessage;
  /** The method's descriptor, for describing it. */
  desc: DescMethod;
}

/** What a discovery found: every method it could describe, and each service whose schema failed, with why. */
export interface Discovery {
  methods: MethodListing[];
  broken: Array<{ service: string; error: CallError }>;
  /** Which protocol the server's reflection answered over ("gRPC", "Connect"), when reflection was asked. */
  via?: string;
}

/**
 * The one schema cache: registries by source and service, kept until
 * `forget` (the plugin forgets when a `.proto` file in the vault changes).
 * A failed look-up is not kept, so the next run asks again.
 */
export class SchemaCache {
  private readonly entries = new Map<string, Promise<{ registry: Registry; services: string[] }>>();

  /** The method "pkg.Service/Method" from `source`, or a NOT_FOUND error with the closest names. */
  async resolve(source: SchemaSource, method: string, signal: AbortSignal): Promise<ResolvedMethod> {
    const service = splitMethod(method).service;
    const entry = await this.entry(source, service, signal);
    const found = findMethod(entry.registry, method, entry.services);
    if (found instanceof Error) throw found;
    return { method: found, registry: entry.registry };
  }

  /**
   * Every method of every service the source describes, sorted, over one
   * session of the source. A service whose schema cannot be had is listed
   * in `broken` with its error and hides no other.
   */
  async list(source: SchemaSource, signal: AbortSignal): Promise<Discovery> {
    const session = source.session?.(signal);
    const from = session ?? source;
    const out = new Map<string, MethodListing>();
    const broken: Discovery["broken"] = [];
    try {
      for (const service of await from.listServices(signal)) {
        let registry: Registry;
        try {
          registry = (await this.entry(from, service, signal)).registry;
        } catch (e) {
          if (signal.aborted) throw e;
          broken.push({ service, error: CallError.from(e) });
          continue;
        }
        const desc = registry.getService(service);
        if (desc === undefined) broken.push({ service, error: new CallError(Code.NOT_FOUND, `The schema the source gave for ${service} does not define it.`) });
        for (const m of desc?.methods ?? []) out.set(`${service}/${m.name}`, { method: `${service}/${m.name}`, kind: m.methodKind, input: m.input, output: m.output, desc: m });
      }
    } finally {
      session?.close();
    }
    return { methods: [...out.values()].sort((a, b) => a.method.localeCompare(b.method)), broken };
  }

  /** Drops every cached schema. */
  forget(): void {
    this.entries.clear();
  }

  private entry(source: SchemaSource, service: string, signal: AbortSignal): Promise<{ registry: Registry; services: string[] }> {
    const key = `${source.key}\u0000${service}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = source.filesFor(service, signal).then((files) => ({ registry: createRegistry(files, builtinRegistry()), services: servicesOf(files) }));
      entry.catch(() => this.entries.delete(key));
      this.entries.set(key, entry);
    }
    return entry;
  }
}
