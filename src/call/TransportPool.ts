import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { connect as tlsConnect } from "node:tls";
import type { Transport } from "@connectrpc/connect";

import type { CallSpec } from "../core/spec/CallSpec";
import { isUrlTarget, type HttpVersion } from "../core/spec/Protocol";
import { tlsMaterial, type TlsMaterial } from "./tlsMaterial";

/** A transport for a spec, with what it was made for. */
export interface PooledTransport {
  transport: Transport;
  /** The HTTP version in use (negotiated over TLS when the block did not say). */
  http: HttpVersion;
  /** The base URL the calls go to. */
  baseUrl: string;
  /** host:port of the same server, for plain gRPC (reflection's fallback). */
  authority: string;
}

/** The base URL and host:port of a target, with TLS decided as the block asks. */
export function baseUrlOf(target: string, tls: TlsMaterial | null): { baseUrl: string; authority: string } {
  if (isUrlTarget(target)) {
    const u = new URL(target);
    const port = u.port !== "" ? u.port : u.protocol === "https:" ? "443" : "80";
    return { baseUrl: target.replace(/\/+$/, ""), authority: `${u.hostname}:${port}` };
  }
  return { baseUrl: `${tls === null ? "http" : "https"}://${target}`, authority: target };
}

/**
 * gRPC-Web and Connect transports (from @connectrpc/connect-node), one per
 * protocol, base URL, HTTP version and TLS, kept like grpc-js channels: the
 * HTTP/2 sessions and HTTP/1.1 sockets are reused across calls and closed by
 * `close`. Over TLS without `http:`, the version is what the server offers
 * by ALPN, asked once per address.
 */
export class TransportPool {
  private readonly transports = new Map<string, PooledTransport>();
  private readonly closers: Array<() => void> = [];
  private readonly alpn = new Map<string, Promise<HttpVersion>>();

  /** The transport for `spec` (its protocol is grpc-web or connect). */
  async get(spec: CallSpec, readFile: (path: string) => Promise<Uint8Array>): Promise<PooledTransport> {
    const target = spec.target ?? "";
    const tlsTarget = isUrlTarget(target) ? new URL(target).host : target;
    const urlTls = isUrlTarget(target) ? /^https:/i.test(target) : null;
    const tls = await tlsMaterial(urlTls === null ? spec.tls : spec.tls === null ? urlTls : spec.tls, tlsTarget, readFile);
    const { baseUrl, authority } = baseUrlOf(target, tls);
    const http = spec.http ?? (tls === null ? "1.1" : await this.negotiate(authority, tls));
    const key = `${spec.protocol}\u0000${baseUrl}\u0000${http}\u0000${tls?.id ?? "plaintext"}`;
    const known = this.transports.get(key);
    if (known !== undefined) return known;
    const secure = tls === null ? {} : secureOptions(tls);
    // connect-node (and the Node modules it needs) loads with the first gRPC-Web or Connect call, not with the plugin.
    const { createConnectTransport, createGrpcWebTransport, Http2SessionManager } = await import("@connectrpc/connect-node");
    const again = this.transports.get(key);
    if (again !== undefined) return again;
    const make = spec.protocol === "grpc-web" ? createGrpcWebTransport : createConnectTransport;
    let transport: Transport;
    if (http === "2") {
      const sessions = new Http2SessionManager(baseUrl, { idleConnectionTimeoutMs: 60_000 }, secure);
      this.closers.push(() => sessions.abort());
      transport = make({ baseUrl, httpVersion: "2", useBinaryFormat: true, sessionManager: sessions });
    } else {
      const agent = tls === null ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true, ...secure });
      this.closers.push(() => agent.destroy());
      transport = make({ baseUrl, httpVersion: "1.1", useBinaryFormat: true, nodeOptions: { agent } });
    }
    const pooled = { transport, http, baseUrl, authority };
    this.transports.set(key, pooled);
    return pooled;
  }

  /** Closes every session and socket. */
  close(): void {
    for (const close of this.closers.splice(0)) close();
    this.transports.clear();
  }

  /** The HTTP version the server at `authority` chooses by ALPN: 2 if it offers h2, else 1.1. */
  private negotiate(authority: string, tls: TlsMaterial): Promise<HttpVersion> {
    let known = this.alpn.get(authority);
    if (known === undefined) {
      known = new Promise<HttpVersion>((resolve) => {
        const [host, port] = splitAuthority(authority);
        const socket = tlsConnect({ host, port, ALPNProtocols: ["h2", "http/1.1"], ...secureOptions(tls) }, () => {
          resolve(socket.alpnProtocol === "h2" ? "2" : "1.1");
          socket.destroy();
        });
        socket.setTimeout(5_000, () => socket.destroy());
        // A server that cannot be reached fails the call itself, with the transport's own error.
        socket.on("error", () => resolve("2"));
        socket.on("close", () => resolve("2"));
      });
      this.alpn.set(authority, known);
    }
    return known;
  }
}

function splitAuthority(authority: string): [string, number] {
  const i = authority.lastIndexOf(":");
  return [authority.slice(0, i).replace(/^\[|\]$/g, ""), Number(authority.slice(i + 1))];
}

/** Node's TLS options for the material a block gave. */
function secureOptions(tls: TlsMaterial): { ca?: Buffer; key?: Buffer; cert?: Buffer; rejectUnauthorized?: boolean; servername?: string; checkServerIdentity?: () => undefined } {
  return {
    ...(tls.ca === null ? {} : { ca: tls.ca }),
    ...(tls.key === null || tls.cert === null ? {} : { key: tls.key, cert: tls.cert }),
    ...(tls.insecureSkipVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {}),
    ...(tls.serverName === null ? {} : { servername: tls.serverName }),
  };
}
