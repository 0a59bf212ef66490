import { create, createFileRegistry, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema, type DescriptorProto, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { filesInOrder } from "../filesInOrder";
import { interpretOptions } from "./interpretOptions";
import { CallError } from "../../core/errors/CallError";
import { Code } from "../../core/errors/Code";
import { closest } from "../../core/spec/closest";
import { parseProto, type ParsedProto } from "./parseProto";
import { ProtoSyntaxError } from "./tokenize";

/** What loadProtoFiles needs from its host. */
export interface ProtoLoaderHost {
  /** Reads a vault file as text; rejects when it does not exist. */
  read: (vaultPath: string) => Promise<string>;
  /** The descriptor of a built-in file (well-known types, google/rpc), or undefined. */
  builtin: (fileName: string) => FileDescriptorProto | undefined;
  /**
   * Whether a file is there, cheaply (the vault's index, a stat): the first
   * import candidate it knows is read alone. Without it, or when it knows
   * none, every candidate is read and the first that reads wins.
   */
  exists?: (vaultPath: string) => boolean;
}

/** The parsed and linked files: the root's name, every file by name (built-ins included), and their registry. */
export interface LoadedProtos {
  root: string;
  files: Map<string, FileDescriptorProto>;
  registry: FileRegistry;
}

/** The import paths used for a .proto file: the given ones, then each ancestor folder of the file, then the vault root. */
export function defaultImportPaths(protoPath: string, importPaths: readonly string[]): string[] {
  const out = importPaths.map(clean);
  const parts = clean(protoPath).split("/").slice(0, -1);
  for (let i = parts.length; i >= 0; i--) out.push(parts.slice(0, i).join("/"));
  return [...new Set(out)];
}

function clean(p: string): string {
  // An absolute folder (the terminal runner's -I) stays absolute; vault paths never start with "/".
  return p.replace(/\\/g, "/").replace(/\/+/g, "/").replace(/^\.\/|(.)\/$/g, "$1");
}

function join(dir: string, name: string): string {
  return dir === "" ? name : `${dir}/${name}`;
}

/**
 * Reads a .proto file from the vault with everything it imports, parses them,
 * resolves every type name, builds the registry from all files in import
 * order (so diamonds resolve) and then sets the options that name
 * extensions. Errors are INVALID_ARGUMENT or NOT_FOUND CallErrors whose
 * message starts with file:line:column.
 */
export async function loadProtoFiles(protoPath: string, importPaths: readonly string[], host: ProtoLoaderHost): Promise<LoadedProtos> {
  const paths = defaultImportPaths(protoPath, importPaths);
  const rootPath = clean(protoPath);
  const rootDir = paths.find((p) => p === "" || rootPath.startsWith(`${p}/`)) ?? "";
  const rootName = rootDir === "" ? rootPath : rootPath.slice(rootDir.length + 1);
  const parsed = new Map<string, ParsedProto>();
  const files = new Map<string, FileDescriptorProto>();

  const parseText = (name: string, vaultPath: string, text: string): void => {
    try {
      const p = parseProto(text, name);
      parsed.set(name, p);
      files.set(name, p.file);
    } catch (e) {
      if (e instanceof ProtoSyntaxError) {
        throw new CallError(Code.INVALID_ARGUMENT, `${vaultPath}:${e.line}:${e.column}: ${e.message.slice(e.message.indexOf(": ") + 2)}`, {
          hint: "Fix the .proto file; the block runs once it parses.",
          cause: e,
        });
      }
      throw e;
    }
  };

  // Imports load concurrently (reads are what a load waits on); each file once, however many import it.
  const loading = new Map<string, Promise<void>>();
  const importsOf = async (name: string, chain: readonly string[]): Promise<void> => {
    const p = parsed.get(name);
    if (p === undefined) return;
    const results = await Promise.allSettled(p.imports.map((imp) => loadImport(name, p, imp, [...chain, name])));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed !== undefined) throw failed.reason;
  };
  const loadImport = (from: string, p: ParsedProto, imp: ParsedProto["imports"][number], chain: readonly string[]): Promise<void> => {
    if (chain.includes(imp.name)) {
      return Promise.reject(new CallError(Code.INVALID_ARGUMENT, `${where(from, p)}:${imp.line}:${imp.column}: import cycle: ${[...chain.slice(chain.indexOf(imp.name)), imp.name].join(" → ")}.`, { hint: "protoc refuses files that import themselves; break the cycle." }));
    }
    const known = loading.get(imp.name);
    if (known !== undefined) return known;
    if (files.has(imp.name)) return Promise.resolve();
    const builtin = host.builtin(imp.name);
    if (builtin !== undefined) {
      addBuiltin(imp.name, builtin);
      return Promise.resolve();
    }
    const job = (async () => {
      const candidates = paths.map((dir) => join(dir, imp.name));
      const likely = host.exists === undefined ? undefined : candidates.find((c) => host.exists?.(c) === true);
      const first = likely === undefined ? undefined : await host.read(likely).then((text) => ({ status: "fulfilled" as const, value: text }), () => undefined);
      const reads = first !== undefined && likely !== undefined ? candidates.map((c) => (c === likely ? first : { status: "rejected" as const, reason: null })) : await Promise.allSettled(candidates.map((c) => host.read(c)));
      const hit = reads.findIndex((r) => r.status === "fulfilled");
      const read = reads[hit];
      if (read === undefined || read.status !== "fulfilled") {
        throw new CallError(Code.NOT_FOUND, `${where(from, p)}:${imp.line}:${imp.column}: import "${imp.name}" was not found.`, {
          hint: `Tried ${candidates.map((t) => `"${t === "" ? "/" : t}"`).join(", ")}. Add the folder that holds it to \`import-paths:\`.`,
        });
      }
      parseText(imp.name, candidates[hit] ?? imp.name, read.value);
      await importsOf(imp.name, chain);
    })();
    loading.set(imp.name, job);
    return job;
  };

  let rootText: string;
  try {
    rootText = await host.read(rootPath);
  } catch (e) {
    throw new CallError(Code.NOT_FOUND, `Cannot read the .proto file "${rootPath}".`, { hint: "Check the `proto:` path: it is a path in the vault.", cause: e });
  }
  parseText(rootName, rootPath, rootText);
  await importsOf(rootName, []);

  function addBuiltin(name: string, fd: FileDescriptorProto): void {
    if (files.has(name)) return;
    files.set(name, fd);
    for (const dep of fd.dependency) {
      const b = host.builtin(dep);
      if (b !== undefined) addBuiltin(dep, b);
    }
  }

  function where(name: string, _p: ParsedProto): string {
    return name === rootName ? rootPath : name;
  }

  // Every message and enum, by full name.
  const symbols = new Map<string, "message" | "enum">();
  for (const fd of files.values()) {
    const visit = (prefix: string, messages: DescriptorProto[], enums: FileDescriptorProto["enumType"]): void => {
      for (const e of enums) symbols.set(join2(prefix, e.name), "enum");
      for (const m of messages) {
        const full = join2(prefix, m.name);
        symbols.set(full, "message");
        visit(full, m.nestedType, m.enumType);
      }
    };
    visit(fd.package, fd.messageType, fd.enumType);
  }

  for (const [name, p] of parsed) {
    for (const ref of p.references) {
      const full = resolveName(ref.name, ref.scope, symbols);
      const kind = full === undefined ? undefined : symbols.get(full);
      if (full === undefined || kind === undefined || (kind === "enum" && !ref.allowEnum)) {
        const last = ref.name.split(".").pop() ?? ref.name;
        const near = closest(last, [...symbols.keys()].map((s) => s.split(".").pop() ?? s));
        throw new CallError(
          Code.INVALID_ARGUMENT,
          `${where(name, p)}:${ref.line}:${ref.column}: ${kind === "enum" ? `"${ref.name}" is an enum, not a message` : `unknown type "${ref.name}"`}.`,
          { hint: near.length > 0 ? `Did you mean ${near.map((n) => `"${n}"`).join(" or ")}? Or is an import missing?` : "Is an import missing?" },
        );
      }
      ref.resolve(full, kind);
    }
  }
  let registry: FileRegistry;
  try {
    registry = createFileRegistry(create(FileDescriptorSetSchema, { file: filesInOrder(files) }));
  } catch (e) {
    throw new CallError(Code.INVALID_ARGUMENT, `${rootPath}: ${CallError.from(e).message}`, { hint: "Check the .proto files for duplicate or conflicting definitions.", cause: e });
  }
  for (const [name, p] of parsed) interpretOptions(p.options, registry, where(name, p));
  return { root: rootName, files, registry };
}

function join2(prefix: string, name: string): string {
  return prefix === "" ? name : `${prefix}.${name}`;
}

/** Resolves a type name the way protoc does: innermost scope first, or absolute with a leading dot. */
function resolveName(name: string, scope: string, symbols: Map<string, unknown>): string | undefined {
  if (name.startsWith(".")) return symbols.has(name.slice(1)) ? name.slice(1) : undefined;
  const parts = scope === "" ? [] : scope.split(".");
  for (let i = parts.length; i >= 0; i--) {
    const candidate = join2(parts.slice(0, i).join("."), name);
    if (symbols.has(candidate)) return candidate;
  }
  return undefined;
}
