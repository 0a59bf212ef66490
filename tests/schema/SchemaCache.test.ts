import type { FileRegistry } from "@bufbuild/protobuf";
import { Code } from "../../src/core/errors/Code";
import type { CallError } from "../../src/core/errors/CallError";
import { SchemaCache } from "../../src/schema/SchemaCache";
import { registrySource, type SchemaSource } from "../../src/schema/SchemaSource";
import { fileRegistryOf } from "../../src/schema/fileRegistryOf";
import { SIDECAR_FILES } from "../../src/sidecar/sidecarFiles";

const files = fileRegistryOf(...SIDECAR_FILES);
const signal = new AbortController().signal;

/** The sidecar's files behind a source that counts its look-ups and can be made to fail. */
function counting(): SchemaSource & { calls: number; fail: boolean } {
  const inner = registrySource("counted", files);
  const s = {
    key: "counted",
    calls: 0,
    fail: false,
    listServices: (sig: AbortSignal) => inner.listServices(sig),
    filesFor: (service: string, sig: AbortSignal): Promise<FileRegistry> => {
      s.calls++;
      return s.fail ? Promise.reject(new Error("unreachable")) : inner.filesFor(service, sig);
    },
  };
  return s;
}

test("a source is asked once per service until forget", async () => {
  const cache = new SchemaCache();
  const src = counting();
  const a = await cache.resolve(src, "grpccallouts.demo.v1.PatternService/Ask", signal);
  await cache.resolve(src, "grpccallouts.demo.v1.PatternService/Feed", signal);
  expect(a.method.name).toBe("Ask");
  expect(src.calls).toBe(1);
  cache.forget();
  await cache.resolve(src, "grpccallouts.demo.v1.PatternService/Ask", signal);
  expect(src.calls).toBe(2);
});

test("a failed look-up is not kept", async () => {
  const cache = new SchemaCache();
  const src = counting();
  src.fail = true;
  await expect(cache.resolve(src, "grpccallouts.demo.v1.PatternService/Ask", signal)).rejects.toThrow("unreachable");
  src.fail = false;
  await expect(cache.resolve(src, "grpccallouts.demo.v1.PatternService/Ask", signal)).resolves.toBeDefined();
  expect(src.calls).toBe(2);
});

test("an unknown method names the closest one", async () => {
  const err = (await new SchemaCache().resolve(counting(), "grpccallouts.demo.v1.PatternService/Feeed", signal).catch((e: unknown) => e)) as CallError;
  expect(err.code).toBe(Code.NOT_FOUND);
  expect(err.hint).toBe('Did you mean "grpccallouts.demo.v1.PatternService/Feed"?');
});

test("discovery lists every method of every service, sorted", async () => {
  const listing = await new SchemaCache().list(registrySource("s", files), signal);
  expect(listing.methods.map((m) => m.method)).toContain("grpccallouts.demo.v1.PatternService/Chat");
  expect([...listing.methods.map((m) => m.method)].sort((a, b) => a.localeCompare(b))).toEqual(listing.methods.map((m) => m.method));
});
