import { createFileRegistry, createRegistry, type FileRegistry } from "@bufbuild/protobuf";
import { credentials, type ChannelCredentials } from "@grpc/grpc-js";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { loadProtoFiles } from "../core/proto/loadProtoFiles";
import { splitMethod, type CallSpec, type TlsSpec } from "../core/spec/CallSpec";
import type { ClientPool } from "./ClientPool";
import { builtinRegistry } from "./builtinRegistry";
import { findMethod } from "./findMethod";
import { isLoopback } from "./isLoopback";
import { Reflector } from "./reflect";
import type { ResolvedCall, RunHost } from "./startCall";

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
  return {
    forget: () => schemas.clear(),
    async resolve(spec: CallSpec, signal: AbortSignal): Promise<ResolvedCall> {
      if (spec.target === null) {
        const sidecar = await deps.sidecar();
        const registry = createRegistry(deps.sidecarFiles, builtinRegistry());
        const method = findMethod(registry, spec.method, [...deps.sidecarFiles.files].flatMap((f) => f.services.map((s) => s.typeName)));
        if (method instanceof Error) throw method;
        return {
          client: deps.pool.get(sidecar.address),
          method,
          registry,
          metadata: { ...spec.metadata, [deps.tokenHeader]: sidecar.token },
          target: "sidecar",
        };
      }
      if (spec.proto !== null) {
        const files = await protoRegistry(spec.proto, spec.importPaths, deps.readFile);
        const registry = createRegistry(files, builtinRegistry());
        const services = [...files.files].flatMap((f) => f.services.map((s) => s.typeName));
        const method = findMethod(registry, spec.method, services);
        if (method instanceof Error) throw method;
        if (spec.target === null) {
          const sidecar = await deps.sidecar();
          return {
            client: deps.pool.get(sidecar.address),
            method,
            registry,
            metadata: { ...spec.metadata, [deps.tokenHeader]: sidecar.token },
            target: "sidecar",
          };
        }
        const { creds, key, options } = await channelCredentials(spec.tls, spec.target, deps.readFile);
        return { client: deps.pool.get(spec.target, creds, key, options), method, registry, metadata: { ...spec.metadata }, target: spec.target };
      }
      const target = spec.target;
      const { creds, key, options } = await channelCredentials(spec.tls, target, deps.readFile);
      const client = deps.pool.get(target, creds, key, options);
      const { service } = splitMethod(spec.method);
      const cacheKey = `${target}\u0000${key}\u0000${service}`;
      let schema = schemas.get(cacheKey);
      if (schema === undefined) {
        const reflector = new Reflector(client, { metadata: spec.metadata, signal, deadlineMs: spec.deadlineMs ?? 10_000 });
        schema = reflector.registryFor(service).catch(async (e: unknown) => {
          schemas.delete(cacheKey);
          const err = CallError.from(e);
          if (err.code === Code.NOT_FOUND) {
            const services = await reflector.listServices().catch(() => []);
            const near = findMethod(createFileRegistry(), spec.method, services);
            if (near instanceof Error) throw near;
          }
          throw err;
        });
        schemas.set(cacheKey, schema);
      }
      const files = await schema;
      const registry = createRegistry(files, builtinRegistry());
      const method = findMethod(registry, spec.method, [...files.files].flatMap((f) => f.services.map((s) => s.typeName)));
      if (method instanceof Error) throw method;
      return { client, method, registry, metadata: { ...spec.metadata }, target };
    },
  };
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
