import { create } from "@bufbuild/protobuf";
import {
  DescriptorProto_ExtensionRangeSchema,
  DescriptorProtoSchema,
  EnumDescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FileDescriptorProtoSchema,
  MethodDescriptorProtoSchema,
  OneofDescriptorProtoSchema,
  ServiceDescriptorProtoSchema,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
  type MethodDescriptorProto,
  type ServiceDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import { tokenize, type Token } from "./tokenize";
import { protocDefault } from "./protoLiterals";
import { readRanges, readReserved } from "./readRanges";
import { SCALARS } from "./scalarTypes";
import { TokenCursor } from "./TokenCursor";

/** A type name written in a file, to be resolved once every file is parsed. */
export interface TypeReference {
  /** Sets the resolved name (and, for fields, whether it is a message or an enum). */
  resolve: (fullName: string, kind: "message" | "enum") => void;
  name: string;
  /** The full name of the scope the reference appears in. */
  scope: string;
  /** Whether an enum is acceptable (fields) or only a message (methods). */
  allowEnum: boolean;
  line: number;
  column: number;
}

/** A parsed .proto file: its descriptor with type names still unresolved, and its references. */
export interface ParsedProto {
  file: FileDescriptorProto;
  references: TypeReference[];
  /** Where each import statement is, for error messages. */
  imports: Array<{ name: string; line: number; column: number }>;
}


/**
 * Parses one .proto file (proto2 or proto3) into a FileDescriptorProto.
 * Throws ProtoSyntaxError with file:line:column. Options other than packed,
 * deprecated, json_name and default are read and ignored. Extensions, extension
 * ranges and reserved ranges and names are kept; proto2 groups become a nested
 * message and a GROUP field.
 */
export function parseProto(source: string, fileName: string): ParsedProto {
  const tokens = tokenize(source, fileName);
  const file = create(FileDescriptorProtoSchema, { name: fileName });
  const references: TypeReference[] = [];
  const imports: ParsedProto["imports"] = [];
  let proto3 = false;

  const cursor = new TokenCursor(tokens, fileName);
  const { peek, fail, next, is, expect, ident, fullIdent, intValue, constant, constantValue, optionName, optionStatement } = cursor;

  const addRef = (ref: { text: string; at: Token }, scope: string, allowEnum: boolean, resolve: TypeReference["resolve"]): void => {
    references.push({ name: ref.text, scope, allowEnum, line: ref.at.line, column: ref.at.column, resolve });
  };

  /** `extend Target { fields }`: extension fields of the scope, their extendee resolved like a type name. */
  const extendBlock = (scope: string, into: FieldDescriptorProto[], nestedInto: DescriptorProto[]): void => {
    expect("extend");
    const target = fullIdent("a message name");
    const holder = create(DescriptorProtoSchema, { name: "" });
    expect("{");
    while (!is("}")) {
      if (is(";")) next();
      else field(holder, scope);
    }
    expect("}");
    for (const f of holder.field) {
      addRef(target, scope, false, (full) => {
        f.extendee = `.${full}`;
      });
      into.push(f);
    }
    // A group extension's message belongs to the scope.
    nestedInto.push(...holder.nestedType);
  };

  const fieldOptions = (field: FieldDescriptorProto): void => {
    if (!is("[")) return;
    next();
    for (;;) {
      const name = optionName();
      expect("=");
      if (name === "default") {
        field.defaultValue = protocDefault(field, constantValue());
      } else {
        const value = constant();
        if (name === "packed") field.options = { ...(field.options ?? {}), packed: value === "true" } as FieldDescriptorProto["options"];
        else if (name === "deprecated") field.options = { ...(field.options ?? {}), deprecated: value === "true" } as FieldDescriptorProto["options"];
        else if (name === "json_name") field.jsonName = value;
      }
      if (is(",")) {
        next();
        continue;
      }
      break;
    }
    expect("]");
  };

  const field = (msg: DescriptorProto, scope: string, oneofIndex?: number): void => {
    let label: FieldDescriptorProto_Label | undefined;
    let proto3Optional = false;
    if (is("repeated") || is("optional") || is("required")) {
      const l = next();
      if (oneofIndex !== undefined) fail(`fields in a oneof cannot be ${l.text}`, l);
      if (l.text === "required" && proto3) fail("required fields are not allowed in proto3", l);
      if (l.text === "repeated") label = FieldDescriptorProto_Label.REPEATED;
      else if (l.text === "required") label = FieldDescriptorProto_Label.REQUIRED;
      else {
        label = FieldDescriptorProto_Label.OPTIONAL;
        proto3Optional = proto3;
      }
    } else if (!proto3 && oneofIndex === undefined && !is("map")) {
      fail("proto2 fields need a label: optional, required or repeated");
    }
    if (is("group")) {
      // A proto2 group: a nested message of that name, and a field of type GROUP named in lower case.
      const g = next();
      if (proto3) fail("groups are not allowed in proto3", g);
      const groupName = ident("a group name");
      expect("=");
      const number = intValue("a field number");
      const fieldName = groupName.text.toLowerCase();
      const f = create(FieldDescriptorProtoSchema, {
        name: fieldName,
        jsonName: jsonNameOf(fieldName),
        number,
        label: label ?? FieldDescriptorProto_Label.OPTIONAL,
        type: FieldDescriptorProto_Type.GROUP,
        typeName: `.${scope}.${groupName.text}`,
        ...(oneofIndex === undefined ? {} : { oneofIndex }),
      });
      fieldOptions(f);
      msg.nestedType.push(messageContents(groupName.text, `${scope}.${groupName.text}`));
      if (msg.field.some((x) => x.number === number)) fail(`field number ${number} is used twice in ${msg.name}`, groupName);
      msg.field.push(f);
      return;
    }
    if (is("map") && is("<", 1)) {
      next();
      next();
      const keyT = ident("a map key type");
      const keyType = SCALARS[keyT.text];
      if (keyType === undefined || keyType === FieldDescriptorProto_Type.DOUBLE || keyType === FieldDescriptorProto_Type.FLOAT || keyType === FieldDescriptorProto_Type.BYTES) {
        fail(`"${keyT.text}" cannot be a map key type`, keyT);
      }
      expect(",");
      const valueRef = fullIdent("a map value type");
      expect(">");
      const name = ident("a field name");
      expect("=");
      const number = intValue("a field number");
      const entryName = `${name.text.split("_").map((p) => (p === "" ? "" : p[0]?.toUpperCase() + p.slice(1))).join("")}Entry`;
      const entry = create(DescriptorProtoSchema, { name: entryName, options: { mapEntry: true } });
      entry.field.push(create(FieldDescriptorProtoSchema, { name: "key", number: 1, label: FieldDescriptorProto_Label.OPTIONAL, type: keyType, jsonName: "key" }));
      const value = create(FieldDescriptorProtoSchema, { name: "value", number: 2, label: FieldDescriptorProto_Label.OPTIONAL, jsonName: "value" });
      setType(value, valueRef, `${scope}.${entryName}`);
      entry.field.push(value);
      msg.nestedType.push(entry);
      const f = create(FieldDescriptorProtoSchema, {
        name: name.text,
        jsonName: jsonNameOf(name.text),
        number,
        label: FieldDescriptorProto_Label.REPEATED,
        type: FieldDescriptorProto_Type.MESSAGE,
        typeName: `.${scope}.${entryName}`,
      });
      fieldOptions(f);
      expect(";");
      msg.field.push(f);
      return;
    }
    const typeRef = fullIdent("a field type");
    const name = ident("a field name");
    expect("=");
    const number = intValue("a field number");
    if (number < 1 || number > 536_870_911) fail(`field number ${number} is out of range`, name);
    const f = create(FieldDescriptorProtoSchema, {
      name: name.text,
      jsonName: jsonNameOf(name.text),
      number,
      label: label ?? FieldDescriptorProto_Label.OPTIONAL,
      ...(oneofIndex === undefined ? {} : { oneofIndex }),
      ...(proto3Optional ? { proto3Optional: true } : {}),
    });
    setType(f, typeRef, scope);
    fieldOptions(f);
    expect(";");
    if (msg.field.some((x) => x.number === number)) fail(`field number ${number} is used twice in ${msg.name}`, name);
    msg.field.push(f);
  };

  const setType = (f: FieldDescriptorProto, typeRef: { text: string; at: Token }, scope: string): void => {
    const scalar = SCALARS[typeRef.text];
    if (scalar !== undefined) {
      f.type = scalar;
      return;
    }
    addRef(typeRef, scope, true, (full, kind) => {
      f.typeName = `.${full}`;
      f.type = kind === "enum" ? FieldDescriptorProto_Type.ENUM : FieldDescriptorProto_Type.MESSAGE;
    });
  };

  const enumBody = (scope: string): EnumDescriptorProto => {
    expect("enum");
    const name = ident("an enum name");
    const e = create(EnumDescriptorProtoSchema, { name: name.text });
    expect("{");
    while (!is("}")) {
      if (is(";")) next();
      else if (is("option")) optionStatement();
      else if (is("reserved")) readReserved(cursor, e.reservedRange, e.reservedName, true);
      else {
        const v = ident("an enum value name");
        expect("=");
        const number = intValue("an enum value number");
        if (is("[")) {
          next();
          while (!is("]")) next();
          next();
        }
        expect(";");
        e.value.push({ $typeName: "google.protobuf.EnumValueDescriptorProto", name: v.text, number });
      }
    }
    expect("}");
    if (proto3 && e.value[0]?.number !== 0) fail(`the first value of enum ${name.text} must be 0 in proto3`, name);
    void scope;
    return e;
  };

  const messageBody = (scope: string): DescriptorProto => {
    expect("message");
    const name = ident("a message name");
    return messageContents(name.text, scope === "" ? name.text : `${scope}.${name.text}`);
  };

  /** A message's `{ … }`: its fields, oneofs, nested types and options. */
  const messageContents = (name: string, full: string): DescriptorProto => {
    const msg = create(DescriptorProtoSchema, { name });
    const synthetic: string[] = [];
    expect("{");
    while (!is("}")) {
      if (is(";")) next();
      else if (is("option")) optionStatement();
      else if (is("message")) msg.nestedType.push(messageBody(full));
      else if (is("enum")) msg.enumType.push(enumBody(full));
      else if (is("extensions")) {
        next();
        for (const [start, end] of readRanges(cursor, false)) msg.extensionRange.push(create(DescriptorProto_ExtensionRangeSchema, { start, end }));
      } else if (is("reserved")) readReserved(cursor, msg.reservedRange, msg.reservedName, false);
      else if (is("extend")) extendBlock(full, msg.extension, msg.nestedType);
      else if (is("oneof")) {
        next();
        const o = ident("a oneof name");
        const index = msg.oneofDecl.length;
        msg.oneofDecl.push(create(OneofDescriptorProtoSchema, { name: o.text }));
        expect("{");
        while (!is("}")) {
          if (is(";")) next();
          else if (is("option")) optionStatement();
          else field(msg, full, index);
        }
        expect("}");
      } else {
        const before = msg.field.length;
        field(msg, full);
        const f = msg.field[before];
        if (f?.proto3Optional === true) synthetic.push(f.name);
      }
    }
    expect("}");
    // proto3 optional fields each get a synthetic oneof, after the real ones.
    for (const fieldName of synthetic) {
      const f = msg.field.find((x) => x.name === fieldName);
      if (f === undefined) continue;
      f.oneofIndex = msg.oneofDecl.length;
      msg.oneofDecl.push(create(OneofDescriptorProtoSchema, { name: `_${fieldName}` }));
    }
    return msg;
  };

  const serviceBody = (scope: string): ServiceDescriptorProto => {
    expect("service");
    const name = ident("a service name");
    const svc = create(ServiceDescriptorProtoSchema, { name: name.text });
    expect("{");
    while (!is("}")) {
      if (is(";")) next();
      else if (is("option")) optionStatement();
      else {
        expect("rpc");
        const m: MethodDescriptorProto = create(MethodDescriptorProtoSchema, { name: ident("a method name").text });
        expect("(");
        if (is("stream") && (peek(1).kind === "ident" || is(".", 1))) {
          next();
          m.clientStreaming = true;
        }
        const input = fullIdent("a request type");
        expect(")");
        expect("returns");
        expect("(");
        if (is("stream") && (peek(1).kind === "ident" || is(".", 1))) {
          next();
          m.serverStreaming = true;
        }
        const output = fullIdent("a response type");
        expect(")");
        addRef(input, scope, false, (full) => (m.inputType = `.${full}`));
        addRef(output, scope, false, (full) => (m.outputType = `.${full}`));
        if (is("{")) {
          next();
          while (!is("}")) {
            if (is(";")) next();
            else optionStatement();
          }
          expect("}");
        } else {
          expect(";");
        }
        svc.method.push(m);
      }
    }
    expect("}");
    return svc;
  };

  if (is("syntax")) {
    next();
    expect("=");
    const s = next();
    if (s.kind !== "string" || (s.text !== "proto2" && s.text !== "proto3")) fail(`syntax must be "proto2" or "proto3"`, s);
    proto3 = s.text === "proto3";
    expect(";");
  } else if (is("edition")) {
    fail("editions are not supported yet: use syntax = \"proto3\" or \"proto2\"");
  }
  if (proto3) file.syntax = "proto3";
  while (!cursor.atEnd) {
    if (is(";")) next();
    else if (is("package")) {
      next();
      file.package = fullIdent("a package name").text;
      expect(";");
    } else if (is("import")) {
      next();
      const kind = is("public") || is("weak") ? next().text : "";
      const t = next();
      if (t.kind !== "string") fail("expected the imported file's name in quotes", t);
      if (kind === "public") file.publicDependency.push(file.dependency.length);
      if (kind === "weak") file.weakDependency.push(file.dependency.length);
      file.dependency.push(t.text);
      imports.push({ name: t.text, line: t.line, column: t.column });
      expect(";");
    } else if (is("option")) optionStatement();
    else if (is("message")) file.messageType.push(messageBody(file.package));
    else if (is("enum")) file.enumType.push(enumBody(file.package));
    else if (is("service")) file.service.push(serviceBody(file.package));
    else if (is("extend")) extendBlock(file.package, file.extension, file.messageType);
    else fail(`unexpected "${peek().text}": expected message, enum, service, import, package or option`);
  }
  return { file, references, imports };
}

/** The JSON name protoc gives a field: underscores dropped, the letter after each upper-cased. */
export function jsonNameOf(name: string): string {
  let out = "";
  let upper = false;
  for (const c of name) {
    if (c === "_") upper = true;
    else {
      out += upper ? c.toUpperCase() : c;
      upper = false;
    }
  }
  return out;
}
