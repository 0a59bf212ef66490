import { create, ScalarType, toJson, type DescField, type DescMessage } from "@bufbuild/protobuf";
import type { JsonValue } from "../core/json/JsonValue";
import { templateJson, type TemplateEntry, type TemplateNode } from "../core/spec/TemplateNode";

/** How deep a template fills nested messages before it leaves them empty (recursive types stop at once). */
const MAX_DEPTH = 6;

/**
 * A request for `schema` as a template: every field at its default, nested
 * messages filled too, repeated fields and maps with one element, and each
 * oneof with its first member and a comment naming the others; proto3
 * `optional` fields are commented out, as a zero is not unset. Well-known
 * types take their JSON form (a timestamp string, "0s", {}), and a type
 * that contains itself is left empty where it recurs.
 */
export function requestTemplateNode(schema: DescMessage): TemplateNode {
  return messageNode(schema, new Set(), 0);
}

/** The template as plain JSON: the start of an "Insert call". */
export function requestTemplate(schema: DescMessage): JsonValue {
  return templateJson(requestTemplateNode(schema));
}

function messageNode(desc: DescMessage, path: Set<string>, depth: number): TemplateNode {
  const wkt = wellKnown(desc);
  if (wkt !== undefined) return { kind: "value", json: wkt };
  if (path.has(desc.typeName) || depth >= MAX_DEPTH) return { kind: "object", entries: [] };
  const inner = new Set(path).add(desc.typeName);
  const entries: TemplateEntry[] = [];
  for (const member of desc.members) {
    if (member.kind === "field") {
      // A proto3 optional field is shown commented out: a zero would not be the same as unset.
      entries.push({ key: member.jsonName, node: fieldNode(member, inner, depth + 1), ...(member.proto.proto3Optional ? { commentedOut: true } : {}) });
      continue;
    }
    const [first, ...others] = member.fields;
    if (first === undefined) continue;
    const comment = others.length === 0 ? undefined : `oneof ${member.name}: or one of ${others.map((f) => f.jsonName).join(", ")}`;
    entries.push({ key: first.jsonName, node: fieldNode(first, inner, depth + 1), ...(comment === undefined ? {} : { comment }) });
  }
  return { kind: "object", entries };
}

function fieldNode(f: DescField, path: Set<string>, depth: number): TemplateNode {
  switch (f.fieldKind) {
    case "scalar":
      return { kind: "value", json: scalarDefault(f.scalar) };
    case "enum":
      return { kind: "value", json: f.enum.values[0]?.name ?? 0 };
    case "message":
      return messageNode(f.message, path, depth);
    case "list": {
      const item: TemplateNode = f.listKind === "scalar" ? { kind: "value", json: scalarDefault(f.scalar) } : f.listKind === "enum" ? { kind: "value", json: f.enum.values[0]?.name ?? 0 } : messageNode(f.message, path, depth);
      return { kind: "list", items: [item] };
    }
    case "map": {
      const value: TemplateNode = f.mapKind === "scalar" ? { kind: "value", json: scalarDefault(f.scalar) } : f.mapKind === "enum" ? { kind: "value", json: f.enum.values[0]?.name ?? 0 } : messageNode(f.message, path, depth);
      const key = f.mapKey === ScalarType.STRING ? "key" : f.mapKey === ScalarType.BOOL ? "true" : "0";
      return { kind: "object", entries: [{ key, node: value }] };
    }
  }
}

function scalarDefault(t: ScalarType): JsonValue {
  switch (t) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return "";
    case ScalarType.BOOL:
      return false;
    default:
      return 0;
  }
}

/** The JSON a well-known type's empty value takes, or undefined for other messages. */
function wellKnown(desc: DescMessage): JsonValue | undefined {
  switch (desc.typeName) {
    case "google.protobuf.Value":
      return null;
    case "google.protobuf.Struct":
      return {};
    case "google.protobuf.ListValue":
      return [];
    case "google.protobuf.Any":
      return { "@type": "" };
    case "google.protobuf.Timestamp":
    case "google.protobuf.Duration":
    case "google.protobuf.FieldMask":
    case "google.protobuf.Empty":
    case "google.protobuf.DoubleValue":
    case "google.protobuf.FloatValue":
    case "google.protobuf.Int64Value":
    case "google.protobuf.UInt64Value":
    case "google.protobuf.Int32Value":
    case "google.protobuf.UInt32Value":
    case "google.protobuf.BoolValue":
    case "google.protobuf.StringValue":
    case "google.protobuf.BytesValue":
      return toJson(desc, create(desc));
    default:
      return undefined;
  }
}
