import type { FileRegistry } from "@bufbuild/protobuf";
import { builtinRegistry } from "./builtinRegistry";
import { loadProtoFiles } from "./proto/loadProtoFiles";

/** A registry of a vault .proto file, its imports and the built-ins they use; `exists` (a cheap look-up) saves reading import candidates that are not there. */
export async function protoRegistry(proto: string, importPaths: readonly string[], readFile: (path: string) => Promise<Uint8Array>, exists?: (path: string) => boolean): Promise<FileRegistry> {
  const decoder = new TextDecoder();
  const loaded = await loadProtoFiles(proto, importPaths, {
    read: async (p) => decoder.decode(await readFile(p)),
    builtin: (name) => builtinRegistry().getFile(name)?.proto,
    ...(exists === undefined ? {} : { exists }),
  });
  return loaded.registry;
}
