import { createRegistry, type FileRegistry } from "@bufbuild/protobuf";
import type { Client } from "@grpc/grpc-js";
import type { CallSpec } from "../core/spec/CallSpec";
import { builtinRegistry } from "../schema/builtinRegistry";
import { findMethod } from "../schema/findMethod";
import { protoSource } from "../schema/protoSource";
import { grpcReflectionLine } from "../schema/grpcReflectionLine";
import { reflectionSource } from "../schema/reflectionSource";
import { connectReflectionLine } from "./connectReflectionLine";
import { SchemaCache, type Discovery } from "../schema/SchemaCache";
import { registrySource, servicesOf, type SchemaSource } from "../schema/SchemaSource";
import { CallError } from "../core/errors/CallError";
import { Code } from "../core/errors/Code";
import { channelCredentials } from "./channelCredentials";
import { toMetadata } from "./metadata";
import type { ClientPool } from "./ClientPool";
import type { ResolvedCall, RunHost } from "./startCall";
import { TransportPool, type PooledTransport } from "./TransportPool";

/** The health check a warm-up makes (an empty request asks about the whole server). */
const HEALTH_CHECK = "/grpc.health.v1.Health/Check";

/** Where the embedded sidecar is, once started. */
export interface SidecarAccess {
  address: string;
  token: string;
  /** Its gRPC-Web and Connect gateway, when it has one. */
  webAddress?: string | null;
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
  /** gRPC-Web and Connect transports; the host makes its own when not given, and `close` closes it. */
  transports?: TransportPool;
  /** Reads a file of the vault (or, in the terminal, of the note's folder): `.proto` and TLS files. */
  readFile: (path: string) => Promise<Uint8Array>;
  /** Awaited before the first connection: main.js loads its gRPC library here (see sidecarLibrary). */
  prepare?: () => Promise<void>;
  /** Whether a file is there, cheaply (the vault's index, a stat), so that `.proto` imports are not read where they are not. */
  exists?: (path: string) => boolean;
}

/** A channel to a spec's target, with the metadata to send and the target as shown. */
interface Connection {
  client: Client;
  /** For gRPC-Web and Connect: the transport the call goes over (the client above serves reflection). */
  transport: PooledTransport | null;
  metadata: Record<string, string>;
  target: string;
  key: string;
}

/**
 * The RunHost the plugin and the terminal runner share. It composes three
 * jobs, each in its own place: connections (the sidecar with its token, or
 * the spec's target with its TLS: `channelCredentials`), the schema source
 * (sidecar files, `.proto` files or reflection: `src/schema`), and the one
 * schema cache, which `forget` empties.
 */
export function createRunHost(deps: RunHostDeps): RunHost & { forget(): void; warmSidecar(): Promise<void>; close(): void } {
  const cache = new SchemaCache();
  const transports = deps.transports ?? new TransportPool();
  const sidecar = registrySource("sidecar", deps.sidecarFiles);
  const sidecarRegistry = createRegistry(deps.sidecarFiles, builtinRegistry());
  const sidecarServices = servicesOf(deps.sidecarFiles);

  let prepared: Promise<void> | null = null;
  const prepare = (): Promise<void> | undefined =>
    deps.prepare === undefined
      ? undefined
      : (prepared ??= deps.prepare().catch((e: unknown) => {
          prepared = null;
          throw e;
        }));
  const connect = async (spec: CallSpec): Promise<Connection> => {
    if (spec.target === null) {
      // The sidecar first: its launcher loads the library while the process starts.
      const access = await deps.sidecar();
      await prepare();
      const metadata = { ...spec.metadata, [deps.tokenHeader]: access.token };
      if (spec.protocol !== "grpc") {
        // The same services over gRPC-Web or Connect, through the sidecar's gateway, with the same token.
        const web = access.webAddress ?? null;
        if (web === null) throw new CallError(Code.UNIMPLEMENTED, `This sidecar answers gRPC only; \`protocol: ${spec.protocol}\` needs a \`target:\`.`);
        const transport = await transports.get({ ...spec, target: web, tls: false }, deps.readFile);
        return { client: deps.pool.get(access.address), transport, metadata, target: `sidecar (${spec.protocol === "connect" ? "Connect" : "gRPC-Web"})`, key: "sidecar" };
      }
      return { client: deps.pool.get(access.address), transport: null, metadata: { ...spec.metadata, [deps.tokenHeader]: access.token }, target: "sidecar", key: "sidecar" };
    }
    await prepare();
    // gRPC-Web and Connect go over their transport; a grpc-js channel to the same server serves reflection.
    const transport = spec.protocol === "grpc" ? null : await transports.get(spec, deps.readFile);
    const address = transport?.authority ?? spec.target;
    const tls = transport === null || spec.tls !== null ? spec.tls : transport.baseUrl.startsWith("https:");
    const security = await channelCredentials(tls, address, deps.readFile);
    return { client: deps.pool.get(address, security.creds, security.key, security.options), transport, metadata: { ...spec.metadata }, target: spec.target, key: `${address}\u0000${security.key}` };
  };
  const sourceFor = (spec: CallSpec, conn: Connection): SchemaSource & { answeredBy?(): string | null } => {
    if (spec.proto !== null) return protoSource(spec.proto, spec.importPaths, deps.readFile, deps.exists);
    if (spec.target === null) return sidecar;
    // Reflection streams both ways: over the call's own protocol where it can (Connect on HTTP/2), then plain gRPC.
    const own = conn.transport !== null && spec.protocol === "connect" && conn.transport.http === "2" ? [connectReflectionLine(conn.transport, "Connect")] : [];
    return reflectionSource(conn.key, [...own, grpcReflectionLine(conn.client)], { metadata: conn.metadata, deadlineMs: spec.deadlineMs ?? 10_000 });
  };

  return {
    forget: () => cache.forget(),
    /** Closes the gRPC-Web and Connect sessions and sockets (grpc-js channels are the pool's). */
    close: () => transports.close(),
    /**
     * Starts the sidecar, opens the channel to it and makes one health check, so a first call
     * finds the process, the connection and both ends' call paths ready. Never fails.
     */
    async warmSidecar(): Promise<void> {
      const access = await deps.sidecar();
      await prepare();
      const client = deps.pool.get(access.address);
      const identity = (b: Buffer): Buffer => b;
      await new Promise<void>((resolve) => {
        client.makeUnaryRequest(HEALTH_CHECK, identity, identity, Buffer.alloc(0), toMetadata({ [deps.tokenHeader]: access.token }), { deadline: Date.now() + 5_000 }, () => resolve());
      });
    },
    async resolve(spec: CallSpec, signal: AbortSignal): Promise<ResolvedCall> {
      const conn = await connect(spec);
      if (spec.target === null && spec.proto === null) {
        // The sidecar's own schema is known in advance: no look-up at all on the hot path.
        const method = findMethod(sidecarRegistry, spec.method, sidecarServices);
        if (method instanceof Error) throw method;
        return { client: conn.client, transport: null, method, registry: sidecarRegistry, metadata: conn.metadata, target: conn.target };
      }
      const { method, registry } = await cache.resolve(sourceFor(spec, conn), spec.method, signal);
      return { client: conn.client, transport: conn.transport, method, registry, metadata: conn.metadata, target: conn.target };
    },
    async discover(spec: CallSpec, signal: AbortSignal): Promise<Discovery> {
      const conn = await connect(spec);
      const source = sourceFor(spec, conn);
      const found = await cache.list(source, signal);
      const via = source.answeredBy?.() ?? null;
      return via === null ? found : { ...found, via };
    },
  };
}
