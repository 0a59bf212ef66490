// The schema corpus: public .proto files that no one here wrote (googleapis, protobuf's own test
// and editions files, grafeas, gRPC's files, protobuf's well-known types), each loaded by our
// parser and linker and held field by field against what buf compiles, and, for Debian's files,
// against protoc too. Custom options are compared by name, through a registry of the extensions.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createFileRegistry } from "@bufbuild/protobuf";
import type { FileDescriptorProto, FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { builtinRegistry } from "../../../src/schema/builtinRegistry";
import { loadProtoFiles } from "../../../src/schema/proto/loadProtoFiles";
import { descriptorDiff } from "../../support/descriptorDiff";
import { bufBuildCorpus, GOOGLEAPIS, GRPC_PROTO, LIBPROTOBUF, mergedRoot, protocBuild, protoFilesUnder, type Compiled } from "../../support/protoCorpus";

interface Source {
  name: string;
  root: string;
  files: string[];
  /** Include paths protoc needs besides the root, when protoc can compile the files (proto2 and proto3 only). */
  protoc?: string[];
}

// google/ads holds 3,539 generated files of one shape: every tenth is enough.
const googleFiles = protoFilesUnder(GOOGLEAPIS).filter((f) => !f.startsWith("build/"));
// grpc-proto's service config imports google/rpc/code.proto, which googleapis has.
const grpcRoot = mergedRoot([GRPC_PROTO, [GOOGLEAPIS, "google/rpc"]]);
const SOURCES: Source[] = [
  { name: "googleapis, protobuf and grafeas (google-proto-files)", root: GOOGLEAPIS, files: googleFiles.filter((f, i) => !f.startsWith("google/ads/") || i % 10 === 0) },
  { name: "grpc-proto (Debian)", root: grpcRoot, files: protoFilesUnder(GRPC_PROTO), protoc: [LIBPROTOBUF] },
  { name: "libprotobuf-dev (Debian)", root: LIBPROTOBUF, files: protoFilesUnder(LIBPROTOBUF, "google/protobuf"), protoc: [] },
];

/**
 * Whether a difference is the one place where buf and protoc write a descriptor differently: a
 * float default, which buf writes with a double's digits ("8.999999488e+09") where protoc writes
 * the float's shortest form ("9e+09"). We follow protoc; both stand for the same float.
 */
function isBufFloatFormatting(d: string): boolean {
  const m = /\.defaultValue: ours "([^"]+)", theirs "([^"]+)"$/.exec(d);
  return m !== null && Math.fround(Number(m[1])) === Math.fround(Number(m[2])) && !Number.isNaN(Number(m[1]));
}

async function loadOurs(root: string, name: string): Promise<FileDescriptorProto> {
  const loaded = await loadProtoFiles(name, [""], { read: async (p) => readFileSync(join(root, p), "utf8"), builtin: (n) => builtinRegistry().getFile(n)?.proto });
  const file = loaded.files.get(name);
  if (file === undefined) throw new Error(`${name} went missing`);
  return file;
}

/** Each file compared with the compiler's: the names that match, and what differs in the others. */
async function compare(source: Source, compiled: FileDescriptorSet, files: readonly string[]): Promise<{ matched: number; mismatches: string[] }> {
  const theirs = new Map(compiled.file.map((f) => [f.name, f]));
  const registry = createFileRegistry(compiled);
  let matched = 0;
  const mismatches: string[] = [];
  for (const name of files) {
    const expected = theirs.get(name);
    if (expected === undefined) continue;
    try {
      const diffs = descriptorDiff(await loadOurs(source.root, name), expected, registry).filter((d) => !isBufFloatFormatting(d));
      if (diffs.length === 0) matched++;
      else mismatches.push(`${name}: ${diffs.join("; ")}`);
    } catch (e) {
      mismatches.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { matched, mismatches };
}

const results: Array<{ source: string; compiler: string; files: number; matched: number }> = [];

describe.each(SOURCES)("$name", (source) => {
  let built: Compiled | undefined;
  const bufBuilt = (): Compiled => (built ??= bufBuildCorpus(source.root, source.files));

  test("at least 99% of the files load to the descriptors buf compiles", async () => {
    const { set, refused } = bufBuilt();
    const files = source.files.filter((f) => !refused.has(f));
    const { matched, mismatches } = await compare(source, set, files);
    results.push({ source: source.name, compiler: "buf", files: files.length, matched });
    if (refused.size > 0) process.stderr.write(`${source.name}: buf refuses ${[...refused].map(([f, why]) => `${f} (${why})`).join(", ")}\n`);
    if (mismatches.length > 0) process.stderr.write(`${source.name}: ${mismatches.length} of ${files.length} differ from buf:\n${mismatches.slice(0, 20).join("\n")}\n`);
    expect(files.length).toBeGreaterThan(source.files.length * 0.95);
    expect(matched / files.length).toBeGreaterThanOrEqual(0.99);
  }, 600_000);

  if (source.protoc !== undefined) {
    const includes = [source.root, ...source.protoc];
    test("every file protoc compiles loads to the descriptors protoc compiles", async () => {
      const files = source.files.filter((f) => !bufBuilt().refused.has(f));
      const set = protocBuild(includes, files);
      const { matched, mismatches } = await compare(source, set, files);
      results.push({ source: source.name, compiler: "protoc", files: files.length, matched });
      expect(mismatches).toEqual([]);
      expect(matched).toBe(files.length);
    }, 120_000);
  }
});

afterAll(() => {
  const all = results.filter((r) => r.compiler === "buf");
  const files = all.reduce((n, r) => n + r.files, 0);
  const matched = all.reduce((n, r) => n + r.matched, 0);
  process.stderr.write(`schema corpus: ${matched} of ${files} files match buf (${((100 * matched) / Math.max(files, 1)).toFixed(2)}%)\n${results.map((r) => `  ${r.source} vs ${r.compiler}: ${r.matched}/${r.files}`).join("\n")}\n`);
});
