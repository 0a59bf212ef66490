import type { MethodKind } from "./MethodKind";

/** The wire protocols a block can call with. */
export const PROTOCOLS = Object.freeze(["grpc", "grpc-web", "connect"] as const);
/** A wire protocol: gRPC over HTTP/2, gRPC-Web, or Connect. */
export type Protocol = (typeof PROTOCOLS)[number];
/** The HTTP versions a block can ask for. */
export type HttpVersion = "1.1" | "2";

/**
 * Why a call of `kind` cannot go over `protocol` on HTTP `http`, or null when
 * it can: client and bidi streaming need HTTP/2 (a request body that streams
 * while the response does), and gRPC-Web has no client streaming at all.
 * The message names the protocol, the HTTP version and what to change.
 */
export function protocolRefusal(protocol: Protocol, http: HttpVersion, kind: MethodKind): string | null {
  if (kind === "unary" || kind === "server_streaming") return null;
  const what = kind === "client_streaming" ? "Client streaming" : "Bidirectional streaming";
  if (protocol === "grpc-web") {
    return `${what} is not possible over gRPC-Web (HTTP/${http}): gRPC-Web has no client streaming. Use \`protocol: connect\` with \`http: 2\`, or \`protocol: grpc\`.`;
  }
  if (http === "1.1") {
    return `${what} is not possible over ${protocol === "connect" ? "Connect" : "gRPC"} on HTTP/1.1: it needs a request that streams while the response does. Use \`http: 2\`.`;
  }
  return null;
}

/** A target written as an http(s):// URL, as gRPC-Web and Connect servers are often published. */
export function isUrlTarget(target: string): boolean {
  return /^https?:\/\//i.test(target);
}
