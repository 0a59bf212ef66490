import { create, getExtension, hasExtension, ScalarType, setExtension, toBinary, type DescEnum, type DescExtension, type DescField, type DescMessage, type Message, type Registry } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { mergeFromText } from "@bufbuild/protobuf/txtpb";
import { BinaryReader } from "@bufbuild/protobuf/wire";
import { parseProtoInt } from "./protoLiterals";
import { optionNameText, type OptionPart, type OptionValue, type WrittenOption } from "./WrittenOption";

/** What applyOption needs to reach extensions: a lookup of `(name)` parts, and a registry for Any and extensions in aggregates. */
export interface OptionContext {
  /** The extension a `(name)` part names, or undefined when none is known. */
  extension?: (name: string) => DescExtension | undefined;
  registry?: Registry;
  /** Extension values held decoded per options message (top level only), for flushOptions to encode. */
  held?: Map<Message, Map<DescExtension, unknown>> | undefined;
}

/** Whether an option's name has an extension part, so that it must wait until the imports are linked. */
export function needsExtensions(option: WrittenOption): boolean {
  return option.parts.some((p) => p.extension);
}

/**
 * Sets one written option in an options message, as protoc interprets it:
 * each name part a field or an extension of the message before it, the value
 * converted to the field's type, repeated fields appended, aggregates read
 * as text format and merged. Throws an Error that says what is wrong.
 */
export function applyOption(schema: DescMessage, options: Message, option: WrittenOption, ctx: OptionContext): void {
  if (ctx.held !== undefined && !ctx.held.has(options)) ctx.held.set(options, new Map());
  assign(reflect(schema, options), option.parts, option, ctx);
}

function assign(r: ReflectMessage, parts: readonly OptionPart[], option: WrittenOption, ctx: OptionContext): void {
  const [head, ...rest] = parts;
  if (head === undefined) return;
  if (!head.extension) {
    const field = r.fields.find((f) => f.name === head.name);
    if (field === undefined) throw new Error(`option "${optionNameText(option.parts)}" is unknown: ${r.desc.typeName} has no field "${head.name}"`);
    if (rest.length > 0) {
      if (field.fieldKind !== "message") throw new Error(`"${field.name}" is not a message, so "${optionNameText(rest)}" cannot be set in it`);
      const sub = r.get(field);
      assign(sub, rest, option, ctx);
      r.set(field, sub);
      return;
    }
    const el = elementKind(field);
    const existing = field.fieldKind === "message" && r.isSet(field) ? r.get(field).message : undefined;
    const v = elementOf(el, option.value, field.name, ctx, existing);
    const wrapped = el.kind === "message" ? reflect(el.desc, v as Message) : v;
    if (field.fieldKind === "list") {
      const list = r.get(field);
      list.add(wrapped);
      r.set(field, list);
    } else r.set(field, wrapped);
    return;
  }
  const ext = ctx.extension?.(head.name);
  if (ext === undefined) throw new Error(`option "${optionNameText(option.parts)}" is unknown: no extension "${head.name}" is defined in this file or its imports`);
  if (ext.extendee.typeName !== r.desc.typeName) throw new Error(`"${head.name}" extends ${ext.extendee.typeName}, not ${r.desc.typeName}`);
  // Extension values are kept decoded in `held` until flushOptions encodes them once each.
  const held = ctx.held?.get(r.message);
  const read = (): unknown => (held?.has(ext) === true ? held.get(ext) : hasExtension(r.message, ext) ? getExtension(r.message, ext) : undefined);
  const write = (value: unknown): void => {
    if (held !== undefined) held.set(ext, value);
    else setExtension(r.message, ext, value as never);
  };
  if (rest.length > 0) {
    if (ext.fieldKind !== "message") throw new Error(`"${head.name}" is not a message, so "${optionNameText(rest)}" cannot be set in it`);
    const sub = (read() as Message | undefined) ?? create(ext.message);
    assign(reflect(ext.message, sub), rest, option, { ...ctx, held: undefined });
    write(sub);
    return;
  }
  // A singular scalar or enum replaces what was there, so it need not be read.
  const current = ext.fieldKind === "list" || ext.fieldKind === "message" ? read() : undefined;
  const v = elementOf(elementKind(ext), option.value, head.name, ctx, ext.fieldKind === "message" ? (current as Message | undefined) : undefined);
  write(ext.fieldKind === "list" ? [...((current as unknown[] | undefined) ?? []), v] : v);
}

/** Encodes the extension values held for each options message into it, once each. */
export function flushOptions(held: ReadonlyMap<Message, ReadonlyMap<DescExtension, unknown>>): void {
  for (const [message, values] of held) for (const [ext, value] of values) encodeExtension(message, ext, value);
}

/**
 * What setExtension does, with the extension's one-field container message
 * made once per extension rather than once per value (a file of many
 * options spends most of its option time making containers otherwise).
 */
function encodeExtension(message: Message, ext: DescExtension, value: unknown): void {
  let container = containers.get(ext);
  if (container === undefined) {
    const field = { ...ext, kind: "field", parent: ext.extendee, localName: ext.typeName } as unknown as DescField;
    container = { ...ext.extendee, fields: [field], members: [field], oneofs: [] };
    containers.set(ext, container);
  }
  const bytes = toBinary(container, create(container, { [ext.typeName]: value }));
  const unknown = (message.$unknown ?? []).filter((u) => u.no !== ext.number);
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    unknown.push({ no, wireType, data: reader.skip(wireType, no) });
  }
  message.$unknown = unknown;
}

const containers = new WeakMap<DescExtension, DescMessage>();

/** What one value of a field or extension is: a scalar, an enum or a message (a list's element, for lists). */
type Element = { kind: "scalar"; scalar: ScalarType } | { kind: "enum"; desc: DescEnum } | { kind: "message"; desc: DescMessage };

function elementKind(f: DescField | DescExtension): Element {
  switch (f.fieldKind) {
    case "scalar":
      return { kind: "scalar", scalar: f.scalar };
    case "enum":
      return { kind: "enum", desc: f.enum };
    case "message":
      return { kind: "message", desc: f.message };
    case "list":
      if (f.listKind === "scalar") return { kind: "scalar", scalar: f.scalar };
      return f.listKind === "enum" ? { kind: "enum", desc: f.enum } : { kind: "message", desc: f.message };
    case "map":
      throw new Error(`map option "${f.name}" cannot be set with an option statement; set it in an aggregate value of the message that holds it`);
  }
}

function elementOf(el: Element, value: OptionValue, name: string, ctx: OptionContext, existing: Message | undefined): unknown {
  if (el.kind === "scalar") return scalarOf(el.scalar, value, name);
  if (el.kind === "enum") return enumOf(el.desc, value, name);
  return messageOf(el.desc, value, name, ctx, existing);
}

function messageOf(desc: DescMessage, value: OptionValue, name: string, ctx: OptionContext, existing: Message | undefined): Message {
  if (value.kind !== "aggregate") throw new Error(`option "${name}" is a message (${desc.typeName}): give it an aggregate value { … }`);
  const target = existing ?? create(desc);
  try {
    return mergeFromText(desc, target, value.text, ctx.registry === undefined ? {} : { registry: ctx.registry });
  } catch (e) {
    throw new Error(`the value of "${name}" does not read as ${desc.typeName}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function enumOf(desc: DescEnum, value: OptionValue, name: string): number {
  if (value.kind !== "ident" || value.negative) throw new Error(`option "${name}" is an enum (${desc.typeName}): give one of its value names`);
  const v = desc.values.find((x) => x.name === value.text);
  if (v === undefined) throw new Error(`${desc.typeName} has no value "${value.text}" (option "${name}")`);
  return v.number;
}

const INT_RANGES: Partial<Record<ScalarType, [bigint, bigint, boolean]>> = {
  [ScalarType.INT32]: [-(2n ** 31n), 2n ** 31n - 1n, false],
  [ScalarType.SINT32]: [-(2n ** 31n), 2n ** 31n - 1n, false],
  [ScalarType.SFIXED32]: [-(2n ** 31n), 2n ** 31n - 1n, false],
  [ScalarType.UINT32]: [0n, 2n ** 32n - 1n, false],
  [ScalarType.FIXED32]: [0n, 2n ** 32n - 1n, false],
  [ScalarType.INT64]: [-(2n ** 63n), 2n ** 63n - 1n, true],
  [ScalarType.SINT64]: [-(2n ** 63n), 2n ** 63n - 1n, true],
  [ScalarType.SFIXED64]: [-(2n ** 63n), 2n ** 63n - 1n, true],
  [ScalarType.UINT64]: [0n, 2n ** 64n - 1n, true],
  [ScalarType.FIXED64]: [0n, 2n ** 64n - 1n, true],
};

function scalarOf(type: ScalarType, value: OptionValue, name: string): number | bigint | string | boolean | Uint8Array {
  if (value.kind === "aggregate") throw new Error(`option "${name}" is a scalar: an aggregate value { … } does not fit it`);
  const wrong = (what: string): never => {
    throw new Error(`option "${name}" needs ${what}, not ${value.kind === "string" ? `"${value.text}"` : `${value.negative ? "-" : ""}${value.text}`}`);
  };
  switch (type) {
    case ScalarType.BOOL:
      if (value.kind !== "ident" || value.negative || (value.text !== "true" && value.text !== "false")) return wrong("true or false");
      return value.text === "true";
    case ScalarType.STRING:
      return value.kind === "string" ? value.text : wrong("a string");
    case ScalarType.BYTES:
      return value.kind === "string" && value.bytes !== null ? value.bytes : wrong("a string");
    case ScalarType.DOUBLE:
    case ScalarType.FLOAT: {
      let n: number;
      if (value.kind === "ident" && (value.text === "inf" || value.text === "nan")) n = value.text === "inf" ? Infinity : NaN;
      else if (value.kind === "number") {
        const int = parseProtoInt(value.text);
        n = int === null ? Number(value.text) : Number(int);
      }
      else return wrong("a number");
      return value.negative ? -n : n;
    }
    default: {
      const range = INT_RANGES[type];
      const parsed = value.kind === "number" ? parseProtoInt(value.text) : undefined;
      if (range === undefined || parsed === undefined || parsed === null) return wrong("an integer");
      const n = value.negative ? -parsed : parsed;
      if (n < range[0] || n > range[1]) throw new Error(`option "${name}": ${n} is out of range for ${ScalarType[type].toLowerCase()}`);
      return range[2] ? n : Number(n);
    }
  }
}
