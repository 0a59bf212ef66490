// One row for each kind of difference the schema corpus found, and for each construct the
// schemas issue names: a few lines of .proto, loaded by our parser and linker and held field
// by field against what buf compiles (custom options compared by name).
import { createFileRegistry, getOption } from "@bufbuild/protobuf";
import type { FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { builtinRegistry } from "../../../src/schema/builtinRegistry";
import { loadProtoFiles } from "../../../src/schema/proto/loadProtoFiles";
import { parseProto } from "../../../src/schema/proto/parseProto";
import { protoRegistry } from "../../../src/schema/protoRegistry";
import { bufBuild } from "../../support/buf";
import { descriptorDiff } from "../../support/descriptorDiff";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

const OPTS = [
  'syntax = "proto2";',
  "package opts;",
  'import "google/protobuf/descriptor.proto";',
  'import "google/protobuf/any.proto";',
  "message Float { optional float gt = 1; extensions 100 to 200; }",
  "message Rules { optional Float float = 1; optional google.protobuf.Any extra = 2; repeated string tags = 3; map<string, int32> limits = 4; oneof kind { string name = 5; int64 big = 6; } }",
  "enum Level { LOW = 0; HIGH = 1; }",
  "extend google.protobuf.FileOptions { optional string owner = 50000; repeated int32 ids = 50001; }",
  "extend google.protobuf.MessageOptions { optional Rules msg = 50000; }",
  "extend google.protobuf.FieldOptions { optional Rules rules = 50000; optional Level level = 50001; optional bytes raw = 50002; optional double ratio = 50003; optional uint64 big = 50004; optional bool flag = 50005; }",
  "extend google.protobuf.EnumOptions { optional string label = 50000; }",
  "extend google.protobuf.EnumValueOptions { optional string alias = 50000; }",
  "extend google.protobuf.ServiceOptions { optional string host = 50000; }",
  "extend google.protobuf.MethodOptions { optional Rules http = 50000; }",
  "extend google.protobuf.OneofOptions { optional bool required = 50000; }",
  "extend google.protobuf.ExtensionRangeOptions { optional string range_note = 50000; }",
  "extend Float { optional int32 ext_name = 100; }",
].join("\n");

const ROWS: Array<{ kind: string; files: Record<string, string> }> = [
  {
    kind: "custom options on every kind of element, by extension name and nested path",
    files: {
      "opts.proto": OPTS,
      "user.proto": [
        'syntax = "proto3";',
        "package user;",
        'import "opts.proto";',
        'option (opts.owner) = "team-a";',
        "option (opts.ids) = 1;",
        "option (opts.ids) = 0x10;",
        'option java_package = "com.example";',
        "option optimize_for = CODE_SIZE;",
        "message Reading {",
        "  option (opts.msg).float.gt = 2.5;",
        '  option (opts.msg).tags = "a";',
        '  option (opts.msg).tags = "b";',
        "  float value = 1 [(opts.rules).float.(opts.ext_name) = 5, (opts.rules).float.gt = 0.5, deprecated = true];",
        '  string note = 2 [(opts.rules) = { extra: { [type.googleapis.com/opts.Float] { gt: 1 } } tags: ["x", "y"] limits { key: "k" value: 3 } }];',
        '  bytes raw = 3 [(opts.raw) = "\\000\\x01z", (opts.level) = HIGH, (opts.ratio) = -inf, (opts.big) = 18446744073709551615, (opts.flag) = true];',
        '  string named = 4 [(opts.rules).name = "n", json_name = "N"];',
        "  oneof choice { option (opts.required) = true; int32 a = 5; int32 b = 6; }",
        "}",
        'enum Color { option (opts.label) = "colour"; option allow_alias = true; RED = 0 [(opts.alias) = "r"]; CRIMSON = 0 [deprecated = true]; }',
        "service Meter {",
        '  option (opts.host) = "meter.example";',
        "  rpc Read(Reading) returns (Reading) { option (opts.http) = { tags: \"get\" }; option idempotency_level = NO_SIDE_EFFECTS; }",
        "  rpc Plain(Reading) returns (Reading);",
        "}",
      ].join("\n"),
    },
  },
  {
    kind: "a method with a body and no option gets empty options, as protoc gives it",
    files: { "m.proto": 'syntax = "proto3"; package m; message R {} service S { rpc A(R) returns (R) {} rpc B(R) returns (R) { ; } rpc C(R) returns (R); }' },
  },
  {
    kind: "in a MessageSet, extensions and reserved ranges up to max end at the largest int32",
    files: { "ms.proto": 'syntax = "proto2"; package ms; message Set { option message_set_wire_format = true; extensions 4 to max; } message Plain { extensions 4 to max; }' },
  },
  {
    kind: "an enum field's default is the value's name",
    files: { "e.proto": 'syntax = "proto2"; package e; enum Mode { SLOW = 1; FAST = 2; } message M { optional Mode mode = 1 [default = FAST]; optional Inner.Kind kind = 2 [default = B]; message Inner { enum Kind { A = 0; B = 1; } } }' },
  },
  {
    kind: "extension ranges with options, as in descriptor.proto's declarations",
    files: {
      "opts.proto": OPTS,
      "r.proto": 'syntax = "proto2"; package r; import "opts.proto"; message M { extensions 10 to 20, 30 [(opts.range_note) = "n", verification = UNVERIFIED]; extensions 100 to 110 [declaration = { number: 100, full_name: ".r.e", type: "int32" }]; }',
    },
  },
  {
    kind: "editions 2023: presence by default, features as written, reserved identifiers, delimited messages",
    files: {
      "ed.proto": [
        'edition = "2023";',
        "package ed;",
        "option features.field_presence = IMPLICIT;",
        "option features.enum_type = CLOSED;",
        "message M {",
        "  int32 a = 1 [features.field_presence = EXPLICIT, default = 7];",
        "  string b = 2;",
        "  repeated int32 c = 3 [features.repeated_field_encoding = EXPANDED];",
        "  Inner inner = 4 [features.message_encoding = DELIMITED];",
        "  message Inner { int32 x = 1; }",
        "  int32 req = 5 [features.field_presence = LEGACY_REQUIRED];",
        "  reserved old, older;",
        "  reserved 10 to 12;",
        "  map<string, Inner> m = 6;",
        "  oneof o { int32 p = 7; string q = 8; }",
        "}",
        "enum Open { option features.enum_type = OPEN; ZERO = 0; ONE = 1; }",
        "enum Closed { A = 1; B = 2; }",
      ].join("\n"),
    },
  },
  {
    kind: "editions 2024: export and local, import option, and language features by extension",
    files: {
      "feat.proto": 'edition = "2024"; package feat; import "google/protobuf/descriptor.proto"; message F { bool legacy = 1; } extend google.protobuf.FeatureSet { F feat = 9995; }',
      "ed24.proto": [
        'edition = "2024";',
        "package ed24;",
        'import option "feat.proto";',
        "option features.(feat.feat).legacy = true;",
        "export message Shown { int32 a = 1; }",
        "local message Hidden { int32 b = 1; }",
        "local enum E { Z = 0; }",
        "message Plain { Hidden h = 1; }",
      ].join("\n"),
    },
  },
  {
    kind: "proto2 groups, in messages, oneofs and extensions",
    files: { "g.proto": 'syntax = "proto2"; package g; message M { optional group Result = 1 { optional string url = 2; } repeated group Item = 3 [deprecated = true] { required int32 id = 4; } oneof o { group Choice = 5 { optional int32 c = 6; } } extensions 100 to 200; } extend M { optional group Extra = 100 { optional int32 e = 101; } }' },
  },
  {
    kind: "public and weak imports, and a diamond of imports",
    files: {
      "base.proto": 'syntax = "proto3"; package d; import "google/protobuf/duration.proto"; message Base { google.protobuf.Duration d = 1; }',
      "left.proto": 'syntax = "proto3"; package d; import public "base.proto"; import "google/protobuf/duration.proto"; message Left { Base b = 1; google.protobuf.Duration d = 2; }',
      "right.proto": 'syntax = "proto3"; package d; import "base.proto"; import weak "google/protobuf/empty.proto"; message Right { Base b = 1; }',
      "top.proto": 'syntax = "proto3"; package d; import "left.proto"; import "right.proto"; import "google/protobuf/duration.proto"; message Top { Left l = 1; Right r = 2; Base b = 3; google.protobuf.Duration d = 4; }',
    },
  },
];

async function loadAll(files: Record<string, string>): Promise<Map<string, FileDescriptorProto>> {
  const out = new Map<string, FileDescriptorProto>();
  for (const name of Object.keys(files)) {
    const loaded = await loadProtoFiles(name, [""], {
      read: (p) => (files[p] === undefined ? Promise.reject(new Error(`no ${p}`)) : Promise.resolve(files[p])),
      builtin: (n) => builtinRegistry().getFile(n)?.proto,
    });
    const f = loaded.files.get(name);
    if (f !== undefined) out.set(name, f);
  }
  return out;
}

test.each(ROWS)("$kind", async ({ files }) => {
  const set = fromBinary(FileDescriptorSetSchema, bufBuild(files));
  const registry = createFileRegistry(set);
  const ours = await loadAll(files);
  for (const name of Object.keys(files)) {
    const theirs = set.file.find((f) => f.name === name);
    const mine = ours.get(name);
    expect([name, mine === undefined || theirs === undefined ? ["missing"] : descriptorDiff(mine, theirs, registry)]).toEqual([name, []]);
  }
});

test("custom options reach the registry, where getOption reads them", async () => {
  const row = ROWS[0]?.files ?? {};
  const read = (p: string): Promise<Uint8Array> => (row[p] === undefined ? Promise.reject(new Error(`no ${p}`)) : Promise.resolve(new TextEncoder().encode(row[p])));
  const registry = await protoRegistry("user.proto", [], read);
  const host = registry.getExtension("opts.host");
  const service = registry.getService("user.Meter");
  expect(host !== undefined && service !== undefined ? getOption(service, host) : undefined).toBe("meter.example");
  const rules = registry.getExtension("opts.rules");
  const note = registry.getMessage("user.Reading")?.fields.find((f) => f.name === "note");
  const value = rules !== undefined && note !== undefined ? (getOption(note, rules) as { tags: string[] }) : undefined;
  expect(value?.tags).toEqual(["x", "y"]);
});

test.each([
  ['option (nope.missing) = 1;', /: option "\(nope\.missing\)" is unknown/],
  ["option java_packag = \"x\";", /has no field "java_packag"/],
  ["option optimize_for = FASTEST;", /has no value "FASTEST"/],
  ["option cc_enable_arenas = 3;", /needs true or false/],
  ['message M { int32 a = 1 [(opts.rules) = 5]; }', /give it an aggregate value/],
  ['message M { int32 a = 1 [(opts.rules) = { nope: 1 }]; }', /does not read as opts.Rules/],
  ['message M { int32 a = 1 [(opts.owner) = "x"]; }', /extends google.protobuf.FileOptions, not google.protobuf.FieldOptions/],
  ["message M { int32 a = 1 [(opts.big) = -1]; }", /out of range/],
])("a bad option (%s) is an error at file:line:column that says what is wrong", async (body, message) => {
  const files: Record<string, string> = { "opts.proto": OPTS, "bad.proto": `syntax = "proto3"; package bad; import "opts.proto";\n${body}` };
  const error = await loadAll({ ...files }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error?.message).toMatch(/^bad\.proto:2:\d+: /);
  expect(error?.message).toMatch(message);
});

test("leading and trailing comments are kept where buf keeps them", () => {
  const source = [
    'syntax = "proto3";',
    "package c;",
    "",
    "// Detached: a blank line follows.",
    "",
    "// Greets.",
    "// Second line.",
    "service Greeter { // after the brace",
    "  /* Says hello.",
    "   * Twice. */",
    "  rpc Hello(Req) returns (Req); // trailing",
    "}",
    "",
    "// The request.",
    "message Req {",
    "  // Who.",
    "  string name = 1; // the name",
    "  int32 n = 2;",
    "  // Which.",
    "  oneof pick {",
    "    // A.",
    "    int32 a = 3;",
    "  }",
    "  // Nested.",
    "  message Inner { int32 x = 1; }",
    "}",
    "",
    "// Colours.",
    "enum Colour {",
    "  // None.",
    "  NONE = 0;",
    "  RED = 1; // red",
    "}",
  ].join("\n");
  const theirs = fromBinary(FileDescriptorSetSchema, bufBuild({ "c.proto": source })).file.find((f) => f.name === "c.proto");
  const ours = parseProto(source, "c.proto").file;
  const key = (path: number[]): string => path.join(".");
  const comments = (locations: Array<{ path: number[]; leadingComments?: string; trailingComments?: string }>, paths: Set<string>) =>
    // protoc ends a trailing // comment with its newline and buf does not: compare without it.
    locations.filter((l) => paths.has(key(l.path))).map((l) => [key(l.path), l.leadingComments ?? "", (l.trailingComments ?? "").replace(/\n$/, "")]).sort();
  const elementPaths = new Set((theirs?.sourceCodeInfo?.location ?? []).filter((l) => (l.leadingComments ?? "") !== "" || (l.trailingComments ?? "") !== "").map((l) => key(l.path)));
  expect(elementPaths.size).toBeGreaterThan(8);
  expect(comments(ours.sourceCodeInfo?.location ?? [], elementPaths)).toEqual(comments(theirs?.sourceCodeInfo?.location ?? [], elementPaths));
});
