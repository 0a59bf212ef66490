// Literals as protoc reads them, checked against buf: string and bytes defaults with every kind of
// escape, hex and octal integers, floats, inf and nan; and import public / weak.
import { parseProto } from "../../../src/schema/proto/parseProto";
import { cEscape, formatProtoFloat, parseProtoInt, unescapeProtoString } from "../../../src/schema/proto/protoLiterals";
import { protoRegistry } from "../../../src/schema/protoRegistry";
import { bufCompile } from "../../support/buf";

const FIELDS: Array<[string, string, string]> = [
  ["string", "s1", String.raw`"a\nb\x41\101\"q\'\\\t"`],
  ["string", "s2", String.raw`"caf\u00e9 \U0001F600 ü"`],
  ["string", "s3", String.raw`"joined " 'strings'`],
  ["bytes", "b1", String.raw`"\000\x01z\377\n\"\\ "`],
  ["bytes", "b2", String.raw`"ü€\x7f"`],
  ["int32", "i1", "0x10"],
  ["int32", "i2", "010"],
  ["int32", "i3", "-0x7f"],
  ["int64", "i4", "-9223372036854775808"],
  ["uint64", "i5", "0xFFFFFFFFFFFFFFFF"],
  ["sint32", "i6", "0"],
  ["double", "d1", "1e3"],
  ["double", "d2", "0.1"],
  ["double", "d3", "-inf"],
  ["double", "d4", "nan"],
  ["double", "d5", "1e30"],
  ["double", "d6", "123456789.123456789"],
  ["float", "f1", "0.1"],
  ["float", "f2", "1e7"],
  ["float", "f3", "inf"],
  ["float", "f4", "3.14159265"],
  ["bool", "t1", "true"],
];

const SOURCE = [
  'syntax = "proto2";',
  "package lit;",
  'import public "pub.proto";',
  'import weak "weak.proto";',
  'import "plain.proto";',
  "message M {",
  ...FIELDS.map(([type, name, value], i) => `  optional ${type} ${name} = ${i + 1} [default = ${value}];`),
  "}",
].join("\n");
const DEPS = { "pub.proto": 'syntax = "proto2"; package lit; message P {}', "weak.proto": 'syntax = "proto2"; package lit; message W {}', "plain.proto": 'syntax = "proto2"; package lit; message X {}' };

const buf = bufCompile({ "lit.proto": SOURCE, ...DEPS }).get("lit.proto");
const ours = parseProto(SOURCE, "lit.proto").file;

/**
 * Where buf and protoc write a floating default differently. protoc formats with SimpleDtoa and
 * SimpleFtoa (the shortest of %.15g and %.17g, or %.6g and %.9g, that reads back the same); buf
 * formats the value as a double with Go's shortest 'g', which puts a large number in exponent form
 * and a float in its double digits. We follow protoc, whose descriptors are the reference.
 */
const PROTOC_ONLY: Record<string, string> = { d6: "123456789.12345679", f1: "0.1", f4: "3.14159274" };

test.each(FIELDS.map(([type, name, value], i) => [name, type, value, i] as const))("%s (%s %s) has the default protoc gives it", (name, _type, _value, i) => {
  const expected = PROTOC_ONLY[name] ?? buf?.messageType[0]?.field[i]?.defaultValue;
  expect(ours.messageType[0]?.field[i]?.defaultValue).toBe(expected);
});

test("buf differs from protoc only where said", () => {
  const differs = FIELDS.filter((_, i) => ours.messageType[0]?.field[i]?.defaultValue !== buf?.messageType[0]?.field[i]?.defaultValue).map(([, name]) => name);
  expect(differs).toEqual(Object.keys(PROTOC_ONLY));
});

test("import public and import weak are recorded as protoc records them", () => {
  expect([ours.dependency, ours.publicDependency, ours.weakDependency]).toEqual([buf?.dependency, buf?.publicDependency, buf?.weakDependency]);
  expect(ours.publicDependency).toEqual([0]);
  expect(ours.weakDependency).toEqual([1]);
});

test.each([
  ["0x10", 16n],
  ["010", 8n],
  ["0", 0n],
  ["18446744073709551615", 18446744073709551615n],
  ["1.5", null],
])("parseProtoInt(%s) is %s", (text, n) => {
  expect(parseProtoInt(text)).toBe(n);
});

test("escapes decode to bytes, and bytes C-escape back", () => {
  expect([...unescapeProtoString(String.raw`\a\b\f\v\?\x4\x41x\7\77\101\u00e9`)]).toEqual([7, 8, 12, 11, 63, 4, 0x41, 0x78, 7, 0o77, 0o101, 0xc3, 0xa9]);
  expect(cEscape(Uint8Array.from([0, 10, 13, 9, 34, 39, 92, 65, 127, 255]))).toBe(String.raw`\000\n\r\t\"\'\\A\177\377`);
  expect([formatProtoFloat(1e21, false), formatProtoFloat(1e-5, false), formatProtoFloat(-0, false), formatProtoFloat(100, true)]).toEqual(["1e+21", "1e-05", "-0", "100"]);
});

test("extension option names in any part, and aggregate values with Any type URLs, parse as buf parses them", () => {
  // proto2, as message extensions need extension ranges.
  const rules = [
    'syntax = "proto2";',
    "package rules;",
    'import "google/protobuf/descriptor.proto";',
    'import "google/protobuf/any.proto";',
    "message Float { optional float gt = 1; extensions 100 to 200; }",
    "message Rules { optional Float float = 1; optional google.protobuf.Any extra = 2; }",
    "extend google.protobuf.FieldOptions { optional Rules rules = 50001; }",
    "extend Float { optional int32 ext_name = 100; }",
  ].join("\n");
  const user = [
    'syntax = "proto3";',
    "package user;",
    'import "rules.proto";',
    "message Reading {",
    "  float value = 1 [(rules.rules).float.(rules.ext_name) = 5, (rules.rules).float.gt = 0.5];",
    "  string note = 2 [(rules.rules) = { extra: { [type.googleapis.com/rules.Float] { gt: 1 } } }];",
    "}",
  ].join("\n");
  const compiled = bufCompile({ "rules.proto": rules, "user.proto": user }).get("user.proto");
  const parsed = parseProto(user, "user.proto").file;
  expect(parsed.messageType.map((m) => [m.name, m.field.map((f) => [f.name, f.number, f.type])])).toEqual(compiled?.messageType.map((m) => [m.name, m.field.map((f) => [f.name, f.number, f.type])]));
});

test("proto2 groups become a nested message and a GROUP field, as buf compiles them", () => {
  const source = [
    'syntax = "proto2";',
    "package g;",
    "message Search {",
    "  repeated group Result = 1 {",
    "    required string url = 2;",
    "    optional group Inner = 3 { optional int32 n = 4; }",
    "  }",
    "  oneof pick { group Choice = 5 { optional bool yes = 6; } }",
    "  optional int32 after = 7;",
    "}",
  ].join("\n");
  const compiled = bufCompile({ "g.proto": source }).get("g.proto");
  const parsed = parseProto(source, "g.proto").file;
  const shape = (m: { name?: string; field: Array<{ name?: string; number?: number; type?: number; typeName?: string; label?: number; oneofIndex?: number; jsonName?: string }>; nestedType: unknown[] }): unknown => ({
    name: m.name,
    fields: m.field.map((f) => [f.name, f.number, f.type, f.typeName ?? "", f.label, f.oneofIndex ?? null, f.jsonName]),
    nested: (m.nestedType as Array<Parameters<typeof shape>[0]>).map(shape),
  });
  expect(parsed.messageType.map(shape)).toEqual(compiled?.messageType.map(shape));
});

test("extend blocks, extension ranges and reserved ranges and names are kept as buf compiles them", () => {
  const source = [
    'syntax = "proto2";',
    "package x;",
    'import "google/protobuf/descriptor.proto";',
    "message Base {",
    "  optional int32 id = 1;",
    "  extensions 100 to 199, 500, 1000 to max;",
    "  reserved 2, 9 to 11;",
    '  reserved "old", "older";',
    "  extend Base { optional string nested_ext = 150; }",
    "}",
    "enum Color { RED = 0; reserved 5, 8 to 10, 40 to max; reserved \"BLUE\"; }",
    "message Rules { optional int32 min = 1; }",
    "extend Base {",
    "  optional Rules rules = 100;",
    "  repeated Color colors = 101;",
    "}",
    "extend google.protobuf.FieldOptions { optional Rules field_rules = 50001; }",
  ].join("\n");
  const compiled = bufCompile({ "x.proto": source }).get("x.proto");
  const { references, file } = parseProto(source, "x.proto");
  // Resolve names the way the loader does: here every name is in this file.
  const names = new Map([["x.Base", "message"], ["x.Rules", "message"], ["x.Color", "enum"], ["google.protobuf.FieldOptions", "message"]] as const);
  for (const r of references) {
    const full = [`${r.scope}.${r.name}`, `x.${r.name}`, r.name.replace(/^\./, "")].find((n) => names.has(n as never)) ?? r.name;
    r.resolve(full, names.get(full as never) ?? "message");
  }
  const ext = (fs: Array<{ name?: string; number?: number; label?: number; type?: number; typeName?: string; extendee?: string; jsonName?: string }>) => fs.map((f) => [f.name, f.number, f.label, f.type, f.typeName ?? "", f.extendee, f.jsonName]);
  expect(ext(file.extension)).toEqual(ext(compiled?.extension ?? []));
  const base = (fd: typeof file | undefined) => fd?.messageType[0];
  expect(ext(base(file)?.extension ?? [])).toEqual(ext(base(compiled)?.extension ?? []));
  const ranges = (rs: Array<{ start?: number; end?: number }> | undefined) => (rs ?? []).map((r) => [r.start, r.end]);
  expect(ranges(base(file)?.extensionRange)).toEqual(ranges(base(compiled)?.extensionRange));
  expect(ranges(base(file)?.reservedRange)).toEqual(ranges(base(compiled)?.reservedRange));
  expect(base(file)?.reservedName).toEqual(base(compiled)?.reservedName);
  expect(ranges(file.enumType[0]?.reservedRange)).toEqual(ranges(compiled?.enumType[0]?.reservedRange));
  expect(file.enumType[0]?.reservedName).toEqual(compiled?.enumType[0]?.reservedName);
});

test("a file that defines custom options and extensions loads into a registry that knows them", async () => {
  const files: Record<string, string> = {
    "opts/v1/opts.proto": ['syntax = "proto3";', "package opts.v1;", 'import "google/protobuf/descriptor.proto";', "message Rule { int32 min = 1; }", "extend google.protobuf.FieldOptions { Rule rule = 50001; }"].join("\n"),
    "api/v1/api.proto": ['syntax = "proto3";', "package api.v1;", 'import "opts/v1/opts.proto";', "message Req { int32 n = 1 [(opts.v1.rule).min = 3]; }", "service S { rpc M(Req) returns (Req); }"].join("\n"),
  };
  const read = (p: string): Promise<Uint8Array> => (files[p] === undefined ? Promise.reject(new Error(`no ${p}`)) : Promise.resolve(new TextEncoder().encode(files[p])));
  const registry = await protoRegistry("api/v1/api.proto", [], read);
  const ext = registry.getExtension("opts.v1.rule");
  expect([ext?.kind, ext?.extendee.typeName, ext?.number]).toEqual(["extension", "google.protobuf.FieldOptions", 50001]);
  expect(registry.getService("api.v1.S")?.methods.map((m) => m.name)).toEqual(["M"]);
});
