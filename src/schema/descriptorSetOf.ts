import { create, toBinary, type DescFile } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { filesInOrder } from "./filesInOrder";

/**
 * The FileDescriptorSet of `roots` and everything they import, each file
 * after its imports, as `protoc --include_imports --descriptor_set_out`
 * writes it (and as grpcurl's `-protoset` and our `proto:` read it back).
 */
export function descriptorSetOf(roots: readonly DescFile[]): Uint8Array {
  const byName = new Map<string, FileDescriptorProto>();
  const visit = (f: DescFile): void => {
    if (byName.has(f.proto.name)) return;
    byName.set(f.proto.name, f.proto);
    f.dependencies.forEach(visit);
  };
  roots.forEach(visit);
  return toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: filesInOrder(byName, roots.map((r) => r.proto.name)) }));
}
