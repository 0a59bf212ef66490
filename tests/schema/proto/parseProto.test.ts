// Our .proto parser against buf: parse the repository's own .proto files and compare
// with the descriptors buf compiled into src/gen, field by field.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isFieldSet, type DescFile } from "@bufbuild/protobuf";
import { FieldDescriptorProtoSchema, type DescriptorProto, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { loadProtoFiles } from "../../../src/schema/proto/loadProtoFiles";
import { parseProto } from "../../../src/schema/proto/parseProto";
import { Code } from "../../../src/core/errors/Code";
import { builtinRegistry } from "../../../src/schema/builtinRegistry";
import { file_google_rpc_error_details } from "../../../src/gen/google/rpc/error_details_pb";
import { file_grpc_reflection_v1_reflection } from "../../../src/gen/grpc/reflection/v1/reflection_pb";
import { file_grpc_health_v1_health } from "../../../src/gen/grpc/health/v1/health_pb";
import { file_grpccallouts_demo_v1_patterns } from "../../../src/gen/grpccallouts/demo/v1/patterns_pb";

const PROTO = join(__dirname, "../../../proto");
const host = {
  read: (p: string) => Promise.resolve(readFileSync(join(PROTO, p), "utf8")),
  builtin: (name: string) => builtinRegistry().getFile(name)?.proto,
};

function shapeOfMessage(m: DescriptorProto): unknown {
  return {
    name: m.name,
    fields: m.field.map((f) => [f.name, f.number, f.label, f.type, f.typeName, f.oneofIndex ?? null, f.proto3Optional ?? false]),
    oneofs: m.oneofDecl.map((o) => o.name),
    nested: m.nestedType.map(shapeOfMessage),
    enums: m.enumType.map((e) => [e.name, e.value.map((v) => [v.name, v.number])]),
    mapEntry: m.options?.mapEntry ?? false,
  };
}

function shape(fd: FileDescriptorProto): unknown {
  return {
    name: fd.name,
    package: fd.package,
    syntax: fd.syntax,
    dependency: fd.dependency,
    messages: fd.messageType.map(shapeOfMessage),
    enums: fd.enumType.map((e) => [e.name, e.value.map((v) => [v.name, v.number])]),
    services: fd.service.map((s) => [s.name, s.method.map((m) => [m.name, m.inputType, m.outputType, m.clientStreaming ?? false, m.serverStreaming ?? false])]),
  };
}

test.each([
  ["grpccallouts/demo/v1/patterns.proto", file_grpccallouts_demo_v1_patterns],
  ["grpc/health/v1/health.proto", file_grpc_health_v1_health],
  ["grpc/reflection/v1/reflection.proto", file_grpc_reflection_v1_reflection],
  ["google/rpc/error_details.proto", file_google_rpc_error_details],
] as Array<[string, DescFile]>)("%s parses to what buf compiles", async (path, compiled) => {
  const loaded = await loadProtoFiles(path, [""], host);
  expect(shape(loaded.files.get(loaded.root)!)).toEqual(shape(compiled.proto));
});

test("maps, oneofs, proto3 optional, nested and imported types", async () => {
  const files: Record<string, string> = {
    "protos/shop/v1/shop.proto": `
      syntax = "proto3";
      package shop.v1;
      import "google/protobuf/timestamp.proto";
      import "shop/v1/common.proto";
      /* A shop. */
      service Shop {
        rpc Order(OrderRequest) returns (stream .shop.v1.OrderEvent) { option deprecated = true; }
      }
      message OrderRequest {
        map<string, Item> items = 1;
        oneof pay { string card = 2; Money cash = 3; }
        optional int64 note_id = 4 [json_name = "noteRef", deprecated = true];
        repeated Item.Kind kinds = 5 [packed = false];
        google.protobuf.Timestamp at = 6;
      }
      message OrderEvent { Status status = 1; }
    `,
    "protos/shop/v1/common.proto": `
      syntax = "proto3";
      package shop.v1;
      message Money { int64 units = 1; }
      message Item { enum Kind { KIND_UNSPECIFIED = 0; BOOK = 1; } Kind kind = 1; }
      enum Status { STATUS_UNSPECIFIED = 0; SHIPPED = 1; }
    `,
  };
  const loaded = await loadProtoFiles("protos/shop/v1/shop.proto", ["protos"], {
    read: (p) => (p in files ? Promise.resolve(files[p]!) : Promise.reject(new Error("ENOENT"))),
    builtin: host.builtin,
  });
  expect(loaded.root).toBe("shop/v1/shop.proto");
  expect([...loaded.files.keys()].sort()).toEqual(["google/protobuf/timestamp.proto", "shop/v1/common.proto", "shop/v1/shop.proto"]);
  const req = loaded.files.get(loaded.root)!.messageType[0]!;
  expect(req.nestedType[0]).toMatchObject({ name: "ItemsEntry", options: { mapEntry: true } });
  const oneof = (f: (typeof req.field)[number]) => (isFieldSet(f, FieldDescriptorProtoSchema.field.oneofIndex) ? f.oneofIndex : null);
  expect(req.field.map((f) => [f.name, f.typeName, oneof(f)])).toEqual([
    ["items", ".shop.v1.OrderRequest.ItemsEntry", null],
    ["card", "", 0],
    ["cash", ".shop.v1.Money", 0],
    ["note_id", "", 1],
    ["kinds", ".shop.v1.Item.Kind", null],
    ["at", ".google.protobuf.Timestamp", null],
  ]);
  expect(req.oneofDecl.map((o) => o.name)).toEqual(["pay", "_note_id"]);
  expect(req.field[3]?.jsonName).toBe("noteRef");
});

test.each([
  ['syntax = "proto3";\nmessage A {\n  int32 x = 1\n}', "x.proto:4:1: expected \";\", found \"}\""],
  ['syntax = "proto3";\nmessage A { Foo f = 1; }', 'x.proto:2:13: unknown type "Foo".'],
  ['syntax = "proto3";\nmessage A { required int32 x = 1; }', "x.proto:2:13: required fields are not allowed in proto3"],
  ['syntax = "proto3";\nenum E { A = 1; }', "x.proto:2:6: the first value of enum E must be 0 in proto3"],
  ['syntax = "proto3";\nimport "nowhere/else.proto";', 'x.proto:2:8: import "nowhere/else.proto" was not found.'],
  ['syntax = "proto3";\nmessage A { int32 x = 1; string y = 1; }', "x.proto:2:33: field number 1 is used twice in A"],
  ['syntax = "proto3"\nmessage A {}', 'x.proto:2:1: expected ";", found "message"'],
  ['syntax = "proto3";\nmessage A { map<double, string> m = 1; }', 'x.proto:2:17: "double" cannot be a map key type'],
])("errors carry file:line:column: %j", async (source, message) => {
  const err = await loadProtoFiles("x.proto", [], {
    read: (p) => (p === "x.proto" ? Promise.resolve(source) : Promise.reject(new Error("ENOENT"))),
    builtin: host.builtin,
  }).then(
    () => ({ message: "no error", code: 0 }),
    (e: unknown) => e as { message: string; code: number },
  );
  expect(err.message).toBe(message);
  expect([Code.INVALID_ARGUMENT, Code.NOT_FOUND]).toContain(err.code);
});

test("an import not found lists the paths tried", async () => {
  const err = await loadProtoFiles("a/b/x.proto", ["extra"], {
    read: (p) => (p === "a/b/x.proto" ? Promise.resolve('syntax = "proto3";\nimport "dep.proto";') : Promise.reject(new Error("ENOENT"))),
    builtin: host.builtin,
  }).then(
    () => ({ hint: "no error" }),
    (e: unknown) => e as { hint?: string },
  );
  expect(err.hint).toBe('Tried "extra/dep.proto", "a/b/dep.proto", "a/dep.proto", "dep.proto". Add the folder that holds it to `import-paths:`.');
});

test("parseProto alone leaves type names to the linker", () => {
  const p = parseProto('syntax = "proto2"; package p; message A { optional B b = 1; } message B {}', "p.proto");
  expect(p.references.map((r) => [r.name, r.scope])).toEqual([["B", "p.A"]]);
  expect(p.file.syntax).toBe("");
});
