import { isFieldSet, ScalarType, type AnyDesc, type DescEnum, type DescField, type DescMessage, type DescMethod, type DescService, type Registry } from "@bufbuild/protobuf";
import { Edition, FieldDescriptorProto_Label, FieldDescriptorProtoSchema } from "@bufbuild/protobuf/wkt";
import { commentsOf } from "./commentsOf";

/**
 * A service, method, message or enum as `.proto` text, as `grpcurl describe`
 * prints it: a first line saying what the symbol is, then its declaration
 * with full type names and the schema's comments. Undefined when the registry
 * does not know the symbol.
 */
export function describeSymbol(registry: Registry, symbol: string): string | undefined {
  const name = symbol.replace(/^\./, "").replace("/", ".");
  const desc = registry.get(name) ?? methodOf(registry, name);
  if (desc === undefined) return undefined;
  return `${name} is ${article(desc)}:\n${declaration(desc)}`;
}

/** A declaration as `.proto` text, without the "is a …" line. */
export function declaration(desc: DescService | DescMethod | DescMessage | DescEnum | AnyDesc): string {
  const lines: string[] = [];
  switch (desc.kind) {
    case "service":
      service(desc, "", lines);
      break;
    case "rpc":
      method(desc, "", lines);
      break;
    case "message":
      message(desc, "", lines);
      break;
    case "enum":
      enumeration(desc, "", lines);
      break;
    default:
      lines.push(`// ${desc.toString()}`);
  }
  return `${lines.join("\n")}\n`;
}

function methodOf(registry: Registry, name: string): DescMethod | undefined {
  const dot = name.lastIndexOf(".");
  return registry.getService(name.slice(0, dot))?.methods.find((m) => m.name === name.slice(dot + 1));
}

function article(desc: AnyDesc): string {
  switch (desc.kind) {
    case "service":
      return "a service";
    case "rpc":
      return "a method";
    case "message":
      return "a message";
    case "enum":
      return "an enum";
    case "extension":
      return "an extension";
    default:
      return `a ${desc.kind}`;
  }
}

function comment(desc: AnyDesc, indent: string, lines: string[]): void {
  const text = commentsOf(desc).leading.replace(/\n$/, "");
  if (text === "") return;
  for (const l of text.split("\n")) lines.push(`${indent}//${l === "" || l.startsWith(" ") ? l : ` ${l}`}`);
}

function service(desc: DescService, indent: string, lines: string[]): void {
  comment(desc, indent, lines);
  lines.push(`${indent}service ${desc.name} {`);
  for (const m of desc.methods) method(m, `${indent}  `, lines);
  lines.push(`${indent}}`);
}

function method(desc: DescMethod, indent: string, lines: string[]): void {
  comment(desc, indent, lines);
  const stream = (yes: boolean): string => (yes ? "stream " : "");
  const client = desc.methodKind === "client_streaming" || desc.methodKind === "bidi_streaming";
  const server = desc.methodKind === "server_streaming" || desc.methodKind === "bidi_streaming";
  lines.push(`${indent}rpc ${desc.name}(${stream(client)}.${desc.input.typeName}) returns (${stream(server)}.${desc.output.typeName});`);
}

function message(desc: DescMessage, indent: string, lines: string[]): void {
  comment(desc, indent, lines);
  lines.push(`${indent}message ${desc.name} {`);
  const inner = `${indent}  `;
  const done = new Set<DescField>();
  for (const member of desc.members) {
    if (member.kind === "field") {
      if (!done.has(member)) field(member, inner, lines);
      continue;
    }
    // A proto3 optional field's oneof is synthetic: the field shows as optional instead.
    if (member.fields.every((f) => f.proto.proto3Optional)) {
      member.fields.forEach((f) => field(f, inner, lines));
    } else {
      comment(member, inner, lines);
      lines.push(`${inner}oneof ${member.name} {`);
      for (const f of member.fields) field(f, `${inner}  `, lines, true);
      lines.push(`${inner}}`);
    }
    member.fields.forEach((f) => done.add(f));
  }
  for (const nested of desc.nestedMessages) if (nested.proto.options?.mapEntry !== true) message(nested, inner, lines);
  for (const e of desc.nestedEnums) enumeration(e, inner, lines);
  lines.push(`${indent}}`);
}

function field(f: DescField, indent: string, lines: string[], inOneof = false): void {
  comment(f, indent, lines);
  const options: string[] = [];
  if (isFieldSet(f.proto, FieldDescriptorProtoSchema.field.defaultValue)) options.push(`default = ${f.fieldKind === "scalar" && f.scalar === ScalarType.STRING ? JSON.stringify(f.proto.defaultValue) : f.proto.defaultValue}`);
  if (f.deprecated) options.push("deprecated = true");
  const opts = options.length === 0 ? "" : ` [${options.join(", ")}]`;
  lines.push(`${indent}${label(f, inOneof)}${typeOf(f)} ${f.name} = ${f.number}${opts};`);
}

function label(f: DescField, inOneof: boolean): string {
  if (f.fieldKind === "list") return "repeated ";
  if (f.fieldKind === "map" || inOneof) return "";
  if (f.proto.label === FieldDescriptorProto_Label.REQUIRED) return "required ";
  if (f.proto.proto3Optional) return "optional ";
  return f.parent.file.edition === Edition.EDITION_PROTO2 ? "optional " : "";
}

function typeOf(f: DescField): string {
  switch (f.fieldKind) {
    case "scalar":
      return scalarName(f.scalar);
    case "enum":
      return `.${f.enum.typeName}`;
    case "message":
      return `.${f.message.typeName}`;
    case "list":
      return f.listKind === "scalar" ? scalarName(f.scalar) : `.${f.listKind === "enum" ? f.enum.typeName : f.message.typeName}`;
    case "map": {
      const value = f.mapKind === "scalar" ? scalarName(f.scalar) : `.${f.mapKind === "enum" ? f.enum.typeName : f.message.typeName}`;
      return `map<${scalarName(f.mapKey)}, ${value}>`;
    }
  }
}

function scalarName(t: ScalarType): string {
  return ScalarType[t].toLowerCase();
}

function enumeration(desc: DescEnum, indent: string, lines: string[]): void {
  comment(desc, indent, lines);
  lines.push(`${indent}enum ${desc.name} {`);
  for (const v of desc.values) {
    comment(v, `${indent}  `, lines);
    lines.push(`${indent}  ${v.name} = ${v.number};`);
  }
  lines.push(`${indent}}`);
}
