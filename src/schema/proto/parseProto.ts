import { create, type DescMessage, type Message } from "@bufbuild/protobuf";
import {
  DescriptorProto_ExtensionRangeSchema,
  DescriptorProtoSchema,
  Edition,
  ExtensionRangeOptionsSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FieldOptionsSchema,
  FileDescriptorProtoSchema,
  FileOptionsSchema,
  MessageOptionsSchema,
  OneofDescriptorProtoSchema,
  OneofOptionsSchema,
  SymbolVisibility,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
  type ServiceDescriptorProto,
} from "@bufbuild/protobuf/wkt";
import type { Token } from "./tokenize";
import { protocDefault } from "./protoLiterals";
import { readOptionList, readRanges, readReserved } from "./readRanges";
import { applyOption, needsExtensions } from "./applyOption";
import type { WrittenOption } from "./WrittenOption";
import { attachSourceCodeInfo, type ElementNote } from "./sourceCodeInfoOf";
import type { ParseContext } from "./ParseContext";
import { parseEnum } from "./parseEnum";
import { parseService } from "./parseService";
import { jsonNameOf } from "./jsonNameOf";
import { SCALARS } from "./scalarTypes";
import { TokenCursor } from "./TokenCursor";

export { jsonNameOf };

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

/** An option whose name has an extension part: it is set once the imports are linked. */
export interface PendingOption {
  /** The options message it goes into, and that message's schema (FieldOptions, FileOptions, …). */
  options: Message;
  schema: DescMessage;
  /** The full name of the scope it is written in, for resolving extension names. */
  scope: string;
  option: WrittenOption;
}

/** A parsed .proto file: its descriptor with type names still unresolved, and its references. */
export interface ParsedProto {
  file: FileDescriptorProto;
  references: TypeReference[];
  /** Options naming extensions, to be set by the linker. */
  options: PendingOption[];
  /** Where each import statement is, for error messages. */
  imports: Array<{ name: string; line: number; column: number }>;
}


/**
 * Parses one .proto file (proto2, proto3, or editions 2023 and 2024) into a
 * FileDescriptorProto as protoc builds it. Throws ProtoSyntaxError with
 * file:line:column. Options are set in each element's options message;
 * those that name extensions wait in `options` for the linker. Extensions,
 * extension ranges and reserved ranges and names are kept; proto2 groups
 * become a nested message and a GROUP field.
 */
export function parseProto(source: string, fileName: string): ParsedProto {
  const file = create(FileDescriptorProtoSchema, { name: fileName });
  const references: TypeReference[] = [];
  const imports: ParsedProto["imports"] = [];
  const pending: PendingOption[] = [];
  let proto3 = false;
  let editions = false;

  const cursor = new TokenCursor(fileName, source);
  const { peek, fail, next, is, expect, ident, fullIdent, intValue, optionStatement } = cursor;

  // The comments around each element, for the file's source code info.
  const notes = new Map<object, ElementNote>();
  const note = (element: object, first: Token, last?: Token): void => {
    // A trailing comment is read with the token after it.
    if (last !== undefined) peek();
    const leading = first.leading ?? "";
    const trailing = last?.trailing ?? "";
    if (leading !== "" || trailing !== "") notes.set(element, { leading, trailing, line: first.line, column: first.column });
  };

  /** Sets a written option in `holder.options` now, or, when it names an extension, once linked. */
  const setOption = <T extends Message>(holder: { options?: T }, schema: DescMessage, scope: string, option: WrittenOption): void => {
    const options = (holder.options ??= create(schema) as T);
    if (needsExtensions(option)) pending.push({ options, schema, scope, option });
    else {
      try {
        applyOption(schema, options, option, {});
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e), { kind: "symbol", text: "", line: option.line, column: option.column, offset: 0, end: 0 });
      }
    }
  };

  const addRef = (ref: { text: string; at: Token }, scope: string, allowEnum: boolean, resolve: TypeReference["resolve"]): void => {
    references.push({ name: ref.text, scope, allowEnum, line: ref.at.line, column: ref.at.column, resolve });
  };

  const ctx: ParseContext = { cursor, setOption, note, addRef, isProto3: () => proto3 };
  const enumBody = (scope: string): EnumDescriptorProto => parseEnum(ctx, scope);
  const serviceBody = (scope: string): ServiceDescriptorProto => parseService(ctx, scope);

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

  /** A field's `[ … ]`: default and json_name go into the descriptor, the rest into its options. */
  const fieldOptions = (field: FieldDescriptorProto, scope: string): void => {
    for (const o of readOptionList(cursor)) {
      const [only, more] = o.parts;
      const pseudo = only !== undefined && more === undefined && !only.extension ? only.name : "";
      if ((pseudo === "default" || pseudo === "json_name") && o.value.kind === "aggregate") fail(`${pseudo} needs a constant value`, peek(-1));
      if (pseudo === "default" && o.value.kind !== "aggregate") field.defaultValue = protocDefault(field, o.value);
      else if (pseudo === "json_name" && o.value.kind !== "aggregate") field.jsonName = o.value.text;
      else setOption(field, FieldOptionsSchema, scope, o);
    }
  };

  const field = (msg: DescriptorProto, scope: string, oneofIndex?: number): void => {
    const first = peek();
    const before = msg.field.length;
    fieldBody(msg, scope, oneofIndex);
    const f = msg.field[before];
    if (f !== undefined) note(f, first, peek(-1));
  };

  const fieldBody = (msg: DescriptorProto, scope: string, oneofIndex?: number): void => {
    let label: FieldDescriptorProto_Label | undefined;
    let proto3Optional = false;
    if (is("repeated") || is("optional") || is("required")) {
      const l = next();
      if (oneofIndex !== undefined) fail(`fields in a oneof cannot be ${l.text}`, l);
      if (editions && l.text !== "repeated") fail(`"${l.text}" is not allowed in editions: fields have presence by default; set features.field_presence to change it`, l);
      if (l.text === "required" && proto3) fail("required fields are not allowed in proto3", l);
      if (l.text === "repeated") label = FieldDescriptorProto_Label.REPEATED;
      else if (l.text === "required") label = FieldDescriptorProto_Label.REQUIRED;
      else {
        label = FieldDescriptorProto_Label.OPTIONAL;
        proto3Optional = proto3;
      }
    } else if (!proto3 && !editions && oneofIndex === undefined && !is("map")) {
      fail("proto2 fields need a label: optional, required or repeated");
    }
    if (is("group")) {
      // A proto2 group: a nested message of that name, and a field of type GROUP named in lower case.
      const g = next();
      if (proto3 || editions) fail(`groups are not allowed in ${proto3 ? "proto3" : "editions: use a message field with features.message_encoding = DELIMITED"}`, g);
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
      fieldOptions(f, scope);
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
      fieldOptions(f, scope);
      expect(";");
      msg.field.push(f);
      return;
    }
    const typeRef = fullIdent("a field type");
    const name = ident("a field name");
    expect("=");
    const number = intValue("a field number");
    if (number < 1 || number > 536_870_911) fail(`field number ${number} is out of range`, name);
    // Set one by one: create() with an init object costs more, and files have many fields.
    const f = create(FieldDescriptorProtoSchema);
    f.name = name.text;
    f.jsonName = jsonNameOf(name.text);
    f.number = number;
    f.label = label ?? FieldDescriptorProto_Label.OPTIONAL;
    if (oneofIndex !== undefined) f.oneofIndex = oneofIndex;
    if (proto3Optional) f.proto3Optional = true;
    setType(f, typeRef, scope);
    fieldOptions(f, scope);
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

  const messageBody = (scope: string): DescriptorProto => {
    const first = expect("message");
    const name = ident("a message name");
    const open = peek();
    const msg = messageContents(name.text, scope === "" ? name.text : `${scope}.${name.text}`);
    note(msg, first, open);
    return msg;
  };

  /** A message's `{ … }`: its fields, oneofs, nested types and options. */
  const messageContents = (name: string, full: string): DescriptorProto => {
    const msg = create(DescriptorProtoSchema, { name });
    const synthetic: string[] = [];
    expect("{");
    while (!is("}")) {
      const visibility = symbolVisibility();
      if (is(";")) next();
      else if (is("option")) setOption(msg, MessageOptionsSchema, full, optionStatement());
      else if (is("message")) msg.nestedType.push(withVisibility(messageBody(full), visibility));
      else if (is("enum")) msg.enumType.push(withVisibility(enumBody(full), visibility));
      else if (is("extensions")) {
        next();
        const written: WrittenOption[] = [];
        for (const [start, end] of readRanges(cursor, false, written)) {
          const range = create(DescriptorProto_ExtensionRangeSchema, { start, end });
          for (const o of written) setOption(range, ExtensionRangeOptionsSchema, full, o);
          msg.extensionRange.push(range);
        }
      } else if (is("reserved")) readReserved(cursor, msg.reservedRange, msg.reservedName, false);
      else if (is("extend")) extendBlock(full, msg.extension, msg.nestedType);
      else if (is("oneof")) {
        const first = next();
        const o = ident("a oneof name");
        const index = msg.oneofDecl.length;
        const oneof = create(OneofDescriptorProtoSchema, { name: o.text });
        msg.oneofDecl.push(oneof);
        note(oneof, first, expect("{"));
        while (!is("}")) {
          if (is(";")) next();
          else if (is("option")) setOption(oneof, OneofOptionsSchema, full, optionStatement());
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
    // In a MessageSet, "max" is the largest int32, not the largest field number.
    if (msg.options?.messageSetWireFormat === true) {
      for (const r of [...msg.extensionRange, ...msg.reservedRange]) if (r.end === 536_870_912) r.end = 2_147_483_647;
    }
    // proto3 optional fields each get a synthetic oneof, after the real ones.
    for (const fieldName of synthetic) {
      const f = msg.field.find((x) => x.name === fieldName);
      if (f === undefined) continue;
      f.oneofIndex = msg.oneofDecl.length;
      msg.oneofDecl.push(create(OneofDescriptorProtoSchema, { name: `_${fieldName}` }));
    }
    return msg;
  };


  if (is("syntax")) {
    next();
    expect("=");
    const s = next();
    if (s.kind !== "string" || (s.text !== "proto2" && s.text !== "proto3")) fail(`syntax must be "proto2" or "proto3"`, s);
    proto3 = s.text === "proto3";
    expect(";");
  } else if (is("edition")) {
    next();
    expect("=");
    const s = next();
    const edition = s.kind === "string" ? EDITIONS[s.text] : undefined;
    if (edition === undefined) fail(`edition must be one of ${Object.keys(EDITIONS).map((k) => `"${k}"`).join(", ")}`, s);
    file.edition = edition as Edition;
    editions = true;
    expect(";");
  }
  if (proto3) file.syntax = "proto3";
  if (editions) file.syntax = "editions";
  while (!cursor.atEnd) {
    const visibility = symbolVisibility();
    if (is(";")) next();
    else if (is("package")) {
      next();
      file.package = fullIdent("a package name").text;
      expect(";");
    } else if (is("import")) {
      next();
      const kind = (is("public") || is("weak") || is("option")) && peek(1).kind === "string" ? next().text : "";
      const t = next();
      if (t.kind !== "string") fail("expected the imported file's name in quotes", t);
      if (kind === "public") file.publicDependency.push(file.dependency.length);
      if (kind === "weak") file.weakDependency.push(file.dependency.length);
      // `import option` (edition 2024) is read for its options only, so it is no dependency.
      if (kind === "option") file.optionDependency.push(t.text);
      else file.dependency.push(t.text);
      imports.push({ name: t.text, line: t.line, column: t.column });
      expect(";");
    } else if (is("option")) setOption(file, FileOptionsSchema, file.package, optionStatement());
    else if (is("message")) file.messageType.push(withVisibility(messageBody(file.package), visibility));
    else if (is("enum")) file.enumType.push(withVisibility(enumBody(file.package), visibility));
    else if (is("service")) file.service.push(serviceBody(file.package));
    else if (is("extend")) extendBlock(file.package, file.extension, file.messageType);
    else fail(`unexpected "${peek().text}": expected message, enum, service, import, package or option`);
  }
  // Source code info is made when first read (describe, discovery), not for every file a load parses.
  attachSourceCodeInfo(file, notes);
  return { file, references, imports, options: pending };

  /** `export` or `local` before a message or enum (edition 2024). */
  function symbolVisibility(): SymbolVisibility | undefined {
    if (!editions || !(is("export") || is("local")) || !(is("message", 1) || is("enum", 1))) return undefined;
    return next().text === "export" ? SymbolVisibility.VISIBILITY_EXPORT : SymbolVisibility.VISIBILITY_LOCAL;
  }
}

const EDITIONS: Record<string, Edition> = { "2023": Edition.EDITION_2023, "2024": Edition.EDITION_2024, "2026": Edition.EDITION_2026 };

function withVisibility<T extends { visibility: SymbolVisibility }>(element: T, visibility: SymbolVisibility | undefined): T {
  if (visibility !== undefined) element.visibility = visibility;
  return element;
}
