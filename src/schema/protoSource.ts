import type { FileRegistry } from "@bufbuild/protobuf";
import { DESCRIPTOR_SET, descriptorSetRegistry } from "./descriptorSetRegistry";
import { protoRegistry } from "./protoRegistry";
import { servicesOf, type SchemaSource } from "./SchemaSource";

/**
 * A source of `.proto` files: the root file, parsed with its imports from the
 * import paths; or, for a `.binpb`, `.pb` or `.protoset` file, the descriptor
 * set it holds.
 */
export function protoSource(proto: string, importPaths: readonly string[], readFile: (path: string) => Promise<Uint8Array>, exists?: (path: string) => boolean): SchemaSource {
  let loading: Promise<FileRegistry> | null = null;
  const load = (): Promise<FileRegistry> =>
    (loading ??= DESCRIPTOR_SET.test(proto) ? readFile(proto).then((bytes) => descriptorSetRegistry(proto, bytes)) : protoRegistry(proto, importPaths, readFile, exists));
  return {
    key: `proto\u0000${proto}\u0000${importPaths.join("\u0000")}`,
    listServices: async () => servicesOf(await load()),
    filesFor: () => load(),
  };
}
