import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";

/**
 * The files with every file after the files it imports, as a FileDescriptorSet
 * must list them (and as `protoc --include_imports` writes them). Files
 * that a file imports but `files` lacks are left out; cycles are broken where
 * they are met.
 */
export function filesInOrder(files: ReadonlyMap<string, FileDescriptorProto>, roots: Iterable<string> = files.keys()): FileDescriptorProto[] {
  const out: FileDescriptorProto[] = [];
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    seen.add(name);
    const f = files.get(name);
    if (f === undefined) return;
    for (const dep of f.dependency) visit(dep);
    for (const dep of f.optionDependency) visit(dep);
    out.push(f);
  };
  for (const r of roots) visit(r);
  return out;
}
