import { create } from "@bufbuild/protobuf";
import { commentText, type CommentRun } from "./tokenize";
import { SourceCodeInfo_LocationSchema, SourceCodeInfoSchema, type DescriptorProto, type EnumDescriptorProto, type FileDescriptorProto, type SourceCodeInfo } from "@bufbuild/protobuf/wkt";

/** The comments and first position the parser saw for one element of a file. */
export interface ElementNote {
  leading: string | CommentRun;
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
    const leading = commentText(n.leading);
    if (leading !== "") location.leadingComments = leading;
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

/** Gives `file` a `sourceCodeInfo` made from `notes` when first read (describe and discovery read it; a load of hundreds of files need not). */
export function attachSourceCodeInfo(file: FileDescriptorProto, notes: ReadonlyMap<object, ElementNote>): void {
  if (notes.size === 0) return;
  const settle = (value: SourceCodeInfo | undefined): void => {
    Object.defineProperty(file, "sourceCodeInfo", { value, writable: true, configurable: true, enumerable: true });
  };
  Object.defineProperty(file, "sourceCodeInfo", {
    configurable: true,
    enumerable: true,
    get(): SourceCodeInfo | undefined {
      const value = sourceCodeInfoOf(file, notes);
      settle(value);
      return value;
    },
    set: settle,
  });
}
