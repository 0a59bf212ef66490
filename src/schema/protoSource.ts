import type { FileRegistry } from "@bufbuild/protobuf";
import { protoRegistry } from "./protoRegistry";
import { servicesOf, type SchemaSource } from "./SchemaSource";

/** A source of `.proto` files: the root file, parsed with its imports from the import paths. */
export function protoSource(proto: string, importPaths: readonly string[], readFile: (path: string) => Promise<Uint8Array>): SchemaSource {
  let loading: Promise<FileRegistry> | null = null;
  const load = (): Promise<FileRegistry> => (loading ??= protoRegistry(proto, importPaths, readFile));
  return {
    key: `proto\u0000${proto}\u0000${importPaths.join("\u0000")}`,
    listServices: async () => servicesOf(await load()),
    filesFor: () => load(),
  };
}
