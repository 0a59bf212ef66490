// Public .proto files no one here wrote, and what buf and protoc compile them to, so that the
// corpus test and the schema benchmark can hold our parser against the compilers.
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fromBinary } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type FileDescriptorSet } from "@bufbuild/protobuf/wkt";
import { tempDir } from "./sidecar";

const BUF = join(__dirname, "../../node_modules/.bin/buf");

/** googleapis, protobuf's test and editions files and grafeas, from the google-proto-files npm package. */
export const GOOGLEAPIS = join(__dirname, "../../node_modules/google-proto-files");
/** gRPC's own files, from Debian's grpc-proto. */
export const GRPC_PROTO = "/usr/share/grpc-proto";
/** protobuf's well-known types, from Debian's libprotobuf-dev. */
export const LIBPROTOBUF = "/usr/include";

/** Every .proto file under `root/under`, as names relative to `root`, sorted. */
export function protoFilesUnder(root: string, under = ""): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith(".proto")) out.push(relative(root, p));
    }
  };
  walk(join(root, under));
  return out.sort();
}

/** What a compiler made of `files`: the set, and the files it refused with its first complaint about each. */
export interface Compiled {
  set: FileDescriptorSet;
  refused: Map<string, string>;
}

/**
 * `buf build` of `files` (names relative to `root`), with imports and without source info. A
 * file buf refuses (an import missing from the package, say) is dropped and the rest built again.
 */
export function bufBuildCorpus(root: string, files: readonly string[]): Compiled {
  const out = join(tempDir("grpc-callouts-corpus-"), "out.binpb");
  const refused = new Map<string, string>();
  let left = [...files];
  for (let attempt = 0; attempt < 8; attempt++) {
    try {
      execFileSync(BUF, ["build", root, "--exclude-source-info", "-o", out, ...left.flatMap((f) => ["--path", join(root, f)])], { stdio: ["ignore", "ignore", "pipe"], maxBuffer: 1 << 28 });
      return { set: fromBinary(FileDescriptorSetSchema, readFileSync(out)), refused };
    } catch (e) {
      const err = String((e as { stderr?: Buffer }).stderr ?? e);
      const before = refused.size;
      for (const m of err.matchAll(/^(?:.*?\/)?([^\s:]+\.proto):(\d+:\d+:.*)$/gm)) {
        const name = left.find((f) => m[1] !== undefined && (f === m[1] || m[1].endsWith(`/${f}`)));
        if (name !== undefined && !refused.has(name)) refused.set(name, m[2] ?? "");
      }
      if (refused.size === before) throw e;
      left = left.filter((f) => !refused.has(f));
    }
  }
  throw new Error("buf kept refusing files");
}

/** `protoc --include_imports --descriptor_set_out` of `files` with the include paths, as a set. */
export function protocBuild(includes: readonly string[], files: readonly string[]): FileDescriptorSet {
  const out = join(tempDir("grpc-callouts-protoc-"), "out.pb");
  execFileSync("protoc", [...includes.map((i) => `-I${i}`), "--include_imports", `--descriptor_set_out=${out}`, ...files], { stdio: ["ignore", "ignore", "pipe"] });
  return fromBinary(FileDescriptorSetSchema, readFileSync(out));
}

/** A temporary folder holding the given trees, each a folder or [root, sub-folder] kept at its path under root. */
export function mergedRoot(trees: ReadonlyArray<string | readonly [string, string]>): string {
  const dir = tempDir("grpc-callouts-corpus-root-");
  for (const t of trees) {
    if (typeof t === "string") cpSync(t, dir, { recursive: true });
    else cpSync(join(t[0], t[1]), join(dir, t[1]), { recursive: true });
  }
  return dir;
}
