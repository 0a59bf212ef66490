import { createRegistry, type DescMessage, type DescMethod, type Registry } from "@bufbuild/protobuf";
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

  /** Every method of every service the source describes, sorted. */
  async list(source: SchemaSource, signal: AbortSignal): Promise<MethodListing[]> {
    const out = new Map<string, MethodListing>();
    for (const service of await source.listServices(signal)) {
      const { registry } = await this.entry(source, service, signal);
      const desc = registry.getService(service);
      for (const m of desc?.methods ?? []) out.set(`${service}/${m.name}`, { method: `${service}/${m.name}`, kind: m.methodKind, input: m.input });
    }
    return [...out.values()].sort((a, b) => a.method.localeCompare(b.method));
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
