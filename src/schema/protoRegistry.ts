import type { FileRegistry } from "@bufbuild/protobuf";
import { builtinRegistry } from "./builtinRegistry";
import { loadProtoFiles } from "./proto/loadProtoFiles";

/** A registry of a vault .proto file, its imports and the built-ins they use. */
export async function protoRegistry(proto: string, importPaths: readonly string[], readFile: (path: string) => Promise<Uint8Array>): Promise<FileRegistry> {
  const decoder = new TextDecoder();
  const loaded = await loadProtoFiles(proto, importPaths, {
    read: async (p) => decoder.decode(await readFile(p)),
    builtin: (name) => builtinRegistry().getFile(name)?.proto,
  });
  return loaded.registry;
}
