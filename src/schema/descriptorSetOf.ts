import { clone, create, toBinary, type DescFile } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { filesInOrder } from "./filesInOrder";

/**
 * The FileDescriptorSet of `roots` and everything they import, each file
 * after its imports, as `protoc --include_imports --descriptor_set_out`
 * writes it (and as grpcurl's `-protoset` and our `proto:` read it back):
 * without source code info, as protoc leaves it out unless asked.
 */
export function descriptorSetOf(roots: readonly DescFile[]): Uint8Array {
  const byName = new Map<string, FileDescriptorProto>();
  const visit = (f: DescFile): void => {
    if (byName.has(f.proto.name)) return;
    byName.set(f.proto.name, f.proto);
    f.dependencies.forEach(visit);
  };
  roots.forEach(visit);
  const files = filesInOrder(byName, roots.map((r) => r.proto.name)).map((f) => {
    if (f.sourceCodeInfo === undefined) return f;
    const copy = clone(FileDescriptorProtoSchema, f);
    copy.sourceCodeInfo = undefined;
    return copy;
  });
  return toBinary(FileDescriptorSetSchema, create(FileDescriptorSetSchema, { file: files }));
}
