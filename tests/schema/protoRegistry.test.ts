// The registry of a vault .proto file is built from every file in import order, so that imports
// that meet again (a diamond, as in grpc-proto's service_config.proto) resolve, and a large
// import graph links in one go.
import { protoRegistry } from "../../src/schema/protoRegistry";

function reader(files: Record<string, string>): (p: string) => Promise<Uint8Array> {
  return (p) => (files[p] === undefined ? Promise.reject(new Error(`no ${p}`)) : Promise.resolve(new TextEncoder().encode(files[p])));
}

test("a diamond through a built-in resolves, as in grpc-proto's service_config.proto", async () => {
  // service_config.proto imports duration.proto, then rls_config.proto, which imports it again.
  const files = {
    "svc/config.proto": 'syntax = "proto3"; package svc; import "google/protobuf/duration.proto"; import "svc/rls.proto"; message Config { google.protobuf.Duration timeout = 1; Rls rls = 2; } service S { rpc Get(Config) returns (Config); }',
    "svc/rls.proto": 'syntax = "proto3"; package svc; import "google/protobuf/duration.proto"; message Rls { google.protobuf.Duration max_age = 1; }',
  };
  const registry = await protoRegistry("svc/config.proto", [""], reader(files));
  expect(registry.getMessage("svc.Rls")?.fields.map((f) => f.message?.typeName)).toEqual(["google.protobuf.Duration"]);
  expect(registry.getService("svc.S")?.methods[0]?.input.typeName).toBe("svc.Config");
});

test("a 200-file import graph, each file importing the two before it, links in one registry", async () => {
  const files: Record<string, string> = {};
  for (let i = 0; i < 200; i++) {
    const imports = [i - 1, i - 2].filter((j) => j >= 0);
    files[`g/f${i}.proto`] = [
      'syntax = "proto3";',
      `package g.p${i % 7};`,
      ...imports.map((j) => `import "g/f${j}.proto";`),
      'import "google/protobuf/timestamp.proto";',
      `message M${i} { ${imports.map((j, k) => `g.p${j % 7}.M${j} m${k} = ${k + 1};`).join(" ")} google.protobuf.Timestamp at = 9; }`,
    ].join("\n");
  }
  files["g/top.proto"] = 'syntax = "proto3"; package g; import "g/f199.proto"; service Top { rpc Call(g.p3.M199) returns (g.p3.M199); }';
  const registry = await protoRegistry("g/top.proto", [""], reader(files));
  let count = 0;
  for (const f of registry.files) if (f.name.startsWith("g/f")) count++;
  expect(count).toBe(200);
  expect(registry.getMessage("g.p0.M0")?.fields.map((f) => f.name)).toEqual(["at"]);
  expect(registry.getService("g.Top")?.methods[0]?.input.fields.map((f) => f.message?.typeName)).toEqual(["g.p2.M198", "g.p1.M197", "google.protobuf.Timestamp"]);
});
