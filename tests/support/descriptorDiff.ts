// Compares two FileDescriptorProtos field by field, as JSON in which custom options appear by
// name (the registry knows their extensions), and says where they differ.
import { toJson, type Registry } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";

/** The paths where `ours` and `theirs` differ (source code info ignored), each with both values; empty when equal. */
export function descriptorDiff(ours: FileDescriptorProto, theirs: FileDescriptorProto, registry: Registry): string[] {
  const json = (f: FileDescriptorProto): unknown => {
    const j = toJson(FileDescriptorProtoSchema, f, { registry }) as Record<string, unknown>;
    delete j.sourceCodeInfo;
    return j;
  };
  const out: string[] = [];
  diff(json(ours), json(theirs), "", out);
  return out;
}

function diff(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= 8) return;
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], Array.isArray(a) ? `${path}[${k}]` : path === "" ? k : `${path}.${k}`, out);
    return;
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(`${path}: ours ${JSON.stringify(a)?.slice(0, 200)}, theirs ${JSON.stringify(b)?.slice(0, 200)}`);
}
