import type { FileRegistry } from "@bufbuild/protobuf";

/**
 * Where descriptors come from, in one shape whatever the source (as
 * grpcurl's DescriptorSource): a server's reflection, `.proto` files, or a
 * registry known in advance such as the sidecar's. Everything above it
 * (resolving a method, discovery, templates) works the same for each.
 */
export interface SchemaSource {
  /** Identifies the source, so its answers can be cached. */
  readonly key: string;
  /** The fully qualified names of the services it describes. */
  listServices(signal: AbortSignal): Promise<string[]>;
  /** The files that define `service` and everything they import. */
  filesFor(service: string, signal: AbortSignal): Promise<FileRegistry>;
  /**
   * The same source bound to one session for a discovery, when asking
   * costs a connection of its own (reflection keeps one stream); `close`
   * ends it.
   */
  session?(signal: AbortSignal): SchemaSource & { close(): void };
}

/** The services a registry defines. */
export function servicesOf(registry: FileRegistry): string[] {
  return [...registry.files].flatMap((file) => file.services.map((s) => s.typeName));
}

/** A source of a registry already at hand. */
export function registrySource(key: string, registry: FileRegistry): SchemaSource {
  return {
    key,
    listServices: () => Promise.resolve(servicesOf(registry)),
    filesFor: () => Promise.resolve(registry),
  };
}
