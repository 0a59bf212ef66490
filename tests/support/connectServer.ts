// A server of another implementation: connect-node (connectNodeAdapter) serving the demo PatternService
// over gRPC, gRPC-Web and Connect at once, on HTTP/1.1, on HTTP/2 without TLS (h2c), or over TLS with
// both (ALPN). It echoes `x-echo` as a header and `x-echo-trailer` as a trailer, and a Fault becomes an
// error with an ErrorInfo detail.
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { createServer as createHttp2Server, createSecureServer, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { ConnectError, type ConnectRouter, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { ErrorInfoSchema } from "../../src/gen/google/rpc/error_details_pb";
import { ServerReflection } from "../../src/gen/grpc/reflection/v1/reflection_pb";
import { ChatReply_Kind, file_grpccallouts_demo_v1_patterns, PatternService, type Fault } from "../../src/gen/grpccallouts/demo/v1/patterns_pb";
import { fileRegistryOf } from "../../src/schema/fileRegistryOf";
import { reflectionAnswer } from "../../src/sidecar/reflectionService";

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
  });

function fail(fault: Fault, method: string): ConnectError {
  return new ConnectError(fault.message || `demo fault in ${method}`, fault.code, undefined, [
    { desc: ErrorInfoSchema, value: { reason: "DEMO_FAULT", domain: "connect-node.test", metadata: { method } } },
  ]);
}

function echo(ctx: HandlerContext): void {
  const h = ctx.requestHeader.get("x-echo");
  if (h !== null) ctx.responseHeader.set("x-echo", h);
  const t = ctx.requestHeader.get("x-echo-trailer");
  if (t !== null) ctx.responseTrailer.set("x-echo-trailer", t);
  const b = ctx.requestHeader.get("x-data-bin");
  if (b !== null) ctx.responseHeader.set("x-data-bin", b);
}

/** Server reflection about the demo service. */
function reflection(router: ConnectRouter): void {
  const registry = fileRegistryOf(file_grpccallouts_demo_v1_patterns);
  const services = [PatternService.typeName, ServerReflection.typeName];
  router.service(ServerReflection, {
    async *serverReflectionInfo(reqs) {
      for await (const r of reqs) yield reflectionAnswer(registry, services, r);
    },
  });
}

function routes(router: ConnectRouter): void {
  router.service(PatternService, {
    async ask(req, ctx) {
      echo(ctx);
      if (req.fault !== undefined && req.fault.code > 0) throw fail(req.fault, "Ask");
      if (req.question === "slow") await sleep(2_000, ctx.signal);
      return { answer: `connect-node heard "${req.question}"`, serverTime: timestampNow() };
    },
    async *feed(req, ctx) {
      echo(ctx);
      const count = req.count ?? 5;
      for (let seq = 1; seq <= count && !ctx.signal.aborted; seq++) {
        if (req.fault !== undefined && req.fault.code > 0 && seq > req.fault.after) throw fail(req.fault, "Feed");
        yield { seq, topic: req.topic || "ticks", serverTime: timestampNow() };
        if ((req.intervalMs ?? 0) > 0) await sleep(req.intervalMs ?? 0, ctx.signal);
      }
    },
    async upload(reqs, ctx) {
      echo(ctx);
      let count = 0;
      let bytes = 0n;
      for await (const c of reqs) {
        count++;
        bytes += BigInt(c.data.length);
      }
      return { count, bytes, checksum: "n/a", serverTime: timestampNow() };
    },
    async *chat(reqs, ctx) {
      echo(ctx);
      let n = 0;
      for await (const m of reqs) yield { seq: ++n, kind: ChatReply_Kind.REPLY, text: `Got "${m.text}"`, inReplyTo: n, serverTime: timestampNow() };
    },
  });
}

/** A running connect-node server. */
export interface ConnectServer {
  port: number;
  stop(): Promise<void>;
}

/**
 * Starts the server: `h1` (HTTP/1.1), `h2c` (HTTP/2 without TLS) or `tls` (HTTP/2 and HTTP/1.1 by
 * ALPN), with server reflection, or (`grpc`) a server that speaks plain gRPC only, reflection included.
 */
export async function startConnectServer(kind: "h1" | "h2c" | "tls", tls?: { key: Buffer; cert: Buffer; clientCa?: Buffer }, reflect: "all" | "grpc" | "none" = "all"): Promise<ConnectServer> {
  const handler = connectNodeAdapter({
    routes: (router) => {
      routes(router);
      if (reflect !== "none") reflection(router);
    },
    ...(reflect === "grpc" ? { connect: false, grpcWeb: false } : {}),
  });
  const server: HttpServer | Http2Server =
    kind === "h1" ? createHttpServer(handler) : kind === "h2c" ? createHttp2Server(handler) : createSecureServer(
          // With `clientCa`, a client certificate signed by it is required (mTLS).
          { key: tls?.key, cert: tls?.cert, allowHTTP1: true, ...(tls?.clientCa === undefined ? {} : { ca: tls.clientCa, requestCert: true, rejectUnauthorized: true }) },
          handler,
        );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const sessions = new Set<{ destroy(): void }>();
  server.on("session", (s: { destroy(): void }) => sessions.add(s));
  server.on("connection", (s: { destroy(): void }) => sessions.add(s));
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.destroy();
        server.close(() => resolve());
      }),
  };
}
