import { createRegistry, type DescFile, type FileRegistry, type Registry } from "@bufbuild/protobuf";
import { channelCredentials } from "../call/channelCredentials";
import { ClientPool } from "../call/ClientPool";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { builtinRegistry } from "../schema/builtinRegistry";
import { descriptorSetOf } from "../schema/descriptorSetOf";
import { describeSymbol } from "../schema/describe/describeSymbol";
import { findMethod } from "../schema/findMethod";
import { protoSource } from "../schema/protoSource";
import { grpcReflectionLine } from "../schema/grpcReflectionLine";
import { reflectionSource } from "../schema/reflectionSource";
import type { DescribeArgs } from "./parseDescribeArgs";

/** What describe needs from the terminal: output, and files by path from the working folder. */
export interface DescribeIo {
  write: (text: string) => void;
  warn: (text: string) => void;
  readFile: (path: string) => Promise<Uint8Array>;
  exists: (path: string) => boolean;
  writeFile: (path: string, bytes: Uint8Array) => Promise<void>;
}

/** A schema to describe: a registry, the services it offers, and the files a descriptor set starts from. */
interface Schema {
  registry: Registry;
  services: string[];
  roots: DescFile[];
}

/**
 * `grpc-callouts describe`: loads a .proto file, a descriptor set or a
 * server's reflection through the same schema sources the blocks use,
 * prints the symbol (or every service) as .proto text, and writes the
 * descriptor set when asked. Returns the exit code: 0, or 1 when the schema
 * cannot be had or the symbol is unknown.
 */
export async function describeSchema(args: DescribeArgs, io: DescribeIo): Promise<number> {
  const pool = new ClientPool();
  const signal = new AbortController().signal;
  let schema: Schema;
  try {
    schema = args.proto !== null ? await fromFiles(args.proto, args.importPaths, io) : await fromReflection(args, io, pool, signal);
  } catch (e) {
    const err = CallError.from(e);
    io.warn(`${err.codeName}: ${err.message}${err.hint === undefined ? "" : `\n${err.hint}`}\n`);
    return 1;
  } finally {
    pool.close();
  }
  if (args.protosetOut !== null) {
    await io.writeFile(args.protosetOut, descriptorSetOf(schema.roots));
    io.warn(`Wrote the descriptor set of ${schema.roots.map((r) => r.name).join(", ")} and its imports to ${args.protosetOut}.\n`);
  }
  if (args.symbol !== null) {
    const text = describeSymbol(schema.registry, args.symbol);
    if (text === undefined) {
      const near = findMethod(schema.registry, args.symbol.includes("/") ? args.symbol : `${args.symbol}/-`, schema.services);
      io.warn(`NOT_FOUND: the schema has no symbol "${args.symbol}".${near instanceof Error && near.hint !== undefined ? ` ${near.hint}` : ""}\n`);
      return 1;
    }
    io.write(text);
    return 0;
  }
  if (schema.services.length === 0) io.write("The schema defines no services.\n");
  io.write(schema.services.map((s) => describeSymbol(schema.registry, s) ?? "").join("\n"));
  return 0;
}

async function fromFiles(proto: string, importPaths: readonly string[], io: DescribeIo): Promise<Schema> {
  const files = await protoSource(proto, importPaths, io.readFile, io.exists).filesFor("", new AbortController().signal);
  const builtins = builtinRegistry();
  const all = [...files.files].filter((f) => builtins.getFile(f.name) !== f);
  const imported = new Set(all.flatMap((f) => f.dependencies.map((d) => d.name)));
  return { registry: files, services: all.flatMap((f) => f.services.map((s) => s.typeName)), roots: all.filter((f) => !imported.has(f.name)) };
}

async function fromReflection(args: DescribeArgs, io: DescribeIo, pool: ClientPool, signal: AbortSignal): Promise<Schema> {
  const target = args.target ?? "";
  const security = await channelCredentials(args.tls, target, io.readFile);
  const client = pool.get(target, security.creds, security.key, security.options);
  const source = reflectionSource(target, [grpcReflectionLine(client)], { metadata: {}, deadlineMs: 10_000 });
  const session = source.session?.(signal) ?? { ...source, close: () => undefined };
  try {
    const services = await session.listServices(signal);
    const registries: FileRegistry[] = [];
    const roots: DescFile[] = [];
    const found: string[] = [];
    for (const s of services) {
      try {
        const r = await session.filesFor(s, signal);
        const file = r.getService(s)?.file;
        if (file === undefined) continue;
        registries.push(r);
        roots.push(file);
        found.push(s);
      } catch (e) {
        // One broken service hides no other: say why and go on.
        io.warn(`${s}: ${CallError.from(e).message}\n`);
      }
    }
    if (found.length === 0 && services.length > 0) throw new CallError(Code.NOT_FOUND, "No service's schema could be had through reflection.");
    return { registry: createRegistry(...registries), services: found, roots: [...new Map(roots.map((r) => [r.name, r])).values()] };
  } finally {
    session.close();
  }
}
