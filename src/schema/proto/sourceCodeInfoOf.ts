import { create } from "@bufbuild/protobuf";
import { SourceCodeInfo_LocationSchema, SourceCodeInfoSchema, type DescriptorProto, type EnumDescriptorProto, type FileDescriptorProto, type SourceCodeInfo } from "@bufbuild/protobuf/wkt";

/** The comments and first position the parser saw for one element of a file. */
export interface ElementNote {
  leading: string;
  trailing: string;
  line: number;
  column: number;
}

/**
 * The file's source code info for the elements that have comments: each
 * location with the element's path (as protoc numbers the descriptor's
 * fields), its start as a span, and its leading and trailing comments, so
 * that discovery and describe can show them.
 */
export function sourceCodeInfoOf(file: FileDescriptorProto, notes: ReadonlyMap<object, ElementNote>): SourceCodeInfo | undefined {
  if (notes.size === 0) return undefined;
  const info = create(SourceCodeInfoSchema);
  // Paths are made only for elements that have comments.
  const add = (element: object, base: readonly number[], ...rest: number[]): void => {
    const n = notes.get(element);
    if (n === undefined) return;
    const location = create(SourceCodeInfo_LocationSchema);
    location.path = [...base, ...rest];
    location.span = [n.line - 1, n.column - 1, n.column - 1];
    if (n.leading !== "") location.leadingComments = n.leading;
    if (n.trailing !== "") location.trailingComments = n.trailing;
    info.location.push(location);
  };
  const enums = (list: EnumDescriptorProto[], base: number[]): void =>
    list.forEach((e, i) => {
      add(e, base, i);
      e.value.forEach((v, j) => add(v, base, i, 2, j));
    });
  const messages = (list: DescriptorProto[], base: number[]): void =>
    list.forEach((m, i) => {
      const path = [...base, i];
      add(m, path);
      m.field.forEach((f, j) => add(f, path, 2, j));
      m.oneofDecl.forEach((o, j) => add(o, path, 8, j));
      m.extension.forEach((x, j) => add(x, path, 6, j));
      if (m.nestedType.length > 0) messages(m.nestedType, [...path, 3]);
      if (m.enumType.length > 0) enums(m.enumType, [...path, 4]);
    });
  messages(file.messageType, [4]);
  enums(file.enumType, [5]);
  file.service.forEach((s, i) => {
    add(s, [6], i);
    s.method.forEach((m, j) => add(m, [6], i, 2, j));
  });
  file.extension.forEach((x, i) => add(x, [7], i));
  return info.location.length === 0 ? undefined : info;
}
