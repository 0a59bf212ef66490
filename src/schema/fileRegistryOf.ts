import { createFileRegistry, type DescFile, type FileRegistry } from "@bufbuild/protobuf";

/** A FileRegistry holding the given files and everything they import. */
export function fileRegistryOf(...files: DescFile[]): FileRegistry {
  const all = new Map<string, DescFile>();
  const visit = (f: DescFile): void => {
    if (all.has(f.proto.name)) return;
    all.set(f.proto.name, f);
    f.dependencies.forEach(visit);
  };
  files.forEach(visit);
  return createFileRegistry(...files.map((f) => createFileRegistry(f.proto, (name) => all.get(name))));
}
