import type { AnyDesc } from "@bufbuild/protobuf";

/** The comments the schema keeps for an element (its source code info), or empty strings when it has none. */
export interface Comments {
  leading: string;
  trailing: string;
}

/**
 * The leading and trailing comments of a service, method, message, field,
 * oneof, enum or enum value, read from its file's source code info by the
 * element's path, as protoc and buf record them. Schemas without source
 * info (most reflection answers) give empty comments.
 */
export function commentsOf(desc: AnyDesc): Comments {
  const path = pathOf(desc);
  const file = desc.kind === "file" ? desc : fileOf(desc);
  const location = path === undefined ? undefined : file?.proto.sourceCodeInfo?.location.find((l) => l.path.length === path.length && l.path.every((n, i) => n === path[i]));
  return { leading: location?.leadingComments ?? "", trailing: location?.trailingComments ?? "" };
}

function fileOf(desc: AnyDesc): Extract<AnyDesc, { kind: "file" }> | undefined {
  switch (desc.kind) {
    case "file":
      return desc;
    case "enum_value":
      return desc.parent.file;
    case "rpc":
      return desc.parent.file;
    case "field":
    case "oneof":
      return desc.parent.file;
    default:
      return desc.file;
  }
}

/** The element's path in its FileDescriptorProto, as source code info numbers it. */
function pathOf(desc: AnyDesc): number[] | undefined {
  switch (desc.kind) {
    case "file":
      return [];
    case "message": {
      if (desc.parent === undefined) return [4, desc.file.proto.messageType.indexOf(desc.proto)];
      const parent = pathOf(desc.parent);
      return parent === undefined ? undefined : [...parent, 3, desc.parent.proto.nestedType.indexOf(desc.proto)];
    }
    case "enum": {
      if (desc.parent === undefined) return [5, desc.file.proto.enumType.indexOf(desc.proto)];
      const parent = pathOf(desc.parent);
      return parent === undefined ? undefined : [...parent, 4, desc.parent.proto.enumType.indexOf(desc.proto)];
    }
    case "enum_value": {
      const parent = pathOf(desc.parent);
      return parent === undefined ? undefined : [...parent, 2, desc.parent.proto.value.indexOf(desc.proto)];
    }
    case "field": {
      const parent = pathOf(desc.parent);
      return parent === undefined ? undefined : [...parent, 2, desc.parent.proto.field.indexOf(desc.proto)];
    }
    case "oneof": {
      const parent = pathOf(desc.parent);
      return parent === undefined ? undefined : [...parent, 8, desc.parent.proto.oneofDecl.indexOf(desc.proto)];
    }
    case "service":
      return [6, desc.file.proto.service.indexOf(desc.proto)];
    case "rpc": {
      const parent = pathOf(desc.parent);
      return parent === undefined ? undefined : [...parent, 2, desc.parent.proto.method.indexOf(desc.proto)];
    }
    default:
      return undefined;
  }
}
