import { create, createFileRegistry, fromBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { builtinRegistry } from "./builtinRegistry";
import { filesInOrder } from "./filesInOrder";

/** File names that hold a FileDescriptorSet rather than .proto text. */
export const DESCRIPTOR_SET = /\.(binpb|pb|protoset)$/i;

/**
 * A registry of a FileDescriptorSet file, as `buf build -o`, `protoc
 * --include_imports --descriptor_set_out` and grpcurl's `-protoset` write
 * it. Imports the set leaves out are taken from the built-ins (the
 * well-known types, google.rpc). Whatever a compiler supports, editions
 * included, then works, even where our own parser falls short.
 */
export function descriptorSetRegistry(path: string, bytes: Uint8Array): FileRegistry {
  let files: FileDescriptorProto[];
  try {
    files = fromBinary(FileDescriptorSetSchema, bytes).file;
  } catch (e) {
    throw new CallError(Code.INVALID_ARGUMENT, `${path} is not a descriptor set: ${CallError.from(e).message}`, {
      hint: "Write one with `buf build -o file.binpb` or `protoc --include_imports --descriptor_set_out=file.pb`.",
    });
  }
  const byName = new Map(files.map((f) => [f.name, f]));
  const addBuiltin = (name: string): void => {
    const b = byName.has(name) ? undefined : builtinRegistry().getFile(name)?.proto;
    if (b === undefined) return;
    byName.set(name, b);
    b.dependency.forEach(addBuiltin);
  };
  for (const f of files) f.dependency.forEach(addBuiltin);
  try {
    return createFileRegistry(create(FileDescriptorSetSchema, { file: filesInOrder(byName) }));
  } catch (e) {
    throw new CallError(Code.INVALID_ARGUMENT, `${path}: ${CallError.from(e).message}`, {
      hint: "Build the set with its imports (`buf build` does; protoc needs --include_imports).",
    });
  }
}
