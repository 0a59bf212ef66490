// buf (the @bufbuild/buf dev dependency, a compiler that matches protoc) compiles .proto files in a
// temporary folder, so a test can hold our parser's descriptors against buf's.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { tempDir } from "./sidecar";

const BUF = join(__dirname, "../../node_modules/.bin/buf");

/** The descriptors buf compiles from `files` (path → source), by file name. */
export function bufCompile(files: Record<string, string>): Map<string, FileDescriptorProto> {
  const set = fromBinary(FileDescriptorSetSchema, bufBuild(files));
  return new Map(set.file.map((f) => [f.name, f]));
}

/** The FileDescriptorSet, as bytes, that `buf build -o` writes for `files` (path → source). */
export function bufBuild(files: Record<string, string>): Uint8Array {
  const dir = tempDir("grpc-callouts-buf-");
  writeFileSync(join(dir, "buf.yaml"), "version: v2\n");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  execFileSync(BUF, ["build", "-o", "out.binpb"], { cwd: dir, stdio: ["ignore", "ignore", "pipe"] });
  return new Uint8Array(readFileSync(join(dir, "out.binpb")));
}
