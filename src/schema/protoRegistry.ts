import { createFileRegistry, type FileRegistry } from "@bufbuild/protobuf";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { builtinRegistry } from "./builtinRegistry";
import { loadProtoFiles } from "./proto/loadProtoFiles";

/** A registry of a vault .proto file, its imports and the built-ins they use. */
export async function protoRegistry(proto: string, importPaths: readonly string[], readFile: (path: string) => Promise<Uint8Array>): Promise<FileRegistry> {
  const decoder = new TextDecoder();
  const loaded = await loadProtoFiles(proto, importPaths, {
    read: async (p) => decoder.decode(await readFile(p)),
    builtin: (name) => builtinRegistry().getFile(name)?.proto,
  });
  const root = loaded.files.get(loaded.root);
  if (root === undefined) throw new CallError(Code.INTERNAL, `The parsed ${proto} went missing.`);
  try {
    return createFileRegistry(root, (name) => loaded.files.get(name));
  } catch (e) {
    throw new CallError(Code.INVALID_ARGUMENT, `${proto}: ${CallError.from(e).message}`, { hint: "Check the .proto file for duplicate or conflicting definitions.", cause: e });
  }
}
