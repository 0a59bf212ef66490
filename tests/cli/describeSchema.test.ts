// Describe mode as a user runs it (the built dist/cli.cjs): a schema as .proto text from a
// .proto file, a descriptor set or a server's reflection, and its descriptor set written as
// `protoc --include_imports --descriptor_set_out` writes it.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createFileRegistry, fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { descriptorDiff } from "../support/descriptorDiff";
import { GOOGLEAPIS, GRPC_PROTO, LIBPROTOBUF, mergedRoot, protocBuild } from "../support/protoCorpus";
import { startQuirkyReflection } from "../support/reflectionServers";
import { tempDir } from "../support/sidecar";

const CLI = join(__dirname, "../../dist/cli.cjs");

function describe_(args: string[], cwd = process.cwd()): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, "describe", ...args], { cwd, encoding: "utf8", timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("a .proto file's services print as .proto text, with imports from -I", () => {
  const r = describe_(["--proto", "grpc/health/v1/health.proto", "-I", GRPC_PROTO], GRPC_PROTO);
  expect(r.code).toBe(0);
  expect(r.out).toContain("grpc.health.v1.Health is a service:\nservice Health {\n");
  expect(r.out).toContain("  rpc Check(.grpc.health.v1.HealthCheckRequest) returns (.grpc.health.v1.HealthCheckResponse);");
  expect(r.out).toContain("  rpc Watch(.grpc.health.v1.HealthCheckRequest) returns (stream .grpc.health.v1.HealthCheckResponse);");
});

test("a message prints with its nested enum; an unknown symbol exits 1 naming the closest", () => {
  const ok = describe_(["--proto", "grpc/health/v1/health.proto", "grpc.health.v1.HealthCheckResponse"], GRPC_PROTO);
  expect(ok.out).toBe(
    [
      "grpc.health.v1.HealthCheckResponse is a message:",
      "message HealthCheckResponse {",
      "  .grpc.health.v1.HealthCheckResponse.ServingStatus status = 1;",
      "  enum ServingStatus {",
      "    UNKNOWN = 0;",
      "    SERVING = 1;",
      "    NOT_SERVING = 2;",
      "    SERVICE_UNKNOWN = 3;",
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  const bad = describe_(["--proto", "grpc/health/v1/health.proto", "grpc.health.v1.Helth"], GRPC_PROTO);
  expect(bad.code).toBe(1);
  expect(bad.err).toMatch(/NOT_FOUND: the schema has no symbol "grpc\.health\.v1\.Helth"\. Did you mean "grpc\.health\.v1\.Health/);
});

test("--protoset-out writes the files protoc --include_imports writes, in its order, and they load back into protobuf-es", () => {
  // service_config.proto imports google/rpc/code.proto (from googleapis) and a diamond of well-known types.
  const root = mergedRoot([GRPC_PROTO, [GOOGLEAPIS, "google/rpc"]]);
  const out = join(tempDir(), "service_config.protoset");
  const r = describe_(["--proto", "grpc/service_config/service_config.proto", "--protoset-out", out], root);
  expect(r.code).toBe(0);
  const ours = fromBinary(FileDescriptorSetSchema, readFileSync(out));
  const protoc = protocBuild([root, LIBPROTOBUF], ["grpc/service_config/service_config.proto"]);
  expect(ours.file.map((f) => f.name)).toEqual(protoc.file.map((f) => f.name));
  const registry = createFileRegistry(ours);
  expect(registry.getMessage("grpc.service_config.ServiceConfig")?.fields.map((f) => f.name)).toContain("method_config");
  // Files other than the well-known types (which protobuf-es carries in its own build) are equal field by field.
  const theirs = createFileRegistry(protoc);
  for (const f of ours.file.filter((x) => !x.name.startsWith("google/protobuf/"))) {
    const p = protoc.file.find((x) => x.name === f.name);
    expect([f.name, p === undefined ? ["missing"] : descriptorDiff(f, p, theirs)]).toEqual([f.name, []]);
  }
});

test("a descriptor set built by buf, and the .proto file itself, print with the schema's comments", () => {
  const dir = tempDir();
  writeFileSync(join(dir, "buf.yaml"), "version: v2\n");
  writeFileSync(join(dir, "notes.proto"), 'syntax = "proto3";\npackage notes.v1;\n\n// Keeps notes.\nservice Notes {\n  // Adds a note and says its id.\n  rpc Add(Note) returns (Note);\n}\n\n// A note.\nmessage Note {\n  // Who wrote it.\n  string author = 1;\n}\n');
  execFileSync(join(__dirname, "../../node_modules/.bin/buf"), ["build", "-o", "notes.binpb"], { cwd: dir });
  const r = describe_(["--proto", "notes.binpb"], dir);
  expect(r.out).toBe("notes.v1.Notes is a service:\n// Keeps notes.\nservice Notes {\n  // Adds a note and says its id.\n  rpc Add(.notes.v1.Note) returns (.notes.v1.Note);\n}\n");
  expect(describe_(["--proto", "notes.binpb", "notes.v1.Note"], dir).out).toBe("notes.v1.Note is a message:\n// A note.\nmessage Note {\n  // Who wrote it.\n  string author = 1;\n}\n");
  // Our own parser keeps the same comments from the .proto file.
  expect(describe_(["--proto", "notes.proto"], dir).out).toBe(r.out);
  expect(describe_(["--proto", "notes.proto", "notes.v1.Note"], dir).out).toBe("notes.v1.Note is a message:\n// A note.\nmessage Note {\n  // Who wrote it.\n  string author = 1;\n}\n");
});

test("--target describes a server through reflection, listing a broken service's error and the rest", async () => {
  const server = await startQuirkyReflection({ dependenciesFirst: true, oncePerStream: true, withhold: ["gamma/v1/extra.proto"] });
  try {
    const out = join(tempDir(), "reflected.protoset");
    // Asynchronously, as the server runs in this process.
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, "describe", "--target", `127.0.0.1:${server.port}`, "--protoset-out", out]);
      let so = "";
      let se = "";
      child.stdout.on("data", (d: Buffer) => (so += d.toString()));
      child.stderr.on("data", (d: Buffer) => (se += d.toString()));
      child.on("close", (code) => resolve({ code, out: so, err: se }));
    });
    expect(r.code).toBe(0);
    expect(r.out).toContain("alpha.v1.Alpha is a service:");
    expect(r.out).toContain("rpc Watch(.shared.v1.Common) returns (stream .shared.v1.Common);");
    expect(r.err).toMatch(/gamma\.v1\.Gamma: The server's reflection did not return gamma\/v1\/extra\.proto/);
    const set = fromBinary(FileDescriptorSetSchema, readFileSync(out));
    expect(set.file.map((f) => f.name)).toEqual(["google/protobuf/timestamp.proto", "shared/v1/common.proto", "alpha/v1/alpha.proto", "beta/v1/beta.proto"]);
    expect(server.streams()).toBe(1);
  } finally {
    server.stop();
  }
});
