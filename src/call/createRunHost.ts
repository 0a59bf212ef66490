import { createFileRegistry, createRegistry, type FileRegistry } from "@bufbuild/protobuf";
import { credentials, type ChannelCredentials, type Client } from "@grpc/grpc-js";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { loadProtoFiles } from "../schema/proto/loadProtoFiles";
import { splitMethod, type CallSpec, type TlsSpec } from "../core/spec/CallSpec";
import type { ClientPool } from "./ClientPool";
import { builtinRegistry } from "../schema/builtinRegistry";
import { findMethod } from "../schema/findMethod";
import { isLoopback } from "../core/spec/isLoopback";
import { Reflector } from "../schema/reflect";
import type { MethodListing, ResolvedCall, RunHost } from "./startCall";

/** Where the embedded sidecar is, once started. */
export interface SidecarAccess {
  address: string;
  token: string;
}

/** What a run host needs from its front end. */
export interface RunHostDeps {
  /** Starts the sidecar if needed and says where it is. */
  sidecar: () => Promise<SidecarAccess>;
  /** The files the sidecar serves, so its calls need no reflection. */
  sidecarFiles: FileRegistry;
  /** The header that carries the sidecar token. */
  tokenHeader: string;
  pool: ClientPool;
  /** Reads a file of the vault (or, in the terminal, of the note's folder), for TLS files. */
  readFile: (path: string) => Promise<Uint8Array>;
}

/**
 * The RunHost the plugin and the terminal runner share: the sidecar for specs
 * without a target, server reflection for other targets, channels kept in a
 * pool, and schemas cached per target and service until `forget`.
 */
export function createRunHost(deps: RunHostDeps): RunHost & { forget(): void } {
  const schemas = new Map<string, Promise<FileRegistry>>();
  const sidecarRegistry = createRegistry(deps.sidecarFiles, builtinRegistry());
  const sidecarServices = servicesOf([deps.sidecarFiles]);

  /** The client, metadata and shown target for a spec. */
  const connect = async (spec: CallSpec): Promise<{ client: Client; metadata: Record<string, string>; target: string; key: string }> => {
    if (spec.target === null) {
      const sidecar = await deps.sidecar();
      return { client: deps.pool.get(sidecar.address), metadata: { ...spec.metadata, [deps.tokenHeader]: sidecar.token }, target: "sidecar", key: "sidecar" };
    }
    const { creds, key, options } = await channelCredentials(spec.tls, spec.target, deps.readFile);
    return { client: deps.pool.get(spec.target, creds, key, options), metadata: { ...spec.metadata }, target: spec.target, key: `${spec.target}\u0000${key}` };
  };

  /** The files that describe `service` (or everything, for "") at the spec's target. */
  const filesFor = async (spec: CallSpec, conn: { client: Client; metadata: Record<string, string>; key: string }, service: string, signal: AbortSignal): Promise<FileRegistry[]> => {
    if (spec.proto !== null) return [await protoRegistry(spec.proto, spec.importPaths, deps.readFile)];
    if (spec.target === null) return [deps.sidecarFiles];
    const reflector = new Reflector(conn.client, { metadata: conn.metadata, signal, deadlineMs: spec.deadlineMs ?? 10_000 });
    const services = service === "" ? await reflector.listServices() : [service];
    return Promise.all(
      services.map((name) => {
        const cacheKey = `${conn.key}\u0000${name}`;
        let schema = schemas.get(cacheKey);
        if (schema === undefined) {
          schema = reflector.registryFor(name).catch(async (e: unknown) => {
            schemas.delete(cacheKey);
            const err = CallError.from(e);
            if (err.code === Code.NOT_FOUND && service !== "") {
              const known = await reflector.listServices().catch(() => []);
              const near = findMethod(createFileRegistry(), spec.method, known);
              if (near instanceof Error) throw near;
            }
            throw err;
          });
          schemas.set(cacheKey, schema);
        }
        return schema;
      }),
    );
  };

  return {
    forget: () => schemas.clear(),
    async resolve(spec: CallSpec, signal: AbortSignal): Promise<ResolvedCall> {
      const conn = await connect(spec);
      if (spec.target === null && spec.proto === null) {
        // The sidecar's own schema: known in advance, no reflection round trip.
        const method = findMethod(sidecarRegistry, spec.method, sidecarServices);
        if (method instanceof Error) throw method;
        return { client: conn.client, method, registry: sidecarRegistry, metadata: conn.metadata, target: conn.target };
      }
      const files = await filesFor(spec, conn, splitMethod(spec.method).service, signal);
      const registry = createRegistry(...files, builtinRegistry());
      const method = findMethod(registry, spec.method, servicesOf(files));
      if (method instanceof Error) throw method;
      return { client: conn.client, method, registry, metadata: conn.metadata, target: conn.target };
    },
    async discover(spec: CallSpec, signal: AbortSignal): Promise<MethodListing[]> {
      const conn = await connect(spec);
      const files = await filesFor(spec, conn, "", signal);
      const out: MethodListing[] = [];
      const seen = new Set<string>();
      for (const f of files) {
        for (const file of f.files) {
          for (const s of file.services) {
            for (const m of s.methods) {
              const name = `${s.typeName}/${m.name}`;
              if (seen.has(name)) continue;
              seen.add(name);
              out.push({ method: name, kind: m.methodKind, input: m.input });
            }
          }
        }
      }
      return out.sort((a, b) => a.method.localeCompare(b.method));
    },
  };
}

function servicesOf(files: FileRegistry[]): string[] {
  return files.flatMap((f) => [...f.files].flatMap((file) => file.services.map((s) => s.typeName)));
}

async function channelCredentials(
  tls: boolean | TlsSpec | null,
  target: string,
  readFile: (path: string) => Promise<Uint8Array>,
): Promise<{ creds: ChannelCredentials; key: string; options: Record<string, string> }> {
  const useTls = tls === null ? !isLoopback(target) : tls !== false;
  if (!useTls || tls === false) return { creds: credentials.createInsecure(), key: "insecure", options: {} };
  if (tls === null || tls === true) return { creds: credentials.createSsl(), key: "tls", options: {} };
  const read = async (p: string | undefined): Promise<Buffer | null> => {
    if (p === undefined) return null;
    try {
      return Buffer.from(await readFile(p));
    } catch (e) {
      throw new CallError(Code.FAILED_PRECONDITION, `Cannot read the TLS file "${p}": ${CallError.from(e).message}`, {
        hint: "TLS paths are vault paths, like certs/ca.pem.",
      });
    }
  };
  const [ca, key, cert] = await Promise.all([read(tls.ca), read(tls.key), read(tls.cert)]);
  if ((key === null) !== (cert === null)) {
    throw new CallError(Code.INVALID_ARGUMENT, "A client certificate needs both `cert:` and `key:`.");
  }
  const verify = {
    ...(tls.insecureSkipVerify === true ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {}),
  };
  const creds = credentials.createSsl(ca, key, cert, verify);
  const options: Record<string, string> = tls.serverName === undefined ? {} : { "grpc.ssl_target_name_override": tls.serverName, "grpc.default_authority": tls.serverName };
  return { creds, key: `tls:${JSON.stringify(tls)}`, options };
}

/** A registry of a vault .proto file, its imports and the built-ins they use. */
export async function protoRegistry(proto: string, importPaths: readonly string[], readFile: (path: string) => Promise<Uint8Array>): Promise<FileRegistry> {
  const decoder = new TextDecoder();
  const loaded = await loadProtoFiles(proto, importPaths, {
    read: async (p) => decoder.decode(await readFile(p)),
    builtin: (name) => builtinRegistry().getFile(name)?.proto,
  });
  const root = loaded.files.get(loaded.root);
  if (root === undefined) throw new CallError(Code.INTERNAL, `The parsed ${proto} went missing.`);
  try {
    return createFileRegistry(root, (name) => loaded.files.get(name));
  } catch (e) {
    throw new CallError(Code.INVALID_ARGUMENT, `${proto}: ${CallError.from(e).message}`, { hint: "Check the .proto file for duplicate or conflicting definitions.", cause: e });
  }
}
