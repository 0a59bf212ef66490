import { fromBinary, type DescMethod, type DescService } from "@bufbuild/protobuf";
import type { ConnectError as ConnectErrorType, ConnectRouter, HandlerContext } from "@connectrpc/connect";
import { Client, credentials, Metadata, type ClientReadableStream, type ServiceError } from "@grpc/grpc-js";
// Both are loaded by grpc-js already; only connect-node waits for the first connection.
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from "node:http";
import { createServer as createHttp2Server, type Http2Server, type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { methodDefinition } from "../call/methodDefinition";
import { StatusSchema } from "../gen/google/rpc/status_pb";

/** The gateway's port, and how to stop it. */
export interface WebGateway {
  port: number;
  stop(): void;
}

/** Request headers that belong to HTTP or to the protocols, not to the call's metadata. */
const HOP = /^(:|content-type$|content-length$|content-encoding$|accept-encoding$|user-agent$|host$|connection$|te$|keep-alive$|transfer-encoding$|connect-|grpc-|x-grpc-web$|x-user-agent$)/;
/** Connect's error class, once the gateway has loaded Connect. */
let ConnectErrorClass: typeof ConnectErrorType | null = null;
/** The first bytes of an HTTP/2 connection without TLS (prior knowledge). */
const H2_PREFACE = "PRI * HTTP/2.0";

/**
 * gRPC-Web and Connect for the sidecar, on one loopback port that takes
 * HTTP/1.1 and HTTP/2 (told apart by the first bytes), in front of its gRPC
 * server at `grpcPort`, as Envoy's gRPC-Web filter fronts a gRPC server: each
 * call is passed to the gRPC server with its metadata (the token included, so
 * the same check applies) and its deadline, and headers, messages, trailers
 * and the status (with its details) come back. connect-node is loaded on the
 * first connection, so a sidecar that serves only gRPC starts as fast as before.
 */
export async function startWebGateway(grpcPort: number, services: readonly DescService[]): Promise<WebGateway> {
  // The channel to the gRPC server is made with the first call through the gateway.
  let channel: Client | null = null;
  const upstream = (): Client => (channel ??= new Client(`127.0.0.1:${grpcPort}`, credentials.createInsecure()));
  type Handler = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse) => void;
  let handler: Handler | null = null;
  // connect-node is loaded on the first connection, not at the sidecar's start.
  let loading: Promise<void> | null = null;
  const load = (): Promise<void> =>
    (loading ??= Promise.all([import("@connectrpc/connect-node"), import("@connectrpc/connect")]).then(([{ connectNodeAdapter }, connect]) => {
      ConnectErrorClass = connect.ConnectError;
      handler = connectNodeAdapter({ routes: (router) => route(router, upstream, services) });
      servers = { h1: createHttpServer(handle), h2: createHttp2Server(handle) };
    }));
  const handle = (req: IncomingMessage | Http2ServerRequest, res: ServerResponse | Http2ServerResponse): void => handler?.(req, res);
  let servers: { h1: HttpServer; h2: Http2Server } | null = null;
  const sockets = new Set<Socket>();
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    socket.once("data", (chunk: Buffer) => {
      socket.pause();
      socket.unshift(chunk);
      void load().then(() => {
        const target = chunk.toString("latin1", 0, H2_PREFACE.length) === H2_PREFACE ? servers?.h2 : servers?.h1;
        target?.emit("connection", socket);
        socket.resume();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: () => {
      for (const s of sockets) s.destroy();
      server.close();
      channel?.close();
    },
  };
}

/** Every method of `services`, passed through to the gRPC server. */
function route(router: ConnectRouter, upstream: () => Client, services: readonly DescService[]): void {
  for (const service of services) {
    const impl: Record<string, unknown> = {};
    for (const m of service.methods) impl[m.localName] = passThrough(upstream, m);
    router.service(service, impl as never);
  }
}

function passThrough(upstreamOf: () => Client, method: DescMethod): unknown {
  const upstream = upstreamOf();
  const def = methodDefinition(method);
  const ser = def.requestSerialize;
  const deser = def.responseDeserialize;
  const open = (ctx: HandlerContext): { md: Metadata; options: { deadline?: Date } } => {
    const md = new Metadata();
    ctx.requestHeader.forEach((v, k) => {
      if (HOP.test(k)) return;
      if (k.endsWith("-bin")) md.add(k, Buffer.from(v, "base64"));
      else md.add(k, v);
    });
    const timeout = ctx.timeoutMs();
    return { md, options: timeout === undefined ? {} : { deadline: new Date(Date.now() + timeout) } };
  };
  const wire = (call: { on(e: string, f: (x: never) => void): unknown; cancel(): void }, ctx: HandlerContext): void => {
    ctx.signal.addEventListener("abort", () => call.cancel(), { once: true });
    call.on("metadata", (md: Metadata) => copyInto(ctx.responseHeader, md));
    call.on("status", (s: { metadata: Metadata }) => copyInto(ctx.responseTrailer, s.metadata));
  };
  switch (method.methodKind) {
    case "unary":
      return (req: object, ctx: HandlerContext) => {
        const { md, options } = open(ctx);
        return new Promise((resolve, reject) => {
          const call = upstream.makeUnaryRequest(def.path, ser, deser, req, md, options, (e: ServiceError | null, res?: object) => (e ? reject(connectError(e)) : resolve(res)));
          wire(call as never, ctx);
        });
      };
    case "server_streaming":
      return async function* (req: object, ctx: HandlerContext) {
        const { md, options } = open(ctx);
        const call = upstream.makeServerStreamRequest(def.path, ser, deser, req, md, options);
        wire(call as never, ctx);
        yield* messagesOf(call);
      };
    case "client_streaming":
      return async (reqs: AsyncIterable<object>, ctx: HandlerContext) => {
        const { md, options } = open(ctx);
        let settle: { resolve: (v: unknown) => void; reject: (e: unknown) => void } = { resolve: () => undefined, reject: () => undefined };
        const result = new Promise((resolve, reject) => (settle = { resolve, reject }));
        const call = upstream.makeClientStreamRequest(def.path, ser, deser, md, options, (e: ServiceError | null, res?: object) => (e ? settle.reject(connectError(e)) : settle.resolve(res)));
        wire(call as never, ctx);
        for await (const r of reqs) call.write(r);
        call.end();
        return result;
      };
    case "bidi_streaming":
      return async function* (reqs: AsyncIterable<object>, ctx: HandlerContext) {
        const { md, options } = open(ctx);
        const call = upstream.makeBidiStreamRequest(def.path, ser, deser, md, options);
        wire(call as never, ctx);
        void (async () => {
          for await (const r of reqs) call.write(r);
          call.end();
        })().catch(() => call.cancel());
        yield* messagesOf(call);
      };
  }
}

/** A grpc-js response stream's messages; its error becomes the Connect error that carries the same status. */
async function* messagesOf(call: ClientReadableStream<object>): AsyncGenerator<object> {
  try {
    for await (const m of call) yield m as object;
  } catch (e) {
    throw connectError(e as ServiceError);
  }
}

function copyInto(headers: Headers, md: Metadata): void {
  for (const [k, values] of Object.entries(md.toJSON())) {
    if (HOP.test(k)) continue;
    for (const v of values) headers.append(k, typeof v === "string" ? v : Buffer.from(v).toString("base64"));
  }
}

/** A gRPC status error as Connect's, with its google.rpc.Status details. */
function connectError(e: ServiceError): Error {
  const raw = e.metadata?.get("grpc-status-details-bin")[0];
  let details: Array<{ type: string; value: Uint8Array; debug: undefined }> = [];
  if (raw instanceof Uint8Array) {
    try {
      details = fromBinary(StatusSchema, raw).details.map((a) => ({ type: a.typeUrl.slice(a.typeUrl.lastIndexOf("/") + 1), value: a.value, debug: undefined }));
    } catch {
      details = [];
    }
  }
  const trailers = new Headers();
  if (e.metadata !== undefined) copyInto(trailers, e.metadata);
  if (ConnectErrorClass === null) return new Error(e.details);
  const err = new ConnectErrorClass(e.details, e.code as number, trailers);
  // Details the server already encoded pass on as they are (Connect writes those as readily as its own).
  err.details.push(...details);
  return err;
}
