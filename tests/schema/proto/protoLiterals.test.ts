// Literals as protoc reads them, checked against buf: string and bytes defaults with every kind of
// escape, hex and octal integers, floats, inf and nan; and import public / weak.
import { parseProto } from "../../../src/schema/proto/parseProto";
import { cEscape, formatProtoFloat, parseProtoInt, unescapeProtoString } from "../../../src/schema/proto/protoLiterals";
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
